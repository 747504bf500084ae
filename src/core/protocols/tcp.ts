import { defineFields, FieldGroup, textField, type FieldInfo } from '../dissect/field-registry';
import { tables, heuristics, registerDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts, expertFields } from '../dissect/expert';
import { PortType, type PacketInfo } from '../dissect/packet-info';
import { tapPayload, tapTransport } from '../dissect/taps';
import type { ByteView } from '../dissect/byte-view';
import type { ColumnText } from '../dissect/column-text';
import type { ProtoTree } from '../dissect/proto-tree';
import { bitPattern, hex } from '../dissect/format';
import { dissect as dissectData } from './data';

/**
 * Transmission Control Protocol (RFC 9293), with window scaling and timestamps (RFC 7323), SACK (RFC 2018,
 * D-SACK RFC 2883), ECN flags (RFC 3168), the Accurate ECN "AE" flag, MD5 (RFC 2385), User Timeout
 * (RFC 5482), Fast Open (RFC 7413) and RFC 6994 experimental options.
 *
 * This file decodes one segment on its own. What needs other frames — stream numbers, relative sequence
 * numbers, window scaling from the handshake, `tcp.analysis.*`, reassembly — belongs to a TCP-state module
 * that plugs in through `setTcpStateHook`: it sees every segment as a `TcpSegment` summary, may change the
 * numbers this file shows (`seqShown`, `windowShown` …), and adds its items at the places Wireshark puts them.
 */

const setNotSet = ['Set', 'Not set'] as const;
const checksumStatusNames = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };

