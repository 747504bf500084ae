/**
 * The columnar frame index: one slot per frame in typed arrays, no object per frame. Frame numbers start
 * at 1; slot i holds frame i + 1. 27 bytes per frame (see bytesPerFrame).
 */
export interface FrameIndexColumns {
  count: number;
  /**
   * File offset of the frame's first byte (in the decompressed stream for gzip): below 2^32, as no capture
   * (or inflated stream) above MAX_CAPTURE_BYTES = 4 GiB is opened.
   */
  offset: Uint32Array;
  capLen: Uint32Array;
  origLen: Uint32Array;
  /** Arrival time, seconds part (may be negative for odd files, so Float64 would also do; uint32 like pcap). */
  tsSec: Float64Array;
  tsNsec: Uint32Array;
  /** Interface id (pcapng); 0 for pcap. */
  iface: Uint16Array;
  /** Bit 0: the frame has a comment; bit 1: the record carries no timestamp. */
  flags: Uint8Array;
}

export const FRAME_HAS_COMMENT = 1;
/**
 * The record has no time stamp (a pcapng Simple Packet Block): tsSec/tsNsec hold 0, and tshark shows no
 * frame.time / frame.time_epoch for such frames.
 */
export const FRAME_NO_TIMESTAMP = 2;

export class FrameIndex implements FrameIndexColumns {
  count = 0;
  offset = new Uint32Array(1024);
  capLen = new Uint32Array(1024);
  origLen = new Uint32Array(1024);
  tsSec = new Float64Array(1024);
  tsNsec = new Uint32Array(1024);
  iface = new Uint16Array(1024);
  flags = new Uint8Array(1024);

  /** Appends a frame and returns its number (1-based). */
  push(offset: number, capLen: number, origLen: number, tsSec: number, tsNsec: number, iface: number): number {
    // Doubling keeps appends amortised O(1); the floor matters after trim() left the arrays empty.
    if (this.count === this.offset.length) this.grow(Math.max(1024, this.count * 2));
    const i = this.count++;
    this.offset[i] = offset;
    this.capLen[i] = capLen;
    this.origLen[i] = origLen;
    this.tsSec[i] = tsSec;
    this.tsNsec[i] = tsNsec;
    this.iface[i] = iface;
    this.flags[i] = 0;
    return i + 1;
  }

  /** Shrinks the arrays to the frame count, so they can be transferred without slack. */
  trim(): void {
    if (this.offset.length !== this.count) this.grow(this.count);
  }

  bytesPerFrame(): number {
    return 4 + 4 + 4 + 8 + 4 + 2 + 1;
  }

  private grow(size: number): void {
    const n = this.count;
    const g = <T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a.subarray(0, Math.min(n, size)));
      return b;
    };
    this.offset = g(this.offset, (k) => new Uint32Array(k));
    this.capLen = g(this.capLen, (k) => new Uint32Array(k));
    this.origLen = g(this.origLen, (k) => new Uint32Array(k));
    this.tsSec = g(this.tsSec, (k) => new Float64Array(k));
    this.tsNsec = g(this.tsNsec, (k) => new Uint32Array(k));
    this.iface = g(this.iface, (k) => new Uint16Array(k));
    this.flags = g(this.flags, (k) => new Uint8Array(k));
  }
}
