/**
 * Pure helpers over a frame's detail tree: paths (item ids), the deepest item covering a byte, the
 * status-bar description of an item, and how "Apply as filter" combines with the current filter.
 */
import type { DetailNode, FrameDetail, SelectedItem } from '../../store';
import type { TreeItem } from '../../widgets/tree-view/TreeView';

/** The item at a path like "2.0.3" (child indexes from the top level). */
export function nodeAt(tree: readonly DetailNode[], path: string): DetailNode | null {
  let list: readonly DetailNode[] | undefined = tree;
  let node: DetailNode | null = null;
  for (const part of path.split('.')) {
    node = list?.[Number(part)] ?? null;
    if (!node) return null;
    list = node.children;
  }
  return node;
}

/** The items on the way to a path, outermost first (the path's own item last). */
export function nodesOnPath(tree: readonly DetailNode[], path: string): DetailNode[] {
  const out: DetailNode[] = [];
  let list: readonly DetailNode[] | undefined = tree;
  for (const part of path.split('.')) {
    const node: DetailNode | undefined = list?.[Number(part)];
    if (!node) break;
    out.push(node);
    list = node.children;
  }
  return out;
}

/** Tree-view items (hidden items are not shown, as in Wireshark). */
export function toTreeItems(nodes: readonly DetailNode[], prefix = ''): TreeItem[] {
  const out: TreeItem[] = [];
  nodes.forEach((n, i) => {
    if (n.hidden) return;
    const id = prefix ? `${prefix}.${i}` : String(i);
    out.push({ id, label: n.label, tone: n.severity, children: n.children ? toTreeItems(n.children, id) : undefined });
  });
  return out;
}

/**
 * The path of the deepest visible item whose bytes cover `offset` in data source `source` — what a click on
 * a byte selects. Among siblings the last covering one wins (later items are more specific, e.g. a
 * bitfield after its containing integer); items of zero length never match.
 */
export function deepestAt(nodes: readonly DetailNode[], source: number, offset: number, prefix = ''): string | null {
  let best: string | null = null;
  nodes.forEach((n, i) => {
    if (n.hidden) return;
    const id = prefix ? `${prefix}.${i}` : String(i);
    const covers = n.source === source && n.length > 0 && offset >= n.offset && offset < n.offset + n.length;
    if (n.children) {
      const inner = deepestAt(n.children, source, offset, id);
      if (inner) {
        best = inner;
        return;
      }
    }
    if (covers) best = id;
  });
  return best;
}

/** What the status bar and hex pane need of the selected item. */
export function describe(detail: FrameDetail, path: string): SelectedItem | null {
  const n = nodeAt(detail.tree, path);
  if (!n) return null;
  const meta = detail.fields[n.field];
  return {
    path,
    field: n.field,
    name: meta?.name ?? n.field,
    type: meta?.type ?? '',
    label: n.label,
    value: n.value,
    offset: n.offset,
    length: n.length,
    source: n.source,
    filter: n.filter,
  };
}

export type FilterOp = 'selected' | 'not' | 'and' | 'or' | 'and-not' | 'or-not';

export const FILTER_OPS: readonly { op: FilterOp; label: string }[] = [
  { op: 'selected', label: 'Selected' },
  { op: 'not', label: 'Not Selected' },
  { op: 'and', label: '…and Selected' },
  { op: 'or', label: '…or Selected' },
  { op: 'and-not', label: '…and not Selected' },
  { op: 'or-not', label: '…or not Selected' },
];

/** Combines the current filter with a selected item's filter as Wireshark's Apply/Prepare-as-filter do. */
export function combineFilter(current: string, expr: string, op: FilterOp): string {
  const cur = current.trim();
  const not = `!(${expr})`;
  switch (op) {
    case 'selected':
      return expr;
    case 'not':
      return not;
    case 'and':
      return cur ? `(${cur}) && (${expr})` : expr;
    case 'or':
      return cur ? `(${cur}) || (${expr})` : expr;
    case 'and-not':
      return cur ? `(${cur}) && !(${expr})` : not;
    case 'or-not':
      return cur ? `(${cur}) || !(${expr})` : not;
  }
}

/** Every item id below (and including) an item, for "expand subtrees". */
export function fieldsBelow(node: DetailNode): string[] {
  const out: string[] = [node.field];
  for (const c of node.children ?? []) if (c.children) out.push(...fieldsBelow(c));
  return out;
}
