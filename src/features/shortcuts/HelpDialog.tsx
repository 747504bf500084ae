/** The keyboard-shortcut help dialog. */
import { Dialog } from '../../widgets/dialog/Dialog';
import { SHORTCUTS } from './shortcuts';
import { useHelpDialog } from './use-shortcuts';
import './shortcuts.css';

export function HelpDialog() {
  const h = useHelpDialog();
  return (
    <Dialog open={h.open} title="Keyboard shortcuts" onClose={h.close} className="help-dialog">
      {SHORTCUTS.map((g) => (
        <section key={g.group}>
          <h3>{g.group}</h3>
          <table className="shortcut-table">
            <tbody>
              {g.items.map((s) => (
                <tr key={s.keys}>
                  <th scope="row">
                    <kbd>{s.keys}</kbd>
                  </th>
                  <td>{s.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </Dialog>
  );
}
