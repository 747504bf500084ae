import { AddrKind, PortType, type PacketInfo } from '../dissect/packet-info';
import { callDissector, heuristics, tables } from '../dissect/dissector-tables';
import { tapAddressesAt, tapTransport } from '../dissect/taps';
import { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { LinkType } from '../capture/link-types';
import { reportException, type FrameRecord } from '../protocols/frame';
import { TcpSegment, currentTcpStateHook, readWholeHeader } from '../protocols/tcp';
import { currentUdpStreamHook } from '../protocols/udp';
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
 *   sequence numbers) needs nothing else: `PlainFrameFields` (plain-frame-fields.ts) hands it their values
 *   straight from the bytes, as the dissectors would record them — same values, positions and order — for
 *   a plain frame whose payload no dissector claims, and for ICMP echoes, ICMPv6 echo/MLD/NDP messages and
 *   ARP (whose other fields such a filter does not read); `fields` prints the first value of each.
 *
 * A frame with anything else in it — another link type or ethertype, options, fragments, a length that
 * disagrees, a cut header, for the first pass and filters a port or heuristic with a dissector (or a
 * listener), for rows a layer that would add an expert item — is left to `dissectFrame` (the functions
 * return false).
 *
 * test/core/analysis/plain-frames.test.ts and test/corpus/plain-frames.test.ts run passes with and without
 * the shortcuts and compare everything they produce.
 */

export const ETHER_HEADER = 14;
export const IPV4_HEADER = 20;
export const IPV6_HEADER = 40;
const TCP_HEADER = 20;
export const UDP_HEADER = 8;

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

export const ETHERTYPE_ARP = 0x0806;
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

/** The layers `readHeaderOnlyFrame` found in the last IP frame it accepted (positions in its buffer). */
export const plainHeaders: Readonly<typeof h> = h;

/**
 * Whether a frame's header fields can be read from its bytes (plain-frame-fields.ts): 4 or 6 for a plain IP
 * frame whose payload no dissector claims, or one carrying an ICMP message that quotes no packet (its layers
 * then in `plainHeaders`), 0 for an ARP message over Ethernet, -1 otherwise.
 */
export function readHeaderOnlyFrame(d: Uint8Array, at: number, capLen: number, origLen: number, linkType: number): number {
  if (readIpHeaders(d, at, capLen, origLen, linkType)) {
    if (hasTransportHeader() ? !transportIsPlain(d) : !isHeaderOnlyIcmp(d)) return -1;
    return h.v6 ? 6 : 4;
  }
  return isArp(d, at, capLen, origLen, linkType) ? 0 : -1;
}
