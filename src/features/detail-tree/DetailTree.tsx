/** The detail pane: the selected frame's layers and fields as an ARIA tree, with a context menu. */
import { TreeView } from '../../widgets/tree-view/TreeView';
import { ContextMenu } from '../../widgets/context-menu/ContextMenu';
import type { FrameDetailState } from './use-frame-detail';
import { useDetailTree } from './use-detail-tree';
import './detail-tree.css';

export function DetailTree({ state }: { state: FrameDetailState }) {
  const t = useDetailTree(state.detail);
  return (
    <section className="detail-tree" aria-label="Packet details" aria-busy={state.loading}>
      {state.error ? (
        <p className="pane-message error">{state.error}</p>
      ) : !state.detail ? (
        <p className="pane-message">{state.loading ? 'Dissecting…' : 'Select a frame to see its layers and fields.'}</p>
      ) : (
        <TreeView
          items={t.items}
          isExpanded={t.isExpanded}
          selected={t.selected}
          onSelect={t.onSelect}
          onToggle={t.onToggle}
          onToggleAll={t.onToggleAll}
          onContextMenu={t.onContextMenu}
          ariaLabel={`Frame ${state.detail.frame} details`}
          idPrefix="dt"
        />
      )}
      {t.menu ? <ContextMenu x={t.menu.x} y={t.menu.y} items={t.menuItems()} onClose={t.closeMenu} label="Field actions" /> : null}
    </section>
  );
}
