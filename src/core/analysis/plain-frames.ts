import { AddrKind, PortType, type PacketInfo } from '../dissect/packet-info';
import { callDissector, heuristics, tables } from '../dissect/dissector-tables';
import { tapAddressesAt, tapTransport, type Taps } from '../dissect/taps';
import { ByteView } from '../dissect/byte-view';
import type { FieldValue, ProtoTree, Timestamp } from '../dissect/proto-tree';
import { setTimeDiff } from '../dissect/format';
import { FRAME_NO_TIMESTAMP, type FrameIndexColumns } from '../capture/frame-index';
import { fieldCount, type FieldInfo } from '../dissect/field-registry';
import { NUM_PLAIN, Register, pushOccurrence, type HeaderFields } from '../filter/registers';
import { regKind } from '../filter/values';
import { LinkType } from '../capture/link-types';
import { fields as frameFields, reportException, type FrameRecord } from '../protocols/frame';
import { fields as ethFields } from '../protocols/eth';
import { fields as ipFields } from '../protocols/ip';
import { fields as ipv6Fields } from '../protocols/ipv6';
import { fields as icmpFields } from '../protocols/icmp';
import { fields as icmpv6Fields } from '../protocols/icmpv6';
import { TcpSegment, currentTcpStateHook, fields as tcpFields, readWholeHeader } from '../protocols/tcp';
import { currentUdpStreamHook, fields as udpFields } from '../protocols/udp';
import { tcpAnalysisHook } from './tcp-analysis';
import { udpStreamHook, udpStreamsOf } from './udp-streams';
import { ADDR_IPV4, ADDR_IPV6 } from './stream-table';

/**
 * Shortcuts for the frames most captures are made of — plain frames: Ethernet II → IPv4 without options or
 * fragmentation, or IPv6 without extension headers → TCP or UDP, all of it captured — in the passes over
 * every frame: the first pass, list rows, and filters (or `fields`) that read only header fields.
 *
 * - The first pass builds no column either, so for a plain frame whose payload no dissector claims, the
 *   dissectors' only effects are the addresses and ports they note, the taps they report to and the stream
 *   state they feed. `firstPassPlainFrame` reads those few header fields straight from the bytes and makes
 *   the same calls in the same order (tcp-analysis's `observe`, udp-streams' numbering, the eth/ip/ipv6/
 *   tcp/udp taps), so the state it leaves is the one `dissectFrame` would.
 * - For list rows, the Ethernet and IP layers of a plain frame set nothing but the addresses (their Info
 *   is overwritten by the transport's, and they add no expert item when the conditions below hold), so
 *   `dissectPlainTransport` sets those and calls the TCP or UDP dissector itself on the transport's bytes.
 * - A filter that reads only header fields (FILTER_FIELDS: the frame's numbers and times, the protocols, the
 *   fixed fields of the Ethernet, IPv4, IPv6, TCP and UDP headers (addresses, ports, lengths, flags,
 *   checksums) and ICMP/ICMPv6 type and code; not what needs stream state, such as tcp.stream or relative
 *   sequence numbers) needs nothing else: `PlainFrameFields` hands it their values straight from the bytes,
 *   as the dissectors would record them — same values, positions and order — for a plain frame whose
 *   payload no dissector claims, and for ICMP echoes, ICMPv6 echo/MLD/NDP messages and ARP (whose other
 *   fields such a filter does not read); `fields` prints the first value of each (`firstValue`).
 *
 * A frame with anything else in it — another link type or ethertype, options, fragments, a length that
 * disagrees, a cut header, for the first pass and filters a port or heuristic with a dissector (or a
 * listener), for rows a layer that would add an expert item — is left to `dissectFrame` (the functions
 * return false).
 *
 * test/core/analysis/plain-frames.test.ts and test/corpus/plain-frames.test.ts run passes with and without
 * the shortcuts and compare everything they produce.
 */

const ETHER_HEADER = 14;
const IPV4_HEADER = 20;
const IPV6_HEADER = 40;
const TCP_HEADER = 20;
const UDP_HEADER = 8;

/** Where the layers of the plain frame `readPlainHeaders` accepted last are (positions in its buffer). */
const h = {
  v6: false,
  /** IP protocol / next header: 6 or 17. */
  proto: 0,
  /** The IP header, the transport header, and the bytes the IP layer gives the transport. */
  n: 0,
  t: 0,
  tlen: 0,
  srcAt: 0,
  dstAt: 0,
};

/** Reads the Ethernet and IP headers of a frame into `h`; false unless the frame is plain. */
function readPlainHeaders(d: Uint8Array, at: number, capLen: number, origLen: number, linkType: number): boolean {
  return readIpHeaders(d, at, capLen, origLen, linkType) && hasTransportHeader();
}

/** Whether the IP payload read into `h` is TCP or UDP with room for its header. */
function hasTransportHeader(): boolean {
  return h.proto === 6 ? h.tlen >= TCP_HEADER : h.proto === 17 && h.tlen >= UDP_HEADER;
}

/**
 * Reads the Ethernet and IP headers of a frame into `h`; false unless they are those of a plain frame
 * (whatever the IP payload).
 */
