import { defineFields, type FieldInfo } from '../dissect/field-registry';
import { tables, findDissector, callDissector, registerDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import { AddrKind, type PacketInfo } from '../dissect/packet-info';
import { tapAddresses } from '../dissect/taps';
import { ByteView } from '../dissect/byte-view';
import { ITEM_HIDDEN, type ProtoTree } from '../dissect/proto-tree';
import { bitPattern, formatIPv6, hex } from '../dissect/format';
import { LinkType } from '../capture/link-types';
import { ipProtoNames } from './values/ipproto';
import { dscpNames, dscpShort, ecnNames, ecnShort } from './values/dsfield';
import { dissect as dissectData } from './data';
import { ipv6FragmentKey, ipv6Reassembly, reassembleFragment, reassemblyState } from '../analysis/ip-reassembly';

/**
 * Internet Protocol version 6 (RFC 8200) and its extension headers: Hop-by-Hop and Destination Options
 * (§4.3, §4.6, options §4.2), Routing (§4.4; type 0 RFC 5095, type 2 RFC 6275, type 3 RFC 6554, type 4
 * RFC 8754) and Fragment (§4.5). AH (RFC 4302) sits in the chain too; its own dissector draws it.
 */

/** Option types (RFC 8200 §4.2 and the IANA registry) with Wireshark's names. */
const optTypeNames: Readonly<Record<number, string>> = {
  0x00: 'Pad1', 0x01: 'PadN', 0x04: 'Tunnel Encapsulation Limit', 0x05: 'Router Alert', 0x07: 'CALIPSO', 0x08: 'SMF_DPD',
  0x0f: 'Performance and Diagnostic Metrics', 0x1e: 'Experimental (0x1E)', 0x26: 'Quick-Start', 0x30: 'Path MTU Option',
  0x31: 'IOAM Option', 0x3e: 'Experimental (0x3E)', 0x41: 'Tunnel Payload Forwarding (TPF) Information',
  0x5e: 'Experimental (0x5E)', 0x63: 'RPL Option', 0x6d: 'MPL Option', 0x7e: 'Experimental (0x7E)',
  0x8a: 'Endpoint Identification', 0x8b: 'ILNP Nonce', 0x8c: 'Line-Identification Option', 0x9e: 'Experimental (0x9E)',
  0xbe: 'Experimental (0xBE)', 0xc2: 'Jumbo Payload', 0xc9: 'Home Address', 0xde: 'Experimental (0xDE)', 0xee: 'IP_DFF',
  0xfe: 'Experimental (0xFE)',
};
const EXPERIMENTAL_OPTS = new Set([0x1e, 0x3e, 0x5e, 0x7e, 0x9e, 0xbe, 0xde, 0xfe]);

const routingTypeNames: Readonly<Record<number, string>> = {
  0: 'Source Route', 1: 'Nimrod', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing',
  5: 'Compact Routing Header 16', 6: 'Compact Routing Header 32', 253: 'Experiment 1', 254: 'Experiment 2',
};

export const fields = defineFields('ipv6', {
  ipv6: { id: 'ipv6', name: 'Internet Protocol Version 6', type: 'protocol' },
  version: { id: 'ipv6.version', name: 'Version', type: 'uint8', base: 'dec' },
  tclass: { id: 'ipv6.tclass', name: 'Traffic Class', type: 'uint32', base: 'hex', mask: 0x0ff00000 },
  dscp: { id: 'ipv6.tclass.dscp', name: 'Differentiated Services Codepoint', type: 'uint32', base: 'dec', mask: 0x0fc00000, vals: dscpNames },
  ecn: { id: 'ipv6.tclass.ecn', name: 'Explicit Congestion Notification', type: 'uint32', base: 'dec', mask: 0x00300000, vals: ecnNames },
  flow: { id: 'ipv6.flow', name: 'Flow Label', type: 'uint24', base: 'hex', mask: 0xfffff },
  plen: { id: 'ipv6.plen', name: 'Payload Length', type: 'uint16', base: 'dec' },
  nxt: { id: 'ipv6.nxt', name: 'Next Header', type: 'uint8', base: 'dec', vals: ipProtoNames },
  hlim: { id: 'ipv6.hlim', name: 'Hop Limit', type: 'uint8', base: 'dec' },
  src: { id: 'ipv6.src', name: 'Source Address', type: 'ipv6', description: 'Source IPv6 Address' },
  srcHost: { id: 'ipv6.src_host', name: 'Source Host', type: 'string' },
  dst: { id: 'ipv6.dst', name: 'Destination Address', type: 'ipv6', description: 'Destination IPv6 Address' },
  dstHost: { id: 'ipv6.dst_host', name: 'Destination Host', type: 'string' },
  addr: { id: 'ipv6.addr', name: 'Source or Destination Address', type: 'ipv6' },
  host: { id: 'ipv6.host', name: 'Source or Destination Host', type: 'string' },
  // What an address embeds (RFC 4291 App. A SLAAC, RFC 5214 ISATAP, RFC 3056 6to4, RFC 4380 Teredo, RFC 6052).
  srcSlaacMac: { id: 'ipv6.src_slaac_mac', name: 'Source SLAAC MAC', type: 'ether' },
  dstSlaacMac: { id: 'ipv6.dst_slaac_mac', name: 'Destination SLAAC MAC', type: 'ether' },
  slaacMac: { id: 'ipv6.slaac_mac', name: 'SLAAC MAC', type: 'ether' },
  srcIsatap: { id: 'ipv6.src_isatap_ipv4', name: 'Source ISATAP IPv4', type: 'ipv4' },
  dstIsatap: { id: 'ipv6.dst_isatap_ipv4', name: 'Destination ISATAP IPv4', type: 'ipv4' },
  isatap: { id: 'ipv6.isatap_ipv4', name: 'ISATAP IPv4', type: 'ipv4' },
  src6to4Gw: { id: 'ipv6.src_6to4_gw_ipv4', name: 'Source 6to4 Gateway IPv4', type: 'ipv4' },
  dst6to4Gw: { id: 'ipv6.dst_6to4_gw_ipv4', name: 'Destination 6to4 Gateway IPv4', type: 'ipv4' },
  gw6to4: { id: 'ipv6.6to4_gw_ipv4', name: '6to4 Gateway IPv4', type: 'ipv4' },
  src6to4Sla: { id: 'ipv6.src_6to4_sla_id', name: 'Source 6to4 SLA ID', type: 'uint16', base: 'dec' },
  dst6to4Sla: { id: 'ipv6.dst_6to4_sla_id', name: 'Destination 6to4 SLA ID', type: 'uint16', base: 'dec' },
  sla6to4: { id: 'ipv6.6to4_sla_id', name: '6to4 SLA ID', type: 'uint16', base: 'dec' },
  srcTeredoServer: { id: 'ipv6.src_ts_ipv4', name: 'Source Teredo Server IPv4', type: 'ipv4' },
  dstTeredoServer: { id: 'ipv6.dst_ts_ipv4', name: 'Destination Teredo Server IPv4', type: 'ipv4' },
  teredoServer: { id: 'ipv6.ts_ipv4', name: 'Teredo Server IPv4', type: 'ipv4' },
  srcTeredoPort: { id: 'ipv6.src_tc_port', name: 'Source Teredo Port', type: 'uint16', base: 'dec' },
  dstTeredoPort: { id: 'ipv6.dst_tc_port', name: 'Destination Teredo Port', type: 'uint16', base: 'dec' },
  teredoPort: { id: 'ipv6.tc_port', name: 'Teredo Port', type: 'uint16', base: 'dec' },
  srcTeredoClient: { id: 'ipv6.src_tc_ipv4', name: 'Source Teredo Client IPv4', type: 'ipv4' },
  dstTeredoClient: { id: 'ipv6.dst_tc_ipv4', name: 'Destination Teredo Client IPv4', type: 'ipv4' },
  teredoClient: { id: 'ipv6.tc_ipv4', name: 'Teredo Client IPv4', type: 'ipv4' },
  embedPrefix: { id: 'ipv6.embed_ipv4_prefix', name: 'Embedded IPv4 Prefix', type: 'bytes' },
  srcEmbed: { id: 'ipv6.src_embed_ipv4', name: 'Source Embedded IPv4', type: 'ipv4' },
  dstEmbed: { id: 'ipv6.dst_embed_ipv4', name: 'Destination Embedded IPv4', type: 'ipv4' },
  embed: { id: 'ipv6.embed_ipv4', name: 'Embedded IPv4', type: 'ipv4' },
  // Options of the Hop-by-Hop and Destination Options headers (RFC 8200 §4.2).
  opt: { id: 'ipv6.opt', name: 'IPv6 Option', type: 'none' },
  optType: { id: 'ipv6.opt.type', name: 'Type', type: 'uint8', base: 'hex', vals: optTypeNames },
  optAction: { id: 'ipv6.opt.type.action', name: 'Action', type: 'uint8', base: 'dec', mask: 0xc0, vals: { 0: 'Skip and continue', 1: 'Discard', 2: 'Discard and send ICMP Parameter Problem', 3: 'Discard and send ICMP if not multicast' } },
  optChange: { id: 'ipv6.opt.type.change', name: 'May Change', type: 'boolean', base: 8, mask: 0x20, tfs: ['Yes', 'No'] },
  optRest: { id: 'ipv6.opt.type.rest', name: 'Low-Order Bits', type: 'uint8', base: 'hex', mask: 0x1f },
  optLength: { id: 'ipv6.opt.length', name: 'Length', type: 'uint8', base: 'dec' },
  pad1: { id: 'ipv6.opt.pad1', name: 'Pad1', type: 'none' },
  padn: { id: 'ipv6.opt.padn', name: 'PadN', type: 'bytes' },
  routerAlert: { id: 'ipv6.opt.router_alert', name: 'Router Alert', type: 'uint16', base: 'dec', vals: { 0: 'MLD', 1: 'RSVP', 2: 'Active Network' } },
  tel: { id: 'ipv6.opt.tel', name: 'Tunnel Encapsulation Limit', type: 'uint8', base: 'dec' },
  jumbo: { id: 'ipv6.opt.jumbo', name: 'Payload Length', type: 'uint32', base: 'dec' },
  homeAddress: { id: 'ipv6.opt.mipv6.home_address', name: 'MIPv6 Home Address', type: 'ipv6' },
  pmtuMin: { id: 'ipv6.opt.pmtu.min', name: 'Minimum Reported PMTU', type: 'uint16', base: 'dec' },
  pmtuRtn: { id: 'ipv6.opt.pmtu.rtn', name: 'Return Minimum PMTU', type: 'uint16', base: 'dec' },
  pmtuRFlag: { id: 'ipv6.opt.pmtu.r_flag', name: 'Return Flag', type: 'boolean' },
  rplFlag: { id: 'ipv6.opt.rpl.flag', name: 'Flag', type: 'uint8', base: 'hex' },
  rplFlagO: { id: 'ipv6.opt.rpl.flag.o', name: 'Down', type: 'boolean', base: 8, mask: 0x80 },
  rplFlagR: { id: 'ipv6.opt.rpl.flag.r', name: 'Rank Error', type: 'boolean', base: 8, mask: 0x40 },
  rplFlagF: { id: 'ipv6.opt.rpl.flag.f', name: 'Forwarding Error', type: 'boolean', base: 8, mask: 0x20 },
  rplFlagRsv: { id: 'ipv6.opt.rpl.flag.rsv', name: 'Reserved', type: 'uint8', base: 'hex', mask: 0x1f },
  rplInstance: { id: 'ipv6.opt.rpl.instance_id', name: 'RPLInstanceID', type: 'uint8', base: 'hex' },
  rplSenderRank: { id: 'ipv6.opt.rpl.sender_rank', name: 'Sender Rank', type: 'uint16', base: 'hex' },
  tpf: { id: 'ipv6.opt.tpf_information', name: 'TPF Information', type: 'uint32', base: 'hex' },
  ilnpNonce: { id: 'ipv6.opt.ilnp_nonce', name: 'ILNP Nonce', type: 'bytes' },
  experimental: { id: 'ipv6.opt.experimental', name: 'Experimental Option', type: 'bytes' },
  optUnknownData: { id: 'ipv6.opt_unknown_data', name: 'Unknown Data', type: 'bytes' },
  optUnknown: { id: 'ipv6.opt.unknown', name: 'Unknown Option Payload', type: 'bytes' },
});

/** `ip.version` is also set by IPv6, so that "ip.version == 6" matches (Wireshark does the same). */
const ipFields = defineFields('ip', {
  version: { id: 'ip.version', name: 'Version', type: 'uint8', base: 'dec' },
});

export const hopoptsFields = defineFields('ipv6.hopopts', {
  hopopts: { id: 'ipv6.hopopts', name: 'IPv6 Hop-by-Hop Option', type: 'protocol' },
  nxt: { id: 'ipv6.hopopts.nxt', name: 'Next Header', type: 'uint8', base: 'dec', vals: ipProtoNames },
  len: { id: 'ipv6.hopopts.len', name: 'Length', type: 'uint8', base: 'dec', description: 'Extension header length in 8-octet words (minus 1)' },
  lenOct: { id: 'ipv6.hopopts.len_oct', name: 'Length', type: 'uint16', base: 'dec', description: 'Extension header length in octets' },
});

export const dstoptsFields = defineFields('ipv6.dstopts', {
  dstopts: { id: 'ipv6.dstopts', name: 'Destination Options for IPv6', type: 'protocol' },
  nxt: { id: 'ipv6.dstopts.nxt', name: 'Next Header', type: 'uint8', base: 'dec', vals: ipProtoNames },
  len: { id: 'ipv6.dstopts.len', name: 'Length', type: 'uint8', base: 'dec', description: 'Extension header length in 8-octet words (minus 1)' },
  lenOct: { id: 'ipv6.dstopts.len_oct', name: 'Length', type: 'uint16', base: 'dec', description: 'Extension header length in octets' },
});

export const routingFields = defineFields('ipv6.routing', {
  routing: { id: 'ipv6.routing', name: 'Routing Header for IPv6', type: 'protocol' },
  nxt: { id: 'ipv6.routing.nxt', name: 'Next Header', type: 'uint8', base: 'dec', vals: ipProtoNames },
  len: { id: 'ipv6.routing.len', name: 'Length', type: 'uint8', base: 'dec', description: 'Extension header length in 8-octet words (minus 1)' },
  lenOct: { id: 'ipv6.routing.len_oct', name: 'Length', type: 'uint16', base: 'dec', description: 'Extension header length in octets' },
  type: { id: 'ipv6.routing.type', name: 'Type', type: 'uint8', base: 'dec', vals: routingTypeNames },
  segleft: { id: 'ipv6.routing.segleft', name: 'Segments Left', type: 'uint8', base: 'dec' },
  unknownData: { id: 'ipv6.routing.unknown_data', name: 'Type-Specific Data', type: 'bytes' },
  srcReserved: { id: 'ipv6.routing.src.reserved', name: 'Reserved', type: 'bytes' },
  srcAddr: { id: 'ipv6.routing.src.addr', name: 'Address', type: 'ipv6' },
  mipv6Reserved: { id: 'ipv6.routing.mipv6.reserved', name: 'Reserved', type: 'bytes' },
  mipv6HomeAddress: { id: 'ipv6.routing.mipv6.home_address', name: 'Home Address', type: 'ipv6' },
  rplCmprI: { id: 'ipv6.routing.rpl.cmprI', name: 'Compressed Internal Octets (CmprI)', type: 'uint32', base: 'dec', mask: 0xf0000000 },
  rplCmprE: { id: 'ipv6.routing.rpl.cmprE', name: 'Compressed Final Octets (CmprE)', type: 'uint32', base: 'dec', mask: 0x0f000000 },
  rplPad: { id: 'ipv6.routing.rpl.pad', name: 'Padding Bytes', type: 'uint32', base: 'dec', mask: 0x00f00000 },
  rplReserved: { id: 'ipv6.routing.rpl.reserved', name: 'Reserved', type: 'uint32', base: 'dec', mask: 0x000fffff },
  rplAddrCount: { id: 'ipv6.routing.rpl.addr_count', name: 'Total Address Count', type: 'int32', base: 'dec' },
  rplAddress: { id: 'ipv6.routing.rpl.address', name: 'Address', type: 'bytes' },
  rplFullAddress: { id: 'ipv6.routing.rpl.full_address', name: 'Full Address', type: 'ipv6' },
  srhLastEntry: { id: 'ipv6.routing.srh.last_entry', name: 'Last Entry', type: 'uint8', base: 'dec' },
  srhFlags: { id: 'ipv6.routing.srh.flags', name: 'Flags', type: 'uint8', base: 'hex' },
  srhTag: { id: 'ipv6.routing.srh.tag', name: 'Tag', type: 'bytes' },
  srhAddr: { id: 'ipv6.routing.srh.addr', name: 'Address', type: 'ipv6' },
});

export const fraghdrFields = defineFields('ipv6.fraghdr', {
  fraghdr: { id: 'ipv6.fraghdr', name: 'Fragment Header for IPv6', type: 'protocol' },
  nxt: { id: 'ipv6.fraghdr.nxt', name: 'Next header', type: 'uint8', base: 'dec', vals: ipProtoNames },
  reservedOctet: { id: 'ipv6.fraghdr.reserved_octet', name: 'Reserved octet', type: 'uint8', base: 'hex' },
  offset: { id: 'ipv6.fraghdr.offset', name: 'Offset', type: 'uint16', base: 'dec', mask: 0xfff8 },
  reservedBits: { id: 'ipv6.fraghdr.reserved_bits', name: 'Reserved bits', type: 'uint16', base: 'dec', mask: 0x0006 },
  more: { id: 'ipv6.fraghdr.more', name: 'More Fragments', type: 'boolean', base: 16, mask: 0x0001, tfs: ['Yes', 'No'] },
  ident: { id: 'ipv6.fraghdr.ident', name: 'Identification', type: 'uint32', base: 'hex' },
});

export const experts = defineExperts('ipv6', {
  bogusVersion: { id: 'ipv6.bogus_ipv6_version', summary: 'Bogus IP version', severity: 'error', group: 'malformed' },
  invalidHeader: { id: 'ipv6.invalid_header', summary: 'Invalid IPv6 header', severity: 'error', group: 'malformed' },
  plenExceedsFraming: { id: 'ipv6.plen_exceeds_framing', summary: 'IPv6 payload length does not match expected framing length', severity: 'warn', group: 'protocol' },
  plenZero: { id: 'ipv6.plen_zero', summary: 'IPv6 payload length equals 0 (maybe because of "TCP segmentation offload" (TSO))', severity: 'chat', group: 'protocol' },
  jumboMissing: { id: 'ipv6.opt.jumbo.missing', summary: 'IPv6 payload length equals 0 and Hop-By-Hop present and Jumbo Payload option missing', severity: 'error', group: 'malformed' },
  jumboProhibited: { id: 'ipv6.opt.jumbo.prohibited', summary: 'When IPv6 payload length does not equal 0 a Jumbo Payload option must not be present', severity: 'warn', group: 'protocol' },
  jumboFragment: { id: 'ipv6.opt.jumbo.fragment', summary: 'Jumbo Payload option cannot be used with a fragment header', severity: 'warn', group: 'protocol' },
  optInvalidLen: { id: 'ipv6.opt.invalid_len', summary: 'Invalid IPv6 option length', severity: 'error', group: 'malformed' },
  optUnknownData: { id: 'ipv6.opt.unknown_data.expert', summary: 'Unknown Data (not interpreted)', severity: 'note', group: 'undecoded' },
  optHeaderMismatch: { id: 'ipv6.opt.header_mismatch', summary: 'Wrong options extension header for type', severity: 'warn', group: 'protocol' },
  hopoptsNotFirst: { id: 'ipv6.hopopts.not_first', summary: 'IPv6 Hop-by-Hop extension header must appear immediately after IPv6 header', severity: 'error', group: 'protocol' },
  routingInvalidLength: { id: 'ipv6.routing.invalid_length', summary: 'Invalid IPv6 Routing header length', severity: 'error', group: 'malformed' },
  routingInvalidSegleft: { id: 'ipv6.routing.invalid_segleft', summary: 'IPv6 Routing Header segments left field must not exceed address count', severity: 'warn', group: 'protocol' },
  routingUndecoded: { id: 'ipv6.routing.undecoded', summary: 'Undecoded IPv6 routing header field', severity: 'note', group: 'undecoded' },
  routingDeprecated: { id: 'ipv6.routing.deprecated', summary: 'Routing header type is deprecated', severity: 'note', group: 'deprecated' },
  // Fathom's own: Wireshark stops at its tree-depth limit with a dissector-bug item instead.
  extHeaderLimit: { id: 'ipv6.ext_header_limit', summary: 'Too many IPv6 extension headers', severity: 'error', group: 'malformed' },
  nestingLimit: { id: 'ipv6.nesting_limit', summary: 'Too many nested protocol layers', severity: 'error', group: 'malformed' },
});

const HEADER = 40;
/** Where the source and destination addresses are in the header. */
const ADDRESS_OFFSETS = [8, 24] as const;
/**
 * Extension headers followed in one IPv6 header before the rest is shown as data. RFC 8200 sets no limit;
 * real chains have a handful, so a long chain is an attack or garbage — and must not cost unbounded work.
 */
export const MAX_EXT_HEADERS = 64;
/** Layers in one frame after which IPv6 does not hand its payload on (bounds IPv6-in-IPv6 and ICMPv6-error nesting). */
export const MAX_LAYERS = 128;

const NXT_HOPOPTS = 0;
const NXT_ROUTING = 43;
const NXT_FRAGMENT = 44;
const NXT_AH = 51;
const NXT_NONE = 59;
const NXT_DSTOPTS = 60;

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const b0 = view.u8(0);
  const version = b0 >> 4;
  const full = tree.full;
  pinfo.setProtocol('IPv6');
  pinfo.setInfo('');
  const top = tree.open(fields.ipv6, view, 0, Math.min(HEADER, view.length), null);
  const versionLabel = full ? `${nibble(version)} .... = Version: ${version}` : undefined;
  if (version !== 6) {
    // Not IPv6 after all: reject, so the layer below shows its own fallback (Ethernet: "0x86dd" and data).
    tree.open(fields.version, view, 0, 1, version, versionLabel);
    addExpert(tree, pinfo, experts.bogusVersion, view, 0, 0, 'Bogus IPv6 version');
    tree.close();
    tree.close();
    return 0;
  }
  tree.add(fields.version, view, 0, 1, version, versionLabel);
  tree.add(ipFields.version, view, 0, 1, version, full ? `0110 .... = Version: 6 [This field makes the filter match on "ip.version == 6" possible]` : undefined, ITEM_HIDDEN);
  if (view.reportedLength < HEADER) {
    // The reads below then run past the packet and end in a Malformed item, as in Wireshark.
    addExpert(tree, pinfo, experts.invalidHeader, view, 0, 0, 'IPv6 header must be exactly 40 bytes');
    pinfo.setInfo(`Invalid IPv6 header (${view.reportedLength} bytes, need exactly ${HEADER})`);
  }

  // RFC 8200 §3: version(4) traffic class(8) flow label(20), payload length, next header, hop limit, addresses.
  const word = view.u32(0);
  const tclass = (word >>> 20) & 0xff;
  const flow = word & 0xfffff;
  // The first pass and list rows record nothing: skip these items then (they have no side effect).
  if (tree.recording) {
    tree.open(fields.tclass, view, 0, 4, tclass, full ? `${bitPattern(fields.tclass, tclass)} = Traffic Class: 0x${hex(tclass, 2)} (DSCP: ${dscpShort(tclass >> 2)}, ECN: ${ecnShort(tclass & 3)})` : undefined);
    tree.add(fields.dscp, view, 0, 4, tclass >> 2);
    tree.add(fields.ecn, view, 0, 4, tclass & 3);
    tree.close();
    tree.add(fields.flow, view, 1, 3, flow, full ? `${bitPattern(fields.flow, flow)} = Flow Label: 0x${hex(flow, 5)}` : undefined);
  }

  const plen = view.u16(4);
  const nxt0 = view.u8(6);
  const framing = view.reportedLength - HEADER;
  // A zero payload length with a Hop-by-Hop header announces a jumbogram (RFC 2675): its length is in the option.
  const jumbo = plen === 0 && nxt0 === NXT_HOPOPTS ? findJumbo(view) : -1;
  let payloadLen = plen;
  if (jumbo >= 0) payloadLen = jumbo;
  tree.open(fields.plen, view, 4, 2, plen, full && jumbo >= 0 ? 'Payload Length: 0 (Jumbogram)' : undefined);
  if (plen === 0 && nxt0 === NXT_HOPOPTS && jumbo < 0) {
    addExpert(tree, pinfo, experts.jumboMissing, view, 4, 2);
    pinfo.setInfo('Invalid IPv6 payload length');
  } else if (plen === 0 && jumbo < 0 && framing > 0) {
    addExpert(tree, pinfo, experts.plenZero, view, 4, 2);
  }
  if (payloadLen > framing && framing >= 0) {
    // A packet quoted in an ICMP error is cut short as a rule (RFC 4443 §2.4 (c)): no complaint there.
    if (!pinfo.inErrorPacket) addExpert(tree, pinfo, experts.plenExceedsFraming, view, 4, 2, `IPv6 payload length exceeds framing length (${framing} bytes)`);
    payloadLen = framing;
  }
  tree.close();

  tree.add(fields.nxt, view, 6, 1, nxt0);
  const hlim = view.u8(7);
  tree.add(fields.hlim, view, 7, 1, hlim);
  addAddress(view, 8, true, tree);
  addAddress(view, 24, false, tree);
  if (wantsAddressDetails(tree)) addAddressDetails(view, tree);
  if (!pinfo.inErrorPacket) {
    pinfo.netSrc.set(AddrKind.IPv6, view, 8);
    pinfo.netDst.set(AddrKind.IPv6, view, 24);
  }
  pinfo.pseudoSrc.set(AddrKind.IPv6, view, 8);
  pinfo.pseudoDst.set(AddrKind.IPv6, view, 24);
  pinfo.hopLimit = hlim;
  if (full) tree.setLabel(top, `Internet Protocol Version 6, Src: ${formatIPv6(view.bytes(8, 16))}, Dst: ${formatIPv6(view.bytes(24, 16))}`);

  // The packet as its payload length says: extension headers and payload are read within it.
  const end = HEADER + Math.max(0, payloadLen);
  // After a Fragment header that completes its packet, the chain goes on in the reassembled bytes (`pkt`);
  // `base` is then how many of the frame's bytes came before them.
  let pkt = view.sub(0, Math.min(end, view.length), end);
  let base = 0;
  // Where the bytes the header claims end (a fragment is reassembled only if they are all captured).
  let claimedEnd = HEADER + (jumbo >= 0 ? jumbo : plen);

  // RFC 8200 §4.1: the extension headers form a chain, each naming the next. Iterate, bounded.
  let off = HEADER;
  let nxt = nxt0;
  let count = 0;
  /** The chain stops at a fragment that is not (or not yet) reassembled: its payload is shown as data. */
  let unreassembled = false;
  let chainCut = false;
  while (isExtensionHeader(nxt)) {
    if (count === MAX_EXT_HEADERS) {
      addExpert(tree, pinfo, experts.extHeaderLimit, pkt, off, 0, `More than ${MAX_EXT_HEADERS} extension headers; the rest is not dissected`);
      chainCut = true;
      break;
    }
    count++;
    // The layer and its Info text come first, so a header cut short still shows where it broke.
    enterExtensionHeader(nxt, pinfo);
    const hdrNxt = pkt.u8(off);
    let hdrLen: number;
    if (nxt === NXT_AH) {
      const ah = findDissector('ah.header');
      if (!ah) break;
      hdrLen = callDissector(ah, pkt.sub(off), pinfo, tree);
      if (hdrLen <= 0) break;
    } else if (nxt === NXT_FRAGMENT) {
      hdrLen = 8;
      const fragWord = pkt.u16(off + 2);
      dissectFragment(pkt, off, tree);
      if (jumbo >= 0) addExpert(tree, pinfo, experts.jumboFragment, pkt, off, 8);
      if ((fragWord & 0xfff9) !== 0) {
        const reassembled = fragmentStep(view, pkt, off, claimedEnd - off - 8, pinfo, tree);
        if (reassembled) {
          // RFC 8200 §4.5: the fragmentable part, put back together, carries the rest of the chain.
          base += off + 8;
          pkt = reassembled;
          claimedEnd = reassembled.length;
          off = 0;
          nxt = hdrNxt;
          continue;
        }
        if (reassembled === null) unreassembled = true;
      }
    } else {
      hdrLen = (pkt.u8(off + 1) + 1) * 8;
      pkt.ensure(off, hdrLen);
      if (nxt === NXT_ROUTING) dissectRouting(pkt, off, hdrLen, pinfo, tree);
      else dissectOptionsHeader(pkt, off, hdrLen, nxt === NXT_HOPOPTS, plen, pinfo, tree);
    }
    off += hdrLen;
    nxt = hdrNxt;
    if (unreassembled) break;
  }
  // Reported after the extension headers, before the payload (every IPv6 layer counts). A fragment that does
  // not complete its packet is not reported: Wireshark counts a fragmented packet once, where it is reassembled.
  if (!unreassembled) tapAddresses(pinfo, 'ipv6', AddrKind.IPv6, view, 8, 24);
  pinfo.ipProto = nxt;
  // Wireshark's IPv6 item spans the headers it walked (in the frame, then in the reassembled bytes); the
  // Fragment header of a fragment shown as data is left out.
  tree.setLength(top, base > 0 ? base + off : Math.min(unreassembled ? off - 8 : off, view.length));
  tree.close();

  const payload = pkt.sub(off);
  if (chainCut) {
    dissectData(payload, pinfo, tree);
  } else if (unreassembled) {
    // Not reassembled here: a fragment's bytes mean nothing alone.
    dissectData(payload, pinfo, tree);
  } else if (nxt === NXT_NONE) {
    pinfo.setInfo('IPv6 no next header');
    dissectData(payload, pinfo, tree);
  } else if (pinfo.layers.length >= MAX_LAYERS) {
    addExpert(tree, pinfo, experts.nestingLimit, payload, 0, 0, `More than ${MAX_LAYERS} protocol layers; the rest is not dissected`);
    dissectData(payload, pinfo, tree);
  } else if (tables.ipProto.tryDissect(nxt, payload, pinfo, tree) < 0) {
    pinfo.setInfo(`Unknown IP Protocol: ${ipProtoNames[nxt] ?? 'Unknown'} (${nxt})`);
    dissectData(payload, pinfo, tree);
  }
  return Math.min(end, view.reportedLength);
}

