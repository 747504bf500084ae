import { AddrKind, PortType, type PacketInfo } from '../dissect/packet-info';
import { heuristics, tables } from '../dissect/dissector-tables';
import { tapAddressesAt, tapTransport } from '../dissect/taps';
import { LinkType } from '../capture/link-types';
import { TcpSegment, currentTcpStateHook, readWholeHeader } from '../protocols/tcp';
import { currentUdpStreamHook } from '../protocols/udp';
import { tcpAnalysisHook } from './tcp-analysis';
import { udpStreamHook, udpStreamsOf } from './udp-streams';
import { ADDR_IPV4, ADDR_IPV6 } from './stream-table';

/**
 * The first pass's shortcut for the frames most captures are made of: Ethernet II → IPv4 without options
 * or fragmentation, or IPv6 without extension headers → TCP or UDP whose payload no dissector claims, all
 * of it captured. The first pass records no tree item and builds no column, so for such a frame the
 * dissectors' only effects are the addresses and ports they note, the taps they report to and the stream
 * state they feed. This file reads those few header fields straight from the bytes and makes the same
 * calls in the same order (tcp-analysis's `observe`, udp-streams' numbering, the eth/ip/ipv6/tcp/udp taps),
 * so the state it leaves is the one `dissectFrame` would; a frame with anything else in it — another link
 * type or ethertype, options, fragments, a length that disagrees, a short or cut header, a port or heuristic
 * with a dissector, a Follow listener — is left to `dissectFrame` (the function returns false).
 *
 * test/core/analysis/plain-frames.test.ts runs first passes with and without it and compares everything
 * that is recorded.
 */

const ETHER_HEADER = 14;
const IPV4_HEADER = 20;
const IPV6_HEADER = 40;
const TCP_HEADER = 20;
const UDP_HEADER = 8;

/** One segment summary for the shortcut (tcp.ts keeps its own for the dissector). */
const seg = new TcpSegment();