function readIpHeaders(d: Uint8Array, at: number, capLen: number, origLen: number, linkType: number): boolean {
  if (linkType !== LinkType.ETHERNET || capLen !== origLen || capLen < ETHER_HEADER + IPV4_HEADER + UDP_HEADER) return false;
  const end = at + capLen;
  const etype = (d[at + 12] << 8) | d[at + 13];
  const n = at + ETHER_HEADER;
  if (etype === 0x0800) {
    // Version 4, IHL 5; a total length that covers the header and fits the frame (0, "TSO", does not).
    if (d[n] !== 0x45) return false;
    const total = (d[n + 2] << 8) | d[n + 3];
    if (total < IPV4_HEADER || n + total > end) return false;
    // MF or a fragment offset: IP reassembly's business.
    if ((((d[n + 6] << 8) | d[n + 7]) & 0x3fff) !== 0) return false;
    h.v6 = false;
    h.proto = d[n + 9];
    h.t = n + IPV4_HEADER;
    h.tlen = total - IPV4_HEADER;
    h.srcAt = n + 12;
    h.dstAt = n + 16;
  } else if (etype === 0x86dd) {
    if (d[n] >> 4 !== 6) return false;
    const plen = (d[n + 4] << 8) | d[n + 5];
    // A zero payload length (jumbograms, or an expert note) is left to the dissector.
    if (plen === 0 || n + IPV6_HEADER + plen > end) return false;
    h.v6 = true;
    h.proto = d[n + 6];
    h.t = n + IPV6_HEADER;
    h.tlen = plen;
    h.srcAt = n + 8;
    h.dstAt = n + 24;
  } else {
    return false;
  }
  h.n = n;
  return true;
}

const ETHERTYPE_ARP = 0x0806;
/** An ARP message for IPv4 over Ethernet: hardware and protocol types and sizes, opcode, two address pairs. */
const ARP_IPV4 = 28;

/** Whether a whole frame is Ethernet II carrying an ARP message (which adds no field of the IP layers'). */
function isArp(d: Uint8Array, at: number, capLen: number, origLen: number, linkType: number): boolean {
  return linkType === LinkType.ETHERNET && capLen === origLen && capLen >= ETHER_HEADER + ARP_IPV4 && ((d[at + 12] << 8) | d[at + 13]) === ETHERTYPE_ARP;
}

/** Smallest ICMP and ICMPv6 echo message: type, code, checksum, identifier, sequence number. */
const ICMP_ECHO_HEADER = 8;

/** Where the options of ICMPv6 router/neighbor discovery messages start (RFC 4861 §4.1–4.4), by type. */
const NDP_OPTIONS_AT: Readonly<Record<number, number>> = { 133: 8, 134: 16, 135: 24, 136: 24 };
/** NDP's Redirected Header option: it quotes a packet, whose IPv6 header the dissector shows. */
const NDP_REDIRECTED_HEADER = 4;

/**
 * Whether the IP payload of the frame in `h` is an ICMP message whose dissector adds no field of the IP
 * layers' (an error quotes a packet, whose headers would), so the frame's header fields are those of a
 * plain frame without a transport: an ICMP echo request or reply; over IPv6 an ICMPv6 echo, a multicast
 * listener message, or a router or neighbor solicitation or advertisement whose options are whole and
 * quote no packet.
 */
function isHeaderOnlyIcmp(d: Uint8Array): boolean {
  if (h.tlen < ICMP_ECHO_HEADER) return false;
  const type = d[h.t];
  if (!h.v6) return h.proto === 1 && (type === 0 || type === 8);
  if (h.proto !== 58) return false;
  if (type === 128 || type === 129 || type === 130 || type === 131 || type === 132 || type === 143) return true;
  const optionsAt = NDP_OPTIONS_AT[type];
  if (optionsAt === undefined || h.tlen < optionsAt) return false;
  const end = h.t + h.tlen;
  for (let p = h.t + optionsAt; p < end; ) {
    if (p + 2 > end) return false;
    const len = d[p + 1] * 8;
    if (len === 0 || p + len > end || d[p] === NDP_REDIRECTED_HEADER) return false;
    p += len;
  }
  return true;
}

/**
 * Whether the transport header of the plain frame in `h` is whole, its length fits what IP gives it, and no
 * dissector would take its payload (none on either port, no heuristic): the payload then goes to "data".
 */
function transportIsPlain(d: Uint8Array): boolean {
  const t = h.t;
  const tcp = h.proto === 6;
  if (tcp) {
    const hlen = (d[t + 12] >> 4) * 4;
    if (hlen < TCP_HEADER || hlen > h.tlen) return false;
  } else {
    const udpLen = (d[t + 4] << 8) | d[t + 5];
    if (udpLen < UDP_HEADER || udpLen > h.tlen) return false;
  }
  // tcp.ts and udp.ts try the lower port's dissector, then the higher one's, then the heuristics.
  const srcPort = (d[t] << 8) | d[t + 1];
  const dstPort = (d[t + 2] << 8) | d[t + 3];
  const table = tcp ? tables.tcpPort : tables.udpPort;
  if ((srcPort !== 0 && table.get(srcPort) !== undefined) || (dstPort !== 0 && table.get(dstPort) !== undefined)) return false;
  return (tcp ? heuristics.tcp : heuristics.udp).size === 0;
}