function enterExtensionHeader(nxt: number, pinfo: PacketInfo): void {
  switch (nxt) {
    case NXT_HOPOPTS:
      pinfo.layers.push('ipv6.hopopts');
      pinfo.appendInfoSep(' , ', 'IPv6 hop-by-hop options');
      break;
    case NXT_DSTOPTS:
      pinfo.layers.push('ipv6.dstopts');
      pinfo.appendInfoSep(' , ', 'IPv6 destination options');
      break;
    case NXT_ROUTING:
      pinfo.layers.push('ipv6.routing');
      pinfo.appendInfoSep(' , ', 'IPv6 routing');
      break;
    case NXT_FRAGMENT:
      pinfo.layers.push('ipv6.fraghdr');
      break;
  }
}

function isExtensionHeader(nxt: number): boolean {
  return nxt === NXT_HOPOPTS || nxt === NXT_ROUTING || nxt === NXT_FRAGMENT || nxt === NXT_DSTOPTS || nxt === NXT_AH;
}

function addAddress(view: ByteView, o: number, isSrc: boolean, tree: ProtoTree): void {
  if (!tree.recording) {
    view.ensure(o, 16);
    return;
  }
  const f = isSrc ? fields.src : fields.dst;
  const hostField = isSrc ? fields.srcHost : fields.dstHost;
  const wantsHost = tree.wants(hostField) || tree.wants(fields.host);
  // Only take a view of the bytes when someone records it (the fields path stays allocation-free).
  if (!tree.wants(f) && !tree.wants(fields.addr) && !wantsHost) {
    view.ensure(o, 16);
    return;
  }
  const a = view.bytes(o, 16);
  tree.add(f, view, o, 16, a);
  tree.add(fields.addr, view, o, 16, a, undefined, ITEM_HIDDEN);
  if (wantsHost) {
    const text = formatIPv6(a);
    tree.add(hostField, view, o, 16, text, undefined, ITEM_HIDDEN);
    tree.add(fields.host, view, o, 16, text, undefined, ITEM_HIDDEN);
  }
}

