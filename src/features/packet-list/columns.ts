/** The packet list's columns (Wireshark's defaults plus a marker column) and how each cell reads. */
import type { RowData, SortColumn, TimeFormat } from '../../store';

export interface ColumnDef {
  key: 'marker' | SortColumn;
  title: string;
  width: number;
  align?: 'right';
  sortable: boolean;
  description: string;
}

export const COLUMNS: readonly ColumnDef[] = [
  { key: 'marker', title: '', width: 22, sortable: false, description: 'Expert severity and comments' },
  { key: 'number', title: 'No.', width: 72, align: 'right', sortable: true, description: 'Frame number' },
  { key: 'time', title: 'Time', width: 120, sortable: true, description: 'Time' },
  { key: 'source', title: 'Source', width: 150, sortable: true, description: 'Source address' },
  { key: 'destination', title: 'Destination', width: 150, sortable: true, description: 'Destination address' },
  { key: 'protocol', title: 'Protocol', width: 84, sortable: true, description: 'Protocol' },
  { key: 'length', title: 'Length', width: 66, align: 'right', sortable: true, description: 'Frame length on the wire' },
  { key: 'info', title: 'Info', width: 720, sortable: true, description: 'Summary' },
];

export const TIME_FORMAT_LABELS: Record<TimeFormat, string> = {
  relative: 'Seconds since start',
  'delta-displayed': 'Seconds since previous displayed',
  absolute: 'Date and time of day',
  utc: 'UTC date and time of day',
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** a − b as "s.uuuuuu" (microseconds, like Wireshark's default precision for pcap). */
export function formatSeconds(aSecs: number, aNsecs: number, bSecs: number, bNsecs: number): string {
  let ns = (aSecs - bSecs) * 1e9 + (aNsecs - bNsecs);
  const neg = ns < 0;
  if (neg) ns = -ns;
  const us = Math.round(ns / 1000);
  const s = Math.floor(us / 1e6);
  return `${neg ? '-' : ''}${s}.${pad(us % 1e6, 6)}`;
}

/** "2024-03-01 13:45:01.123456", local time or UTC. */
export function formatDateTime(secs: number, nsecs: number, utc: boolean): string {
  const d = new Date(secs * 1000);
  if (Number.isNaN(d.getTime())) return `${secs}.${pad(Math.floor(nsecs / 1000), 6)}`;
  const get = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  const [y, mo, da, h, mi, se] = get;
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(da, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(se, 2)}.${pad(Math.floor(nsecs / 1000), 6)}`;
}

/** The Time cell: `prev` is the previous displayed row (for "since previous displayed"), `first` frame 1's time. */
export function timeCell(row: RowData, format: TimeFormat, first: { secs: number; nsecs: number }, prev: RowData | null | undefined): string {
  switch (format) {
    case 'relative':
      return formatSeconds(row.tsSecs, row.tsNsecs, first.secs, first.nsecs);
    case 'delta-displayed':
      if (prev === null) return '0.000000';
      if (prev === undefined) return '…';
      return formatSeconds(row.tsSecs, row.tsNsecs, prev.tsSecs, prev.tsNsecs);
    case 'absolute':
      return formatDateTime(row.tsSecs, row.tsNsecs, false);
    case 'utc':
      return formatDateTime(row.tsSecs, row.tsNsecs, true);
  }
}

/** Keys the list handles: the new active index, or null when the key is not for the list. */
export function nextIndex(key: string, current: number, count: number, page: number, ctrl = false): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const from = current < 0 ? -1 : current;
  switch (key) {
    case 'ArrowDown':
      return Math.min(last, from + 1);
    case 'ArrowUp':
      return from < 0 ? 0 : Math.max(0, from - 1);
    case 'PageDown':
      return Math.min(last, Math.max(0, from) + page);
    case 'PageUp':
      return Math.max(0, from - page);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      void ctrl;
      return null;
  }
}