/** What the Ethernet and IP dissectors leave in `pinfo` for a plain frame (`h`), taps included. */
function enterPlainFrame(d: Uint8Array, at: number, capLen: number, frame: number, tsSecs: number, tsNsecs: number, linkType: number, iface: number, pinfo: PacketInfo): void {
  pinfo.reset(frame, capLen, capLen, tsSecs, tsNsecs, linkType, iface);
  pinfo.layers.push('eth', 'ethertype', h.v6 ? 'ipv6' : 'ip');
  pinfo.dlDst.setAt(AddrKind.Ether, d, at);
  pinfo.dlSrc.setAt(AddrKind.Ether, d, at + 6);
  tapAddressesAt(pinfo, 'eth', AddrKind.Ether, d, at + 6, at);
  const kind = h.v6 ? AddrKind.IPv6 : AddrKind.IPv4;
  if (h.v6) {
    pinfo.netSrc.setAt(kind, d, h.srcAt);
    pinfo.netDst.setAt(kind, d, h.dstAt);
    pinfo.pseudoSrc.setAt(kind, d, h.srcAt);
    pinfo.pseudoDst.setAt(kind, d, h.dstAt);
    pinfo.hopLimit = d[h.n + 7];
    tapAddressesAt(pinfo, 'ipv6', kind, d, h.srcAt, h.dstAt);
  } else {
    tapAddressesAt(pinfo, 'ip', kind, d, h.srcAt, h.dstAt);
    pinfo.netSrc.setAt(kind, d, h.srcAt);
    pinfo.netDst.setAt(kind, d, h.dstAt);
  }
  pinfo.ipProto = h.proto;
}

/** One segment summary for the first pass's shortcut (tcp.ts keeps its own for the dissector). */
const seg = new TcpSegment();

/**
 * Does the first pass's work for frame `frame` (bytes at `at` in `d`) if it is a plain frame whose payload no
 * dissector claims; returns false, having changed nothing, when it is not.
 */
export function firstPassPlainFrame(
  d: Uint8Array,
  at: number,
  capLen: number,
  origLen: number,
  frame: number,
  tsSecs: number,
  tsNsecs: number,
  linkType: number,
  iface: number,
  pinfo: PacketInfo,
): boolean {
  if (!readPlainHeaders(d, at, capLen, origLen, linkType) || !transportIsPlain(d)) return false;
  const t = h.t;
  const tcp = h.proto === 6;
  if (tcp ? currentTcpStateHook() !== tcpAnalysisHook : currentUdpStreamHook() !== udpStreamHook) return false;
  // A zero checksum over IPv6 is an expert item the dissector adds.
  if (!tcp && h.v6 && d[t + 6] === 0 && d[t + 7] === 0) return false;
  if (pinfo.taps.listening(tcp ? 'tcp.follow' : 'udp.follow')) return false;
  const srcPort = (d[t] << 8) | d[t + 1];
  const dstPort = (d[t + 2] << 8) | d[t + 3];

  // From here on the frame is plain: what the dissectors would do, in their order.
  enterPlainFrame(d, at, capLen, frame, tsSecs, tsNsecs, linkType, iface, pinfo);
  pinfo.layers.push(tcp ? 'tcp' : 'udp');
  pinfo.srcPort = srcPort;
  pinfo.dstPort = dstPort;
  if (tcp) {
    pinfo.protocol = 'TCP';
    pinfo.portType = PortType.TCP;
    readWholeHeader(seg, d, t, h.tlen);
    tcpAnalysisHook.observe(seg, pinfo);
    // The hook's other first-pass calls do nothing for a segment outside an ICMP error, and a payload no
    // dissector takes is never held for reassembly: only the tap remains.
    tapTransport(pinfo, 'tcp', srcPort, dstPort, seg.stream);
    if (seg.payloadLen > 0) pinfo.layers.push('data');
  } else {
    pinfo.protocol = 'UDP';
    pinfo.portType = PortType.UDP;
    const udpLen = (d[t + 4] << 8) | d[t + 5];
    const stream = udpStreamsOf(pinfo.state).number(h.v6 ? ADDR_IPV6 : ADDR_IPV4, d, h.srcAt, h.dstAt, srcPort, dstPort, pinfo, 0, udpLen > UDP_HEADER);
    tapTransport(pinfo, 'udp', srcPort, dstPort, stream);
    if (udpLen > UDP_HEADER) pinfo.layers.push('data');
  }
  return true;
}

/** Smallest Ethernet frame without FCS: a shorter packet is padded, and the padding is checked (eth.ts). */
const MIN_ETHER_FRAME = 60;

/**
 * `dissectFrame` for a plain frame in a pass that records no item (`tree.recording` false: list rows): the
 * Ethernet and IP layers as their dissectors leave `pinfo`, then the TCP or UDP dissector on the transport's
 * bytes. Returns false, having changed nothing, for a frame that is not plain or whose Ethernet or IP layer
 * would add an expert item (they count towards the row's severity): a group source address, a TTL that IPv4
 * flags, padding that is not zeros.
 */