const detailFields: readonly FieldInfo[] = [
  fields.srcSlaacMac, fields.dstSlaacMac, fields.slaacMac, fields.srcIsatap, fields.dstIsatap, fields.isatap,
  fields.src6to4Gw, fields.dst6to4Gw, fields.gw6to4, fields.src6to4Sla, fields.dst6to4Sla, fields.sla6to4,
  fields.srcTeredoServer, fields.dstTeredoServer, fields.teredoServer, fields.srcTeredoPort, fields.dstTeredoPort,
  fields.teredoPort, fields.srcTeredoClient, fields.dstTeredoClient, fields.teredoClient, fields.embedPrefix,
  fields.srcEmbed, fields.dstEmbed, fields.embed,
];

function wantsAddressDetails(tree: ProtoTree): boolean {
  if (tree.full) return true;
  if (!tree.recording) return false;
  for (const f of detailFields) if (tree.wants(f)) return true;
  return false;
}

/**
 * What the two addresses embed, one kind at a time over source then destination (the order Wireshark
 * lists them in): 6to4 (2002::/16, RFC 3056), Teredo (2001::/32, RFC 4380), a SLAAC MAC in a modified
 * EUI-64 interface id (RFC 4291 App. A), ISATAP (RFC 5214 §6.1), the well-known NAT64 prefix (RFC 6052).
 */
