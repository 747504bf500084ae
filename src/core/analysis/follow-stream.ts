import type { PayloadTapRecord, Taps } from '../dissect/taps';
import type { PacketInfo } from '../dissect/packet-info';
import type { Capture } from '../capture/open-capture';
import { MemorySource } from '../capture/byte-source';
import { formatAddress } from './conversations';
import type { CaptureState } from '../dissect/capture-state';
import { tcpStreamCount, tcpStreamFrameRange, tcpStreamFrames } from './tcp-analysis';
import { udpStreamCount, udpStreamsOf } from './udp-streams';

/**
 * Follow Stream for TCP and UDP: a stream's payload in the order the application saw it, as Wireshark's
 * Follow Stream (and `tshark -z follow,tcp|udp,…`) shows it.
 *
 * The first segment (or datagram) of the stream names the client: its source is node 0, its destination
 * node 1 (the server). Every segment then goes to its side's byte stream:
 * - a segment that starts where the side's stream ends is appended (only its new bytes, if it overlaps what
 *   came before); one that starts beyond waits as an out-of-order fragment; one that holds nothing new (a
 *   retransmission, a keep-alive) is dropped;
 * - after each append, waiting fragments that now fit are appended too;
 * - when the other side acknowledges bytes beyond the first waiting fragment, the bytes before it were seen
 *   by the receiver but not captured: the stream gets "[N bytes missing in capture file]" (with the NUL
 *   byte Wireshark includes) and goes on from the fragment.
 * Sequence numbers are tcp.seq as shown (relative), so a SYN counts one. A UDP stream is every non-empty
 * datagram's payload in capture order.
 *
 * Cost: only the stream's frames are dissected (the first pass linked each to the stream's previous one),
 * once to plan and, for chunks of reassembled data only, again when read.
 *
 * Memory: the result is a plan — for each chunk its frame, where its bytes sit in that frame and how many
 * (16 bytes a chunk) — never the bytes. They are read again, window by window, when the chunks are walked
 * (`FollowStream.chunks`), so a stream of any size is followed in bounded memory and formats are produced
 * chunk by chunk. Out-of-order fragments wait as plan entries too; at most MAX_PENDING_FRAGMENTS per side
 * wait at once (more are dropped: a bound on time and memory Wireshark does not have).
 */

export type FollowProto = 'tcp' | 'udp';
export const FOLLOW_PROTOS: readonly FollowProto[] = ['tcp', 'udp'];
export type FollowFormat = 'ascii' | 'hex' | 'raw' | 'json';
export const FOLLOW_FORMATS: readonly FollowFormat[] = ['ascii', 'hex', 'raw', 'json'];

/** Out-of-order fragments kept waiting per side; beyond this, further ones are dropped. */
export const MAX_PENDING_FRAGMENTS = 4096;

/** How a chunk's bytes are found again. */
const FROM_FRAME = 0;
/** Bytes of a data source the dissection builds (a reassembled datagram): found by dissecting the frame again. */
const FROM_DISSECTION = 1;
/** The "[N bytes missing in capture file]" marker. */
const GAP = 2;

const TH_SYN = 0x002;

/** What a follow gives besides its chunks. */
export interface FollowSummary {
  proto: FollowProto;
  stream: number;
  /** Node 0 and node 1 as tshark prints them ("10.0.0.1:80", "[2001:db8::1]:80"; ":0" when unknown). */
  client: string;
  server: string;
  clientAddress: string;
  clientPort: number;
  serverAddress: string;
  serverPort: number;
  /** Bytes and chunks each way (a missing-bytes marker counts as the chunk it is shown as). */
  clientBytes: number;
  serverBytes: number;
  clientChunks: number;
  serverChunks: number;
  /** How often the direction changed from one chunk to the next (a first chunk from the server counts one). */
  turns: number;
  chunks: number;
  /** The display filter that selects the stream (tshark's "Filter:" line). */
  filter: string;
}

