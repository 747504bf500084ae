/**
 * Allocation-free building blocks for transport streams (tcp.stream, udp.stream), all typed arrays:
 *
 * - `EndpointPairTable`: the address-and-port pairs of conversations, looked up from either direction by open
 *   addressing. Entry i is stream i. Adding an entry whose pair is already there (a TCP port reused after
 *   the previous connection ended) makes the new entry the one lookups find; the older one stays readable
 *   and is chained from the new one (`previousOfPair`), so the stream of an earlier frame can still be found.
 * - `TransportLinks`: per frame, the previous frame of its stream and its direction, one byte each.
 * - `FrameValueColumn`: one number per frame in 16 bits, widened when a value needs it.
 * - `SparseFrameColumn`: values for the few frames that have one, appended in frame order and found by
 *   binary search.
 *
 * Memory per table entry: 1 (kind) + 2 × 2 (ports) + 2 × 4 (addresses or IPv6 pool index) + 4 (hash) +
 * 4 (first frame) = 21 bytes, plus 8 bytes of index slots (load ≤ 0.5), plus 32 bytes of pool for an IPv6
 * pair; `compact` (when no more entries come) drops the hashes and rebuilds the index at a load up to 0.75,
 * leaving about 22 bytes an entry. A replaced pair's older entry is remembered in a map (rare).
 */

/** Address families a table keys on (the AddrKind values of packet-info.ts). */
export const ADDR_IPV4 = 2;
export const ADDR_IPV6 = 3;

const EMPTY_SLOT = -1;

function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function u32At(d: Uint8Array, i: number): number {
  return ((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]) >>> 0;
}

/** One endpoint's hash: the address words and the port, mixed. Pairs combine two by addition (order-free). */
function endpointHash(kind: number, d: Uint8Array, at: number, port: number): number {
  if (kind === ADDR_IPV4) return mix32(Math.imul(port + 1, 0x9e3779b1) ^ u32At(d, at));
  let h = Math.imul(port + 1, 0x9e3779b1);
  for (let k = 0; k < 16; k += 4) h = mix32(h ^ u32At(d, at + k));
  return h;
}

/**
 * Conversations keyed by their two endpoints (address + port each), matched in either direction. Side A is
 * the source of the packet that created the entry.
 */
export class EndpointPairTable {
  count = 0;
  private kind = new Uint8Array(64);
  private portA = new Uint16Array(64);
  private portB = new Uint16Array(64);
  /** IPv4 address, or for IPv6 the word offset of the A (then B) address in `v6`. */
  private addrA = new Uint32Array(64);
  private addrB = new Uint32Array(64);
  private hashes = new Uint32Array(64);
  /** For entries that replaced an older one of the same pair (rare: TCP port reuse), that older entry. */
  private readonly replaced = new Map<number, number>();
  private first = new Uint32Array(64);
  private v6 = new Uint32Array(256);
  private v6Used = 0;
  private slots = new Int32Array(128).fill(EMPTY_SLOT);
  private mask = 127;
  /** Set by `find`: whether the packet went from B to A (1) or A to B (0). */
  lastDirection = 0;
  /** Set by `find`: the slot of the match, or the empty slot where the pair would go. */
  private lastSlot = -1;
  private lastHash = 0;

  /**
   * The newest entry for the pair (src, srcPort) ↔ (dst, dstPort), or -1. Addresses are read from `d` at the
   * given offsets (4 bytes for IPv4, 16 for IPv6).
   */
  find(kind: number, d: Uint8Array, srcAt: number, dstAt: number, srcPort: number, dstPort: number): number {
    if (kind === ADDR_IPV4) return this.find4(u32At(d, srcAt), u32At(d, dstAt), srcPort, dstPort);
    const h = (endpointHash(kind, d, srcAt, srcPort) + endpointHash(kind, d, dstAt, dstPort)) >>> 0;
    this.lastHash = h;
    const slots = this.slots;
    const mask = this.mask;
    let i = mix32(h) & mask;
    for (;;) {
      const e = slots[i];
      if (e === EMPTY_SLOT) {
        this.lastSlot = i;
        return -1;
      }
      if ((this.compacted || this.hashes[e] === h) && this.kind[e] === kind) {
        const dir = this.matches(e, kind, d, srcAt, dstAt, srcPort, dstPort);
        if (dir >= 0) {
          this.lastDirection = dir;
          this.lastSlot = i;
          return e;
        }
      }
      i = (i + 1) & mask;
    }
  }

