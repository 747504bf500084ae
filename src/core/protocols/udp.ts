import { defineFields } from '../dissect/field-registry';
import { tables, heuristics, registerDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import { AddrKind, PortType, type PacketInfo } from '../dissect/packet-info';
import { tapPayload, tapTransport } from '../dissect/taps';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { hex } from '../dissect/format';
import { dissect as dissectData } from './data';

/** User Datagram Protocol (RFC 768). */
const checksumStatusNames = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };

export const fields = defineFields('udp', {
  udp: { id: 'udp', name: 'User Datagram Protocol', type: 'protocol' },
  srcport: { id: 'udp.srcport', name: 'Source Port', type: 'uint16', base: 'dec' },
  dstport: { id: 'udp.dstport', name: 'Destination Port', type: 'uint16', base: 'dec' },
  port: { id: 'udp.port', name: 'Source or Destination Port', type: 'uint16', base: 'dec' },
  length: { id: 'udp.length', name: 'Length', type: 'uint16', base: 'dec' },
  checksum: { id: 'udp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: { id: 'udp.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', vals: checksumStatusNames },
  payload: { id: 'udp.payload', name: 'Payload', type: 'bytes' },
});

export const experts = defineExperts('udp', {
  lengthBad: { id: 'udp.length.bad', summary: 'Bad length value', severity: 'error', group: 'malformed' },
  checksumZero: { id: 'udp.checksum.zero', summary: 'Illegal checksum value (0)', severity: 'error', group: 'checksum' },
});

const HEADER = 8;

/**
 * Where UDP stream numbering plugs in (analysis/udp-streams.ts, installed by protocols/index.ts): called
 * after the checksum, it numbers the datagram's stream, adds udp.stream and the [Timestamps], and returns
 * the stream (-1 if none).
 */
export interface UdpStreamHook {
  addStreamItems(view: ByteView, pinfo: PacketInfo, tree: ProtoTree, srcPort: number, dstPort: number): number;
}

let streamHook: UdpStreamHook | null = null;

/** Installs (or removes, with null) the UDP stream numbering. */
export function setUdpStreamHook(hook: UdpStreamHook | null): void {
  streamHook = hook;
}

/** The installed UDP stream numbering (the plain-frame path feeds it only when it is the one it knows). */
export function currentUdpStreamHook(): UdpStreamHook | null {
  return streamHook;
}

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const full = tree.full;
  const inError = pinfo.inErrorPacket;
  pinfo.setProtocol('UDP');
  const srcPort = view.u16(0);
  const dstPort = view.u16(2);
  tree.open(fields.udp, view, 0, HEADER, null, full ? `User Datagram Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}` : undefined);
  // The first pass and list rows record nothing: item blocks without side effects are skipped then.
  const recording = tree.recording;
  if (recording) {
    tree.add(fields.srcport, view, 0, 2, srcPort);
    tree.add(fields.dstport, view, 2, 2, dstPort);
    tree.add(fields.port, view, 0, 2, srcPort, undefined, 2);
    tree.add(fields.port, view, 2, 2, dstPort, undefined, 2);
  }
  if (!inError) {
    pinfo.portType = PortType.UDP;
    pinfo.srcPort = srcPort;
    pinfo.dstPort = dstPort;
  }
  const udpLen = view.u16(4);
  // What the IP layer says this datagram holds; the UDP length must fit in it (RFC 768 "Length").
  const ipPayload = view.reportedLength;
  if (udpLen < HEADER) {
    tree.open(fields.length, view, 4, 2, udpLen, full ? `Length: ${udpLen} (bogus, must be >= ${HEADER})` : undefined);
    addExpert(tree, pinfo, experts.lengthBad, view, 4, 2, `Bad length value ${udpLen} < ${HEADER}`);
    tree.close();
    tree.close();
    pinfo.setInfo(`${srcPort} → ${dstPort} [BAD UDP LENGTH ${udpLen} < ${HEADER}]`);
    return view.reportedLength;
  }
  // A header quoted in an ICMP error keeps its original length while only part of the datagram is quoted.
  const tooLong = udpLen > ipPayload && !inError;
  if (tooLong) {
    tree.open(fields.length, view, 4, 2, udpLen, full ? `Length: ${udpLen} (bogus, payload length ${ipPayload})` : undefined);
    addExpert(tree, pinfo, experts.lengthBad, view, 4, 2, `Bad length value ${udpLen} > IP payload length`);
    tree.close();
    pinfo.setInfo(`${srcPort} → ${dstPort} [BAD UDP LENGTH ${udpLen} > IP PAYLOAD LENGTH] Len=${udpLen - HEADER}`);
  } else {
    if (recording) tree.add(fields.length, view, 4, 2, udpLen);
    // Info is written only when the columns are wanted (not in the first pass or for filters).
    pinfo.resetInfo()?.appendUint(srcPort).append(' → ').appendUint(dstPort).append(' Len=').appendUint(udpLen - HEADER);
  }
  const cks = view.u16(6);
  if (cks === 0 && pinfo.netSrc.kind === AddrKind.IPv6) {
    // RFC 8200 §8.1: over IPv6 the checksum is mandatory, so zero is not "none" but wrong.
    tree.open(fields.checksum, view, 6, 2, cks, full ? 'Checksum: 0x0000 [zero-value illegal]' : undefined);
    addExpert(tree, pinfo, experts.checksumZero, view, 6, 0);
    tree.addGenerated(fields.checksumStatus, view, 6, 0, 4);
    tree.close();
    pinfo.appendInfo(' [ILLEGAL CHECKSUM (0)]');
  } else if (cks === 0) {
    // RFC 768: an all-zero checksum means the sender computed none.
    tree.open(fields.checksum, view, 6, 2, cks, full ? 'Checksum: 0x0000 [zero-value ignored]' : undefined);
    tree.addGenerated(fields.checksumStatus, view, 6, 0, 3);
    tree.close();
  } else if (recording) {
    tree.add(fields.checksum, view, 6, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} [unverified]` : undefined);
    tree.addGenerated(fields.checksumStatus, view, 6, 0, 2);
  }
  // Statistics hear of the datagram after its header, before the payload (as in Wireshark).
  const stream = streamHook ? streamHook.addStreamItems(view, pinfo, tree, srcPort, dstPort) : -1;
  tapTransport(pinfo, 'udp', srcPort, dstPort, stream);
  const end = tooLong ? ipPayload : udpLen;
  const payload = view.sub(HEADER, Math.max(0, Math.min(view.length, end) - HEADER), Math.max(0, end - HEADER));
  if (payload.length > 0 && recording) {
    tree.add(fields.payload, view, HEADER, payload.length, tree.wants(fields.payload) ? payload.bytes(0, payload.length) : null, full ? `UDP payload (${payload.length} byte${payload.length === 1 ? '' : 's'})` : undefined);
  }
  tree.close();
  // Follow UDP Stream takes every datagram's payload, empty ones too.
  tapPayload(pinfo, 'udp.follow', payload, stream);
  if (payload.length > 0) dispatchPayload(payload, pinfo, tree, srcPort, dstPort);
  return Math.min(udpLen, ipPayload);
}

/**
 * Hands the payload to the protocol registered on the lower port, then the higher one (Wireshark's default),
 * then the UDP heuristics, and otherwise shows it as data.
 */
export function dispatchPayload(payload: ByteView, pinfo: PacketInfo, tree: ProtoTree, srcPort: number, dstPort: number): void {
  const low = srcPort < dstPort ? srcPort : dstPort;
  const high = srcPort < dstPort ? dstPort : srcPort;
  if (low !== 0 && tables.udpPort.tryDissect(low, payload, pinfo, tree) >= 0) return;
  if (high !== low && tables.udpPort.tryDissect(high, payload, pinfo, tree) >= 0) return;
  if (heuristics.udp.tryDissect(payload, pinfo, tree)) return;
  dissectData(payload, pinfo, tree);
}

export const handle = { abbrev: 'udp', dissect };

export function handoff(): void {
  registerDissector('udp', handle);
  tables.ipProto.add(17, handle);
}
