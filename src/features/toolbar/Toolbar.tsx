/** The main toolbar: open, share, view options. */
import { useEffect } from 'react';
import { useToolbar } from './use-toolbar';
import './toolbar.css';

export function Toolbar() {
  const t = useToolbar();
  useEffect(() => {
    if (!t.notice) return;
    const id = setTimeout(t.dismissNotice, 4000);
    return () => clearTimeout(id);
  }, [t.notice, t.dismissNotice]);
  return (
    <header className="toolbar">
      <div className="tb-group">
        <span className="tb-logo" aria-label="Fathom">
          Fathom
        </span>
        <button type="button" onClick={t.openFile} title="Open a capture file (Ctrl-O)">
          Open…
        </button>
        <button type="button" onClick={t.openSamples}>
          Samples…
        </button>
        <button type="button" onClick={t.openUrl}>
          Open URL…
        </button>
      </div>
      <div className="tb-name" title={t.name}>
        {t.name}
      </div>
      <div className="tb-group">
        <button type="button" onClick={t.copyLink} disabled={!t.hasCapture} title="Copy a link to this capture, filter and frame">
          Copy link
        </button>
        <button type="button" aria-pressed={t.propertiesOpen} onClick={t.toggleProperties} disabled={!t.hasCapture}>
          Properties
        </button>
        <label className="tb-check" title="Wireshark's default coloring rules">
          <input type="checkbox" checked={t.coloring} onChange={t.toggleColoring} /> Colors
        </label>
        <label className="tb-select">
          <span className="visually-hidden">Time format</span>
          <select value={t.timeFormat} onChange={(e) => t.setTimeFormat(e.target.value as typeof t.timeFormat)} aria-label="Time format">
            {t.timeFormats.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="icon-button" onClick={t.toggleTheme} aria-label={t.theme === 'dark' ? 'Light theme' : 'Dark theme'} title="Switch theme">
          {t.theme === 'dark' ? '☀' : '☾'}
        </button>
        <button type="button" className="icon-button" onClick={t.help} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
          ?
        </button>
      </div>
      {t.notice ? (
        <div className="tb-notice" role="status">
          {t.notice}
        </div>
      ) : null}
    </header>
  );
}
