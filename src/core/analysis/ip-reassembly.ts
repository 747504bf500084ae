import { defineFields, type FieldInfo } from '../dissect/field-registry';
import { addExpert, defineExperts } from '../dissect/expert';
import { ByteView } from '../dissect/byte-view';
import type { PacketInfo } from '../dissect/packet-info';
import type { ProtoTree } from '../dissect/proto-tree';
import { formatBytes } from '../dissect/format';

/**
 * IP reassembly: fragments of one IPv4 datagram (RFC 791 §2.3, §3.2) or one IPv6 packet (RFC 8200 §4.5) are
 * put back together, and the frame whose fragment completes the datagram dissects the whole payload; the other
 * fragments say where that happened ("[Reassembled in #N]").
 *
 * Behaviour follows tshark 4.0 with ip.defragment / ipv6.defragment on (its default), as observed:
 * - A datagram is identified by source, destination and identification, plus the protocol for IPv4
 *   (RFC 791 §3.2 "identification"; RFC 8200 §4.5 uses source, destination and the 32-bit identification).
 *   IDs are opaque keys: nothing compares them by size, so an ID that wraps from 0xffff to 0 confuses nothing.
 *   (Wireshark also keys IPv4 by the VLAN id; Fathom's packet info carries none yet, so it does not.)
 * - A datagram is complete when a last fragment (MF = 0) has set its length and the fragments cover every byte
 *   before it. Its bytes are laid down in fragment-offset order (equal offsets in arrival order); a byte that
 *   is already there stays, so the fragment seen first at a place wins. A fragment that covers bytes already
 *   laid down is an overlap (`*.fragment.overlap`), and a conflicting one if its bytes there differ
 *   (`*.fragment.overlap.conflict`: the teardrop and overlapping-fragment attacks). A last fragment that ends
 *   elsewhere than the first one is a "multiple tail" (the first one's end stays the length); a fragment that
 *   runs past the length is "too long" and only its bytes before the end are used.
 * - Once complete, a datagram leaves the table: a later fragment with the same key starts a new datagram.
 * - Time-outs: Wireshark 4.0 keeps an incomplete datagram for the whole capture, so a fragment with the same
 *   key minutes later joins it. Fathom does the same by default (FRAGMENT_TIMEOUT_SECONDS = 0), so that
 *   `ip.reassembled_in` agrees with tshark's; a positive time-out (hosts use 15–60 s: RFC 791 §3.2 suggests
 *   15 s, RFC 8200 §4.5 says 60 s) makes a fragment that long after its datagram's first one start afresh.
 *   Memory stays bounded either way by the limits below, which abandon the oldest incomplete datagrams first.
 * - Fragments are only reassembled when their payload is all captured and not empty. Otherwise, as in tshark,
 *   a first IPv4 fragment is dissected as it stands and a later one shown as data; an IPv6 fragment not all
 *   captured is shown as data, an empty one lets the extension-header chain go on.
 * - A fragment quoted in an ICMP error joins reassembly like any other (tshark does the same).
 *
 * State is built in the session's first pass (frames in order, `pinfo.firstPass`): the table of incomplete
 * datagrams holds copies of their fragments' bytes; a completed datagram keeps its fragment list (frame,
 * offset, length, flags per fragment, in typed arrays) and, within a memory budget, its reassembled bytes, so
 * the completing frame can be dissected again in any later pass. Each fragment frame records which datagram
 * it belongs to, keyed by frame number and the order of the reassembly attempt within the frame (a frame can
 * hold more than one IP header, e.g. a tunnel or a quoted packet in an ICMP error).
 */

/**
 * Fragments kept for one datagram. A maximal IPv4 datagram cut into the smallest fragments (8 bytes) has
 * 8,192; more than that is duplicates or an attack. Further fragments of that datagram are not reassembled.
 */
export const MAX_FRAGMENTS_PER_DATAGRAM = 8192;
/**
 * Incomplete datagrams kept at once. A fragment flood (e.g. only first fragments, never the rest) evicts the
 * oldest; real traffic rarely has more than a few dozen in flight. Larger values cost memory for floods.
 */
export const MAX_PENDING_DATAGRAMS = 10_000;
/**
 * Bytes of fragment payload held for incomplete datagrams. When a new fragment would go over, the oldest
 * incomplete datagrams are abandoned (they never complete); a fragment that does not fit even then is not
 * reassembled. 32 MiB holds ~250 maximal datagrams in flight.
 */
export const MAX_PENDING_BYTES = 32 * 1024 * 1024;
/**
 * Bytes of completed datagrams kept for later dissections of their completing frames. The first pass always
 * dissects a completed datagram; beyond this budget its bytes are dropped, and a later dissection of the
 * completing frame shows its fragment list and an expert note instead of the payload. `*.reassembled_in`
 * stays right for every fragment.
 */
