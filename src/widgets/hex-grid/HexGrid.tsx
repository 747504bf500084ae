/**
 * Offset, hex and ASCII columns of a byte buffer, 16 bytes a line, virtualized for large buffers. Bytes are
 * rendered as text only. A highlighted range is shown in both columns; clicking a byte reports its offset.
 */
import { useEffect, useRef, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
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
  const v = useVirtualizer({ count: lines, getScrollElement: () => scroller.current, estimateSize: () => LINE_HEIGHT, overscan: 8 });
  const hlLine = highlight && highlight.end > highlight.start ? Math.floor(highlight.start / PER_LINE) : -1;
  useEffect(() => {
    if (hlLine >= 0) v.scrollToIndex(hlLine, { align: 'auto' });
  }, [hlLine, v]);

  const click = (e: MouseEvent) => {
    const el = (e.target as HTMLElement).closest('[data-off]');
    if (el && onByteClick) onByteClick(Number(el.getAttribute('data-off')));
  };
  const cls = (i: number) => {
    if (highlight && i >= highlight.start && i < highlight.end) return 'hb hl';
    if (context && i >= context.start && i < context.end) return 'hb ctx';
    return 'hb';
  };
  const items = v.getVirtualItems();

  return (
    <div ref={scroller} className="hexgrid" role="group" aria-label={ariaLabel} onClick={click}>
      <div className="hexgrid-body" style={{ height: v.getTotalSize() }}>
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