function addAddressDetails(view: ByteView, tree: ProtoTree): void {
  const g = (f: FieldInfo, o: number, len: number, v: number | Uint8Array, hidden: boolean) =>
    tree.add(f, view, o, len, v, undefined, hidden ? ITEM_HIDDEN | 1 : 1);
  for (const o of ADDRESS_OFFSETS) {
    if (view.u8(o) === 0x20 && view.u8(o + 1) === 0x02) {
      g(o === 8 ? fields.src6to4Gw : fields.dst6to4Gw, o + 2, 4, view.u32(o + 2), false);
      g(o === 8 ? fields.src6to4Sla : fields.dst6to4Sla, o + 6, 2, view.u16(o + 6), false);
      g(fields.gw6to4, o + 2, 4, view.u32(o + 2), true);
      g(fields.sla6to4, o + 6, 2, view.u16(o + 6), true);
    }
  }
  for (const o of ADDRESS_OFFSETS) {
    if (view.u16(o) === 0x2001 && view.u16(o + 2) === 0) {
      // The client's port and address are stored inverted ("obfuscated"), RFC 4380 §4.
      const port = ~view.u16(o + 10) & 0xffff;
      const client = ~view.u32(o + 12) >>> 0;
      g(o === 8 ? fields.srcTeredoServer : fields.dstTeredoServer, o + 4, 4, view.u32(o + 4), false);
      g(o === 8 ? fields.srcTeredoPort : fields.dstTeredoPort, o + 10, 2, port, false);
      g(o === 8 ? fields.srcTeredoClient : fields.dstTeredoClient, o + 12, 4, client, false);
      g(fields.teredoServer, o + 4, 4, view.u32(o + 4), true);
      g(fields.teredoPort, o + 10, 2, port, true);
      g(fields.teredoClient, o + 12, 4, client, true);
    }
  }
  for (const o of ADDRESS_OFFSETS) {
    // Modified EUI-64 with the universal bit set and ff:fe in the middle: the MAC it was made from.
    if ((view.u8(o + 8) & 0x02) !== 0 && view.u8(o + 11) === 0xff && view.u8(o + 12) === 0xfe) {
      const mac = new Uint8Array([view.u8(o + 8) ^ 0x02, view.u8(o + 9), view.u8(o + 10), view.u8(o + 13), view.u8(o + 14), view.u8(o + 15)]);
      g(o === 8 ? fields.srcSlaacMac : fields.dstSlaacMac, o + 8, 8, mac, false);
      g(fields.slaacMac, o + 8, 8, mac, true);
    }
  }
  for (const o of ADDRESS_OFFSETS) {
    if ((view.u8(o + 8) & 0xfc) === 0 && view.u8(o + 9) === 0 && view.u8(o + 10) === 0x5e && view.u8(o + 11) === 0xfe) {
      g(o === 8 ? fields.srcIsatap : fields.dstIsatap, o + 12, 4, view.u32(o + 12), false);
      g(fields.isatap, o + 12, 4, view.u32(o + 12), true);
    }
  }
  for (const o of ADDRESS_OFFSETS) {
    if (view.u32(o) === 0x0064ff9b && view.u32(o + 4) === 0 && view.u32(o + 8) === 0) {
      g(fields.embedPrefix, o, 12, view.bytes(o, 12), false);
      g(o === 8 ? fields.srcEmbed : fields.dstEmbed, o + 12, 4, view.u32(o + 12), false);
      g(fields.embed, o + 12, 4, view.u32(o + 12), false);
    }
  }
}

