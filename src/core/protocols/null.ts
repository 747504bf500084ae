import { defineFields } from '../dissect/field-registry';
import { tables, findDissector, callDissector, type DissectorHandle } from '../dissect/dissector-tables';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { LinkType } from '../capture/link-types';
import { etypeNames } from './values/etypes';
import { dissect as dissectData } from './data';

/**
 * BSD loopback encapsulation (tcpdump.org LINKTYPE_NULL 0 and LINKTYPE_LOOP 108): a 4-octet protocol family
 * (the sender's AF_ value) before the packet — in the capturing host's byte order for NULL, in network byte
 * order for LOOP (OpenBSD). Some writers put an ethertype there instead, which Wireshark also accepts.
 */

/** AF_ values: AF_INET6 differs between the BSDs (24 NetBSD/OpenBSD, 28 FreeBSD, 30 Darwin). */
const familyNames: Record<number, string> = { 2: 'IP', 7: 'OSI', 16: 'Appletalk', 23: 'Netware IPX/SPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' };
const AF_INET6_VALUES = [24, 28, 30];

export const fields = defineFields('null', {
  null: { id: 'null', name: 'Null/Loopback', type: 'protocol' },
  type: { id: 'null.type', name: 'Type', type: 'uint16', base: 'hex', vals: etypeNames },
  family: { id: 'null.family', name: 'Family', type: 'uint32', base: 'dec', vals: familyNames },
});

const HEADER = 4;
/** Values above the largest 802.3 length are taken as ethertypes. */
const MAX_802_3_LENGTH = 1500;

/** LINKTYPE_NULL: family in host byte order, or an ethertype, or PPP in HDLC-like framing. */
export function dissectNull(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  setDefaultColumns(pinfo);
  if (view.u16(0) === 0xff03) {
    // PPP in HDLC-like framing (RFC 1662) — no family header at all.
    const ppp = findDissector('ppp_hdlc') ?? findDissector('ppp');
    if (ppp) callDissector(ppp, view, pinfo, tree);
    else dissectData(view, pinfo, tree);
    return view.length;
  }
  const value = hostOrderValue(view);
  if (value > MAX_802_3_LENGTH) {
    const etype = value & 0xffff;
    tree.open(fields.null, view, 0, HEADER, null);
    tree.add(fields.type, view, 0, HEADER, etype);
    tree.close();
    const payload = view.sub(HEADER);
    if (tables.ethertype.tryDissect(etype, payload, pinfo, tree) < 0) dissectData(payload, pinfo, tree);
    return view.length;
  }
  return dissectFamily(view, value, pinfo, tree);
}

/** LINKTYPE_LOOP: the family in network byte order, never an ethertype. */
export function dissectLoop(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  setDefaultColumns(pinfo);
  return dissectFamily(view, view.u32(0), pinfo, tree);
}

function dissectFamily(view: ByteView, family: number, pinfo: PacketInfo, tree: ProtoTree): number {
  tree.open(fields.null, view, 0, HEADER, null);
  tree.add(fields.family, view, 0, HEADER, family);
  tree.close();
  const payload = view.sub(HEADER);
  if (tables.nullFamily.tryDissect(family, payload, pinfo, tree) < 0) dissectData(payload, pinfo, tree);
  return view.length;
}

/** What the columns show unless the payload's protocol sets them. */
function setDefaultColumns(pinfo: PacketInfo): void {
  pinfo.setProtocol('N/A');
  pinfo.setInfo('Null/Loopback');
  pinfo.dlSrc.setText('N/A');
  pinfo.dlDst.setText('N/A');
}

/**
 * The header's value when the writer's byte order is unknown. It is read little-endian and then corrected
 * for the other forms seen in files, in a way that gives Wireshark's reading: a big-endian 32-bit value
 * (its last two octets non-zero), and a 16-bit value in the first two octets of either byte order.
 */
function hostOrderValue(view: ByteView): number {
  const b0 = view.u8(0);
  const b1 = view.u8(1);
  const b2 = view.u8(2);
  const b3 = view.u8(3);
  if (b2 !== 0 || b3 !== 0) {
    // Not a small little-endian value. "00 05 01 00": a 16-bit value followed by junk; else big-endian.
    if (b3 === 0 && b2 < 6) return b2;
    return ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
  }
  // "00 05 00 00": a big-endian 16-bit family in the first two octets.
  if (b0 === 0 && b1 < 6) return b1;
  return b0 | (b1 << 8);
}

/**
 * AF_INET6 is dispatched to whatever IPv6 dissector is registered by name when the frame is dissected, so
 * this file does not depend on the IPv6 module being loaded first (or at all).
 */
const ipv6ByName: DissectorHandle = {
  abbrev: 'ipv6',
  dissect: (view, pinfo, tree) => {
    const ipv6 = findDissector('ipv6');
    if (!ipv6) return 0;
    return ipv6.dissect(view, pinfo, tree);
  },
};

export const handle = { abbrev: 'null', dissect: dissectNull };
export const loopHandle = { abbrev: 'null', dissect: dissectLoop };

export function handoff(): void {
  tables.linkType.add(LinkType.NULL, handle);
  tables.linkType.add(LinkType.LOOP, loopHandle);
  for (const af of AF_INET6_VALUES) if (!tables.nullFamily.get(af)) tables.nullFamily.add(af, ipv6ByName);
}
