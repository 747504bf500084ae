import { defineFields } from '../dissect/field-registry';
import { tables, registerDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { bitPattern, hex } from '../dissect/format';
import { dissect as dissectData } from './data';

/**
 * Generic Routing Encapsulation: RFC 2784 (with the RFC 1701 routing fields), keys and sequence numbers of
 * RFC 2890, and the enhanced GRE (version 1) of PPTP, RFC 2637 §4.1.
 */
const yesNo = ['Yes', 'No'] as const;
const checksumStatusNames = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };

/** gre.proto value strings (tshark -G values): GRE's own names, not the Ethernet ones. */
const greProtoNames: Record<number, string> = {
  0x0000: 'Possible GRE keepalive packet', 0x880b: 'PPP', 0x0800: 'IP', 0x0806: 'ARP', 0x00fe: 'OSI', 0x883e: 'WCCP',
  0x2000: 'CDP (Cisco)', 0x2001: 'NHRP', 0x88be: 'ERSPAN', 0x22eb: 'ERSPAN III', 0x6400: 'MIKROTIK EoIP',
  0xfeae: 'AIROHIVE AP AP', 0x8137: 'IPX', 0x6558: 'Transparent Ethernet bridging', 0x6559: 'Frame Relay', 0x86dd: 'IPv6',
  0x8847: 'MPLS label switched packet', 0x894f: 'Network Service Header', 0x8881: 'CDMA2000 A10 Unstructured byte stream',
  0x88d2: 'CDMA2000 A10 3GPP2 Packet', 0x8909: 'CiscoMetaData', 0xb7ea: 'Huawei GRE bonding', 0x9000: 'ARUBA WLAN',
};
for (let v = 0x8200; v <= 0x8370; v += 0x10) greProtoNames[v] = 'ARUBA WLAN';

export const fields = defineFields('gre', {
  gre: { id: 'gre', name: 'Generic Routing Encapsulation', type: 'protocol' },
  flagsAndVersion: { id: 'gre.flags_and_version', name: 'Flags and Version', type: 'uint16', base: 'hex' },
  flagChecksum: { id: 'gre.flags.checksum', name: 'Checksum Bit', type: 'boolean', base: 16, mask: 0x8000, tfs: yesNo },
  flagRouting: { id: 'gre.flags.routing', name: 'Routing Bit', type: 'boolean', base: 16, mask: 0x4000, tfs: yesNo },
  flagKey: { id: 'gre.flags.key', name: 'Key Bit', type: 'boolean', base: 16, mask: 0x2000, tfs: yesNo },
  flagSeq: { id: 'gre.flags.sequence_number', name: 'Sequence Number Bit', type: 'boolean', base: 16, mask: 0x1000, tfs: yesNo },
  flagStrictRoute: { id: 'gre.flags.strict_source_route', name: 'Strict Source Route Bit', type: 'boolean', base: 16, mask: 0x0800, tfs: yesNo },
  recursion: { id: 'gre.flags.recursion_control', name: 'Recursion control', type: 'uint16', base: 'dec', mask: 0x0700 },
  flagAck: { id: 'gre.flags.ack', name: 'Acknowledgment', type: 'boolean', base: 16, mask: 0x0080, tfs: yesNo },
  reserved: { id: 'gre.flags.reserved', name: 'Flags (Reserved)', type: 'uint16', base: 'dec', mask: 0x00f8 },
  version: { id: 'gre.flags.version', name: 'Version', type: 'uint16', base: 'dec', mask: 0x0007, vals: { 0: 'GRE', 1: 'Enhanced GRE' } },
  proto: { id: 'gre.proto', name: 'Protocol Type', type: 'uint16', base: 'hex', vals: greProtoNames },
  checksum: { id: 'gre.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: { id: 'gre.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', vals: checksumStatusNames },
  offset: { id: 'gre.offset', name: 'Offset', type: 'uint16', base: 'dec' },
  key: { id: 'gre.key', name: 'Key', type: 'uint32', base: 'hex' },
  keyPayloadLength: { id: 'gre.key.payload_length', name: 'Payload Length', type: 'uint16', base: 'dec' },
  keyCallId: { id: 'gre.key.call_id', name: 'Call ID', type: 'uint16', base: 'dec' },
  sequenceNumber: { id: 'gre.sequence_number', name: 'Sequence Number', type: 'uint32', base: 'dec' },
  ackNumber: { id: 'gre.ack_number', name: 'Acknowledgment Number', type: 'uint32', base: 'dec' },
  routing: { id: 'gre.routing', name: 'Routing', type: 'none' },
  routingAf: { id: 'gre.routing.address_family', name: 'Address Family', type: 'uint16', base: 'dec' },
  routingSreOffset: { id: 'gre.routing.sre_offset', name: 'SRE Offset', type: 'uint8', base: 'dec' },
  routingSreLength: { id: 'gre.routing.src_length', name: 'SRE Length', type: 'uint8', base: 'dec' },
  routingInfo: { id: 'gre.routing.information', name: 'Routing Information', type: 'bytes' },
});

export const experts = defineExperts('gre', {
  checksumIncorrect: { id: 'gre.checksum.incorrect', summary: 'Incorrect GRE Checksum', severity: 'warn', group: 'protocol' },
});

const F_CHECKSUM = 0x8000;
const F_ROUTING = 0x4000;
const F_KEY = 0x2000;
const F_SEQ = 0x1000;
const F_ACK = 0x0080;
/** In version 1 the acknowledgment bit takes the top reserved bit (RFC 2637 §4.1). */
const RESERVED_V1 = { ...fields.reserved, mask: 0x0078, shift: 3 };

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const full = tree.full;
  const fv = view.u16(0);
  const proto = view.u16(2);
  const version = fv & 7;
  const name = greProtoNames[proto];
  pinfo.setProtocol('GRE');
  pinfo.setInfo(`Encapsulated ${name ?? `0x${hex(proto, 4)} (unknown)`}`);
  const top = tree.open(fields.gre, view, 0, 4, null, full ? `Generic Routing Encapsulation (${name ?? `0x${hex(proto, 4)} - unknown`})` : undefined);
  tree.open(fields.flagsAndVersion, view, 0, 2, fv);
  tree.add(fields.flagChecksum, view, 0, 2, (fv & F_CHECKSUM) !== 0);
  tree.add(fields.flagRouting, view, 0, 2, (fv & F_ROUTING) !== 0);
  tree.add(fields.flagKey, view, 0, 2, (fv & F_KEY) !== 0);
  tree.add(fields.flagSeq, view, 0, 2, (fv & F_SEQ) !== 0);
  tree.add(fields.flagStrictRoute, view, 0, 2, (fv & 0x0800) !== 0);
  tree.add(fields.recursion, view, 0, 2, (fv & 0x0700) >> 8);
  if (version === 1) {
    tree.add(fields.flagAck, view, 0, 2, (fv & F_ACK) !== 0);
    const res = (fv & 0x0078) >> 3;
    tree.add(fields.reserved, view, 0, 2, res, full ? `${bitPattern(RESERVED_V1, res)} = Flags (Reserved): ${res}` : undefined);
  } else {
    tree.add(fields.reserved, view, 0, 2, (fv & 0x00f8) >> 3);
  }
  tree.add(fields.version, view, 0, 2, version);
  tree.close();
  tree.add(fields.proto, view, 2, 2, proto);

  let o = 4;
  // RFC 1701 §2.1: checksum and offset are both present when either the checksum or the routing bit is set.
  if (fv & (F_CHECKSUM | F_ROUTING)) {
    const cks = view.u16(o);
    addChecksum(view, o, cks, (fv & F_CHECKSUM) !== 0, pinfo, tree);
    tree.add(fields.offset, view, o + 2, 2, view.u16(o + 2));
    o += 4;
  }
  if (fv & F_KEY) {
    if (version === 1) {
      // RFC 2637 §4.1: the key field holds the payload length and the peer's call ID.
      tree.add(fields.keyPayloadLength, view, o, 2, view.u16(o));
      tree.add(fields.keyCallId, view, o + 2, 2, view.u16(o + 2));
    } else {
      tree.add(fields.key, view, o, 4, view.u32(o));
    }
    o += 4;
  }
  if (fv & F_SEQ) {
    tree.add(fields.sequenceNumber, view, o, 4, view.u32(o));
    o += 4;
  }
  if (version === 1 && fv & F_ACK) {
    tree.add(fields.ackNumber, view, o, 4, view.u32(o));
    o += 4;
  }
  if (fv & F_ROUTING) o = dissectRouting(view, o, tree);
  tree.setLength(top, o);
  tree.close();

  const payload = view.sub(o);
  if (tables.greProto.tryDissect(proto, payload, pinfo, tree) < 0) {
    // Wireshark shows bytes of an unknown payload type inside the GRE item.
    tree.reopen(top);
    dissectData(payload, pinfo, tree);
    tree.close();
  }
  return view.reportedLength;
}

