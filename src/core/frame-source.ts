import type { Capture } from './capture/open-capture';
import type { FrameIndex } from './capture/frame-index';
import { MemorySource, canReadInto, type ReadIntoSource } from './capture/byte-source';

/** Window of other sources (a Blob): large, as a browser charges per read (see open-capture.ts). */
const WINDOW = 32 << 20;
/**
 * Window of a source that reads into our buffers (a Node file): smaller, so a window is still in the CPU's
 * cache when its frames are handed out, and the two buffers each source keeps (below) stay small.
 */
const READ_INTO_WINDOW = 2 << 20;

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
  windowBytes?: number,
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
 * (first pass, packet list) skip this way.
 *
 * The buffer is valid only during the call: a source that reads into buffers (a Node file) has two, reused
 * window after window, and reads the next window into one while the frames of the other are handed out, so
 * the disk and the dissection overlap. Whatever must outlive a frame is copied (as the dissection rules say).
 */
export async function forEachFrameSpan(
  cap: Capture,
  first: number,
  last: number,
  each: (frame: number, buf: Uint8Array, at: number, length: number) => void | boolean,
  windowSize?: number,
): Promise<void> {
  const { index, source } = cap;
  first = Math.max(1, first);
  last = Math.min(last, index.count);
  if (first > last) return;
  const windowBytes = windowSize ?? (canReadInto(source) ? READ_INTO_WINDOW : WINDOW);
  const { offset, capLen } = index;
  /** The last frame of the window that starts at frame n: grown frame by frame while within windowBytes. */
  const windowEnd = (n: number): number => {
    const start = offset[n - 1];
    let m = n;
    while (m < last && offset[m] + capLen[m] - start <= windowBytes) m++;
    return m;
  };
  const windowBytesOf = (n: number, m: number): number => {
    let end = offset[n - 1] + capLen[n - 1];
    for (let k = n; k < m; k++) end = Math.max(end, offset[k] + capLen[k]);
    return end - offset[n - 1];
  };
  const hand = (n: number, m: number, win: Uint8Array): boolean => handFrames(index, n, m, win, offset[n - 1], each);

  if (!canReadInto(source)) {
    for (let n = first; n <= last; ) {
      const m = windowEnd(n);
      const size = windowBytesOf(n, m);
      const win = source instanceof MemorySource ? source.readSync(offset[n - 1], size) : await source.read(offset[n - 1], size);
      if (!hand(n, m, win)) return;
      n = m + 1;
    }
    return;
  }

  // Double buffering: window k is handed out of one buffer while window k + 1 is read into the other. The
  // pair is the one the source's last walk left, unless another walk holds it: a pool worker filters a
  // capture in many short ranges, and allocating (and zeroing) two windows per range cost as much as the
  // filtering did.
  const buffers: Uint8Array[] = spareBuffers.get(source) ?? [new Uint8Array(0), new Uint8Array(0)];
  spareBuffers.delete(source);
  const readWindow = (n: number, m: number, which: number): Promise<Uint8Array> => {
    const size = windowBytesOf(n, m);
    // Sized to the window (a short range reads a small one), grown when a later window is larger.
    if (buffers[which].length < size) buffers[which] = new Uint8Array(Math.max(size, Math.min(windowBytes, buffers[which].length * 2)));
    const buf = buffers[which];
    return source.readInto(offset[n - 1], size, buf).then((got) => buf.subarray(0, got));
  };
  let n = first;
  let m = windowEnd(n);
  let which = 0;
  let pending = readWindow(n, m, which);
  try {
    for (;;) {
      const win = await pending;
      const next = m + 1;
      const nextEnd = next <= last ? windowEnd(next) : 0;
      let ahead: Promise<Uint8Array> | null = null;
      if (next <= last) {
        ahead = readWindow(next, nextEnd, which ^ 1);
        // Not awaited if the walk stops early: keep a failed read from being reported as unhandled.
        ahead.catch(() => {});
      }
      let going = false;
      try {
        going = hand(n, m, win);
      } finally {
        // The next read writes into the other buffer: let it finish before this function returns or throws,
        // so a later walk reusing the buffers (or the file handle) never races it.
        if (ahead && !going) await ahead.catch(() => {});
      }
      if (!going || !ahead) return;
      n = next;
      m = nextEnd;
      which ^= 1;
      pending = ahead;
    }
  } finally {
    spareBuffers.set(source, buffers);
  }
}

/**
 * Hands out frames first..last, whose bytes lie in `win` (which starts at byte `winOffset` of the source), as
 * spans of it; stops at the first `each` that returns false, and returns false then.
 */
export function handFrames(
  index: FrameIndex,
  first: number,
  last: number,
  win: Uint8Array,
  winOffset: number,
  each: (frame: number, buf: Uint8Array, at: number, length: number) => void | boolean,
): boolean {
  const { offset, capLen } = index;
  for (let k = first; k <= last; k++) {
    const at = offset[k - 1] - winOffset;
    // A read cut short by the end of the source gives what there is (as a subarray would).
    const length = Math.max(0, Math.min(capLen[k - 1], win.length - at));
    if (each(k, win, Math.min(at, win.length), length) === false) return false;
  }
  return true;
}

/** The read buffers of each source's last finished walk, for its next one. */
const spareBuffers = new WeakMap<ReadIntoSource, Uint8Array[]>();

/** The bytes of one frame (1-based). */
export async function frameBytes(cap: Capture, frame: number): Promise<Uint8Array> {
  if (!Number.isInteger(frame) || frame < 1 || frame > cap.index.count) {
    throw new RangeError(`frame ${frame} is not in the capture (1–${cap.index.count})`);
  }
  const i = frame - 1;
  return cap.source.read(cap.index.offset[i], cap.index.capLen[i]);
}