export const KEPT_DATAGRAM_BYTES = 64 * 1024 * 1024;
/**
 * Reassembly attempts in one frame. Bounds reassembly inside reassembly (IP in IP, each fragmented): a
 * reassembled datagram can carry fragments of another one, and so on.
 */
export const MAX_REASSEMBLIES_PER_FRAME = 8;
/** Seconds after a datagram's first fragment when later fragments start a new datagram; 0 = never (Wireshark 4.0). */
export const FRAGMENT_TIMEOUT_SECONDS = 0;
/** The largest IPv4 datagram and IPv6 payload (the 16-bit length fields, RFC 791 §3.1, RFC 8200 §3). */
export const MAX_DATAGRAM_LENGTH = 65_535;

export interface ReassemblyOptions {
  /** Reassemble at all (Wireshark's ip.defragment / ipv6.defragment preferences). */
  defragment: boolean;
  timeoutSeconds: number;
  maxFragmentsPerDatagram: number;
  maxPendingDatagrams: number;
  maxPendingBytes: number;
  keptBytes: number;
  maxPerFrame: number;
}

export const DEFAULT_REASSEMBLY_OPTIONS: Readonly<ReassemblyOptions> = {
  defragment: true,
  timeoutSeconds: FRAGMENT_TIMEOUT_SECONDS,
  maxFragmentsPerDatagram: MAX_FRAGMENTS_PER_DATAGRAM,
  maxPendingDatagrams: MAX_PENDING_DATAGRAMS,
  maxPendingBytes: MAX_PENDING_BYTES,
  keptBytes: KEPT_DATAGRAM_BYTES,
  maxPerFrame: MAX_REASSEMBLIES_PER_FRAME,
};

/** Per-fragment findings, set when a datagram is put together (Wireshark's FD_* flags). */
export const enum FragmentFlag {
  Overlap = 1,
  OverlapConflict = 2,
  MultipleTails = 4,
  TooLong = 8,
}
/** Flags that make a fragment an error: Wireshark lists it as `*.fragment.error` instead of `*.fragment`. */
const ERROR_FLAGS = FragmentFlag.OverlapConflict | FragmentFlag.MultipleTails | FragmentFlag.TooLong;

/** The reassembly fields of one protocol (Wireshark's fragment_items). */
interface FamilyFields {
  fragments: FieldInfo;
  fragment: FieldInfo;
  overlap: FieldInfo;
  conflict: FieldInfo;
  multipleTails: FieldInfo;
  tooLong: FieldInfo;
  error: FieldInfo;
  count: FieldInfo;
  reassembledIn: FieldInfo;
  length: FieldInfo;
  data: FieldInfo;
}

export interface ReassemblyFamily {
  /** "IPv4" or "IPv6", as the labels and the data source's name say it. */
  readonly name: string;
  readonly fields: FamilyFields;
  /** Every field above, to tell whether a fields-mode dissection wants any of them. */
  readonly all: readonly FieldInfo[];
}

function family(name: string, fields: FamilyFields): ReassemblyFamily {
  return { name, fields, all: Object.values(fields) };
}

/** IPv4's reassembly fields (`tshark -G fields`: ip.fragments is FT_BYTES, the reassembled payload). */
export const ipv4Reassembly = family(
  'IPv4',
  defineFields('ip', {
    fragments: { id: 'ip.fragments', name: 'IPv4 Fragments', type: 'bytes' },
    fragment: { id: 'ip.fragment', name: 'IPv4 Fragment', type: 'framenum' },
    overlap: { id: 'ip.fragment.overlap', name: 'Fragment overlap', type: 'boolean', description: 'Fragment overlaps with other fragments' },
    conflict: { id: 'ip.fragment.overlap.conflict', name: 'Conflicting data in fragment overlap', type: 'boolean', description: 'Overlapping fragments contained conflicting data' },
    multipleTails: { id: 'ip.fragment.multipletails', name: 'Multiple tail fragments found', type: 'boolean', description: 'Several tails were found when defragmenting the packet' },
    tooLong: { id: 'ip.fragment.toolongfragment', name: 'Fragment too long', type: 'boolean', description: 'Fragment contained data past end of packet' },
    error: { id: 'ip.fragment.error', name: 'Defragmentation error', type: 'framenum', description: 'Defragmentation error due to illegal fragments' },
    count: { id: 'ip.fragment.count', name: 'Fragment count', type: 'uint32', base: 'dec' },
    reassembledIn: { id: 'ip.reassembled_in', name: 'Reassembled IPv4 in frame', type: 'framenum', description: 'This IPv4 packet is reassembled in this frame' },
    length: { id: 'ip.reassembled.length', name: 'Reassembled IPv4 length', type: 'uint32', base: 'dec', description: 'The total length of the reassembled payload' },
    data: { id: 'ip.reassembled.data', name: 'Reassembled IPv4 data', type: 'bytes', description: 'The reassembled payload' },
  }),
);