/** tcp.option_kind value strings (tshark -G values). */
const optionKindNames: Record<number, string> = {
  0: 'End of Option List', 1: 'No-Operation', 2: 'Maximum Segment Size', 3: 'Window Scale', 4: 'SACK Permitted',
  5: 'SACK', 6: 'Echo', 7: 'Echo Reply', 8: 'Time Stamp Option', 9: 'Partial Order Connection Permitted',
  10: 'Partial Order Service Profile', 11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 14: 'TCP Alternate Checksum Request',
  15: 'TCP Alternate Checksum Data', 16: 'Skeeter', 17: 'Bubba', 18: 'Trailer Checksum Option', 19: 'MD5 Signature Option',
  20: 'SCPS Capabilities', 21: 'Selective Negative Acknowledgements', 22: 'Record Boundaries', 23: 'Corruption experienced',
  24: 'SNAP', 25: 'Unassigned', 26: 'TCP Compression Filter', 27: 'Quick-Start Response', 28: 'User Timeout Option',
  29: 'The TCP Authentication Option', 30: 'Multipath TCP', 34: 'TCP Fast Open Cookie', 76: 'Riverbed Probe',
  78: 'Riverbed Transparency', 172: 'Accurate ECN Order 0', 174: 'Accurate ECN Order 1', 253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

/** RFC 6994 experiment identifiers (tcp.options.experimental.exid). */
const exidNames: Record<number, string> = {
  0x00ac: 'TCP ACK Rate Request', 0x0348: 'Host ID', 0x0a0d: 'Autonomous System Compensation', 0x0ca0: 'Capability Option',
  0x0ed0: 'Extended Data Offset', 0x454e: 'Encryption Negotiation', 0x5323: 'Service Number', 0x75ec: 'Timestamp Interval',
  0xacc0: 'Accurate ECN - Order 0', 0xacc1: 'Accurate ECN - Order 1', 0xacce: 'Accurate ECN',
  0xe2d4: 'Shared Memory communications over RMDA protocol', 0xf989: 'Fast Open', 0xf990: 'Low Latency',
};
const EXID_FAST_OPEN = 0xf989;

/** RFC 4782 §4.2 rate codes: 40 kbit/s × 2^rate (tcp.options.qs.rate). */
const qsRateNames: Record<number, string> = {
  0: '0 bit/s', 1: '80 Kbit/s', 2: '160 Kbit/s', 3: '320 Kbit/s', 4: '640 Kbit/s', 5: '1.28 Mbit/s', 6: '2.56 Mbit/s',
  7: '5.12 Mbit/s', 8: '10.24 Mbit/s', 9: '20.48 Mbit/s', 10: '40.96 Mbit/s', 11: '81.92 Mbit/s', 12: '163.84 Mbit/s',
  13: '327.68 Mbit/s', 14: '655.36 Mbit/s', 15: '1.31072 Gbit/s',
};

export const fields = defineFields('tcp', {
  tcp: { id: 'tcp', name: 'Transmission Control Protocol', type: 'protocol' },
  srcport: { id: 'tcp.srcport', name: 'Source Port', type: 'uint16', base: 'dec' },
  dstport: { id: 'tcp.dstport', name: 'Destination Port', type: 'uint16', base: 'dec' },
  port: { id: 'tcp.port', name: 'Source or Destination Port', type: 'uint16', base: 'dec' },
  len: { id: 'tcp.len', name: 'TCP Segment Len', type: 'uint32', base: 'dec' },
  seq: { id: 'tcp.seq', name: 'Sequence Number', type: 'uint32', base: 'dec' },
  seqRaw: { id: 'tcp.seq_raw', name: 'Sequence Number (raw)', type: 'uint32', base: 'dec' },
  nxtseq: { id: 'tcp.nxtseq', name: 'Next Sequence Number', type: 'uint32', base: 'dec' },
  ack: { id: 'tcp.ack', name: 'Acknowledgment Number', type: 'uint32', base: 'dec' },
  ackRaw: { id: 'tcp.ack_raw', name: 'Acknowledgment number (raw)', type: 'uint32', base: 'dec' },
  hdrLen: { id: 'tcp.hdr_len', name: 'Header Length', type: 'uint8', base: 'dec' },
  flags: { id: 'tcp.flags', name: 'Flags', type: 'uint16', base: 'hex', mask: 0xfff },
  flagRes: { id: 'tcp.flags.res', name: 'Reserved', type: 'boolean', base: 12, mask: 0xe00, tfs: setNotSet },
  flagAe: { id: 'tcp.flags.ae', name: 'Accurate ECN', type: 'boolean', base: 12, mask: 0x100, tfs: setNotSet },
  flagCwr: { id: 'tcp.flags.cwr', name: 'Congestion Window Reduced', type: 'boolean', base: 12, mask: 0x80, tfs: setNotSet },
  flagEce: { id: 'tcp.flags.ece', name: 'ECN-Echo', type: 'boolean', base: 12, mask: 0x40, tfs: setNotSet },
  flagUrg: { id: 'tcp.flags.urg', name: 'Urgent', type: 'boolean', base: 12, mask: 0x20, tfs: setNotSet },
  flagAck: { id: 'tcp.flags.ack', name: 'Acknowledgment', type: 'boolean', base: 12, mask: 0x10, tfs: setNotSet },
  flagPush: { id: 'tcp.flags.push', name: 'Push', type: 'boolean', base: 12, mask: 0x08, tfs: setNotSet },
  flagReset: { id: 'tcp.flags.reset', name: 'Reset', type: 'boolean', base: 12, mask: 0x04, tfs: setNotSet },
  flagSyn: { id: 'tcp.flags.syn', name: 'Syn', type: 'boolean', base: 12, mask: 0x02, tfs: setNotSet },
  flagFin: { id: 'tcp.flags.fin', name: 'Fin', type: 'boolean', base: 12, mask: 0x01, tfs: setNotSet },
  flagsStr: { id: 'tcp.flags.str', name: 'TCP Flags', type: 'string' },
  windowSizeValue: { id: 'tcp.window_size_value', name: 'Window', type: 'uint16', base: 'dec' },
  windowSize: { id: 'tcp.window_size', name: 'Calculated window size', type: 'uint32', base: 'dec' },
  checksum: { id: 'tcp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: { id: 'tcp.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', vals: checksumStatusNames },
  urgentPointer: { id: 'tcp.urgent_pointer', name: 'Urgent Pointer', type: 'uint16', base: 'dec' },
  options: { id: 'tcp.options', name: 'TCP Options', type: 'bytes' },
  optionKind: { id: 'tcp.option_kind', name: 'Kind', type: 'uint8', base: 'dec', vals: optionKindNames },
  optionLen: { id: 'tcp.option_len', name: 'Length', type: 'uint8', base: 'dec' },
  // Each option is its own (pseudo-)protocol item in Wireshark, valued with the option's bytes.
  optEol: { id: 'tcp.options.eol', name: 'TCP Option - End of Option List (EOL)', type: 'protocol' },
  optNop: { id: 'tcp.options.nop', name: 'TCP Option - No-Operation (NOP)', type: 'protocol' },
  optMss: { id: 'tcp.options.mss', name: 'TCP Option - Maximum segment size', type: 'protocol' },
  mssVal: { id: 'tcp.options.mss_val', name: 'MSS Value', type: 'uint16', base: 'dec' },
  optWscale: { id: 'tcp.options.wscale', name: 'TCP Option - Window scale', type: 'protocol' },
  wscaleShift: { id: 'tcp.options.wscale.shift', name: 'Shift count', type: 'uint8', base: 'dec' },
  wscaleMultiplier: { id: 'tcp.options.wscale.multiplier', name: 'Multiplier', type: 'uint16', base: 'dec' },
  optSackPerm: { id: 'tcp.options.sack_perm', name: 'TCP Option - SACK permitted', type: 'protocol' },
  optSack: { id: 'tcp.options.sack', name: 'TCP Option - SACK', type: 'protocol' },
  sackLe: { id: 'tcp.options.sack_le', name: 'TCP SACK Left Edge', type: 'uint32', base: 'dec' },
  sackRe: { id: 'tcp.options.sack_re', name: 'TCP SACK Right Edge', type: 'uint32', base: 'dec' },
  sackCount: { id: 'tcp.options.sack.count', name: 'TCP SACK Count', type: 'uint8', base: 'dec' },
  dsackLe: { id: 'tcp.options.sack.dsack_le', name: 'TCP D-SACK Left Edge', type: 'uint32', base: 'dec' },
  dsackRe: { id: 'tcp.options.sack.dsack_re', name: 'TCP D-SACK Right Edge', type: 'uint32', base: 'dec' },
  optTimestamp: { id: 'tcp.options.timestamp', name: 'TCP Option - Timestamps', type: 'protocol' },
  tsval: { id: 'tcp.options.timestamp.tsval', name: 'Timestamp value', type: 'uint32', base: 'dec' },
  tsecr: { id: 'tcp.options.timestamp.tsecr', name: 'Timestamp echo reply', type: 'uint32', base: 'dec' },
  optEcho: { id: 'tcp.options.echo', name: 'TCP Option - Echo', type: 'protocol' },
  echoValue: { id: 'tcp.options.echo_value', name: 'TCP Echo Option', type: 'uint32', base: 'dec' },
  optCc: { id: 'tcp.options.cc', name: 'TCP Option - CC', type: 'protocol' },
  ccValue: { id: 'tcp.options.cc_value', name: 'TCP CC Option', type: 'uint32', base: 'dec' },
  optMd5: { id: 'tcp.options.md5', name: 'TCP Option - TCP MD5 signature', type: 'protocol' },
  md5Digest: { id: 'tcp.options.md5.digest', name: 'MD5 digest', type: 'bytes' },
  optUserTo: { id: 'tcp.options.user_to', name: 'TCP Option - User Timeout', type: 'protocol' },
  userToGranularity: { id: 'tcp.options.user_to_granularity', name: 'Granularity', type: 'boolean', base: 16, mask: 0x8000, tfs: ['Minutes', 'Seconds'] },
  userToVal: { id: 'tcp.options.user_to_val', name: 'User Timeout', type: 'uint16', base: 'dec', mask: 0x7fff },
  optTfo: { id: 'tcp.options.tfo', name: 'TCP Option - TCP Fast Open', type: 'protocol' },
  tfoRequest: { id: 'tcp.options.tfo.request', name: 'Fast Open Cookie Request', type: 'none' },
  tfoCookie: { id: 'tcp.options.tfo.cookie', name: 'Fast Open Cookie', type: 'bytes' },
  optExperimental: { id: 'tcp.options.experimental', name: 'TCP Option - Experimental', type: 'protocol' },
  exid: { id: 'tcp.options.experimental.exid', name: 'Experiment Identifier', type: 'uint16', base: 'hex', vals: exidNames },
  experimentalData: { id: 'tcp.options.experimental.data', name: 'Data', type: 'bytes' },
  // Options Wireshark decodes further; Fathom shows their kind and length only for now.
  optScps: { id: 'tcp.options.scps', name: 'TCP Option - SCPS capabilities', type: 'protocol' },
  optSnack: { id: 'tcp.options.snack', name: 'TCP Option - Selective Negative Acknowledgment', type: 'protocol' },
  optScpsRec: { id: 'tcp.options.scpsrec', name: 'TCP Option - SCPS record boundary', type: 'protocol' },
  optScpsCor: { id: 'tcp.options.scpscor', name: 'TCP Option - SCPS corruption experienced', type: 'protocol' },
  optQs: { id: 'tcp.options.qs', name: 'TCP Option - Quick-Start', type: 'protocol' },
  qsRate: { id: 'tcp.options.qs.rate', name: 'QS Rate', type: 'uint8', base: 'dec', mask: 0x0f, vals: qsRateNames },
  qsTtlDiff: { id: 'tcp.options.qs.ttl_diff', name: 'QS Rate', type: 'uint8', base: 'dec' },
  optAo: { id: 'tcp.options.ao', name: 'TCP Option - TCP AO', type: 'protocol' },
  aoKeyId: { id: 'tcp.options.ao.keyid', name: 'AO KeyID', type: 'uint8', base: 'dec' },
  aoRnextKeyId: { id: 'tcp.options.ao.rnextkeyid', name: 'AO RNextKeyID', type: 'uint8', base: 'dec' },
  aoMac: { id: 'tcp.options.ao.mac', name: 'AO MAC', type: 'bytes' },
  optAccEcn: { id: 'tcp.options.acc_ecn', name: 'TCP Option - Accurate ECN', type: 'protocol' },
  optRvbdProbe: { id: 'tcp.options.rvbd.probe', name: 'TCP Option - Riverbed Probe', type: 'protocol' },
  optRvbdTrpy: { id: 'tcp.options.rvbd.trpy', name: 'TCP Option - Riverbed Transparency', type: 'protocol' },
  optUnknown: { id: 'tcp.options.unknown', name: 'TCP Option - Unknown', type: 'protocol' },
  unknownPayload: { id: 'tcp.options.unknown.payload', name: 'Payload', type: 'bytes' },
  payload: { id: 'tcp.payload', name: 'TCP payload', type: 'bytes' },
});

export const experts = defineExperts('tcp', {
  ackNonzero: { id: 'tcp.ack.nonzero', summary: 'The acknowledgment number field is nonzero while the ACK flag is not set', severity: 'note', group: 'protocol' },
  urgentNonzero: { id: 'tcp.urgent_pointer.non_zero', summary: 'The urgent pointer field is nonzero while the URG flag is not set', severity: 'note', group: 'protocol' },
  connSyn: { id: 'tcp.connection.syn', summary: 'Connection establish request (SYN)', severity: 'chat', group: 'sequence' },
  connSynack: { id: 'tcp.connection.synack', summary: 'Connection establish acknowledge (SYN+ACK)', severity: 'chat', group: 'sequence' },
  connFin: { id: 'tcp.connection.fin', summary: 'Connection finish (FIN)', severity: 'chat', group: 'sequence' },
  connRst: { id: 'tcp.connection.rst', summary: 'Connection reset (RST)', severity: 'warn', group: 'sequence' },
  bogusHeaderLength: { id: 'tcp.bogus_header_length', summary: 'Bogus TCP Header length', severity: 'error', group: 'protocol' },
  shortSegment: { id: 'tcp.short_segment', summary: 'Short segment', severity: 'warn', group: 'malformed' },
  optionLenInvalid: { id: 'tcp.option.len.invalid', summary: 'Invalid length for option', severity: 'note', group: 'sequence' },
  nop: { id: 'tcp.nop', summary: '4 NOP in a row - a router may have removed some options', severity: 'warn', group: 'protocol' },
  nonZeroAfterEol: { id: 'tcp.non_zero_bytes_after_eol', summary: 'Non zero bytes in option space after EOL option', severity: 'error', group: 'protocol' },
  suboptionMalformed: { id: 'tcp.suboption_malformed', summary: 'suboption would go past end of option', severity: 'error', group: 'malformed' },
  mssAbsent: { id: 'tcp.options.mss.absent', summary: 'The SYN packet does not contain a MSS option', severity: 'note', group: 'protocol' },
  mssPresent: { id: 'tcp.options.mss.present', summary: 'The non-SYN packet does contain a MSS option', severity: 'warn', group: 'protocol' },
  wscaleShiftInvalid: { id: 'tcp.options.wscale.shift.invalid', summary: 'Window scale shift exceeds 14', severity: 'warn', group: 'protocol' },
  dsack: { id: 'tcp.options.sack.dsack', summary: 'D-SACK Sequence', severity: 'warn', group: 'sequence' },
  tfoSyn: { id: 'tcp.analysis.tfo_syn', summary: 'TCP SYN with TFO Cookie', severity: 'note', group: 'sequence' },
});

/** Flag bits of the 12-bit flags field (RFC 9293 §3.1; AE from Accurate ECN, formerly the ECN nonce bit). */
export const TcpFlag = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  AE: 0x100,
  RESERVED: 0xe00,
} as const;

const MIN_HEADER = 20;
/** Most SACK blocks a header can hold: (40 option bytes − 2) / 8. */
const MAX_SACK_BLOCKS = 4;

/**
 * What one segment says, read once from the header before anything is shown: the summary a TCP-state module
 * consumes. Raw wire values are filled by this file; the `…Shown` values start equal to them and a state
 * module may replace them (relative sequence numbers, the scaled window) in `observe`, before Info and the
 * tree are built. One object per nesting depth is reused, so do not keep references across frames.
 */
export class TcpSegment {
  srcPort = 0;
  dstPort = 0;
  /** Raw sequence and acknowledgment numbers. */
  seq = 0;
  ack = 0;
  /** Header length in bytes (data offset × 4). */
  hdrLen = 0;
  /** The 12 flag bits (TcpFlag). */
  flags = 0;
  /** The window field as sent (unscaled). */
  window = 0;
  urgent = 0;
  /** Payload bytes the packet claims (tcp.len); -1 when the header is bogus or not all there. */
  payloadLen = -1;
  // Options (RFC 7323, RFC 2018), pre-read so state can use them before the tree shows them.
  mss = -1;
  /** Window scale shift count from the option, or -1. */
  wscaleShift = -1;
  sackPermitted = false;
  hasTimestamp = false;
  tsval = 0;
  tsecr = 0;
  sackCount = 0;
  readonly sackLe = new Uint32Array(MAX_SACK_BLOCKS);
  readonly sackRe = new Uint32Array(MAX_SACK_BLOCKS);
  // What the state module supplies (defaults: nothing known).
  /** tcp.stream, or -1 when no state module numbered the stream. */
  stream = -1;
  /** True when seqShown/ackShown/nxtseqShown and SACK edges are relative (labels then say so). */
  relative = false;
  seqShown = 0;
  ackShown = 0;
  nxtseqShown = 0;
  /** Base subtracted from SACK edges when `relative` (the peer's initial sequence number). */
  sackBase = 0;
  /** tcp.window_size: the window after scaling. */
  windowShown = 0;
  /** The TCP item in the tree (-1 when not recorded), for items added after the payload is handed on. */
  item = -1;

  reset(): void {
    this.payloadLen = -1;
    this.mss = -1;
    this.wscaleShift = -1;
    this.sackPermitted = false;
    this.hasTimestamp = false;
    this.sackCount = 0;
    this.stream = -1;
    this.relative = false;
    this.sackBase = 0;
  }

  has(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }
}

/**
 * Where a TCP-state module plugs in. Every method is called for every segment (also for a header quoted in
 * an ICMP error: check `pinfo.inErrorPacket`, and record only when `pinfo.firstPass`).
 */
export interface TcpStateHook {
  /** The header and options are read; set stream, shown numbers and window before they are displayed. */
  observe(seg: TcpSegment, pinfo: PacketInfo): void;
  /** Items right after the ports: tcp.stream, tcp.completeness. */
  addStreamItems(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void;
  /** Items under "[TCP Flags: …]" (the fin_active / fin_passive experts). */
  addFlagItems(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void;
  /** Items after "Calculated window size" (tcp.window_size_scalefactor). */
  addWindowItems(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void;
  /** Items after the options (timestamps, SEQ/ACK analysis) and any Info prefix ("[TCP Retransmission] "). */
  addAnalysis(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void;
  /**
   * Whether the payload is kept from the protocols above (Wireshark's default "do not call subdissectors
   * for error packets": a retransmitted or out-of-order segment's data would confuse them).
   */
  holdsPayload?(seg: TcpSegment, pinfo: PacketInfo): boolean;
  /**
   * Hands the payload to the protocols above, putting together PDUs that span segments (tcp-reassembly.ts);
   * a `held` payload (see holdsPayload) is only shown, not handed on. Without it the payload goes straight to
   * `dispatchPayload` unless held.
   */
  deliver?(seg: TcpSegment, payload: ByteView, pinfo: PacketInfo, tree: ProtoTree, held: boolean): void;
}

let stateHook: TcpStateHook | null = null;

/** Installs (or removes, with null) the TCP-state module. */
export function setTcpStateHook(hook: TcpStateHook | null): void {
  stateHook = hook;
}

/** The installed TCP-state module (the plain-frame path feeds it only when it is the one it knows). */
export function currentTcpStateHook(): TcpStateHook | null {
  return stateHook;
}

/**
 * Reads a whole TCP header at `t` in `d` into `seg` as `dissectSegment` does before the state module sees
 * it, for a header the caller has checked: `hlen` ≥ 20, all captured, and no longer than `segmentLength`
 * (the bytes the IP layer gives TCP). The plain-frame path (analysis/plain-frames.ts) reads frames this way.
 */
export function readWholeHeader(seg: TcpSegment, d: Uint8Array, t: number, segmentLength: number): void {
  seg.reset();
  seg.item = -1;
  seg.srcPort = u16At(d, t);
  seg.dstPort = u16At(d, t + 2);
  seg.seq = u32At(d, t + 4);
  seg.ack = u32At(d, t + 8);
  const offFlags = u16At(d, t + 12);
  const hlen = (offFlags >> 12) * 4;
  seg.hdrLen = hlen;
  seg.flags = offFlags & 0xfff;
  seg.window = u16At(d, t + 14);
  seg.urgent = u16At(d, t + 18);
  seg.payloadLen = segmentLength - hlen;
  if (hlen > MIN_HEADER) prescanOptions(d, t, hlen, seg);
  seg.seqShown = seg.seq;
  seg.ackShown = seg.ack;
  seg.nxtseqShown = (seg.seq + seg.payloadLen + (seg.flags & (TcpFlag.SYN | TcpFlag.FIN) ? 1 : 0)) >>> 0;
  seg.windowShown = seg.window;
}

function u16At(d: Uint8Array, i: number): number {
  return (d[i] << 8) | d[i + 1];
}

function u32At(d: Uint8Array, i: number): number {
  return ((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]) >>> 0;
}

/** One summary per nesting depth (TCP inside a tunnel inside TCP) so an inner segment never overwrites an outer one. */
const segments: TcpSegment[] = [];
let depth = 0;

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const seg = (segments[depth] ??= new TcpSegment());
  depth++;
  try {
    return dissectSegment(seg, view, pinfo, tree);
  } finally {
    depth--;
  }
}

function dissectSegment(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const full = tree.full;
  const inError = pinfo.inErrorPacket;
  seg.reset();
  pinfo.setProtocol('TCP');
  const top = tree.open(fields.tcp, view, 0, Math.min(view.length, MIN_HEADER), null);
  seg.item = top;
  const srcPort = view.u16(0);
  const dstPort = view.u16(2);
  seg.srcPort = srcPort;
  seg.dstPort = dstPort;
  // The first pass and list rows record nothing: item blocks without side effects are skipped then.
  const recording = tree.recording;
  if (recording) {
    tree.add(fields.srcport, view, 0, 2, srcPort);
    tree.add(fields.dstport, view, 2, 2, dstPort);
    tree.add(fields.port, view, 0, 2, srcPort, undefined, 2);
    tree.add(fields.port, view, 2, 2, dstPort, undefined, 2);
  }
  // Wireshark names the ports in Info as soon as it has them, so a segment cut short still says where it went.
  // (Info text is built only when the columns are wanted: the first pass and filters skip it.)
  pinfo.resetInfo()?.appendUint(srcPort).append(' → ').appendUint(dstPort);
  if (!inError) {
    pinfo.portType = PortType.TCP;
    pinfo.srcPort = srcPort;
    pinfo.dstPort = dstPort;
  }
  let title = full ? `Transmission Control Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}` : '';
  // Labelled now so a header that turns out to be cut short still names its ports; completed below.
  if (full) tree.setLabel(top, title);

  if (inError && view.length < MIN_HEADER) {
    // An ICMP error quotes only the first 8 bytes (RFC 792): show what is there without calling it malformed.
    if (view.length >= 8) tree.add(fields.seq, view, 4, 4, view.u32(4));
    if (full) tree.setLabel(top, title);
    tree.close();
    return view.length;
  }

  view.ensure(0, MIN_HEADER);
  seg.seq = view.u32(4);
  seg.ack = view.u32(8);
  const offFlags = view.u16(12);
  const hlen = (offFlags >> 12) * 4;
  seg.hdrLen = hlen;
  seg.flags = offFlags & 0xfff;
  seg.window = view.u16(14);
  seg.urgent = view.u16(18);
  const segLen = view.reportedLength - hlen;
  const headerOk = hlen >= MIN_HEADER;
  const shortSegment = headerOk && segLen < 0;
  // A quoted header's length is not the segment's: Wireshark shows no Len for it.
  const showLen = headerOk && !shortSegment && !inError;
  if (headerOk && !shortSegment) {
    seg.payloadLen = segLen;
    if (hlen > MIN_HEADER && view.has(MIN_HEADER, hlen - MIN_HEADER)) prescanOptions(view.data, view.start, hlen, seg);
  }
  const flags = seg.flags;
  seg.seqShown = seg.seq;
  seg.ackShown = seg.ack;
  // SYN and FIN each occupy one sequence number (RFC 9293 §3.4); Wireshark counts one when either is set.
  seg.nxtseqShown = (seg.seq + Math.max(0, seg.payloadLen) + (flags & (TcpFlag.SYN | TcpFlag.FIN) ? 1 : 0)) >>> 0;
  seg.windowShown = seg.window;
  const hook = stateHook;
  hook?.observe(seg, pinfo);

  const hasAck = (flags & TcpFlag.ACK) !== 0;
  const hasUrg = (flags & TcpFlag.URG) !== 0;
  const info = pinfo.infoSink();
  if (info) {
    info.append(' [').append(flagNames(flags)).append('] Seq=').appendUint(seg.seqShown);
    if (hasAck) info.append(' Ack=').appendUint(seg.ackShown);
    info.append(' Win=').appendInt(seg.windowShown);
    if (hasUrg) info.append(' Urg=').appendUint(seg.urgent);
    if (showLen) info.append(' Len=').appendUint(segLen);
  }
  if (full) {
    title += `, Seq: ${seg.seqShown}`;
    if (hasAck) title += `, Ack: ${seg.ackShown}`;
    if (showLen) title += `, Len: ${segLen}`;
  }

  // Wireshark's order: ports, stream items, segment length, seq, next seq, ack, header length, flags …
  if (inError) tree.add(fields.seq, view, 4, 4, seg.seq);
  hook?.addStreamItems(seg, view, pinfo, tree);
  if (!inError) {
    if (shortSegment) {
      const msg = 'Short segment. Segment/fragment does not contain a full TCP header (might be NMAP or someone else deliberately sending unusual packets)';
      tree.open(textField, view, 0, 0, null, full ? msg : undefined);
      addExpert(tree, pinfo, experts.shortSegment, view, 0, 0, msg);
      tree.close();
    } else {
      tree.addGenerated(fields.len, view, 0, 0, segLen);
    }
    if (recording) addSeqItems(seg, view, tree, headerOk && !shortSegment);
  }
  if (!headerOk) {
    const msg = `Bogus TCP header length (${hlen}, must be at least ${MIN_HEADER})`;
    tree.open(fields.hdrLen, view, 12, 1, hlen, full ? hdrLenLabel(hlen) : undefined);
    addExpert(tree, pinfo, experts.bogusHeaderLength, view, 12, 1, msg);
    tree.close();
    pinfo.appendInfo(`, bogus TCP header length (${hlen}, must be at least ${MIN_HEADER})`);
    if (full) tree.setLabel(top, title);
    tree.close();
    return view.length;
  }
  addAckItems(seg, view, pinfo, tree);
  if (recording) tree.add(fields.hdrLen, view, 12, 1, hlen, full ? hdrLenLabel(hlen) : undefined);
  addFlagItems(seg, view, pinfo, tree, hook);
  if (recording) {
    tree.add(fields.windowSizeValue, view, 14, 2, seg.window);
    tree.addGenerated(fields.windowSize, view, 14, 2, seg.windowShown);
  }
  hook?.addWindowItems(seg, view, pinfo, tree);
  if (recording) {
    const cks = view.u16(16);
    tree.add(fields.checksum, view, 16, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} [unverified]` : undefined);
    tree.addGenerated(fields.checksumStatus, view, 16, 0, 2);
  }
  if (!hasUrg && seg.urgent !== 0) {
    tree.open(fields.urgentPointer, view, 18, 2, seg.urgent);
    addExpert(tree, pinfo, experts.urgentNonzero, view, 18, 2);
    tree.close();
  } else {
    tree.add(fields.urgentPointer, view, 18, 2, seg.urgent);
  }
  tree.setLength(top, hlen);
  if (full) tree.setLabel(top, title);
  if (hlen > MIN_HEADER) dissectOptions(seg, view, hlen, pinfo, tree);
  hook?.addAnalysis(seg, view, pinfo, tree);
  // Statistics and Follow Stream hear of the segment after its header, before the payload (as in Wireshark).
  tapTransport(pinfo, 'tcp', srcPort, dstPort, seg.stream);
  if (seg.payloadLen >= 0 && view.length >= hlen && pinfo.taps.listening('tcp.follow')) tapPayload(pinfo, 'tcp.follow', view.sub(hlen), seg.stream, seg.seqShown, seg.ackShown, flags, seg.payloadLen);

  const payloadLen = view.reportedLength - hlen;
  const payload = view.sub(hlen);
  if (payload.length > 0 && recording) {
    tree.add(fields.payload, view, hlen, payload.length, tree.wants(fields.payload) ? payload.bytes(0, payload.length) : null, full ? `TCP payload (${plural(payload.length, 'byte')})` : undefined);
  }
  tree.close();
  // The payload quoted in an ICMP error is a fragment of a segment: Wireshark does not hand it on.
  if (payload.length > 0 && payloadLen > 0 && !inError) {
    const held = hook?.holdsPayload?.(seg, pinfo) ?? false;
    if (hook?.deliver) hook.deliver(seg, payload, pinfo, tree, held);
    else if (!held) dispatchPayload(payload, pinfo, tree, srcPort, dstPort);
  }
  return view.reportedLength;
}

/** tcp.seq (+ raw) and tcp.nxtseq; relative labels when a state module made the numbers relative. */
function addSeqItems(seg: TcpSegment, view: ByteView, tree: ProtoTree, lengthKnown: boolean): void {
  const full = tree.full;
  tree.add(fields.seq, view, 4, 4, seg.seqShown, full && seg.relative ? `Sequence Number: ${seg.seqShown}    (relative sequence number)` : undefined);
  tree.add(fields.seqRaw, view, 4, 4, seg.seq);
  if (lengthKnown) {
    tree.addGenerated(fields.nxtseq, view, 0, 0, seg.nxtseqShown, full && seg.relative ? `[Next Sequence Number: ${seg.nxtseqShown}    (relative sequence number)]` : undefined);
  }
}

function addAckItems(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  const hasAck = seg.has(TcpFlag.ACK);
  if (!tree.recording) {
    // Nothing is recorded: only the expert's effect on the frame's severity remains.
    if (!hasAck && seg.ack !== 0) addExpert(tree, pinfo, experts.ackNonzero, view, 8, 4);
    return;
  }
  const label = full && seg.relative && hasAck ? `Acknowledgment Number: ${seg.ackShown}    (relative ack number)` : undefined;
  if (!hasAck && seg.ack !== 0) {
    // RFC 9293 §3.1: without ACK the field carries no meaning, so a value there is worth a note.
    tree.open(fields.ack, view, 8, 4, seg.ackShown, label);
    addExpert(tree, pinfo, experts.ackNonzero, view, 8, 4);
    tree.close();
  } else {
    tree.add(fields.ack, view, 8, 4, seg.ackShown, label);
  }
  tree.add(fields.ackRaw, view, 8, 4, seg.ack);
}

const FLAG_ITEMS = new FieldGroup(['tcp.flags']);

function addFlagItems(seg: TcpSegment, view: ByteView, pinfo: PacketInfo, tree: ProtoTree, hook: TcpStateHook | null): void {
  const full = tree.full;
  const flags = seg.flags;
  if (!tree.recordsAny(FLAG_ITEMS)) {
    // No flag item is recorded: the experts (the frame's severity) and the state module's flag items remain.
    if (flags & TcpFlag.RST) addExpert(tree, pinfo, experts.connRst, view, 13, 1);
    if (flags & TcpFlag.SYN) addExpert(tree, pinfo, flags & TcpFlag.ACK ? experts.connSynack : experts.connSyn, view, 13, 1);
    if (flags & TcpFlag.FIN) addExpert(tree, pinfo, experts.connFin, view, 13, 1);
    hook?.addFlagItems(seg, view, pinfo, tree);
    return;
  }
  tree.open(fields.flags, view, 12, 2, flags, full ? `Flags: 0x${hex(flags, 3)} (${flagNames(flags)})` : undefined);
  const res = flags & TcpFlag.RESERVED;
  tree.add(fields.flagRes, view, 12, 1, res !== 0, full ? `${bitPattern(fields.flagRes, res >> 9)} = Reserved: ${res ? 'Set' : 'Not set'}` : undefined);
  tree.add(fields.flagAe, view, 12, 1, (flags & TcpFlag.AE) !== 0);
  tree.add(fields.flagCwr, view, 13, 1, (flags & TcpFlag.CWR) !== 0);
  tree.add(fields.flagEce, view, 13, 1, (flags & TcpFlag.ECE) !== 0);
  tree.add(fields.flagUrg, view, 13, 1, (flags & TcpFlag.URG) !== 0);
  tree.add(fields.flagAck, view, 13, 1, (flags & TcpFlag.ACK) !== 0);
  tree.add(fields.flagPush, view, 13, 1, (flags & TcpFlag.PSH) !== 0);
  if (flags & TcpFlag.RST) {
    tree.open(fields.flagReset, view, 13, 1, true);
    addExpert(tree, pinfo, experts.connRst, view, 13, 1);
    tree.close();
  } else {
    tree.add(fields.flagReset, view, 13, 1, false);
  }
  if (flags & TcpFlag.SYN) {
    tree.open(fields.flagSyn, view, 13, 1, true);
    const synAck = (flags & TcpFlag.ACK) !== 0;
    // The server is the side that answers a SYN: the destination of a SYN, the source of a SYN+ACK.
    const ex = synAck ? experts.connSynack : experts.connSyn;
    addExpert(tree, pinfo, ex, view, 13, 1, messageWanted(tree) ? `${ex.summary}: server port ${synAck ? seg.srcPort : seg.dstPort}` : undefined);
    tree.close();
  } else {
    tree.add(fields.flagSyn, view, 13, 1, false);
  }
  if (flags & TcpFlag.FIN) {
    tree.open(fields.flagFin, view, 13, 1, true);
    addExpert(tree, pinfo, experts.connFin, view, 13, 1);
    tree.close();
  } else {
    tree.add(fields.flagFin, view, 13, 1, false);
  }
  const wantStr = full || tree.wants(fields.flagsStr);
  tree.open(fields.flagsStr, view, 12, 2, wantStr ? flagString(flags) : '', undefined, 1);
  hook?.addFlagItems(seg, view, pinfo, tree);
  tree.close();
  tree.close();
}

/**
 * Reads the options a state module needs (MSS, window scale, SACK, timestamps) without building anything,
 * from the header at `h` in `d`, all `hlen` bytes of which the caller has checked are there.
 */
function prescanOptions(d: Uint8Array, h: number, hlen: number, seg: TcpSegment): void {
  let o = MIN_HEADER;
  while (o < hlen) {
    const kind = d[h + o];
    if (kind === 0 || kind === 1) {
      o++;
      continue;
    }
    if (o + 1 >= hlen) return;
    const len = d[h + o + 1];
    if (len < 2 || o + len > hlen) return;
    switch (kind) {
      case 2:
        if (len === 4) seg.mss = u16At(d, h + o + 2);
        break;
      case 3:
        if (len === 3) seg.wscaleShift = d[h + o + 2];
        break;
      case 4:
        seg.sackPermitted = true;
        break;
      case 5:
        for (let p = o + 2; p + 8 <= o + len && seg.sackCount < MAX_SACK_BLOCKS; p += 8) {
          seg.sackLe[seg.sackCount] = u32At(d, h + p);
          seg.sackRe[seg.sackCount] = u32At(d, h + p + 4);
          seg.sackCount++;
        }
        break;
      case 8:
        if (len === 10) {
          seg.hasTimestamp = true;
          seg.tsval = u32At(d, h + o + 2);
          seg.tsecr = u32At(d, h + o + 6);
        }
        break;
    }
    o += len;
  }
}

/** How each option kind is named in "Options: (n bytes), …" and in length complaints. */
const optionTitles: Record<number, string> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Maximum segment size', 3: 'Window scale', 4: 'SACK permitted',
  5: 'SACK', 6: 'Echo', 7: 'Echo reply', 8: 'Timestamps', 11: 'CC', 12: 'CC.NEW', 13: 'CC.ECHO', 19: 'TCP MD5 signature',
  20: 'SCPS capabilities', 21: 'Selective Negative Acknowledgment', 22: 'SCPS record boundary', 23: 'SCPS corruption experienced',
  27: 'Quick-Start', 28: 'User Timeout', 29: 'TCP AO', 34: 'TCP Fast Open', 76: 'Riverbed Probe', 78: 'Riverbed Transparency',
  172: 'Accurate ECN', 174: 'Accurate ECN', 253: 'Experimental', 254: 'Experimental',
};

/** The fixed length each option must have (RFC 9293 §3.2, RFC 7323 §2.2/§3.2, RFC 2018 §2, RFC 2385, RFC 4782 §4.2, RFC 5482). */
const fixedLengths: Record<number, number> = { 2: 4, 3: 3, 4: 2, 6: 6, 7: 6, 8: 10, 11: 6, 12: 6, 13: 6, 19: 18, 27: 8, 28: 4 };

/** Options shown by name with kind and length only. */
const namedOnly: Record<number, keyof typeof fields> = {
  20: 'optScps', 21: 'optSnack', 22: 'optScpsRec', 23: 'optScpsCor', 76: 'optRvbdProbe',
  78: 'optRvbdTrpy', 172: 'optAccEcn', 174: 'optAccEcn',
};

function optionTitle(kind: number): string {
  return optionTitles[kind] ?? `Unknown (0x${hex(kind, 2)})`;
}

/** The option list in wire order (RFC 9293 §3.1 "Options"), adding each option's summary to Info. */
/** The option items (and the experts only the full option walk adds). */
const OPTION_ITEMS = new FieldGroup(['tcp.option', 'tcp.nop', 'tcp.non_zero_bytes_after_eol', 'tcp.suboption_malformed', 'tcp.analysis.tfo_syn']);

function dissectOptions(seg: TcpSegment, view: ByteView, hlen: number, pinfo: PacketInfo, tree: ProtoTree): void {
  // Well-formed common options with no option item recorded (first pass, list rows, most filters): their
  // Info text and experts come from a walk that builds no items.
  if (!tree.recordsAny(OPTION_ITEMS) && commonOptions(seg, view, hlen, pinfo, tree)) return;
  const full = tree.full;
  const optLen = hlen - MIN_HEADER;
  // A segment shorter than its header still shows the option bytes it has before the read past its end fails.
  const optBytes = Math.min(optLen, view.remaining(MIN_HEADER));
  const optsItem = tree.open(fields.options, view, MIN_HEADER, optLen, tree.wants(fields.options) ? view.bytes(MIN_HEADER, optBytes) : null);
  let names = '';
  let o = MIN_HEADER;
  let nops = 0;
  let sawMss = false;
  let sawEol = false;
  // The label is set even when a malformed option ends dissection with an exception.
  try {
    while (o < hlen) {
      const kind = view.u8(o);
      if (sawEol && kind !== 0) {
        // RFC 9293 §3.1: what follows the end of the list is padding and must be zero.
        tree.open(textField, view, o, hlen - o, null, full ? 'Non-zero header padding' : undefined);
        addExpert(tree, pinfo, experts.nonZeroAfterEol, view, o, 0, 'Non-zero header padding');
        tree.close();
        break;
      }
      if (kind === 0) {
        // Zero padding after the end of the list reads as further EOL options, as Wireshark shows it.
        sawEol = true;
        addOptionItem(fields.optEol, view, o, 1, tree, undefined, kind, -1);
        tree.close();
        if (full) names += ', End of Option List (EOL)';
        o++;
        continue;
      }
      if (kind === 1) {
        nops++;
        if (nops === 4) addExpert(tree, pinfo, experts.nop, view, o - 3, 0);
        addOptionItem(fields.optNop, view, o, 1, tree, undefined, kind, -1);
        tree.close();
        if (full) names += ', No-Operation (NOP)';
        o++;
        continue;
      }
      nops = 0;
      if (o + 1 >= hlen) {
        badOptionLength(view, o, 1, `${optionTitle(kind)} (length byte past end of options)`, pinfo, tree);
        break;
      }
      const len = view.u8(o + 1);
      if (len < 2) {
        badOptionLength(view, o, 2, `${optionTitle(kind)} (with too-short option length = ${plural(len, 'byte')})`, pinfo, tree);
        break;
      }
      if (o + len > hlen) {
        badOptionLength(view, o, Math.max(0, hlen - o - 2), `${optionTitle(kind)} (option length = ${len} bytes says option goes past end of options)`, pinfo, tree);
        break;
      }
      if (kind === 2) sawMss = true;
      dissectOption(seg, kind, view, o, len, pinfo, tree);
      if (full) names += ', ' + optionTitle(kind);
      o += len;
    }
  } finally {
    if (full) tree.setLabel(optsItem, `Options: (${optLen} bytes)${names}`);
  }
  if (sawMss === false && seg.has(TcpFlag.SYN)) addExpert(tree, pinfo, experts.mssAbsent, view, MIN_HEADER, 0);
  tree.close();
}

/**
 * The summary path (nothing recorded) for option lists made only of the common well-formed options — EOL,
 * NOP, MSS, window scale, SACK permitted, timestamps — which is nearly every segment: their Info text and
 * experts, without the items nobody records. Returns false, having done nothing, for anything else (the full
 * path then handles it, including malformed and cut-short options).
 */
function commonOptions(seg: TcpSegment, view: ByteView, hlen: number, pinfo: PacketInfo, tree: ProtoTree): boolean {
  if (!view.has(MIN_HEADER, hlen - MIN_HEADER)) return false;
  const info = pinfo.infoSink();
  // Info is written as the options are read; giving up takes it back, for the full path to write again.
  const infoMark = info ? info.length : 0;
  if (commonOptionsInto(seg, view, hlen, pinfo, tree, info)) return true;
  info?.truncate(infoMark);
  return false;
}

function commonOptionsInto(seg: TcpSegment, view: ByteView, hlen: number, pinfo: PacketInfo, tree: ProtoTree, info: ColumnText | null): boolean {
  let nops = 0;
  let nopRun = -1;
  let sawMss = false;
  let sawEol = false;
  let mssAt = -1;
  let wscaleAt = -1;
  for (let o = MIN_HEADER; o < hlen; ) {
    const kind = view.u8(o);
    if (kind === 0) {
      sawEol = true;
      o++;
      continue;
    }
    if (sawEol) return false;
    if (kind === 1) {
      nops++;
      if (nops === 4 && nopRun < 0) nopRun = o - 3;
      o++;
      continue;
    }
    nops = 0;
    if (o + 1 >= hlen) return false;
    const len = view.u8(o + 1);
    if (len < 2 || o + len > hlen || fixedLengths[kind] !== len) return false;
    switch (kind) {
      case 2: {
        sawMss = true;
        if (!seg.has(TcpFlag.SYN) && mssAt < 0) mssAt = o;
        info?.append(' MSS=').appendUint(view.u16(o + 2));
        break;
      }
      case 3: {
        const shift = view.u8(o + 2);
        if (shift > 14 && wscaleAt < 0) wscaleAt = o + 2;
        info?.append(' WS=').appendUint(1 << Math.min(shift, 14));
        break;
      }
      case 4:
        info?.append(' SACK_PERM');
        break;
      case 8:
        info?.append(' TSval=').appendUint(view.u32(o + 2)).append(' TSecr=').appendUint(view.u32(o + 6));
        break;
      default:
        return false;
    }
    o += len;
  }
  // Nothing is recorded, so only the experts' effect on the frame's severity matters: one of each suffices.
  if (nopRun >= 0) addExpert(tree, pinfo, experts.nop, view, nopRun, 0);
  if (mssAt >= 0) addExpert(tree, pinfo, experts.mssPresent, view, mssAt, 0);
  if (wscaleAt >= 0) addExpert(tree, pinfo, experts.wscaleShiftInvalid, view, wscaleAt, 0);
  if (!sawMss && seg.has(TcpFlag.SYN)) addExpert(tree, pinfo, experts.mssAbsent, view, MIN_HEADER, 0);
  return true;
}

/** An option whose length field does not fit: a text item with the complaint, then the list ends. */
function badOptionLength(view: ByteView, o: number, len: number, msg: string, pinfo: PacketInfo, tree: ProtoTree): void {
  tree.open(textField, view, o, len, null, tree.full ? msg : undefined);
  addExpert(tree, pinfo, experts.optionLenInvalid, view, o, 0, msg);
  tree.close();
}

/** Opens the item of one option with its kind (and its length unless optLen is -1); the caller adds the body and closes. */
function addOptionItem(f: FieldInfo, view: ByteView, o: number, len: number, tree: ProtoTree, label: string | undefined, kind: number, optLen: number): void {
  tree.open(f, view, o, len, tree.wants(f) ? view.bytes(o, len) : null, label);
  tree.add(fields.optionKind, view, o, 1, kind);
  if (optLen >= 0) tree.add(fields.optionLen, view, o + 1, 1, optLen);
}

function dissectOption(seg: TcpSegment, kind: number, view: ByteView, o: number, len: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  const expected = fixedLengths[kind];
  if (expected !== undefined && len !== expected) {
    const f = optionField(kind);
    tree.open(f, view, o, len, tree.wants(f) ? view.bytes(o, len) : null);
    if (kind === 2 && !seg.has(TcpFlag.SYN)) addExpert(tree, pinfo, experts.mssPresent, view, o, 0);
    tree.add(fields.optionKind, view, o, 1, kind);
    tree.open(fields.optionLen, view, o + 1, 1, len);
    addExpert(tree, pinfo, experts.optionLenInvalid, view, o + 1, 0, messageWanted(tree) ? `option length should be ${expected}` : undefined);
    tree.close();
    tree.close();
    // Wireshark still notes SACK permission when its length is wrong.
    if (kind === 4) pinfo.appendInfo(' SACK_PERM');
    return;
  }
  switch (kind) {
    case 2: {
      const mss = view.u16(o + 2);
      tree.open(fields.optMss, view, o, len, tree.wants(fields.optMss) ? view.bytes(o, len) : null, full ? `TCP Option - Maximum segment size: ${mss} bytes` : undefined);
      // RFC 9293 §3.7.1: MSS is sent only in SYN segments.
      if (!seg.has(TcpFlag.SYN)) addExpert(tree, pinfo, experts.mssPresent, view, o, 0);
      tree.add(fields.optionKind, view, o, 1, kind);
      tree.add(fields.optionLen, view, o + 1, 1, len);
      tree.add(fields.mssVal, view, o + 2, 2, mss);
      tree.close();
      if (pinfo.columns) pinfo.appendInfo(` MSS=${mss}`);
      return;
    }
    case 3: {
      const shift = view.u8(o + 2);
      // RFC 7323 §2.3: a shift above 14 is treated as 14.
      const multiplier = 1 << Math.min(shift, 14);
      addOptionItem(fields.optWscale, view, o, len, tree, full ? `TCP Option - Window scale: ${shift} (multiply by ${multiplier})` : undefined, kind, len);
      if (shift > 14) {
        tree.open(fields.wscaleShift, view, o + 2, 1, shift);
        addExpert(tree, pinfo, experts.wscaleShiftInvalid, view, o + 2, 0);
        tree.close();
      } else {
        tree.add(fields.wscaleShift, view, o + 2, 1, shift);
      }
      tree.addGenerated(fields.wscaleMultiplier, view, o + 2, 1, multiplier);
      tree.close();
      if (pinfo.columns) pinfo.appendInfo(` WS=${multiplier}`);
      return;
    }
    case 4:
      addOptionItem(fields.optSackPerm, view, o, len, tree, undefined, kind, len);
      tree.close();
      pinfo.appendInfo(' SACK_PERM');
      return;
    case 5:
      dissectSack(seg, view, o, len, pinfo, tree);
      return;
    case 6:
    case 7: {
      const v = view.u32(o + 2);
      addOptionItem(fields.optEcho, view, o, len, tree, full ? `TCP Option - Echo: ${v}` : undefined, kind, len);
      tree.add(fields.echoValue, view, o + 2, 4, v);
      tree.close();
      if (pinfo.columns) pinfo.appendInfo(` ECHO=${v}`);
      return;
    }
    case 8: {
      const tsval = view.u32(o + 2);
      const tsecr = view.u32(o + 6);
      addOptionItem(fields.optTimestamp, view, o, len, tree, full ? `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}` : undefined, kind, len);
      tree.add(fields.tsval, view, o + 2, 4, tsval);
      tree.add(fields.tsecr, view, o + 6, 4, tsecr);
      tree.close();
      if (pinfo.columns) pinfo.appendInfo(` TSval=${tsval} TSecr=${tsecr}`);
      return;
    }
    case 11:
    case 12:
    case 13: {
      // RFC 1644 (historic) connection counts.
      const v = view.u32(o + 2);
      addOptionItem(fields.optCc, view, o, len, tree, undefined, kind, len);
      tree.add(fields.ccValue, view, o + 2, 4, v);
      tree.close();
      if (pinfo.columns) pinfo.appendInfo(` CC=${v}`);
      return;
    }
    case 19:
      addOptionItem(fields.optMd5, view, o, len, tree, undefined, kind, len);
      tree.add(fields.md5Digest, view, o + 2, 16, tree.wants(fields.md5Digest) ? view.bytes(o + 2, 16) : null);
      tree.close();
      pinfo.appendInfo(' MD5');
      return;
    case 27: {
      // RFC 4782 §4.2: function and rate in one byte, then the TTL difference and a nonce.
      const rate = view.u8(o + 2) & 0x0f;
      addOptionItem(fields.optQs, view, o, len, tree, undefined, kind, len);
      tree.add(fields.qsRate, view, o + 2, 1, rate);
      tree.add(fields.qsTtlDiff, view, o + 3, 1, view.u8(o + 3));
      tree.close();
      if (pinfo.columns) pinfo.appendInfo(` QSresp=${qsRateNames[rate]}`);
      return;
    }
    case 28: {
      const v = view.u16(o + 2);
      addOptionItem(fields.optUserTo, view, o, len, tree, undefined, kind, len);
      tree.add(fields.userToGranularity, view, o + 2, 2, (v & 0x8000) !== 0);
      tree.add(fields.userToVal, view, o + 2, 2, v & 0x7fff);
      tree.close();
      if (pinfo.columns) pinfo.appendInfo(` USER_TO=${v & 0x7fff}`);
      return;
    }
    case 29: {
      // RFC 5925 §2.2: key IDs, then the MAC. Wireshark's Info names the option without a space before it.
      addOptionItem(fields.optAo, view, o, len, tree, undefined, kind, -1);
      if (len < 4) {
        tree.open(fields.optionLen, view, o + 1, 1, len);
        addExpert(tree, pinfo, experts.optionLenInvalid, view, o + 1, 0, messageWanted(tree) ? 'option length should be >= than 4' : undefined);
        tree.close();
      } else {
        tree.add(fields.optionLen, view, o + 1, 1, len);
        tree.add(fields.aoKeyId, view, o + 2, 1, view.u8(o + 2));
        tree.add(fields.aoRnextKeyId, view, o + 3, 1, view.u8(o + 3));
        if (len > 4) tree.add(fields.aoMac, view, o + 4, len - 4, tree.wants(fields.aoMac) ? view.bytes(o + 4, len - 4) : null);
      }
      tree.close();
      pinfo.appendInfo('TCP AO');
      return;
    }
    case 34:
      addOptionItem(fields.optTfo, view, o, len, tree, undefined, kind, len);
      fastOpenBody(seg, view, o + 2, len - 2, o, pinfo, tree);
      tree.close();
      return;
    case 253:
    case 254:
      dissectExperimental(seg, kind, view, o, len, pinfo, tree);
      return;
    default: {
      const named = namedOnly[kind];
      if (named) {
        addOptionItem(fields[named], view, o, len, tree, undefined, kind, len);
        tree.close();
        return;
      }
      addOptionItem(fields.optUnknown, view, o, len, tree, undefined, kind, len);
      if (len > 2) tree.add(fields.unknownPayload, view, o + 2, len - 2, tree.wants(fields.unknownPayload) ? view.bytes(o + 2, len - 2) : null);
      tree.close();
    }
  }
}

function optionField(kind: number): FieldInfo {
  switch (kind) {
    case 2:
      return fields.optMss;
    case 3:
      return fields.optWscale;
    case 4:
      return fields.optSackPerm;
    case 6:
    case 7:
      return fields.optEcho;
    case 8:
      return fields.optTimestamp;
    case 11:
    case 12:
    case 13:
      return fields.optCc;
    case 19:
      return fields.optMd5;
    case 27:
      return fields.optQs;
    case 28:
      return fields.optUserTo;
    default:
      return fields.optUnknown;
  }
}

/** RFC 2018 §3 blocks; RFC 2883 §4: a first block below the cumulative ACK, or inside the second, is a D-SACK. */
function dissectSack(seg: TcpSegment, view: ByteView, o: number, len: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  const rel = seg.relative;
  const base = rel ? seg.sackBase : 0;
  const suffix = rel ? ' (relative)' : '';
  const item = tree.open(fields.optSack, view, o, len, tree.wants(fields.optSack) ? view.bytes(o, len) : null);
  tree.add(fields.optionKind, view, o, 1, 5);
  tree.add(fields.optionLen, view, o + 1, 1, len);
  let title = 'TCP Option - SACK';
  let info = '';
  let count = 0;
  let le1 = 0;
  let re1 = 0;
  let le2 = 0;
  let re2 = 0;
  const end = o + len;
  for (let p = o + 2; p < end; ) {
    const left = end - p;
    if (left < 8) {
      if (left >= 4) tree.add(fields.sackLe, view, p, 4, (view.u32(p) - base) >>> 0, full ? `left edge = ${(view.u32(p) - base) >>> 0}${suffix}` : undefined);
      const at = left >= 4 ? left - 4 : left;
      tree.open(textField, view, p, at, null, full ? 'suboption would go past end of option' : undefined);
      addExpert(tree, pinfo, experts.suboptionMalformed, view, p, 0);
      tree.close();
      break;
    }
    const rawLe = view.u32(p);
    const rawRe = view.u32(p + 4);
    const le = (rawLe - base) >>> 0;
    const re = (rawRe - base) >>> 0;
    tree.add(fields.sackLe, view, p, 4, le, full ? `left edge = ${le}${suffix}` : undefined);
    tree.add(fields.sackRe, view, p + 4, 4, re, full ? `right edge = ${re}${suffix}` : undefined);
    if (count === 0) {
      le1 = rawLe;
      re1 = rawRe;
    } else if (count === 1) {
      le2 = rawLe;
      re2 = rawRe;
    }
    count++;
    if (full) title += ` ${le}-${re}`;
    if (pinfo.columns) info += ` SLE=${le} SRE=${re}`;
    p += 8;
  }
  tree.addGenerated(fields.sackCount, view, o, 0, count);
  if (count === 0) {
    // Without one whole block the option is malformed: read the first edge as Wireshark does, then fail on
    // the second through a view that ends with the option, which the frame driver reports as malformed.
    const opt = view.sub(o, len, len);
    const le = (opt.u32(2) - base) >>> 0;
    tree.add(fields.dsackLe, view, o + 2, 4, le, full ? `D-SACK Left Edge = ${le}${suffix}` : undefined);
    opt.u32(6);
  }
  const belowAck = count > 0 && seqBefore(le1, seg.ack);
  const insideSecond = count > 1 && !seqBefore(le1, le2) && !seqBefore(re2, re1);
  if (belowAck || insideSecond) {
    tree.add(fields.dsackLe, view, o + 2, 4, (le1 - base) >>> 0, full ? `D-SACK Left Edge = ${(le1 - base) >>> 0}${suffix}` : undefined);
    tree.add(fields.dsackRe, view, o + 6, 4, (re1 - base) >>> 0, full ? `D-SACK Right Edge = ${(re1 - base) >>> 0}${suffix}` : undefined);
    tree.open(textField, view, o + 2, 8, null, full ? 'D-SACK Sequence' : undefined);
    addExpert(tree, pinfo, experts.dsack, view, o + 2, 0);
    tree.close();
  }
  if (full) tree.setLabel(item, title);
  tree.close();
  if (info) pinfo.appendInfo(info);
}

/** a precedes b in sequence space (RFC 9293 §3.4: comparisons are modulo 2^32). */
function seqBefore(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** RFC 7413 §4.1.1: an empty cookie asks for one; a cookie in a SYN asks the server to accept data. */
function fastOpenBody(seg: TcpSegment, view: ByteView, at: number, n: number, optStart: number, pinfo: PacketInfo, tree: ProtoTree): void {
  if (n === 0) {
    tree.add(fields.tfoRequest, view, optStart, at - optStart, null);
    pinfo.appendInfo(' TFO=R');
    return;
  }
  tree.open(fields.tfoCookie, view, at, n, tree.wants(fields.tfoCookie) ? view.bytes(at, n) : null);
  if ((seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN) addExpert(tree, pinfo, experts.tfoSyn, view, at, 0);
  tree.close();
  pinfo.appendInfo(' TFO=C');
}

/** RFC 6994: shared experimental kinds start with a 16-bit experiment identifier. */
function dissectExperimental(seg: TcpSegment, kind: number, view: ByteView, o: number, len: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  if (len < 4) {
    addOptionItem(fields.optExperimental, view, o, len, tree, undefined, kind, -1);
    tree.open(fields.optionLen, view, o + 1, 1, len);
    addExpert(tree, pinfo, experts.optionLenInvalid, view, o + 1, 0, messageWanted(tree) ? `option length ${len} smaller than 4` : undefined);
    tree.close();
    tree.close();
    return;
  }
  const exid = view.u16(o + 2);
  addOptionItem(fields.optExperimental, view, o, len, tree, full ? `TCP Option - Experimental: ${exidNames[exid] ?? 'Unknown'}` : undefined, kind, len);
  tree.add(fields.exid, view, o + 2, 2, exid);
  if (exid === EXID_FAST_OPEN) {
    fastOpenBody(seg, view, o + 4, len - 4, o + 2, pinfo, tree);
  } else {
    if (len > 4) tree.add(fields.experimentalData, view, o + 4, len - 4, tree.wants(fields.experimentalData) ? view.bytes(o + 4, len - 4) : null);
    if (pinfo.columns) pinfo.appendInfo(` ExID=${exid.toString(16).toUpperCase()}`);
  }
  tree.close();
}

/**
 * Hands the payload to the protocol registered on the lower port, then the higher one (Wireshark's default),
 * then the TCP heuristics, and otherwise shows it as data.
 */
export function dispatchPayload(payload: ByteView, pinfo: PacketInfo, tree: ProtoTree, srcPort: number, dstPort: number): void {
  const low = srcPort < dstPort ? srcPort : dstPort;
  const high = srcPort < dstPort ? dstPort : srcPort;
  if (low !== 0 && tables.tcpPort.tryDissect(low, payload, pinfo, tree) >= 0) return;
  if (high !== low && tables.tcpPort.tryDissect(high, payload, pinfo, tree) >= 0) return;
  if (heuristics.tcp.tryDissect(payload, pinfo, tree)) return;
  dissectData(payload, pinfo, tree);
}

const FLAG_NAMES: readonly [number, string][] = [
  [TcpFlag.FIN, 'FIN'],
  [TcpFlag.SYN, 'SYN'],
  [TcpFlag.RST, 'RST'],
  [TcpFlag.PSH, 'PSH'],
  [TcpFlag.ACK, 'ACK'],
  [TcpFlag.URG, 'URG'],
  [TcpFlag.ECE, 'ECE'],
  [TcpFlag.CWR, 'CWR'],
  [TcpFlag.AE, 'AE'],
  [TcpFlag.RESERVED, 'Reserved'],
];

/** "SYN, ACK" — the set flags in Wireshark's order, or "<None>". */
export function flagNames(flags: number): string {
  // Every segment's Info names its flags, and only a handful of combinations occur: each is built once.
  const i = flags & 0xfff;
  const cached = flagNamesCache[i];
  if (cached !== undefined && i === flags) return cached;
  let s = '';
  for (const [bit, name] of FLAG_NAMES) {
    if (flags & bit) s += s ? ', ' + name : name;
  }
  s ||= '<None>';
  if (i === flags) flagNamesCache[i] = s;
  return s;
}

const flagNamesCache: (string | undefined)[] = new Array<string | undefined>(0x1000).fill(undefined);

const FLAG_CHARS = 'RRRACEUAPRSF';

/** "·······A··S·": one character per flag bit, most significant first, a middle dot when clear. */
export function flagString(flags: number): string {
  let s = '';
  for (let b = 11; b >= 0; b--) s += flags & (1 << b) ? FLAG_CHARS[11 - b] : '\u00b7';
  return s;
}

function hdrLenLabel(hlen: number): string {
  const words = hlen / 4;
  return `${(words & 15).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${words})`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Whether an expert's text would be shown or recorded (so it is only formatted then). */
function messageWanted(tree: ProtoTree): boolean {
  return tree.full || tree.wants(expertFields.message);
}

export const handle = { abbrev: 'tcp', dissect };

export function handoff(): void {
  registerDissector('tcp', handle);
  tables.ipProto.add(6, handle);
}