  /** `find` for IPv4 addresses given as numbers (the common case, kept free of byte reads and calls). */
  private find4(s: number, t: number, sp: number, tp: number): number {
    const h = (mix32(Math.imul(sp + 1, 0x9e3779b1) ^ s) + mix32(Math.imul(tp + 1, 0x9e3779b1) ^ t)) >>> 0;
    this.lastHash = h;
    const slots = this.slots;
    const mask = this.mask;
    const hashes = this.hashes;
    const checkHash = !this.compacted;
    let i = mix32(h) & mask;
    for (;;) {
      const e = slots[i];
      if (e === EMPTY_SLOT) {
        this.lastSlot = i;
        return -1;
      }
      if ((!checkHash || hashes[e] === h) && this.kind[e] === ADDR_IPV4) {
        const a = this.addrA[e];
        const b = this.addrB[e];
        const pa = this.portA[e];
        const pb = this.portB[e];
        if (a === s && b === t && pa === sp && pb === tp) {
          this.lastDirection = 0;
          this.lastSlot = i;
          return e;
        }
        if (a === t && b === s && pa === tp && pb === sp) {
          this.lastDirection = 1;
          this.lastSlot = i;
          return e;
        }
      }
      i = (i + 1) & mask;
    }
  }

  /** Whether entry e is this pair: 0 when src is its side A, 1 when src is side B, -1 if not the pair. */
  private matches(e: number, kind: number, d: Uint8Array, srcAt: number, dstAt: number, srcPort: number, dstPort: number): number {
    const pa = this.portA[e];
    const pb = this.portB[e];
    if (kind === ADDR_IPV4) {
      const s = u32At(d, srcAt);
      const t = u32At(d, dstAt);
      if (pa === srcPort && pb === dstPort && this.addrA[e] === s && this.addrB[e] === t) return 0;
      if (pa === dstPort && pb === srcPort && this.addrA[e] === t && this.addrB[e] === s) return 1;
      return -1;
    }
    const a = this.addrA[e];
    const b = this.addrB[e];
    if (pa === srcPort && pb === dstPort && this.v6Equal(a, d, srcAt) && this.v6Equal(b, d, dstAt)) return 0;
    if (pa === dstPort && pb === srcPort && this.v6Equal(a, d, dstAt) && this.v6Equal(b, d, srcAt)) return 1;
    return -1;
  }

  private v6Equal(word: number, d: Uint8Array, at: number): boolean {
    const v = this.v6;
    return v[word] === u32At(d, at) && v[word + 1] === u32At(d, at + 4) && v[word + 2] === u32At(d, at + 8) && v[word + 3] === u32At(d, at + 12);
  }

  /**
   * Adds an entry for the pair `find` was last called with (it must be the call just before), with the
   * packet's source as side A. If the pair was found, the new entry replaces it for later lookups and
   * remembers it as `previousOfPair`. Returns the new entry's number.
   */
  add(kind: number, d: Uint8Array, srcAt: number, dstAt: number, srcPort: number, dstPort: number, firstFrame: number, replacing: number): number {
    const e = this.count;
    if (e === this.kind.length) this.growEntries();
    this.count = e + 1;
    this.kind[e] = kind;
    this.portA[e] = srcPort;
    this.portB[e] = dstPort;
    if (kind === ADDR_IPV4) {
      this.addrA[e] = u32At(d, srcAt);
      this.addrB[e] = u32At(d, dstAt);
    } else {
      if (this.v6Used + 8 > this.v6.length) {
        const g = new Uint32Array(this.v6.length * 2);
        g.set(this.v6);
        this.v6 = g;
      }
      const w = this.v6Used;
      for (let k = 0; k < 4; k++) {
        this.v6[w + k] = u32At(d, srcAt + 4 * k);
        this.v6[w + 4 + k] = u32At(d, dstAt + 4 * k);
      }
      this.addrA[e] = w;
      this.addrB[e] = w + 4;
      this.v6Used = w + 8;
    }
    this.hashes[e] = this.lastHash;
    if (replacing >= 0) this.replaced.set(e, replacing);
    this.first[e] = firstFrame;
    this.slots[this.lastSlot] = e;
    // Replacing keeps the slot count; a new pair fills one more slot, so keep the load at or under one half.
    if (replacing < 0 && (e + 1) * 2 > this.mask + 1) this.rehash();
    return e;
  }