/** IPv6's (ipv6.fragments is FT_NONE; "reassembled.in" with a dot, unlike IPv4's "reassembled_in"). */
export const ipv6Reassembly = family(
  'IPv6',
  defineFields('ipv6', {
    fragments: { id: 'ipv6.fragments', name: 'IPv6 Fragments', type: 'none' },
    fragment: { id: 'ipv6.fragment', name: 'IPv6 Fragment', type: 'framenum' },
    overlap: { id: 'ipv6.fragment.overlap', name: 'Fragment overlap', type: 'boolean', description: 'Fragment overlaps with other fragments' },
    conflict: { id: 'ipv6.fragment.overlap.conflict', name: 'Conflicting data in fragment overlap', type: 'boolean', description: 'Overlapping fragments contained conflicting data' },
    multipleTails: { id: 'ipv6.fragment.multipletails', name: 'Multiple tail fragments found', type: 'boolean', description: 'Several tails were found when defragmenting the packet' },
    tooLong: { id: 'ipv6.fragment.toolongfragment', name: 'Fragment too long', type: 'boolean', description: 'Fragment contained data past end of packet' },
    error: { id: 'ipv6.fragment.error', name: 'Defragmentation error', type: 'framenum', description: 'Defragmentation error due to illegal fragments' },
    count: { id: 'ipv6.fragment.count', name: 'Fragment count', type: 'uint32', base: 'dec' },
    reassembledIn: { id: 'ipv6.reassembled.in', name: 'Reassembled IPv6 in frame', type: 'framenum', description: 'This IPv6 packet is reassembled in this frame' },
    length: { id: 'ipv6.reassembled.length', name: 'Reassembled IPv6 length', type: 'uint32', base: 'dec', description: 'The total length of the reassembled payload' },
    data: { id: 'ipv6.reassembled.data', name: 'Reassembled IPv6 data', type: 'bytes', description: 'The reassembled payload' },
  }),
);

/**
 * Wireshark has no expert item for these findings; Fathom reports them with Wireshark's generic ones: a
 * reassembly error (a datagram longer than its length field allows: the ping of death) and an unreassembled
 * fragment (one Fathom's limits kept out of reassembly).
 */
export const experts = {
  ...defineExperts('_ws.malformed', {
    reassemblyError: { id: '_ws.malformed.reassembly', summary: 'Reassembly error', severity: 'error', group: 'malformed' },
  }),
  ...defineExperts('_ws.unreassembled', {
    unreassembled: { id: '_ws.unreassembled.expert', summary: 'Unreassembled fragment (change preferences to enable reassembly)', severity: 'note', group: 'reassemble' },
  }),
};

/** One fragment as the IP dissectors hand it over. */
export interface FragmentInput {
  readonly family: ReassemblyFamily;
  /** Identifies the datagram: see ipv4FragmentKey / ipv6FragmentKey. */
  readonly key: string;
  /** Byte offset of this fragment's data in the datagram. */
  readonly offset: number;
  readonly more: boolean;
  /** This fragment's data (from the frame, or from a datagram reassembled below). */
  readonly payload: ByteView;
  /** Bytes of data the header says the fragment carries; reassembly needs them all captured, and more than 0. */
  readonly claimed: number;
  /** Header bytes the reassembled datagram would carry before its payload, for the length check (IPv4: the header; IPv6: the extension headers before the Fragment header). */
  readonly headerBytes: number;
  /** Where the "Reassembled in" item points (Wireshark: the IP header's start, or the Fragment header's). */
  readonly at: ByteView;
  readonly atOffset: number;
}

export interface FragmentOutcome {
  /** False when the fragment was not put to reassembly (turned off, empty, not all captured, too deep): dissect it as tshark does then. */
  readonly attempted: boolean;
  /** This frame completes the datagram. */
  readonly completesHere: boolean;
  /** The reassembled payload when this frame completes the datagram and its bytes are at hand, else null. */
  readonly payload: ByteView | null;
  /** The frame that completes the datagram, 0 if none does. */
  readonly reassembledIn: number;
}

const NOT_ATTEMPTED: FragmentOutcome = { attempted: false, completesHere: false, payload: null, reassembledIn: 0 };

