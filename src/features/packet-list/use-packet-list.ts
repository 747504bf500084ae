/**
 * Presenter of the packet list: which frame each display index shows, the rows fetched for the visible
 * window (one request in flight, the newest window wins), cell texts, colours, keyboard navigation, sorting
 * and column widths.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { appStore, useApp, COLORING_RULES, SEVERITY_NAMES, type RowData, type SortColumn, type TimeFormat } from '../../store';
import type { VirtualListHandle } from '../../widgets/virtual-list/VirtualList';
import { COLUMNS, nextIndex, timeCell, type ColumnDef } from './columns';
import { RowCache } from './row-cache';

export const ROW_HEIGHT = 20;

export interface CellView {
  key: ColumnDef['key'];
  text: string;
  title?: string;
  tone?: string;
}

export interface RowView {
  index: number;
  frame: number;
  loaded: boolean;
  selected: boolean;
  cells: CellView[];
  colors: { fg: string; bg: string } | null;
}

export interface ColumnView extends ColumnDef {
  widthPx: number;
  sort: 'ascending' | 'descending' | 'none';
}

const SEVERITY_LABELS: Record<string, string> = { comment: 'Comment', chat: 'Chat', note: 'Note', warn: 'Warning', error: 'Error' };

/** The cells of one row (pure: testable without a DOM). */
export function cellsOf(row: RowData | undefined, frame: number, time: string): CellView[] {
  if (!row) return COLUMNS.map((c) => ({ key: c.key, text: c.key === 'number' ? String(frame) : c.key === 'info' ? '…' : '' }));
  return COLUMNS.map((c): CellView => {
    switch (c.key) {
      case 'marker': {
        const sev = SEVERITY_NAMES[row.severity] || '';
        const parts = [sev ? `Expert: ${SEVERITY_LABELS[sev]}` : '', row.comment ? 'Has a comment' : ''].filter(Boolean);
        return { key: c.key, text: row.comment ? '✎' : sev ? '●' : '', title: parts.join('; ') || undefined, tone: sev || (row.comment ? 'comment' : undefined) };
      }
      case 'time':
        return { key: c.key, text: time };
      case 'number':
        return { key: c.key, text: String(row.number) };
      case 'length':
        return { key: c.key, text: String(row.length) };
      default:
        return { key: c.key, text: row[c.key] };
    }
  });
}

/** Settings shared by every row (one object, so rows re-render only when one of them changes). */
export interface RowDisplay {
  timeFormat: TimeFormat;
  firstTime: { secs: number; nsecs: number };
  coloring: boolean;
  columns: ColumnView[];
  contentWidth: number;
  rowHeight: number;
}

/** The view of one row (pure). */
export function rowViewOf(index: number, frame: number, row: RowData | undefined, prev: RowData | null | undefined, selected: boolean, d: RowDisplay): RowView {
  const time = row ? timeCell(row, d.timeFormat, d.firstTime, d.timeFormat === 'delta-displayed' && index === 0 ? null : prev) : '';
  const rule = d.coloring && row && row.color >= 0 ? COLORING_RULES[row.color] : null;
  return { index, frame, loaded: !!row, selected, cells: cellsOf(row, frame, time), colors: rule ? { fg: rule.fg, bg: rule.bg } : null };
}

