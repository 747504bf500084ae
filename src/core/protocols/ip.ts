import { defineFields, textField } from '../dissect/field-registry';
import { tables, findDissector, callDissector, registerDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import { AddrKind, type PacketInfo } from '../dissect/packet-info';
import { tapAddresses } from '../dissect/taps';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { formatIPv4, hex } from '../dissect/format';
import { LinkType } from '../capture/link-types';
import { ipProtoNames } from './values/ipproto';
import { dscpNames, dscpShort, ecnNames, ecnShort } from './values/dsfield';
import { dissect as dissectData } from './data';
import { ipv4FragmentKey, ipv4Reassembly, reassembleFragment } from '../analysis/ip-reassembly';

/** Internet Protocol version 4 (RFC 791; DSCP/ECN per RFC 2474/3168). */
const setNotSet = ['Set', 'Not set'] as const;
const optNumbers: Record<number, string> = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Security', 3: 'Loose source route', 4: 'Time stamp',
  5: 'Extended security', 6: 'Commercial IP security option', 7: 'Record route', 8: 'Stream identifier',
  9: 'Strict source route', 10: 'Experimental Measurement', 11: 'MTU probe', 12: 'MTU Reply',
  13: 'Experimental Flow Control', 14: 'Experimental Access Control', 15: 'Ask Estrin', 16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol', 18: 'Traceroute', 19: 'Address Extension', 20: 'Router Alert',
  21: 'Selective Directed Broadcast', 22: 'Unassigned', 23: 'Dynamic Packet State', 24: 'Upstream Multicast Packet',
  25: 'Quick-Start', 30: 'RFC 3692-style experiment',
};
/** Option names as the "IP Option - …" items show them (Wireshark's own wording differs slightly from the number names). */
const optTitles: Record<number, string> = {
  0: 'End of Options List (EOL)', 1: 'No-Operation (NOP)', 7: 'Record Route', 3: 'Loose Source Route',
  9: 'Strict Source Route', 4: 'Time Stamp', 20: 'Router Alert', 8: 'Stream Identifier', 2: 'Security',
  11: 'MTU Probe', 12: 'MTU Reply', 18: 'Traceroute', 25: 'Quick-Start',
};