/** The key of an IPv4 fragment (RFC 791 §3.2): source, destination, protocol and identification. */
export function ipv4FragmentKey(header: ByteView, proto: number, id: number): string {
  const h = header;
  return String.fromCharCode(4, h.u8(12), h.u8(13), h.u8(14), h.u8(15), h.u8(16), h.u8(17), h.u8(18), h.u8(19), proto, id >> 8, id & 0xff);
}

/** The key of an IPv6 fragment (RFC 8200 §4.5): source, destination and the 32-bit identification. */
export function ipv6FragmentKey(header: ByteView, ident: number): string {
  let k = String.fromCharCode(6);
  for (let o = 8; o < 40; o += 2) k += String.fromCharCode(header.u16(o));
  return k + String.fromCharCode(ident >>> 16, ident & 0xffff);
}

/** Record values below 0: why a fragment was kept out of reassembly. */
const REFUSED_TOO_MANY_FRAGMENTS = -1;
const REFUSED_PENDING_BYTES = -2;
/** Reassembly attempts per frame are numbered 0…15 in the record key (frame × 16 + attempt). */
const ATTEMPTS_PER_KEY = 16;
/** Per-frame counter of reassembly attempts, kept in pinfo.depthOf (reset for every frame). */
const ATTEMPT_COUNTER = 'ip-reassembly';
const STATE_NAME = 'ip-reassembly';
/** Completed datagrams' bytes are packed into chunks of this size. */
const CHUNK_BYTES = 1 << 20;

/** What a released datagram's fragment lists are set to (never written: a released datagram takes no fragments). */
const RELEASED: number[] = [];
const RELEASED_DATA: Uint8Array[] = [];

/** An incomplete datagram: its fragments sorted by offset (equal offsets in arrival order), with copies of their data. */
class PendingDatagram {
  frames: number[] = [];
  offsets: number[] = [];
  lengths: number[] = [];
  flags: number[] = [];
  data: Uint8Array[] = [];
  /** End of the first last fragment (MF = 0): the datagram's length; -1 until one is seen. */
  tailEnd = -1;
  /** Bytes covered contiguously from 0 by fragments [0, merged). */
  covered = 0;
  merged = 0;
  bytes = 0;
  /** Still in the table, and its place in the table's age queue (an entry elsewhere in the queue is stale). */
  alive = true;
  slot = -1;
  constructor(
    readonly id: number,
    readonly key: string,
    readonly firstTime: number,
  ) {}

  insert(frame: number, offset: number, data: Uint8Array, more: boolean): void {
    const len = data.length;
    let i = this.offsets.length;
    while (i > 0 && this.offsets[i - 1] > offset) i--;
    let flags = 0;
    if (!more) {
      if (this.tailEnd < 0) this.tailEnd = offset + len;
      else if (offset + len !== this.tailEnd) flags |= FragmentFlag.MultipleTails;
    }
    this.frames.splice(i, 0, frame);
    this.offsets.splice(i, 0, offset);
    this.lengths.splice(i, 0, len);
    this.flags.splice(i, 0, flags);
    this.data.splice(i, 0, data);
    this.bytes += len;
    // Extend the contiguous prefix: a fragment inserted inside it starts within it.
    if (i < this.merged) {
      this.covered = Math.max(this.covered, offset + len);
      this.merged++;
    }
    while (this.merged < this.offsets.length && this.offsets[this.merged] <= this.covered) {
      this.covered = Math.max(this.covered, this.offsets[this.merged] + this.lengths[this.merged]);
      this.merged++;
    }
  }

  /** Out of the table: drops the fragment copies (a stale queue entry may still point here). */
  release(): void {
    this.alive = false;
    this.frames = this.offsets = this.lengths = this.flags = RELEASED;
    this.data = RELEASED_DATA;
  }

  get complete(): boolean {
    return this.tailEnd >= 0 && this.covered >= this.tailEnd;
  }

  /**
   * Lays the fragments down in order into the datagram's bytes, flagging overlaps (and conflicting ones),
   * fragments past the end, and returns the bytes. A byte already laid down is kept.
   */
  build(): { bytes: Uint8Array; flags: number } {
    const total = this.tailEnd;
    const out = new Uint8Array(total);
    let done = 0;
    let all = 0;
    for (let i = 0; i < this.offsets.length; i++) {
      const off = this.offsets[i];
      const data = this.data[i];
      let f = this.flags[i];
      if (off >= total) {
        f |= FragmentFlag.TooLong;
      } else {
        let len = data.length;
        if (off + len > total) {
          f |= FragmentFlag.TooLong;
          len = total - off;
        }
        const overlap = done - off;
        if (overlap > 0) {
          f |= FragmentFlag.Overlap;
          const n = Math.min(len, overlap);
          for (let k = 0; k < n; k++) {
            if (out[off + k] !== data[k]) {
              f |= FragmentFlag.OverlapConflict;
              break;
            }
          }
          if (len > overlap) out.set(data.subarray(overlap, len), done);
        } else {
          out.set(data.subarray(0, len), off);
        }
        done = Math.max(done, off + len);
      }
      this.flags[i] = f;
      all |= f;
    }
    return { bytes: out, flags: all };
  }
}