/** RFC 2784 §2.5: the Internet checksum over the GRE header and payload, checked only when present and captured. */
function addChecksum(view: ByteView, o: number, cks: number, present: boolean, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  if (!present || view.length < view.reportedLength) {
    tree.add(fields.checksum, view, o, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} [unverified]` : undefined);
    tree.addGenerated(fields.checksumStatus, view, o, 0, 2);
    return;
  }
  const expected = internetChecksum(view, o);
  if (expected === cks) {
    tree.add(fields.checksum, view, o, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} [correct]` : undefined);
    tree.addGenerated(fields.checksumStatus, view, o, 0, 1);
    return;
  }
  tree.open(fields.checksum, view, o, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} incorrect, should be 0x${hex(expected, 4)}` : undefined);
  addExpert(tree, pinfo, experts.checksumIncorrect, view, o, 0, `Incorrect GRE Checksum [should be 0x${hex(expected, 4)}]`);
  tree.close();
  tree.addGenerated(fields.checksumStatus, view, o, 0, 0);
}

/** The checksum the sender should have put at `cksAt`: one's complement of the 16-bit one's complement sum. */
function internetChecksum(view: ByteView, cksAt: number): number {
  const n = view.length;
  let sum = 0;
  for (let i = 0; i + 1 < n; i += 2) {
    if (i !== cksAt) sum += view.u16(i);
    if (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (n % 2) sum += view.u8(n - 1) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** RFC 1701 §2.1 source route entries, up to the null SRE (address family 0, length 0). */
function dissectRouting(view: ByteView, o: number, tree: ProtoTree): number {
  for (;;) {
    const af = view.u16(o);
    const sreOffset = view.u8(o + 2);
    const sreLen = view.u8(o + 3);
    view.ensure(o + 4, sreLen);
    tree.add(fields.routing, view, o, 4 + sreLen, null);
    tree.add(fields.routingAf, view, o, 2, af);
    tree.add(fields.routingSreOffset, view, o + 2, 1, sreOffset);
    tree.add(fields.routingSreLength, view, o + 3, 1, sreLen);
    if (sreLen > 0) tree.add(fields.routingInfo, view, o + 4, sreLen, tree.wants(fields.routingInfo) ? view.bytes(o + 4, sreLen) : null);
    o += 4 + sreLen;
    if (af === 0 && sreLen === 0) return o;
  }
}

export const handle = { abbrev: 'gre', dissect };

export function handoff(): void {
  registerDissector('gre', handle);
  tables.ipProto.add(47, handle);
}