export const fields = defineFields('ip', {
  ip: { id: 'ip', name: 'Internet Protocol Version 4', type: 'protocol' },
  version: { id: 'ip.version', name: 'Version', type: 'uint8', base: 'dec' },
  hdrLen: { id: 'ip.hdr_len', name: 'Header Length', type: 'uint8', base: 'dec', description: 'Header length in 32-bit words' },
  dsfield: { id: 'ip.dsfield', name: 'Differentiated Services Field', type: 'uint8', base: 'hex' },
  dscp: { id: 'ip.dsfield.dscp', name: 'Differentiated Services Codepoint', type: 'uint8', base: 'dec', mask: 0xfc, vals: dscpNames },
  ecn: { id: 'ip.dsfield.ecn', name: 'Explicit Congestion Notification', type: 'uint8', base: 'dec', mask: 0x03, vals: ecnNames },
  len: { id: 'ip.len', name: 'Total Length', type: 'uint16', base: 'dec' },
  id: { id: 'ip.id', name: 'Identification', type: 'uint16', base: 'hex_dec' },
  flags: { id: 'ip.flags', name: 'Flags', type: 'uint8', base: 'hex', mask: 0xe0 },
  flagRb: { id: 'ip.flags.rb', name: 'Reserved bit', type: 'boolean', base: 8, mask: 0x80, tfs: setNotSet },
  flagDf: { id: 'ip.flags.df', name: "Don't fragment", type: 'boolean', base: 8, mask: 0x40, tfs: setNotSet },
  flagMf: { id: 'ip.flags.mf', name: 'More fragments', type: 'boolean', base: 8, mask: 0x20, tfs: setNotSet },
  fragOffset: { id: 'ip.frag_offset', name: 'Fragment Offset', type: 'uint16', base: 'dec', mask: 0x1fff },
  ttl: { id: 'ip.ttl', name: 'Time to Live', type: 'uint8', base: 'dec' },
  proto: { id: 'ip.proto', name: 'Protocol', type: 'uint8', base: 'dec', vals: ipProtoNames },
  checksum: { id: 'ip.checksum', name: 'Header Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: { id: 'ip.checksum.status', name: 'Header checksum status', type: 'uint8', base: 'none', vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } },
  src: { id: 'ip.src', name: 'Source Address', type: 'ipv4' },
  dst: { id: 'ip.dst', name: 'Destination Address', type: 'ipv4' },
  addr: { id: 'ip.addr', name: 'Source or Destination Address', type: 'ipv4' },
  srcHost: { id: 'ip.src_host', name: 'Source Host', type: 'string' },
  dstHost: { id: 'ip.dst_host', name: 'Destination Host', type: 'string' },
  host: { id: 'ip.host', name: 'Source or Destination Host', type: 'string' },
  optType: { id: 'ip.opt.type', name: 'Type', type: 'uint8', base: 'dec' },
  optCopy: { id: 'ip.opt.type.copy', name: 'Copy on fragmentation', type: 'boolean', base: 8, mask: 0x80, tfs: ['Yes', 'No'] },
  optClass: { id: 'ip.opt.type.class', name: 'Class', type: 'uint8', base: 'dec', mask: 0x60, vals: { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' } },
  optNumber: { id: 'ip.opt.type.number', name: 'Number', type: 'uint8', base: 'dec', mask: 0x1f, vals: optNumbers },
  optLen: { id: 'ip.opt.len', name: 'Length', type: 'uint8', base: 'dec' },
  optPtr: { id: 'ip.opt.ptr', name: 'Pointer', type: 'uint8', base: 'dec' },
  optRa: { id: 'ip.opt.ra', name: 'Router Alert', type: 'uint16', base: 'dec', vals: { 0: 'Router shall examine packet (0)' } },
  optMtu: { id: 'ip.opt.mtu', name: 'MTU', type: 'uint16', base: 'dec' },
  optIdNumber: { id: 'ip.opt.id_number', name: 'ID Number', type: 'uint16', base: 'dec' },
  recRt: { id: 'ip.rec_rt', name: 'Recorded Route', type: 'ipv4' },
  srcRt: { id: 'ip.src_rt', name: 'Source Route', type: 'ipv4' },
  emptyRt: { id: 'ip.empty_rt', name: 'Empty Route', type: 'ipv4' },
  optTimeStamp: { id: 'ip.opt.time_stamp', name: 'Time stamp', type: 'uint32', base: 'dec' },
  optTimeStampAddr: { id: 'ip.opt.time_stamp_addr', name: 'Address', type: 'ipv4' },
  optOverflow: { id: 'ip.opt.overflow', name: 'Overflow', type: 'uint8', base: 'dec', mask: 0xf0 },
  optFlag: { id: 'ip.opt.flag', name: 'Flag', type: 'uint8', base: 'hex', mask: 0x0f },
});

export const experts = defineExperts('ip', {
  bogusVersion: { id: 'ip.bogus_ip_version', summary: 'Bogus IP version', severity: 'error', group: 'protocol' },
  bogusHeaderLength: { id: 'ip.bogus_header_length', summary: 'Bogus IP header length', severity: 'error', group: 'protocol' },
  bogusLength: { id: 'ip.bogus_ip_length', summary: 'Bogus IP length', severity: 'error', group: 'protocol' },
  ttlTooSmall: { id: 'ip.ttl.too_small', summary: 'Time To Live', severity: 'note', group: 'sequence' },
  ttlLncb: { id: 'ip.ttl.lncb', summary: 'Time To Live', severity: 'note', group: 'sequence' },
  optLenInvalid: { id: 'ip.opt.len.invalid', summary: 'Invalid length for option', severity: 'error', group: 'protocol' },
  nop: { id: 'ip.nop', summary: '4 NOP in a row - a router may have removed some options', severity: 'warn', group: 'sequence' },
  evil: { id: 'ip.evil_packet', summary: 'Packet has evil intent', severity: 'warn', group: 'security' },
});

const MIN_HEADER = 20;

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const b0 = view.u8(0);
  const version = b0 >> 4;
  const full = tree.full;
  pinfo.setProtocol('IPv4');
  pinfo.setInfo('');
  if (version !== 4) {
    tree.open(fields.ip, view, 0, 1, null);
    tree.add(fields.version, view, 0, 1, version, full ? `${nibble(version)} .... = Version: ${version}` : undefined);
    addExpert(tree, pinfo, experts.bogusVersion, view, 0, 1, 'Bogus IPv4 version');
    tree.close();
    if (version === 6) {
      // An IPv6 packet behind ethertype 0x0800: Wireshark hands it to the IPv6 dissector.
      const v6 = findDissector('ipv6');
      if (v6) return callDissector(v6, view, pinfo, tree);
    }
    pinfo.setInfo(`Bogus IPv4 version (${version}, must be 4)`);
    return view.length;
  }
  const hlen = (b0 & 0x0f) * 4;
  const top = tree.open(fields.ip, view, 0, Math.max(hlen, 1), null);
  tree.add(fields.version, view, 0, 1, version, full ? `0100 .... = Version: 4` : undefined);
  if (hlen < MIN_HEADER) {
    const msg = `Bogus IP header length (${hlen}, must be at least ${MIN_HEADER})`;
    tree.add(fields.hdrLen, view, 0, 1, hlen, full ? `.... ${nibble(hlen / 4)} = Header Length: ${hlen} bytes (${hlen / 4})` : undefined);
    addExpert(tree, pinfo, experts.bogusHeaderLength, view, 0, 1, msg);
    tree.close();
    pinfo.setInfo(msg);
    return view.length;
  }
  view.ensure(0, MIN_HEADER);
  // The first pass and list rows record nothing: the header's items are added only when some may be
  // recorded. Expert items count towards the frame's severity, so they are added either way.
  const recording = tree.recording;
  if (recording) {
    tree.add(fields.hdrLen, view, 0, 1, hlen, full ? `.... ${nibble(hlen / 4)} = Header Length: ${hlen} bytes (${hlen / 4})` : undefined);
    const ds = view.u8(1);
    tree.open(fields.dsfield, view, 1, 1, ds, full ? `Differentiated Services Field: 0x${hex(ds, 2)} (DSCP: ${dscpShort(ds >> 2)}, ECN: ${ecnShort(ds & 3)})` : undefined);
    tree.add(fields.dscp, view, 1, 1, ds >> 2);
    tree.add(fields.ecn, view, 1, 1, ds & 3);
    tree.close();
  }

  let totalLen = view.u16(2);
  if (totalLen === 0) {
    // RFC 791 forbids it; senders using TCP segmentation offload leave it 0. Wireshark presumes TSO.
    totalLen = view.reportedLength;
    tree.addGenerated(fields.len, view, 2, 2, totalLen, full ? `[Total Length: ${totalLen} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))]` : undefined);
  } else {
    tree.add(fields.len, view, 2, 2, totalLen);
  }
  if (totalLen < hlen) {
    const msg = `Bogus IP length (${totalLen}, less than header length ${hlen})`;
    addExpert(tree, pinfo, experts.bogusLength, view, 2, 2, msg);
    tree.close();
    pinfo.setInfo(msg);
    return view.length;
  }
  const id = view.u16(4);
  const fragWord = view.u16(6);
  const flags = fragWord >> 13;
  const fragOffset = fragWord & 0x1fff;
  const mf = (flags & 1) !== 0;
  const ttl = view.u8(8);
  const proto = view.u8(9);
  if (recording) {
    tree.add(fields.id, view, 4, 2, id);
    tree.open(fields.flags, view, 6, 1, flags, full ? `${bits3(flags)} .... = Flags: 0x${flags.toString(16)}${flagNames(flags)}` : undefined);
    tree.add(fields.flagRb, view, 6, 1, (flags & 4) !== 0);
    tree.add(fields.flagDf, view, 6, 1, (flags & 2) !== 0);
    tree.add(fields.flagMf, view, 6, 1, mf);
    tree.close();
    tree.add(fields.fragOffset, view, 6, 2, fragOffset, full ? `...${fragBits(fragOffset)} = Fragment Offset: ${fragOffset * 8}` : undefined);
    tree.add(fields.ttl, view, 8, 1, ttl);
  }
  if (!pinfo.inErrorPacket) checkTtl(ttl, proto, view, pinfo, tree);
  if (recording) {
    tree.add(fields.proto, view, 9, 1, proto);
    const cks = view.u16(10);
    tree.add(fields.checksum, view, 10, 2, cks, full ? `Header Checksum: 0x${hex(cks, 4)} [validation disabled]` : undefined);
    tree.addGenerated(fields.checksumStatus, view, 10, 2, 2);
    const src = view.u32(12);
    const dst = view.u32(16);
    tree.add(fields.src, view, 12, 4, src);
    tree.add(fields.addr, view, 12, 4, src, undefined, 2);
    if (tree.wants(fields.srcHost) || tree.wants(fields.host)) {
      tree.add(fields.srcHost, view, 12, 4, formatIPv4(src), undefined, 2);
      tree.add(fields.host, view, 12, 4, formatIPv4(src), undefined, 2);
    }
    tree.add(fields.dst, view, 16, 4, dst);
    tree.add(fields.addr, view, 16, 4, dst, undefined, 2);
    if (tree.wants(fields.dstHost) || tree.wants(fields.host)) {
      tree.add(fields.dstHost, view, 16, 4, formatIPv4(dst), undefined, 2);
      tree.add(fields.host, view, 16, 4, formatIPv4(dst), undefined, 2);
    }
  }
  if (hlen > MIN_HEADER) dissectOptions(view, hlen, pinfo, tree);
  // Every IPv4 layer counts in the statistics (tunnels too), fragments included, before the payload.
  tapAddresses(pinfo, 'ip', AddrKind.IPv4, view, 12, 16);
  if (full) tree.setLabel(top, `Internet Protocol Version 4, Src: ${formatIPv4(view.u32(12))}, Dst: ${formatIPv4(view.u32(16))}`);
  tree.close();

  if (!pinfo.inErrorPacket) {
    pinfo.netSrc.set(AddrKind.IPv4, view, 12);
    pinfo.netDst.set(AddrKind.IPv4, view, 16);
  }
  pinfo.ipProto = proto;
  const reported = Math.min(totalLen, view.reportedLength);
  let payload = view.sub(hlen, Math.min(totalLen, view.length) - hlen, reported - hlen);
  if (mf || fragOffset !== 0) {
    // RFC 791 §3.2: fragments are put back together (analysis/ip-reassembly.ts); its items go in the IP tree.
    tree.reopen(top);
    const frag = reassembleFragment(
      { family: ipv4Reassembly, key: ipv4FragmentKey(view, proto, id), offset: fragOffset * 8, more: mf, payload, claimed: totalLen - hlen, headerBytes: hlen, at: view, atOffset: 0 },
      pinfo,
      tree,
    );
    tree.close();
    if (frag.payload) {
      // This frame completes the datagram: the next protocol gets all of it.
      payload = frag.payload;
    } else if (frag.attempted || fragOffset !== 0) {
      pinfo.fragmented = true;
      const where = frag.reassembledIn > 0 && !frag.completesHere ? ` [Reassembled in #${frag.reassembledIn}]` : '';
      pinfo.setInfo(`Fragmented IP protocol (proto=${ipProtoNames[proto] ?? 'Unknown'} ${proto}, off=${fragOffset * 8}, ID=${hex(id, 4)})${where}`);
      dissectData(payload, pinfo, tree);
      return reported;
    } else {
      // Not put to reassembly (not all captured, or empty): a first fragment is dissected as far as it goes.
      pinfo.fragmented = true;
    }
  }
  // Nothing to hand on: tshark calls no next protocol for an empty payload.
  if (payload.reportedLength === 0) return reported;
  if (tables.ipProto.tryDissect(proto, payload, pinfo, tree) < 0) {
    pinfo.setInfo(`${ipProtoNames[proto] ?? 'Unknown'} (${proto})`);
    dissectData(payload, pinfo, tree);
  }
  return reported;
}

/** Wireshark's TTL notes: unicast below 5 (except where a low TTL is normal), and LNCB multicast not 1. */
function checkTtl(ttl: number, proto: number, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const d0 = view.u8(16);
  const d1 = view.u8(17);
  const d2 = view.u8(18);
  const multicast = d0 >= 224 && d0 <= 239;
  if (multicast) {
    const lncb = d0 === 224 && d1 === 0 && d2 === 0;
    if (lncb && ttl !== 1 && proto !== 2 /* IGMP */ && proto !== 103 /* PIM */ && proto !== 112 /* VRRP */ && proto !== 89) {
      addExpert(tree, pinfo, experts.ttlLncb, view, 8, 1, `"Time To Live" != 1 for a packet sent to the Local Network Control Block (see RFC 3171)`);
    }
  } else if (ttl < 5 && proto !== 103 && proto !== 112) {
    addExpert(tree, pinfo, experts.ttlTooSmall, view, 8, 1, `"Time To Live" only ${ttl}`);
  }
}

function dissectOptions(view: ByteView, hlen: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  const names: string[] = [];
  const optsItem = tree.open(textField, view, MIN_HEADER, hlen - MIN_HEADER, null);
  let o = MIN_HEADER;
  let nops = 0;
  while (o < hlen) {
    const type = view.u8(o);
    const number = type & 0x1f;
    const title = optTitles[number] ?? optNumbers[number] ?? `Unknown (0x${hex(type, 2)})`;
    if (type === 0 || type === 1) {
      addOptionHeader(view, o, 1, title, type, -1, tree);
      tree.close();
      if (full) names.push(title);
      nops = type === 1 ? nops + 1 : 0;
      if (nops === 4) addExpert(tree, pinfo, experts.nop, view, o, 1);
      o += 1;
      if (type === 0) break;
      continue;
    }
    nops = 0;
    if (o + 1 >= hlen) {
      addOptionHeader(view, o, hlen - o, title, type, -1, tree);
      addExpert(tree, pinfo, experts.optLenInvalid, view, o, hlen - o, `${title} (with option length = ? bytes; should be >= 2)`);
      tree.close();
      break;
    }
    const len = view.u8(o + 1);
    if (len < 2 || o + len > hlen) {
      addOptionHeader(view, o, hlen - o, title, type, len, tree);
      addExpert(tree, pinfo, experts.optLenInvalid, view, o + 1, 1, `${title} (with option length = ${len} bytes; should be >= 2 and fit in the header)`);
      tree.close();
      break;
    }
    addOptionHeader(view, o, len, title, type, len, tree);
    optionBody(view, o, len, number, tree);
    tree.close();
    if (full) names.push(title);
    o += len;
  }
  if (full) tree.setLabel(optsItem, `Options: (${hlen - MIN_HEADER} bytes)${names.length ? ', ' + names.join(', ') : ''}`);
  tree.close();
}

function addOptionHeader(view: ByteView, o: number, len: number, title: string, type: number, optLen: number, tree: ProtoTree): void {
  tree.open(textField, view, o, len, null, tree.full ? `IP Option - ${title}` : undefined);
  tree.open(fields.optType, view, o, 1, type);
  tree.add(fields.optCopy, view, o, 1, (type & 0x80) !== 0);
  tree.add(fields.optClass, view, o, 1, (type >> 5) & 3);
  tree.add(fields.optNumber, view, o, 1, type & 0x1f);
  tree.close();
  if (optLen >= 0) tree.add(fields.optLen, view, o + 1, 1, optLen);
}

function optionBody(view: ByteView, o: number, len: number, number: number, tree: ProtoTree): void {
  switch (number) {
    case 3: // loose source route
    case 9: // strict source route
    case 7: {
      // record route: pointer, then addresses; those before the pointer are filled in
      const ptr = view.u8(o + 2);
      tree.add(fields.optPtr, view, o + 2, 1, ptr);
      for (let a = o + 3; a + 4 <= o + len; a += 4) {
        const addr = view.u32(a);
        const f = number === 7 ? (a - o + 1 < ptr ? fields.recRt : fields.emptyRt) : fields.srcRt;
        tree.add(f, view, a, 4, addr);
      }
      return;
    }
    case 4: {
      // time stamp: pointer, overflow/flag, then stamps (with addresses when flag is 1 or 3)
      if (len < 4) return;
      tree.add(fields.optPtr, view, o + 2, 1, view.u8(o + 2));
      const of = view.u8(o + 3);
      tree.add(fields.optOverflow, view, o + 3, 1, of >> 4);
      tree.add(fields.optFlag, view, o + 3, 1, of & 0x0f);
      const withAddr = (of & 0x0f) === 1 || (of & 0x0f) === 3;
      for (let a = o + 4; a < o + len; ) {
        if (withAddr && a + 8 <= o + len) {
          tree.add(fields.optTimeStampAddr, view, a, 4, view.u32(a));
          tree.add(fields.optTimeStamp, view, a + 4, 4, view.u32(a + 4));
          a += 8;
        } else if (!withAddr && a + 4 <= o + len) {
          tree.add(fields.optTimeStamp, view, a, 4, view.u32(a));
          a += 4;
        } else break;
      }
      return;
    }
    case 20:
      if (len === 4) tree.add(fields.optRa, view, o + 2, 2, view.u16(o + 2));
      return;
    case 8:
      if (len === 4) tree.add(fields.optIdNumber, view, o + 2, 2, view.u16(o + 2));
      return;
    case 11:
    case 12:
      if (len === 4) tree.add(fields.optMtu, view, o + 2, 2, view.u16(o + 2));
      return;
    default:
      // Other options: the header items above are all Wireshark shows by field for most of them.
      return;
  }
}

function nibble(v: number): string {
  return (v & 15).toString(2).padStart(4, '0');
}

function bits3(flags: number): string {
  return flags.toString(2).padStart(3, '0') + '.';
}

function fragBits(off: number): string {
  const b = off.toString(2).padStart(13, '0');
  return `${b[0]} ${b.slice(1, 5)} ${b.slice(5, 9)} ${b.slice(9, 13)}`;
}

function flagNames(flags: number): string {
  const n: string[] = [];
  if (flags & 4) n.push('Reserved bit');
  if (flags & 2) n.push("Don't fragment");
  if (flags & 1) n.push('More fragments');
  return n.length ? ', ' + n.join(', ') : '';
}

export const handle = { abbrev: 'ip', dissect };

export function handoff(): void {
  registerDissector('ip', handle);
  tables.ethertype.add(0x0800, handle);
  tables.ipProto.add(4, handle); // IP in IP
  tables.linkType.add(LinkType.IPV4, handle);
  tables.pppProtocol.add(0x0021, handle);
  tables.greProto.add(0x0800, handle);
  tables.nullFamily.add(2, handle); // AF_INET
}