/** A growable column of 32-bit integers. */
class IntColumn {
  data: Int32Array;
  length = 0;
  constructor(capacity = 64) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }
}

/**
 * The capture-wide reassembly state of IPv4 and IPv6 (one table: the keys say which). Columns by datagram id:
 * where it was completed (0: never), its length, flags, and its fragments' place in the fragment pool.
 */
export class IpReassembly {
  private readonly pending = new Map<string, PendingDatagram>();
  /**
   * Incomplete datagrams from oldest to newest, for eviction and time-outs. A datagram that completes or is
   * abandoned leaves a stale entry (a Map's iteration would walk over its deleted entries in the same way);
   * stale entries are passed at the head, and the queue is rebuilt when they outnumber the live ones.
   */
  private queue: PendingDatagram[] = [];
  private head = 0;
  private stale = 0;
  private pendingBytes = 0;
  /** Datagram columns (by id): the frame that completed it (0: none), its length and flags, its fragments in the pool. */
  private readonly reassembledIn = new IntColumn();
  private readonly dgLength = new IntColumn();
  private readonly dgFlags = new IntColumn();
  private readonly dgFirst = new IntColumn();
  private readonly dgCount = new IntColumn();
  /** Fragment pool of completed datagrams: frame, offset, length, flags per fragment. */
  private readonly pool = new IntColumn(256);
  /**
   * Completed datagrams' bytes, within the kept-bytes budget, packed into chunks (a typed array per small
   * datagram would cost more than its bytes): chunk index and offset per datagram id, -1 when not kept.
   */
  private readonly chunks: Uint8Array[] = [];
  private chunkUsed = CHUNK_BYTES;
  private readonly keptChunk = new IntColumn();
  private readonly keptOffset = new IntColumn();
  private keptBytes = 0;
  /** Fragment records, appended in the first pass in increasing key order (frame × 16 + attempt). */
  private recordKeys = new Float64Array(64);
  private readonly recordValues = new IntColumn();
  /** The bytes of the datagram the last `add` completed (the first pass dissects them at once). */
  lastBuilt: Uint8Array | null = null;

  constructor(readonly options: Readonly<ReassemblyOptions> = DEFAULT_REASSEMBLY_OPTIONS) {}

  /** Incomplete datagrams held now, and the bytes they hold (for tests and diagnostics). */
  get pendingCount(): number {
    return this.pending.size;
  }
  get pendingByteCount(): number {
    return this.pendingBytes;
  }
  get keptByteCount(): number {
    return this.keptBytes;
  }

  /**
   * First pass: adds a fragment (its data is copied). Returns the record for its frame: `id * 2 + 1` if it
   * completed datagram `id` (then `lastBuilt` holds the bytes), `id * 2` if it joined datagram `id`, or a
   * negative REFUSED_* code.
   */
  add(key: string, frame: number, time: number, offset: number, more: boolean, data: Uint8Array): number {
    this.lastBuilt = null;
    const o = this.options;
    if (o.timeoutSeconds > 0) this.expire(time);
    let dg = this.pending.get(key);
    if (dg && o.timeoutSeconds > 0 && time - dg.firstTime > o.timeoutSeconds) {
      this.remove(dg);
      dg = undefined;
    }
    if (dg && dg.frames.length >= o.maxFragmentsPerDatagram) return REFUSED_TOO_MANY_FRAGMENTS;
    // Make room: the oldest incomplete datagrams go first.
    while (this.pendingBytes + data.length > o.maxPendingBytes) {
      const oldest = this.oldestOtherThan(dg);
      if (!oldest) return REFUSED_PENDING_BYTES;
      this.remove(oldest);
    }
    if (!dg) {
      while (this.pending.size > 0 && this.pending.size >= o.maxPendingDatagrams) this.remove(this.oldest()!);
      const id = this.reassembledIn.push(0);
      this.dgLength.push(0);
      this.dgFlags.push(0);
      this.dgFirst.push(0);
      this.dgCount.push(0);
      this.keptChunk.push(-1);
      this.keptOffset.push(0);
      dg = new PendingDatagram(id, key, time);
      this.pending.set(key, dg);
      this.enqueue(dg);
    }
    dg.insert(frame, offset, data.slice(), more);
    this.pendingBytes += data.length;
    if (!dg.complete) return dg.id * 2;
    this.complete(dg, frame);
    return dg.id * 2 + 1;
  }