export function usePacketList() {
  const displayed = useApp((s) => s.displayed);
  const frameCount = useApp((s) => s.frameCount);
  const generation = useApp((s) => s.generation);
  const coloring = useApp((s) => s.coloring);
  const timeFormat = useApp((s) => s.timeFormat);
  const firstTime = useApp((s) => s.firstTime);
  const selectedFrame = useApp((s) => s.selectedFrame);
  const sort = useApp((s) => s.sort);
  const widths = useApp((s) => s.columnWidths);
  const status = useApp((s) => s.status);
  const partial = useApp((s) => s.partial);
  const count = displayed ? displayed.length : frameCount;

  const origin = useApp((s) => s.origin);
  const listRef = useRef<VirtualListHandle>(null);
  const cache = useRef(new RowCache());
  /** Rows of the same capture from before the last start-over, shown until their replacements arrive. */
  const stale = useRef<{ rows: RowCache } | null>(null);
  const [, setVersion] = useState(0);
  const epoch = useRef(0);
  const wanted = useRef<[number, number] | null>(null);
  const busy = useRef(false);
  const [dragWidths, setDragWidths] = useState<Record<string, number>>({});

  const frameAt = useCallback((i: number) => (displayed ? displayed[i] : i + 1), [displayed]);

  const fetchWanted = useCallback(async () => {
    if (busy.current || !wanted.current) return;
    const [first, last] = wanted.current;
    const frames: number[] = [];
    for (let i = Math.max(0, first - 1); i <= last && i < count; i++) frames.push(frameAt(i));
    const missing = cache.current.missing(frames);
    if (!missing.length) return;
    busy.current = true;
    const at = epoch.current;
    try {
      const rows = await appStore.getState().requestRows(Uint32Array.from(missing));
      if (at === epoch.current) {
        if (cache.current.size === 0 && rows.length && typeof performance !== 'undefined') performance.mark('fathom:rows');
        for (const r of rows) cache.current.put(r);
        stale.current = null;
        setVersion((v) => v + 1);
      }
    } catch {
      // The capture changed under the request; the next window asks again.
    } finally {
      busy.current = false;
    }
    // The window may have moved while this request ran: fetch the newest one.
    if (at === epoch.current && wanted.current && (wanted.current[0] !== first || wanted.current[1] !== last)) void fetchWanted();
  }, [count, frameAt]);

  const latestOrigin = useRef(origin);
  const fetchLatest = useRef(fetchWanted);
  fetchLatest.current = fetchWanted;

  // Rows of another capture, or of the full capture after the preview, or with other colours: start over.
  // For the same capture the rows on screen stay until their replacements arrive (one re-render of the
  // rows instead of two, and no flash of placeholders when the full open takes over from the preview).
  useEffect(() => {
    epoch.current++;
    const same = origin !== null && latestOrigin.current === origin;
    latestOrigin.current = origin;
    if (!same) stale.current = null;
    else if (cache.current.size > 0) stale.current = { rows: cache.current };
    cache.current = new RowCache();
    busy.current = false;
    setVersion((v) => v + 1);
    void fetchLatest.current();
  }, [generation, coloring, origin]);

  // A new filter or order shows other frames: fetch the ones not cached yet (cached rows stay valid).
  useEffect(() => {
    void fetchWanted();
  }, [fetchWanted]);

  const onRangeChange = useCallback(
    (first: number, last: number) => {
      wanted.current = [first, last];
      void fetchWanted();
    },
    [fetchWanted],
  );

  const activeIndex = useMemo(() => (selectedFrame === null ? -1 : appStore.getState().indexOfFrame(selectedFrame)), [selectedFrame, displayed, frameCount]);

  // Keep the selected row in view when the selection or the order changes.
  useEffect(() => {
    if (activeIndex >= 0) listRef.current?.scrollToIndex(activeIndex, 'auto');
  }, [activeIndex]);

  const select = useCallback(
    (index: number) => {
      if (index < 0 || index >= count) return;
      appStore.getState().selectFrame(frameAt(index));
      listRef.current?.scrollToIndex(index, 'auto');
    },
    [count, frameAt],
  );

  const onKeyDown = useCallback(
    (e: KeyboardEvent) => {
      const page = listRef.current?.pageSize() ?? 10;
      const next = nextIndex(e.key, activeIndex, count, page, e.ctrlKey || e.metaKey);
      if (next === null) return;
      e.preventDefault();
      select(next);
    },
    [activeIndex, count, select],
  );

  /** What a row needs; cached rows keep their identity, so unchanged rows skip rendering. */
  const rowOf = (frame: number) => cache.current.get(frame) ?? stale.current?.rows.get(frame);
  const rowProps = (index: number) => {
    const frame = frameAt(index);
    const row = rowOf(frame);
    const prev = timeFormat === 'delta-displayed' ? (index === 0 ? null : rowOf(frameAt(index - 1))) : null;
    return { index, frame, row, prev, selected: frame === selectedFrame };
  };

  const columns: ColumnView[] = useMemo(
    () =>
      COLUMNS.map((c) => ({
        ...c,
        widthPx: dragWidths[c.key] ?? widths[c.key] ?? c.width,
        sort: sort && sort.column === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none',
      })),
    [dragWidths, widths, sort],
  );
  const contentWidth = columns.reduce((n, c) => n + c.widthPx, 0);
  const display: RowDisplay = useMemo(() => ({ timeFormat, firstTime, coloring, columns, contentWidth, rowHeight: ROW_HEIGHT }), [timeFormat, firstTime, coloring, columns, contentWidth]);

  const onSort = (key: ColumnDef['key']) => {
    if (key !== 'marker') void appStore.getState().setSort(key as SortColumn);
  };
  const onResize = (key: string, width: number, done: boolean) => {
    const w = Math.max(24, Math.round(width));
    if (done) {
      appStore.getState().setColumnWidth(key, w);
      setDragWidths((d) => {
        const { [key]: _, ...rest } = d;
        return rest;
      });
    } else setDragWidths((d) => ({ ...d, [key]: w }));
  };

  const empty =
    status === 'ready' && frameCount === 0
      ? 'This capture holds no frames.'
      : status === 'ready' && count === 0
        ? 'No frame matches the filter.'
        : status === 'loading' && !partial
          ? 'Reading the capture…'
          : null;

  return { listRef, count, rowHeight: ROW_HEIGHT, columns, contentWidth, display, rowProps, onRangeChange, onKeyDown, select, onSort, onResize, activeIndex, empty };
}

/** Presenter of the "Go to frame" dialog (Ctrl-G). */
export function useGoToFrame() {
  const open = useApp((s) => s.dialog === 'goto');
  const frameCount = useApp((s) => s.frameCount);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    appStore.getState().setDialog(null);
    setError(null);
  };
  const go = () => {
    const n = Number(text.trim());
    const st = appStore.getState();
    if (!Number.isInteger(n) || n < 1 || n > frameCount) {
      setError(`Enter a frame number from 1 to ${frameCount}.`);
      return;
    }
    if (st.indexOfFrame(n) < 0) {
      setError(`Frame ${n} is not displayed with the current filter.`);
      return;
    }
    st.selectFrame(n);
    close();
  };
  return { open, text, setText, error, go, close, frameCount };
}
