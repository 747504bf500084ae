/**
 * Two panes and a draggable separator (role="separator", arrow keys move it by 2%). The size is a fraction
 * of the container, reported on release so the caller can remember it.
 */
import { useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import './split-pane.css';

export interface SplitPaneProps {
  /** 'rows': first above second; 'columns': first left of second. */
  direction: 'rows' | 'columns';
  fraction: number;
  onChange: (fraction: number) => void;
  first: ReactNode;
  second: ReactNode;
  label: string;
  className?: string;
}

const MIN = 0.1;
const MAX = 0.9;

export function SplitPane({ direction, fraction, onChange, first, second, label, className }: SplitPaneProps) {
  const box = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<number | null>(null);
  const f = drag ?? fraction;
  const clamp = (x: number) => Math.max(MIN, Math.min(MAX, x));

  const fractionAt = (e: PointerEvent) => {
    const r = box.current!.getBoundingClientRect();
    return clamp(direction === 'rows' ? (e.clientY - r.top) / r.height : (e.clientX - r.left) / r.width);
  };
  const down = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag(fractionAt(e));
  };
  const move = (e: PointerEvent) => {
    if (drag !== null) setDrag(fractionAt(e));
  };
  const up = () => {
    if (drag !== null) onChange(drag);
    setDrag(null);
  };
  const key = (e: KeyboardEvent) => {
    const back = direction === 'rows' ? 'ArrowUp' : 'ArrowLeft';
    const fwd = direction === 'rows' ? 'ArrowDown' : 'ArrowRight';
    if (e.key === back) onChange(clamp(fraction - 0.02));
    else if (e.key === fwd) onChange(clamp(fraction + 0.02));
    else return;
    e.preventDefault();
  };
  const pct = `${(f * 100).toFixed(2)}%`;
  return (
    <div ref={box} className={`split split-${direction} ${className ?? ''}`}>
      <div className="split-pane" style={direction === 'rows' ? { height: pct } : { width: pct }}>
        {first}
      </div>
      <div
        className={`split-bar${drag !== null ? ' dragging' : ''}`}
        role="separator"
        aria-label={label}
        aria-orientation={direction === 'rows' ? 'horizontal' : 'vertical'}
        aria-valuemin={MIN * 100}
        aria-valuemax={MAX * 100}
        aria-valuenow={Math.round(f * 100)}
        tabIndex={0}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onKeyDown={key}
      />
      <div className="split-pane split-rest">{second}</div>
    </div>
  );
}