  private complete(dg: PendingDatagram, frame: number): void {
    const { bytes, flags } = dg.build();
    const id = dg.id;
    this.reassembledIn.data[id] = frame;
    this.dgLength.data[id] = bytes.length;
    this.dgFlags.data[id] = flags;
    this.dgFirst.data[id] = this.pool.length / 4;
    this.dgCount.data[id] = dg.frames.length;
    for (let i = 0; i < dg.frames.length; i++) {
      this.pool.push(dg.frames[i]);
      this.pool.push(dg.offsets[i]);
      this.pool.push(dg.lengths[i]);
      this.pool.push(dg.flags[i]);
    }
    this.remove(dg);
    if (this.keptBytes + bytes.length <= this.options.keptBytes) this.keep(id, bytes);
    this.lastBuilt = bytes;
  }

  /** Stores a completed datagram's bytes in the current chunk (a large one gets a chunk of its own). */
  private keep(id: number, bytes: Uint8Array): void {
    const n = bytes.length;
    if (n > CHUNK_BYTES / 4) {
      this.chunks.push(bytes);
      this.keptChunk.data[id] = this.chunks.length - 1;
      this.keptOffset.data[id] = 0;
    } else {
      if (this.chunkUsed + n > CHUNK_BYTES) {
        this.chunks.push(new Uint8Array(CHUNK_BYTES));
        this.chunkUsed = 0;
      }
      const c = this.chunks.length - 1;
      this.chunks[c].set(bytes, this.chunkUsed);
      this.keptChunk.data[id] = c;
      this.keptOffset.data[id] = this.chunkUsed;
      this.chunkUsed += n;
    }
    this.keptBytes += n;
  }

  /** Takes an incomplete datagram out of the table (completed, or abandoned: then it never completes). */
  private remove(dg: PendingDatagram): void {
    this.pending.delete(dg.key);
    this.pendingBytes -= dg.bytes;
    dg.release();
    this.stale++;
    if (this.stale > 64 && this.stale * 2 > this.queue.length - this.head) this.compact();
  }

  private enqueue(dg: PendingDatagram): void {
    if (dg.slot >= 0) this.stale++; // its earlier entry is now stale
    dg.slot = this.queue.length;
    this.queue.push(dg);
  }

  private valid(i: number): boolean {
    const d = this.queue[i];
    return d.alive && d.slot === i;
  }

  /** Keeps only the live entries, in order. */
  private compact(): void {
    const live: PendingDatagram[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      if (!this.valid(i)) continue;
      const d = this.queue[i];
      d.slot = live.length;
      live.push(d);
    }
    this.queue = live;
    this.head = 0;
    this.stale = 0;
  }

  /** The oldest incomplete datagram. */
  private oldest(): PendingDatagram | undefined {
    while (this.head < this.queue.length && !this.valid(this.head)) {
      this.head++;
      this.stale--;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) this.compact();
    return this.queue[this.head];
  }

  /**
   * The oldest incomplete datagram other than `dg`. When `dg` itself is the oldest it moves to the back of the
   * queue (it is being added to, so it is the one in use), which makes the next one the oldest.
   */
  private oldestOtherThan(dg: PendingDatagram | undefined): PendingDatagram | undefined {
    const o = this.oldest();
    if (o === undefined || o !== dg) return o;
    this.enqueue(dg);
    const next = this.oldest();
    return next === dg ? undefined : next;
  }

  /** Abandons incomplete datagrams whose first fragment is older than the time-out (the queue is in creation order). */
  private expire(time: number): void {
    for (let p = this.oldest(); p && time - p.firstTime > this.options.timeoutSeconds; p = this.oldest()) this.remove(p);
  }

  /** After the first pass, incomplete datagrams never complete: their fragment copies are dropped. */
  releasePending(): void {
    for (const p of this.pending.values()) p.release();
    this.pending.clear();
    this.queue = [];
    this.head = 0;
    this.stale = 0;
    this.pendingBytes = 0;
  }

  record(key: number, value: number): void {
    const n = this.recordValues.length;
    if (n > 0 && this.recordKeys[n - 1] >= key) return; // recorded already (a frame dissected twice in the first pass)
    if (n === this.recordKeys.length) {
      const next = new Float64Array(n * 2);
      next.set(this.recordKeys);
      this.recordKeys = next;
    }
    this.recordKeys[n] = key;
    this.recordValues.push(value);
  }

