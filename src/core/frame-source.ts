import type { Capture } from './capture/open-capture';
import { MemorySource } from './capture/byte-source';

const WINDOW = 8 << 20;

/**
 * Hands out the bytes of frames first..last in order, reading the source in windows: a sequential pass
 * touches each byte once and holds at most one window (or one frame, if a frame is larger), whatever the
 * file size. In-memory sources give views, no copies. `each` returning false stops the walk.
 */
export async function forEachFrameBytes(
  cap: Capture,
  first: number,
  last: number,
  each: (frame: number, bytes: Uint8Array) => void | boolean,
  windowBytes: number = WINDOW,
): Promise<void> {
  const { index, source } = cap;
  first = Math.max(1, first);
  last = Math.min(last, index.count);
  if (source instanceof MemorySource) {
    for (let n = first; n <= last; n++) {
      const i = n - 1;
      if (each(n, source.readSync(index.offset[i], index.capLen[i])) === false) return;
    }
    return;
  }
  await forEachFrameSpan(cap, first, last, (n, buf, at, length) => each(n, buf.subarray(at, at + length)), windowBytes);
}

/**
 * `forEachFrameBytes` without a view per frame: `each` gets the buffer read and where the frame lies in it
 * (`length` bytes from `at`). A `subarray` costs an object per frame, which the passes over every frame
 * (first pass, packet list) skip this way; the buffer is a fresh one per window, so it may be kept.
 */
export async function forEachFrameSpan(
  cap: Capture,
  first: number,
  last: number,
  each: (frame: number, buf: Uint8Array, at: number, length: number) => void | boolean,
  windowBytes: number = WINDOW,
): Promise<void> {
  const { index, source } = cap;
  first = Math.max(1, first);
  last = Math.min(last, index.count);
  const { offset, capLen } = index;
  let n = first;
  while (n <= last) {
    // Frames n..m share one read: grow the window frame by frame while it stays within windowBytes.
    const start = offset[n - 1];
    let end = start + capLen[n - 1];
    let m = n;
    while (m < last && offset[m] + capLen[m] - start <= windowBytes) {
      end = Math.max(end, offset[m] + capLen[m]);
      m++;
    }
    const win = source instanceof MemorySource ? source.readSync(start, end - start) : await source.read(start, end - start);
    for (let k = n; k <= m; k++) {
      const at = offset[k - 1] - start;
      // A read cut short by the end of the source gives what there is (as a subarray would).
      const length = Math.max(0, Math.min(capLen[k - 1], win.length - at));
      if (each(k, win, Math.min(at, win.length), length) === false) return;
    }
    n = m + 1;
  }
}

/** The bytes of one frame (1-based). */
export async function frameBytes(cap: Capture, frame: number): Promise<Uint8Array> {
  if (!Number.isInteger(frame) || frame < 1 || frame > cap.index.count) {
    throw new RangeError(`frame ${frame} is not in the capture (1–${cap.index.count})`);
  }
  const i = frame - 1;
  return cap.source.read(cap.index.offset[i], cap.index.capLen[i]);
}
