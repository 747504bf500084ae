/**
 * Filter results cross threads as bitsets (one bit a frame, transferred); the list needs the displayed
 * frame numbers in order. Bit (n − 1) of a capture-wide set is frame n. A chunk's bits are turned into
 * frame numbers as the chunk arrives (`framesOfChunk`, well under a millisecond for the largest chunk), so
 * a filter over a million frames never walks all of them in one main-thread task: the end of a run only
 * copies the chunks' lists into one array (`concatFrames`, a memory copy).
 */

/** Frame ranges [first, last] covering 1..frames in steps of `size` (a multiple of 8, so chunks stay byte-aligned). */
export function chunkRanges(frames: number, size: number): [number, number][] {
  const step = Math.max(8, size - (size % 8));
  const out: [number, number][] = [];
  for (let first = 1; first <= frames; first += step) out.push([first, Math.min(frames, first + step - 1)]);
  return out;
}

/** The frame numbers set in a chunk's bitset (bit k = frame first + k), ascending, up to frame `last`. */
export function framesOfChunk(chunk: Uint8Array, first: number, last: number): Uint32Array {
  const span = Math.max(0, last - first + 1);
  const bytes = Math.min(chunk.length, (span + 7) >> 3);
  let n = 0;
  const full = span >> 3;
  for (let i = 0; i < Math.min(full, bytes); i++) {
    let b = chunk[i];
    b = b - ((b >> 1) & 0x55);
    b = (b & 0x33) + ((b >> 2) & 0x33);
    n += (b + (b >> 4)) & 0x0f;
  }
  for (let k = full << 3; k < span && k >> 3 < bytes; k++) if (chunk[k >> 3] & (1 << (k & 7))) n++;
  const out = new Uint32Array(n);
  let j = 0;
  for (let i = 0; i < bytes; i++) {
    const b = chunk[i];
    if (b === 0) continue;
    for (let k = 0; k < 8; k++) {
      const at = (i << 3) + k;
      if (at >= span) break;
      if (b & (1 << k)) out[j++] = first + at;
    }
  }
  return out;
}

/** The lists one after another in one array. */
export function concatFrames(parts: readonly Uint32Array[]): Uint32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint32Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
