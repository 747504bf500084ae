import { defineFields, FieldGroup, textField } from '../dissect/field-registry';
import { addExpert, defineExperts, type ExpertInfo } from '../dissect/expert';
import { AddrKind, type AddressRef, type PacketInfo } from '../dissect/packet-info';
import { NO_BYTES, type ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import type { CaptureState } from '../dissect/capture-state';
import { formatIPv4, formatIPv6 } from '../dissect/format';
import { TcpFlag, type TcpSegment, type TcpStateHook } from '../protocols/tcp';
import { deliverTcpPayload } from './tcp-reassembly';
import {
  ADDR_IPV4,
  ADDR_IPV6,
  EndpointPairTable,
  FrameClock,
  FrameValueColumn,
  SparseFrameColumn,
  TRANSPORT_LINKS,
  TransportLinks,
  linkedFrames,
  relativeTime,
  transportLayerIndex,
} from './stream-table';

/**
 * TCP stream state and sequence analysis, as Wireshark 4.0 does it with its default preferences (relative
 * sequence numbers, analyze_sequence_numbers, track_bytes_in_flight, calculate_timestamps,
 * no_subdissector_on_error): `tcp.stream`, relative `tcp.seq`/`tcp.ack`/`tcp.nxtseq`, window scaling from the
 * handshake, `tcp.analysis.*` with its expert items and Info prefixes, the [SEQ/ACK analysis] and
 * [Timestamps] subtrees, `tcp.completeness` and the fin_active/fin_passive notes. It plugs into tcp.ts through
 * `TcpStateHook` (installed by protocols/index.ts). Behaviour was checked against tshark on the corpus, on
 * crafted conversations and on randomly generated ones; where it is odd, the comment says it was observed.
 *
 * Two passes (DESIGN.md §1): the first pass (`pinfo.firstPass`, frames in order) builds per-stream state
 * and records per-frame results; later dissections, in any order, only read them. What tshark -2 prints is
 * the reference, including two things its second pass changes: a SYN+ACK whose sequence number differs from
 * the previous one's resets the relative base from that frame on (and is flagged as a port reuse then), and
 * `tcp.completeness` of a stream's first frame lacks the bits that frame itself contributes.
 *
 * Streams: a segment belongs to the newest stream of its address-and-port pair; a SYN whose sequence number
 * is not the flow's relative base starts a new one (`tcp.analysis.reused_ports`), a SYN with the same one is a
 * retransmission. A header quoted in an ICMP error is numbered by its own addresses but not analysed.
 *
 * The analysis (RFC 9293 sequence space, RFC 7323 window scaling, RFC 2018 SACK), per segment of a flow
 * (one direction of a stream), in Wireshark's order:
 * - the relative base is the SYN's sequence number, or one less than the first segment's (so a capture that
 *   starts mid-stream shows Seq=1), or one less than the first ACK from the peer;
 * - zero-window probe (1 byte at the next sequence number while the peer's window is 0), zero window,
 *   previous segment lost (a sequence number beyond the highest seen), keep-alive (0 or 1 byte one before the
 *   next sequence number), window update, window full (the data reaches the edge of the peer's advertised
 *   window), keep-alive ACK, zero-window-probe ACK and duplicate ACK (same window, sequence and ACK numbers
 *   as the flow's previous segment, no data; counted until the ACK number changes);
 * - ACKed unseen segment (an ACK beyond the highest contiguous sequence number the peer sent);
 * - for segments with data, SYN or FIN that do not advance the sequence number: fast retransmission (two or
 *   more duplicate ACKs from the peer asking for this sequence number, within 20 ms), spurious retransmission
 *   (all of it already acknowledged), out-of-order (within the initial RTT, or 3 ms, of the highest segment,
 *   not ending there) or retransmission (with the RTO from the oldest unacknowledged segment);
 * - unacknowledged segments are kept per flow; an ACK equal to one's end gives `tcp.analysis.acks_frame` and
 *   the RTT; bytes in flight is the span of unacknowledged data less what the peer's last SACK blocks cover
 *   (and less the SYN or FIN of the segment itself).
 *
 * Memory (nothing allocated per frame in the first pass; numbers in typed arrays), measured on the bench's
 * 1M-frame mixed capture at 6.3 bytes a frame after the first pass (TCP and UDP together):
 * - per frame: 1 byte of stream links (stream-table.ts TransportLinks, shared with UDP: the previous frame of
 *   the stream and the direction), 2 bytes for bytes in flight (segments with data) or the distance to the
 *   acknowledged frame (other segments), a third byte only once a value needs 24 bits. Flags, duplicate-ACK
 *   numbers, RTO frames, ACKs carried by data segments and long links are sparse: 8 bytes for each frame that
 *   has one. Bytes since the last PSH are recorded per run of segments between PSHs (8 bytes a run).
 * - per stream during the first pass about 240 bytes (`BYTES_PER_STREAM`: the pair and its index, stream
 *   columns, two flows of analysis state, one unacknowledged segment); afterwards `compact` keeps about 60
 *   (the pair, bases, window scales, completeness, initial RTT, first FINs, last frame). A flood of a million
 *   half-open streams thus peaks near 240 MB during the first pass and keeps about 60 MB.
 * - per unacknowledged segment 21 bytes, at most `MAX_UNACKED_SEGMENTS` per flow (Wireshark's limit), so a
 *   flow whose ACKs are not captured stays bounded; SACK blocks 32 bytes per flow that sent any.
 * Time per segment is constant for ordered flows (ACKs and bytes in flight work from the ends of the list of
 * unacknowledged segments); after a retransmission, until the list empties, it is linear in that list, as in
 * Wireshark.
 *
 * What other parts read, after the first pass: `tcpStreamCount`, `tcpStreamEndpoints`, `tcpStreamFrameRange`,
 * `tcpStreamFrames` (frames and directions), `tcpFrameStreams` (every frame's stream and direction, built on
 * demand), `tcpFrameFlags`, `tcpRelativeSeq`; per segment, as it is
 * dissected, the `TcpSegment` summary carries the stream and the relative numbers, and the 'tcp.follow' tap
 * carries them with the payload.
 */

/** Unacknowledged segments kept per flow; beyond this, new segments are not tracked (Wireshark's limit). */
export const MAX_UNACKED_SEGMENTS = 10000;
/** A retransmission within this time of the peer's last duplicate ACK is a fast retransmission (RFC 5681 §3.2). */
export const FAST_RETRANSMISSION_WINDOW_NS = 20_000_000;
/** Out-of-order threshold before the handshake's RTT is known. */
export const DEFAULT_OUT_OF_ORDER_NS = 3_000_000;
/** Approximate typed-array bytes per stream during the first pass (see the memory note above). */
export const BYTES_PER_STREAM = 240;

/** tcp.analysis flag bits, in the order Wireshark lists them under [TCP Analysis Flags]. */
export const TcpAnalysisFlag = {
  REUSED_PORTS: 1 << 0,
  RETRANSMISSION: 1 << 1,
  FAST_RETRANSMISSION: 1 << 2,
  SPURIOUS_RETRANSMISSION: 1 << 3,
  OUT_OF_ORDER: 1 << 4,
  LOST_PACKET: 1 << 5,
  ACK_LOST_PACKET: 1 << 6,
  KEEP_ALIVE: 1 << 7,
  WINDOW_UPDATE: 1 << 8,
  WINDOW_FULL: 1 << 9,
  KEEP_ALIVE_ACK: 1 << 10,
  DUPLICATE_ACK: 1 << 11,
  ZERO_WINDOW_PROBE: 1 << 12,
  ZERO_WINDOW: 1 << 13,
  ZERO_WINDOW_PROBE_ACK: 1 << 14,
} as const;
const A = TcpAnalysisFlag;
/** Not a flag: the frame has a [SEQ/ACK analysis] tree although nothing else says so. */
const ANALYSIS_EMPTY = 1 << 15;

/** tcp.completeness bits (Wireshark's TCP_COMPLETENESS_*). */
const SYNSENT = 1;
const SYNACK = 2;
const ACKED = 4;
const DATA = 8;
const FIN = 16;
const RST = 32;

/** Per-flow status bits. */
const BASE_SET = 1;
const VALID_BIF = 2;
const PUSH_SET_LAST = 4;
const RUN_OPEN = 8;

export const fields = defineFields('tcp', {
  stream: { id: 'tcp.stream', name: 'Stream index', type: 'uint32', base: 'dec' },
  completeness: { id: 'tcp.completeness', name: 'Conversation completeness', type: 'uint8', base: 'dec' },
  scaleFactor: { id: 'tcp.window_size_scalefactor', name: 'Window size scaling factor', type: 'int32', base: 'dec' },
  timeRelative: { id: 'tcp.time_relative', name: 'Time since first frame in this TCP stream', type: 'relative_time' },
  timeDelta: { id: 'tcp.time_delta', name: 'Time since previous frame in this TCP stream', type: 'relative_time' },
  analysis: { id: 'tcp.analysis', name: 'SEQ/ACK analysis', type: 'none' },
  analysisFlags: { id: 'tcp.analysis.flags', name: 'TCP Analysis Flags', type: 'none' },
  acksFrame: { id: 'tcp.analysis.acks_frame', name: 'This is an ACK to the segment in frame', type: 'framenum' },
  ackRtt: { id: 'tcp.analysis.ack_rtt', name: 'The RTT to ACK the segment was', type: 'relative_time' },
  initialRtt: { id: 'tcp.analysis.initial_rtt', name: 'iRTT', type: 'relative_time' },
  bytesInFlight: { id: 'tcp.analysis.bytes_in_flight', name: 'Bytes in flight', type: 'uint32', base: 'dec' },
  pushBytesSent: { id: 'tcp.analysis.push_bytes_sent', name: 'Bytes sent since last PSH flag', type: 'uint32', base: 'dec' },
  duplicateAck: { id: 'tcp.analysis.duplicate_ack', name: 'Duplicate ACK', type: 'none' },
  duplicateAckNum: { id: 'tcp.analysis.duplicate_ack_num', name: 'Duplicate ACK #', type: 'uint32', base: 'dec' },
  duplicateAckFrame: { id: 'tcp.analysis.duplicate_ack_frame', name: 'Duplicate to the ACK in frame', type: 'framenum' },
  rto: { id: 'tcp.analysis.rto', name: 'The RTO for this segment was', type: 'relative_time' },
  rtoFrame: { id: 'tcp.analysis.rto_frame', name: 'RTO based on delta from frame', type: 'framenum' },
});

export const experts = defineExperts('tcp', {
  retransmission: { id: 'tcp.analysis.retransmission', summary: 'This frame is a (suspected) retransmission', severity: 'note', group: 'sequence' },
  fastRetransmission: { id: 'tcp.analysis.fast_retransmission', summary: 'This frame is a (suspected) fast retransmission', severity: 'note', group: 'sequence' },
  spuriousRetransmission: { id: 'tcp.analysis.spurious_retransmission', summary: 'This frame is a (suspected) spurious retransmission', severity: 'note', group: 'sequence' },
  outOfOrder: { id: 'tcp.analysis.out_of_order', summary: 'This frame is a (suspected) out-of-order segment', severity: 'warn', group: 'sequence' },
  lostSegment: { id: 'tcp.analysis.lost_segment', summary: 'Previous segment(s) not captured (common at capture start)', severity: 'warn', group: 'sequence' },
  ackLostSegment: { id: 'tcp.analysis.ack_lost_segment', summary: "ACKed segment that wasn't captured (common at capture start)", severity: 'warn', group: 'sequence' },
  windowUpdate: { id: 'tcp.analysis.window_update', summary: 'TCP window update', severity: 'chat', group: 'sequence' },
  windowFull: { id: 'tcp.analysis.window_full', summary: 'TCP window specified by the receiver is now completely full', severity: 'warn', group: 'sequence' },
  keepAlive: { id: 'tcp.analysis.keep_alive', summary: 'TCP keep-alive segment', severity: 'note', group: 'sequence' },
  keepAliveAck: { id: 'tcp.analysis.keep_alive_ack', summary: 'ACK to a TCP keep-alive segment', severity: 'note', group: 'sequence' },
  duplicateAck: { id: 'tcp.analysis.duplicate_ack', summary: 'Duplicate ACK', severity: 'note', group: 'sequence' },
  zeroWindowProbe: { id: 'tcp.analysis.zero_window_probe', summary: 'TCP Zero Window Probe', severity: 'note', group: 'sequence' },
  zeroWindow: { id: 'tcp.analysis.zero_window', summary: 'TCP Zero Window segment', severity: 'warn', group: 'sequence' },
  zeroWindowProbeAck: { id: 'tcp.analysis.zero_window_probe_ack', summary: 'ACK to a TCP Zero Window Probe', severity: 'note', group: 'sequence' },
  reusedPorts: { id: 'tcp.analysis.reused_ports', summary: 'A new tcp session is started with the same ports as an earlier session in this trace', severity: 'note', group: 'sequence' },
  finActive: { id: 'tcp.connection.fin_active', summary: 'This frame initiates the connection closing', severity: 'note', group: 'sequence' },
  finPassive: { id: 'tcp.connection.fin_passive', summary: 'This frame undergoes the connection closing', severity: 'note', group: 'sequence' },
});

/** Experts and Info prefixes of the flags, in Wireshark's order. */
const FLAG_REPORTS: readonly { flag: number; experts: ExpertInfo[]; info: string }[] = [
  { flag: A.REUSED_PORTS, experts: [experts.reusedPorts], info: '[TCP Port numbers reused] ' },
  { flag: A.RETRANSMISSION, experts: [experts.retransmission], info: '[TCP Retransmission] ' },
  { flag: A.FAST_RETRANSMISSION, experts: [experts.fastRetransmission, experts.retransmission], info: '[TCP Fast Retransmission] ' },
  { flag: A.SPURIOUS_RETRANSMISSION, experts: [experts.spuriousRetransmission, experts.retransmission], info: '[TCP Spurious Retransmission] ' },
  { flag: A.OUT_OF_ORDER, experts: [experts.outOfOrder], info: '[TCP Out-Of-Order] ' },
  { flag: A.LOST_PACKET, experts: [experts.lostSegment], info: '[TCP Previous segment not captured] ' },
  { flag: A.ACK_LOST_PACKET, experts: [experts.ackLostSegment], info: '[TCP ACKed unseen segment] ' },
  { flag: A.WINDOW_FULL, experts: [experts.windowFull], info: '[TCP Window Full] ' },
  { flag: A.KEEP_ALIVE, experts: [experts.keepAlive], info: '[TCP Keep-Alive] ' },
  { flag: A.WINDOW_UPDATE, experts: [experts.windowUpdate], info: '[TCP Window Update] ' },
  { flag: A.KEEP_ALIVE_ACK, experts: [experts.keepAliveAck], info: '[TCP Keep-Alive ACK] ' },
  { flag: A.DUPLICATE_ACK, experts: [], info: '' },
  { flag: A.ZERO_WINDOW_PROBE, experts: [experts.zeroWindowProbe], info: '[TCP ZeroWindowProbe] ' },
  { flag: A.ZERO_WINDOW, experts: [experts.zeroWindow], info: '[TCP ZeroWindow] ' },
  { flag: A.ZERO_WINDOW_PROBE_ACK, experts: [experts.zeroWindowProbeAck], info: '[TCP ZeroWindowProbeAck] ' },
];

/** Sequence-space comparisons modulo 2^32 (RFC 9293 §3.4). */
function gtSeq(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
function ltSeq(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
function leSeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** The completeness text Wireshark shows for a value. */
export function completenessText(v: number): string {
  switch (v) {
    case SYNSENT:
      return `Incomplete, SYN_SENT (${v})`;
    case SYNSENT | SYNACK:
      return `Incomplete, CLIENT_ESTABLISHED (${v})`;
    case SYNSENT | SYNACK | ACKED:
      return `Incomplete, ESTABLISHED (${v})`;
    case SYNSENT | SYNACK | ACKED | DATA:
      return `Incomplete, DATA (${v})`;
    case SYNSENT | SYNACK | ACKED | DATA | FIN:
    case SYNSENT | SYNACK | ACKED | DATA | RST:
    case SYNSENT | SYNACK | ACKED | DATA | FIN | RST:
      return `Complete, WITH_DATA (${v})`;
    case SYNSENT | SYNACK | ACKED | FIN:
    case SYNSENT | SYNACK | ACKED | RST:
    case SYNSENT | SYNACK | ACKED | FIN | RST:
      return `Complete, NO_DATA (${v})`;
    default:
      return `Incomplete (${v})`;
  }
}

/** Where one TCP header's addresses are: the packet's network addresses, or those of a header quoted in an ICMP error. */
interface AddressPair {
  kind: number;
  data: Uint8Array;
  srcAt: number;
  dstAt: number;
}
const pair: AddressPair = { kind: 0, data: new Uint8Array(0), srcAt: 0, dstAt: 0 };

/** Finds the addresses of this TCP (or UDP) header; false when they are not IP addresses. */
export function transportAddresses(view: ByteView, pinfo: PacketInfo, ipProto: number, out: AddressPair = pair): boolean {
  if (pinfo.inErrorPacket) return quotedAddresses(view, pinfo, ipProto, out);
  return fromRefs(pinfo.netSrc, pinfo.netDst, out);
}

function fromRefs(src: AddressRef, dst: AddressRef, out: AddressPair): boolean {
  const kind = src.kind === AddrKind.IPv4 ? ADDR_IPV4 : src.kind === AddrKind.IPv6 ? ADDR_IPV6 : 0;
  if (kind === 0 || dst.kind !== src.kind || dst.data !== src.data) return false;
  out.kind = kind;
  out.data = src.data;
  out.srcAt = src.at;
  out.dstAt = dst.at;
  return true;
}

/**
 * Inside an ICMP error the IP layer leaves the packet's addresses alone, yet Wireshark numbers the quoted
 * segment's stream by the quoted header's addresses. The quoted IPv4 header sits right before the transport
 * header (its IHL says where it starts); a quoted IPv6 header left its addresses in the pseudo-header fields.
 */
function quotedAddresses(view: ByteView, pinfo: PacketInfo, ipProto: number, out: AddressPair): boolean {
  const d = view.data;
  const start = view.start;
  for (let ihl = 5; ihl <= 15; ihl++) {
    const s = start - ihl * 4;
    if (s < 0) break;
    if (d[s] === (0x40 | ihl) && d[s + 9] === ipProto) {
      out.kind = ADDR_IPV4;
      out.data = d;
      out.srcAt = s + 12;
      out.dstAt = s + 16;
      return true;
    }
  }
  return fromRefs(pinfo.pseudoSrc, pinfo.pseudoDst, out);
}

/**
 * The capture-wide TCP state: streams with their two flows, unacknowledged segments, and the per-frame
 * results of the first pass. Flow f of stream s is 2s + d, d = 0 for what side A (the first packet's source)
 * sends.
 */
export class TcpAnalysis {
  readonly table = new EndpointPairTable();
  readonly clock: FrameClock;
  readonly links: TransportLinks;
  private cap = 0;
  // Per stream.
  private completeness = new Uint8Array(0);
  private firstBits = new Uint8Array(0);
  private lastFrame = new Uint32Array(0);
  private lastLayer = new Uint8Array(0);
  private mruSyn = new Uint32Array(0);
  private rttSyn = new Uint32Array(0);
  private rttAck = new Uint32Array(0);
  // Per flow.
  private st = new Uint8Array(0);
  private base = new Uint32Array(0);
  private nextseq = new Uint32Array(0);
  private nextseqFrame = new Uint32Array(0);
  private lastack = new Uint32Array(0);
  private lastackFrame = new Uint32Array(0);
  private maxseqtobeacked = new Uint32Array(0);
  private window = new Uint32Array(0);
  private winScale = new Int8Array(0);
  private lastnondupack = new Uint32Array(0);
  private dupacknum = new Uint32Array(0);
  private lastSegFlags = new Uint16Array(0);
  private pushBytes = new Uint32Array(0);
  /** Raw sequence number where the flow's current run of bytes since a PSH began. */
  private runBase = new Uint32Array(0);
  /** Unacknowledged segments of a flow: newest (head) to oldest (tail), and how many. */
  private ualHead = new Int32Array(0);
  private ualTail = new Int32Array(0);
  private ualCount = new Uint16Array(0);
  /** Segments in the list that start before the end of one sent earlier (retransmissions); 0: list is ordered. */
  private ualDisorder = new Uint16Array(0);
  /** The highest end among the flow's listed segments since its list was last empty. */
  private ualMaxEnd = new Uint32Array(0);
  private sackSlot = new Int32Array(0);
  private sackCount = new Uint8Array(0);
  private firstFin = new Uint32Array(0);
  private synAckFrame = new Uint32Array(0);
  private ackLostFrame = new Uint32Array(0);
  /** Flows whose SYN+ACKs carried different sequence numbers: [frame, seq, frame, seq …] of each change. */
  private readonly synAckChanges = new Map<number, number[]>();
  // Unacknowledged segments: a pool of linked entries.
  private ualSeq = new Uint32Array(256);
  private ualNext = new Uint32Array(256);
  private ualFrame = new Uint32Array(256);
  /** Toward older (`ualLink`) and newer (`ualBack`) entries; `ualOutOfOrder` marks an entry counted in ualDisorder. */
  private ualLink = new Int32Array(256);
  private ualBack = new Int32Array(256);
  private ualOutOfOrder = new Uint8Array(256);
  private ualFree = -1;
  private ualUsed = 0;
  // SACK blocks of a flow's last segment: 8 words (4 blocks) per flow that ever sent one.
  private sacks = new Uint32Array(64);
  private sacksUsed = 0;
  // Per frame.
  /** Bytes in flight for segments with data; the distance back to the acknowledged frame for others. */
  readonly inFlightOrAck: FrameValueColumn;
  /**
   * tcp.analysis.push_bytes_sent without a column per frame: a run of segments since the last PSH is recorded
   * once (flow, first frame, starting sequence number), and a segment's value is its end less the run's start;
   * the few segments where that is not the count (a retransmission inside the run) keep theirs in
   * `pushExceptions`. During the first pass runs are appended; `compact` groups them by flow.
   */
  private runFlow = new Uint32Array(256);
  private runFrame = new Uint32Array(256);
  private runSeq = new Uint32Array(256);
  private runCount = 0;
  private runStart: Uint32Array | null = null;
  readonly pushExceptions = new SparseFrameColumn();
  /** Distance to the acknowledged frame for segments with data. */
  readonly dataAck = new SparseFrameColumn();
  readonly flags = new SparseFrameColumn();
  readonly dupAckNum = new SparseFrameColumn();
  readonly dupAckFrame = new SparseFrameColumn();
  readonly rtoFrame = new SparseFrameColumn();

  constructor(state: CaptureState) {
    this.clock = new FrameClock(state);
    this.links = state.of(TRANSPORT_LINKS, () => new TransportLinks(state.frameCount));
    this.inFlightOrAck = new FrameValueColumn(state.frameCount);
    this.grow(64);
  }

  get streamCount(): number {
    return this.table.count;
  }

  private grow(n: number): void {
    const g8 = (a: Uint8Array, size: number) => {
      const b = new Uint8Array(size);
      b.set(a);
      return b;
    };
    const g16 = (a: Uint16Array, size: number) => {
      const b = new Uint16Array(size);
      b.set(a);
      return b;
    };
    const g32 = (a: Uint32Array, size: number) => {
      const b = new Uint32Array(size);
      b.set(a);
      return b;
    };
    const gi32 = (a: Int32Array, size: number, fill: number) => {
      const b = new Int32Array(size).fill(fill);
      b.set(a);
      return b;
    };
    this.completeness = g8(this.completeness, n);
    this.firstBits = g8(this.firstBits, n);
    this.lastFrame = g32(this.lastFrame, n);
    this.lastLayer = g8(this.lastLayer, n);
    this.mruSyn = g32(this.mruSyn, n);
    this.rttSyn = g32(this.rttSyn, n);
    this.rttAck = g32(this.rttAck, n);
    const f = 2 * n;
    this.st = g8(this.st, f);
    this.base = g32(this.base, f);
    this.nextseq = g32(this.nextseq, f);
    this.nextseqFrame = g32(this.nextseqFrame, f);
    this.lastack = g32(this.lastack, f);
    this.lastackFrame = g32(this.lastackFrame, f);
    this.maxseqtobeacked = g32(this.maxseqtobeacked, f);
    const w = new Uint32Array(f).fill(0xffffffff);
    w.set(this.window);
    this.window = w;
    const ws = new Int8Array(f).fill(-1);
    ws.set(this.winScale);
    this.winScale = ws;
    this.lastnondupack = g32(this.lastnondupack, f);
    this.dupacknum = g32(this.dupacknum, f);
    this.lastSegFlags = g16(this.lastSegFlags, f);
    this.pushBytes = g32(this.pushBytes, f);
    this.runBase = g32(this.runBase, f);
    this.ualHead = gi32(this.ualHead, f, -1);
    this.ualTail = gi32(this.ualTail, f, -1);
    this.ualCount = g16(this.ualCount, f);
    this.ualDisorder = g16(this.ualDisorder, f);
    this.ualMaxEnd = g32(this.ualMaxEnd, f);
    this.sackSlot = gi32(this.sackSlot, f, -1);
    this.sackCount = g8(this.sackCount, f);
    this.firstFin = g32(this.firstFin, f);
    this.synAckFrame = g32(this.synAckFrame, f);
    this.ackLostFrame = g32(this.ackLostFrame, f);
    this.cap = n;
  }

  /** A new stream for the pair `table.find` was just asked about; its side A is the packet's source. */
  private newStream(a: AddressPair, srcPort: number, dstPort: number, frame: number, replacing: number): number {
    const s = this.table.add(a.kind, a.data, a.srcAt, a.dstAt, srcPort, dstPort, frame, replacing);
    if (s >= this.cap) this.grow(this.cap * 2);
    // Bytes in flight are tracked from the start; a lost segment suspends them until the peer ACKs again.
    this.st[2 * s] = VALID_BIF;
    this.st[2 * s + 1] = VALID_BIF;
    return s;
  }

  // ---- unacknowledged segments ----

  private ualAlloc(seq: number, next: number, frame: number): number {
    let u = this.ualFree;
    if (u >= 0) {
      this.ualFree = this.ualLink[u];
    } else {
      u = this.ualUsed++;
      if (u === this.ualSeq.length) {
        const n = u * 2;
        const g = <T extends Uint32Array | Int32Array>(a: T, b: T): T => {
          b.set(a);
          return b;
        };
        this.ualSeq = g(this.ualSeq, new Uint32Array(n));
        this.ualNext = g(this.ualNext, new Uint32Array(n));
        this.ualFrame = g(this.ualFrame, new Uint32Array(n));
        this.ualLink = g(this.ualLink, new Int32Array(n));
        this.ualBack = g(this.ualBack, new Int32Array(n));
        const o = new Uint8Array(n);
        o.set(this.ualOutOfOrder);
        this.ualOutOfOrder = o;
      }
    }
    this.ualSeq[u] = seq;
    this.ualNext[u] = next;
    this.ualFrame[u] = frame;
    return u;
  }

  private ualRelease(u: number): void {
    this.ualLink[u] = this.ualFree;
    this.ualFree = u;
  }

  /** Adds a segment as the newest of flow F's list. */
  private ualPush(F: number, seq: number, next: number, frame: number): void {
    const u = this.ualAlloc(seq, next, frame);
    const head = this.ualHead[F];
    // Ordered lists (each segment starts at or after every earlier one's end) take the short paths below.
    const outOfOrder = head >= 0 && ltSeq(seq, this.ualMaxEnd[F]);
    this.ualOutOfOrder[u] = outOfOrder ? 1 : 0;
    if (outOfOrder) this.ualDisorder[F]++;
    if (head < 0 || gtSeq(next, this.ualMaxEnd[F])) this.ualMaxEnd[F] = next;
    this.ualLink[u] = head;
    this.ualBack[u] = -1;
    if (head >= 0) this.ualBack[head] = u;
    else this.ualTail[F] = u;
    this.ualHead[F] = u;
    this.ualCount[F]++;
  }

  private ualRemove(F: number, u: number): void {
    const older = this.ualLink[u];
    const newer = this.ualBack[u];
    if (newer >= 0) this.ualLink[newer] = older;
    else this.ualHead[F] = older;
    if (older >= 0) this.ualBack[older] = newer;
    else this.ualTail[F] = newer;
    if (this.ualOutOfOrder[u]) this.ualDisorder[F]--;
    this.ualCount[F]--;
    this.ualRelease(u);
  }

  /**
   * Removes what an ACK acknowledges from flow R's list (as Wireshark walks it, newest to oldest: a segment
   * ending at the ACK is the one acknowledged, the oldest such; one ending before it is gone; one the ACK
   * falls inside is trimmed to start there). Returns the acknowledged segment's frame, or 0. An ordered list
   * is worked from its oldest end and stops at the first segment that stays, so a large window costs nothing.
   */
  private ualAcknowledge(R: number, ack: number): number {
    let acked = 0;
    if (this.ualDisorder[R] === 0) {
      let u = this.ualTail[R];
      while (u >= 0) {
        const next = this.ualNext[u];
        if (gtSeq(next, ack)) {
          if (gtSeq(ack, this.ualSeq[u])) this.ualSeq[u] = ack;
          break;
        }
        if (next === ack) acked = this.ualFrame[u];
        const newer = this.ualBack[u];
        this.ualRemove(R, u);
        u = newer;
      }
      return acked;
    }
    let u = this.ualHead[R];
    while (u >= 0) {
      const useq = this.ualSeq[u];
      const unext = this.ualNext[u];
      const older = this.ualLink[u];
      if (ack === unext) {
        acked = this.ualFrame[u];
      } else if (gtSeq(ack, useq) && leSeq(ack, unext)) {
        // Partly acknowledged: what is left starts at the ACK.
        this.ualSeq[u] = ack;
        u = older;
        continue;
      } else if (gtSeq(unext, ack)) {
        u = older;
        continue;
      }
      this.ualRemove(R, u);
      u = older;
    }
    return acked;
  }

  /**
   * The span of flow F's unacknowledged data relative to its base, as Wireshark takes it: the lowest start
   * and highest end compared as unsigned relative numbers. Returns end − start (or -1 with an empty list).
   */
  private ualSpan(F: number): number {
    const head = this.ualHead[F];
    if (head < 0) return -1;
    const base = this.base[F];
    if (this.ualDisorder[F] === 0) {
      const first = (this.ualSeq[this.ualTail[F]] - base) >>> 0;
      const last = (this.ualNext[head] - base) >>> 0;
      // Unless the list runs across the base (segments from before it), the oldest starts lowest.
      if (first <= last) return last - first;
    }
    let first = (this.ualSeq[head] - base) >>> 0;
    let last = (this.ualNext[head] - base) >>> 0;
    for (let v = this.ualLink[head]; v >= 0; v = this.ualLink[v]) {
      const e = (this.ualNext[v] - base) >>> 0;
      const b = (this.ualSeq[v] - base) >>> 0;
      if (e > last) last = e;
      if (b < first) first = b;
    }
    return last - first;
  }

  // ---- the first pass ----

  /** Set by `streamOf`: the flow direction of the segment (0: sent by the stream's side A). */
  lastDirection = 0;
  /** Set by `streamOf` in the first pass: the segment started a stream (a new pair, or a port reuse). */
  lastCreated = false;
  /** Set by `streamOf` in the first pass: the segment started a stream that reuses an older one's ports. */
  private flagReuse = false;

  /**
   * Numbers the segment's stream. First pass: finds it or creates it, with Wireshark's port-reuse rule (a SYN
   * whose sequence number is not the flow's base starts a new stream). Later: the stream the frame belonged
   * to. Returns the stream; `lastDirection` is the flow direction.
   */
  streamOf(seg: TcpSegment, a: AddressPair, pinfo: PacketInfo): number {
    const t = this.table;
    const found = t.find(a.kind, a.data, a.srcAt, a.dstAt, seg.srcPort, seg.dstPort);
    let s = found;
    let dir = t.lastDirection;
    this.lastCreated = false;
    this.flagReuse = false;
    if (!pinfo.firstPass) {
      s = t.entryAt(found, pinfo.frame);
      // An older stream of the pair: the direction is relative to its own side A.
      if (s >= 0 && s !== found) dir = this.directionIn(s, a, seg.srcPort);
      this.lastDirection = dir;
      return s;
    }
    if (s < 0) {
      s = this.newStream(a, seg.srcPort, seg.dstPort, pinfo.frame, -1);
      dir = 0;
      this.lastCreated = true;
    } else if (!pinfo.inErrorPacket && (seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN) {
      const f = 2 * s + dir;
      if (this.st[f] & BASE_SET && seg.seq !== this.base[f]) {
        s = this.newStream(a, seg.srcPort, seg.dstPort, pinfo.frame, s);
        dir = 0;
        this.lastCreated = true;
        this.flagReuse = true;
      }
    }
    this.lastDirection = dir;
    return s;
  }

  private directionIn(s: number, a: AddressPair, srcPort: number): number {
    const src = this.table.addressBytes(s, 0);
    const d = a.data;
    for (let k = 0; k < src.length; k++) if (src[k] !== d[a.srcAt + k]) return 1;
    return this.table.port(s, 0) === srcPort ? 0 : 1;
  }

  /** Everything the first pass records for one segment that is not inside an ICMP error. */
  firstPass(seg: TcpSegment, s: number, dir: number, pinfo: PacketInfo, analyzable: boolean): number {
    const isNew = this.lastCreated;
    const frame = pinfo.frame;
    this.clock.setNow(frame, pinfo.tsSecs, pinfo.tsNsecs);
    const F = 2 * s + dir;
    const R = F ^ 1;
    const flags = seg.flags;
    const seq = seg.seq;
    const seglen = Math.max(0, seg.payloadLen);
    let ta = 0;
    if (this.flagReuse) {
      ta |= A.REUSED_PORTS;
      this.flagReuse = false;
    }

    // A SYN+ACK whose sequence number differs from the flow's base: flagged, and the base follows it.
    if ((flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK)) {
      if (this.st[F] & BASE_SET && seq !== this.base[F]) {
        ta |= A.REUSED_PORTS;
        if (this.synAckFrame[F] !== 0) {
          let changes = this.synAckChanges.get(F);
          if (!changes) {
            changes = [this.synAckFrame[F], this.base[F]];
            this.synAckChanges.set(F, changes);
          }
          changes.push(frame, seq);
        }
        this.base[F] = seq;
      }
      if (this.synAckFrame[F] === 0) this.synAckFrame[F] = frame;
    }

    // tcp.completeness: what this segment shows of the connection's life; a stream's first segment only
    // counts as the SYN it may be (Wireshark keeps the rest out until its second pass).
    let bits = 0;
    const synAck = flags & (TcpFlag.SYN | TcpFlag.ACK);
    if (synAck === (TcpFlag.SYN | TcpFlag.ACK)) bits |= SYNACK;
    if (synAck === TcpFlag.ACK) bits |= seglen > 0 ? DATA : ACKED;
    if ((flags & (TcpFlag.FIN | TcpFlag.ACK)) === (TcpFlag.FIN | TcpFlag.ACK)) bits |= FIN;
    if (flags & TcpFlag.RST) bits |= RST;
    if (isNew) {
      this.firstBits[s] = bits;
      this.completeness[s] = synAck === TcpFlag.SYN ? SYNSENT : 0;
    } else {
      this.completeness[s] |= bits;
    }

    if (flags & TcpFlag.FIN && this.firstFin[F] === 0) this.firstFin[F] = frame;

    if (analyzable) ta = this.analyze(seg, s, F, R, frame, seglen, ta);
    else if (ta) this.flags.set(frame, ta);

    // The initial RTT: from the most recent SYN to the first ACK after it (known from the next segment on).
    if (synAck === TcpFlag.ACK && this.mruSyn[s] !== 0 && this.rttAck[s] === 0 && this.clock.sinceFrame(this.mruSyn[s]) !== 0) {
      this.rttSyn[s] = this.mruSyn[s];
      this.rttAck[s] = frame;
    }
    if (synAck === TcpFlag.SYN) this.mruSyn[s] = frame;

    // Options the flows remember (RFC 7323 §2.3: a shift above 14 counts as 14), then the scaling check.
    if (seg.wscaleShift >= 0) this.winScale[F] = Math.min(seg.wscaleShift, 14);
    this.recordSack(seg, F);
    if (flags & TcpFlag.SYN) {
      if (this.winScale[F] === -1) {
        // No window scale option in this SYN: neither side scales (RFC 7323 §2.2).
        this.winScale[F] = -2;
        this.winScale[R] = -2;
      } else if (flags & TcpFlag.ACK && this.winScale[R] === -2) {
        this.winScale[F] = -2;
      }
    }
    return ta;
  }

  private recordSack(seg: TcpSegment, F: number): void {
    const n = seg.sackCount;
    if (n === 0) {
      this.sackCount[F] = 0;
      return;
    }
    let slot = this.sackSlot[F];
    if (slot < 0) {
      slot = this.sacksUsed;
      this.sacksUsed += 8;
      if (this.sacksUsed > this.sacks.length) {
        const g = new Uint32Array(this.sacks.length * 2);
        g.set(this.sacks);
        this.sacks = g;
      }
      this.sackSlot[F] = slot;
    }
    for (let i = 0; i < n; i++) {
      this.sacks[slot + 2 * i] = seg.sackLe[i];
      this.sacks[slot + 2 * i + 1] = seg.sackRe[i];
    }
    this.sackCount[F] = n;
  }

  /** Wireshark's sequence analysis of one segment of flow F (peer flow R); returns the flags. */
  private analyze(seg: TcpSegment, s: number, F: number, R: number, frame: number, seglen: number, ta: number): number {
    const flags = seg.flags;
    const seq = seg.seq;
    const ack = seg.ack;
    const window = seg.window;
    const st = this.st;
    const noSynFinRst = (flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) === 0;

    if (!(st[F] & BASE_SET)) {
      this.base[F] = flags & TcpFlag.SYN ? seq : (seq - 1) >>> 0;
      st[F] |= BASE_SET;
    }
    // The peer's base from the first ACK, for when its SYN was not captured.
    if (!(st[R] & BASE_SET) && flags & TcpFlag.ACK) {
      this.base[R] = (ack - 1) >>> 0;
      st[R] |= BASE_SET;
    }
    if (flags & TcpFlag.ACK) st[R] |= VALID_BIF;

    const nextseq = this.nextseq[F];
    const lastack = this.lastack[F];
    let dupNum = 0;
    forward: {
      if (seglen === 1 && seq === nextseq && this.window[R] === 0) {
        ta |= A.ZERO_WINDOW_PROBE;
        break forward;
      }
      if (window === 0 && noSynFinRst) ta |= A.ZERO_WINDOW;
      if (nextseq !== 0 && gtSeq(seq, nextseq) && !(flags & TcpFlag.RST)) {
        ta |= A.LOST_PACKET;
        // Bytes in flight mean nothing until the peer acknowledges again.
        st[F] &= ~VALID_BIF;
      }
      if (seglen <= 1 && seq === ((nextseq - 1) >>> 0) && noSynFinRst) ta |= A.KEEP_ALIVE;
      if (seglen === 0 && window !== 0 && window !== this.window[F] && seq === nextseq && ack === lastack && noSynFinRst) ta |= A.WINDOW_UPDATE;
      const rws = this.winScale[R];
      if (seglen > 0 && rws !== -1 && ((seq + seglen) >>> 0) === ((this.lastack[R] + ((this.window[R] << (rws === -2 ? 0 : rws)) >>> 0)) >>> 0) && noSynFinRst) {
        ta |= A.WINDOW_FULL;
      }
      if (seglen === 0 && window !== 0 && window === this.window[F] && seq === nextseq && ack === lastack && this.lastSegFlags[R] & A.KEEP_ALIVE && noSynFinRst) {
        ta |= A.KEEP_ALIVE_ACK;
        break forward;
      }
      if (seglen === 0 && window === 0 && window === this.window[F] && seq === nextseq && ack === lastack && this.lastSegFlags[R] & A.ZERO_WINDOW_PROBE && noSynFinRst) {
        ta |= A.ZERO_WINDOW_PROBE_ACK;
        break forward;
      }
      if (seglen === 0 && window !== 0 && window === this.window[F] && seq === nextseq && ack === lastack && noSynFinRst) {
        dupNum = ++this.dupacknum[F];
        ta |= A.DUPLICATE_ACK;
        this.dupAckNum.set(frame, dupNum);
        this.dupAckFrame.set(frame, this.lastnondupack[F]);
      }
    }
    // The count of duplicate ACKs runs until the ACK number changes (data or window updates in between
    // do not end it).
    if (ack !== lastack) {
      this.lastnondupack[F] = frame;
      this.dupacknum[F] = 0;
    }

    // tshark 4.0 flags this only while the peer's data has a gap, or when the peer is not repeating its ACK
    // (duplicate ACKs) and has sent a new ACK since the last time this was looked at; otherwise the frame
    // only gets an (empty) analysis tree and the peer's duplicate-ACK count starts again. Observed behaviour
    // (see the tests), not a rule from an RFC.
    let emptyAnalysis = false;
    const peerMax = this.maxseqtobeacked[R];
    if (peerMax !== 0 && gtSeq(ack, peerMax) && flags & TcpFlag.ACK) {
      if (peerMax !== this.nextseq[R] || (this.dupacknum[R] === 0 && this.lastnondupack[R] > this.ackLostFrame[R])) {
        ta |= A.ACK_LOST_PACKET;
      } else {
        emptyAnalysis = true;
        this.dupacknum[R] = 0;
      }
      this.maxseqtobeacked[R] = this.nextseq[R];
      this.ackLostFrame[R] = frame;
    }

    if ((seglen > 0 || flags & (TcpFlag.SYN | TcpFlag.FIN)) && !(ta & A.KEEP_ALIVE)) {
      // New data right after a one-byte segment at the same place (a zero-window probe, say) is not resent.
      const notAdvanced = nextseq !== 0 && ltSeq(seq, nextseq) && !(seglen > 1 && ((nextseq - 1) >>> 0) === seq);
      retransmission: {
        if (notAdvanced && this.dupacknum[R] >= 2 && this.lastack[R] === seq) {
          const sinceDupAck = this.clock.sinceFrame(this.lastackFrame[R]);
          if (sinceDupAck >= 0 && sinceDupAck < FAST_RETRANSMISSION_WINDOW_NS) {
            ta |= A.FAST_RETRANSMISSION;
            break retransmission;
          }
        }
        // All of it was acknowledged already.
        const peerAck = this.lastack[R];
        if (seglen > 0 && peerAck !== 0 && leSeq((seq + seglen) >>> 0, peerAck)) {
          ta |= A.SPURIOUS_RETRANSMISSION;
          break retransmission;
        }
        if (notAdvanced && nextseq !== ((seq + seglen + (flags & (TcpFlag.SYN | TcpFlag.FIN) ? 1 : 0)) >>> 0)) {
          const sinceHighest = this.clock.sinceFrame(this.nextseqFrame[F]);
          const irtt = this.initialRtt(s);
          if (sinceHighest >= 0 && sinceHighest < (irtt !== 0 ? irtt : DEFAULT_OUT_OF_ORDER_NS)) {
            ta |= A.OUT_OF_ORDER;
            break retransmission;
          }
        }
        if (notAdvanced) {
          ta |= A.RETRANSMISSION;
          // The RTO is measured from the oldest segment still unacknowledged, or (a SYN or FIN sent again
          // after everything was acknowledged) from the segment that last advanced the sequence number.
          const oldest = this.ualTail[F];
          this.rtoFrame.set(frame, oldest >= 0 ? this.ualFrame[oldest] : this.nextseqFrame[F]);
        }
      }
    }

    // Track the segment until it is acknowledged (SYN and FIN take a sequence number, RFC 9293 §3.4).
    let next = (seq + seglen) >>> 0;
    if ((seglen > 0 || flags & (TcpFlag.SYN | TcpFlag.FIN)) && this.ualCount[F] < MAX_UNACKED_SEGMENTS) {
      if (flags & (TcpFlag.SYN | TcpFlag.FIN)) next = (next + 1) >>> 0;
      this.ualPush(F, seq, next, frame);
    }
    if ((gtSeq(next, this.nextseq[F]) || this.nextseq[F] === 0) && !(ta & A.ZERO_WINDOW_PROBE)) {
      this.nextseq[F] = next;
      this.nextseqFrame[F] = frame;
    }
    if ((seq === this.maxseqtobeacked[F] || this.maxseqtobeacked[F] === 0) && !(ta & A.ZERO_WINDOW_PROBE)) {
      this.maxseqtobeacked[F] = this.nextseq[F];
    }
    this.window[F] = window;
    this.lastack[F] = ack;
    this.lastackFrame[F] = frame;

    // What this ACK acknowledges of the peer's segments.
    const acked = this.ualAcknowledge(R, ack);
    if (acked !== 0) {
      if (seglen > 0) this.dataAck.set(frame, frame - acked);
      else this.inFlightOrAck.set(frame, frame - acked);
    }

    // Bytes in flight after this segment: the span of unacknowledged data less what the peer SACKed.
    if (seglen !== 0 && this.ualHead[F] >= 0 && st[F] & VALID_BIF) {
      const span = this.ualSpan(F);
      let delivered = 0;
      const n = this.sackCount[R];
      if (n > 0) {
        const slot = this.sackSlot[R];
        for (let i = 0; i < n; i++) delivered = (delivered + this.sacks[slot + 2 * i + 1] - this.sacks[slot + 2 * i]) >>> 0;
      }
      // A SYN or FIN takes a sequence number but is not data in flight.
      const inFlight = (span - delivered - (flags & (TcpFlag.SYN | TcpFlag.FIN) ? 1 : 0)) >>> 0;
      // Bytes sent since the last PSH: a run ends with (and includes) a segment that has PSH.
      const push = flags & TcpFlag.PSH;
      if (st[F] & PUSH_SET_LAST || !(st[F] & RUN_OPEN)) {
        this.pushBytes[F] = seglen;
        this.runBase[F] = seq;
        this.addRun(F, frame, seq);
        st[F] |= RUN_OPEN;
      } else {
        this.pushBytes[F] = (this.pushBytes[F] + seglen) >>> 0;
      }
      if (push) st[F] |= PUSH_SET_LAST;
      else st[F] &= ~PUSH_SET_LAST;
      if (inFlight > 0 && inFlight < 2000000000) {
        this.inFlightOrAck.set(frame, inFlight);
        if (this.pushBytes[F] !== ((seq + seglen - this.runBase[F]) >>> 0)) this.pushExceptions.set(frame, this.pushBytes[F]);
      } else {
        emptyAnalysis = true;
      }
    }
    this.lastSegFlags[F] = ta;
    if (ta !== 0 || (emptyAnalysis && acked === 0)) this.flags.set(frame, ta | (emptyAnalysis ? ANALYSIS_EMPTY : 0));
    return ta;
  }

  private addRun(F: number, frame: number, seq: number): void {
    const i = this.runCount++;
    if (i === this.runFlow.length) {
      const g = (a: Uint32Array) => {
        const b = new Uint32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.runFlow = g(this.runFlow);
      this.runFrame = g(this.runFrame);
      this.runSeq = g(this.runSeq);
    }
    this.runFlow[i] = F;
    this.runFrame[i] = frame;
    this.runSeq[i] = seq;
  }

  /** Orders the runs by flow (frames stay in order within a flow) with an index of where each flow's begin. */
  private groupRuns(flows: number): void {
    const n = this.runCount;
    const start = new Uint32Array(flows + 1);
    for (let i = 0; i < n; i++) start[this.runFlow[i] + 1]++;
    for (let f = 0; f < flows; f++) start[f + 1] += start[f];
    const at = start.slice(0, flows);
    const frames = new Uint32Array(n);
    const seqs = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const k = at[this.runFlow[i]]++;
      frames[k] = this.runFrame[i];
      seqs[k] = this.runSeq[i];
    }
    this.runStart = start;
    this.runFrame = frames;
    this.runSeq = seqs;
    this.runFlow = new Uint32Array(0);
  }

  /** tcp.analysis.push_bytes_sent of a segment of flow F (after the first pass). */
  pushBytesSent(F: number, frame: number, seq: number, seglen: number): number {
    const exception = this.pushExceptions.get(frame, -1);
    if (exception >= 0) return exception;
    const start = this.runStart;
    if (!start || F + 1 >= start.length) return seglen;
    // The flow's last run that began at or before this frame.
    let lo = start[F];
    let hi = start[F + 1] - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runFrame[mid] <= frame) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found < 0 ? seglen : (seq + seglen - this.runSeq[found]) >>> 0;
  }

  // ---- reading ----

  /**
   * The relative base of flow F as tshark's second pass has it at `frame`: the final base, except that a
   * SYN+ACK with a new sequence number sets it from its frame on.
   */
  baseAt(F: number, frame: number): number {
    if (this.synAckChanges.size === 0) return this.base[F];
    const changes = this.synAckChanges.get(F);
    if (!changes) return this.base[F];
    let b = this.base[F];
    for (let i = 0; i < changes.length && changes[i] <= frame; i += 2) b = changes[i + 1];
    return b;
  }

  /** Whether tshark's second pass flags this SYN+ACK as reusing ports (its sequence number differs from the base before it). */
  secondPassReuse(F: number, frame: number, seq: number): boolean {
    if (this.synAckChanges.size === 0) return false;
    const changes = this.synAckChanges.get(F);
    if (!changes) return false;
    let b = this.base[F];
    for (let i = 0; i < changes.length && changes[i] < frame; i += 2) b = changes[i + 1];
    return seq !== b;
  }

  /** tcp.completeness as shown on a frame. */
  completenessAt(s: number, frame: number): number {
    return frame > this.table.firstFrame(s) ? this.completeness[s] | this.firstBits[s] : this.completeness[s];
  }

  /** The initial RTT of a stream in nanoseconds (0 if unknown). */
  initialRtt(s: number): number {
    return this.rttAck[s] !== 0 ? this.clock.between(this.rttAck[s], this.rttSyn[s]) : 0;
  }

  /** Analysis flags of a frame (TcpAnalysisFlag bits), as the first pass found them. */
  frameFlags(frame: number): number {
    return this.flags.get(frame) & 0x7fff;
  }

  windowScale(F: number): number {
    return this.winScale[F];
  }

  firstFinFrame(F: number): number {
    return this.firstFin[F];
  }

  /** Bytes held in typed arrays (for memory accounting; maps counted at about 16 bytes an entry). */
  byteSize(): number {
    let n = this.table.byteSize() + this.inFlightOrAck.byteSize() + this.pushExceptions.byteSize();
    n += this.dataAck.byteSize() + this.flags.byteSize() + this.dupAckNum.byteSize() + this.dupAckFrame.byteSize() + this.rtoFrame.byteSize();
    const arrays: ArrayBufferView[] = [
      this.completeness, this.firstBits, this.lastFrame, this.lastLayer, this.mruSyn, this.rttSyn, this.rttAck, this.st, this.base, this.nextseq,
      this.nextseqFrame, this.lastack, this.lastackFrame, this.maxseqtobeacked, this.window, this.winScale, this.lastnondupack,
      this.dupacknum, this.lastSegFlags, this.pushBytes, this.runBase, this.runFlow, this.runFrame, this.runSeq, this.ualHead, this.ualTail, this.ualCount, this.ualDisorder, this.ualMaxEnd, this.sackSlot, this.sackCount, this.firstFin,
      this.synAckFrame, this.ackLostFrame, this.ualSeq, this.ualNext, this.ualFrame, this.ualLink, this.ualBack, this.ualOutOfOrder, this.sacks,
    ];
    for (const a of arrays) n += a.byteLength;
    return n + this.synAckChanges.size * 48;
  }

  private compacted = false;

  /**
   * Once the first pass is over, keeps only what later dissections read (relative bases, window scales,
   * completeness, initial RTTs, first FINs, last frames) in arrays trimmed to the stream count, and lets the
   * rest of the analysis state go.
   */
  /** Called by the session when the first pass ends (CaptureState.endFirstPass). */
  endFirstPass(): void {
    this.compact();
  }

  compact(): void {
    if (this.compacted) return;
    this.compacted = true;
    const n = this.table.count;
    const f = 2 * n;
    this.completeness = this.completeness.slice(0, n);
    this.firstBits = this.firstBits.slice(0, n);
    this.lastFrame = this.lastFrame.slice(0, n);
    this.lastLayer = this.lastLayer.slice(0, n);
    this.rttSyn = this.rttSyn.slice(0, n);
    this.rttAck = this.rttAck.slice(0, n);
    this.base = this.base.slice(0, f);
    this.winScale = this.winScale.slice(0, f);
    this.firstFin = this.firstFin.slice(0, f);
    const none32 = new Uint32Array(0);
    this.mruSyn = none32;
    this.st = new Uint8Array(0);
    this.nextseq = none32;
    this.nextseqFrame = none32;
    this.lastack = none32;
    this.lastackFrame = none32;
    this.maxseqtobeacked = none32;
    this.window = none32;
    this.lastnondupack = none32;
    this.dupacknum = none32;
    this.lastSegFlags = new Uint16Array(0);
    this.pushBytes = none32;
    this.runBase = none32;
    this.groupRuns(f);
    this.ualHead = new Int32Array(0);
    this.ualTail = new Int32Array(0);
    this.ualCount = new Uint16Array(0);
    this.ualDisorder = new Uint16Array(0);
    this.ualMaxEnd = none32;
    this.sackSlot = new Int32Array(0);
    this.sackCount = new Uint8Array(0);
    this.synAckFrame = none32;
    this.ackLostFrame = none32;
    this.ualSeq = none32;
    this.ualNext = none32;
    this.ualFrame = none32;
    this.ualLink = new Int32Array(0);
    this.ualBack = new Int32Array(0);
    this.ualOutOfOrder = new Uint8Array(0);
    this.sacks = none32;
    this.cap = n;
    this.table.compact();
    this.links.compact();
    this.inFlightOrAck.fit();
    for (const c of [this.dataAck, this.flags, this.dupAckNum, this.dupAckFrame, this.rtoFrame, this.pushExceptions]) c.compact();
  }

  /** The last frame of stream s. */
  lastFrameOf(s: number): number {
    return this.lastFrame[s];
  }

  /** The segment being dissected: set by the hook's `observe`, read by its tree calls for the same segment. */
  readonly cur = { stream: -1, dir: 0, analyzed: false, layer: 0, secondPassReuse: false, flags: 0 };

  /** Remembers a frame of stream s for the time-delta chain. */
  link(s: number, frame: number, layer: number, dir: number): void {
    const prev = this.lastFrame[s];
    this.links.set(frame, layer, prev === frame ? 0 : prev, this.lastLayer[s], dir);
    this.lastFrame[s] = frame;
    this.lastLayer[s] = layer;
  }

  /** The transport layer stream s was in, in its last frame (0 unless tunnelled). */
  lastLayerOf(s: number): number {
    return this.lastLayer[s];
  }

}

const STATE_NAME = 'tcp.analysis';

let cachedState: CaptureState | null = null;
let cachedAnalysis: TcpAnalysis | null = null;

/** The capture's TCP analysis state (created empty when asked before any TCP segment). */
export function tcpAnalysisOf(state: CaptureState): TcpAnalysis {
  // Every segment asks several times: remember the last capture's state instead of a map lookup each time.
  if (state === cachedState) return cachedAnalysis!;
  const a = state.of(STATE_NAME, () => new TcpAnalysis(state));
  cachedState = state;
  cachedAnalysis = a;
  return a;
}

// ---------------------------------------------------------------------------------------------------------
// The hook
// ---------------------------------------------------------------------------------------------------------

/** Scratch for the segment's addresses; `data` is let go after each use (it is the frame's read window). */
const addr: AddressPair = { kind: 0, data: NO_BYTES, srcAt: 0, dstAt: 0 };

/** The [SEQ/ACK analysis] and [Timestamps] items with their experts. */
const ANALYSIS_ITEMS = new FieldGroup(['tcp.analysis', 'tcp.time_']);

class Hook implements TcpStateHook {
  observe(seg: TcpSegment, pinfo: PacketInfo): void {
    const an = tcpAnalysisOf(pinfo.state);
    if (!pinfo.firstPass) an.compact();
    const cur = an.cur;
    cur.stream = -1;
    cur.flags = 0;
    cur.analyzed = false;
    cur.secondPassReuse = false;
    // A header quoted in an ICMP error is numbered when its view is at hand (addStreamItems).
    if (pinfo.inErrorPacket || !fromRefs(pinfo.netSrc, pinfo.netDst, addr)) return;
    const s = an.streamOf(seg, addr, pinfo);
    addr.data = NO_BYTES;
    if (s < 0) return;
    const dir = an.lastDirection;
    cur.stream = s;
    cur.dir = dir;
    cur.layer = transportLayerIndex(pinfo.layers);
    seg.stream = s;
    // Wireshark analyses a segment only when its length is known: not an IP fragment it could not
    // reassemble, and a header length that fits.
    const analyzable = !pinfo.fragmented && seg.payloadLen >= 0;
    cur.analyzed = analyzable;
    if (pinfo.firstPass) {
      // Nothing is shown in the first pass: record, and leave the numbers as they are.
      an.link(s, pinfo.frame, cur.layer, dir);
      cur.flags = an.firstPass(seg, s, dir, pinfo, analyzable);
      return;
    }
    const F = 2 * s + dir;
    if (analyzable) {
      const fb = an.baseAt(F, pinfo.frame);
      const rb = an.baseAt(F ^ 1, pinfo.frame);
      seg.relative = true;
      seg.seqShown = (seg.seq - fb) >>> 0;
      seg.nxtseqShown = (seg.nxtseqShown - fb) >>> 0;
      if (seg.has(TcpFlag.ACK)) seg.ackShown = (seg.ack - rb) >>> 0;
      seg.sackBase = rb;
      if (!pinfo.firstPass && (seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === (TcpFlag.SYN | TcpFlag.ACK)) {
        cur.secondPassReuse = an.secondPassReuse(F, pinfo.frame, seg.seq);
      }
    }
    scaleWindow(an, seg, F);
  }

  holdsPayload(seg: TcpSegment, pinfo: PacketInfo): boolean {
    return holdsPayload(seg, pinfo);
  }

  deliver(seg: TcpSegment, payload: ByteView, pinfo: PacketInfo, tree: ProtoTree, held: boolean): void {
    const cur = tcpAnalysisOf(pinfo.state).cur;
    const flow = cur.stream >= 0 && cur.analyzed ? 2 * cur.stream + cur.dir : -1;
    deliverTcpPayload(flow, seg, payload, pinfo, tree, held);
  }

  addStreamItems(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
    const an = tcpAnalysisOf(pinfo.state);
    const cur = an.cur;
    if (pinfo.inErrorPacket) {
      if (!pinfo.firstPass) an.compact();
      // Wireshark numbers a quoted segment by the quoted header's addresses; nothing else of it is analysed.
      cur.stream = -1;
      cur.analyzed = false;
      cur.secondPassReuse = false;
      if (!transportAddresses(view, pinfo, 6, addr)) return;
      const s = an.streamOf(seg, addr, pinfo);
      addr.data = NO_BYTES;
      if (s < 0) return;
      cur.stream = s;
      cur.dir = an.lastDirection;
      cur.layer = transportLayerIndex(pinfo.layers);
      seg.stream = s;
      if (pinfo.firstPass) an.link(s, pinfo.frame, cur.layer, cur.dir);
      scaleWindow(an, seg, 2 * s + cur.dir);
    }
    if (pinfo.firstPass) return;
    const s = cur.stream;
    if (s < 0) return;
    tree.addGenerated(fields.stream, view, 0, 0, s);
    const c = an.completenessAt(s, pinfo.frame);
    tree.addGenerated(fields.completeness, view, 0, 0, c, tree.full ? `[Conversation completeness: ${completenessText(c)}]` : undefined);
  }

  addFlagItems(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
    if (pinfo.firstPass || !seg.has(TcpFlag.FIN) || pinfo.inErrorPacket) return;
    const an = tcpAnalysisOf(pinfo.state);
    const s = an.cur.stream;
    if (s < 0) return;
    const F = 2 * s + an.cur.dir;
    const mine = an.firstFinFrame(F);
    const peers = an.firstFinFrame(F ^ 1);
    // The side whose first FIN came second only follows the other's close.
    addExpert(tree, pinfo, peers !== 0 && peers < mine ? experts.finPassive : experts.finActive, view, 0, 0);
  }

  addWindowItems(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
    if (pinfo.firstPass || seg.has(TcpFlag.SYN)) return;
    const an = tcpAnalysisOf(pinfo.state);
    const s = an.cur.stream;
    if (s < 0) return;
    const ws = an.windowScale(2 * s + an.cur.dir);
    const factor = ws >= 0 ? 1 << ws : ws;
    let label: string | undefined;
    if (tree.full) label = ws === -1 ? '[Window size scaling factor: -1 (unknown)]' : ws === -2 ? '[Window size scaling factor: -2 (no window scaling used)]' : undefined;
    tree.addGenerated(fields.scaleFactor, view, 14, 2, factor, label);
  }

  addAnalysis(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
    // Nothing to show or record (the first pass; a filter that reads no analysis item): nothing to do.
    if (pinfo.firstPass || (!pinfo.columns && !tree.recordsAny(ANALYSIS_ITEMS))) return;
    const an = tcpAnalysisOf(pinfo.state);
    const cur = an.cur;
    const s = cur.stream;
    if (s < 0) return;
    const frame = pinfo.frame;
    const full = tree.full;
    an.clock.setNow(frame, pinfo.tsSecs, pinfo.tsNsecs);
    if (full || tree.wants(fields.timeRelative) || tree.wants(fields.timeDelta)) {
      tree.open(textField, view, 0, 0, null, full ? 'Timestamps' : undefined, 1);
      tree.addGenerated(fields.timeRelative, view, 0, 0, relativeTime(an.clock.sinceFrame(an.table.firstFrame(s))));
      const prev = an.links.previous(frame, cur.layer);
      tree.addGenerated(fields.timeDelta, view, 0, 0, relativeTime(prev > 0 ? an.clock.sinceFrame(prev) : 0));
      tree.close();
    }
    if (!cur.analyzed) return;
    let flags = an.flags.get(frame);
    if (cur.secondPassReuse) flags |= A.REUSED_PORTS;
    const seglen = Math.max(0, seg.payloadLen);
    const slotA = an.inFlightOrAck.get(frame);
    const ackDelta = seglen > 0 ? an.dataAck.get(frame) : slotA;
    const inFlight = seglen > 0 ? slotA : 0;
    if (flags === 0 && ackDelta === 0 && inFlight === 0) return;
    flags &= 0x7fff;
    if (!tree.recording) {
      // List rows record no item: only the experts (the row's severity) and the Info prefixes remain.
      if (flags === 0) return;
      for (const r of FLAG_REPORTS) if (flags & r.flag) for (const ex of r.experts) addExpert(tree, pinfo, ex, view, 0, 0);
      if (flags & A.DUPLICATE_ACK) addExpert(tree, pinfo, experts.duplicateAck, view, 0, 0);
      addInfoPrefixes(an, flags, pinfo);
      return;
    }
    tree.open(fields.analysis, view, 0, 0, null, undefined, 1);
    if (ackDelta !== 0) {
      const acked = frame - ackDelta;
      tree.addGenerated(fields.acksFrame, view, 0, 0, acked);
      const rtt = an.clock.sinceFrame(acked);
      if (rtt !== 0) tree.addGenerated(fields.ackRtt, view, 0, 0, relativeTime(rtt));
    }
    const irtt = an.initialRtt(s);
    if (irtt !== 0) tree.addGenerated(fields.initialRtt, view, 0, 0, relativeTime(irtt));
    if (inFlight !== 0) {
      tree.addGenerated(fields.bytesInFlight, view, 0, 0, inFlight);
      tree.addGenerated(fields.pushBytesSent, view, 0, 0, an.pushBytesSent(2 * s + cur.dir, frame, seg.seq, seglen));
    }
    if (flags !== 0) {
      tree.open(fields.analysisFlags, view, 0, 0, null, undefined, 1);
      for (const r of FLAG_REPORTS) {
        if (!(flags & r.flag)) continue;
        if (r.flag === A.DUPLICATE_ACK) {
          tree.addGenerated(fields.duplicateAck, view, 0, 0, null, full ? '[This is a TCP duplicate ack]' : undefined);
          continue;
        }
        for (const ex of r.experts) addExpert(tree, pinfo, ex, view, 0, 0);
        if (r.flag === A.RETRANSMISSION) {
          const from = an.rtoFrame.get(frame);
          const rto = from !== 0 ? an.clock.sinceFrame(from) : 0;
          if (rto !== 0) {
            tree.addGenerated(fields.rto, view, 0, 0, relativeTime(rto));
            tree.addGenerated(fields.rtoFrame, view, 0, 0, from);
          }
        }
      }
      tree.close();
      if (flags & A.DUPLICATE_ACK) {
        const num = an.dupAckNum.get(frame);
        tree.addGenerated(fields.duplicateAckNum, view, 0, 0, num);
        tree.open(fields.duplicateAckFrame, view, 0, 0, an.dupAckFrame.get(frame), undefined, 1);
        addExpert(tree, pinfo, experts.duplicateAck, view, 0, 0, `Duplicate ACK (#${num})`);
        tree.close();
      }
      addInfoPrefixes(an, flags, pinfo);
    }
    tree.close();
  }
}

/** The analysis flags' Info prefixes ("[TCP Retransmission] "), when the columns are wanted. */
function addInfoPrefixes(an: TcpAnalysis, flags: number, pinfo: PacketInfo): void {
  if (!pinfo.columns) return;
  const frame = pinfo.frame;
  // Each prefix goes in front of Info, so the last one listed comes first (as in Wireshark).
  for (const r of FLAG_REPORTS) {
    if (!(flags & r.flag)) continue;
    pinfo.prependInfoFenced(r.flag === A.DUPLICATE_ACK ? `[TCP Dup ACK ${an.dupAckFrame.get(frame)}#${an.dupAckNum.get(frame)}] ` : r.info);
  }
}

/** A fast retransmission is not among them: tshark 4.0 hands its data on (observed). */
const RESENT = A.RETRANSMISSION | A.SPURIOUS_RETRANSMISSION | A.OUT_OF_ORDER;

/**
 * Wireshark's default (tcp.no_subdissector_on_error): data of a retransmitted or out-of-order segment is
 * not handed to the protocol above, which would see it twice or out of place.
 */
function holdsPayload(seg: TcpSegment, pinfo: PacketInfo): boolean {
  const an = tcpAnalysisOf(pinfo.state);
  const cur = an.cur;
  if (cur.stream < 0 || !cur.analyzed || seg.has(TcpFlag.RST)) return false;
  const flags = pinfo.firstPass ? cur.flags : an.flags.get(pinfo.frame);
  return (flags & RESENT) !== 0;
}

/** tcp.window_size: the window shifted by the flow's scale (RFC 7323 §2.3); a SYN's window is never scaled. */
function scaleWindow(an: TcpAnalysis, seg: TcpSegment, F: number): void {
  if (seg.has(TcpFlag.SYN)) return;
  const ws = an.windowScale(F);
  if (ws >= 0) seg.windowShown = (seg.window << ws) >>> 0;
}

export const tcpAnalysisHook: TcpStateHook = new Hook();

// ---------------------------------------------------------------------------------------------------------
// What other parts read (Follow Stream, Conversations, reassembly): after the first pass.
// ---------------------------------------------------------------------------------------------------------

export interface TcpStreamEndpoints {
  /** 'ipv4' or 'ipv6'. */
  family: 'ipv4' | 'ipv6';
  /** Side A: the source of the stream's first segment. */
  addressA: string;
  portA: number;
  addressB: string;
  portB: number;
}

/** Number of TCP streams (tcp.stream runs from 0 to this − 1). */
export function tcpStreamCount(state: CaptureState): number {
  return tcpAnalysisOf(state).streamCount;
}

/** A stream's endpoints. */
export function tcpStreamEndpoints(state: CaptureState, stream: number): TcpStreamEndpoints {
  const t = tcpAnalysisOf(state).table;
  const v4 = t.kindOf(stream) === ADDR_IPV4;
  const fmt = (b: Uint8Array) => (v4 ? formatIPv4(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) : formatIPv6(b));
  return { family: v4 ? 'ipv4' : 'ipv6', addressA: fmt(t.addressBytes(stream, 0)), portA: t.port(stream, 0), addressB: fmt(t.addressBytes(stream, 1)), portB: t.port(stream, 1) };
}

/** First and last frame of a stream. */
export function tcpStreamFrameRange(state: CaptureState, stream: number): { first: number; last: number } {
  const an = tcpAnalysisOf(state);
  return { first: an.table.firstFrame(stream), last: an.lastFrameOf(stream) };
}

/**
 * The frames of a stream in order, with each one's direction (0: sent by side A). Follows the per-frame
 * links back from the stream's last frame, so it costs one step per frame of the stream.
 */
export function tcpStreamFrames(state: CaptureState, stream: number): { frames: Uint32Array; directions: Uint8Array } {
  const an = tcpAnalysisOf(state);
  return linkedFrames(an.links, an.table.firstFrame(stream), an.lastFrameOf(stream), an.lastLayerOf(stream));
}

/**
 * Every frame's TCP stream and direction at once, for tools that walk the whole capture without dissecting
 * it: `streams[frame]` is the stream (-1 for frames without TCP), `directions[frame]` 0 when side A sent it.
 * Built from the streams' frame chains on demand (4 bytes a frame, kept by the caller, not by the state);
 * a frame with TCP inside a tunnel carrying TCP shows its last numbered stream.
 */
export function tcpFrameStreams(state: CaptureState): { streams: Int32Array; directions: Uint8Array } {
  const an = tcpAnalysisOf(state);
  const streams = new Int32Array(state.frameCount + 1).fill(-1);
  const directions = new Uint8Array(state.frameCount + 1);
  for (let s = 0; s < an.streamCount; s++) {
    const { frames, directions: dirs } = tcpStreamFrames(state, s);
    for (let i = 0; i < frames.length; i++) {
      streams[frames[i]] = s;
      directions[frames[i]] = dirs[i];
    }
  }
  return { streams, directions };
}

/** The tcp.analysis flags the first pass found for a frame (TcpAnalysisFlag bits; 0 if none). */
export function tcpFrameFlags(state: CaptureState, frame: number): number {
  return tcpAnalysisOf(state).frameFlags(frame);
}

/**
 * A raw sequence number of a stream's flow as tshark shows it relative at `frame` (direction 0: sent by side
 * A). Payload lengths and raw numbers come from the segment itself (the 'tcp.follow' tap carries them).
 */
export function tcpRelativeSeq(state: CaptureState, stream: number, direction: number, rawSeq: number, frame: number): number {
  return (rawSeq - tcpAnalysisOf(state).baseAt(2 * stream + direction, frame)) >>> 0;
}