/** The Jumbo Payload option's length (RFC 2675) if the first Hop-by-Hop header has a valid one, else -1. */
function findJumbo(view: ByteView): number {
  if (!view.has(HEADER, 2)) return -1;
  const end = HEADER + (view.u8(HEADER + 1) + 1) * 8;
  let p = HEADER + 2;
  while (p < end && view.has(p, 1)) {
    const type = view.u8(p);
    if (type === 0) {
      p++;
      continue;
    }
    if (!view.has(p, 2)) return -1;
    const len = view.u8(p + 1);
    if (type === 0xc2 && len === 4 && view.has(p + 2, 4)) {
      const v = view.u32(p + 2);
      return v > 0xffff ? v : -1;
    }
    p += 2 + len;
  }
  return -1;
}

/** Opens an options header's tree: next header, length in 8-octet units and (generated) in bytes. */
function optionsHeaderStart(pkt: ByteView, off: number, hdrLen: number, f: typeof hopoptsFields | typeof dstoptsFields, proto: FieldInfo, notFirst: boolean, pinfo: PacketInfo, tree: ProtoTree): void {
  tree.open(proto, pkt, off, hdrLen, null);
  if (notFirst) addExpert(tree, pinfo, experts.hopoptsNotFirst, pkt, off, 0);
  tree.add(f.nxt, pkt, off, 1, pkt.u8(off));
  tree.add(f.len, pkt, off + 1, 1, pkt.u8(off + 1));
  tree.addGenerated(f.lenOct, pkt, off + 1, 1, hdrLen, tree.full ? `[Length: ${hdrLen} bytes]` : undefined);
}

