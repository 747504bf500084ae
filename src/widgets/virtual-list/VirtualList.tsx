/**
 * A virtualized ARIA grid: only the rows near the viewport exist in the DOM, so any number of rows scrolls
 * smoothly. It knows nothing of what the rows are: the caller renders each row and the header.
 *
 * Rows have one fixed height, and the virtualizer (@tanstack/react-virtual) tracks *blocks* of BLOCK rows
 * rather than rows: its bookkeeping is one object per item, and one per row would cost a million objects
 * (and a long main-thread task) for a million frames. The rows of the blocks in view are rendered.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import './virtual-list.css';

export const BLOCK = 16;

export interface VirtualListHandle {
  scrollToIndex(index: number, align?: 'auto' | 'center' | 'start' | 'end'): void;
  /** Rows that fit in the viewport (for Page Up/Down). */
  pageSize(): number;
  focus(): void;
}

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  /** The header row(s), rendered sticky above the rows. */
  header: ReactNode;
  /** Renders row `index`; it must be a role="row" element positioned with the given top. */
  renderRow: (index: number, top: number) => ReactNode;
  /** Width of the content (columns), for horizontal scrolling. */
  contentWidth: number;
  ariaLabel: string;
  ariaRowCount?: number;
  activeDescendant?: string;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
  /** Called with the rendered index range whenever it changes. */
  onRangeChange?: (first: number, last: number) => void;
  className?: string;
  empty?: ReactNode;
}

/** Where to scroll so row `index` shows with the given alignment (null: it already shows). */
export function scrollTarget(index: number, rowHeight: number, header: number, scrollTop: number, viewport: number, align: 'auto' | 'center' | 'start' | 'end'): number | null {
  const top = index * rowHeight;
  const visible = viewport - header;
  if (align === 'start') return top;
  if (align === 'end') return top + rowHeight - visible;
  if (align === 'center') return top - (visible - rowHeight) / 2;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + visible) return top + rowHeight - visible;
  return null;
}

export const VirtualList = forwardRef<VirtualListHandle, VirtualListProps>(function VirtualList(props, ref) {
  const { count, rowHeight, header, renderRow, contentWidth, ariaLabel, onRangeChange } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const blocks = Math.ceil(count / BLOCK);
  const v = useVirtualizer({
    count: blocks,
    getScrollElement: () => scroller.current,
    estimateSize: (b) => Math.min(BLOCK, count - b * BLOCK) * rowHeight,
    overscan: 1,
  });
  useImperativeHandle(
    ref,
    () => ({
      scrollToIndex: (index, align = 'auto') => {
        const el = scroller.current;
        if (!el || index < 0 || index >= count) return;
        const to = scrollTarget(index, rowHeight, head.current?.offsetHeight ?? 0, el.scrollTop, el.clientHeight, align);
        if (to !== null) el.scrollTop = Math.max(0, to);
      },
      pageSize: () => Math.max(1, Math.floor(((scroller.current?.clientHeight ?? rowHeight * 10) - (head.current?.offsetHeight ?? 0)) / rowHeight) - 1),
      focus: () => scroller.current?.focus(),
    }),
    [count, rowHeight],
  );
  const items = v.getVirtualItems();
  const first = items.length ? items[0].index * BLOCK : 0;
  const last = items.length ? Math.min(count, (items[items.length - 1].index + 1) * BLOCK) - 1 : -1;
  useEffect(() => {
    onRangeChange?.(first, last);
  }, [first, last, onRangeChange]);

  const rows: ReactNode[] = [];
  for (let i = first; i <= last; i++) rows.push(renderRow(i, i * rowHeight));

  return (
    <div
      ref={scroller}
      className={`vlist ${props.className ?? ''}`}
      role="grid"
      aria-label={ariaLabel}
      aria-rowcount={props.ariaRowCount ?? count + 1}
      aria-activedescendant={props.activeDescendant}
      aria-multiselectable={false}
      tabIndex={0}
      onKeyDown={props.onKeyDown}
    >
      <div ref={head} className="vlist-header" role="rowgroup" style={{ width: contentWidth }}>
        {header}
      </div>
      <div className="vlist-body" role="rowgroup" style={{ height: count * rowHeight, width: contentWidth }}>
        {rows}
      </div>
      {count === 0 && props.empty ? <div className="vlist-empty">{props.empty}</div> : null}
    </div>
  );
});