  /** The record of a fragment, or undefined if none was made (the first pass did not see it). */
  lookup(key: number): number | undefined {
    const keys = this.recordKeys;
    let lo = 0;
    let hi = this.recordValues.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = keys[mid];
      if (k === key) return this.recordValues.data[mid];
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** The frame that completed datagram `id`, 0 if none. */
  completedIn(id: number): number {
    return this.reassembledIn.data[id];
  }

  datagramLength(id: number): number {
    return this.dgLength.data[id];
  }

  datagramFlags(id: number): number {
    return this.dgFlags.data[id];
  }

  /** The completed datagram's bytes if they were kept within the budget. */
  bytesOf(id: number): Uint8Array | null {
    const c = this.keptChunk.data[id];
    if (c < 0) return null;
    const at = this.keptOffset.data[id];
    return this.chunks[c].subarray(at, at + this.dgLength.data[id]);
  }

  /** Fragments of completed datagram `id`, in offset order: calls `each(frame, offset, length, flags)`. */
  forEachFragment(id: number, each: (frame: number, offset: number, length: number, flags: number) => void): void {
    const p = this.pool.data;
    const first = this.dgFirst.data[id] * 4;
    const end = first + this.dgCount.data[id] * 4;
    for (let i = first; i < end; i += 4) each(p[i], p[i + 1], p[i + 2], p[i + 3]);
  }

  fragmentCount(id: number): number {
    return this.dgCount.data[id];
  }
}

/** The capture's reassembly state (created on first use with the default options). */
export function reassemblyState(pinfo: PacketInfo): IpReassembly {
  return pinfo.state.of(STATE_NAME, () => new IpReassembly());
}

/**
 * Puts a fragment to reassembly and adds what the tree shows for it: in the frame that completes the
 * datagram, the fragment list (`ip.fragments` …) and the reassembled bytes as a new data source; in the other
 * fragments' frames, `*.reassembled_in`. Call it with the IP protocol's tree open. The caller then dissects
 * `payload` when there is one, or shows its fragment as data.
 */
export function reassembleFragment(frag: FragmentInput, pinfo: PacketInfo, tree: ProtoTree): FragmentOutcome {
  const st = reassemblyState(pinfo);
  if (!st.options.defragment) return NOT_ATTEMPTED;
  // Wireshark reassembles only fragments that carry data and have it all captured.
  if (frag.claimed <= 0 || frag.payload.length < frag.claimed) return NOT_ATTEMPTED;
  const attempt = pinfo.depthOf.get(ATTEMPT_COUNTER) ?? 0;
  if (attempt >= Math.min(st.options.maxPerFrame, ATTEMPTS_PER_KEY)) {
    addExpert(tree, pinfo, experts.unreassembled, frag.at, frag.atOffset, 0, `Not reassembled: more than ${st.options.maxPerFrame} reassemblies in one frame (reassembly inside reassembly)`);
    return NOT_ATTEMPTED;
  }
  pinfo.depthOf.set(ATTEMPT_COUNTER, attempt + 1);
  const recordKey = pinfo.frame * ATTEMPTS_PER_KEY + attempt;

  let rec: number | undefined;
  let built: Uint8Array | null = null;
  if (pinfo.firstPass) {
    const time = pinfo.tsSecs + pinfo.tsNsecs / 1e9;
    rec = st.add(frag.key, pinfo.frame, time, frag.offset, frag.more, frag.payload.bytes(0, frag.claimed));
    built = st.lastBuilt;
    st.lastBuilt = null;
    st.record(recordKey, rec);
  } else {
    if (st.pendingCount > 0) st.releasePending();
    rec = st.lookup(recordKey);
  }
  // No record: this frame was not seen by a first pass (a lone dissection); nothing is known of the others.
  if (rec === undefined) return { attempted: true, completesHere: false, payload: null, reassembledIn: 0 };
  if (rec < 0) {
    const why =
      rec === REFUSED_TOO_MANY_FRAGMENTS
        ? `its datagram has ${st.options.maxFragmentsPerDatagram} fragments already`
        : `incomplete datagrams hold ${st.options.maxPendingBytes} bytes already`;
    addExpert(tree, pinfo, experts.unreassembled, frag.at, frag.atOffset, 0, `Not reassembled: ${why} (Fathom's reassembly limits)`);
    return { attempted: true, completesHere: false, payload: null, reassembledIn: 0 };
  }
  const id = rec >> 1;
  const fields = frag.family.fields;
  if ((rec & 1) === 0) {
    const n = st.completedIn(id);
    if (n > 0) tree.addGenerated(fields.reassembledIn, frag.at, frag.atOffset, 0, n);
    return { attempted: true, completesHere: false, payload: null, reassembledIn: n };
  }

  // This frame completes the datagram.
  const bytes = built ?? st.bytesOf(id);
  const length = st.datagramLength(id);
  let payload: ByteView | null = null;
  if (bytes) {
    const source = tree.addSource(`Reassembled ${frag.family.name} (${length} bytes)`, bytes);
    payload = new ByteView(bytes, 0, length, length, 0, source);
  }
  if (tree.full || wantsAny(tree, frag.family)) showFragments(frag, st, id, payload, tree);
  if (!bytes) {
    addExpert(tree, pinfo, experts.unreassembled, frag.at, frag.atOffset, 0, `Reassembled here, but the datagram's ${length} bytes were not kept: Fathom's budget of ${st.options.keptBytes} bytes for reassembled data is used up`);
  }
  const total = frag.headerBytes + length;
  if (total > MAX_DATAGRAM_LENGTH) {
    const what = frag.family.name === 'IPv4' ? 'datagram' : 'payload';
    addExpert(tree, pinfo, experts.reassemblyError, payload ?? frag.at, payload ? 0 : frag.atOffset, 0, `Reassembled ${frag.family.name} ${what} is ${total} bytes, longer than the ${MAX_DATAGRAM_LENGTH} its length field allows (ping of death)`);
  }
  return { attempted: true, completesHere: true, payload, reassembledIn: pinfo.frame };
}

function wantsAny(tree: ProtoTree, fam: ReassemblyFamily): boolean {
  for (const f of fam.all) if (tree.wants(f)) return true;
  return false;
}

/** Wireshark's labels are cut at 239 characters (ITEM_LABEL_LENGTH). */
const LABEL_MAX = 239;
/** Bytes shown in a byte field's label before "…". */
const LABEL_BYTES = 36;

/**
 * The fragment list of a completed datagram, as Wireshark's show_fragment_tree draws it: "[3 IPv4 Fragments
 * (3508 bytes): #1(1480), #2(1480), #3(548)]", one item per fragment with its findings, the count, the
 * length and the data. Items point into the reassembled data source when there is one.
 */
function showFragments(frag: FragmentInput, st: IpReassembly, id: number, payload: ByteView | null, tree: ProtoTree): void {
  const f = frag.family.fields;
  const full = tree.full;
  const length = st.datagramLength(id);
  const count = st.fragmentCount(id);
  const v = payload ?? frag.at;
  const base = payload ? 0 : frag.atOffset;
  const span = payload ? length : 0;
  const fragmentsValue = payload && f.fragments.type === 'bytes' && tree.wants(f.fragments) ? payload.bytes(0, length) : null;
  let label: string | undefined;
  if (full) {
    label = `${count} ${frag.family.name} Fragments (${length} bytes):`;
    let first = true;
    st.forEachFragment(id, (frame, _off, len) => {
      if (label!.length > LABEL_MAX) return;
      label += `${first ? ' ' : ', '}#${frame}(${len})`;
      first = false;
    });
    if (label.length > LABEL_MAX) label = label.slice(0, LABEL_MAX);
    label = `[${label}]`;
  }
  tree.open(f.fragments, v, base, span, fragmentsValue, label, 1);
  st.forEachFragment(id, (frame, off, len, flags) => {
    const field = flags & ERROR_FLAGS ? f.error : f.fragment;
    const at = payload ? Math.min(off, length) : base;
    const n = payload ? Math.max(0, Math.min(len, length - at)) : 0;
    const itemLabel = full ? `[Frame: ${frame}, payload: ${off}-${off + len - 1} (${len} byte${len === 1 ? '' : 's'})]` : undefined;
    if (flags === 0) {
      tree.addGenerated(field, v, at, n, frame, itemLabel);
      return;
    }
    tree.open(field, v, at, n, frame, itemLabel, 1);
    if (flags & FragmentFlag.Overlap) tree.addGenerated(f.overlap, v, at, 0, true);
    if (flags & FragmentFlag.OverlapConflict) tree.addGenerated(f.conflict, v, at, 0, true);
    if (flags & FragmentFlag.MultipleTails) tree.addGenerated(f.multipleTails, v, at, 0, true);
    if (flags & FragmentFlag.TooLong) tree.addGenerated(f.tooLong, v, at, 0, true);
    tree.close();
  });
  tree.addGenerated(f.count, v, base, 0, count);
  tree.addGenerated(f.length, v, base, 0, length);
  if (payload) {
    const data = tree.wants(f.data) ? payload.bytes(0, length) : null;
    tree.addGenerated(f.data, v, 0, length, data, full ? `[${f.data.name}: ${bytesPreview(payload, length)}]` : undefined);
  }
  tree.close();
}

function bytesPreview(view: ByteView, n: number): string {
  const shown = Math.min(n, LABEL_BYTES);
  const s = formatBytes(view.bytes(0, shown));
  return n > shown ? s + '…' : s;
}