/** Hop-by-Hop (RFC 8200 §4.3) or Destination Options (§4.6) header: next header, length, then TLV options. */
function dissectOptionsHeader(pkt: ByteView, off: number, hdrLen: number, hopByHop: boolean, plen: number, pinfo: PacketInfo, tree: ProtoTree): void {
  if (hopByHop) {
    // RFC 8200 §4.3: only directly after the IPv6 header.
    optionsHeaderStart(pkt, off, hdrLen, hopoptsFields, hopoptsFields.hopopts, off !== HEADER, pinfo, tree);
  } else {
    optionsHeaderStart(pkt, off, hdrLen, dstoptsFields, dstoptsFields.dstopts, false, pinfo, tree);
  }
  const end = off + hdrLen;
  let p = off + 2;
  while (p < end) {
    const type = pkt.u8(p);
    const name = optTypeNames[type];
    if (type === 0) {
      // Pad1 (§4.2): a single zero byte, no length.
      tree.open(fields.opt, pkt, p, 1, null, tree.full ? 'Pad1' : undefined);
      tree.add(fields.optType, pkt, p, 1, type);
      tree.add(fields.pad1, pkt, p, 1, null);
      tree.close();
      p++;
      continue;
    }
    const lenAvail = p + 1 < end;
    const len = lenAvail ? pkt.u8(p + 1) : 0;
    const optEnd = p + 2 + len;
    tree.open(fields.opt, pkt, p, Math.min(optEnd, end) - p, null, tree.full ? (name ?? `Unknown IPv6 Option (${type})`) : undefined);
    tree.open(fields.optType, pkt, p, 1, type);
    if (misplaced(type, hopByHop)) {
      addExpert(tree, pinfo, experts.optHeaderMismatch, pkt, p, 1, `${name} must use a ${hopByHop ? 'destination' : 'hop-by-hop'} options header`);
    }
    tree.add(fields.optAction, pkt, p, 1, type >> 6);
    tree.add(fields.optChange, pkt, p, 1, (type & 0x20) !== 0);
    tree.add(fields.optRest, pkt, p, 1, type & 0x1f);
    tree.close();
    if (!lenAvail || optEnd > end) {
      // The option runs past its header: say so and stop reading options.
      if (lenAvail) tree.open(fields.optLength, pkt, p + 1, 1, len);
      addExpert(tree, pinfo, experts.optInvalidLen, pkt, p, end - p, `${name ?? 'Option'}: Invalid length (${len} bytes)`);
      if (lenAvail) tree.close();
      tree.close();
      break;
    }
    const lenItem = tree.add(fields.optLength, pkt, p + 1, 1, len);
    dissectOption(pkt, p, type, len, name, lenItem, plen, pinfo, tree);
    tree.close();
    p = optEnd;
  }
  tree.close();
}

/** Options whose RFCs place them in one kind of header only (RFC 2711 §2, RFC 2675 §2, RFC 2473 §5.1, RFC 6275 §6.3). */
function misplaced(type: number, inHopByHop: boolean): boolean {
  switch (type) {
    case 0x05:
    case 0xc2:
      return !inHopByHop;
    case 0x04:
    case 0xc9:
      return inHopByHop;
    default:
      return false;
  }
}

/** Fixed option data lengths; a different length gets an "Invalid length" error and the extra bytes as unknown data. */
const fixedOptLength: Readonly<Record<number, number>> = { 0x04: 1, 0x05: 2, 0xc2: 4, 0xc9: 16 };

