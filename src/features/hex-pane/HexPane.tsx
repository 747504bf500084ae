/** The bytes pane: offset, hex and ASCII of the selected frame, with tabs for other data sources. */
import { HexGrid } from '../../widgets/hex-grid/HexGrid';
import type { FrameDetailState } from '../detail-tree/use-frame-detail';
import { useHexPane } from './use-hex-pane';
import './hex-pane.css';

export function HexPane({ state }: { state: FrameDetailState }) {
  const h = useHexPane(state.detail);
  return (
    <section className="hex-pane" aria-label="Packet bytes">
      {h.bytes ? (
        <>
          <HexGrid bytes={h.bytes} highlight={h.highlight} onByteClick={h.onByteClick} ariaLabel={`Bytes of frame ${h.frame}`} />
          {h.tabs.length > 1 ? (
            <div className="hex-tabs" role="tablist" aria-label="Data sources">
              {h.tabs.map((t) => (
                <button key={t.index} type="button" role="tab" aria-selected={t.index === h.active} onClick={() => h.setTab(t.index)}>
                  {t.name}
                </button>
              ))}
            </div>
          ) : null}
        </>
      ) : (
        <p className="pane-message">{state.loading ? '' : 'The selected frame’s bytes show here.'}</p>
      )}
    </section>
  );
}
