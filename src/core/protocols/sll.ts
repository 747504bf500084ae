import { defineFields } from '../dissect/field-registry';
import { tables } from '../dissect/dissector-tables';
import { AddrKind, type PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { LinkType } from '../capture/link-types';
import { etypeNames } from './values/etypes';
import { addEtherTrailer, dissectEthertypePayload } from './ethertype-dispatch';
import { dissect as dissectData } from './data';

/**
 * Linux "cooked" capture (LINKTYPE_LINUX_SLL 113 and LINKTYPE_LINUX_SLL2 276, tcpdump.org link-type pages):
 * the header libpcap builds for captures on "any" or on devices without a link header. v1 (16 octets):
 * packet type, ARPHRD_ type, address length, 8 octets of address, protocol. v2 (20 octets): protocol,
 * reserved, interface index, ARPHRD_ type, packet type, address length (one octet each), 8 octets of address.
 */

const packetTypes: Record<number, string> = { 0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us' };

/** Linux ARPHRD_* values (include/uapi/linux/if_arp.h) with Wireshark's names. */
const hardwareTypes: Record<number, string> = {
  0: 'NET/ROM pseudo', 1: 'Ethernet', 2: 'Experimental Ethernet', 3: 'AX.25', 4: 'ProNET', 5: 'Chaos', 6: 'IEEE 802', 7: 'ARCNET',
  8: 'Hyperchannel', 9: 'Lanstar', 10: 'Autonet Short Address', 11: 'Localtalk', 12: 'LocalNet', 13: 'Ultra link', 14: 'SMDS',
  15: 'Frame Relay DLCI', 16: 'ATM', 17: 'HDLC', 18: 'Fibre Channel', 19: 'ATM (RFC 2225)', 20: 'Serial Line', 21: 'ATM',
  22: 'MIL-STD-188-220', 23: 'Metricom STRIP', 24: 'IEEE 1394.1995', 25: 'MAPOS', 26: 'Twinaxial', 27: 'EUI-64', 28: 'HIPARP',
  29: 'IP and ARP over ISO 7816-3', 30: 'ARPSec', 31: 'IPsec tunnel', 32: 'InfiniBand', 33: 'TIA-102 Project 25 CAI',
  34: 'Wiegand Interface', 35: 'Pure IP', 36: 'Experimental 1', 37: 'HFI', 256: 'Experimental 2', 257: 'AEthernet',
  260: 'Notional KISS type', 264: 'ADAPT', 270: 'ROSE', 271: 'CCITT X.25', 272: 'Boards with X.25 in firmware',
  280: 'Controller Area Network', 512: 'PPP', 513: 'Cisco HDLC', 516: 'LAPB', 517: "Digital's DDCMP protocol", 518: 'Raw HDLC',
  519: 'Raw IP', 768: 'IPIP tunnel', 769: 'IP6IP6 tunnel', 770: 'Frame Relay Access Device', 771: 'SKIP vif', 772: 'Loopback',
  774: 'Fiber Distributed Data Interface', 775: 'AP1000 BIF', 776: 'sit0 device - IPv6-in-IPv4', 777: 'IP over DDP tunneller',
  778: 'GRE over IP', 779: 'PIMSM register interface', 780: 'High Performance Parallel Interface', 781: 'Nexus 64Mbps Ash',
  782: 'Acorn Econet', 783: 'Linux-IrDA', 784: 'Point to point fibrechannel', 785: 'Fibrechannel arbitrated loop',
  786: 'Fibrechannel public loop', 787: 'Fibrechannel fabric', 800: 'Magic type ident for TR', 801: 'IEEE 802.11',
  802: 'IEEE 802.11 + Prism2 header', 803: 'IEEE 802.11 + radiotap header', 804: 'IEEE 802.15.4',
  805: 'IEEE 802.15.4 network monitor', 820: 'PhoNet media type', 821: 'PhoNet pipe header', 822: 'CAIF media type',
  823: 'GRE over IPv6', 824: 'Netlink', 825: 'IPv6 over LoWPAN', 826: 'Vsock monitor header', 65535: 'Void type, nothing is known',
  65534: 'zero header length',
};

/** Linux ETH_P_* values below 1536 that stand for a framing rather than an ethertype. */
const linuxProtocols: Record<number, string> = {
  0x0001: 'Raw 802.3', 0x0003: 'Ethernet', 0x0004: '802.2 LLC', 0x0007: 'PPP (HDLC)', 0x000c: 'CAN', 0x000d: 'CAN FD',
  0x0017: 'IrDA LAP', 0x00f5: 'ISI', 0x00f6: 'IEEE 802.15.4',
};

/** GRE protocol types (RFC 2784 §2.4 uses ethertypes, plus a few of its own). */
const greTypes: Record<number, string> = {
  0x0000: 'Possible GRE keepalive packet', 0x880b: 'PPP', 0x0800: 'IP', 0x0806: 'ARP', 0x00fe: 'OSI', 0x883e: 'WCCP',
  0x2000: 'CDP (Cisco)', 0x2001: 'NHRP', 0x88be: 'ERSPAN', 0x22eb: 'ERSPAN III', 0x6400: 'MIKROTIK EoIP', 0xfeae: 'AIROHIVE AP AP',
  0x8137: 'IPX', 0x6558: 'Transparent Ethernet bridging', 0x6559: 'Frame Relay', 0x86dd: 'IPv6', 0x8847: 'MPLS label switched packet',
  0x894f: 'Network Service Header', 0x8881: 'CDMA2000 A10 Unstructured byte stream', 0x88d2: 'CDMA2000 A10 3GPP2 Packet',
  0x8909: 'CiscoMetaData', 0xb7ea: 'Huawei GRE bonding', 0x9000: 'ARUBA WLAN',
};

export const fields = defineFields('sll', {
  sll: { id: 'sll', name: 'Linux cooked-mode capture', type: 'protocol' },
  pkttype: { id: 'sll.pkttype', name: 'Packet type', type: 'uint16', base: 'dec', vals: packetTypes },
  hatype: { id: 'sll.hatype', name: 'Link-layer address type', type: 'uint16', base: 'dec', vals: hardwareTypes },
  halen: { id: 'sll.halen', name: 'Link-layer address length', type: 'uint16', base: 'dec' },
  srcEth: { id: 'sll.src.eth', name: 'Source', type: 'ether', description: 'Source link-layer address' },
  srcIpv4: { id: 'sll.src.ipv4', name: 'Source', type: 'ipv4', description: 'Source link-layer address' },
  srcOther: { id: 'sll.src.other', name: 'Source', type: 'bytes', description: 'Source link-layer address' },
  unused: { id: 'sll.unused', name: 'Unused', type: 'bytes', description: 'Unused bytes' },
  ltype: { id: 'sll.ltype', name: 'Protocol', type: 'uint16', base: 'hex', vals: linuxProtocols, description: 'Linux protocol type' },
  gretype: { id: 'sll.gretype', name: 'Protocol', type: 'uint16', base: 'hex', vals: greTypes, description: 'GRE protocol type' },
  etype: { id: 'sll.etype', name: 'Protocol', type: 'uint16', base: 'hex', vals: etypeNames, description: 'Ethernet protocol type' },
  trailer: { id: 'sll.trailer', name: 'Trailer', type: 'bytes' },
  ifindex: { id: 'sll.ifindex', name: 'Interface index', type: 'uint32', base: 'dec' },
});

const ADDR_FIELD_LEN = 8;
const ARPHRD_IPGRE = 778;
/** Protocol values up to this are Linux framing codes, not ethertypes (IEEE 802.3 length range). */
const MAX_802_3_LENGTH = 1500;

/** v1: packet type, ARPHRD type, address length (2 octets each), address (8), protocol (2). */
export function dissectV1(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('SLL');
  const pkttype = view.u16(0);
  pinfo.setInfo(packetTypes[pkttype] ?? `Unknown (${pkttype})`);
  const top = tree.open(fields.sll, view, 0, 16, null, tree.full ? 'Linux cooked capture v1' : undefined);
  tree.add(fields.pkttype, view, 0, 2, pkttype);
  const hatype = view.u16(2);
  tree.add(fields.hatype, view, 2, 2, hatype);
  const halen = view.u16(4);
  tree.add(fields.halen, view, 4, 2, halen);
  addSource(view, 6, halen, pinfo, tree);
  const protocol = view.u16(14);
  addProtocolItem(view, 14, hatype, protocol, tree);
  tree.close();
  return dissectPayload(top, view, 16, hatype, protocol, pinfo, tree);
}

/** v2: protocol (2), reserved (2), interface index (4), ARPHRD type (2), packet type, address length (1 each), address (8). */
export function dissectV2(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('SLL');
  view.ensure(0, 12);
  const pkttype = view.u8(10);
  // Wireshark 4.0 names the packet type in Info from the 16 bits at offset 10 (type and address length
  // together), so a v2 frame's Info reads "Unknown (1030)" where the tree says "Sent by us". Kept for fidelity.
  const infoType = view.u16(10);
  pinfo.setInfo(packetTypes[infoType] ?? `Unknown (${infoType})`);
  const top = tree.open(fields.sll, view, 0, 20, null, tree.full ? 'Linux cooked capture v2' : undefined);
  const protocol = view.u16(0);
  const hatype = view.u16(8);
  addProtocolItem(view, 0, hatype, protocol, tree);
  tree.add(fields.ifindex, view, 4, 4, view.u32(4));
  tree.add(fields.hatype, view, 8, 2, hatype);
  tree.add(fields.pkttype, view, 10, 1, pkttype);
  const halen = view.u8(11);
  tree.add(fields.halen, view, 11, 1, halen);
  addSource(view, 12, halen, pinfo, tree);
  tree.close();
  return dissectPayload(top, view, 20, hatype, protocol, pinfo, tree);
}

/**
 * The 8-octet address field: an Ethernet address when 6 octets are used, an IPv4 address when 4 (whatever the
 * ARPHRD type says, as Wireshark does), else raw bytes; what is left is "Unused". Sets the Source column.
 */
function addSource(view: ByteView, o: number, halen: number, pinfo: PacketInfo, tree: ProtoTree): void {
  view.ensure(o, ADDR_FIELD_LEN);
  let shown = 0;
  if (halen === 6) {
    tree.add(fields.srcEth, view, o, 6, view.bytes(o, 6));
    pinfo.dlSrc.set(AddrKind.Ether, view, o);
    shown = 6;
  } else if (halen === 4) {
    tree.add(fields.srcIpv4, view, o, 4, view.u32(o));
    pinfo.dlSrc.set(AddrKind.IPv4, view, o);
    shown = 4;
  } else if (halen > 0) {
    shown = Math.min(halen, ADDR_FIELD_LEN);
    tree.add(fields.srcOther, view, o, shown, view.bytes(o, shown));
  }
  if (shown < ADDR_FIELD_LEN) tree.add(fields.unused, view, o + shown, ADDR_FIELD_LEN - shown, view.bytes(o + shown, ADDR_FIELD_LEN - shown));
}

/** Adds the protocol item: a GRE type on GRE tunnels, a Linux framing code when small, else an ethertype. */
function addProtocolItem(view: ByteView, o: number, hatype: number, protocol: number, tree: ProtoTree): void {
  if (hatype === ARPHRD_IPGRE) tree.add(fields.gretype, view, o, 2, protocol);
  else if (protocol <= MAX_802_3_LENGTH) tree.add(fields.ltype, view, o, 2, protocol);
  else tree.add(fields.etype, view, o, 2, protocol);
}

function dissectPayload(top: number, view: ByteView, hdrLen: number, hatype: number, protocol: number, pinfo: PacketInfo, tree: ProtoTree): number {
  const payload = view.sub(hdrLen);
  if (hatype === ARPHRD_IPGRE) {
    // Wireshark adds nothing for a GRE type it does not know.
    tables.greProto.tryDissect(protocol, payload, pinfo, tree);
    return view.length;
  }
  if (protocol <= MAX_802_3_LENGTH) {
    if (tables.sllLtype.tryDissect(protocol, payload, pinfo, tree) < 0) dissectData(payload, pinfo, tree);
    return view.length;
  }
  const used = dissectEthertypePayload(protocol, payload, pinfo, tree);
  if (hdrLen + used < view.length) {
    tree.reopen(top);
    addEtherTrailer(view, hdrLen + used, fields.trailer, pinfo, tree);
    tree.close();
  }
  return view.length;
}

export const handle = { abbrev: 'sll', dissect: dissectV1 };
export const handleV2 = { abbrev: 'sll', dissect: dissectV2 };

export function handoff(): void {
  tables.linkType.add(LinkType.LINUX_SLL, handle);
  tables.linkType.add(LinkType.LINUX_SLL2, handleV2);
}
