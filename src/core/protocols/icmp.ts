import { defineFields, textField } from '../dissect/field-registry';
import { RequestPairs } from '../analysis/request-pairs';
import { tables, findDissector, callDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import { AddrKind, type PacketInfo } from '../dissect/packet-info';
import { ReportedBoundsError, type ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { bitPattern, hex } from '../dissect/format';
import { dissect as dissectData } from './data';

/**
 * ICMP for IPv4 (RFC 792), with address mask messages (RFC 950), router discovery (RFC 1256), the extended
 * error format and multi-part extensions (RFC 4884, MPLS objects of RFC 4950) and extended echo (RFC 8335).
 */

const typeNames: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply',
  1: 'Reserved',
  2: 'Reserved',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  6: 'Alternate host address',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  19: 'Reserved (for security)',
  30: 'Traceroute',
  31: 'Datagram Conversion Error',
  32: 'Mobile Host Redirect',
  33: 'IPv6 Where-Are-You',
  34: 'IPv6 I-Am-Here',
  35: 'Mobile Registration Request',
  36: 'Mobile Registration Reply',
  37: 'Domain Name Request',
  38: 'Domain Name Reply',
  39: 'SKIP',
  40: 'Photuris',
  41: 'Experimental mobility protocols',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
};
const UNKNOWN_TYPE = 'Unknown ICMP (obsolete or malformed?)';

/** Code names for the types that have them; other codes of these types show as "Unknown code: N". */
const codeNames: Readonly<Record<number, Readonly<Record<number, string>>>> = {
  3: {
    0: 'Network unreachable',
    1: 'Host unreachable',
    2: 'Protocol unreachable',
    3: 'Port unreachable',
    4: 'Fragmentation needed',
    5: 'Source route failed',
    6: 'Destination network unknown',
    7: 'Destination host unknown',
    8: 'Source host isolated',
    9: 'Network administratively prohibited',
    10: 'Host administratively prohibited',
    11: 'Network unreachable for TOS',
    12: 'Host unreachable for TOS',
    13: 'Communication administratively filtered',
    14: 'Host precedence violation',
    15: 'Precedence cutoff in effect',
  },
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  6: { 0: 'Alternate address for host' },
  9: {},
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
  40: { 0: 'Bad SPI', 1: 'Authentication Failed', 2: 'Decompression Failed', 3: 'Decryption Failed', 4: 'Need Authentication', 5: 'Need Authorization' },
  42: { 0: 'No error' },
  43: { 0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query' },
};
/** Router advertisement codes 0 and 16 are Mobile IP agent advertisements (RFC 5944 §2.1). */
const mobileIpCodes: Readonly<Record<number, string>> = { 0: 'Normal router advertisement', 16: 'Does not route common traffic' };

const checksumStatusNames = { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' };
const extClassNames = { 1: 'MPLS Label Stack Class', 2: 'Interface Information Object', 3: 'Interface Identification Object' };
const interfaceRoleNames = {
  0: 'IP interface upon which datagram arrived',
  1: 'sub-IP component of an IP interface upon which datagram arrived',
  2: 'IP interface through which datagram would be forwarded',
  3: 'IP next-hop to which datagram would be forwarded',
};
const interfaceIdentTypes: Readonly<Record<number, string>> = { 1: 'Identifies Interface By Name', 2: 'Identifies Interface By Index', 3: 'Identifies Interface By Address' };
/** IANA Address Family Numbers, for the RFC 8335 interface identification object. */
const afiNames: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'IPv4',
  2: 'IPv6',
  3: 'NSAP',
  4: 'HDLC (8-bit multidrop)',
  5: 'BBN 1822',
  6: '802 (includes all 802 media plus Ethernet)',
  7: 'E.163',
  8: 'E.164 (SMDS, Frame Relay, ATM)',
  9: 'F.69 (Telex)',
  10: 'X.121 (X.25, Frame Relay)',
  11: 'IPX',
  12: 'Appletalk',
  13: 'Decnet IV',
  14: 'Banyan Vines',
  15: 'E.164 with NSAP subaddress',
  16: 'DNS (Domain Name System)',
  17: 'Distinguished Name',
  18: 'AS Number',
  19: 'XTP over IP version 4',
  20: 'XTP over IP version 6',
  21: 'XTP native mode XTP',
  22: 'Fibre Channel World-Wide Port Name',
  23: 'Fibre Channel World-Wide Node Name',
  24: 'GWID',
  25: 'Layer-2 VPN',
  196: 'Layer-2 VPN (old)',
  26: 'MPLS-TP Section Endpoint Identifier',
  27: 'MPLS-TP LSP Endpoint Identifier',
  28: 'MPLS-TP Pseudowire Endpoint Identifier',
  29: 'MT IP: Multi-Topology IP version 4',
  30: 'MT IPv6: Multi-Topology IP version 6',
  16384: 'EIGRP Common Service Family',
  16385: 'EIGRP IPv4 Service Family',
  16386: 'EIGRP IPv6 Service Family',
  16387: 'LISP Canonical Address Format (LCAF)',
  16388: 'BGP-LS',
  16389: '48-bit MAC Address',
  16390: '64-bit MAC Address',
  16391: 'OUI',
  16392: 'MAC/24',
  16393: 'MAC/40',
  16394: 'IPv6/64',
  16395: 'RBridge Port ID',
  16396: 'TRILL Nickname',
  65535: 'Reserved',
};
const extEchoStateNames = { 0: 'Reserved', 1: 'Incomplete', 2: 'Reachable', 3: 'Stale', 4: 'Delay', 5: 'Probe', 6: 'Failed' };

export const fields = defineFields('icmp', {
  icmp: { id: 'icmp', name: 'Internet Control Message Protocol', type: 'protocol' },
  type: { id: 'icmp.type', name: 'Type', type: 'uint8', base: 'dec' },
  code: { id: 'icmp.code', name: 'Code', type: 'uint8', base: 'dec' },
  checksum: { id: 'icmp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: { id: 'icmp.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', vals: checksumStatusNames },
  unused: { id: 'icmp.unused', name: 'Unused', type: 'bytes' },
  ident: { id: 'icmp.ident', name: 'Identifier (BE)', type: 'uint16', base: 'dec_hex' },
  identLe: { id: 'icmp.ident_le', name: 'Identifier (LE)', type: 'uint16', base: 'dec_hex' },
  seq: { id: 'icmp.seq', name: 'Sequence Number (BE)', type: 'uint16', base: 'dec_hex' },
  seqLe: { id: 'icmp.seq_le', name: 'Sequence Number (LE)', type: 'uint16', base: 'dec_hex' },
  mtu: { id: 'icmp.mtu', name: 'MTU of next hop', type: 'uint16', base: 'dec' },
  numAddrs: { id: 'icmp.num_addrs', name: 'Number of addresses', type: 'uint8', base: 'dec' },
  addrEntrySize: { id: 'icmp.addr_entry_size', name: 'Address entry size', type: 'uint8', base: 'dec' },
  lifetime: { id: 'icmp.lifetime', name: 'Lifetime', type: 'uint16', base: 'dec' },
  pointer: { id: 'icmp.pointer', name: 'Pointer', type: 'uint32', base: 'dec' },
  routerAddress: { id: 'icmp.router_address', name: 'Router address', type: 'ipv4' },
  prefLevel: { id: 'icmp.pref_level', name: 'Preference level', type: 'int32', base: 'dec' },
  originateTimestamp: { id: 'icmp.originate_timestamp', name: 'Originate Timestamp', type: 'uint32', base: 'dec' },
  receiveTimestamp: { id: 'icmp.receive_timestamp', name: 'Receive Timestamp', type: 'uint32', base: 'dec' },
  transmitTimestamp: { id: 'icmp.transmit_timestamp', name: 'Transmit Timestamp', type: 'uint32', base: 'dec' },
  addressMask: { id: 'icmp.address_mask', name: 'Address Mask', type: 'ipv4' },
  redirGw: { id: 'icmp.redir_gw', name: 'Gateway Address', type: 'ipv4' },
  length: { id: 'icmp.length', name: 'Length', type: 'uint8', base: 'dec' },
  lengthOriginal: { id: 'icmp.length.original_datagram', name: 'Length of original datagram', type: 'uint8', base: 'dec' },
  respIn: { id: 'icmp.resp_in', name: 'Response frame', type: 'framenum' },
  noResp: { id: 'icmp.no_resp', name: 'No response seen', type: 'none' },
  respTo: { id: 'icmp.resp_to', name: 'Request frame', type: 'framenum' },
  resptime: { id: 'icmp.resptime', name: 'Response time', type: 'double' },
  dataTime: { id: 'icmp.data_time', name: 'Timestamp from icmp data', type: 'absolute_time', base: 'utc' },
  dataTimeRelative: { id: 'icmp.data_time_relative', name: 'Timestamp from icmp data (relative)', type: 'relative_time' },
  ext: { id: 'icmp.ext', name: 'ICMP Extensions', type: 'none' },
  extVersion: { id: 'icmp.ext.version', name: 'Version', type: 'uint8', base: 'dec' },
  extRes: { id: 'icmp.ext.res', name: 'Reserved', type: 'uint16', base: 'hex', mask: 0x0fff },
  extChecksum: { id: 'icmp.ext.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  extChecksumStatus: { id: 'icmp.ext.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', vals: checksumStatusNames },
  extLength: { id: 'icmp.ext.length', name: 'Length', type: 'uint16', base: 'dec' },
  extClass: { id: 'icmp.ext.class', name: 'Class', type: 'uint8', base: 'dec', vals: extClassNames },
  extCtype: { id: 'icmp.ext.ctype', name: 'C-Type', type: 'uint8', base: 'dec' },
  extData: { id: 'icmp.ext.data', name: 'Data', type: 'bytes' },
  mplsLabel: { id: 'icmp.mpls.label', name: 'Label', type: 'uint24', base: 'dec', mask: 0xfffff0 },
  mplsExp: { id: 'icmp.mpls.exp', name: 'Experimental', type: 'uint24', base: 'dec', mask: 0x0e },
  mplsS: { id: 'icmp.mpls.s', name: 'Stack bit', type: 'boolean', base: 24, mask: 0x01, tfs: ['Set', 'Not set'] },
  mplsTtl: { id: 'icmp.mpls.ttl', name: 'Time to live', type: 'uint8', base: 'dec' },
  reserved: { id: 'icmp.reserved', name: 'Reserved', type: 'bytes' },
  intInfoRole: { id: 'icmp.int_info.role', name: 'Interface Role', type: 'uint8', base: 'dec', mask: 0xc0, vals: interfaceRoleNames },
  intInfoReserved: { id: 'icmp.int_info.reserved', name: 'Reserved', type: 'uint8', base: 'dec', mask: 0x30 },
  intInfoIfindex: { id: 'icmp.int_info.ifindex', name: 'ifIndex', type: 'boolean', base: 8, mask: 0x08 },
  intInfoIpaddr: { id: 'icmp.int_info.ipaddr', name: 'IP Address', type: 'boolean', base: 8, mask: 0x04, tfs: ['Present', 'Not Present'] },
  intInfoNamePresent: { id: 'icmp.int_info.name_present', name: 'Interface Name', type: 'boolean', base: 8, mask: 0x02, tfs: ['Present', 'Not Present'] },
  intInfoMtuPresent: { id: 'icmp.int_info.mtu_present', name: 'MTU', type: 'boolean', base: 8, mask: 0x01, tfs: ['Present', 'Not Present'] },
  intInfoIndex: { id: 'icmp.int_info.index', name: 'Interface Index', type: 'uint32', base: 'dec' },
  intInfoAfi: { id: 'icmp.int_info.afi', name: 'Address Family Identifier', type: 'uint16', base: 'dec' },
  intInfoIpv4: { id: 'icmp.int_info.ipv4', name: 'Source', type: 'ipv4' },
  intInfoIpv6: { id: 'icmp.int_info.ipv6', name: 'Source', type: 'ipv6' },
  intInfoIpunknown: { id: 'icmp.int_info.ipunknown', name: 'Source', type: 'bytes' },
  intInfoNameLength: { id: 'icmp.int_info.name_length', name: 'Name Length', type: 'uint8', base: 'dec' },
  intInfoName: { id: 'icmp.int_info.name', name: 'Name', type: 'string' },
  intInfoMtu: { id: 'icmp.int_info.mtu', name: 'Maximum Transmission Unit', type: 'uint32', base: 'dec' },
  intIdentName: { id: 'icmp.int_ident.name', name: 'Name', type: 'string' },
  intIdentIndex: { id: 'icmp.int_ident.index', name: 'Interface Index', type: 'uint32', base: 'dec' },
  intIdentAfi: { id: 'icmp.int_ident.afi', name: 'Address Family Identifier', type: 'uint16', base: 'dec', vals: afiNames },
  intIdentAddrLength: { id: 'icmp.int_ident.addr_length', name: 'Address Length', type: 'uint8', base: 'dec' },
  intIdentReserved: { id: 'icmp.int_ident.reserved', name: 'Reserved', type: 'bytes' },
  intIdentIpv4: { id: 'icmp.int_ident.ipv4', name: 'Address', type: 'ipv4' },
  intIdentIpv6: { id: 'icmp.int_ident.ipv6', name: 'Address', type: 'ipv6' },
  intIdentAddress: { id: 'icmp.int_ident.address', name: 'Address', type: 'bytes' },
  extEchoSeq: { id: 'icmp.ext.echo.seq', name: 'Sequence Number', type: 'uint8', base: 'dec_hex' },
  extEchoReqRes: { id: 'icmp.ext.echo.req.res', name: 'Reserved', type: 'uint8', base: 'hex', mask: 0xfe },
  extEchoReqLocal: { id: 'icmp.ext.echo.req.local', name: 'Local bit', type: 'boolean', base: 8, mask: 0x01, tfs: ['Set', 'Not set'] },
  extEchoRspState: { id: 'icmp.ext.echo.rsp.state', name: 'State', type: 'uint8', base: 'dec', mask: 0xe0, vals: extEchoStateNames },
  extEchoRspRes: { id: 'icmp.ext.echo.rsp.res', name: 'Reserved', type: 'uint8', base: 'hex', mask: 0x18 },
  extEchoRspActive: { id: 'icmp.ext.echo.rsp.active', name: 'Active bit', type: 'boolean', base: 8, mask: 0x04, tfs: ['Set', 'Not set'] },
  extEchoRspIpv4: { id: 'icmp.ext.echo.rsp.ipv4', name: 'IPv4 bit', type: 'boolean', base: 8, mask: 0x02, tfs: ['Set', 'Not set'] },
  extEchoRspIpv6: { id: 'icmp.ext.echo.rsp.ipv6', name: 'IPv6 bit', type: 'boolean', base: 8, mask: 0x01, tfs: ['Set', 'Not set'] },
});

export const experts = defineExperts('icmp', {
  respNotFound: { id: 'icmp.resp_not_found', summary: 'Response not found', severity: 'warn', group: 'sequence' },
  checksumBad: { id: 'icmp.checksum_bad', summary: 'Bad checksum', severity: 'warn', group: 'checksum' },
  extChecksumBad: { id: 'icmp.ext.checksum_bad', summary: 'Bad checksum', severity: 'warn', group: 'checksum' },
});

const HEADER = 8;
/** RFC 4884 §4: an original datagram followed by extensions is padded to at least 128 octets. */
const ORIGINAL_DATAGRAM_MIN = 128;

/**
 * Echo request/reply pairs (first pass), so every later dissection can show "reply in" / "request in".
 * A reply answers the latest unanswered request between the same two hosts with the same identifier,
 * sequence number and payload (its checksum is the request's plus 0x0800, as only the type changed).
 */
const ECHO_STATE = 'icmp';

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const full = tree.full;
  pinfo.setProtocol('ICMP');
  pinfo.setInfo('');
  const type = view.u8(0);
  const code = view.u8(1);
  // Wireshark reads the RFC 4884 length octet before adding anything: a message shorter than that shows
  // no ICMP items at all.
  view.u8(5);
  let typeText = typeNames[type] ?? UNKNOWN_TYPE;
  let codeText: string | undefined;
  if (type === 9 && mobileIpCodes[code] !== undefined) {
    typeText = 'Mobile IP Advertisement';
    codeText = mobileIpCodes[code];
  } else if (codeNames[type]) {
    codeText = codeNames[type][code] ?? `Unknown code: ${code}`;
  }
  tree.open(fields.icmp, view, 0, -1, null);
  // Info text is made only when the columns are wanted (not in the first pass or for filters).
  if (pinfo.columns) {
    pinfo.setInfo(typeText.padEnd(20));
    if (codeText !== undefined) pinfo.appendInfo(` (${codeText})`);
  }
  tree.add(fields.type, view, 0, 1, type, full ? `Type: ${type} (${typeText})` : undefined);
  tree.add(fields.code, view, 1, 1, code, full && codeText !== undefined ? `Code: ${code} (${codeText})` : undefined);
  addChecksum(view, pinfo, tree);

  switch (type) {
    case 0:
    case 8:
      dissectEcho(view, pinfo, tree, type);
      break;
    case 13:
    case 14:
      addIdentSeq(view, pinfo, tree);
      addTimestamp(tree, view, 8, fields.originateTimestamp);
      addTimestamp(tree, view, 12, fields.receiveTimestamp);
      addTimestamp(tree, view, 16, fields.transmitTimestamp);
      break;
    case 15:
    case 16:
      addIdentSeq(view, pinfo, tree);
      break;
    case 17:
    case 18:
      addIdentSeq(view, pinfo, tree);
      tree.add(fields.addressMask, view, 8, 4, view.u32(8));
      break;
    case 3:
    case 11:
    case 12:
      dissectExtendedError(view, pinfo, tree, type, code);
      break;
    case 4:
      // RFC 792: four unused octets, then the quoted header; Wireshark shows no item for them.
      if (view.reportedLength > HEADER) dissectQuoted(view.sub(HEADER), pinfo, tree);
      break;
    case 5:
      tree.add(fields.redirGw, view, 4, 4, view.u32(4));
      view.u8(HEADER); // a redirect must quote something: an empty one is malformed
      dissectQuoted(view.sub(HEADER), pinfo, tree);
      break;
    case 9:
      dissectRouterAdvertisement(view, pinfo, tree);
      break;
    case 42:
    case 43:
      dissectExtendedEcho(view, pinfo, tree, type);
      break;
    default:
      break;
  }
  tree.close();
  return view.length;
}

/**
 * The Internet checksum over the whole message (RFC 792). It can be verified only when every byte was
 * captured, and is not checked inside an ICMP error (the quote is cut short).
 */
function addChecksum(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  const cks = view.u16(2);
  if (pinfo.inErrorPacket || view.length < view.reportedLength) {
    const why = pinfo.inErrorPacket ? 'in ICMP error packet' : 'fragmented datagram';
    tree.add(fields.checksum, view, 2, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} [unverified] [${why}]` : undefined);
    tree.addGenerated(fields.checksumStatus, view, 2, 0, 2);
    return;
  }
  const sum = onesSum(view, 0, view.length);
  if (sum === 0xffff) {
    tree.add(fields.checksum, view, 2, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} [correct]` : undefined);
    tree.addGenerated(fields.checksumStatus, view, 2, 0, 1);
    return;
  }
  const expected = expectedChecksum(sum, cks);
  tree.open(fields.checksum, view, 2, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} incorrect, should be 0x${hex(expected, 4)}` : undefined);
  addExpert(tree, pinfo, experts.checksumBad, view, 2, 0, `Bad checksum [should be 0x${hex(expected, 4)}]`);
  tree.close();
  tree.addGenerated(fields.checksumStatus, view, 2, 0, 0);
}

/** RFC 1071 one's-complement sum of [offset, offset + length), folded to 16 bits. */
function onesSum(view: ByteView, offset: number, length: number): number {
  let sum = 0;
  let i = 0;
  for (; i + 1 < length; i += 2) sum += view.u16(offset + i);
  if (i < length) sum += view.u8(offset + i) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The checksum field value that would have made `sum` (which included `field`) come out right. */
function expectedChecksum(sum: number, field: number): number {
  // Remove the field from the one's-complement sum, then complement.
  let s = sum + (~field & 0xffff);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

function onesAdd(a: number, b: number): number {
  const s = a + b;
  return (s & 0xffff) + (s >>> 16);
}

/** Identifier and sequence number, shown in both byte orders (senders differ), and the Info summary. */
function addIdentSeq(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const ident = view.u16(4);
  const identLe = view.u16le(4);
  tree.add(fields.ident, view, 4, 2, ident);
  tree.add(fields.identLe, view, 4, 2, identLe);
  const seq = view.u16(6);
  const seqLe = view.u16le(6);
  tree.add(fields.seq, view, 6, 2, seq);
  tree.add(fields.seqLe, view, 6, 2, seqLe);
  // Info text is made only when the columns are wanted (not in the first pass or for filters).
  if (!pinfo.columns) return;
  const ttl = ipTtl(pinfo);
  pinfo.appendInfo(` id=0x${hex(ident, 4)}, seq=${seq}/${seqLe}${ttl >= 0 ? `, ttl=${ttl}` : ''}`);
}

/**
 * TTL of the IPv4 header carrying this message, for the Info column. Protocols do not share headers, but
 * the IPv4 layer records where its source address lies in the frame, and the TTL sits 4 bytes before it
 * (RFC 791 header layout). -1 when the network layer is not IPv4.
 */
function ipTtl(pinfo: PacketInfo): number {
  const src = pinfo.netSrc;
  if (src.kind !== AddrKind.IPv4 || src.at < 4) return -1;
  return src.data[src.at - 4];
}

function dissectEcho(view: ByteView, pinfo: PacketInfo, tree: ProtoTree, type: number): void {
  addIdentSeq(view, pinfo, tree);
  if (!pinfo.inErrorPacket) trackEcho(view, pinfo, tree, type);
  let dataAt = HEADER;
  if (view.remaining(HEADER) >= 8 && addDataTime(view, pinfo, tree)) dataAt += 8;
  if (view.reportedLength > dataAt) dissectData(view.sub(dataAt), pinfo, tree);
}

function trackEcho(view: ByteView, pinfo: PacketInfo, tree: ProtoTree, type: number): void {
  const pairs = pinfo.state.of(ECHO_STATE, () => new RequestPairs(pinfo.state.frameTimes));
  const frame = pinfo.frame;
  if (pinfo.firstPass) {
    const a = pinfo.netSrc.toString();
    const b = pinfo.netDst.toString();
    const cks = view.u16(2);
    // Key on the request's checksum as the reply would carry it, so both sides compute the same key.
    const key = `${a < b ? a : b}|${a < b ? b : a}|${view.u16(4)}|${view.u16(6)}|${type === 8 ? onesAdd(cks, 0x0800) : cks}`;
    if (type === 8) pairs.addRequest(key, frame, pinfo.tsSecs, pinfo.tsNsecs);
    else pairs.addResponse(key, frame, pinfo.tsSecs, pinfo.tsNsecs);
    // The pairs are known only once the pass is over; nothing is shown in it anyway.
    return;
  }
  if (type === 8) {
    const reply = pairs.responseTo(frame);
    if (reply !== 0) {
      tree.addGenerated(fields.respIn, view, 0, 0, reply);
      if (pinfo.columns) pinfo.appendInfo(` (reply in ${reply})`);
    } else {
      tree.open(fields.noResp, view, 0, 0, null, undefined, 1);
      addExpert(tree, pinfo, experts.respNotFound, view, 0, 0, 'No response seen to ICMP request');
      tree.close();
      pinfo.appendInfo(' (no response found!)');
    }
    return;
  }
  const request = pairs.requestOf(frame);
  if (request === 0) return;
  tree.addGenerated(fields.respTo, view, 0, 0, request);
  const ms = pairs.responseMs(frame);
  tree.addGenerated(fields.resptime, view, 0, 0, ms, tree.full ? `[Response time: ${ms.toFixed(3)} ms]` : undefined);
  if (pinfo.columns) pinfo.appendInfo(` (request in ${request})`);
}

/**
 * Many pings put their send time (a struct timeval: seconds, microseconds) first in the payload, in either
 * byte order. Shown when it lies within a day of the capture time and the microseconds are valid.
 */
function addDataTime(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): boolean {
  const plausible = (secs: number, usecs: number) => Math.abs(secs - pinfo.tsSecs) < 86400 && usecs < 1_000_000;
  let secs = view.u32(8);
  let usecs = view.u32(12);
  if (!plausible(secs, usecs)) {
    secs = view.u32le(8);
    usecs = view.u32le(12);
    if (!plausible(secs, usecs)) return false;
  }
  const nsecs = usecs * 1000;
  // The two time items cost an object each: made only when someone records them.
  if (!tree.wants(fields.dataTime) && !tree.wants(fields.dataTimeRelative)) return true;
  tree.add(fields.dataTime, view, 8, 8, { secs, nsecs });
  let dSecs = pinfo.tsSecs - secs;
  let dNsecs = pinfo.tsNsecs - nsecs;
  if (dSecs > 0 && dNsecs < 0) {
    dSecs -= 1;
    dNsecs += 1e9;
  } else if (dSecs < 0 && dNsecs > 0) {
    dSecs += 1;
    dNsecs -= 1e9;
  }
  tree.addGenerated(fields.dataTimeRelative, view, 8, 8, { secs: dSecs, nsecs: dNsecs });
  return true;
}

/** ICMP timestamps are milliseconds since midnight UT (RFC 792); the top bit marks a non-standard value. */
function addTimestamp(tree: ProtoTree, view: ByteView, at: number, field: typeof fields.originateTimestamp): void {
  const raw = view.u32(at);
  if (!tree.full) {
    tree.add(field, view, at, 4, raw);
    return;
  }
  let ms = raw & 0x7fffffff;
  if (ms >= 86_400_000) {
    // Some hosts send it little-endian; if swapping the bytes gives a valid time of day, show that.
    const swapped = (((raw & 0xff) << 24) | ((raw & 0xff00) << 8) | ((raw >>> 8) & 0xff00) | (raw >>> 24)) >>> 0;
    if (swapped < 86_400_000) ms = swapped;
  }
  tree.add(field, view, at, 4, raw, `${field.name}: ${raw} (${durationText(Math.floor(ms / 1000), ms % 1000)} after midnight UTC)`);
}

/** "1 hour, 2 minutes, 3.500 seconds" — Wireshark's way of writing a duration. */
function durationText(totalSecs: number, ms: number): string {
  const parts: string[] = [];
  const days = Math.floor(totalSecs / 86400);
  const hours = Math.floor(totalSecs / 3600) % 24;
  const minutes = Math.floor(totalSecs / 60) % 60;
  const secs = totalSecs % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days) parts.push(unit(days, 'day'));
  if (hours) parts.push(unit(hours, 'hour'));
  if (minutes) parts.push(unit(minutes, 'minute'));
  if (ms) parts.push(`${secs}.${String(ms).padStart(3, '0')} seconds`);
  else if (secs || parts.length === 0) parts.push(unit(secs, 'second'));
  return parts.join(', ');
}

/**
 * Destination unreachable, time exceeded and parameter problem. RFC 4884 puts the length of the quoted
 * datagram (in 32-bit words) in the second octet after the checksum; when it is set, or when a long
 * message quotes a short datagram (the older MPLS draft), multi-part extensions follow the quote.
 */
function dissectExtendedError(view: ByteView, pinfo: PacketInfo, tree: ProtoTree, type: number, code: number): void {
  const words = view.u8(5);
  const fragNeeded = type === 3 && code === 4;
  if (type === 12) tree.add(fields.pointer, view, 4, 1, view.u8(4));
  else if (words !== 0) addUnused(tree, view, 4, 1);
  if (words !== 0) {
    tree.add(fields.length, view, 5, 1, words);
    tree.addGenerated(fields.lengthOriginal, view, 5, 1, words * 4);
  }
  if (fragNeeded) {
    if (words === 0) addUnused(tree, view, 4, 2);
    tree.add(fields.mtu, view, 6, 2, view.u16(6));
  } else if (type === 12) {
    if (words !== 0) addUnused(tree, view, 6, 2);
    else addUnused(tree, view, 5, 3);
  } else if (words !== 0) {
    addUnused(tree, view, 6, 2);
  } else {
    addUnused(tree, view, 4, 4);
  }

  let extAt = -1;
  if (view.reportedLength > HEADER + ORIGINAL_DATAGRAM_MIN) {
    if (words !== 0) extAt = HEADER + words * 4;
    else if (view.u16(HEADER + 2) <= ORIGINAL_DATAGRAM_MIN) extAt = HEADER + ORIGINAL_DATAGRAM_MIN;
  }
  if (view.reportedLength > HEADER) {
    const quoted = extAt >= 0 ? view.sub(HEADER, Math.min(extAt - HEADER, view.length - HEADER), extAt - HEADER) : view.sub(HEADER);
    dissectQuoted(quoted, pinfo, tree);
  }
  if (extAt >= 0) dissectExtensions(view, extAt, pinfo, tree);
}

function addUnused(tree: ProtoTree, view: ByteView, at: number, n: number): void {
  view.ensure(at, n);
  if (tree.wants(fields.unused)) tree.add(fields.unused, view, at, n, view.bytes(at, n));
}

/**
 * The datagram that caused the error, dissected by IP with the columns frozen. A quote cut short by the
 * sender is normal, so running out of its bytes ends it silently; bytes lost to the capture's snapshot
 * length still show as a truncated packet.
 */
function dissectQuoted(quoted: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const ip = findDissector('ip');
  if (!ip) {
    dissectData(quoted, pinfo, tree);
    return;
  }
  const saved = pinfo.inErrorPacket;
  const savedProto = pinfo.ipProto;
  const savedFragmented = pinfo.fragmented;
  const depth = tree.openDepth;
  pinfo.inErrorPacket = true;
  try {
    callDissector(ip, quoted, pinfo, tree);
  } catch (e) {
    if (!(e instanceof ReportedBoundsError)) throw e;
    tree.closeTo(depth);
  } finally {
    pinfo.inErrorPacket = saved;
    pinfo.ipProto = savedProto;
    pinfo.fragmented = savedFragmented;
  }
}

/** RFC 4884 §7 extension structure: a version/checksum header, then objects of (length, class, c-type). */
function dissectExtensions(view: ByteView, at: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  const b0 = view.u8(at);
  const version = b0 >> 4;
  const end = view.length;
  const supported = version === 1 || version === 2;
  tree.open(fields.ext, view, at, end - at, null, full ? `ICMP Multi-Part Extensions${supported ? '' : ' (unsupported version)'}` : undefined);
  tree.add(fields.extVersion, view, at, 1, version);
  const res = view.u16(at) & 0x0fff;
  tree.add(fields.extRes, view, at, 2, res, full ? `.... ${bits12(res)} = Reserved: 0x${hex(res, 3)}` : undefined);
  const cks = view.u16(at + 2);
  if (cks === 0) {
    tree.add(fields.extChecksum, view, at + 2, 2, cks, full ? '[Checksum: [missing]]' : undefined, 1);
    tree.add(fields.extChecksumStatus, view, at + 2, 2, 3, undefined, 1);
  } else {
    const sum = onesSum(view, at, end - at);
    if (sum === 0xffff) {
      tree.add(fields.extChecksum, view, at + 2, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} [correct]` : undefined);
      tree.addGenerated(fields.extChecksumStatus, view, at + 2, 0, 1);
    } else {
      const expected = expectedChecksum(sum, cks);
      tree.open(fields.extChecksum, view, at + 2, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} incorrect, should be 0x${hex(expected, 4)}` : undefined);
      addExpert(tree, pinfo, experts.extChecksumBad, view, at + 2, 0, `Bad checksum [should be 0x${hex(expected, 4)}]`);
      tree.close();
      tree.addGenerated(fields.extChecksumStatus, view, at + 2, 0, 0);
    }
  }
  if (supported) {
    let o = at + 4;
    // Each object is at least its 4-byte header; the loop ends at the end of the message.
    while (o + 4 <= end) {
      const len = view.u16(o);
      const cls = view.u8(o + 2);
      const ctype = view.u8(o + 3);
      if (len < 4) break;
      const objLen = Math.min(len, end - o);
      const isMpls = cls === 1 && ctype === 1;
      const title = isMpls ? 'MPLS Stack Entry' : cls === 2 ? 'Interface Information Object' : cls === 3 ? 'Interface Identification Object' : `Unknown object (${cls}/${ctype})`;
      tree.open(textField, view, o, objLen, null, full ? title : undefined);
      tree.add(fields.extLength, view, o, 2, len);
      tree.add(fields.extClass, view, o + 2, 1, cls);
      const body = view.sub(o, objLen, objLen);
      if (cls === 2) dissectInterfaceInformation(body, ctype, tree);
      else if (cls === 3) dissectInterfaceIdentification(body, ctype, tree);
      else {
        tree.add(fields.extCtype, view, o + 3, 1, ctype);
        // Wireshark lists the C-Type twice for an MPLS object of a type it does not know.
        if (cls === 1 && !isMpls) tree.add(fields.extCtype, view, o + 3, 1, ctype);
        if (isMpls) for (let e = o + 4; e + 4 <= o + objLen; e += 4) addMplsEntry(view, e, tree);
        else if (objLen > 4) tree.add(fields.extData, view, o + 4, objLen - 4, view.bytes(o + 4, objLen - 4));
      }
      tree.close();
      o += len;
    }
  }
  tree.close();
}

/**
 * RFC 5837 §4.1 interface information object: the C-Type octet is a role and flags saying which
 * sub-objects follow, in order: ifIndex, IP address, name, MTU.
 */
function dissectInterfaceInformation(obj: ByteView, ctype: number, tree: ProtoTree): void {
  const full = tree.full;
  const role = ctype >> 6;
  const present: string[] = [];
  if (ctype & 0x08) present.push('ifIndex');
  if (ctype & 0x04) present.push('IP Address');
  if (ctype & 0x02) present.push('Interface Name');
  if (ctype & 0x01) present.push('MTU');
  const roleText = interfaceRoleNames[role as keyof typeof interfaceRoleNames];
  tree.open(fields.extCtype, obj, 3, 1, ctype, full ? `C-Type: ${ctype}, Interface Role: ${roleText}${present.map((p) => ', ' + p).join('')}` : undefined);
  tree.add(fields.intInfoRole, obj, 3, 1, role);
  tree.add(fields.intInfoReserved, obj, 3, 1, (ctype >> 4) & 3);
  tree.add(fields.intInfoIfindex, obj, 3, 1, (ctype & 0x08) !== 0);
  tree.add(fields.intInfoIpaddr, obj, 3, 1, (ctype & 0x04) !== 0);
  tree.add(fields.intInfoNamePresent, obj, 3, 1, (ctype & 0x02) !== 0);
  tree.add(fields.intInfoMtuPresent, obj, 3, 1, (ctype & 0x01) !== 0);
  tree.close();
  let o = 4;
  if (ctype & 0x08) {
    tree.add(fields.intInfoIndex, obj, o, 4, obj.u32(o));
    o += 4;
  }
  if (ctype & 0x04) {
    const afi = obj.u16(o);
    const addrLen = afi === 1 ? 4 : afi === 2 ? 16 : 0;
    tree.open(textField, obj, o, 4 + addrLen, null, full ? 'IP Address Sub-Object' : undefined);
    tree.add(fields.intInfoAfi, obj, o, 2, afi);
    tree.add(fields.reserved, obj, o + 2, 2, obj.bytes(o + 2, 2));
    if (afi === 1) tree.add(fields.intInfoIpv4, obj, o + 4, 4, obj.u32(o + 4));
    else if (afi === 2) tree.add(fields.intInfoIpv6, obj, o + 4, 16, obj.bytes(o + 4, 16));
    tree.close();
    o += 4 + addrLen;
  }
  if (ctype & 0x02) {
    // The length octet counts itself; the name is padded with NULs to a 4-octet boundary.
    const nameLen = obj.u8(o);
    tree.open(textField, obj, o, nameLen, null, full ? 'Interface Name Sub-Object' : undefined);
    tree.add(fields.intInfoNameLength, obj, o, 1, nameLen);
    if (nameLen > 1) tree.add(fields.intInfoName, obj, o + 1, nameLen - 1, cString(obj, o + 1, nameLen - 1));
    tree.close();
    o += Math.max(nameLen, 1);
  }
  if (ctype & 0x01) tree.add(fields.intInfoMtu, obj, o, 4, obj.u32(o));
}

/** RFC 8335 §2.1 interface identification object: by name, by index or by address. */
function dissectInterfaceIdentification(obj: ByteView, ctype: number, tree: ProtoTree): void {
  const what = interfaceIdentTypes[ctype];
  tree.add(fields.extCtype, obj, 3, 1, ctype, tree.full && what ? `C-Type: ${ctype} (${what})` : undefined);
  const len = obj.length;
  if (ctype === 1) {
    if (len > 4) tree.add(fields.intIdentName, obj, 4, len - 4, cString(obj, 4, len - 4));
  } else if (ctype === 2) {
    tree.add(fields.intIdentIndex, obj, 4, 4, obj.u32(4));
  } else if (ctype === 3) {
    const afi = obj.u16(4);
    const addrLen = obj.u8(6);
    tree.add(fields.intIdentAfi, obj, 4, 2, afi);
    tree.add(fields.intIdentAddrLength, obj, 6, 1, addrLen);
    tree.add(fields.intIdentReserved, obj, 7, 1, obj.bytes(7, 1));
    if (afi === 1 && addrLen === 4) tree.add(fields.intIdentIpv4, obj, 8, 4, obj.u32(8));
    else if (afi === 2 && addrLen === 16) tree.add(fields.intIdentIpv6, obj, 8, 16, obj.bytes(8, 16));
    else if (addrLen > 0) tree.add(fields.intIdentAddress, obj, 8, addrLen, obj.bytes(8, addrLen));
  }
}

/** Text of a NUL-padded field (the name ends at the first NUL). */
function cString(view: ByteView, at: number, n: number): string {
  let end = 0;
  while (end < n && view.u8(at + end) !== 0) end++;
  return view.ascii(at, end);
}

/** One RFC 4950 label stack entry: label (20 bits), traffic class (3), bottom of stack (1), TTL (8). */
function addMplsEntry(view: ByteView, at: number, tree: ProtoTree): void {
  const word = view.u32(at);
  const label = word >>> 12;
  const exp = (word >>> 9) & 7;
  const s = (word >>> 8) & 1;
  const ttl = word & 0xff;
  tree.open(textField, view, at, 4, null, tree.full ? `Label: ${label}, Exp: ${exp}, S: ${s}, TTL: ${ttl}` : undefined);
  tree.add(fields.mplsLabel, view, at, 3, label);
  tree.add(fields.mplsExp, view, at + 2, 1, exp);
  tree.add(fields.mplsS, view, at + 2, 1, s === 1);
  tree.add(fields.mplsTtl, view, at + 3, 1, ttl);
  tree.close();
}

/** RFC 1256 §3: count, entry size (in words, 2 for address + preference), lifetime, then the entries. */
function dissectRouterAdvertisement(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const count = view.u8(4);
  const entrySize = view.u8(5);
  const lifetime = view.u16(6);
  tree.add(fields.numAddrs, view, 4, 1, count);
  tree.add(fields.addrEntrySize, view, 5, 1, entrySize);
  tree.add(fields.lifetime, view, 6, 2, lifetime, tree.full ? `Lifetime: ${lifetime} (${durationText(lifetime, 0)})` : undefined);
  if (entrySize !== 2) {
    if (view.reportedLength > HEADER) dissectData(view.sub(HEADER), pinfo, tree);
    return;
  }
  for (let i = 0, o = HEADER; i < count; i++, o += 8) {
    tree.add(fields.routerAddress, view, o, 4, view.u32(o));
    tree.add(fields.prefLevel, view, o + 4, 4, view.u32(o + 4) | 0);
  }
}

/** RFC 8335 §2 and §3: identifier, sequence number (8 bits) and the request's L bit or the reply's state. */
function dissectExtendedEcho(view: ByteView, pinfo: PacketInfo, tree: ProtoTree, type: number): void {
  tree.add(fields.ident, view, 4, 2, view.u16(4));
  tree.add(fields.identLe, view, 4, 2, view.u16le(4));
  tree.add(fields.extEchoSeq, view, 6, 1, view.u8(6));
  const b = view.u8(7);
  if (type === 42) {
    tree.add(fields.extEchoReqRes, view, 7, 1, b >> 1);
    tree.add(fields.extEchoReqLocal, view, 7, 1, (b & 1) !== 0);
    // The request names the interface to probe in an extension structure right after the header.
    if (view.reportedLength > HEADER) dissectExtensions(view, HEADER, pinfo, tree);
  } else {
    tree.add(fields.extEchoRspState, view, 7, 1, b >> 5);
    const res = (b >> 3) & 3;
    // Wireshark prints this 2-bit field with one hex digit.
    tree.add(fields.extEchoRspRes, view, 7, 1, res, tree.full ? `${bitPattern(fields.extEchoRspRes, res)} = Reserved: 0x${res.toString(16)}` : undefined);
    tree.add(fields.extEchoRspActive, view, 7, 1, (b & 4) !== 0);
    tree.add(fields.extEchoRspIpv4, view, 7, 1, (b & 2) !== 0);
    tree.add(fields.extEchoRspIpv6, view, 7, 1, (b & 1) !== 0);
  }
}

function bits12(v: number): string {
  const b = v.toString(2).padStart(12, '0');
  return `${b.slice(0, 4)} ${b.slice(4, 8)} ${b.slice(8, 12)}`;
}

export const handle = { abbrev: 'icmp', dissect };

export function handoff(): void {
  tables.ipProto.add(1, handle);
}