function dissectOption(pkt: ByteView, p: number, type: number, len: number, name: string | undefined, lenItem: number, plen: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const d = p + 2;
  const want = fixedOptLength[type];
  if (want !== undefined && len !== want) {
    tree.reopen(lenItem);
    const what = type === 0x05 ? 'Router alert: Invalid Length' : `${name}: Invalid length`;
    addExpert(tree, pinfo, experts.optInvalidLen, pkt, p + 1, 1, `${what} (${len} bytes)`);
    tree.close();
  }
  let used = len;
  switch (type) {
    case 0x01:
      tree.add(fields.padn, pkt, d, len, pkt.bytes(d, len), tree.full && len === 0 ? 'PadN: <none>' : undefined);
      break;
    case 0x04:
      if (len < 1) break;
      tree.add(fields.tel, pkt, d, 1, pkt.u8(d));
      used = 1;
      break;
    case 0x05:
      if (len < 2) break;
      tree.add(fields.routerAlert, pkt, d, 2, pkt.u16(d));
      used = 2;
      break;
    case 0xc2: {
      if (len < 4) break;
      tree.open(fields.jumbo, pkt, d, 4, pkt.u32(d));
      if (plen !== 0) addExpert(tree, pinfo, experts.jumboProhibited, pkt, d, 4);
      tree.close();
      used = 4;
      break;
    }
    case 0xc9:
      if (len < 16) break;
      tree.add(fields.homeAddress, pkt, d, 16, pkt.bytes(d, 16));
      // RFC 6275 §6.3: upper-layer checksums use the home address as the source.
      pinfo.pseudoSrc.set(AddrKind.IPv6, pkt, d);
      used = 16;
      break;
    case 0x30: {
      if (len !== 4) break;
      tree.add(fields.pmtuMin, pkt, d, 2, pkt.u16(d));
      const rtn = pkt.u16(d + 2);
      tree.add(fields.pmtuRtn, pkt, d + 2, 2, rtn & 0xfffe);
      tree.add(fields.pmtuRFlag, pkt, d + 3, 1, (rtn & 1) !== 0);
      break;
    }
    case 0x63: {
      // RPL Option, RFC 6553 §3.
      if (len < 4) break;
      const flags = pkt.u8(d);
      const names: string[] = [];
      if (flags & 0x80) names.push('Down');
      if (flags & 0x40) names.push('Rank Error');
      if (flags & 0x20) names.push('Forwarding Error');
      tree.open(fields.rplFlag, pkt, d, 1, flags, tree.full ? `Flag: 0x${hex(flags, 2)}${names.length ? ', ' + names.join(', ') : ''}` : undefined);
      tree.add(fields.rplFlagO, pkt, d, 1, (flags & 0x80) !== 0);
      tree.add(fields.rplFlagR, pkt, d, 1, (flags & 0x40) !== 0);
      tree.add(fields.rplFlagF, pkt, d, 1, (flags & 0x20) !== 0);
      tree.add(fields.rplFlagRsv, pkt, d, 1, flags & 0x1f);
      tree.close();
      tree.add(fields.rplInstance, pkt, d + 1, 1, pkt.u8(d + 1));
      tree.add(fields.rplSenderRank, pkt, d + 2, 2, pkt.u16(d + 2));
      used = 4;
      break;
    }
    case 0x41:
      if (len < 4) break;
      tree.add(fields.tpf, pkt, d, 4, pkt.u32(d));
      used = 4;
      break;
    case 0x8b:
      tree.add(fields.ilnpNonce, pkt, d, len, pkt.bytes(d, len));
      break;
    default:
      if (EXPERIMENTAL_OPTS.has(type)) {
        tree.add(fields.experimental, pkt, d, len, pkt.bytes(d, len));
      } else {
        tree.open(fields.optUnknown, pkt, d, len, pkt.bytes(d, len));
        addExpert(tree, pinfo, experts.optUnknownData, pkt, d, len);
        tree.close();
      }
      return;
  }
  if (used < len) {
    tree.open(fields.optUnknownData, pkt, d + used, len - used, pkt.bytes(d + used, len - used));
    addExpert(tree, pinfo, experts.optUnknownData, pkt, d + used, len - used);
    tree.close();
  }
}

/** Routing header (RFC 8200 §4.4): common part, then the type's data; sets the pseudo-header's final destination. */
function dissectRouting(pkt: ByteView, off: number, hdrLen: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  const lenField = pkt.u8(off + 1);
  const type = pkt.u8(off + 2);
  const segleft = pkt.u8(off + 3);
  const typeName = routingTypeNames[type] ?? 'Unknown';
  tree.open(routingFields.routing, pkt, off, hdrLen, null, full ? `Routing Header for IPv6 (${typeName})` : undefined);
  tree.add(routingFields.nxt, pkt, off, 1, pkt.u8(off));
  tree.open(routingFields.len, pkt, off + 1, 1, lenField);
  if ((type === 0 || type === 4) && lenField % 2 === 1) {
    addExpert(tree, pinfo, experts.routingInvalidLength, pkt, off + 1, 1, 'IPv6 Routing Header extension header length must not be odd');
  } else if (type === 2 && lenField !== 2) {
    addExpert(tree, pinfo, experts.routingInvalidLength, pkt, off + 1, 1, 'IPv6 Type 2 Routing Header extension header length must equal 2');
  }
  tree.close();
  tree.addGenerated(routingFields.lenOct, pkt, off + 1, 1, hdrLen, full ? `[Length: ${hdrLen} bytes]` : undefined);
  tree.open(routingFields.type, pkt, off + 2, 1, type);
  if (type === 0) addExpert(tree, pinfo, experts.routingDeprecated, pkt, off + 2, 1);
  tree.close();
  // Type 0 carries lenField / 2 addresses (RFC 2460 §4.4); more segments left than that is an error.
  const type0Count = lenField % 2 === 1 ? 0 : lenField >> 1;
  tree.open(routingFields.segleft, pkt, off + 3, 1, segleft);
  if (type === 0 && segleft > type0Count) {
    addExpert(tree, pinfo, experts.routingInvalidSegleft, pkt, off + 3, 1, `IPv6 Type 0 Routing Header segments left field must not exceed address count (${type0Count})`);
  } else if (type === 2 && segleft !== 1) {
    // RFC 6275 §6.4: a type 2 header carries exactly one address.
    addExpert(tree, pinfo, experts.routingInvalidSegleft, pkt, off + 3, 1, 'IPv6 Type 2 Routing Header segments left field must equal 1');
  }
  tree.close();
  const d = off + 4;
  switch (type) {
    case 0: {
      // RFC 2460 type 0 (deprecated by RFC 5095): reserved, then addresses; the last is the final destination.
      const n = type0Count;
      tree.add(routingFields.srcReserved, pkt, d, 4, pkt.bytes(d, 4));
      for (let i = 0; i < n; i++) {
        const a = d + 4 + i * 16;
        tree.add(routingFields.srcAddr, pkt, a, 16, pkt.bytes(a, 16), full ? `Address[${i + 1}]: ${formatIPv6(pkt.bytes(a, 16))}` : undefined);
      }
      if (segleft > 0 && n > 0) pinfo.pseudoDst.set(AddrKind.IPv6, pkt, d + 4 + (n - 1) * 16);
      break;
    }
    case 2: {
      // RFC 6275 §6.4: the home address is where the packet is finally delivered.
      tree.add(routingFields.mipv6Reserved, pkt, d, 4, pkt.bytes(d, 4));
      const a = d + 4;
      tree.add(routingFields.mipv6HomeAddress, pkt, a, 16, pkt.bytes(a, 16), full ? `Address[1]: ${formatIPv6(pkt.bytes(a, 16))}` : undefined);
      if (segleft > 0) pinfo.pseudoDst.set(AddrKind.IPv6, pkt, a);
      break;
    }
    case 3: {
      dissectRplRoute(pkt, off, hdrLen, segleft, pinfo, tree);
      break;
    }
    case 4: {
      // RFC 8754 §2: Segment List[0] is the last segment, i.e. the final destination.
      const lastEntry = pkt.u8(d);
      tree.add(routingFields.srhLastEntry, pkt, d, 1, lastEntry);
      tree.add(routingFields.srhFlags, pkt, d + 1, 1, pkt.u8(d + 1));
      tree.add(routingFields.srhTag, pkt, d + 2, 2, pkt.bytes(d + 2, 2));
      // The segment list holds Last Entry + 1 addresses; never read past the header for it.
      const n = Math.min(lastEntry + 1, (hdrLen - 8) >> 4);
      for (let i = 0; i < n; i++) {
        const a = d + 4 + i * 16;
        tree.add(routingFields.srhAddr, pkt, a, 16, pkt.bytes(a, 16), full ? `Address[${i}]: ${formatIPv6(pkt.bytes(a, 16))}` : undefined);
      }
      if (segleft > 0 && n > 0) pinfo.pseudoDst.set(AddrKind.IPv6, pkt, d + 4);
      break;
    }
    default: {
      tree.open(routingFields.unknownData, pkt, d, hdrLen - 4, pkt.bytes(d, hdrLen - 4));
      addExpert(tree, pinfo, experts.routingUndecoded, pkt, d, hdrLen - 4);
      tree.close();
    }
  }
  tree.close();
}

