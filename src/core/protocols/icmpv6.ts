import { defineFields, valueString, type FieldInfo } from '../dissect/field-registry';
import { RequestPairs } from '../analysis/request-pairs';
import { tables, findDissector, callDissector, registerDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts, expertFields } from '../dissect/expert';
import { AddrKind, type AddressRef, type PacketInfo } from '../dissect/packet-info';
import { BoundsError, ReportedBoundsError, type ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { formatBytes, formatIPv6, hex } from '../dissect/format';
import { dissect as dissectData } from './data';

/**
 * Internet Control Message Protocol for IPv6 (RFC 4443): errors quoting the packet that caused them, echo
 * with request/reply pairing, Neighbor Discovery (RFC 4861: RS, RA, NS, NA, Redirect and their options,
 * RDNSS/DNSSL RFC 8106, Route Information RFC 4191) and Multicast Listener Discovery (RFC 2710, RFC 3810).
 * The checksum is verified over the IPv6 pseudo-header (RFC 4443 §2.3) that ipv6 hands over on pinfo.
 */

const typeNames: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem',
  100: 'Private experimentation', 101: 'Private experimentation', 127: 'Reserved for expansion of ICMPv6 error messages',
  128: 'Echo (ping) request', 129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report',
  132: 'Multicast Listener Done', 133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement', 137: 'Redirect', 138: 'Router Renumbering', 139: 'Node Information Query',
  140: 'Node Information Reply', 141: 'Inverse Neighbor Discovery Solicitation', 142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2', 144: 'Home Agent Address Discovery Request', 145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation', 147: 'Mobile Prefix Advertisement', 148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement', 150: 'Experimental Mobility', 151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination', 154: 'FMIPv6', 155: 'RPL Control',
  156: 'Locator Update', 157: 'Duplicate Address Request', 158: 'Duplicate Address Confirmation', 159: 'MPL Control Message',
  160: 'Extended Echo request', 161: 'Extended Echo reply', 200: 'Private experimentation', 201: 'Private experimentation',
  255: 'Reserved for expansion of ICMPv6 informational messages',
};

/** Code names per type (RFC 4443 §3, RFC 2894, RFC 4620), and how an unnamed code is shown. */
const codeNames: Readonly<Record<number, { names: Readonly<Record<number, string>>; unknown: (code: number) => string }>> = {
  1: {
    names: {
      0: 'no route to destination', 1: 'Administratively prohibited', 2: 'Beyond scope of source address', 3: 'Address unreachable',
      4: 'Port unreachable', 5: 'Source address failed ingress/egress policy', 6: 'Reject route to destination', 7: 'Error in Source Routing Header',
    },
    unknown: () => 'Unknown',
  },
  3: { names: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' }, unknown: (c) => `Unknown (${c})` },
  4: {
    names: {
      0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered', 2: 'unrecognized IPv6 option encountered',
      3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
    },
    unknown: (c) => `Unknown (${c})`,
  },
  138: { names: { 0: 'Command', 1: 'Result' }, unknown: (c) => `Unknown (${c})` },
  139: { names: { 0: 'Query subject = IPv6 addresses', 1: 'Query subject = DNS name or empty', 2: 'Query subject = IPv4 addresses' }, unknown: (c) => `Unknown (${c})` },
  140: { names: { 0: 'Successful', 1: 'Refused', 2: 'Unknown query type' }, unknown: (c) => `Unknown (${c})` },
};

const optTypeNames: Readonly<Record<number, string>> = {
  1: 'Source link-layer address', 2: 'Target link-layer address', 3: 'Prefix information', 4: 'Redirected header', 5: 'MTU',
  6: 'NBMA Shortcut Limit Option', 7: 'Advertisement Interval', 8: 'Home Agent Information', 9: 'Source Address List',
  10: 'Target Address List', 11: 'CGA', 12: 'RSA Signature', 13: 'Timestamp', 14: 'Nonce', 15: 'Trust Anchor', 16: 'Certificate',
  17: 'IP Address/Prefix Option', 18: 'New Router Prefix Information', 19: 'Link-layer Address',
  20: 'Neighbor Advertisement Acknowledgment', 23: 'MAP', 24: 'Route Information', 25: 'Recursive DNS Server',
  26: 'RA Flags Extension', 27: 'Handover Key Request', 28: 'Handover Key Reply', 29: 'Handover Assist Information',
  30: 'Mobile Node Identifier Option', 31: 'DNS Search List Option', 32: 'Proxy Signature (PS)', 33: 'Address Registration Option',
  34: '6LoWPAN Context Option', 35: 'Authoritative Border Router', 36: '6LoWPAN Capability Indication Option',
  37: 'DHCP Captive-Portal', 38: 'PREF64 Option', 138: 'CARD Request', 139: 'CARD Reply', 253: 'RFC3692-style Experiment 1',
  254: 'RFC3692-style Experiment 2',
};

const preferenceNames: Readonly<Record<number, string>> = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };
const INFINITY = 0xffffffff;
const infinity = { [INFINITY]: 'Infinity' };
const setNotSet = ['Set', 'Not set'] as const;

