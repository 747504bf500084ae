/** Loading UI: the drop overlay, the hidden file input, the URL and sample dialogs, and the load/error panel. */
import { Dialog } from '../../widgets/dialog/Dialog';
import { ProgressBar } from '../../widgets/progress-bar/ProgressBar';
import { progressFraction, progressText } from '../status-bar/use-status-bar';
import { FILE_INPUT_ID, onFileChosen, openFilePicker, useDropTarget, useLoadPanel, useOpenUrl, useSamples } from './use-loader';
import './loader.css';

export function LoaderChrome() {
  const dragging = useDropTarget();
  return (
    <>
      <input
        id={FILE_INPUT_ID}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        accept=".pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz,.dmp"
        onChange={(e) => {
          onFileChosen(e.target.files);
          e.target.value = '';
        }}
      />
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-box">Drop a capture file to open it</div>
        </div>
      ) : null}
      <SamplesDialog />
      <OpenUrlDialog />
    </>
  );
}

export function LoadPanel() {
  const p = useLoadPanel();
  if (!p.visible) return null;
  return (
    <div className="load-panel" role={p.status === 'error' ? 'alert' : undefined}>
      {p.status === 'error' && p.error ? (
        <div className="load-card error" data-testid="load-error">
          <h2>{p.error.title}</h2>
          <p className="load-detail">{p.error.detail}</p>
          <Actions openSamples={p.openSamples} openUrl={p.openUrlDialog} />
        </div>
      ) : p.status === 'idle' ? (
        <div className="load-card">
          <h2>Open a capture</h2>
          <p>Drop a pcap or pcapng file anywhere on this page, or:</p>
          <Actions openSamples={p.openSamples} openUrl={p.openUrlDialog} />
          <p className="load-note">Files are read in your browser; nothing is uploaded.</p>
        </div>
      ) : (
        <div className="load-card" aria-busy="true">
          <h2>Opening {p.name}</h2>
          <ProgressBar value={p.progress ? progressFraction(p.progress) : null} label="Loading" />
          <p className="load-detail">{p.progress ? progressText(p.progress) : 'Starting…'}</p>
          <button type="button" onClick={p.cancel}>
            Cancel
          </button>
        </div>
      )}
    </div>
  );
}

function Actions({ openSamples, openUrl }: { openSamples: () => void; openUrl: () => void }) {
  return (
    <div className="load-actions">
      <button type="button" className="primary" onClick={openFilePicker}>
        Open file…
      </button>
      <button type="button" onClick={openSamples}>
        Open a sample…
      </button>
      <button type="button" onClick={openUrl}>
        Open URL…
      </button>
    </div>
  );
}

function SamplesDialog() {
  const s = useSamples();
  return (
    <Dialog open={s.open} title="Sample captures" onClose={s.close}>
      {s.error ? <p className="form-error">{s.error}</p> : null}
      {!s.samples && !s.error ? <p>Loading the list…</p> : null}
      {s.samples && s.samples.length === 0 ? <p>No sample captures are bundled with this build.</p> : null}
      {s.samples && s.samples.length > 0 ? (
        <ul className="sample-list">
          {s.samples.map((x) => (
            <li key={x.file}>
              <button type="button" className="sample" onClick={() => s.choose(x)}>
                <span className="sample-title">{x.title}</span>
                {x.scenario ? <span className="sample-scenario">{x.scenario}</span> : null}
                <span className="sample-desc">{x.description}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </Dialog>
  );
}

function OpenUrlDialog() {
  const u = useOpenUrl();
  return (
    <Dialog
      open={u.open}
      title="Open a capture by URL"
      onClose={u.close}
      footer={
        <>
          <button type="button" onClick={u.close}>
            Cancel
          </button>
          <button type="submit" form="url-form" className="primary">
            Open
          </button>
        </>
      }
    >
      <form
        id="url-form"
        onSubmit={(e) => {
          e.preventDefault();
          u.submit();
        }}
      >
        <label className="field">
          <span>Capture URL (http or https, or a path relative to this page)</span>
          <input autoFocus type="url" value={u.text} onChange={(e) => u.setText(e.target.value)} placeholder="https://example.org/lab1.pcapng" />
        </label>
        <p className="load-note">The server must allow cross-origin reads (CORS) unless the capture sits on the same site as this app.</p>
      </form>
    </Dialog>
  );
}