/** One chunk as it is walked: `data` is a view valid only during the callback. */
export interface FollowChunk {
  index: number;
  /** 0: client to server; 1: server to client. */
  dir: 0 | 1;
  frame: number;
  data: Uint8Array;
  /** A "[N bytes missing in capture file]" marker rather than captured bytes. */
  gap: boolean;
}

/** Growable columns of the plan: one entry per chunk or waiting fragment. */
class ChunkColumns {
  frame = new Uint32Array(64);
  /** Offset in the frame (FROM_FRAME), in the dissected payload (FROM_DISSECTION), or the missing count (GAP). */
  offset = new Uint32Array(64);
  length = new Uint32Array(64);
  /** Bits 0–1: kind; bit 2: direction; bits 8+: the payload's ordinal among the frame's follow reports. */
  info = new Uint32Array(64);
  count = 0;

  push(frame: number, offset: number, length: number, info: number): number {
    const i = this.count++;
    if (i >= this.frame.length) {
      const n = this.frame.length * 2;
      this.frame = grow(this.frame, n);
      this.offset = grow(this.offset, n);
      this.length = grow(this.length, n);
      this.info = grow(this.info, n);
    }
    this.frame[i] = frame;
    this.offset[i] = offset;
    this.length[i] = length;
    this.info[i] = info;
    return i;
  }
}

function grow(a: Uint32Array, n: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}

/** Sequence-space comparisons (RFC 9293 §3.4: arithmetic modulo 2^32). */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

interface Fragment {
  seq: number;
  frame: number;
  offset: number;
  length: number;
  /** Kind and ordinal bits as in ChunkColumns.info (direction added when the fragment is placed). */
  info: number;
}

