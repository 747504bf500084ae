/** The packet list: a virtualized ARIA grid of frames with sortable, resizable columns. */
import { memo, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { VirtualList } from '../../widgets/virtual-list/VirtualList';
import { Dialog } from '../../widgets/dialog/Dialog';
import { usePacketList, useGoToFrame, rowViewOf, type ColumnView, type RowDisplay } from './use-packet-list';
import type { RowData } from '../../store';
import './packet-list.css';

/**
 * Memoized (it takes no props): the panes around it re-render on every selection (the detail arriving), and
 * the list must not re-render its rows for that.
 */
export const PacketList = memo(function PacketList() {
  const p = usePacketList();
  const header = (
    <div className="pl-row pl-head" role="row" aria-rowindex={1}>
      {p.columns.map((c) => (
        <HeaderCell key={c.key} column={c} onSort={() => p.onSort(c.key)} onResize={(w, done) => p.onResize(c.key, w, done)} />
      ))}
    </div>
  );
  return (
    <section className="packet-list" aria-label="Packet list">
      <VirtualList
        ref={p.listRef}
        count={p.count}
        rowHeight={p.rowHeight}
        header={header}
        contentWidth={p.contentWidth}
        ariaLabel="Packets"
        activeDescendant={p.activeIndex >= 0 ? `pkt-row-${p.activeIndex}` : undefined}
        onKeyDown={p.onKeyDown}
        onRangeChange={p.onRangeChange}
        empty={p.empty}
        renderRow={(index, top, slot) => {
          const r = p.rowProps(index);
          // Keyed by slot, not by index: scrolling and jumps (End, Ctrl-G, the scrollbar) update the existing
          // rows instead of removing and creating them.
          return <PacketRow key={slot} {...r} top={top} display={p.display} onSelect={p.select} />;
        }}
      />
      <GoToFrame />
    </section>
  );
});

interface PacketRowProps {
  index: number;
  frame: number;
  row: RowData | undefined;
  prev: RowData | null | undefined;
  selected: boolean;
  top: number;
  display: RowDisplay;
  onSelect: (index: number) => void;
}

/** One row; memoized, so scrolling and selecting re-render only the rows that changed. */
const PacketRow = memo(function PacketRow({ index, frame, row, prev, selected, top, display, onSelect }: PacketRowProps) {
  const r = rowViewOf(index, frame, row, prev, selected, display);
  return (
    <div
      id={`pkt-row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={r.selected}
      data-frame={r.frame}
      className={`pl-row${r.selected ? ' selected' : ''}${r.loaded ? '' : ' loading'}`}
      style={{
        transform: `translateY(${top}px)`,
        height: display.rowHeight,
        width: display.contentWidth,
        ...(r.colors && !r.selected ? { color: r.colors.fg, background: r.colors.bg } : {}),
      }}
      onPointerDown={() => onSelect(index)}
    >
      {r.cells.map((cell, k) => (
        <div
          key={cell.key}
          role="gridcell"
          className={`pl-cell pl-${cell.key}${display.columns[k].align ? ' right' : ''}${cell.tone ? ' tone-' + cell.tone : ''}`}
          style={{ width: display.columns[k].widthPx }}
          title={cell.title}
        >
          {cell.text}
        </div>
      ))}
    </div>
  );
});

function HeaderCell({ column, onSort, onResize }: { column: ColumnView; onSort: () => void; onResize: (w: number, done: boolean) => void }) {
  const start = useRef<{ x: number; w: number } | null>(null);
  const down = (e: PointerEvent<HTMLDivElement>) => {
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { x: e.clientX, w: column.widthPx };
  };
  const move = (e: PointerEvent) => {
    if (start.current) onResize(start.current.w + e.clientX - start.current.x, false);
  };
  const up = (e: PointerEvent) => {
    if (start.current) onResize(start.current.w + e.clientX - start.current.x, true);
    start.current = null;
  };
  const key = (e: KeyboardEvent) => {
    if (e.key === 'ArrowLeft') onResize(column.widthPx - 10, true);
    else if (e.key === 'ArrowRight') onResize(column.widthPx + 10, true);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  return (
    <div
      role="columnheader"
      aria-sort={column.sortable ? column.sort : undefined}
      className={`pl-cell pl-hcell pl-${column.key}${column.align ? ' right' : ''}`}
      style={{ width: column.widthPx }}
      title={column.description}
    >
      {column.sortable ? (
        <button type="button" className="pl-sort" onClick={onSort} aria-label={`${column.title || column.description}, sort`}>
          {column.title}
          <span className="pl-sort-mark" aria-hidden="true">
            {column.sort === 'ascending' ? ' ▲' : column.sort === 'descending' ? ' ▼' : ''}
          </span>
        </button>
      ) : (
        <span className="visually-hidden">{column.description}</span>
      )}
      <div
        className="pl-resize"
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${column.title || column.description} column`}
        aria-valuenow={column.widthPx}
        tabIndex={0}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onKeyDown={key}
      />
    </div>
  );
}

function GoToFrame() {
  const g = useGoToFrame();
  return (
    <Dialog
      open={g.open}
      title="Go to frame"
      onClose={g.close}
      footer={
        <>
          <button type="button" onClick={g.close}>
            Cancel
          </button>
          <button type="submit" form="goto-form" className="primary">
            Go
          </button>
        </>
      }
    >
      <form
        id="goto-form"
        onSubmit={(e) => {
          e.preventDefault();
          g.go();
        }}
      >
        <label className="field">
          <span>Frame number (1–{g.frameCount})</span>
          <input autoFocus inputMode="numeric" value={g.text} onChange={(e) => g.setText(e.target.value)} aria-invalid={!!g.error} aria-describedby="goto-error" />
        </label>
        <p id="goto-error" className="form-error" role="alert">
          {g.error}
        </p>
      </form>
    </Dialog>
  );
}
