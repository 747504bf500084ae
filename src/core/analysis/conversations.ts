import type { AddressTapRecord, TapListener, Taps } from '../dissect/taps';
import type { PacketInfo } from '../dissect/packet-info';
import { formatEther, formatIPv4, formatIPv6 } from '../dissect/format';

/**
 * Conversations: traffic between two endpoints, as Wireshark's Statistics › Conversations window counts it.
 *
 * The eth, ip, ipv6, tcp and udp layers report their addresses (and ports) through taps as they dissect
 * (taps.ts). Every layer counts, so a tunnel's outer and inner IP headers each add to their own conversation,
 * while a header quoted inside an ICMP error counts nowhere (Wireshark's statistics skip error packets). A
 * frame adds its length on the wire to the bytes. TCP and UDP conversations are also told apart by stream
 * number, so a port pair reused after FIN/RST is a new row, as in Wireshark.
 *
 * Address A is the source of the conversation's first packet; "A → B" counts what A sent. Rows come in the
 * order their first packet was seen. Times are relative to the capture's first frame.
 *
 * An IPv6 fragment that does not complete its packet is not counted (Wireshark counts the packet once,
 * where it is reassembled); every IPv4 fragment is.
 *
 * Cost: the session fills every type's table during its first pass (for tcp/udp the stream number finds the
 * row straight away, and the eth/ip rows its last frame counted into are checked first (StreamMemo); other
 * address layers cost a hash of a few words), so asking for a table later costs only its rows. Memory: one
 * entry per conversation — its key words (kind, both addresses, ports, stream) in a pool, a hash slot and a
 * few typed-array columns, about 100 bytes, plus the arrays' room to grow (180 bytes a row in all on the
 * bench capture, whose DNS queries make 50k UDP rows); nothing per frame.
 */

export type ConversationType = 'eth' | 'ip' | 'ipv6' | 'tcp' | 'udp';
export const CONVERSATION_TYPES: readonly ConversationType[] = ['eth', 'ip', 'ipv6', 'tcp', 'udp'];

/** Whether the type has ports (and stream numbers). */
export function hasPorts(type: ConversationType): boolean {
  return type === 'tcp' || type === 'udp';
}

export interface Conversation {
  a: string;
  /** Present for tcp and udp. */
  aPort?: number;
  b: string;
  bPort?: number;
  packets: number;
  bytes: number;
  packetsAB: number;
  bytesAB: number;
  packetsBA: number;
  bytesBA: number;
  /** Seconds from the capture's first frame to the conversation's first packet. */
  relStart: number;
  /** Seconds from the first packet to the last. */
  duration: number;
  /**
   * Bits per second each way over the duration; null when the duration is too short to say (Wireshark shows
   * no rate for conversations of 5 ms or less).
   */
  bpsAB: number | null;
  bpsBA: number | null;
  /** tcp.stream / udp.stream of a tcp or udp conversation, where known. */
  stream?: number;
  /** First and last frame of the conversation. */
  firstFrame: number;
  lastFrame: number;
}

/** Wireshark computes no rate for conversations this short (seconds): the rate would mean nothing. */
export const MIN_RATE_DURATION = 0.005;

/** Address kinds as the taps report them (AddrKind in packet-info.ts) and their sizes. */
const KIND_ETHER = 1;
const KIND_IPV4 = 2;
const KIND_IPV6 = 3;

function addressLength(kind: number): number {
  return kind === KIND_ETHER ? 6 : kind === KIND_IPV4 ? 4 : kind === KIND_IPV6 ? 16 : 0;
}

/** Text form of `len` address bytes of kind `kind` at `at`. */
export function formatAddress(kind: number, data: Uint8Array, at: number): string {
  switch (kind) {
    case KIND_ETHER:
      return formatEther(data.subarray(at, at + 6));
    case KIND_IPV4:
      return formatIPv4(((data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]) >>> 0);
    case KIND_IPV6:
      return formatIPv6(data.subarray(at, at + 16));
    default:
      return '';
  }
}