export function dissectPlainTransport(rec: FrameRecord, pinfo: PacketInfo, tree: ProtoTree): boolean {
  const d = rec.data;
  const at = rec.dataOffset ?? 0;
  const capLen = rec.dataLength ?? d.length - at;
  const origLen = rec.origLen;
  if (tree.recording || !readPlainHeaders(d, at, capLen, origLen, rec.linkType)) return false;
  if (d[at + 6] & 1) return false;
  if (!h.v6) {
    const ttl = d[h.n + 8];
    const d0 = d[h.dstAt];
    if (ttl < 5 || (d0 >= 224 && d0 <= 239)) return false;
  }
  const ipEnd = h.t + h.tlen;
  for (let i = ipEnd; i < at + MIN_ETHER_FRAME && i < at + capLen; i++) if (d[i] !== 0) return false;
  const handle = tables.ipProto.get(h.proto);
  if (handle === undefined) return false;

  enterPlainFrame(d, at, capLen, rec.number, rec.tsSecs, rec.tsNsecs, rec.linkType, rec.iface, pinfo);
  pinfo.matchKey = h.proto;
  const view = new ByteView(d, h.t, h.tlen, h.tlen, h.t - at, 0);
  try {
    callDissector(handle, view, pinfo, tree);
  } catch (e) {
    // As dissectFrame reports a dissector's exception.
    tree.closeAll();
    reportException(e, ByteView.ofFrameIn(d, at, capLen, origLen), pinfo, tree);
  }
  return true;
}

/**
 * The fields `PlainFrameFields` reads, all from the headers of a plain frame (and the frame's times from the
 * index): a filter (or `fields`) that reads only these can be run on such frames without their dissectors.
 * (The order is its slot order.)
 */
const FILTER_FIELDS: readonly FieldInfo[] = [
  frameFields.frame, frameFields.number, frameFields.len, frameFields.capLen,
  frameFields.time, frameFields.timeEpoch, frameFields.timeRelative, frameFields.timeDelta,
  ethFields.eth, ethFields.dst, ethFields.src, ethFields.addr, ethFields.type,
  ethFields.dstLg, ethFields.dstIg, ethFields.srcLg, ethFields.srcIg, ethFields.lg, ethFields.ig,
  ipFields.ip, ipFields.len, ipFields.id, ipFields.ttl, ipFields.proto, ipFields.src, ipFields.dst, ipFields.addr,
  ipFields.version, ipFields.hdrLen, ipFields.dsfield, ipFields.dscp, ipFields.ecn,
  ipFields.flags, ipFields.flagRb, ipFields.flagDf, ipFields.flagMf, ipFields.fragOffset, ipFields.checksum, ipFields.checksumStatus,
  ipv6Fields.ipv6, ipv6Fields.plen, ipv6Fields.nxt, ipv6Fields.src, ipv6Fields.dst, ipv6Fields.addr,
  ipv6Fields.version, ipv6Fields.tclass, ipv6Fields.dscp, ipv6Fields.ecn, ipv6Fields.flow, ipv6Fields.hlim,
  tcpFields.tcp, tcpFields.srcport, tcpFields.dstport, tcpFields.port,
  tcpFields.len, tcpFields.seqRaw, tcpFields.ackRaw, tcpFields.hdrLen, tcpFields.flags,
  tcpFields.flagRes, tcpFields.flagAe, tcpFields.flagCwr, tcpFields.flagEce, tcpFields.flagUrg, tcpFields.flagAck,
  tcpFields.flagPush, tcpFields.flagReset, tcpFields.flagSyn, tcpFields.flagFin,
  tcpFields.windowSizeValue, tcpFields.checksum, tcpFields.urgentPointer,
  udpFields.udp, udpFields.srcport, udpFields.dstport, udpFields.port, udpFields.length,
  udpFields.checksum, udpFields.checksumStatus,
  icmpFields.type, icmpFields.code, icmpv6Fields.type, icmpv6Fields.code,
];

let coveredMask: Uint8Array | null = null;
let coveredAnswer = false;

/** Whether every field of a filter's `wanted` mask is one `PlainFrameFields` reads (remembered per mask). */
export function plainFilterCovers(wanted: Uint8Array): boolean {
  if (wanted === coveredMask) return coveredAnswer;
  const ok = new Uint8Array(wanted.length);
  for (const f of FILTER_FIELDS) if (f.index < ok.length) ok[f.index] = 1;
  let answer = true;
  for (let i = 0; i < wanted.length; i++) if (wanted[i] === 1 && ok[i] !== 1) answer = false;
  coveredMask = wanted;
  coveredAnswer = answer;
  return answer;
}

/** Slots of FILTER_FIELDS in `PlainFrameFields`, in the list's order. */
const enum Slot {
  Frame, Number, Len, CapLen,
  Time, TimeEpoch, TimeRelative, TimeDelta,
  Eth, EthDst, EthSrc, EthAddr, EthType,
  EthDstLg, EthDstIg, EthSrcLg, EthSrcIg, EthLg, EthIg,
  Ip, IpLen, IpId, IpTtl, IpProto, IpSrc, IpDst, IpAddr,
  IpVersion, IpHdrLen, IpDsfield, IpDscp, IpEcn, IpFlags, IpFlagRb, IpFlagDf, IpFlagMf, IpFragOffset, IpChecksum, IpChecksumStatus,
  Ipv6, Ipv6Plen, Ipv6Nxt, Ipv6Src, Ipv6Dst, Ipv6Addr,
  Ipv6Version, Ipv6Tclass, Ipv6Dscp, Ipv6Ecn, Ipv6Flow, Ipv6Hlim,
  Tcp, TcpSrcport, TcpDstport, TcpPort,
  TcpLen, TcpSeqRaw, TcpAckRaw, TcpHdrLen, TcpFlags,
  TcpFlagRes, TcpFlagAe, TcpFlagCwr, TcpFlagEce, TcpFlagUrg, TcpFlagAck, TcpFlagPush, TcpFlagReset, TcpFlagSyn, TcpFlagFin,
  TcpWindowSizeValue, TcpChecksum, TcpUrgentPointer,
  Udp, UdpSrcport, UdpDstport, UdpPort, UdpLength, UdpChecksum, UdpChecksumStatus,
  IcmpType, IcmpCode, Icmpv6Type, Icmpv6Code,
}

