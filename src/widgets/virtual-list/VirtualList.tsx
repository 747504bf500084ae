/**
 * A virtualized ARIA grid: only the rows near the viewport exist in the DOM, so any number of rows scrolls
 * smoothly. It knows nothing of what the rows are: the caller renders each row and the header.
 *
 * Rows have one fixed height, and the virtualizer (@tanstack/react-virtual) tracks *blocks* of BLOCK rows
 * rather than rows, so its bookkeeping (a flat array of offsets, rebuilt when the count changes) stays small
 * for a million frames. The rows of the blocks in view plus one spare block each side are rendered, so
 * scrolling within a block renders nothing new (the rendered rows are memoized on the range) and the caller
 * hears of a new range only when a block boundary is crossed. The virtualizer is fed this list's own offset
 * and viewport size (below) and never reads layout itself.
 *
 * Past MAX_SCROLL_HEIGHT of rows the body is capped (browsers cannot lay out taller elements; see
 * scroll-scale.ts) and the position is kept as an *offset* into the uncapped rows: the scrollbar maps
 * proportionally onto it, while the wheel, the keyboard and scrollToIndex move it by exact pixels, so every
 * row — the last included — can be reached. Rows are then drawn in a layer placed at the viewport; the
 * virtualizer is given that offset (not the scroller's scroll top), so its blocks are the uncapped ones.
 */