/** The text of the marker for `missing` bytes: tshark prints it with its terminating NUL. */
function gapText(missing: number): Uint8Array {
  const s = `[${missing} bytes missing in capture file]`;
  const out = new Uint8Array(s.length + 1);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Builds a stream's plan from the follow tap: attach it, dissect the stream's frames in order calling
 * `beginFrame` before and `endFrame` after each, then `finish`.
 */
export class StreamFollower {
  readonly chunks = new ChunkColumns();
  private active = false;
  // The frame's reports, held until the frame is dissected: the nodes are the packet's final addresses.
  private heldCount = 0;
  private held: { stream: number; offset: number; captured: number; segLen: number; seq: number; ack: number; flags: number; info: number }[] = [];
  private ordinal = 0;
  private matches = false;
  // Nodes: address kind, bytes, port. Node 0 is the client.
  private clientKind = 0;
  private readonly clientAddr = new Uint8Array(16);
  private clientPort = 0;
  private serverKind = 0;
  private readonly serverAddr = new Uint8Array(16);
  private serverPort = 0;
  // TCP: per side, the next expected sequence number, bytes appended in order, waiting fragments.
  private readonly nextSeq = [0, 0];
  private readonly written = [0, 0];
  private readonly pending: Fragment[][] = [[], []];
  /** Per side: pending list and next seq at the last fruitless scan (nothing fit then; nothing will until either changes). */
  private readonly idleVersion = [-1, -1];
  private readonly idleNext = [0, 0];
  private readonly idleLowest = [0, 0];
  private readonly pendingVersion = [0, 0];

  constructor(
    readonly proto: FollowProto,
    readonly stream: number,
  ) {}

  /** Listens on the protocol's follow tap; returns the function that stops. Reports count only between begin/end. */
  attach(taps: Taps): () => void {
    return taps.on<PayloadTapRecord>(`${this.proto}.follow`, (r) => this.report(r));
  }

  beginFrame(): void {
    this.active = true;
    this.heldCount = 0;
    this.ordinal = 0;
    this.matches = false;
  }

  private report(r: PayloadTapRecord): void {
    if (!this.active) return;
    const p = r.payload;
    // Wireshark follows every transport layer of a frame that belongs to the stream.
    if (r.stream === this.stream) this.matches = true;
    const i = this.heldCount++;
    const fromFrame = p.source === 0;
    const h = (this.held[i] ??= { stream: 0, offset: 0, captured: 0, segLen: 0, seq: 0, ack: 0, flags: 0, info: 0 });
    h.stream = r.stream;
    h.offset = fromFrame ? p.sourceOffset : 0;
    h.captured = p.length;
    h.segLen = r.segLen;
    h.seq = r.seq;
    h.ack = r.ack;
    h.flags = r.flags;
    h.info = (fromFrame ? FROM_FRAME : FROM_DISSECTION) | (this.ordinal++ << 8);
  }

  /**
   * Ends a frame: its reports join the stream if one of them is the stream's. Returns false when the frame
   * reported other streams only (it was not one of the stream's frames after all).
   */
  endFrame(pinfo: PacketInfo): boolean {
    this.active = false;
    if (!this.matches) return this.heldCount === 0;
    const src = pinfo.netSrc.kind !== 0 ? pinfo.netSrc : pinfo.dlSrc;
    const dst = pinfo.netDst.kind !== 0 ? pinfo.netDst : pinfo.dlDst;
    for (let i = 0; i < this.heldCount; i++) {
      const h = this.held[i];
      // An empty datagram is not followed at all (it does not even name the nodes), as in tshark.
      if (this.proto === 'udp' && h.captured === 0) continue;
      // The first report names the nodes (again while the client's port is 0, as in Wireshark).
      if (this.clientPort === 0) {
        this.clientKind = src.kind;
        copyAddress(src.data, src.at, src.kind, this.clientAddr);
        this.clientPort = pinfo.srcPort;
        this.serverKind = dst.kind;
        copyAddress(dst.data, dst.at, dst.kind, this.serverAddr);
        this.serverPort = pinfo.dstPort;
      }
      const fromClient = src.kind === this.clientKind && pinfo.srcPort === this.clientPort && sameAddress(src.data, src.at, src.kind, this.clientAddr);
      const side = fromClient ? 0 : 1;
      if (this.proto === 'udp') this.chunks.push(pinfo.frame, h.offset, h.captured, h.info | (side << 2));
      else this.segment(side, pinfo.frame, h);
    }
    return true;
  }

  private segment(side: number, frame: number, h: StreamFollower['held'][number]): void {
    let seq = h.flags & TH_SYN ? (h.seq + 1) >>> 0 : h.seq;
    let length = h.segLen;
    let offset = 0;
    let captured = h.captured;
    const other = 1 - side;
    // An acknowledgment may show that bytes the other side sent were received though not captured.
    if (this.pending[other].length) while (this.drain(other, h.ack, frame, true));
    if (this.written[side] === 0 && this.nextSeq[side] === 0) this.nextSeq[side] = seq;
    const next = this.nextSeq[side];
    if (seqDiff(seq, next) < 0) {
      const end = (seq + length) >>> 0;
      if (seqDiff(end, next) > 0) {
        // A retransmission with more: keep only what is new.
        offset = (next - seq) >>> 0;
        captured = captured <= offset ? 0 : captured - offset;
        seq = next;
        length = (end - next) >>> 0;
      }
    }
    if (captured === 0 || seqDiff(seq, next) < 0) return;
    if (seq === next) {
      this.nextSeq[side] = (next + length) >>> 0;
      this.written[side] += captured;
      this.chunks.push(frame, h.offset + offset, captured, h.info | (side << 2));
      while (this.drain(side, 0, frame, false));
    } else if (this.pending[side].length < MAX_PENDING_FRAGMENTS) {
      this.pending[side].push({ seq, frame, offset: h.offset + offset, length: captured, info: h.info });
      this.pendingVersion[side]++;
    }
  }

  /**
   * Appends to `side` the first waiting fragment (in arrival order) that starts at or before its stream's end;
   * else, when `useAck` and the other side acknowledged beyond the lowest waiting fragment, the missing-bytes
   * marker. Returns whether anything was appended.
   */
  private drain(side: number, ack: number, frame: number, useAck: boolean): boolean {
    const list = this.pending[side];
    if (list.length === 0) return false;
    const next = this.nextSeq[side];
    let lowest: number;
    if (this.idleVersion[side] === this.pendingVersion[side] && this.idleNext[side] === next) {
      // Scanned before with the same fragments and stream end: none fits.
      lowest = this.idleLowest[side];
    } else {
      lowest = list[0].seq;
      for (let i = 0; i < list.length; i++) {
        const f = list[i];
        if (seqDiff(lowest, f.seq) > 0) lowest = f.seq;
        if (seqDiff(f.seq, next) < 0) {
          // Starts before the end: append what it has beyond it, if anything.
          const end = (f.seq + f.length) >>> 0;
          if (seqDiff(end, next) > 0) {
            const skip = (next - f.seq) >>> 0;
            if (f.length > skip) this.chunks.push(f.frame, f.offset + skip, f.length - skip, f.info | (side << 2));
            this.nextSeq[side] = (next + f.length - skip) >>> 0;
          }
          this.remove(side, i);
          return true;
        }
        if (f.seq === next) {
          if (f.length > 0) this.chunks.push(f.frame, f.offset, f.length, f.info | (side << 2));
          this.nextSeq[side] = (next + f.length) >>> 0;
          this.remove(side, i);
          return true;
        }
      }
      this.idleVersion[side] = this.pendingVersion[side];
      this.idleNext[side] = next;
      this.idleLowest[side] = lowest;
    }
    if (useAck && seqDiff(ack, lowest) > 0) {
      this.chunks.push(frame, seqDiff(lowest, next) >>> 0, gapText(seqDiff(lowest, next)).length, GAP | (side << 2));
      this.nextSeq[side] = lowest;
      return true;
    }
    return false;
  }

  private remove(side: number, i: number): void {
    this.pending[side].splice(i, 1);
    this.pendingVersion[side]++;
  }

  /** The summary, once every frame of the stream has been seen. */
  finish(): FollowSummary {
    const c = this.chunks;
    let clientBytes = 0;
    let serverBytes = 0;
    let clientChunks = 0;
    let serverChunks = 0;
    let turns = 0;
    let last = 0;
    for (let i = 0; i < c.count; i++) {
      const dir = (c.info[i] >> 2) & 1;
      if (dir) {
        serverBytes += c.length[i];
        serverChunks++;
      } else {
        clientBytes += c.length[i];
        clientChunks++;
      }
      if (dir !== last) turns++;
      last = dir;
    }
    const clientAddress = formatAddress(this.clientKind, this.clientAddr, 0);
    const serverAddress = formatAddress(this.serverKind, this.serverAddr, 0);
    return {
      proto: this.proto,
      stream: this.stream,
      client: nodeText(this.clientKind, clientAddress, this.clientPort),
      server: nodeText(this.serverKind, serverAddress, this.serverPort),
      clientAddress,
      clientPort: this.clientPort,
      serverAddress,
      serverPort: this.serverPort,
      clientBytes,
      serverBytes,
      clientChunks,
      serverChunks,
      turns,
      chunks: c.count,
      filter: `${this.proto}.stream eq ${this.stream}`,
    };
  }
}

function copyAddress(data: Uint8Array, at: number, kind: number, out: Uint8Array): void {
  const n = addressBytes(kind);
  for (let i = 0; i < n; i++) out[i] = data[at + i];
}

function sameAddress(data: Uint8Array, at: number, kind: number, addr: Uint8Array): boolean {
  const n = addressBytes(kind);
  for (let i = 0; i < n; i++) if (data[at + i] !== addr[i]) return false;
  return true;
}

function addressBytes(kind: number): number {
  return kind === 1 ? 6 : kind === 2 ? 4 : kind === 3 ? 16 : 0;
}

/** "addr:port", IPv6 in brackets — tshark's Node lines. */
function nodeText(kind: number, address: string, port: number): string {
  return kind === 3 ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * The frames of a stream, as the first pass linked them (each frame points back to the stream's previous
 * one), and the first and last frame; null when there is no such stream. For UDP the caller gives the
 * stream's first and last frame (the conversation table has them).
 */
export function streamFrames(
  state: CaptureState,
  proto: FollowProto,
  stream: number,
  udpRange: { first: number; last: number } | null,
): { frames: Uint32Array; first: number; last: number } | null {
  if (!Number.isInteger(stream) || stream < 0) return null;
  if (proto === 'tcp') {
    if (stream >= tcpStreamCount(state)) return null;
    const { first, last } = tcpStreamFrameRange(state, stream);
    return { frames: tcpStreamFrames(state, stream).frames, first, last };
  }
  if (stream >= udpStreamCount(state) || !udpRange) return null;
  const links = udpStreamsOf(state).links;
  const { first, last } = udpRange;
  const found: number[] = [];
  for (let f = last; f >= first && f > 0; ) {
    found.push(f);
    const p = links.previous(f, 0);
    if (p === 0 || p >= f) break;
    f = p;
  }
  return { frames: Uint32Array.from(found.reverse()), first, last };
}

/**
 * Calls `each` with the bytes of the listed frames (ascending), reading nearby frames in one window, so a
 * stream costs about one pass over its own frames. The bytes are valid only during the call.
 */
export async function forEachListedFrame(capture: Capture, frames: ArrayLike<number>, each: (frame: number, bytes: Uint8Array) => void): Promise<void> {
  const { index, source } = capture;
  const memory = source instanceof MemorySource ? source : null;
  let i = 0;
  while (i < frames.length) {
    const f0 = frames[i] - 1;
    if (memory) {
      each(frames[i], memory.readSync(index.offset[f0], index.capLen[f0]));
      i++;
      continue;
    }
    const start = index.offset[f0];
    let end = start + index.capLen[f0];
    let j = i + 1;
    while (j < frames.length) {
      const f = frames[j] - 1;
      const o = index.offset[f];
      const e = o + index.capLen[f];
      if (o < start || o > end + NEAR || Math.max(end, e) - start > WINDOW) break;
      end = Math.max(end, e);
      j++;
    }
    const win = await source.read(start, end - start);
    for (let k = i; k < j; k++) {
      const at = index.offset[frames[k] - 1] - start;
      each(frames[k], win.subarray(at, at + index.capLen[frames[k] - 1]));
    }
    i = j;
  }
}

/** Re-dissects a frame and returns the bytes of its `ordinal`-th follow report (for chunks of reassembled data). */
export type Redissect = (frame: number, bytes: Uint8Array, ordinal: number) => Uint8Array;

const WINDOW = 8 << 20;
/** Frames closer than this in the file are read in one window (cheaper than a read each). */
const NEAR = 256 << 10;

/** A followed stream: its summary, and its chunks to walk. */
export class FollowStream {
  constructor(
    readonly summary: FollowSummary,
    private readonly plan: ChunkColumns,
    private readonly capture: Capture,
    private readonly redissect: Redissect,
  ) {}

  /**
   * Walks chunks [from, to) in order. Frames are read in windows of nearby frames, so a stream costs about
   * one sequential read of its frames; `each` gets views that are valid only during the call, and stops
   * the walk by returning false.
   */
  async chunks(each: (chunk: FollowChunk) => void | boolean, from = 0, to = this.plan.count): Promise<void> {
    const p = this.plan;
    const { index, source } = this.capture;
    to = Math.min(to, p.count);
    const chunk: FollowChunk = { index: 0, dir: 0, frame: 0, data: new Uint8Array(0), gap: false };
    let stopped = false;
    const emit = (i: number, data: Uint8Array, gap: boolean) => {
      chunk.index = i;
      chunk.dir = ((p.info[i] >> 2) & 1) as 0 | 1;
      chunk.frame = p.frame[i];
      chunk.data = data;
      chunk.gap = gap;
      if (each(chunk) === false) stopped = true;
    };
    const memory = source instanceof MemorySource ? source : null;
    let i = from;
    while (i < to && !stopped) {
      const kind = p.info[i] & 3;
      if (kind === GAP) {
        emit(i, gapText(p.offset[i] | 0), true);
        i++;
        continue;
      }
      // Chunks i..j-1 come from frames read in one window.
      const f0 = p.frame[i] - 1;
      const start = index.offset[f0];
      let end = start + index.capLen[f0];
      let j = i + 1;
      if (!memory) {
        while (j < to && (p.info[j] & 3) !== GAP) {
          const f = p.frame[j] - 1;
          const o = index.offset[f];
          const e = o + index.capLen[f];
          if (o < start || o > end + NEAR || Math.max(end, e) - start > WINDOW) break;
          end = Math.max(end, e);
          j++;
        }
      }
      const win = memory ? null : await source.read(start, end - start);
      for (let k = i; k < j && !stopped; k++) {
        const f = p.frame[k] - 1;
        const at = index.offset[f];
        const bytes = memory ? memory.readSync(at, index.capLen[f]) : win!.subarray(at - start, at - start + index.capLen[f]);
        if ((p.info[k] & 3) === FROM_DISSECTION) {
          const payload = this.redissect(p.frame[k], bytes, p.info[k] >>> 8);
          emit(k, payload.subarray(p.offset[k], p.offset[k] + p.length[k]), false);
        } else {
          emit(k, bytes.subarray(p.offset[k], p.offset[k] + p.length[k]), false);
        }
      }
      i = j;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Output formats. Each returns text ending in a newline; chunks are formatted one at a time.
// ---------------------------------------------------------------------------------------------------------

const SEPARATOR = '===================================================================';

/** tshark's header: a blank line, the separator, Follow/Filter/Node lines. */
export function followHeader(s: FollowSummary, format: Exclude<FollowFormat, 'json'>): string {
  return `\n${SEPARATOR}\nFollow: ${s.proto},${format}\nFilter: ${s.filter}\nNode 0: ${s.client}\nNode 1: ${s.server}\n`;
}

export function followFooter(): string {
  return `${SEPARATOR}\n`;
}

/** Hex digits as character codes. */
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Every output byte is ASCII (non-printing bytes become '.'), so a single-byte decoder turns a buffer into text. */
const latin1 = new TextDecoder('latin1');

function printable(b: number): boolean {
  return b >= 0x20 && b < 0x7f;
}

/**
 * Formats chunks as tshark does: `raw` one line of hex per chunk; `ascii` the chunk's length, then its
 * bytes with non-printing ones as '.' (CR and LF kept), then a newline; `hex` a hex dump whose offsets count
 * each direction on its own. Server-to-client chunks are indented by a tab. Text is built in a reused byte
 * buffer and decoded once per chunk: a 100 MB stream is 200 MB of raw text.
 */
export class FollowTextFormatter {
  /** Bytes shown so far each way: hex dump offsets. */
  private readonly offsets = [0, 0];
  private buf = new Uint8Array(1 << 16);

  constructor(readonly format: Exclude<FollowFormat, 'json'>) {}

  chunk(c: FollowChunk): string {
    const d = c.data;
    const tab = c.dir === 1;
    switch (this.format) {
      case 'raw': {
        const out = this.room(d.length * 2 + 2);
        let j = 0;
        if (tab) out[j++] = 9;
        for (let i = 0; i < d.length; i++) {
          out[j++] = HEX_CODES[d[i] >> 4];
          out[j++] = HEX_CODES[d[i] & 15];
        }
        out[j++] = 10;
        return latin1.decode(out.subarray(0, j));
      }
      case 'ascii': {
        const out = this.room(d.length + 2);
        let j = 0;
        for (let i = 0; i < d.length; i++) {
          const b = d[i];
          out[j++] = b === 0x0d || b === 0x0a || printable(b) ? b : 0x2e;
        }
        out[j++] = 10;
        return `${tab ? '\t' : ''}${d.length}\n` + latin1.decode(out.subarray(0, j));
      }
      case 'hex': {
        const s = this.hexDump(tab, this.offsets[c.dir], d);
        this.offsets[c.dir] += d.length;
        return s;
      }
    }
  }

  private room(n: number): Uint8Array {
    if (this.buf.length < n) this.buf = new Uint8Array(Math.max(n, this.buf.length * 2));
    return this.buf;
  }

  /**
   * tshark's follow hex dump: an 8-digit uppercase offset, two spaces, 16 bytes as hex with an extra space
   * after the 8th, two spaces, the bytes as text ('.' for non-printing) with a space after the 8th; a line's
   * last space is dropped. Every line's text starts at column 60.
   */
  private hexDump(tab: boolean, offset: number, d: Uint8Array): string {
    const lines = Math.ceil(d.length / 16);
    const out = this.room(lines * 80);
    let j = 0;
    for (let line = 0; line < d.length; line += 16) {
      const n = Math.min(16, d.length - line);
      if (tab) out[j++] = 9;
      const at = (offset + line) >>> 0;
      for (let k = 7; k >= 0; k--) {
        const v = (at >>> (4 * k)) & 15;
        out[j++] = v < 10 ? 0x30 + v : 0x37 + v;
      }
      out[j++] = 0x20;
      out[j++] = 0x20;
      for (let i = 0; i < 16; i++) {
        if (i < n) {
          const b = d[line + i];
          out[j++] = HEX_CODES[b >> 4];
          out[j++] = HEX_CODES[b & 15];
        } else {
          out[j++] = 0x20;
          out[j++] = 0x20;
        }
        out[j++] = 0x20;
        if (i === 7) out[j++] = 0x20;
      }
      out[j++] = 0x20;
      for (let i = 0; i < n; i++) {
        const b = d[line + i];
        out[j++] = printable(b) ? b : 0x2e;
        if (i === 7) out[j++] = 0x20;
      }
      if (out[j - 1] === 0x20) j--;
      out[j++] = 10;
    }
    return latin1.decode(out.subarray(0, j));
  }
}

/** JSON (DESIGN.md §4): the head up to the opening of "chunks", then one element per chunk, then the close. */
export function followJsonHead(s: FollowSummary): string {
  const head = {
    proto: s.proto,
    stream: s.stream,
    client: s.client,
    server: s.server,
    clientBytes: s.clientBytes,
    serverBytes: s.serverBytes,
    clientChunks: s.clientChunks,
    serverChunks: s.serverChunks,
    turns: s.turns,
  };
  return JSON.stringify(head).slice(0, -1) + ',"chunks":[\n';
}

export function followJsonChunk(c: FollowChunk, first: boolean): string {
  const o: Record<string, unknown> = { dir: c.dir ? 's2c' : 'c2s', frame: c.frame, data: base64(c.data) };
  if (c.gap) o.gap = true;
  return (first ? '' : ',') + JSON.stringify(o) + '\n';
}

export function followJsonTail(): string {
  return ']}\n';
}

const B64 = Uint8Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', (c) => c.charCodeAt(0));
let b64buf = new Uint8Array(1 << 16);

/** Standard base64 (RFC 4648 §4) with padding, built in a reused buffer. */
export function base64(d: Uint8Array): string {
  const n = 4 * Math.ceil(d.length / 3);
  if (b64buf.length < n) b64buf = new Uint8Array(Math.max(n, b64buf.length * 2));
  const out = b64buf;
  let j = 0;
  let i = 0;
  for (; i + 2 < d.length; i += 3) {
    const v = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    out[j++] = B64[v >> 18];
    out[j++] = B64[(v >> 12) & 63];
    out[j++] = B64[(v >> 6) & 63];
    out[j++] = B64[v & 63];
  }
  if (i < d.length) {
    const two = i + 1 < d.length;
    const v = (d[i] << 16) | ((two ? d[i + 1] : 0) << 8);
    out[j++] = B64[v >> 18];
    out[j++] = B64[(v >> 12) & 63];
    out[j++] = two ? B64[(v >> 6) & 63] : 0x3d;
    out[j++] = 0x3d;
  }
  return latin1.decode(out.subarray(0, j));
}
