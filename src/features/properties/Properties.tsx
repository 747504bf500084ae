/** The capture properties view. */
import { useProperties } from './use-properties';
import './properties.css';

export function Properties() {
  const p = useProperties();
  return (
    <section className="properties" aria-labelledby="props-title">
      <header className="props-head">
        <h2 id="props-title">Capture properties</h2>
        <button type="button" onClick={p.close}>
          Back to packets
        </button>
      </header>
      <table className="props-table">
        <tbody>
          {p.rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Warnings</h3>
      {p.warnings.length === 0 ? (
        <p className="muted">The file was read without problems.</p>
      ) : (
        <ul className="props-warnings" data-testid="capture-warnings">
          {p.warnings.map((w, i) => (
            <li key={i}>
              {w.message}
              <span className="muted">
                {' '}
                (byte {w.offset.toLocaleString('en-US')}
                {w.frame ? `, frame ${w.frame}` : ''})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