export const fields = defineFields('icmpv6', {
  icmpv6: { id: 'icmpv6', name: 'Internet Control Message Protocol v6', type: 'protocol' },
  type: { id: 'icmpv6.type', name: 'Type', type: 'uint8', base: 'dec', vals: typeNames },
  code: { id: 'icmpv6.code', name: 'Code', type: 'uint8', base: 'dec' },
  checksum: { id: 'icmpv6.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: { id: 'icmpv6.checksum.status', name: 'Checksum Status', type: 'uint8', base: 'none', vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified', 3: 'Not present', 4: 'Illegal' } },
  reserved: { id: 'icmpv6.reserved', name: 'Reserved', type: 'bytes', description: 'Must be Zero' },
  data: { id: 'icmpv6.data', name: 'Data', type: 'bytes' },
  mtu: { id: 'icmpv6.mtu', name: 'MTU', type: 'uint32', base: 'dec' },
  pointer: { id: 'icmpv6.pointer', name: 'Pointer', type: 'uint32', base: 'dec' },
  echoId: { id: 'icmpv6.echo.identifier', name: 'Identifier', type: 'uint16', base: 'hex' },
  echoSeq: { id: 'icmpv6.echo.sequence_number', name: 'Sequence', type: 'uint16', base: 'dec' },
  echoNonce: { id: 'icmpv6.nonce', name: 'Nonce', type: 'bytes' },
  respIn: { id: 'icmpv6.resp_in', name: 'Response In', type: 'framenum' },
  noResp: { id: 'icmpv6.no_resp', name: 'No response seen', type: 'none' },
  respTo: { id: 'icmpv6.resp_to', name: 'Response To', type: 'framenum' },
  respTime: { id: 'icmpv6.resptime', name: 'Response Time', type: 'double' },
  // Router Advertisement (RFC 4861 §4.2, flags RFC 3775, RFC 4191, RFC 4389).
  raCurHopLimit: { id: 'icmpv6.nd.ra.cur_hop_limit', name: 'Cur hop limit', type: 'uint8', base: 'dec' },
  raFlag: { id: 'icmpv6.nd.ra.flag', name: 'Flags', type: 'uint8', base: 'hex' },
  raFlagM: { id: 'icmpv6.nd.ra.flag.m', name: 'Managed address configuration', type: 'boolean', base: 8, mask: 0x80, tfs: setNotSet },
  raFlagO: { id: 'icmpv6.nd.ra.flag.o', name: 'Other configuration', type: 'boolean', base: 8, mask: 0x40, tfs: setNotSet },
  raFlagH: { id: 'icmpv6.nd.ra.flag.h', name: 'Home Agent', type: 'boolean', base: 8, mask: 0x20, tfs: setNotSet },
  raFlagPrf: { id: 'icmpv6.nd.ra.flag.prf', name: 'Prf (Default Router Preference)', type: 'uint8', base: 'dec', mask: 0x18, vals: preferenceNames },
  raFlagP: { id: 'icmpv6.nd.ra.flag.p', name: 'Proxy', type: 'boolean', base: 8, mask: 0x04, tfs: setNotSet },
  raFlagRsv: { id: 'icmpv6.nd.ra.flag.rsv', name: 'Reserved', type: 'uint8', base: 'dec', mask: 0x03 },
  raRouterLifetime: { id: 'icmpv6.nd.ra.router_lifetime', name: 'Router lifetime (s)', type: 'uint16', base: 'dec' },
  raReachableTime: { id: 'icmpv6.nd.ra.reachable_time', name: 'Reachable time (ms)', type: 'uint32', base: 'dec' },
  raRetransTimer: { id: 'icmpv6.nd.ra.retrans_timer', name: 'Retrans timer (ms)', type: 'uint32', base: 'dec' },
  nsTarget: { id: 'icmpv6.nd.ns.target_address', name: 'Target Address', type: 'ipv6' },
  naFlag: { id: 'icmpv6.nd.na.flag', name: 'Flags', type: 'uint32', base: 'hex' },
  naFlagR: { id: 'icmpv6.nd.na.flag.r', name: 'Router', type: 'boolean', base: 32, mask: 0x80000000, tfs: setNotSet },
  naFlagS: { id: 'icmpv6.nd.na.flag.s', name: 'Solicited', type: 'boolean', base: 32, mask: 0x40000000, tfs: setNotSet },
  naFlagO: { id: 'icmpv6.nd.na.flag.o', name: 'Override', type: 'boolean', base: 32, mask: 0x20000000, tfs: setNotSet },
  naFlagRsv: { id: 'icmpv6.nd.na.flag.rsv', name: 'Reserved', type: 'uint32', base: 'dec', mask: 0x1fffffff },
  naTarget: { id: 'icmpv6.nd.na.target_address', name: 'Target Address', type: 'ipv6' },
  rdTarget: { id: 'icmpv6.nd.rd.target_address', name: 'Target Address', type: 'ipv6' },
  rdDestination: { id: 'icmpv6.rd.na.destination_address', name: 'Destination Address', type: 'ipv6' },
  // Neighbor Discovery options (RFC 4861 §4.6).
  opt: { id: 'icmpv6.opt', name: 'ICMPv6 Option', type: 'none' },
  optType: { id: 'icmpv6.opt.type', name: 'Type', type: 'uint8', base: 'dec', vals: optTypeNames },
  optLength: { id: 'icmpv6.opt.length', name: 'Length', type: 'uint8', base: 'dec' },
  optReserved: { id: 'icmpv6.opt.reserved', name: 'Reserved', type: 'none' },
  optPadding: { id: 'icmpv6.opt.padding', name: 'Padding', type: 'none' },
  linkaddr: { id: 'icmpv6.opt.linkaddr', name: 'Link-layer address', type: 'bytes', sep: ':' },
  srcLinkaddr: { id: 'icmpv6.opt.src_linkaddr', name: 'Source Link-layer address', type: 'bytes', sep: ':' },
  targetLinkaddr: { id: 'icmpv6.opt.target_linkaddr', name: 'Target Link-layer address', type: 'bytes', sep: ':' },
  prefixLength: { id: 'icmpv6.opt.prefix.length', name: 'Prefix Length', type: 'uint8', base: 'dec' },
  prefixFlag: { id: 'icmpv6.opt.prefix.flag', name: 'Flag', type: 'uint8', base: 'hex' },
  prefixFlagL: { id: 'icmpv6.opt.prefix.flag.l', name: 'On-link flag(L)', type: 'boolean', base: 8, mask: 0x80, tfs: setNotSet },
  prefixFlagA: { id: 'icmpv6.opt.prefix.flag.a', name: 'Autonomous address-configuration flag(A)', type: 'boolean', base: 8, mask: 0x40, tfs: setNotSet },
  prefixFlagR: { id: 'icmpv6.opt.prefix.flag.r', name: 'Router address flag(R)', type: 'boolean', base: 8, mask: 0x20, tfs: setNotSet },
  prefixFlagRsv: { id: 'icmpv6.opt.prefix.flag.reserved', name: 'Reserved', type: 'uint8', base: 'dec', mask: 0x1f },
  prefixValidLifetime: { id: 'icmpv6.opt.prefix.valid_lifetime', name: 'Valid Lifetime', type: 'uint32', base: 'dec', vals: infinity },
  prefixPreferredLifetime: { id: 'icmpv6.opt.prefix.preferred_lifetime', name: 'Preferred Lifetime', type: 'uint32', base: 'dec', vals: infinity },
  prefix: { id: 'icmpv6.opt.prefix', name: 'Prefix', type: 'ipv6' },
  redirectedPacket: { id: 'icmpv6.opt.redirected_packet', name: 'Redirected Packet', type: 'none' },
  optMtu: { id: 'icmpv6.opt.mtu', name: 'MTU', type: 'uint32', base: 'dec' },
  advInterval: { id: 'icmpv6.opt.advertisement_interval', name: 'Advertisement Interval', type: 'uint32', base: 'dec' },
  haPreference: { id: 'icmpv6.opt.home_agent_preference', name: 'Home Agent Preference', type: 'uint16', base: 'dec' },
  haLifetime: { id: 'icmpv6.opt.home_agent_lifetime', name: 'Home Agent Preference', type: 'uint16', base: 'dec' },
  nonce: { id: 'icmpv6.opt.nonce', name: 'Nonce', type: 'bytes' },
  routeInfoFlag: { id: 'icmpv6.opt.route_info.flag', name: 'Flag', type: 'uint8', base: 'hex' },
  routeInfoPref: { id: 'icmpv6.opt.route_info.flag.route_preference', name: 'Route Preference', type: 'uint8', base: 'dec', mask: 0x18, vals: preferenceNames },
  routeInfoRsv: { id: 'icmpv6.opt.route_info.flag.reserved', name: 'Reserved', type: 'uint8', base: 'dec', mask: 0xe7 },
  routeLifetime: { id: 'icmpv6.opt.route_lifetime', name: 'Route Lifetime', type: 'uint32', base: 'dec', vals: infinity },
  rdnssLifetime: { id: 'icmpv6.opt.rdnss.lifetime', name: 'Lifetime', type: 'uint32', base: 'dec', vals: { 0: 'RDNSS address MUST no longer be used', [INFINITY]: 'Infinity' } },
  rdnss: { id: 'icmpv6.opt.rdnss', name: 'Recursive DNS Servers', type: 'ipv6' },
  dnsslLifetime: { id: 'icmpv6.opt.dnssl.lifetime', name: 'Lifetime', type: 'uint32', base: 'dec', vals: { 0: 'DNSSL domain name MUST no longer be used', [INFINITY]: 'Infinity' } },
  dnssl: { id: 'icmpv6.opt.dnssl', name: 'Domain Names', type: 'string' },
  // Multicast Listener Discovery (RFC 2710 §3, RFC 3810 §5).
  mldMaxDelay: { id: 'icmpv6.mld.maximum_response_delay', name: 'Maximum Response Delay [ms]', type: 'uint16', base: 'dec' },
  mldMaddr: { id: 'icmpv6.mld.multicast_address', name: 'Multicast Address', type: 'ipv6' },
  mldMaxCode: { id: 'icmpv6.mld.maximum_response_code', name: 'Maximum Response Code', type: 'uint16', base: 'dec' },
  mldFlag: { id: 'icmpv6.mld.flag', name: 'Flags', type: 'uint8', base: 'hex' },
  mldFlagS: { id: 'icmpv6.mld.flag.s', name: 'Suppress Router-Side Processing', type: 'boolean', base: 8, mask: 0x08 },
  mldFlagQrv: { id: 'icmpv6.mld.flag.qrv', name: "QRV (Querier's Robustness Variable)", type: 'uint8', base: 'dec', mask: 0x07 },
  mldFlagRsv: { id: 'icmpv6.mld.flag.reserved', name: 'Reserved', type: 'uint8', base: 'dec', mask: 0xf0 },
  mldQqi: { id: 'icmpv6.mld.qqi', name: "QQIC (Querier's Query Interval Code)", type: 'uint8', base: 'dec' },
  mldNbSources: { id: 'icmpv6.mld.nb_sources', name: 'Number of Sources', type: 'uint16', base: 'dec' },
  mldSource: { id: 'icmpv6.mld.source_address', name: 'Source Address', type: 'ipv6' },
  mldrNbRecords: { id: 'icmpv6.mldr.nb_mcast_records', name: 'Number of Multicast Address Records', type: 'uint16', base: 'dec' },
  mar: { id: 'icmpv6.mldr.mar', name: 'Multicast Address Record', type: 'none' },
  marRecordType: { id: 'icmpv6.mldr.mar.record_type', name: 'Record Type', type: 'uint8', base: 'dec', vals: { 1: 'Include', 2: 'Exclude', 3: 'Changed to include', 4: 'Changed to exclude', 5: 'Allow new sources', 6: 'Block old sources' } },
  marAuxDataLen: { id: 'icmpv6.mldr.mar.aux_data_len', name: 'Aux Data Len', type: 'uint8', base: 'dec' },
  marNbSources: { id: 'icmpv6.mldr.mar.nb_sources', name: 'Number of Sources', type: 'uint16', base: 'dec' },
  marMaddr: { id: 'icmpv6.mldr.mar.multicast_address', name: 'Multicast Address', type: 'ipv6' },
  marSource: { id: 'icmpv6.mldr.mar.source_address', name: 'Source Address', type: 'ipv6' },
  marAuxData: { id: 'icmpv6.mldr.mar.auxiliary_data', name: 'Auxiliary Data', type: 'bytes' },
});

