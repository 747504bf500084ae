/** The app shell: toolbar, filter bar, the three panes (or another view), status bar, dialogs. */
import { Component, useEffect, useState, type ReactNode } from 'react';
import { appStore, useApp } from '../store';
import { Toolbar } from '../features/toolbar/Toolbar';
import { FilterBar } from '../features/filter-bar/FilterBar';
import { PacketList } from '../features/packet-list/PacketList';
import { DetailTree } from '../features/detail-tree/DetailTree';
import { useFrameDetail } from '../features/detail-tree/use-frame-detail';
import { HexPane } from '../features/hex-pane/HexPane';
import { StatusBar } from '../features/status-bar/StatusBar';
import { LoaderChrome, LoadPanel } from '../features/loader/Loader';
import { useInitialLoad } from '../features/loader/use-loader';
import { HelpDialog } from '../features/shortcuts/HelpDialog';
import { useShortcuts } from '../features/shortcuts/use-shortcuts';
import { Properties } from '../features/properties/Properties';
import { useHashSync } from '../features/share/use-share';
import { SplitPane } from '../widgets/split-pane/SplitPane';

function useWide(query: string): boolean {
  const [wide, setWide] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const m = matchMedia(query);
    const on = () => setWide(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, [query]);
  return wide;
}

function Panes() {
  const panes = useApp((s) => s.panes);
  const detail = useFrameDetail();
  const wide = useWide('(min-width: 1000px)');
  const setPanes = appStore.getState().setPanes;
  return (
    <SplitPane
      direction="rows"
      fraction={panes.list}
      onChange={(list) => setPanes({ list })}
      label="Resize the packet list"
      first={<PacketList />}
      second={
        <SplitPane
          direction={wide ? 'columns' : 'rows'}
          fraction={panes.detail}
          onChange={(d) => setPanes({ detail: d })}
          label="Resize the detail and bytes panes"
          first={<DetailTree state={detail} />}
          second={<HexPane state={detail} />}
        />
      }
    />
  );
}

export function App() {
  const theme = useApp((s) => s.theme);
  const view = useApp((s) => s.view);
  useInitialLoad();
  useHashSync();
  useShortcuts();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="app">
      <Toolbar />
      <FilterBar />
      <main className="workspace">
        {view === 'properties' ? <Properties /> : <Panes />}
        <LoadPanel />
      </main>
      <StatusBar />
      <LoaderChrome />
      <HelpDialog />
    </div>
  );
}

/** Whatever goes wrong while rendering, the page says so instead of going blank. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="load-panel" role="alert">
        <div className="load-card error">
          <h2>Something went wrong in Fathom</h2>
          <p className="load-detail">{this.state.error.message}</p>
          <button type="button" onClick={() => location.reload()}>
            Reload the page
          </button>
        </div>
      </div>
    );
  }
}