let slotByField: Int8Array | null = null;
function slotsByField(): Int8Array {
  if (slotByField === null || slotByField.length < fieldCount()) {
    slotByField = new Int8Array(fieldCount()).fill(-1);
    FILTER_FIELDS.forEach((f, slot) => (slotByField![f.index] = slot));
  }
  return slotByField;
}

/**
 * The header fields of a plain frame as a display filter reads them, straight from the bytes: no item is
 * recorded, no view made. Values, positions and data ends are those the dissectors would record,
 * occurrences in the same order; a filter whose `wanted` mask `plainFilterCovers` accepts runs on it through
 * `CompiledFilter.matchesHeader`, and `fields` prints `firstValue`s.
 */
export class PlainFrameFields implements HeaderFields {
  private d: Uint8Array = new Uint8Array(0);
  private at = 0;
  private capLen = 0;
  private origLen = 0;
  private frame = 0;
  /** The network layer: IPv4 (4), IPv6 (6), or none (0: ARP). */
  private net = 4;
  private proto = 0;
  /** The IP and transport headers' offsets from the frame's start, and the bytes IP gives the transport. */
  private ip = 0;
  private tr = 0;
  private tlen = 0;
  private readonly slots = slotsByField();
  /** The capture's index, for the frame's times; none until `useIndex`. */
  private index: FrameIndexColumns | null = null;
  private readonly time = { secs: 0, nsecs: 0 };

  /** The index whose frames `accept` is given: frame.time* come from its columns. */
  useIndex(index: FrameIndexColumns): void {
    this.index = index;
  }

  /**
   * Takes frame `frame` (`capLen` bytes at `at` in `d`) if no tap listens and it is a plain frame whose
   * payload no dissector claims, the same Ethernet and IP headers with an ICMP message that quotes no packet
   * instead of TCP or UDP (`isHeaderOnlyIcmp`: its header fields are those minus the transport's), or an ARP
   * message over Ethernet (only the frame's and Ethernet's); false (then dissect it) otherwise.
   */
  accept(d: Uint8Array, at: number, capLen: number, origLen: number, frame: number, linkType: number, taps: Taps): boolean {
    if (taps.active) return false;
    if (readIpHeaders(d, at, capLen, origLen, linkType)) {
      if (hasTransportHeader() ? !transportIsPlain(d) : !isHeaderOnlyIcmp(d)) return false;
      this.net = h.v6 ? 6 : 4;
      this.proto = h.proto;
      this.ip = h.n - at;
      this.tr = h.t - at;
      this.tlen = h.tlen;
    } else if (isArp(d, at, capLen, origLen, linkType)) {
      // Ethernet's fields only: ARP's are its own (arp.src.proto_ipv4, not ip.src).
      this.net = 0;
      this.proto = 0;
    } else {
      return false;
    }
    this.d = d;
    this.at = at;
    this.capLen = capLen;
    this.origLen = origLen;
    this.frame = frame;
    return true;
  }

  /** Drops the reference to the last frame's buffer. */
  release(): void {
    this.d = new Uint8Array(0);
  }

  has(field: number): boolean {
    const slot = field < this.slots.length ? this.slots[field] : -1;
    if (slot < Slot.Time) return slot >= 0;
    // A record without a time stamp (a pcapng Simple Packet Block) has no frame.time or frame.time_epoch.
    if (slot < Slot.Eth) return this.index !== null && (slot >= Slot.TimeRelative || (this.index.flags[this.frame - 1] & FRAME_NO_TIMESTAMP) === 0);
    if (slot < Slot.Ip) return true;
    // IPv6 records ip.version too (6), so that "ip.version == 6" matches, as Wireshark does.
    if (slot === Slot.IpVersion) return this.net !== 0;
    if (slot < Slot.Ipv6) return this.net === 4;
    if (slot < Slot.Tcp) return this.net === 6;
    if (slot < Slot.Udp) return this.proto === 6;
    if (slot < Slot.IcmpType) return this.proto === 17;
    // Only echoes (ICMP) and messages that quote no packet (ICMPv6) are accepted: their type and code.
    if (slot < Slot.Icmpv6Type) return this.proto === 1;
    return this.proto === 58;
  }

