import { defineFields } from '../dissect/field-registry';
import { tables, findDissector, callDissector } from '../dissect/dissector-tables';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { LinkType } from '../capture/link-types';
import { etypeNames } from './values/etypes';
import { dissect as dissectData } from './data';

/**
 * Linux netfilter NFLOG (LINKTYPE_NFLOG 239, tcpdump.org): a 4-octet header (address family, version,
 * resource id in network order) then netlink attributes — TLVs whose 16-bit length and type are in the
 * capturing host's byte order (little-endian in practice), padded to 4 octets. The values themselves are in
 * network order. The NFULA_PAYLOAD attribute holds the packet, an IPv4 or IPv6 datagram by the family.
 */

const familyNames: Record<number, string> = { 0: 'Unspecified', 1: 'IPv4/IPv6', 2: 'IPv4', 3: 'ARP', 5: 'Netdev', 7: 'Bridge', 10: 'IPv6', 12: 'DECNET' };
const tlvTypes: Record<number, string> = {
  0: 'NFULA_UNSPEC', 1: 'NFULA_PACKET_HDR', 2: 'NFULA_MARK', 3: 'NFULA_TIMESTAMP', 4: 'NFULA_IFINDEX_INDEV', 5: 'NFULA_IFINDEX_OUTDEV',
  6: 'NFULA_IFINDEX_PHYSINDEV', 7: 'NFULA_IFINDEX_PHYSOUTDEV', 8: 'NFULA_HWADDR', 9: 'NFULA_PAYLOAD', 10: 'NFULA_PREFIX', 11: 'NFULA_UID',
  12: 'NFULA_SEQ', 13: 'NFULA_SEQ_GLOBAL', 14: 'NFULA_GID', 15: 'NFULA_HWTYPE', 16: 'NFULA_HWHEADER', 17: 'NFULA_HWLEN',
};
const hookNames: Record<number, string> = { 0: 'Pre-routing', 1: 'Local in', 2: 'Forward', 3: 'Local out', 4: 'Post-routing', 5: 'Number of hooks' };

export const fields = defineFields('nflog', {
  nflog: { id: 'nflog', name: 'Linux Netfilter NFLOG', type: 'protocol' },
  family: { id: 'nflog.family', name: 'Family', type: 'uint8', base: 'dec', vals: familyNames },
  version: { id: 'nflog.version', name: 'Version', type: 'uint8', base: 'dec' },
  resId: { id: 'nflog.res_id', name: 'Resource id', type: 'uint16', base: 'dec' },
  tlv: { id: 'nflog.tlv', name: 'TLV', type: 'bytes' },
  tlvLength: { id: 'nflog.tlv_length', name: 'Length', type: 'uint16', base: 'dec', description: 'TLV Length' },
  tlvType: { id: 'nflog.tlv_type', name: 'Type', type: 'uint16', base: 'dec', mask: 0x7fff, vals: tlvTypes, description: 'TLV Type' },
  protocol: { id: 'nflog.protocol', name: 'HW protocol', type: 'uint16', base: 'hex', vals: etypeNames },
  hook: { id: 'nflog.hook', name: 'Netfilter hook', type: 'uint8', base: 'dec', vals: hookNames },
  ifindexIndev: { id: 'nflog.ifindex_indev', name: 'IFINDEX_INDEV', type: 'uint32', base: 'dec' },
  ifindexOutdev: { id: 'nflog.ifindex_outdev', name: 'IFINDEX_OUTDEV', type: 'uint32', base: 'dec' },
  ifindexPhysindev: { id: 'nflog.ifindex_physindev', name: 'IFINDEX_PHYSINDEV', type: 'uint32', base: 'dec' },
  ifindexPhysoutdev: { id: 'nflog.ifindex_physoutdev', name: 'IFINDEX_PHYSOUTDEV', type: 'uint32', base: 'dec' },
  prefix: { id: 'nflog.prefix', name: 'Prefix', type: 'stringz', description: 'TLV Prefix Value' },
  uid: { id: 'nflog.uid', name: 'UID', type: 'int32', base: 'dec', description: 'TLV UID Value' },
  gid: { id: 'nflog.gid', name: 'GID', type: 'int32', base: 'dec', description: 'TLV GID Value' },
  timestamp: { id: 'nflog.timestamp', name: 'Timestamp', type: 'absolute_time', description: 'TLV Timestamp Value' },
  tlvValue: { id: 'nflog.tlv_value', name: 'Value', type: 'bytes', description: 'TLV Value' },
});