  /** The entry created before `e` for the same pair (a reused port pair), or -1. */
  previousOfPair(e: number): number {
    return this.replaced.get(e) ?? -1;
  }

  /** The frame that created entry e. */
  firstFrame(e: number): number {
    return this.first[e];
  }

  /**
   * The entry of the pair `find` just returned (`e`) that a frame belongs to: the newest one created at or
   * before that frame (entries for a reused pair are created in frame order).
   */
  entryAt(e: number, frame: number): number {
    while (e >= 0 && this.first[e] > frame) e = this.previousOfPair(e);
    return e;
  }

  kindOf(e: number): number {
    return this.kind[e];
  }

  port(e: number, side: 0 | 1): number {
    return side === 0 ? this.portA[e] : this.portB[e];
  }

  /** Side A's (0) or B's (1) address bytes: 4 for IPv4, 16 for IPv6 (a new array). */
  addressBytes(e: number, side: 0 | 1): Uint8Array {
    const word = side === 0 ? this.addrA[e] : this.addrB[e];
    const words = this.kind[e] === ADDR_IPV4 ? [word] : Array.from(this.v6.subarray(word, word + 4));
    const out = new Uint8Array(words.length * 4);
    words.forEach((w, k) => {
      out[4 * k] = w >>> 24;
      out[4 * k + 1] = (w >>> 16) & 255;
      out[4 * k + 2] = (w >>> 8) & 255;
      out[4 * k + 3] = w & 255;
    });
    return out;
  }

  private compacted = false;

  /**
   * When no more entries will be added: trims the entry columns and rebuilds the index at a load of up to
   * three quarters without the stored hashes (lookups then compare the endpoints themselves).
   */
  compact(): void {
    if (this.compacted) return;
    this.compacted = true;
    const n = this.count;
    this.kind = this.kind.slice(0, n);
    this.portA = this.portA.slice(0, n);
    this.portB = this.portB.slice(0, n);
    this.addrA = this.addrA.slice(0, n);
    this.addrB = this.addrB.slice(0, n);
    this.first = this.first.slice(0, n);
    this.v6 = this.v6.slice(0, this.v6Used);
    // Only the newest entry of each pair is indexed.
    const indexed: number[] = [];
    for (let k = 0; k < this.slots.length; k++) if (this.slots[k] !== EMPTY_SLOT) indexed.push(this.slots[k]);
    let size = 16;
    while (size * 3 < indexed.length * 4) size *= 2;
    const slots = new Int32Array(size).fill(EMPTY_SLOT);
    const mask = size - 1;
    const hashes = this.hashes;
    for (const e of indexed) {
      let i = mix32(hashes[e]) & mask;
      while (slots[i] !== EMPTY_SLOT) i = (i + 1) & mask;
      slots[i] = e;
    }
    this.slots = slots;
    this.mask = mask;
    this.hashes = new Uint32Array(0);
  }

  /** Bytes of typed arrays this table holds (for memory accounting). */
  byteSize(): number {
    return this.kind.byteLength + this.portA.byteLength * 2 + this.addrA.byteLength * 2 + this.hashes.byteLength + this.first.byteLength + this.v6.byteLength + this.slots.byteLength + this.replaced.size * 16;
  }

  private growEntries(): void {
    const n = this.kind.length * 2;
    const g = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.kind = g(this.kind, new Uint8Array(n));
    this.portA = g(this.portA, new Uint16Array(n));
    this.portB = g(this.portB, new Uint16Array(n));
    this.addrA = g(this.addrA, new Uint32Array(n));
    this.addrB = g(this.addrB, new Uint32Array(n));
    this.hashes = g(this.hashes, new Uint32Array(n));
    this.first = g(this.first, new Uint32Array(n));
  }

