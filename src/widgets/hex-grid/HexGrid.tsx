/**
 * Offset, hex and ASCII columns of a byte buffer, 16 bytes a line, virtualized for large buffers. Bytes are
 * rendered as text only. A highlighted range is shown in both columns; clicking a byte reports its offset.
 *
 * Lines have one fixed height, so the lines in view are arithmetic on the scroll position, kept from scroll
 * events and a ResizeObserver: rendering never reads the layout (a read in the middle of a commit forces a
 * synchronous layout into the same main-thread task).
 */
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import './hex-grid.css';

export interface HexGridProps {
  bytes: Uint8Array;
  /** Bytes [start, end) to highlight. */
  highlight?: { start: number; end: number } | null;
  /** A wider, fainter range (e.g. the selected item's protocol layer). */
  context?: { start: number; end: number } | null;
  onByteClick?: (offset: number) => void;
  ariaLabel: string;
}

const PER_LINE = 16;
const LINE_HEIGHT = 18;
/** Lines rendered beyond each edge of the view. */
const OVERSCAN = 2;
const ASSUMED_HEIGHT = 720;

/** The lines rendered for a scroll position and view height: those in view plus OVERSCAN each side. */
export function linesInView(lines: number, scrollTop: number, height: number): { first: number; last: number } {
  if (lines <= 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(Math.max(0, scrollTop) / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(lines - 1, Math.max(first, Math.ceil((Math.max(0, scrollTop) + Math.max(0, height)) / LINE_HEIGHT) - 1 + OVERSCAN));
  return { first, last };
}

/** Printable ASCII as itself, everything else as a dot (as Wireshark shows it). */
export function asciiOf(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

export function hexLine(bytes: Uint8Array, line: number): { offset: string; hex: string[]; ascii: string[] } {
  const start = line * PER_LINE;
  const end = Math.min(bytes.length, start + PER_LINE);
  const hex: string[] = [];
  const ascii: string[] = [];
  for (let i = start; i < end; i++) {
    hex.push(bytes[i].toString(16).padStart(2, '0'));
    ascii.push(asciiOf(bytes[i]));
  }
  const digits = bytes.length > 0xffff ? 8 : 4;
  return { offset: start.toString(16).padStart(digits, '0'), hex, ascii };
}

export function HexGrid({ bytes, highlight, context, onByteClick, ariaLabel }: HexGridProps) {
  const lines = Math.ceil(bytes.length / PER_LINE);
  const scroller = useRef<HTMLDivElement>(null);
  // Until the ResizeObserver first reports (after the first layout), assume a tall pane: a few spare lines
  // cost less than reading the layout while mounting.
  const [view, setView] = useState({ top: 0, height: ASSUMED_HEIGHT });
  const latest = useRef(view);
  latest.current = view;
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const read = () => {
      const next = { top: el.scrollTop, height: el.clientHeight };
      setView((v) => (v.top === next.top && v.height === next.height ? v : next));
    };
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(read);
    ro?.observe(el);
    el.addEventListener('scroll', read, { passive: true });
    return () => {
      ro?.disconnect();
      el.removeEventListener('scroll', read);
    };
  }, []);
  const hlLine = highlight && highlight.end > highlight.start ? Math.floor(highlight.start / PER_LINE) : -1;
  // Bring the highlighted line into view (nearest edge), only when it is out of view.
  useEffect(() => {
    const el = scroller.current;
    if (hlLine < 0 || !el) return;
    const { top, height } = latest.current;
    const lineTop = hlLine * LINE_HEIGHT;
    if (lineTop < top) el.scrollTop = lineTop;
    else if (height > 0 && lineTop + LINE_HEIGHT > top + height) el.scrollTop = lineTop + LINE_HEIGHT - height;
  }, [hlLine, bytes, view.height]);

  const click = (e: MouseEvent) => {
    const el = (e.target as HTMLElement).closest('[data-off]');
    if (el && onByteClick) onByteClick(Number(el.getAttribute('data-off')));
  };
  const cls = (i: number) => {
    if (highlight && i >= highlight.start && i < highlight.end) return 'hb hl';
    if (context && i >= context.start && i < context.end) return 'hb ctx';
    return 'hb';
  };
  const { first, last } = linesInView(lines, view.top, view.height);
  const items: { index: number; start: number }[] = [];
  for (let i = first; i <= last; i++) items.push({ index: i, start: i * LINE_HEIGHT });

  return (
    <div ref={scroller} className="hexgrid" role="group" aria-label={ariaLabel} onClick={click}>
      <div className="hexgrid-body" style={{ height: lines * LINE_HEIGHT }}>
        {items.map((it) => {
          const l = hexLine(bytes, it.index);
          const base = it.index * PER_LINE;
          return (
            <div key={it.index} className="hexline" style={{ transform: `translateY(${it.start}px)` }}>
              <span className="hexoff">{l.offset}</span>
              <span className="hexbytes">
                {l.hex.map((h, k) => (
                  <span key={k} data-off={base + k} className={cls(base + k) + (k === 8 ? ' gap' : '')}>
                    {h}
                  </span>
                ))}
              </span>
              <span className="hexascii">
                {l.ascii.map((c, k) => (
                  <span key={k} data-off={base + k} className={cls(base + k) + (k === 8 ? ' gap' : '')}>
                    {c}
                  </span>
                ))}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