/**
 * A hash index from short keys of 32-bit words to dense entry numbers (0, 1, 2 … in insertion order), with
 * no allocation per lookup: the key is written into `scratch` (up to 16 words), then `findOrAdd` looks it up.
 * Words rather than bytes: an IPv4 TCP key is 5 words, so hashing and comparing cost a handful of steps.
 * Open addressing over a power-of-two slot array, at most half full.
 */
export class WordKeyIndex {
  readonly scratch = new Uint32Array(16);
  private pool = new Uint32Array(1 << 10);
  private poolUsed = 0;
  private keyAt = new Uint32Array(256);
  private keyLen = new Uint8Array(256);
  private hashes = new Uint32Array(256);
  private slots = new Int32Array(512);
  private mask = 511;
  size = 0;

  /** Whether the last `findOrAdd` added its key. */
  added = false;

  /** The entry of the key in scratch[0, length). */
  findOrAdd(length: number): number {
    const s = this.scratch;
    let h = 0x9747b28c ^ length;
    for (let i = 0; i < length; i++) {
      h = Math.imul(h ^ s[i], 0xcc9e2d51);
      h = (h << 15) | (h >>> 17);
    }
    // Final avalanche (murmur3's), so the low bits used for the slot depend on every word.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h = (h ^ (h >>> 16)) >>> 0;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const e = this.slots[slot] - 1;
      if (e < 0) break;
      if (this.hashes[e] === h && this.keyLen[e] === length && this.sameKey(e, length)) {
        this.added = false;
        return e;
      }
      slot = (slot + 1) & mask;
    }
    const e = this.size++;
    if (e >= this.keyAt.length) this.growEntries();
    if (this.poolUsed + length > this.pool.length) this.pool = growU32(this.pool, Math.max(this.pool.length * 2, this.poolUsed + length));
    this.pool.set(s.subarray(0, length), this.poolUsed);
    this.keyAt[e] = this.poolUsed;
    this.keyLen[e] = length;
    this.hashes[e] = h;
    this.poolUsed += length;
    this.slots[slot] = e + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    this.added = true;
    return e;
  }

  /** The pool holding every key's words (valid until the next add) and where entry e's key starts in it. */
  get poolWords(): Uint32Array {
    return this.pool;
  }

  keyStart(e: number): number {
    return this.keyAt[e];
  }

  /** The words of entry e's key (a view into the pool, valid until the next add). */
  key(e: number): Uint32Array {
    return this.pool.subarray(this.keyAt[e], this.keyAt[e] + this.keyLen[e]);
  }

  private sameKey(e: number, length: number): boolean {
    const p = this.pool;
    const s = this.scratch;
    const at = this.keyAt[e];
    for (let i = 0; i < length; i++) if (p[at + i] !== s[i]) return false;
    return true;
  }

  private growEntries(): void {
    const n = this.keyAt.length * 2;
    this.keyAt = growU32(this.keyAt, n);
    this.hashes = growU32(this.hashes, n);
    const kl = new Uint8Array(n);
    kl.set(this.keyLen);
    this.keyLen = kl;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let e = 0; e < this.size; e++) {
      let slot = this.hashes[e] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** Words an address of `len` bytes takes in a key (big-endian, the last word zero-padded). */
function addressWords(len: number): number {
  return (len + 3) >> 2;
}

/** Writes `len` address bytes at d[at] as big-endian words into k from k[to]. */
function putAddress(d: Uint8Array, at: number, len: number, k: Uint32Array, to: number): void {
  if (len === 4) {
    k[to] = ((d[at] << 24) | (d[at + 1] << 16) | (d[at + 2] << 8) | d[at + 3]) >>> 0;
    return;
  }
  for (let i = 0; i < len; i += 4) {
    const left = len - i;
    let w = d[at + i] << 24;
    if (left > 1) w |= d[at + i + 1] << 16;
    if (left > 2) w |= d[at + i + 2] << 8;
    if (left > 3) w |= d[at + i + 3];
    k[to++] = w >>> 0;
  }
}

/** The text of an address held as key words from k[at]. */
export function formatKeyAddress(kind: number, k: Uint32Array, at: number): string {
  const len = addressLength(kind);
  const b = new Uint8Array(16);
  for (let i = 0; i < len; i++) b[i] = (k[at + (i >> 2)] >>> (24 - 8 * (i & 3))) & 255;
  return formatAddress(kind, b, 0);
}

function growU32(a: Uint32Array, n: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}

function growF64(a: Float64Array, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

/** Where each counter sits in an entry's slot of ConversationTable.counters. */
const PACKETS_AB = 0;
const PACKETS_BA = 1;
const BYTES_AB = 2;
const BYTES_BA = 3;
const START = 4;
const STOP = 5;
const FIRST = 6;
const LAST = 7;
const COUNTERS = 8;

/**
 * The conversations of one type. `add` takes what a tap reported; `conversations()` gives the rows.
 * Times are kept as nanoseconds from the capture's first frame (exact in a double for ~104 days).
 */
export class ConversationTable {
  private readonly index = new WordKeyIndex();
  private readonly ports: boolean;
  private cap = 0;
  /** Per entry: the address kind, whether A is the lower (first) end of the key, the stream. */
  private kind = new Uint8Array(0);
  private aIsLow = new Uint8Array(0);
  private streams = new Int32Array(0);
  /**
   * Per entry, its counters side by side (COUNTERS numbers from COUNTERS × e: packets and bytes each way,
   * start and stop time, first and last frame), so counting a packet touches one cache line, not eight
   * arrays — the tables outgrow the caches on big captures.
   */
  private counters = new Float64Array(0);
  /** tcp/udp: entry + 1 of each stream number (0: not seen yet). */
  private byStream = new Int32Array(256);

  constructor(
    readonly type: ConversationType,
    /** The capture's first frame time: relative times are measured from it. */
    private readonly baseSecs: number,
    private readonly baseNsecs: number,
  ) {
    this.ports = hasPorts(type);
    this.grow(64);
  }

  get size(): number {
    return this.index.size;
  }

  /** Counts one packet: its addresses (and ports, stream) from a tap record, its frame, length and time. */
  add(r: AddressTapRecord, frame: number, len: number, tsSecs: number, tsNsecs: number): void {
    const alen = addressLength(r.kind);
    if (alen === 0) return;
    const t = (tsSecs - this.baseSecs) * 1e9 + (tsNsecs - this.baseNsecs);
    const e = this.entryOfReport(r, alen, t, frame);
    this.count(e, this.forward, frame, len, t);
  }

  /**
   * Set by `entryOf…` and `matches`: whether the packet just looked up goes A → B in its conversation.
   * (A field rather than a second return value, so the lookups allocate nothing.)
   */
  forward = true;

  /** The entry of a tap report (of a known address kind, `alen` bytes), added if new; sets `forward`. */
  entryOfReport(r: AddressTapRecord, alen: number, t: number, frame: number): number {
    const k = this.index.scratch;
    k[0] = r.kind;
    putAddress(r.data, r.srcAt, alen, k, 1);
    putAddress(r.data, r.dstAt, alen, k, 1 + addressWords(alen));
    return this.entryOfScratch(r.kind, alen, this.ports ? r.srcPort : 0, this.ports ? r.dstPort : 0, r.stream, t, frame);
  }

  /** The entry of an address pair held as words (kind, source words, destination words from w[at]); no ports. */
  entryOfWords(w: Uint32Array, at: number, t: number, frame: number): number {
    const kind = w[at];
    const alen = addressLength(kind);
    const n = 1 + 2 * addressWords(alen);
    const k = this.index.scratch;
    for (let i = 0; i < n; i++) k[i] = w[at + i];
    return this.entryOfScratch(kind, alen, 0, 0, -1, t, frame);
  }

  /**
   * Whether entry e is the conversation of the address pair held as words from w[at] (as `entryOfWords`
   * takes them), either way round; sets `forward` when it is. Lets a caller that remembers an entry check
   * it with a few compares instead of a hash lookup.
   */
  matches(e: number, w: Uint32Array, at: number): boolean {
    const kind = w[at];
    if (this.kind[e] !== kind) return false;
    const words = addressWords(addressLength(kind));
    const p = this.index.poolWords;
    const k = this.index.keyStart(e);
    let srcLow = true;
    for (let i = 1; i <= 2 * words; i++) {
      if (p[k + i] !== w[at + i]) {
        srcLow = false;
        break;
      }
    }
    if (!srcLow) {
      for (let i = 1; i <= words; i++) if (p[k + i] !== w[at + words + i] || p[k + words + i] !== w[at + i]) return false;
    }
    this.forward = srcLow === (this.aIsLow[e] === 1);
    return true;
  }

  /** The entry of the key whose kind and source and destination address words are in scratch; sets `forward`. */
  private entryOfScratch(kind: number, alen: number, srcPort: number, dstPort: number, stream: number, t: number, frame: number): number {
    const words = addressWords(alen);
    // Key: kind, the lower end's address, the higher end's, then (tcp/udp) both ports and the stream — the
    // same key whichever way the packet goes. Written in place, without allocating.
    const k = this.index.scratch;
    let cmp = 0;
    for (let i = 1; i <= words && cmp === 0; i++) cmp = k[i] - k[i + words];
    if (cmp === 0) cmp = srcPort - dstPort;
    const srcLow = cmp <= 0;
    // A tcp/udp stream number names its conversation: look it up directly, no hashing (the common case).
    let e = this.ports && stream >= 0 && stream < this.byStream.length ? this.byStream[stream] - 1 : -1;
    if (e < 0) {
      if (!srcLow) {
        for (let i = 1; i <= words; i++) {
          const x = k[i];
          k[i] = k[i + words];
          k[i + words] = x;
        }
      }
      let n = 1 + 2 * words;
      if (this.ports) {
        k[n++] = srcLow ? ((srcPort << 16) | dstPort) >>> 0 : ((dstPort << 16) | srcPort) >>> 0;
        k[n++] = stream >>> 0;
      }
      e = this.index.findOrAdd(n);
      if (this.ports && stream >= 0) this.rememberStream(stream, e);
      if (this.index.added) {
        if (e >= this.cap) this.grow(this.cap * 2);
        this.kind[e] = kind;
        this.aIsLow[e] = srcLow ? 1 : 0;
        this.streams[e] = this.ports ? stream : -1;
        const c = this.counters;
        const at = e * COUNTERS;
        c[at + START] = t;
        c[at + STOP] = t;
        c[at + FIRST] = frame;
      }
    }
    // A packet between identical ends (a host talking to itself) always counts as A → B, as in Wireshark.
    this.forward = cmp === 0 || srcLow === (this.aIsLow[e] === 1);
    return e;
  }

  /** Counts one packet of entry e (`forward`: A → B) at time t (ns from the first frame). */
  count(e: number, forward: boolean, frame: number, len: number, t: number): void {
    const c = this.counters;
    const at = e * COUNTERS;
    if (forward) {
      c[at + PACKETS_AB]++;
      c[at + BYTES_AB] += len;
    } else {
      c[at + PACKETS_BA]++;
      c[at + BYTES_BA] += len;
    }
    if (t > c[at + STOP]) c[at + STOP] = t;
    else if (t < c[at + START]) c[at + START] = t;
    c[at + LAST] = frame;
  }

  private rememberStream(stream: number, e: number): void {
    if (stream >= this.byStream.length) {
      const next = new Int32Array(Math.max(stream + 1, this.byStream.length * 2));
      next.set(this.byStream);
      this.byStream = next;
    }
    this.byStream[stream] = e + 1;
  }

  /** The rows, in the order their first packet was seen. */
  conversations(): Conversation[] {
    const out: Conversation[] = [];
    for (let e = 0; e < this.size; e++) out.push(this.row(e));
    return out;
  }

  /**
   * Calls `each` with the ends of every conversation (for endpoint tables): the key words and where A's and
   * B's address sit in them, and their ports.
   */
  forEachRaw(each: (key: Uint32Array, kind: number, aAt: number, aPort: number, bAt: number, bPort: number, e: number) => void): void {
    for (let e = 0; e < this.size; e++) {
      const key = this.index.key(e);
      const words = addressWords(addressLength(this.kind[e]));
      const ports = this.ports ? key[1 + 2 * words] : 0;
      const lowPort = ports >>> 16;
      const highPort = ports & 0xffff;
      if (this.aIsLow[e]) each(key, this.kind[e], 1, lowPort, 1 + words, highPort, e);
      else each(key, this.kind[e], 1 + words, highPort, 1, lowPort, e);
    }
  }

  /** Packets and bytes each way of entry e (for endpoint tables). */
  counts(e: number): [packetsAB: number, bytesAB: number, packetsBA: number, bytesBA: number] {
    const c = this.counters;
    const at = e * COUNTERS;
    return [c[at + PACKETS_AB], c[at + BYTES_AB], c[at + PACKETS_BA], c[at + BYTES_BA]];
  }

  /** First and last frame of the conversation with this tcp.stream / udp.stream, or null. */
  framesOfStream(stream: number): { first: number; last: number } | null {
    const e = stream >= 0 && stream < this.byStream.length ? this.byStream[stream] - 1 : -1;
    return e < 0 ? null : { first: this.counters[e * COUNTERS + FIRST], last: this.counters[e * COUNTERS + LAST] };
  }

  private row(e: number): Conversation {
    const key = this.index.key(e);
    const kind = this.kind[e];
    const words = addressWords(addressLength(kind));
    const lowText = formatKeyAddress(kind, key, 1);
    const highText = formatKeyAddress(kind, key, 1 + words);
    const aLow = this.aIsLow[e] === 1;
    const c = this.counters;
    const at = e * COUNTERS;
    const packetsAB = c[at + PACKETS_AB];
    const packetsBA = c[at + PACKETS_BA];
    const bytesAB = c[at + BYTES_AB];
    const bytesBA = c[at + BYTES_BA];
    const durationNs = c[at + STOP] - c[at + START];
    const duration = durationNs / 1e9;
    const rated = duration > MIN_RATE_DURATION;
    const row: Conversation = {
      a: aLow ? lowText : highText,
      b: aLow ? highText : lowText,
      packets: packetsAB + packetsBA,
      bytes: bytesAB + bytesBA,
      packetsAB,
      bytesAB,
      packetsBA,
      bytesBA,
      relStart: c[at + START] / 1e9,
      duration,
      bpsAB: rated ? Math.trunc((bytesAB * 8) / duration) : null,
      bpsBA: rated ? Math.trunc((bytesBA * 8) / duration) : null,
      firstFrame: c[at + FIRST],
      lastFrame: c[at + LAST],
    };
    if (this.ports) {
      const lowPort = key[1 + 2 * words] >>> 16;
      const highPort = key[1 + 2 * words] & 0xffff;
      row.aPort = aLow ? lowPort : highPort;
      row.bPort = aLow ? highPort : lowPort;
      if (this.streams[e] >= 0) row.stream = this.streams[e];
    }
    return row;
  }

  private grow(n: number): void {
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(n);
      b.set(a);
      return b;
    };
    this.kind = u8(this.kind);
    this.aIsLow = u8(this.aIsLow);
    const s = new Int32Array(n);
    s.set(this.streams);
    this.streams = s;
    this.counters = growF64(this.counters, n * COUNTERS);
    this.cap = n;
  }
}

/** Words one pending address layer takes: kind, then two addresses of up to 4 words each. */
const LAYER_WORDS = 9;
/** Address layers remembered per tcp/udp stream (eth + ip, a tunnel's outer header). */
const MEMO_LAYERS = 3;
const NO_MEMO = 255;

/**
 * Per tcp/udp stream: the conversations (of other types) its last frame's address layers below it counted
 * into — nearly always the same from frame to frame, so checking them is a few compares, not a hash lookup.
 */
class StreamMemo {
  /** Per stream, how many layers are remembered (NO_MEMO: none yet, or too many). */
  layers = new Uint8Array(256).fill(NO_MEMO);
  /** Per stream and layer: the table (its index in the collector's list) and the entry in it. */
  table = new Uint8Array(256 * MEMO_LAYERS);
  entry = new Int32Array(256 * MEMO_LAYERS);

  ensure(stream: number): void {
    if (stream < this.layers.length) return;
    const n = Math.max(stream + 1, this.layers.length * 2);
    const layers = new Uint8Array(n).fill(NO_MEMO);
    layers.set(this.layers);
    this.layers = layers;
    const table = new Uint8Array(n * MEMO_LAYERS);
    table.set(this.table);
    this.table = table;
    const entry = new Int32Array(n * MEMO_LAYERS);
    entry.set(this.entry);
    this.entry = entry;
  }
}

/**
 * Listens on the address taps and fills one ConversationTable per type. Two modes:
 * - direct (`attach`): every report counts — the capture-wide tables built during the first pass. A frame's
 *   address layers (eth, ip, ipv6) wait, copied as words, until its tcp/udp layer reports: a stream's frames
 *   nearly always repeat the same lower layers, so those are checked against what the stream's previous
 *   frame counted into (StreamMemo) instead of being hashed again. Layers with no transport above them count
 *   when the next frame starts or the collector stops.
 * - held (`attach` with `hold`): reports between `beginFrame()` and `endFrame(keep)` wait until the frame's
 *   display-filter verdict is known (only once the frame is dissected); reports outside are ignored.
 */
export class ConversationCollector {
  readonly tables = new Map<ConversationType, ConversationTable>();
  /** The tables in `types` order: pending layers and memos name a table by its index here. */
  private readonly list: ConversationTable[] = [];
  private readonly base: { secs: number; nsecs: number };
  // Direct mode: the current frame and its address layers not counted yet.
  private pendingFrame = -1;
  private pendingLen = 0;
  private pendingTime = 0;
  private pendingCount = 0;
  private pendingTable = new Uint8Array(8);
  private pendingWords = new Uint32Array(8 * LAYER_WORDS);
  private readonly tcpMemo = new StreamMemo();
  private readonly udpMemo = new StreamMemo();
  // Held reports of the current frame: a few per frame, in reused columns.
  private holding = false;
  private heldCount = 0;
  private heldType: ConversationType[] = [];
  private heldKind = new Uint8Array(16);
  private heldData: Uint8Array[] = [];
  private heldSrcAt = new Uint32Array(16);
  private heldDstAt = new Uint32Array(16);
  private heldSrcPort = new Uint16Array(16);
  private heldDstPort = new Uint16Array(16);
  private heldStream = new Int32Array(16);
  private frame = 0;
  private len = 0;
  private tsSecs = 0;
  private tsNsecs = 0;
  private readonly record: AddressTapRecord = { kind: 0, data: new Uint8Array(0), srcAt: 0, dstAt: 0, srcPort: 0, dstPort: 0, stream: -1 };

  constructor(
    readonly types: readonly ConversationType[],
    baseSecs: number,
    baseNsecs: number,
  ) {
    this.base = { secs: baseSecs, nsecs: baseNsecs };
    for (const t of types) {
      const table = new ConversationTable(t, baseSecs, baseNsecs);
      this.tables.set(t, table);
      this.list.push(table);
    }
  }

  /** Starts listening; returns the function that stops. With `hold`, reports wait for `endFrame`. */
  attach(taps: Taps, hold = false): () => void {
    const offs = this.types.map((type, ti) => {
      const table = this.list[ti];
      const listener: TapListener<AddressTapRecord> = hold
        ? (r, pinfo) => this.holdReport(type, r, pinfo)
        : hasPorts(type)
          ? (r, pinfo) => this.transportReport(table, type === 'tcp' ? this.tcpMemo : this.udpMemo, r, pinfo)
          : (r, pinfo) => this.addressReport(ti, r, pinfo);
      return taps.on<AddressTapRecord>(type, listener);
    });
    return () => {
      if (!hold) this.countPending();
      offs.forEach((off) => off());
    };
  }

  /** Direct mode: a frame's first report ends the previous frame (its layers without a transport count now). */
  private startFrame(pinfo: PacketInfo): void {
    this.countPending();
    this.pendingFrame = pinfo.frame;
    this.pendingLen = pinfo.len;
    this.pendingTime = (pinfo.tsSecs - this.base.secs) * 1e9 + (pinfo.tsNsecs - this.base.nsecs);
  }

  /** Direct mode, eth/ip/ipv6: keeps the layer's addresses (as words: the frame's bytes do not outlive it). */
  private addressReport(ti: number, r: AddressTapRecord, pinfo: PacketInfo): void {
    if (pinfo.frame !== this.pendingFrame) this.startFrame(pinfo);
    const alen = addressLength(r.kind);
    if (alen === 0) return;
    if (this.pendingCount === this.pendingTable.length) this.countPending();
    const i = this.pendingCount++;
    const w = this.pendingWords;
    const at = i * LAYER_WORDS;
    this.pendingTable[i] = ti;
    w[at] = r.kind;
    putAddress(r.data, r.srcAt, alen, w, at + 1);
    putAddress(r.data, r.dstAt, alen, w, at + 1 + addressWords(alen));
  }

  /** Direct mode, tcp/udp: counts the transport, and the pending layers below it through the stream's memo. */
  private transportReport(table: ConversationTable, memo: StreamMemo, r: AddressTapRecord, pinfo: PacketInfo): void {
    if (pinfo.frame !== this.pendingFrame) this.startFrame(pinfo);
    const stream = r.stream;
    if (stream >= 0 && this.pendingCount !== 0) this.countPendingOf(memo, stream);
    else this.countPending();
    const alen = addressLength(r.kind);
    if (alen === 0) return;
    const t = this.pendingTime;
    const e = table.entryOfReport(r, alen, t, pinfo.frame);
    table.count(e, table.forward, pinfo.frame, pinfo.len, t);
  }

  /** Counts the pending layers, each looked up by its key. */
  private countPending(): void {
    const n = this.pendingCount;
    this.pendingCount = 0;
    for (let i = 0; i < n; i++) {
      const table = this.list[this.pendingTable[i]];
      const e = table.entryOfWords(this.pendingWords, i * LAYER_WORDS, this.pendingTime, this.pendingFrame);
      table.count(e, table.forward, this.pendingFrame, this.pendingLen, this.pendingTime);
    }
  }

  /** Counts the pending layers below a tcp/udp stream: through its memo when they match it, else by key (and remembered). */
  private countPendingOf(memo: StreamMemo, stream: number): void {
    const n = this.pendingCount;
    memo.ensure(stream);
    const w = this.pendingWords;
    const m = stream * MEMO_LAYERS;
    if (memo.layers[stream] === n) {
      // Every layer must match before any counts: a partial match falls back to the lookups below.
      let forward = 0;
      let i = 0;
      for (; i < n; i++) {
        const ti = this.pendingTable[i];
        const table = this.list[ti];
        if (memo.table[m + i] !== ti || !table.matches(memo.entry[m + i], w, i * LAYER_WORDS)) break;
        if (table.forward) forward |= 1 << i;
      }
      if (i === n) {
        this.pendingCount = 0;
        for (let j = 0; j < n; j++) this.list[memo.table[m + j]].count(memo.entry[m + j], (forward & (1 << j)) !== 0, this.pendingFrame, this.pendingLen, this.pendingTime);
        return;
      }
    }
    this.pendingCount = 0;
    for (let i = 0; i < n; i++) {
      const ti = this.pendingTable[i];
      const table = this.list[ti];
      const e = table.entryOfWords(w, i * LAYER_WORDS, this.pendingTime, this.pendingFrame);
      table.count(e, table.forward, this.pendingFrame, this.pendingLen, this.pendingTime);
      if (i < MEMO_LAYERS) {
        memo.table[m + i] = ti;
        memo.entry[m + i] = e;
      }
    }
    memo.layers[stream] = n <= MEMO_LAYERS ? n : NO_MEMO;
  }

  /** Starts a frame in held mode: reports are taken only between this and `endFrame` (other dissections may interleave). */
  beginFrame(): void {
    this.holding = true;
    this.heldCount = 0;
  }

  /** Ends a frame in held mode: its reports count if `keep`, else they are dropped. */
  endFrame(keep: boolean): void {
    this.holding = false;
    if (keep) {
      const r = this.record;
      for (let i = 0; i < this.heldCount; i++) {
        r.kind = this.heldKind[i];
        r.data = this.heldData[i];
        r.srcAt = this.heldSrcAt[i];
        r.dstAt = this.heldDstAt[i];
        r.srcPort = this.heldSrcPort[i];
        r.dstPort = this.heldDstPort[i];
        r.stream = this.heldStream[i];
        this.tables.get(this.heldType[i])!.add(r, this.frame, this.len, this.tsSecs, this.tsNsecs);
      }
    }
    this.heldCount = 0;
    this.heldData.length = 0;
  }

  private holdReport(type: ConversationType, r: AddressTapRecord, pinfo: PacketInfo): void {
    if (!this.holding) return;
    const i = this.heldCount++;
    if (i >= this.heldKind.length) this.growHeld();
    this.frame = pinfo.frame;
    this.len = pinfo.len;
    this.tsSecs = pinfo.tsSecs;
    this.tsNsecs = pinfo.tsNsecs;
    this.heldType[i] = type;
    this.heldKind[i] = r.kind;
    // The frame's bytes stay valid until the frame is done, so a reference suffices.
    this.heldData[i] = r.data;
    this.heldSrcAt[i] = r.srcAt;
    this.heldDstAt[i] = r.dstAt;
    this.heldSrcPort[i] = r.srcPort;
    this.heldDstPort[i] = r.dstPort;
    this.heldStream[i] = r.stream;
  }

  private growHeld(): void {
    const n = this.heldKind.length * 2;
    const k = new Uint8Array(n);
    k.set(this.heldKind);
    this.heldKind = k;
    this.heldSrcAt = growU32(this.heldSrcAt, n);
    this.heldDstAt = growU32(this.heldDstAt, n);
    const sp = new Uint16Array(n);
    sp.set(this.heldSrcPort);
    this.heldSrcPort = sp;
    const dp = new Uint16Array(n);
    dp.set(this.heldDstPort);
    this.heldDstPort = dp;
    const st = new Int32Array(n);
    st.set(this.heldStream);
    this.heldStream = st;
  }
}

/** Parses a conversation/endpoint type name; null when it is not one. */
export function conversationType(text: string): ConversationType | null {
  return (CONVERSATION_TYPES as readonly string[]).includes(text) ? (text as ConversationType) : null;
}

/** Column titles of Wireshark's Conversations window. */
export function conversationHeader(type: ConversationType): string[] {
  const ports = hasPorts(type);
  return [
    'Address A',
    ...(ports ? ['Port A'] : []),
    'Address B',
    ...(ports ? ['Port B'] : []),
    'Packets',
    'Bytes',
    'Packets A → B',
    'Bytes A → B',
    'Packets B → A',
    'Bytes B → A',
    'Rel Start',
    'Duration',
    'Bits/s A → B',
    'Bits/s B → A',
  ];
}

/** One row as text cells, in the header's order: times as Wireshark shows them (9 and 4 decimals). */
export function conversationCells(type: ConversationType, c: Conversation): string[] {
  const ports = hasPorts(type);
  return [
    c.a,
    ...(ports ? [String(c.aPort ?? '')] : []),
    c.b,
    ...(ports ? [String(c.bPort ?? '')] : []),
    String(c.packets),
    String(c.bytes),
    String(c.packetsAB),
    String(c.bytesAB),
    String(c.packetsBA),
    String(c.bytesBA),
    c.relStart.toFixed(9),
    c.duration.toFixed(4),
    c.bpsAB === null ? '' : String(c.bpsAB),
    c.bpsBA === null ? '' : String(c.bpsBA),
  ];
}

/** The DESIGN.md §4 JSON shape of a row (ports only for tcp/udp), plus rates, stream and frames. */
export function conversationJson(type: ConversationType, c: Conversation): Record<string, unknown> {
  const o: Record<string, unknown> = { a: c.a };
  if (hasPorts(type)) o.aPort = c.aPort;
  o.b = c.b;
  if (hasPorts(type)) o.bPort = c.bPort;
  o.packets = c.packets;
  o.bytes = c.bytes;
  o.packetsAB = c.packetsAB;
  o.bytesAB = c.bytesAB;
  o.packetsBA = c.packetsBA;
  o.bytesBA = c.bytesBA;
  o.relStart = c.relStart;
  o.duration = c.duration;
  o.bpsAB = c.bpsAB;
  o.bpsBA = c.bpsBA;
  if (c.stream !== undefined) o.stream = c.stream;
  o.firstFrame = c.firstFrame;
  o.lastFrame = c.lastFrame;
  return o;
}
