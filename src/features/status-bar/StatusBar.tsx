/** The status bar. */
import { ProgressBar } from '../../widgets/progress-bar/ProgressBar';
import { useStatusBar } from './use-status-bar';
import './status-bar.css';

export function StatusBar() {
  const s = useStatusBar();
  return (
    <footer className="status-bar" aria-label="Status">
      <div className="sb-left">
        {s.loading ? (
          <>
            <ProgressBar value={s.fraction} label="Loading" />
            <span className="sb-progress">{s.progressText}</span>
            <button type="button" className="link-button" onClick={s.cancel}>
              Stop
            </button>
          </>
        ) : s.itemText ? (
          <span className="sb-item" title={s.itemText}>
            {s.itemText}
          </span>
        ) : (
          <span className="sb-name">{s.name}</span>
        )}
        {s.warnings > 0 ? (
          <button type="button" className="sb-warn link-button" onClick={s.showWarnings}>
            ⚠ {s.warnings} warning{s.warnings === 1 ? '' : 's'}
          </button>
        ) : null}
      </div>
      <div className="sb-right" aria-live="polite" data-testid="counts">
        {s.filtering ? 'Filtering… · ' : ''}
        {s.counts}
      </div>
    </footer>
  );
}
