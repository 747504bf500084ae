/**
 * A bounds-checked view of packet bytes (Wireshark's tvbuff). Offsets are relative to the view. Reading past
 * the captured bytes throws `BoundsError` (the capture was cut short by the snapshot length); reading past
 * what the packet claims to hold throws `ReportedBoundsError` (the packet is malformed). The frame driver
 * catches both and adds Wireshark's "[Packet size limited during capture]" or "[Malformed Packet]" item.
 */
export class BoundsError extends Error {}
export class ReportedBoundsError extends Error {}

/** No bytes: what a scratch record holds between frames, so it never keeps a read window alive. */
export const NO_BYTES = new Uint8Array(0);

export class ByteView {
  constructor(
    /** The backing bytes; this view starts at `start` within them. */
    readonly data: Uint8Array,
    readonly start: number,
    /** Bytes available (captured). */
    readonly length: number,
    /** Bytes the packet says it has (≥ length when the capture was truncated). */
    readonly reportedLength: number,
    /** Offset of this view's first byte within its data source (the frame, or a reassembled buffer). */
    readonly sourceOffset: number,
    /** Which data source (0 = the frame) tree items of this view point into. */
    readonly source: number,
  ) {}

  static ofFrame(data: Uint8Array, reportedLength: number): ByteView {
    return new ByteView(data, 0, data.length, Math.max(reportedLength, data.length), 0, 0);
  }

  /**
   * A frame that lies in a larger buffer, `capLen` bytes from `start` (the window a pass read). Offsets and
   * tree items are the frame's own; only `start` (and so AddressRef/tap positions) refer to the buffer.
   */
  static ofFrameIn(buffer: Uint8Array, start: number, capLen: number, reportedLength: number): ByteView {
    return new ByteView(buffer, start, capLen, Math.max(reportedLength, capLen), 0, 0);
  }

  /** A view of [offset, offset + length) — length -1 means to the end; reported length follows the same rule. */
  sub(offset: number, length = -1, reportedLength = -1): ByteView {
    if (offset > this.length) this.fail(offset, 0);
    const avail = this.length - offset;
    const repAvail = this.reportedLength - offset;
    const rep = reportedLength < 0 ? (length < 0 ? repAvail : length) : reportedLength;
    const len = length < 0 ? Math.min(avail, rep) : Math.min(length, avail, rep);
    return new ByteView(this.data, this.start + offset, Math.max(0, len), Math.max(0, Math.min(rep, Math.max(repAvail, len))), this.sourceOffset + offset, this.source);
  }

  /** Bytes left from `offset` (captured). */
  remaining(offset: number): number {
    return Math.max(0, this.length - offset);
  }

  /** Throws unless [offset, offset + n) is captured. */
  ensure(offset: number, n: number): void {
    if (offset < 0 || n < 0 || offset + n > this.length) this.fail(offset, n);
  }

  has(offset: number, n: number): boolean {
    return offset >= 0 && offset + n <= this.length;
  }

  u8(o: number): number {
    if (o < 0 || o >= this.length) this.fail(o, 1);
    return this.data[this.start + o];
  }

  u16(o: number): number {
    if (o < 0 || o + 2 > this.length) this.fail(o, 2);
    const d = this.data;
    const i = this.start + o;
    return (d[i] << 8) | d[i + 1];
  }

  u16le(o: number): number {
    if (o < 0 || o + 2 > this.length) this.fail(o, 2);
    const d = this.data;
    const i = this.start + o;
    return d[i] | (d[i + 1] << 8);
  }

  u24(o: number): number {
    if (o < 0 || o + 3 > this.length) this.fail(o, 3);
    const d = this.data;
    const i = this.start + o;
    return (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
  }

  u32(o: number): number {
    if (o < 0 || o + 4 > this.length) this.fail(o, 4);
    const d = this.data;
    const i = this.start + o;
    return ((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]) >>> 0;
  }

  u32le(o: number): number {
    if (o < 0 || o + 4 > this.length) this.fail(o, 4);
    const d = this.data;
    const i = this.start + o;
    return ((d[i + 3] << 24) | (d[i + 2] << 16) | (d[i + 1] << 8) | d[i]) >>> 0;
  }

  u64(o: number): bigint {
    return (BigInt(this.u32(o)) << 32n) | BigInt(this.u32(o + 4));
  }

  u64le(o: number): bigint {
    return (BigInt(this.u32le(o + 4)) << 32n) | BigInt(this.u32le(o));
  }

  /** A view of the bytes (no copy). */
  bytes(o: number, n: number): Uint8Array {
    this.ensure(o, n);
    return this.data.subarray(this.start + o, this.start + o + n);
  }

  /** Latin-1/ASCII text of [o, o+n) — for protocol strings that are bytes, not UTF-8. */
  ascii(o: number, n: number): string {
    this.ensure(o, n);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.data[this.start + o + i]);
    return s;
  }

  private fail(offset: number, n: number): never {
    if (offset + n <= this.reportedLength && offset >= 0) throw new BoundsError(`need ${n} bytes at ${offset}, ${this.length} captured`);
    throw new ReportedBoundsError(`need ${n} bytes at ${offset}, packet has ${this.reportedLength}`);
  }
}