  push(field: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    if (!this.has(field)) return;
    const d = this.d;
    const ip = this.ip;
    const tr = this.tr;
    const n = this.at + ip;
    switch (this.slots[field]) {
      case Slot.Frame:
        return this.put(reg, null, 0, this.capLen, this.capLen, raw, numMode, whole);
      case Slot.Number:
        return this.put(reg, this.frame, 0, 0, this.capLen, raw, numMode, whole);
      case Slot.Len:
        return this.put(reg, this.origLen, 0, 0, this.capLen, raw, numMode, whole);
      case Slot.CapLen:
        return this.put(reg, this.capLen, 0, 0, this.capLen, raw, numMode, whole);
      case Slot.Time:
      case Slot.TimeEpoch:
      case Slot.TimeRelative:
      case Slot.TimeDelta:
        return this.put(reg, this.timeOf(this.slots[field]), 0, 0, this.capLen, raw, numMode, whole);
      case Slot.Eth:
        return this.put(reg, null, 0, ETHER_HEADER, this.capLen, raw, numMode, whole);
      case Slot.EthDst:
        return this.putBytes(reg, 0, 6, raw, numMode, whole);
      case Slot.EthSrc:
        return this.putBytes(reg, 6, 6, raw, numMode, whole);
      case Slot.EthAddr:
        this.putBytes(reg, 0, 6, raw, numMode, whole);
        return this.putBytes(reg, 6, 6, raw, numMode, whole);
      case Slot.EthType:
        return this.put(reg, this.net === 6 ? 0x86dd : this.net === 4 ? 0x0800 : ETHERTYPE_ARP, 12, 2, this.capLen, raw, numMode, whole);
      // The LG and IG bits of each address (dst, then src for eth.lg and eth.ig), over its first 3 bytes.
      case Slot.EthDstLg:
        return this.putAddressBit(reg, 0, 2, raw, numMode, whole);
      case Slot.EthDstIg:
        return this.putAddressBit(reg, 0, 1, raw, numMode, whole);
      case Slot.EthSrcLg:
        return this.putAddressBit(reg, 6, 2, raw, numMode, whole);
      case Slot.EthSrcIg:
        return this.putAddressBit(reg, 6, 1, raw, numMode, whole);
      case Slot.EthLg:
        this.putAddressBit(reg, 0, 2, raw, numMode, whole);
        return this.putAddressBit(reg, 6, 2, raw, numMode, whole);
      case Slot.EthIg:
        this.putAddressBit(reg, 0, 1, raw, numMode, whole);
        return this.putAddressBit(reg, 6, 1, raw, numMode, whole);
      case Slot.Ip:
        return this.put(reg, null, ip, IPV4_HEADER, this.capLen, raw, numMode, whole);
      case Slot.IpLen:
        return this.put(reg, this.tlen + IPV4_HEADER, ip + 2, 2, this.capLen, raw, numMode, whole);
      case Slot.IpId:
        return this.put(reg, (d[n + 4] << 8) | d[n + 5], ip + 4, 2, this.capLen, raw, numMode, whole);
      case Slot.IpTtl:
        return this.put(reg, d[n + 8], ip + 8, 1, this.capLen, raw, numMode, whole);
      case Slot.IpProto:
        return this.put(reg, this.proto, ip + 9, 1, this.capLen, raw, numMode, whole);
      case Slot.IpSrc:
        return this.put(reg, u32(d, n + 12), ip + 12, 4, this.capLen, raw, numMode, whole);
      case Slot.IpDst:
        return this.put(reg, u32(d, n + 16), ip + 16, 4, this.capLen, raw, numMode, whole);
      case Slot.IpAddr:
        this.put(reg, u32(d, n + 12), ip + 12, 4, this.capLen, raw, numMode, whole);
        return this.put(reg, u32(d, n + 16), ip + 16, 4, this.capLen, raw, numMode, whole);
      case Slot.Ipv6:
        return this.put(reg, null, ip, IPV6_HEADER, this.capLen, raw, numMode, whole);
      case Slot.Ipv6Plen:
        return this.put(reg, this.tlen, ip + 4, 2, this.capLen, raw, numMode, whole);
      case Slot.Ipv6Nxt:
        return this.put(reg, this.proto, ip + 6, 1, this.capLen, raw, numMode, whole);
      case Slot.Ipv6Src:
        return this.putBytes(reg, ip + 8, 16, raw, numMode, whole);
      case Slot.Ipv6Dst:
        return this.putBytes(reg, ip + 24, 16, raw, numMode, whole);
      case Slot.Ipv6Addr:
        this.putBytes(reg, ip + 8, 16, raw, numMode, whole);
        return this.putBytes(reg, ip + 24, 16, raw, numMode, whole);
      case Slot.Tcp:
        return this.put(reg, null, tr, (d[this.at + tr + 12] >> 4) * 4, tr + this.tlen, raw, numMode, whole);
      case Slot.Udp:
        return this.put(reg, null, tr, UDP_HEADER, tr + this.tlen, raw, numMode, whole);
      case Slot.TcpSrcport:
      case Slot.UdpSrcport:
        return this.putPort(reg, tr, raw, numMode, whole);
      case Slot.TcpDstport:
      case Slot.UdpDstport:
        return this.putPort(reg, tr + 2, raw, numMode, whole);
      case Slot.TcpPort:
      case Slot.UdpPort:
        this.putPort(reg, tr, raw, numMode, whole);
        return this.putPort(reg, tr + 2, raw, numMode, whole);
      case Slot.UdpLength:
        return this.putPort(reg, tr + 4, raw, numMode, whole);
      default: {
        const slot = this.slots[field];
        if (slot < Slot.Ipv6) return this.pushIpv4HeaderField(slot, reg, raw, numMode, whole);
        if (slot < Slot.Tcp) return this.pushIpv6HeaderField(slot, reg, raw, numMode, whole);
        if (slot < Slot.Udp) return this.pushTcpHeaderField(slot, reg, raw, numMode, whole);
        if (slot < Slot.IcmpType) return this.pushUdpChecksum(slot, reg, raw, numMode, whole);
        // icmp.type / icmpv6.type, then the code: the message's first two bytes.
        const second = slot === Slot.IcmpCode || slot === Slot.Icmpv6Code ? 1 : 0;
        return this.put(reg, this.d[this.at + this.tr + second], this.tr + second, 1, this.tr + this.tlen, raw, numMode, whole);
      }
    }
  }

