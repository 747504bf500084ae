/**
 * An ARIA tree (role="tree" / "treeitem" with aria-level, aria-expanded, aria-selected): expand and
 * collapse with the mouse or the keyboard (arrows, Home/End, Enter/Space, * to expand everything below).
 * Generic: items have an id, a label and children; labels are rendered as text, never as HTML.
 */
import { useMemo, useRef, useEffect, type KeyboardEvent, type MouseEvent } from 'react';
import './tree-view.css';

export interface TreeItem {
  id: string;
  label: string;
  children?: TreeItem[];
  /** Extra class for styling (e.g. a severity). */
  tone?: string;
  /** Dimmed (e.g. generated items). */
  muted?: boolean;
}

export interface TreeViewProps {
  items: TreeItem[];
  isExpanded: (item: TreeItem) => boolean;
  selected: string | null;
  onSelect: (item: TreeItem) => void;
  onToggle: (item: TreeItem, open: boolean) => void;
  /** Expand or collapse an item and everything below it. */
  onToggleAll?: (item: TreeItem, open: boolean) => void;
  onContextMenu?: (item: TreeItem, x: number, y: number) => void;
  ariaLabel: string;
  idPrefix: string;
}

interface Row {
  item: TreeItem;
  level: number;
  parent: Row | null;
  setSize: number;
  pos: number;
}

/** The items visible with the current expansion, in order. */
export function visibleRows(items: TreeItem[], isExpanded: (i: TreeItem) => boolean): Row[] {
  const out: Row[] = [];
  const walk = (list: TreeItem[], level: number, parent: Row | null) => {
    list.forEach((item, i) => {
      const row: Row = { item, level, parent, setSize: list.length, pos: i + 1 };
      out.push(row);
      if (item.children?.length && isExpanded(item)) walk(item.children, level + 1, row);
    });
  };
  walk(items, 1, null);
  return out;
}

export function TreeView(props: TreeViewProps) {
  const { items, isExpanded, selected, onSelect, onToggle, idPrefix } = props;
  const rows = useMemo(() => visibleRows(items, isExpanded), [items, isExpanded]);
  const at = rows.findIndex((r) => r.item.id === selected);
  const container = useRef<HTMLDivElement>(null);
  const domId = (id: string) => `${idPrefix}-${id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;

  useEffect(() => {
    if (selected === null) return;
    const el = container.current?.querySelector(`#${CSS.escape(domId(selected))}`);
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);

  /** Opens the context menu under an item (keyboard: Menu key, Shift-F10). */
  const menuAt = (item: TreeItem) => {
    const el = container.current?.querySelector(`#${CSS.escape(domId(item.id))}`);
    const r = el?.getBoundingClientRect();
    props.onContextMenu?.(item, r ? r.left + 24 : 0, r ? r.bottom : 0);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!rows.length) return;
    const cur = at >= 0 ? rows[at] : null;
    const go = (i: number) => onSelect(rows[Math.max(0, Math.min(rows.length - 1, i))].item);
    const hasKids = !!cur?.item.children?.length;
    switch (e.key) {
      case 'ArrowDown':
        go(at + 1);
        break;
      case 'ArrowUp':
        go(at < 0 ? 0 : at - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
        if (!cur) go(0);
        else if (hasKids && !isExpanded(cur.item)) onToggle(cur.item, true);
        else if (hasKids) go(at + 1);
        break;
      case 'ArrowLeft':
        if (!cur) break;
        if (hasKids && isExpanded(cur.item)) onToggle(cur.item, false);
        else if (cur.parent) onSelect(cur.parent.item);
        break;
      case 'Enter':
      case ' ':
        if (cur && hasKids) onToggle(cur.item, !isExpanded(cur.item));
        break;
      case '*':
        if (cur && hasKids) props.onToggleAll?.(cur.item, true);
        break;
      case 'ContextMenu':
        if (cur) menuAt(cur.item);
        break;
      case 'F10':
        if (!e.shiftKey) return;
        if (cur) menuAt(cur.item);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const click = (row: Row, e: MouseEvent) => {
    onSelect(row.item);
    if ((e.target as HTMLElement).closest('.tree-twisty') && row.item.children?.length) onToggle(row.item, !isExpanded(row.item));
  };

  return (
    <div
      ref={container}
      className="tree"
      role="tree"
      aria-label={props.ariaLabel}
      tabIndex={0}
      aria-activedescendant={at >= 0 ? domId(rows[at].item.id) : undefined}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => {
        // A context-menu key press lands on the tree itself, not on an item.
        if (e.target !== container.current) return;
        e.preventDefault();
        if (at >= 0) menuAt(rows[at].item);
      }}
    >
      {rows.map((row) => {
        const kids = !!row.item.children?.length;
        const open = kids && isExpanded(row.item);
        const isSel = row.item.id === selected;
        return (
          <div
            key={row.item.id}
            id={domId(row.item.id)}
            role="treeitem"
            aria-level={row.level}
            aria-setsize={row.setSize}
            aria-posinset={row.pos}
            aria-expanded={kids ? open : undefined}
            aria-selected={isSel}
            className={`tree-item${isSel ? ' selected' : ''}${row.item.tone ? ' tone-' + row.item.tone : ''}${row.item.muted ? ' muted' : ''}`}
            style={{ paddingLeft: 4 + (row.level - 1) * 16 }}
            onClick={(e) => click(row, e)}
            onDoubleClick={() => kids && onToggle(row.item, !open)}
            onContextMenu={(e) => {
              e.preventDefault();
              onSelect(row.item);
              props.onContextMenu?.(row.item, e.clientX, e.clientY);
            }}
          >
            <span className="tree-twisty" aria-hidden="true">
              {kids ? (open ? '▾' : '▸') : ''}
            </span>
            <span className="tree-label">{row.item.label}</span>
          </div>
        );
      })}
    </div>
  );
}