import { forwardRef, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { baseRowOf, clampOffset, layerTop, MAX_SCROLL_HEIGHT, offsetOf, scrollScale, scrollTopOf } from './scroll-scale';
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
  /**
   * Renders row `index`; it must be a role="row" element positioned with the given top. `slot` is a key
   * for it: unique among the rows rendered at once, and the same slot is handed on from a row that leaves
   * to one that enters, so keyed by slot a scroll or a jump updates row elements in place instead of
   * removing and creating them.
   */
  renderRow: (index: number, top: number, slot: number) => ReactNode;
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
  /** The tallest scroll body before rows are mapped onto it proportionally (default MAX_SCROLL_HEIGHT). */
  maxScrollHeight?: number;
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

/** Pixels a wheel event asks for, whatever unit it counts in. */
function wheelPixels(e: WheelEvent, rowHeight: number, page: number): number {
  return e.deltaMode === WheelEvent.DOM_DELTA_LINE ? e.deltaY * rowHeight : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? e.deltaY * page : e.deltaY;
}

/** The viewport's size as the ResizeObserver last reported it, or read now if it has not reported yet. */
function measured(v: { client: number; header: number }, el: HTMLElement, head: HTMLElement | null): { client: number; header: number } {
  return v.client > 0 ? v : { client: el.clientHeight, header: head?.offsetHeight ?? 0 };
}

interface Position {
  /** Offset into the uncapped rows (see scroll-scale.ts). */
  offset: number;
  /** The scroller's real scrollTop that goes with it. */
  scrollTop: number;
}

export const VirtualList = forwardRef<VirtualListHandle, VirtualListProps>(function VirtualList(props, ref) {
  const { count, rowHeight, header, renderRow, contentWidth, ariaLabel, onRangeChange } = props;
  const maxHeight = props.maxScrollHeight ?? MAX_SCROLL_HEIGHT;
  const scroller = useRef<HTMLDivElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ client: 0, header: 0 });
  const [pos, setPos] = useState<Position>({ offset: 0, scrollTop: 0 });
  const scale = useMemo(() => scrollScale(count, rowHeight, viewport.client - viewport.header, maxHeight), [count, rowHeight, viewport, maxHeight]);
  // The newest position and scale, for event handlers and the imperative handle.
  const latest = useRef({ pos, scale, viewport });
  latest.current.scale = scale;
  latest.current.viewport = viewport;

  /** The virtualizer's subscriptions to the offset and the viewport size (it reads neither from the DOM). */
  const offsetListener = useRef<((offset: number, isScrolling: boolean) => void) | null>(null);
  const rectListener = useRef<((rect: { width: number; height: number }) => void) | null>(null);

  const update = useCallback((next: Position) => {
    const cur = latest.current.pos;
    if (cur.offset === next.offset && cur.scrollTop === next.scrollTop) return;
    latest.current.pos = next;
    setPos(next);
    offsetListener.current?.(next.offset, false);
  }, []);

  /**
   * Moves the view to an offset: the state keeps the exact offset, the scroller gets the matching scroll top.
   * When the view stays where it is (the usual case when the rows change), the DOM is not touched: reading or
   * writing scrollTop forces a synchronous layout, which would land in the task that commits the change.
   */
  const moveTo = useCallback(
    (offset: number) => {
      const el = scroller.current;
      if (!el) return;
      const s = latest.current.scale;
      const o = clampOffset(s, offset);
      const top = scrollTopOf(s, o);
      const cur = latest.current.pos;
      if (Math.abs(cur.scrollTop - top) < 0.5 && (!s.scaled || cur.offset === o)) return;
      if (Math.abs(el.scrollTop - top) >= 0.5) el.scrollTop = top;
      // Scaled, the browser may round the scroll top; the offset stays exact. Unscaled, both are the scroll top.
      update(s.scaled ? { offset: o, scrollTop: el.scrollTop } : { offset: el.scrollTop, scrollTop: el.scrollTop });
    },
    [update],
  );

  // The viewport's size, now and whenever it changes.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => {
      const next = { client: el.clientHeight, header: head.current?.offsetHeight ?? 0 };
      setViewport((v) => (v.client === next.client && v.header === next.header ? v : next));
    };
    measure();
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    ro?.observe(el);
    if (head.current) ro?.observe(head.current);
    return () => ro?.disconnect();
  }, []);

  // The rows, the viewport or the cap changed: keep showing the same offset (clamped) under the new scale.
  useLayoutEffect(() => {
    moveTo(latest.current.pos.offset);
  }, [scale, moveTo]);

  // Scrolling by the scrollbar, touch or the browser's own keys. A scroll top this list set itself (or an
  // unchanged one, when scrolling sideways) keeps the exact offset; any other maps proportionally.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      const s = latest.current.scale;
      const top = el.scrollTop;
      if (s.scaled && Math.abs(top - latest.current.pos.scrollTop) < 1) return;
      update({ offset: offsetOf(s, top), scrollTop: top });
    };
    // Scaled, a wheel step would move (total / cap) times too far: move the offset by the wheel's pixels.
    const onWheel = (e: WheelEvent) => {
      const s = latest.current.scale;
      if (!s.scaled || e.ctrlKey || e.shiftKey || e.deltaY === 0 || Math.abs(e.deltaX) > Math.abs(e.deltaY)) return;
      e.preventDefault();
      moveTo(latest.current.pos.offset + wheelPixels(e, rowHeight, s.visible));
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      el.removeEventListener('scroll', onScroll);
      el.removeEventListener('wheel', onWheel);
    };
  }, [moveTo, update, rowHeight]);

  useImperativeHandle(
    ref,
    () => ({
      scrollToIndex: (index, align = 'auto') => {
        const el = scroller.current;
        if (!el || index < 0 || index >= count) return;
        // The viewport as last measured (ResizeObserver): reading it here would force a layout mid-commit.
        const vp = measured(latest.current.viewport, el, head.current);
        const to = scrollTarget(index, rowHeight, vp.header, latest.current.pos.offset, vp.client, align);
        if (to !== null) moveTo(to);
      },
      pageSize: () => {
        const el = scroller.current;
        const vp = el ? measured(latest.current.viewport, el, head.current) : { client: rowHeight * 10, header: 0 };
        return Math.max(1, Math.floor((vp.client - vp.header) / rowHeight) - 1);
      },
      focus: () => scroller.current?.focus(),
    }),
    [count, rowHeight, moveTo],
  );

  const v = useVirtualizer({
    count: Math.ceil(count / BLOCK),
    getScrollElement: () => scroller.current,
    estimateSize: (b) => Math.min(BLOCK, count - b * BLOCK) * rowHeight,
    overscan: 1,
    initialOffset: () => latest.current.pos.offset,
    initialRect: { width: 0, height: viewport.client },
    observeElementOffset: (_instance, cb) => {
      offsetListener.current = cb;
      cb(latest.current.pos.offset, false);
      return () => {
        offsetListener.current = null;
      };
    },
    observeElementRect: (_instance, cb) => {
      rectListener.current = cb;
      cb({ width: 0, height: latest.current.viewport.client });
      return () => {
        rectListener.current = null;
      };
    },
    scrollToFn: (offset) => moveTo(offset),
  });
  useLayoutEffect(() => {
    rectListener.current?.({ width: 0, height: viewport.client });
  }, [viewport.client]);
  const items = v.getVirtualItems();
  const first = items.length ? items[0].index * BLOCK : 0;
  const last = items.length ? Math.min(count, (items[items.length - 1].index + 1) * BLOCK) - 1 : -1;
  useEffect(() => {
    onRangeChange?.(first, last);
  }, [first, last, onRangeChange]);

  const base = baseRowOf(scale, first);
  // Scrolling within the rendered blocks changes only the layer's place: the same row elements are reused,
  // so React skips them without calling the caller's renderRow again.
  // As many slots as the most rows ever rendered at once for this viewport (the blocks in view span at most
  // ceil(viewport / block) + 1, plus a spare block each side), so any rendered range fills every slot: a jump
  // reuses all rows.
  const slots = (Math.ceil(Math.max(0, viewport.client) / (BLOCK * rowHeight)) + 3) * BLOCK;
  const rows = useMemo(() => {
    const out: ReactNode[] = [];
    for (let i = first; i <= last; i++) out.push(renderRow(i, (i - base) * rowHeight, i % slots));
    return out;
  }, [first, last, base, rowHeight, renderRow, slots]);
  const layer = scale.scaled ? layerTop(pos.scrollTop, pos.offset, base, rowHeight) : 0;

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
      <div className="vlist-body" role="rowgroup" style={{ height: scale.height, width: contentWidth }}>
        <div className="vlist-layer" role="presentation" style={layer ? { transform: `translateY(${layer}px)` } : undefined}>
          {rows}
        </div>
      </div>
      {count === 0 && props.empty ? <div className="vlist-empty">{props.empty}</div> : null}
    </div>
  );
});