  /**
   * The rest of an IPv6 header as ipv6.ts records it: version, traffic class and its two parts (items over
   * the first 4 bytes), flow label and hop limit.
   */
  private pushIpv6HeaderField(slot: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    const ip = this.ip;
    const word = u32(this.d, this.at + ip);
    const tclass = (word >>> 20) & 0xff;
    const end = this.capLen;
    switch (slot) {
      case Slot.Ipv6Version:
        return this.put(reg, word >>> 28, ip, 1, end, raw, numMode, whole);
      case Slot.Ipv6Tclass:
        return this.put(reg, tclass, ip, 4, end, raw, numMode, whole);
      case Slot.Ipv6Dscp:
        return this.put(reg, tclass >> 2, ip, 4, end, raw, numMode, whole);
      case Slot.Ipv6Ecn:
        return this.put(reg, tclass & 3, ip, 4, end, raw, numMode, whole);
      case Slot.Ipv6Flow:
        return this.put(reg, word & 0xfffff, ip + 1, 3, end, raw, numMode, whole);
      case Slot.Ipv6Hlim:
        return this.put(reg, this.d[this.at + ip + 7], ip + 7, 1, end, raw, numMode, whole);
    }
  }

  /**
   * udp.checksum and its generated status as udp.ts records them: 2 (not verified), or for a zero checksum
   * 3 (none computed, over IPv4) or 4 (illegal, over IPv6).
   */
  private pushUdpChecksum(slot: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    const tr = this.tr;
    if (slot === Slot.UdpChecksum) return this.putPort(reg, tr + 6, raw, numMode, whole);
    const p = this.at + tr + 6;
    const zero = this.d[p] === 0 && this.d[p + 1] === 0;
    this.put(reg, zero ? (this.net === 6 ? 4 : 3) : 2, tr + 6, 0, tr + this.tlen, raw, numMode, whole);
  }

  /**
   * The rest of a plain IPv4 header as ip.ts records it (no options, so the header is 20 bytes): the version
   * (IPv6's too, which records ip.version as well), the header length, the DS field and its two parts, the
   * flags (the three bits, then each as a boolean), the fragment offset, and the checksum with its generated
   * status (2: not verified).
   */
  private pushIpv4HeaderField(slot: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    const d = this.d;
    const ip = this.ip;
    const n = this.at + ip;
    const end = this.capLen;
    const ds = d[n + 1];
    const fragWord = (d[n + 6] << 8) | d[n + 7];
    const flags = fragWord >> 13;
    switch (slot) {
      case Slot.IpVersion:
        return this.put(reg, this.net, ip, 1, end, raw, numMode, whole);
      case Slot.IpHdrLen:
        return this.put(reg, IPV4_HEADER, ip, 1, end, raw, numMode, whole);
      case Slot.IpDsfield:
        return this.put(reg, ds, ip + 1, 1, end, raw, numMode, whole);
      case Slot.IpDscp:
        return this.put(reg, ds >> 2, ip + 1, 1, end, raw, numMode, whole);
      case Slot.IpEcn:
        return this.put(reg, ds & 3, ip + 1, 1, end, raw, numMode, whole);
      case Slot.IpFlags:
        return this.put(reg, flags, ip + 6, 1, end, raw, numMode, whole);
      case Slot.IpFlagRb:
        return this.put(reg, (flags & 4) !== 0, ip + 6, 1, end, raw, numMode, whole);
      case Slot.IpFlagDf:
        return this.put(reg, (flags & 2) !== 0, ip + 6, 1, end, raw, numMode, whole);
      case Slot.IpFlagMf:
        return this.put(reg, (flags & 1) !== 0, ip + 6, 1, end, raw, numMode, whole);
      case Slot.IpFragOffset:
        return this.put(reg, fragWord & 0x1fff, ip + 6, 2, end, raw, numMode, whole);
      case Slot.IpChecksum:
        return this.put(reg, (d[n + 10] << 8) | d[n + 11], ip + 10, 2, end, raw, numMode, whole);
      case Slot.IpChecksumStatus:
        return this.put(reg, 2, ip + 10, 2, end, raw, numMode, whole);
    }
  }