export const experts = defineExperts('icmpv6', {
  checksumBad: { id: 'icmpv6.checksum_bad.expert', summary: 'Bad checksum', severity: 'warn', group: 'checksum' },
  respNotFound: { id: 'icmpv6.resp_not_found', summary: 'Response not found', severity: 'warn', group: 'sequence' },
  invalidOptionLength: { id: 'icmpv6.invalid_option_length', summary: 'Invalid Option Length', severity: 'error', group: 'malformed' },
  undecodedOption: { id: 'icmpv6.undecoded.option', summary: 'Undecoded option', severity: 'note', group: 'undecoded' },
  undecodedType: { id: 'icmpv6.undecoded.type', summary: 'Undecoded type', severity: 'note', group: 'undecoded' },
});

/**
 * Echo request/reply pairing, recorded in the first pass. A reply answers the latest unanswered request
 * between the same two addresses with the same identifier, sequence number and content — content compared
 * through the checksum, which differs between request and reply only by the type byte.
 */
const TYPE_ECHO_REQUEST = 128;
const TYPE_ECHO_REPLY = 129;

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('ICMPv6');
  pinfo.setInfo('');
  const full = tree.full;
  tree.open(fields.icmpv6, view, 0, view.length, null);
  const type = view.u8(0);
  const typeName = typeNames[type] ?? `Unknown (${type})`;
  tree.add(fields.type, view, 0, 1, type);
  pinfo.setInfo(typeName);
  const code = view.u8(1);
  const codeTable = codeNames[type];
  const codeName = codeTable ? (codeTable.names[code] ?? codeTable.unknown(code)) : undefined;
  tree.add(fields.code, view, 1, 1, code, full && codeName !== undefined ? `Code: ${code} (${codeName})` : undefined);
  if (codeName !== undefined) pinfo.setInfo(`${typeName} (${codeName})`);
  addChecksum(view, pinfo, tree);

  switch (type) {
    case 1: // Destination Unreachable (RFC 4443 §3.1)
    case 3: // Time Exceeded (§3.3)
      tree.add(fields.reserved, view, 4, 4, bytesOf(tree, fields.reserved, view, 4, 4));
      dissectInvokingPacket(view.sub(8), pinfo, tree);
      break;
    case 2: // Packet Too Big (§3.2)
      tree.add(fields.mtu, view, 4, 4, view.u32(4));
      dissectInvokingPacket(view.sub(8), pinfo, tree);
      break;
    case 4: // Parameter Problem (§3.4)
      tree.add(fields.pointer, view, 4, 4, view.u32(4));
      dissectInvokingPacket(view.sub(8), pinfo, tree);
      break;
    case TYPE_ECHO_REQUEST:
    case TYPE_ECHO_REPLY:
      dissectEcho(view, type, pinfo, tree);
      break;
    case 130:
    case 131:
    case 132:
      dissectMld(view, type, tree);
      break;
    case 133: // Router Solicitation (RFC 4861 §4.1)
      tree.add(fields.reserved, view, 4, 4, bytesOf(tree, fields.reserved, view, 4, 4));
      dissectOptions(view, 8, pinfo, tree);
      break;
    case 134:
      dissectRouterAdvertisement(view, pinfo, tree);
      break;
    case 135: {
      // Neighbor Solicitation (RFC 4861 §4.3)
      tree.add(fields.reserved, view, 4, 4, bytesOf(tree, fields.reserved, view, 4, 4));
      const target = view.bytes(8, 16);
      tree.add(fields.nsTarget, view, 8, 16, target);
      pinfo.setInfo(`Neighbor Solicitation for ${formatIPv6(target)}`);
      dissectOptions(view, 24, pinfo, tree);
      break;
    }
    case 136:
      dissectNeighborAdvertisement(view, pinfo, tree);
      break;
    case 137: // Redirect (RFC 4861 §4.5)
      tree.add(fields.reserved, view, 4, 4, bytesOf(tree, fields.reserved, view, 4, 4));
      tree.add(fields.rdTarget, view, 8, 16, bytesOf(tree, fields.rdTarget, view, 8, 16));
      tree.add(fields.rdDestination, view, 24, 16, bytesOf(tree, fields.rdDestination, view, 24, 16));
      dissectOptions(view, 40, pinfo, tree);
      break;
    case 143:
      dissectMldv2Report(view, tree);
      break;
    default:
      if (view.length > 4) {
        // Types Fathom does not decode yet; for types nobody defines, say so as Wireshark does.
        if (!isKnownType(type)) {
          addExpert(tree, pinfo, experts.undecodedType, view, 0, 0, `Dissector for ICMPv6 Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`);
        }
        tree.add(fields.data, view, 4, view.length - 4, bytesOf(tree, fields.data, view, 4, view.length - 4));
      }
  }
  tree.close();
  return view.length;
}

