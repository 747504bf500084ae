/**
 * Rows the list has fetched, by frame number, bounded: the oldest are forgotten first. Rows are view data
 * of the visible window only, so they live here rather than in the store.
 */
import type { RowData } from '../../store';

export class RowCache {
  private readonly rows = new Map<number, RowData>();
  constructor(private readonly limit = 4000) {}

  get(frame: number): RowData | undefined {
    return this.rows.get(frame);
  }

  has(frame: number): boolean {
    return this.rows.has(frame);
  }

  put(row: RowData): void {
    this.rows.delete(row.number);
    this.rows.set(row.number, row);
    if (this.rows.size > this.limit) {
      const drop = this.rows.size - this.limit;
      let k = 0;
      for (const key of this.rows.keys()) {
        if (k++ >= drop) break;
        this.rows.delete(key);
      }
    }
  }

  clear(): void {
    this.rows.clear();
  }

  get size(): number {
    return this.rows.size;
  }

  /** Of the given frames, those not cached yet. */
  missing(frames: Iterable<number>): number[] {
    const out: number[] = [];
    for (const f of frames) if (!this.rows.has(f)) out.push(f);
    return out;
  }
}