/**
 * RPL Source Route header (RFC 6554 §3): addresses with their first CmprI (last: CmprE) octets elided —
 * they equal the IPv6 destination's. The full forms are shown as generated items.
 */
function dissectRplRoute(pkt: ByteView, off: number, hdrLen: number, segleft: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const d = off + 4;
  const w = pkt.u32(d);
  const cmprI = w >>> 28;
  const cmprE = (w >>> 24) & 0xf;
  const pad = (w >>> 20) & 0xf;
  tree.add(routingFields.rplCmprI, pkt, d, 4, cmprI);
  tree.add(routingFields.rplCmprE, pkt, d, 4, cmprE);
  tree.add(routingFields.rplPad, pkt, d, 4, pad);
  tree.add(routingFields.rplReserved, pkt, d, 4, w & 0xfffff);
  const sizeI = 16 - cmprI;
  const sizeE = 16 - cmprE;
  const count = Math.floor((hdrLen - 8 - pad - sizeE) / sizeI) + 1;
  tree.addGenerated(routingFields.rplAddrCount, pkt, d, 2, count, tree.full ? `[Total Address Count: ${count}]` : undefined);
  let a = off + 8;
  let last: Uint8Array | null = null;
  for (let i = 0; i < count; i++) {
    const size = i === count - 1 ? sizeE : sizeI;
    const elided = 16 - size;
    const bytes = pkt.bytes(a, size);
    tree.add(routingFields.rplAddress, pkt, a, size, bytes);
    const fullAddr = new Uint8Array(16);
    fullAddr.set(pkt.bytes(24, elided), 0);
    fullAddr.set(bytes, elided);
    tree.addGenerated(routingFields.rplFullAddress, pkt, a, size, fullAddr, tree.full ? `[Address[${i + 1}]: ${formatIPv6(fullAddr)}]` : undefined);
    last = fullAddr;
    a += size;
  }
  if (segleft > 0 && last) pinfo.pseudoDst.set(AddrKind.IPv6, new ByteView(last, 0, 16, 16, 0, 0), 0);
}

/** Fragment header (RFC 8200 §4.5): its fields; `fragmentStep` decides what becomes of the payload. */
function dissectFragment(pkt: ByteView, off: number, tree: ProtoTree): void {
  const nxt = pkt.u8(off);
  const w = pkt.u16(off + 2);
  const offset = w >> 3;
  const more = (w & 1) !== 0;
  const ident = pkt.u32(off + 4);
  tree.open(fraghdrFields.fraghdr, pkt, off, 8, null);
  tree.add(fraghdrFields.nxt, pkt, off, 1, nxt);
  tree.add(fraghdrFields.reservedOctet, pkt, off + 1, 1, pkt.u8(off + 1));
  tree.add(fraghdrFields.offset, pkt, off + 2, 2, offset, tree.full ? `${bitPattern(fraghdrFields.offset, offset)} = Offset: ${offset} (${offset * 8} bytes)` : undefined);
  tree.add(fraghdrFields.reservedBits, pkt, off + 2, 2, (w >> 1) & 3);
  tree.add(fraghdrFields.more, pkt, off + 2, 2, more);
  tree.add(fraghdrFields.ident, pkt, off + 4, 4, ident);
  tree.close();
}

/**
 * A fragment (offset or M flag set, RFC 8200 §4.5) meets reassembly (analysis/ip-reassembly.ts). Returns the
 * reassembled fragmentable part when this frame completes the packet; null when the fragment is shown as
 * data (not complete here, or not reassembled); undefined when the chain goes on in this frame's bytes (an
 * empty fragment, or a first fragment with reassembly turned off), as tshark does.
 */
function fragmentStep(header: ByteView, pkt: ByteView, off: number, claimed: number, pinfo: PacketInfo, tree: ProtoTree): ByteView | null | undefined {
  const w = pkt.u16(off + 2);
  const offset = w & 0xfff8;
  const more = (w & 1) !== 0;
  const text = `IPv6 fragment (off=${offset} more=${more ? 'y' : 'n'} ident=0x${hex(pkt.u32(off + 4), 8)} nxt=${pkt.u8(off)})`;
  pinfo.fragmented = true;
  if (!reassemblyState(pinfo).options.defragment) {
    // Without reassembly, a first fragment is dissected as far as it goes; later ones are data.
    if (offset === 0) return undefined;
    pinfo.appendInfoSep(' , ', text);
    return null;
  }
  pinfo.setInfo(text);
  if (claimed <= 0) return undefined;
  const frag = reassembleFragment(
    { family: ipv6Reassembly, key: ipv6FragmentKey(header, pkt.u32(off + 4)), offset, more, payload: pkt.sub(off + 8), claimed, headerBytes: off - HEADER, at: pkt, atOffset: off },
    pinfo,
    tree,
  );
  if (!frag.payload) return null;
  pinfo.fragmented = false;
  return frag.payload;
}

function nibble(v: number): string {
  return (v & 15).toString(2).padStart(4, '0');
}

export const handle = { abbrev: 'ipv6', dissect };

export function handoff(): void {
  registerDissector('ipv6', handle);
  tables.ethertype.add(0x86dd, handle);
  tables.ipProto.add(41, handle); // IPv6 in IP (6in4, RFC 4213; and IPv6 in IPv6, RFC 2473)
  tables.linkType.add(LinkType.IPV6, handle);
  tables.pppProtocol.add(0x0057, handle);
  tables.greProto.add(0x86dd, handle);
  // BSD loopback AF_INET6 differs by OS: 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS), 10 (Linux).
  for (const af of [24, 28, 30, 10]) tables.nullFamily.add(af, handle);
}
