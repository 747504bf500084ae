/** Presenter of the main toolbar. */
import { appStore, useApp, type TimeFormat } from '../../store';
import { openFilePicker } from '../loader/use-loader';
import { copyLink } from '../share/use-share';
import { TIME_FORMAT_LABELS } from '../packet-list/columns';

export function useToolbar() {
  const theme = useApp((s) => s.theme);
  const coloring = useApp((s) => s.coloring);
  const timeFormat = useApp((s) => s.timeFormat);
  const view = useApp((s) => s.view);
  const name = useApp((s) => s.origin?.name ?? '');
  const hasCapture = useApp((s) => s.status === 'ready' || s.partial);
  const notice = useApp((s) => s.notice);
  const st = appStore.getState();
  return {
    name,
    hasCapture,
    notice,
    dismissNotice: () => st.notify(null),
    openFile: openFilePicker,
    openSamples: () => st.setDialog('samples'),
    openUrl: () => st.setDialog('url'),
    copyLink: () => void copyLink(),
    theme,
    toggleTheme: () => st.setTheme(theme === 'dark' ? 'light' : 'dark'),
    coloring,
    toggleColoring: () => st.setColoring(!coloring),
    timeFormat,
    timeFormats: Object.entries(TIME_FORMAT_LABELS) as [TimeFormat, string][],
    setTimeFormat: (f: TimeFormat) => st.setTimeFormat(f),
    propertiesOpen: view === 'properties',
    toggleProperties: () => st.setView(view === 'properties' ? 'packets' : 'properties'),
    help: () => st.setDialog('help'),
  };
}
