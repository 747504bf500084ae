import type { Capture } from './capture/open-capture';
import { MemorySource } from './capture/byte-source';

const WINDOW = 8 << 20;

/**
 * Hands out the bytes of frames in order, reading the source in windows: a sequential pass touches each
 * byte once and holds at most one window, whatever the file size. In-memory sources give views, no copies.
 */
export async function forEachFrameBytes(
  cap: Capture,
  first: number,
  last: number,
  each: (frame: number, bytes: Uint8Array) => void | boolean,
): Promise<void> {
  const { index, source } = cap;
  last = Math.min(last, index.count);
  if (source instanceof MemorySource) {
    for (let n = first; n <= last; n++) {
      const i = n - 1;
      if (each(n, source.readSync(index.offset[i], index.capLen[i])) === false) return;
    }
    return;
  }
  let n = first;
  while (n <= last) {
    const start = index.offset[n - 1];
    // Grow the window frame by frame up to the limit (at least one frame, however large).
    let end = start + index.capLen[n - 1];
    let m = n;
    while (m < last && index.offset[m] + index.capLen[m] - start <= WINDOW) {
      m++;
      end = Math.max(end, index.offset[m - 1] + index.capLen[m - 1]);
    }
    const win = await source.read(start, end - start);
    for (let k = n; k <= m; k++) {
      const off = index.offset[k - 1] - start;
      if (each(k, win.subarray(off, off + index.capLen[k - 1])) === false) return;
    }
    n = m + 1;
  }
}

/** The bytes of one frame. */
export async function frameBytes(cap: Capture, frame: number): Promise<Uint8Array> {
  const i = frame - 1;
  return cap.source.read(cap.index.offset[i], cap.index.capLen[i]);
}