  /**
   * The TCP header's own fields as tcp.ts records them for a segment with a whole header: the segment length
   * (generated, no bytes), the raw sequence and acknowledgment numbers, the header length, the flags and each
   * flag (booleans), the window value, the checksum and the urgent pointer.
   */
  private pushTcpHeaderField(slot: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    const d = this.d;
    const tr = this.tr;
    const t = this.at + tr;
    const end = tr + this.tlen;
    const flags = ((d[t + 12] << 8) | d[t + 13]) & 0xfff;
    switch (slot) {
      case Slot.TcpLen:
        return this.put(reg, this.tlen - (d[t + 12] >> 4) * 4, tr, 0, end, raw, numMode, whole);
      case Slot.TcpSeqRaw:
        return this.put(reg, u32(d, t + 4), tr + 4, 4, end, raw, numMode, whole);
      case Slot.TcpAckRaw:
        return this.put(reg, u32(d, t + 8), tr + 8, 4, end, raw, numMode, whole);
      case Slot.TcpHdrLen:
        return this.put(reg, (d[t + 12] >> 4) * 4, tr + 12, 1, end, raw, numMode, whole);
      case Slot.TcpFlags:
        return this.put(reg, flags, tr + 12, 2, end, raw, numMode, whole);
      case Slot.TcpFlagRes:
      case Slot.TcpFlagAe:
        return this.put(reg, (flags & TCP_FLAG_MASKS[slot - Slot.TcpFlagRes]) !== 0, tr + 12, 1, end, raw, numMode, whole);
      case Slot.TcpFlagCwr:
      case Slot.TcpFlagEce:
      case Slot.TcpFlagUrg:
      case Slot.TcpFlagAck:
      case Slot.TcpFlagPush:
      case Slot.TcpFlagReset:
      case Slot.TcpFlagSyn:
      case Slot.TcpFlagFin:
        return this.put(reg, (flags & TCP_FLAG_MASKS[slot - Slot.TcpFlagRes]) !== 0, tr + 13, 1, end, raw, numMode, whole);
      case Slot.TcpWindowSizeValue:
        return this.putPort(reg, tr + 14, raw, numMode, whole);
      case Slot.TcpChecksum:
        return this.putPort(reg, tr + 16, raw, numMode, whole);
      case Slot.TcpUrgentPointer:
        return this.putPort(reg, tr + 18, raw, numMode, whole);
    }
  }

  /**
   * frame.time and frame.time_epoch (the arrival time), frame.time_relative (since the first frame) and
   * frame.time_delta (since the previous frame), as frame.ts records them from the record: in a scratch
   * object that registers copy.
   */
  private timeOf(slot: number): Timestamp {
    const { tsSec, tsNsec } = this.index!;
    const i = this.frame - 1;
    const t = this.time;
    if (slot === Slot.TimeRelative) return setTimeDiff(t, tsSec[i], tsNsec[i], tsSec[0], tsNsec[0]);
    if (slot === Slot.TimeDelta) return i > 0 ? setTimeDiff(t, tsSec[i], tsNsec[i], tsSec[i - 1], tsNsec[i - 1]) : setTimeDiff(t, 0, 0, 0, 0);
    t.secs = tsSec[i];
    t.nsecs = tsNsec[i];
    return t;
  }

  /**
   * The value of field `f`'s first occurrence as its dissector would record it (null for a protocol, which
   * has none), or undefined where it does not occur: what `fields` prints.
   */
  firstValue(f: FieldInfo): FieldValue | undefined {
    if (!this.has(f.index)) return undefined;
    if (f.type === 'protocol') return null;
    if (f.type === 'absolute_time' || f.type === 'relative_time') {
      const t = this.timeOf(this.slots[f.index]);
      return { secs: t.secs, nsecs: t.nsecs };
    }
    const reg = regKind(f.type) === 'bytes' ? this.scratchBytes : this.scratchNum;
    reg.clear();
    this.push(f.index, reg, false, NUM_PLAIN, false);
    if (reg.kind === 'bytes') return reg.buf[0].subarray(reg.s[0], reg.e[0]);
    // The dissectors record flags as booleans.
    return f.type === 'boolean' ? reg.num[0] !== 0 : reg.num[0];
  }

  private readonly scratchNum = new Register('num');
  private readonly scratchBytes = new Register('bytes');

  /** One occurrence: `length` bytes at `offset` from the frame's start, its data ending at `viewEnd`. */
  private put(reg: Register, value: number | boolean | Timestamp | null, offset: number, length: number, viewEnd: number, raw: boolean, numMode: number, whole: boolean): void {
    const at = this.at;
    pushOccurrence(reg, value, this.d, at + offset, length, at + viewEnd, at + this.capLen, raw, numMode, whole);
  }

  /** A 16-bit field of the transport header (ports, the UDP length): its data is the transport's. */
  private putPort(reg: Register, offset: number, raw: boolean, numMode: number, whole: boolean): void {
    const p = this.at + offset;
    this.put(reg, (this.d[p] << 8) | this.d[p + 1], offset, 2, this.tr + this.tlen, raw, numMode, whole);
  }

  /** A bit of the first byte of the Ethernet address at `offset` (2: LG, 1: IG), as eth.ts records it. */
  private putAddressBit(reg: Register, offset: number, bit: number, raw: boolean, numMode: number, whole: boolean): void {
    this.put(reg, (this.d[this.at + offset] & bit) !== 0, offset, 3, this.capLen, raw, numMode, whole);
  }

  /** An address whose value is its bytes: pushed from the frame without a view (a copy only for a non-bytes register). */
  private putBytes(reg: Register, offset: number, length: number, raw: boolean, numMode: number, whole: boolean): void {
    const at = this.at;
    const value = reg.kind === 'bytes' ? null : this.d.subarray(at + offset, at + offset + length);
    pushOccurrence(reg, value, this.d, at + offset, length, at + this.capLen, at + this.capLen, reg.kind === 'bytes' || raw, numMode, whole);
  }
}

/** The masks of tcp.flags.res, .ae, .cwr, .ece, .urg, .ack, .push, .reset, .syn and .fin, in slot order. */
const TCP_FLAG_MASKS = [tcpFields.flagRes, tcpFields.flagAe, tcpFields.flagCwr, tcpFields.flagEce, tcpFields.flagUrg, tcpFields.flagAck, tcpFields.flagPush, tcpFields.flagReset, tcpFields.flagSyn, tcpFields.flagFin].map((f) => f.mask ?? 0);

function u32(d: Uint8Array, p: number): number {
  return ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;
}