const HEADER = 4;
const TLV_HEADER = 4;
const NFULA_PAYLOAD = 9;
const NFPROTO_IPV4 = 2;
const NFPROTO_IPV6 = 10;

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('NFLOG');
  pinfo.setInfo('');
  const full = tree.full;
  tree.open(fields.nflog, view, 0, view.length, null);
  const family = view.u8(0);
  tree.add(fields.family, view, 0, 1, family);
  tree.add(fields.version, view, 1, 1, view.u8(1));
  tree.add(fields.resId, view, 2, 2, view.u16(2));
  let payload: ByteView | undefined;
  let o = HEADER;
  // Each attribute is at least 4 octets, so the loop ends within the frame.
  while (view.has(o, TLV_HEADER)) {
    const tlvLen = view.u16le(o);
    if (tlvLen < TLV_HEADER) break;
    view.ensure(o, tlvLen);
    const type = view.u16le(o + 2) & 0x7fff;
    tree.open(fields.tlv, view, o, tlvLen, view.bytes(o, tlvLen), full ? `TLV Type: ${tlvTypes[type] ?? 'Unknown'} (${type}), Length: ${tlvLen}` : undefined);
    tree.add(fields.tlvLength, view, o, 2, tlvLen);
    tree.add(fields.tlvType, view, o + 2, 2, type);
    const v = o + TLV_HEADER;
    const vLen = tlvLen - TLV_HEADER;
    if (type === NFULA_PAYLOAD) payload = view.sub(v, vLen, vLen);
    else addTlvValue(view, type, v, vLen, tree);
    tree.close();
    o += (tlvLen + 3) & ~3;
  }
  tree.close();
  if (!payload) return view.length;
  const next = family === NFPROTO_IPV4 ? findDissector('ip') : family === NFPROTO_IPV6 ? findDissector('ipv6') : undefined;
  if (next) callDissector(next, payload, pinfo, tree);
  else dissectData(payload, pinfo, tree);
  return view.length;
}

/** The value of one attribute (include/uapi/linux/netfilter/nfnetlink_log.h), in network byte order. */
function addTlvValue(view: ByteView, type: number, v: number, vLen: number, tree: ProtoTree): void {
  switch (type) {
    case 1: // struct nfulnl_msg_packet_hdr: hw_protocol, hook, pad
      if (vLen < 3) break;
      tree.add(fields.protocol, view, v, 2, view.u16(v));
      tree.add(fields.hook, view, v + 2, 1, view.u8(v + 2));
      return;
    case 3: // struct nfulnl_msg_packet_timestamp: 64-bit seconds and microseconds
      if (vLen < 16) break;
      tree.add(fields.timestamp, view, v, 16, { secs: Number(view.u64(v)), nsecs: Number(view.u64(v + 8)) * 1000 });
      return;
    case 4:
    case 5:
    case 6:
    case 7: {
      if (vLen < 4) break;
      const f = type === 4 ? fields.ifindexIndev : type === 5 ? fields.ifindexOutdev : type === 6 ? fields.ifindexPhysindev : fields.ifindexPhysoutdev;
      tree.add(f, view, v, 4, view.u32(v));
      return;
    }
    case 10: {
      let end = 0;
      while (end < vLen && view.u8(v + end) !== 0) end++;
      tree.add(fields.prefix, view, v, vLen, view.ascii(v, end));
      return;
    }
    case 11:
    case 14:
      if (vLen < 4) break;
      tree.add(type === 11 ? fields.uid : fields.gid, view, v, 4, view.u32(v) | 0);
      return;
  }
  if (vLen > 0) tree.add(fields.tlvValue, view, v, vLen, view.bytes(v, vLen));
}

export const handle = { abbrev: 'nflog', dissect };

export function handoff(): void {
  tables.linkType.add(LinkType.NFLOG, handle);
}