/** The bytes for a field's value if it is recorded; otherwise only checks they are there (no allocation). */
function bytesOf(tree: ProtoTree, f: FieldInfo, view: ByteView, o: number, n: number): Uint8Array | null {
  if (tree.wants(f)) return view.bytes(o, n);
  view.ensure(o, n);
  return null;
}

function isKnownType(type: number): boolean {
  return (type >= 1 && type <= 4) || (type >= 128 && type <= 161 && type !== 150);
}

/**
 * Checksum over the IPv6 pseudo-header and the message (RFC 4443 §2.3). Not verified for a message quoted in
 * an ICMP error, for a fragment (the rest of the message is elsewhere), for bytes not all captured, or when no
 * IPv6 header handed over its addresses.
 */
function addChecksum(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const cks = view.u16(2);
  const full = tree.full;
  const want = full || tree.wants(fields.checksum) || tree.wants(fields.checksumStatus) || tree.wants(experts.checksumBad.field) || tree.wants(expertFields.expert);
  if (!want) return;
  let unverified = '';
  if (pinfo.inErrorPacket) unverified = ' [unverified] [in ICMP error packet]';
  else if (pinfo.fragmented || view.length < view.reportedLength) unverified = ' [unverified] [fragmented datagram]';
  else if (pinfo.pseudoSrc.kind !== AddrKind.IPv6 || pinfo.pseudoDst.kind !== AddrKind.IPv6) unverified = ' [unverified]';
  if (unverified) {
    tree.add(fields.checksum, view, 2, 2, cks, full ? `Checksum: 0x${hex(cks, 4)}${unverified}` : undefined);
    tree.addGenerated(fields.checksumStatus, view, 2, 0, 2);
    return;
  }
  let sum = sumAddress(pinfo.pseudoSrc) + sumAddress(pinfo.pseudoDst);
  const len = view.length;
  sum += (len >>> 16) + (len & 0xffff) + 58;
  for (let i = 0; i + 1 < len; i += 2) if (i !== 2) sum += view.u16(i);
  if (len & 1) sum += view.u8(len - 1) << 8;
  const folded = fold(sum);
  const expected = ~folded & 0xffff;
  if (fold(folded + cks) === 0xffff) {
    tree.add(fields.checksum, view, 2, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} [correct]` : undefined);
    tree.addGenerated(fields.checksumStatus, view, 2, 0, 1);
  } else {
    tree.open(fields.checksum, view, 2, 2, cks, full ? `Checksum: 0x${hex(cks, 4)} incorrect, should be 0x${hex(expected, 4)}` : undefined);
    addExpert(tree, pinfo, experts.checksumBad, view, 2, 2, `Bad checksum [should be 0x${hex(expected, 4)}]`);
    tree.close();
    tree.addGenerated(fields.checksumStatus, view, 2, 0, 0);
  }
}

function sumAddress(a: AddressRef): number {
  let s = 0;
  for (let i = 0; i < 16; i += 2) s += (a.data[a.at + i] << 8) | a.data[a.at + i + 1];
  return s;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * The packet that caused an error (RFC 4443 §2.4 (c)), shown as IPv6 when it looks like IPv6. Its layers
 * must not touch the columns or addresses (pinfo.inErrorPacket), and since it is usually cut short, running
 * out of bytes in it ends its display quietly instead of marking the frame malformed.
 */
function dissectInvokingPacket(inner: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const b0 = inner.u8(0);
  const ipv6 = findDissector('ipv6');
  if (b0 >> 4 !== 6 || !ipv6) {
    dissectData(inner, pinfo, tree);
    return;
  }
  const saved = pinfo.inErrorPacket;
  const depth = tree.openDepth;
  pinfo.inErrorPacket = true;
  try {
    callDissector(ipv6, inner, pinfo, tree);
  } catch (e) {
    if (!(e instanceof BoundsError || e instanceof ReportedBoundsError)) throw e;
    tree.closeTo(depth);
  } finally {
    pinfo.inErrorPacket = saved;
  }
}

function dissectEcho(view: ByteView, type: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const id = view.u16(4);
  tree.add(fields.echoId, view, 4, 2, id);
  const seq = view.u16(6);
  tree.add(fields.echoSeq, view, 6, 2, seq);
  if (type === TYPE_ECHO_REQUEST && isTeredoConnectivityTest(view, pinfo)) {
    // RFC 4380 §5.2.9: a Teredo client probes a peer with an Echo Request that starts with a 4-byte nonce;
    // Wireshark shows it as such (and does not pair it with the reply).
    tree.add(fields.echoNonce, view, 8, 4, view.bytes(8, 4));
    pinfo.setProtocol('Teredo');
    let test = `Direct IPv6 Connectivity Test id=0x${hex(id, 4)}, seq=${seq}`;
    if (pinfo.pseudoSrc.kind === AddrKind.IPv6) test += `, hop limit=${pinfo.hopLimit}`;
    pinfo.setInfo(test);
    return;
  }
  let info = `${typeNames[type]} id=0x${hex(id, 4)}, seq=${seq}`;
  if (pinfo.pseudoSrc.kind === AddrKind.IPv6) info += `, hop limit=${pinfo.hopLimit}`;
  if (!pinfo.inErrorPacket) info += trackEcho(view, type, id, seq, pinfo, tree);
  pinfo.setInfo(info);
  if (view.length > 8 || view.reportedLength > 8) dissectData(view.sub(8), pinfo, tree);
}

/** An Echo Request from a Teredo address (2001:0::/32, RFC 4380 §2.14) carried in Teredo. */
function isTeredoConnectivityTest(view: ByteView, pinfo: PacketInfo): boolean {
  const src = pinfo.pseudoSrc;
  if (pinfo.inErrorPacket || !view.has(8, 4) || src.kind !== AddrKind.IPv6 || !pinfo.layers.includes('teredo')) return false;
  const d = src.data;
  const i = src.at;
  return d[i] === 0x20 && d[i + 1] === 0x01 && d[i + 2] === 0 && d[i + 3] === 0;
}

/** Records (first pass) and shows (always) the request/reply pairing; returns the Info suffix. */
function trackEcho(view: ByteView, type: number, id: number, seq: number, pinfo: PacketInfo, tree: ProtoTree): string {
  const dst = pinfo.netDst;
  // Requests to a multicast group (ff00::/8) get many replies or none: Wireshark does not pair them.
  if (type === TYPE_ECHO_REQUEST && dst.kind === AddrKind.IPv6 && dst.data[dst.at] === 0xff) return ' (multicast)';
  const pairs = pinfo.state.of('icmpv6.echo', () => new RequestPairs(pinfo.state.frameTimes));
  const frame = pinfo.frame;
  if (pinfo.firstPass) {
    const cks = view.u16(2);
    if (type === TYPE_ECHO_REQUEST) pairs.addRequest(echoKey(pinfo, id, seq, cks), frame, pinfo.tsSecs, pinfo.tsNsecs);
    else pairs.addResponse(echoKey(pinfo, id, seq, requestChecksum(cks)), frame, pinfo.tsSecs, pinfo.tsNsecs);
    return '';
  }
  const full = tree.full;
  if (type === TYPE_ECHO_REQUEST) {
    const reply = pairs.responseTo(frame);
    if (reply !== 0) {
      tree.addGenerated(fields.respIn, view, 0, 0, reply, full ? `[Response In: ${reply}]` : undefined);
      return ` (reply in ${reply})`;
    }
    tree.open(fields.noResp, view, 0, 0, null, full ? '[No response seen]' : undefined, 1);
    addExpert(tree, pinfo, experts.respNotFound, view, 0, 0, `No response seen to ICMPv6 request in frame ${frame}`);
    tree.close();
    return ' (no response found!)';
  }
  const request = pairs.requestOf(frame);
  if (request === 0) return '';
  tree.addGenerated(fields.respTo, view, 0, 0, request, full ? `[Response To: ${request}]` : undefined);
  const ms = pairs.responseMs(frame);
  tree.addGenerated(fields.respTime, view, 0, 0, ms, full ? `[Response Time: ${ms.toFixed(3)} ms]` : undefined);
  return ` (request in ${request})`;
}

/** The two addresses in a fixed order (either may have sent the request), identifier, sequence, checksum. */
function echoKey(pinfo: PacketInfo, id: number, seq: number, cks: number): string {
  const a = pinfo.netSrc.toString();
  const b = pinfo.netDst.toString();
  return `${a < b ? a : b} ${a < b ? b : a} ${id} ${seq} ${cks}`;
}

/**
 * The checksum the request had, given the reply's: the messages differ only in the type (128 → 129), which
 * adds 0x0100 to the one's-complement sum; so undo that (RFC 1071 arithmetic).
 */
function requestChecksum(replyCks: number): number {
  const replySum = ~replyCks & 0xffff;
  return ~fold(replySum + 0xfeff) & 0xffff;
}

function dissectRouterAdvertisement(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  // RFC 4861 §4.2; the H flag RFC 6275 §7.1, Prf RFC 4191 §2.2, P RFC 4389 §4.
  tree.add(fields.raCurHopLimit, view, 4, 1, view.u8(4));
  const flags = view.u8(5);
  const prf = (flags >> 3) & 3;
  let label: string | undefined;
  if (tree.full) {
    const names: string[] = [];
    if (flags & 0x80) names.push('Managed address configuration');
    if (flags & 0x40) names.push('Other configuration');
    if (flags & 0x20) names.push('Home Agent');
    names.push(`Prf (Default Router Preference): ${preferenceNames[prf]}`);
    if (flags & 0x04) names.push('Proxy');
    label = `Flags: 0x${hex(flags, 2)}, ${names.join(', ')}`;
  }
  tree.open(fields.raFlag, view, 5, 1, flags, label);
  tree.add(fields.raFlagM, view, 5, 1, (flags & 0x80) !== 0);
  tree.add(fields.raFlagO, view, 5, 1, (flags & 0x40) !== 0);
  tree.add(fields.raFlagH, view, 5, 1, (flags & 0x20) !== 0);
  tree.add(fields.raFlagPrf, view, 5, 1, prf);
  tree.add(fields.raFlagP, view, 5, 1, (flags & 0x04) !== 0);
  tree.add(fields.raFlagRsv, view, 5, 1, flags & 0x03);
  tree.close();
  tree.add(fields.raRouterLifetime, view, 6, 2, view.u16(6));
  tree.add(fields.raReachableTime, view, 8, 4, view.u32(8));
  tree.add(fields.raRetransTimer, view, 12, 4, view.u32(12));
  dissectOptions(view, 16, pinfo, tree);
}

function dissectNeighborAdvertisement(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  // RFC 4861 §4.4: R(outer), S(olicited), O(verride) flags, then the target.
  const flags = view.u32(4);
  const names: string[] = [];
  const short: string[] = [];
  if (flags & 0x80000000) {
    names.push('Router');
    short.push('rtr');
  }
  if (flags & 0x40000000) {
    names.push('Solicited');
    short.push('sol');
  }
  if (flags & 0x20000000) {
    names.push('Override');
    short.push('ovr');
  }
  tree.open(fields.naFlag, view, 4, 4, flags, tree.full ? `Flags: 0x${hex(flags, 8)}${names.length ? ', ' + names.join(', ') : ''}` : undefined);
  tree.add(fields.naFlagR, view, 4, 4, (flags & 0x80000000) !== 0);
  tree.add(fields.naFlagS, view, 4, 4, (flags & 0x40000000) !== 0);
  tree.add(fields.naFlagO, view, 4, 4, (flags & 0x20000000) !== 0);
  tree.add(fields.naFlagRsv, view, 4, 4, flags & 0x1fffffff);
  tree.close();
  const target = view.bytes(8, 16);
  tree.add(fields.naTarget, view, 8, 16, target);
  pinfo.setInfo(`Neighbor Advertisement ${formatIPv6(target)} (${short.length ? short.join(', ') : 'none'})`);
  dissectOptions(view, 24, pinfo, tree);
}

/** A lifetime-like value: its special name (e.g. "Infinity (4294967295)") if it has one, else the plain number. */
function addSpecial(tree: ProtoTree, f: FieldInfo, view: ByteView, o: number, len: number, v: number): void {
  tree.add(f, view, o, len, v, tree.full && valueString(f, v) === undefined ? `${f.name}: ${v}` : undefined);
}

/**
 * Neighbor Discovery options (RFC 4861 §4.6): type, length in 8-octet units, data. Source and target link-layer
 * addresses also go into Info (" from …", " is at …"). A zero length is invalid and ends the list (§4.6).
 */
function dissectOptions(view: ByteView, start: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  let p = start;
  while (p < view.length) {
    const type = view.u8(p);
    const name = optTypeNames[type];
    const lenUnits = view.u8(p + 1);
    const len = lenUnits * 8;
    const title = name ?? `Unknown ${type}`;
    if (len === 0) {
      tree.open(fields.opt, view, p, 0, null, full ? `ICMPv6 Option (${title}` : undefined);
      tree.add(fields.optType, view, p, 1, type);
      tree.open(fields.optLength, view, p + 1, 1, 0, full ? 'Length: 0 (0 bytes)' : undefined);
      addExpert(tree, pinfo, experts.invalidOptionLength, view, p + 1, 1, 'Invalid option length (Zero)');
      tree.close();
      tree.close();
      return;
    }
    view.ensure(p, len);
    const optItem = tree.open(fields.opt, view, p, len, null, full ? `ICMPv6 Option (${title})` : undefined);
    tree.add(fields.optType, view, p, 1, type);
    tree.add(fields.optLength, view, p + 1, 1, lenUnits, full ? `Length: ${lenUnits} (${len} bytes)` : undefined);
    const suffix = dissectOption(view, p, type, len, pinfo, tree);
    if (full && suffix) tree.setLabel(optItem, `ICMPv6 Option (${title}${suffix})`);
    tree.close();
    p += len;
  }
}

/** One option's data; returns what its tree label adds after the name (" : 00:0c:29:…" and the like). */
function dissectOption(view: ByteView, p: number, type: number, len: number, pinfo: PacketInfo, tree: ProtoTree): string {
  const full = tree.full;
  const d = p + 2;
  switch (type) {
    case 1:
    case 2: {
      // Link-layer address (§4.6.1): 6 bytes on Ethernet; other links use the rest of the option.
      const n = len === 8 ? 6 : len - 2;
      const addr = view.bytes(d, n);
      tree.add(fields.linkaddr, view, d, n, addr);
      tree.add(type === 1 ? fields.srcLinkaddr : fields.targetLinkaddr, view, d, n, addr, undefined, 2);
      const text = formatBytes(addr, ':');
      // Info names the address only when it is an Ethernet one (as Wireshark's AT_ETHER address).
      if (n === 6) pinfo.appendInfo(type === 1 ? ` from ${text}` : ` is at ${text}`);
      return ` : ${text}`;
    }
    case 3: {
      // Prefix Information (§4.6.2).
      const prefixLen = view.u8(d);
      tree.add(fields.prefixLength, view, d, 1, prefixLen);
      const flags = view.u8(d + 1);
      const names: string[] = [];
      if (flags & 0x80) names.push('On-link flag(L)');
      if (flags & 0x40) names.push('Autonomous address-configuration flag(A)');
      if (flags & 0x20) names.push('Router address flag(R)');
      tree.open(fields.prefixFlag, view, d + 1, 1, flags, full ? `Flag: 0x${hex(flags, 2)}${names.length ? ', ' + names.join(', ') : ''}` : undefined);
      tree.add(fields.prefixFlagL, view, d + 1, 1, (flags & 0x80) !== 0);
      tree.add(fields.prefixFlagA, view, d + 1, 1, (flags & 0x40) !== 0);
      tree.add(fields.prefixFlagR, view, d + 1, 1, (flags & 0x20) !== 0);
      tree.add(fields.prefixFlagRsv, view, d + 1, 1, flags & 0x1f);
      tree.close();
      addSpecial(tree, fields.prefixValidLifetime, view, d + 2, 4, view.u32(d + 2));
      addSpecial(tree, fields.prefixPreferredLifetime, view, d + 6, 4, view.u32(d + 6));
      tree.add(fields.optReserved, view, d + 10, 4, null);
      const prefix = bytesOf(tree, fields.prefix, view, d + 14, 16);
      tree.add(fields.prefix, view, d + 14, 16, prefix);
      return full && prefix ? ` : ${formatIPv6(prefix)}/${prefixLen}` : '';
    }
    case 4: {
      // Redirected Header (§4.6.3): as much of the redirected packet as fits, shown like an error's quote.
      tree.add(fields.optReserved, view, d, 6, null);
      const inner = view.sub(p + 8, len - 8, len - 8);
      tree.add(fields.redirectedPacket, view, p + 8, len - 8, null);
      if (len > 8) dissectInvokingPacket(inner, pinfo, tree);
      return '';
    }
    case 5: {
      // MTU (§4.6.4).
      tree.add(fields.optReserved, view, d, 2, null);
      const mtu = view.u32(d + 2);
      tree.add(fields.optMtu, view, d + 2, 4, mtu);
      return ` : ${mtu}`;
    }
    case 7:
      // Advertisement Interval (RFC 6275 §7.3).
      tree.add(fields.optReserved, view, d, 2, null);
      tree.add(fields.advInterval, view, d + 2, 4, view.u32(d + 2));
      return '';
    case 8:
      // Home Agent Information (RFC 6275 §7.4).
      tree.add(fields.optReserved, view, d, 2, null);
      tree.add(fields.haPreference, view, d + 2, 2, view.u16(d + 2));
      tree.add(fields.haLifetime, view, d + 4, 2, view.u16(d + 4));
      return '';
    case 14:
      // Nonce (RFC 3971 §5.3.2).
      tree.add(fields.nonce, view, d, len - 2, bytesOf(tree, fields.nonce, view, d, len - 2));
      return '';
    case 24: {
      // Route Information (RFC 4191 §2.3): the prefix is 0, 8 or 16 bytes long.
      const prefixLen = view.u8(d);
      tree.add(fields.prefixLength, view, d, 1, prefixLen);
      const flags = view.u8(d + 1);
      const pref = preferenceNames[(flags >> 3) & 3];
      tree.open(fields.routeInfoFlag, view, d + 1, 1, flags, full ? `Flag: 0x${hex(flags, 2)}, Route Preference: ${pref}` : undefined);
      tree.add(fields.routeInfoPref, view, d + 1, 1, (flags >> 3) & 3);
      tree.add(fields.routeInfoRsv, view, d + 1, 1, flags & 0xe7);
      tree.close();
      addSpecial(tree, fields.routeLifetime, view, d + 2, 4, view.u32(d + 2));
      const n = Math.min(16, len - 8);
      view.ensure(d + 6, n);
      if (!tree.wants(fields.prefix)) return '';
      // The prefix is sent without its trailing zero bytes; the value is the whole address.
      const prefix = new Uint8Array(16);
      prefix.set(view.bytes(d + 6, n));
      tree.add(fields.prefix, view, d + 6, n, prefix);
      return full ? ` : ${pref} ${formatIPv6(prefix)}/${prefixLen}` : '';
    }
    case 25: {
      // Recursive DNS Server (RFC 8106 §5.1).
      tree.add(fields.optReserved, view, d, 2, null);
      addSpecial(tree, fields.rdnssLifetime, view, d + 2, 4, view.u32(d + 2));
      let text = '';
      for (let a = p + 8; a + 16 <= p + len; a += 16) {
        const addr = bytesOf(tree, fields.rdnss, view, a, 16);
        tree.add(fields.rdnss, view, a, 16, addr);
        if (full && addr) text += ' ' + formatIPv6(addr);
      }
      return text;
    }
    case 31: {
      // DNS Search List (RFC 8106 §5.2): domain names in DNS label form, then zero padding.
      tree.add(fields.optReserved, view, d, 2, null);
      addSpecial(tree, fields.dnsslLifetime, view, d + 2, 4, view.u32(d + 2));
      let text = '';
      let q = p + 8;
      const end = p + len;
      while (q < end && view.u8(q) !== 0) {
        const start = q;
        let name = '';
        while (q < end) {
          const l = view.u8(q);
          q++;
          if (l === 0) break;
          const n = Math.min(l, end - q);
          name += (name ? '.' : '') + view.ascii(q, n);
          q += n;
        }
        tree.add(fields.dnssl, view, start, q - start, name);
        if (full) text += ' ' + name;
      }
      if (q < end) tree.add(fields.optPadding, view, q, end - q, null);
      return text;
    }
    default:
      if (optTypeNames[type] === undefined) {
        addExpert(tree, pinfo, experts.undecodedOption, view, p, 0, `Dissector for ICMPv6 Option (${type}) code not implemented, Contact Wireshark developers if you want this supported`);
      }
      if (len > 2) tree.add(fields.data, view, d, len - 2, bytesOf(tree, fields.data, view, d, len - 2));
      return '';
  }
}

/** MLDv1 Query/Report/Done (RFC 2710 §3); a Query longer than 24 bytes is an MLDv2 Query (RFC 3810 §5.1). */
function dissectMld(view: ByteView, type: number, tree: ProtoTree): void {
  const v2 = type === 130 && view.reportedLength > 24;
  tree.add(v2 ? fields.mldMaxCode : fields.mldMaxDelay, view, 4, 2, view.u16(4));
  tree.add(fields.reserved, view, 6, 2, bytesOf(tree, fields.reserved, view, 6, 2));
  tree.add(fields.mldMaddr, view, 8, 16, bytesOf(tree, fields.mldMaddr, view, 8, 16));
  if (!v2) return;
  const flags = view.u8(24);
  tree.open(fields.mldFlag, view, 24, 1, flags);
  tree.add(fields.mldFlagS, view, 24, 1, (flags & 0x08) !== 0);
  tree.add(fields.mldFlagQrv, view, 24, 1, flags & 0x07);
  tree.add(fields.mldFlagRsv, view, 24, 1, flags >> 4);
  tree.close();
  tree.add(fields.mldQqi, view, 25, 1, view.u8(25));
  const n = view.u16(26);
  tree.add(fields.mldNbSources, view, 26, 2, n);
  for (let i = 0, a = 28; i < n; i++, a += 16) tree.add(fields.mldSource, view, a, 16, bytesOf(tree, fields.mldSource, view, a, 16));
}

/** MLDv2 Report (RFC 3810 §5.2): multicast address records, each with its sources and auxiliary data. */
function dissectMldv2Report(view: ByteView, tree: ProtoTree): void {
  tree.add(fields.reserved, view, 4, 2, bytesOf(tree, fields.reserved, view, 4, 2));
  const records = view.u16(6);
  tree.add(fields.mldrNbRecords, view, 6, 2, records);
  let p = 8;
  for (let r = 0; r < records; r++) {
    const recType = view.u8(p);
    const auxLen = view.u8(p + 1) * 4;
    const nSources = view.u16(p + 2);
    const size = 20 + nSources * 16 + auxLen;
    const maddr = view.bytes(p + 4, 16);
    view.ensure(p, size);
    const typeName = valueString(fields.marRecordType, recType) ?? 'Unknown';
    tree.open(fields.mar, view, p, size, null, tree.full ? `Multicast Address Record ${typeName}: ${formatIPv6(maddr)}` : undefined);
    tree.add(fields.marRecordType, view, p, 1, recType);
    tree.add(fields.marAuxDataLen, view, p + 1, 1, view.u8(p + 1));
    tree.add(fields.marNbSources, view, p + 2, 2, nSources);
    tree.add(fields.marMaddr, view, p + 4, 16, maddr);
    let a = p + 20;
    for (let i = 0; i < nSources; i++, a += 16) tree.add(fields.marSource, view, a, 16, bytesOf(tree, fields.marSource, view, a, 16));
    if (auxLen > 0) tree.add(fields.marAuxData, view, a, auxLen, bytesOf(tree, fields.marAuxData, view, a, auxLen));
    tree.close();
    p += size;
  }
}

export const handle = { abbrev: 'icmpv6', dissect };

export function handoff(): void {
  registerDissector('icmpv6', handle);
  tables.ipProto.add(58, handle);
}