  /** Doubles the index; only the newest entry of each pair is in it. */
  private rehash(): void {
    const old = this.slots;
    const size = old.length * 2;
    const slots = new Int32Array(size).fill(EMPTY_SLOT);
    const mask = size - 1;
    for (let k = 0; k < old.length; k++) {
      const e = old[k];
      if (e === EMPTY_SLOT) continue;
      let i = mix32(this.hashes[e]) & mask;
      while (slots[i] !== EMPTY_SLOT) i = (i + 1) & mask;
      slots[i] = e;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * One unsigned number per frame in 16 bits, widened to 24 bits by a high byte column allocated the first time
 * a value needs it, and to any size by a side map. 0 means none.
 */
export class FrameValueColumn {
  private low: Uint16Array;
  private high: Uint8Array | null = null;
  private readonly huge = new Map<number, number>();
  /** The highest frame given a value. */
  private highest = 0;

  /** `frameCount`: the frames expected (0 when unknown: a first pass run while the capture is read); grows past it. */
  constructor(frameCount: number) {
    this.low = new Uint16Array(frameCount + 1);
  }

  set(frame: number, value: number): void {
    if (frame >= this.low.length) this.grow(frame);
    if (frame > this.highest) this.highest = frame;
    if (value < 0x10000) {
      this.low[frame] = value;
      if (this.high) this.high[frame] = 0;
      return;
    }
    if (value < 0xffffff) {
      this.high ??= new Uint8Array(this.low.length);
      this.low[frame] = value & 0xffff;
      this.high[frame] = value >>> 16;
      return;
    }
    this.high ??= new Uint8Array(this.low.length);
    this.low[frame] = 0xffff;
    this.high[frame] = 0xff;
    this.huge.set(frame, value);
  }

  get(frame: number): number {
    if (frame >= this.low.length) return 0;
    const lo = this.low[frame];
    const hi = this.high ? this.high[frame] : 0;
    if (hi === 0xff && lo === 0xffff) return this.huge.get(frame) ?? 0;
    return hi * 0x10000 + lo;
  }

  /** Drops the room grown beyond the highest frame set, once no more values will be (the first pass is over). */
  fit(): void {
    const size = this.highest + 1;
    if (this.low.length <= size) return;
    this.low = this.low.slice(0, size);
    if (this.high) this.high = this.high.slice(0, size);
  }

  private grow(frame: number): void {
    const size = Math.max(frame + 1, 2 * this.low.length, 1024);
    this.low = grownTo(this.low, size);
    if (this.high) this.high = grownTo(this.high, size);
  }

  byteSize(): number {
    return this.low.byteLength + (this.high ? this.high.byteLength : 0) + this.huge.size * 16;
  }
}

/**
 * Values for the few frames that have one (e.g. analysis flags), appended in increasing frame order during
 * the first pass and found by binary search: 8 bytes per frame that has a value (4 for the frame, 4 for the
 * value). Setting a frame again (later in the same pass) updates its value; frames must not go backwards.
 */
export class SparseFrameColumn {
  private frames = new Uint32Array(64);
  private values = new Uint32Array(64);
  private n = 0;

  set(frame: number, value: number): void {
    const n = this.n;
    if (n > 0 && this.frames[n - 1] === frame) {
      this.values[n - 1] = value;
      return;
    }
    if (n > 0 && this.frames[n - 1] > frame) {
      // Out of order (cannot happen in a first pass): update in place if present, else ignore.
      const i = this.indexOf(frame);
      if (i >= 0) this.values[i] = value;
      return;
    }
    if (n === this.frames.length) {
      const f = new Uint32Array(n * 2);
      f.set(this.frames);
      this.frames = f;
      const v = new Uint32Array(n * 2);
      v.set(this.values);
      this.values = v;
    }
    this.frames[n] = frame;
    this.values[n] = value;
    this.n = n + 1;
  }

  /** The value for a frame, or `missing`. */
  get(frame: number, missing = 0): number {
    const i = this.indexOf(frame);
    return i < 0 ? missing : this.values[i];
  }

  private indexOf(frame: number): number {
    let lo = 0;
    let hi = this.n - 1;
    const f = this.frames;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = f[mid];
      if (v === frame) return mid;
      if (v < frame) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get size(): number {
    return this.n;
  }

  /** Trims the columns to the values there are (when no more will be added). */
  compact(): void {
    this.frames = this.frames.slice(0, this.n);
    this.values = this.values.slice(0, this.n);
  }

  byteSize(): number {
    return this.frames.byteLength + this.values.byteLength;
  }
}

/** What a frame clock needs from the capture state (see CaptureState.frameTimes). */
export interface FrameTimesSource {
  frameCount: number;
  frameTimes: { readonly tsSec: ArrayLike<number>; readonly tsNsec: ArrayLike<number> } | null;
}

/**
 * Differences between frame times in nanoseconds, computed from whole seconds and nanoseconds apart so they
 * are exact (to the nanosecond, as Wireshark prints them) for frames up to 104 days apart, whatever the
 * capture's span. Reads the capture index when the state has it; otherwise (frames dissected without an
 * index, as in tests) it records each frame's time as the first pass meets it.
 */
export class FrameClock {
  private readonly times: FrameTimesSource['frameTimes'];
  private readonly ownSec: Float64Array | null;
  private readonly ownNsec: Uint32Array | null;
  private nowSec = 0;
  private nowNsec = 0;

  constructor(source: FrameTimesSource) {
    this.times = source.frameTimes;
    this.ownSec = this.times ? null : new Float64Array(source.frameCount + 1);
    this.ownNsec = this.times ? null : new Uint32Array(source.frameCount + 1);
  }

  /** Sets the current frame (and, without an index, remembers its time). */
  setNow(frame: number, secs: number, nsecs: number): void {
    this.nowSec = secs;
    this.nowNsec = nsecs;
    if (this.ownSec && frame < this.ownSec.length) {
      this.ownSec[frame] = secs;
      this.ownNsec![frame] = nsecs;
    }
  }

  private sec(frame: number): number {
    const t = this.times;
    if (t) return frame >= 1 && frame <= t.tsSec.length ? t.tsSec[frame - 1] : 0;
    return frame >= 0 && frame < this.ownSec!.length ? this.ownSec![frame] : 0;
  }

  private nsec(frame: number): number {
    const t = this.times;
    if (t) return frame >= 1 && frame <= t.tsNsec.length ? t.tsNsec[frame - 1] : 0;
    return frame >= 0 && frame < this.ownNsec!.length ? this.ownNsec![frame] : 0;
  }

  /** Nanoseconds from `frame` to the current frame (frame 0 counts as the epoch). */
  sinceFrame(frame: number): number {
    return (this.nowSec - this.sec(frame)) * 1e9 + (this.nowNsec - this.nsec(frame));
  }

  /** Nanoseconds from frame b to frame a. */
  between(a: number, b: number): number {
    return (this.sec(a) - this.sec(b)) * 1e9 + (this.nsec(a) - this.nsec(b));
  }
}

/** A time difference in nanoseconds as an FT_RELATIVE_TIME value (secs and nsecs with the same sign). */
export function relativeTime(ns: number): { secs: number; nsecs: number } {
  const secs = Math.trunc(ns / 1e9);
  return { secs, nsecs: Math.round(ns - secs * 1e9) };
}

/** The name under which the shared per-frame link column lives in the capture state. */
export const TRANSPORT_LINKS = 'transport.links';

/**
 * For each frame, the previous frame of the same transport stream (TCP or UDP) and which way the frame went
 * (0: from the stream's side A, 1: from side B): one byte a frame holding (distance back << 1 | direction)
 * for the frame's first transport layer whose previous frame was also a first layer. This is what the time
 * since the previous frame of a stream (tcp.time_delta, udp.time_delta) needs, and it chains a stream's
 * frames together without a stream number per frame. Distances of 127 frames and more, a frame's further
 * transport layers (a tunnel carrying TCP over UDP, say) and links to such layers go to a side map.
 */
export class TransportLinks {
  private bytes: Uint8Array;
  /** The highest frame linked in the byte column. */
  private highest = 0;
  /** Key frame × 8 + layer (increasing in a first pass); value (distance × 8 + previous layer) × 2 + direction. */
  private readonly more = new SparseFrameColumn();

  /** `frameCount`: the frames expected (0 when unknown: a first pass run while the capture is read); grows past it. */
  constructor(frameCount: number) {
    this.bytes = new Uint8Array(frameCount + 1);
  }

  /**
   * Records, for the frame's `layer`-th transport layer, the stream's previous frame (0: none) and the layer
   * it was in, and the direction.
   */
  set(frame: number, layer: number, prev: number, prevLayer: number, direction: number): void {
    const delta = prev > 0 ? frame - prev : 0;
    if (layer === 0 && frame >= this.bytes.length) this.bytes = grownTo(this.bytes, Math.max(frame + 1, 2 * this.bytes.length, 1024));
    const inColumn = layer === 0;
    if (inColumn && frame > this.highest) this.highest = frame;
    if (inColumn && delta < 127 && prevLayer === 0) {
      this.bytes[frame] = (delta << 1) | direction;
      return;
    }
    if (inColumn) this.bytes[frame] = 0xfe | direction;
    this.more.set(frame * 8 + Math.min(layer, 7), (delta * 8 + Math.min(prevLayer, 7)) * 2 + direction);
  }

  private code(frame: number, layer: number): number {
    if (layer === 0 && frame < this.bytes.length) {
      const b = this.bytes[frame];
      if (b < 0xfe) return ((b >> 1) * 8) * 2 + (b & 1);
    }
    return this.more.get(frame * 8 + Math.min(layer, 7));
  }

  /** The previous frame of the same stream, or 0. */
  previous(frame: number, layer: number): number {
    const delta = Math.floor(this.code(frame, layer) / 16);
    return delta > 0 ? frame - delta : 0;
  }

  /** The transport layer the stream was in, in its previous frame. */
  previousLayer(frame: number, layer: number): number {
    return Math.floor(this.code(frame, layer) / 2) & 7;
  }

  /** Direction of the frame within its stream (0: sent by side A). */
  direction(frame: number, layer: number): number {
    return this.code(frame, layer) & 1;
  }

  /** Trims both columns (the byte column to the highest frame linked) once no more links will be added. */
  compact(): void {
    this.more.compact();
    if (this.bytes.length > this.highest + 1) this.bytes = this.bytes.slice(0, this.highest + 1);
  }

  byteSize(): number {
    return this.bytes.byteLength + this.more.byteSize();
  }
}

/**
 * The frames of a stream in order with their directions, following the links back from its last frame (and
 * the layer it was in there): one step per frame of the stream.
 */
export function linkedFrames(links: TransportLinks, first: number, last: number, lastLayer: number): { frames: Uint32Array; directions: Uint8Array } {
  const found: number[] = [];
  const dirs: number[] = [];
  let layer = lastLayer;
  for (let f = last; f >= first && f > 0; ) {
    found.push(f);
    dirs.push(links.direction(f, layer));
    const p = links.previous(f, layer);
    if (p === 0 || p >= f) break;
    layer = links.previousLayer(f, layer);
    f = p;
  }
  const n = found.length;
  const frames = new Uint32Array(n);
  const directions = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    frames[i] = found[n - 1 - i];
    directions[i] = dirs[n - 1 - i];
  }
  return { frames, directions };
}

/**
 * Which transport layer of the frame is being dissected (0 for the first TCP or UDP header, 1 for the next
 * …), from the protocol chain so far (the current layer is already in it).
 */
export function transportLayerIndex(layers: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < layers.length; i++) {
    const p = layers[i];
    if (p === 'tcp' || p === 'udp') n++;
  }
  return n > 0 ? n - 1 : 0;
}

/** A copy of `a` with room for `size` elements (zeroed past the old ones). */
function grownTo<T extends Uint8Array | Uint16Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}