/**
 * Does the first pass's work for frame `frame` (bytes at `at` in `d`) if it is a plain frame; returns false,
 * having changed nothing, when it is not.
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
  if (linkType !== LinkType.ETHERNET || capLen !== origLen || capLen < ETHER_HEADER + IPV4_HEADER + UDP_HEADER) return false;
  const end = at + capLen;
  const etype = (d[at + 12] << 8) | d[at + 13];
  const n = at + ETHER_HEADER;
  let v6: boolean;
  let proto: number;
  let t: number;
  /** What the IP layer hands the transport (its reported length). */
  let tlen: number;
  if (etype === 0x0800) {
    // Version 4, IHL 5; a total length that covers the header and fits the frame (0, "TSO", does not).
    if (d[n] !== 0x45) return false;
    const total = (d[n + 2] << 8) | d[n + 3];
    if (total < IPV4_HEADER || n + total > end) return false;
    // MF or a fragment offset: IP reassembly's business.
    if ((((d[n + 6] << 8) | d[n + 7]) & 0x3fff) !== 0) return false;
    v6 = false;
    proto = d[n + 9];
    t = n + IPV4_HEADER;
    tlen = total - IPV4_HEADER;
  } else if (etype === 0x86dd) {
    if (d[n] >> 4 !== 6) return false;
    const plen = (d[n + 4] << 8) | d[n + 5];
    // A zero payload length (jumbograms, or an expert note) is left to the dissector.
    if (plen === 0 || n + IPV6_HEADER + plen > end) return false;
    v6 = true;
    proto = d[n + 6];
    t = n + IPV6_HEADER;
    tlen = plen;
  } else {
    return false;
  }

  let srcPort: number;
  let dstPort: number;
  if (proto === 6) {
    if (tlen < TCP_HEADER) return false;
    const hlen = (d[t + 12] >> 4) * 4;
    if (hlen < TCP_HEADER || hlen > tlen || currentTcpStateHook() !== tcpAnalysisHook) return false;
    srcPort = (d[t] << 8) | d[t + 1];
    dstPort = (d[t + 2] << 8) | d[t + 3];
    if (claimed(tables.tcpPort, srcPort, dstPort) || heuristics.tcp.size !== 0 || pinfo.taps.listening('tcp.follow')) return false;
  } else if (proto === 17) {
    if (tlen < UDP_HEADER) return false;
    const udpLen = (d[t + 4] << 8) | d[t + 5];
    if (udpLen < UDP_HEADER || udpLen > tlen || currentUdpStreamHook() !== udpStreamHook) return false;
    // A zero checksum over IPv6 is an expert item the dissector adds.
    if (v6 && d[t + 6] === 0 && d[t + 7] === 0) return false;
    srcPort = (d[t] << 8) | d[t + 1];
    dstPort = (d[t + 2] << 8) | d[t + 3];
    if (claimed(tables.udpPort, srcPort, dstPort) || heuristics.udp.size !== 0 || pinfo.taps.listening('udp.follow')) return false;
  } else {
    return false;
  }

  // From here on the frame is plain: what the dissectors would do, in their order.
  pinfo.reset(frame, capLen, origLen, tsSecs, tsNsecs, linkType, iface);
  const layers = pinfo.layers;
  layers.push('eth', 'ethertype', v6 ? 'ipv6' : 'ip', proto === 6 ? 'tcp' : 'udp');
  pinfo.dlDst.setAt(AddrKind.Ether, d, at);
  pinfo.dlSrc.setAt(AddrKind.Ether, d, at + 6);
  tapAddressesAt(pinfo, 'eth', AddrKind.Ether, d, at + 6, at);
  const kind = v6 ? AddrKind.IPv6 : AddrKind.IPv4;
  const srcAt = v6 ? n + 8 : n + 12;
  const dstAt = v6 ? n + 24 : n + 16;
  if (v6) {
    pinfo.netSrc.setAt(kind, d, srcAt);
    pinfo.netDst.setAt(kind, d, dstAt);
    pinfo.pseudoSrc.setAt(kind, d, srcAt);
    pinfo.pseudoDst.setAt(kind, d, dstAt);
    pinfo.hopLimit = d[n + 7];
    tapAddressesAt(pinfo, 'ipv6', kind, d, srcAt, dstAt);
  } else {
    tapAddressesAt(pinfo, 'ip', kind, d, srcAt, dstAt);
    pinfo.netSrc.setAt(kind, d, srcAt);
    pinfo.netDst.setAt(kind, d, dstAt);
  }
  pinfo.ipProto = proto;
  pinfo.srcPort = srcPort;
  pinfo.dstPort = dstPort;

  if (proto === 6) {
    pinfo.protocol = 'TCP';
    pinfo.portType = PortType.TCP;
    readWholeHeader(seg, d, t, tlen);
    tcpAnalysisHook.observe(seg, pinfo);
    // The hook's other first-pass calls do nothing for a segment outside an ICMP error, and a payload no
    // dissector takes is never held for reassembly: only the tap remains.
    tapTransport(pinfo, 'tcp', srcPort, dstPort, seg.stream);
    if (seg.payloadLen > 0) layers.push('data');
  } else {
    pinfo.protocol = 'UDP';
    pinfo.portType = PortType.UDP;
    const udpLen = (d[t + 4] << 8) | d[t + 5];
    const stream = udpStreamsOf(pinfo.state).number(v6 ? ADDR_IPV6 : ADDR_IPV4, d, srcAt, dstAt, srcPort, dstPort, pinfo, 0, udpLen > UDP_HEADER);
    tapTransport(pinfo, 'udp', srcPort, dstPort, stream);
    if (udpLen > UDP_HEADER) layers.push('data');
  }
  return true;
}

/** Whether a dissector is registered on either port (tcp.ts and udp.ts try the lower one, then the higher). */
function claimed(table: typeof tables.tcpPort, srcPort: number, dstPort: number): boolean {
  return (srcPort !== 0 && table.get(srcPort) !== undefined) || (dstPort !== 0 && table.get(dstPort) !== undefined);
}
