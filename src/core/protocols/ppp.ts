import { defineFields, textField, type FieldInfo } from '../dissect/field-registry';
import { tables, registerDissector, type DissectorHandle } from '../dissect/dissector-tables';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { formatBytes, hex } from '../dissect/format';
import { dissect as dissectData } from './data';

/**
 * Point-to-Point Protocol frames as PPTP carries them in enhanced GRE (RFC 1661 §2; address and control
 * fields optional per RFC 1662 §3.2 / RFC 1661 §6.6, protocol field one byte when compressed, RFC 1661 §6.5).
 *
 * The control protocols that share RFC 1661 §5's packet layout (LCP, IPCP, CCP, IPv6CP) are decoded down to
 * their header here — code, identifier, length — with their options left undecoded for now; the compressed
 * datagram (CCP, RFC 1962) is named only.
 */

/** ppp.protocol value strings (tshark -G values). */
export const pppProtocolNames: Readonly<Record<number, string>> = {
  0x0001: 'Padding Protocol', 0x0003: 'ROHC small-CID', 0x0005: 'ROHC large-CID',
  0x0021: 'Internet Protocol version 4', 0x0023: 'OSI Network Layer', 0x0025: 'Xerox NS IDP',
  0x0027: 'DECnet Phase IV', 0x0029: 'Appletalk', 0x002b: 'Novell IPX', 0x002d: 'Van Jacobson Compressed TCP/IP',
  0x002f: 'Van Jacobson Uncompressed TCP/IP', 0x0031: 'Bridging PDU', 0x0033: 'Stream Protocol (ST-II)',
  0x0035: 'Banyan Vines', 0x0039: 'AppleTalk EDDP', 0x003b: 'AppleTalk SmartBuffered', 0x003d: 'Multi-Link',
  0x003f: 'NETBIOS Framing', 0x0041: 'Cisco Systems', 0x0043: 'Ascom Timeplex',
  0x0045: 'Fujitsu Link Backup and Load Balancing (LBLB)', 0x0047: 'DCA Remote Lan',
  0x0049: 'Serial Data Transport Protocol (PPP-SDTP)', 0x004b: 'SNA over 802.2', 0x004d: 'SNA',
  0x004f: 'IPv6 Header Compression ', 0x0051: 'KNX Bridging Data', 0x0053: 'Encryption',
  0x0055: 'Individual Link Encryption', 0x0057: 'Internet Protocol version 6', 0x0059: 'PPP Muxing',
  0x005b: 'Vendor-Specific Network Protocol (VSNP)', 0x005d: 'TRILL Network Protocol (TNP)',
  0x0061: 'RTP IPHC Full Header', 0x0063: 'RTP IPHC Compressed TCP', 0x0065: 'RTP IPHC Compressed Non TCP',
  0x0067: 'RTP IPHC Compressed UDP 8', 0x0069: 'RTP IPHC Compressed RTP 8', 0x006f: 'Stampede Bridging',
  0x0073: 'MP+ Protocol', 0x00c1: 'NTCITS IPI', 0x00fb: 'Single link compression in multilink',
  0x00fd: 'Compressed datagram', 0x0201: '802.1d Hello Packets', 0x0203: 'IBM Source Routing BPDU',
  0x0205: 'DEC LANBridge100 Spanning Tree', 0x0207: 'Cisco Discovery Protocol', 0x0209: 'Netcs Twin Routing',
  0x020b: 'STP - Scheduled Transfer Protocol', 0x020d: 'EDP - Extreme Discovery Protocol',
  0x0211: 'Optical Supervisory Channel Protocol (OSCP)', 0x0213: 'Optical Supervisory Channel Protocol (OSCP)',
  0x0231: 'Luxcom', 0x0233: 'Sigma Network Systems', 0x0235: 'Apple Client Server Protocol', 0x0281: 'MPLS Unicast',
  0x0283: 'MPLS Multicast', 0x0285: 'IEEE p1284.4 standard - data packets',
  0x0287: 'ETSI TETRA Network Protocol Type 1', 0x0289: 'Multichannel Flow Treatment Protocol',
  0x2063: 'RTP IPHC Compressed TCP No Delta', 0x2065: 'RTP IPHC Context State', 0x2067: 'RTP IPHC Compressed UDP 16',
  0x2069: 'RTP IPHC Compressed RTP 16', 0x4001: 'Cray Communications Control Protocol',
  0x4003: 'CDPD Mobile Network Registration Protocol', 0x4005: 'Expand accelerator protocol', 0x4007: 'ODSICP NCP',
  0x4009: 'DOCSIS DLL', 0x400b: 'Cetacean Network Detection Protocol', 0x4021: 'Stacker LZS',
  0x4023: 'RefTek Protocol', 0x4025: 'Fibre Channel', 0x4027: 'EMIT Protocols',
  0x405b: 'Vendor-Specific Protocol (VSP)', 0x405d: 'TRILL Link State Protocol (TLSP)',
  0x8021: 'Internet Protocol Control Protocol', 0x8023: 'OSI Network Layer Control Protocol',
  0x8025: 'Xerox NS IDP Control Protocol', 0x8027: 'DECnet Phase IV Control Protocol',
  0x8029: 'AppleTalk Control Protocol', 0x802b: 'Novell IPX Control Protocol', 0x8031: 'Bridging NCP',
  0x8033: 'Stream Protocol Control Protocol', 0x8035: 'Banyan Vines Control Protocol',
  0x803d: 'Multi-Link Control Protocol', 0x803f: 'NETBIOS Framing Control Protocol',
  0x8041: 'Cisco Systems Control Protocol', 0x8043: 'Ascom Timeplex', 0x8045: 'Fujitsu LBLB Control Protocol',
  0x8047: 'DCA Remote Lan Network Control Protocol (RLNCP)', 0x8049: 'Serial Data Control Protocol (PPP-SDCP)',
  0x804b: 'SNA over 802.2 Control Protocol', 0x804d: 'SNA Control Protocol',
  0x804f: 'IP6 Header Compression Control Protocol', 0x8051: 'KNX Bridging Control Protocol',
  0x8053: 'Encryption Control Protocol', 0x8055: 'Individual Link Encryption Control Protocol',
  0x8057: 'IPv6 Control Protocol', 0x8059: 'PPP Muxing Control Protocol',
  0x805b: 'Vendor-Specific Network Control Protocol (VSNCP)', 0x805d: 'TRILL Network Control Protocol',
  0x806f: 'Stampede Bridging Control Protocol', 0x8073: 'MP+ Control Protocol',
  0x80c1: 'NTCITS IPI Control Protocol', 0x80fb: 'Single link compression in multilink control',
  0x80fd: 'Compression Control Protocol', 0x8207: 'Cisco Discovery Protocol Control Protocol',
  0x8209: 'Netcs Twin Routing', 0x820b: 'STP - Control Protocol',
  0x820d: 'EDPCP - Extreme Discovery Protocol Control Protocol', 0x8235: 'Apple Client Server Protocol Control',
  0x8281: 'MPLS Control Protocol', 0x8285: 'IEEE p1284.4 standard - Protocol Control',
  0x8287: 'ETSI TETRA TNP1 Control Protocol', 0x8289: 'Multichannel Flow Treatment Protocol',
  0xc021: 'Link Control Protocol', 0xc023: 'Password Authentication Protocol', 0xc025: 'Link Quality Report',
  0xc027: 'Shiva Password Authentication Protocol', 0xc029: 'Callback Control Protocol (CBCP)',
  0xc02b: 'BACP Bandwidth Allocation Control Protocol', 0xc02d: 'BAP Bandwidth Allocation Protocol',
  0xc05b: 'Vendor-Specific Authentication Protocol (VSAP)', 0xc081: 'Container Control Protocol',
  0xc223: 'Challenge Handshake Authentication Protocol', 0xc225: 'RSA Authentication Protocol',
  0xc227: 'Extensible Authentication Protocol', 0xc229: 'Mitsubishi Security Information Exchange Protocol (SIEP)',
  0xc26f: 'Stampede Bridging Authorization Protocol', 0xc281: 'Proprietary Authentication Protocol',
  0xc283: 'Proprietary Authentication Protocol', 0xc481: 'Proprietary Node ID Authentication Protocol',
};

export const fields = defineFields('ppp', {
  ppp: { id: 'ppp', name: 'Point-to-Point Protocol', type: 'protocol' },
  address: { id: 'ppp.address', name: 'Address', type: 'uint8', base: 'hex' },
  control: { id: 'ppp.control', name: 'Control', type: 'uint8', base: 'hex' },
  protocol: { id: 'ppp.protocol', name: 'Protocol', type: 'uint16', base: 'hex', vals: pppProtocolNames },
  code: { id: 'ppp.code', name: 'Code', type: 'uint8', base: 'dec' },
  identifier: { id: 'ppp.identifier', name: 'Identifier', type: 'uint8', base: 'dec_hex' },
  length: { id: 'ppp.length', name: 'Length', type: 'uint16', base: 'dec' },
  data: { id: 'ppp.data', name: 'Data', type: 'bytes' },
});

const lcpFields = defineFields('lcp', {
  lcp: { id: 'lcp', name: 'PPP Link Control Protocol', type: 'protocol' },
  magicNumber: { id: 'lcp.magic_number', name: 'Magic Number', type: 'uint32', base: 'hex' },
  data: { id: 'lcp.data', name: 'Data', type: 'bytes' },
  message: { id: 'lcp.message', name: 'Message', type: 'string' },
  secsRemaining: { id: 'lcp.secs_remaining', name: 'Seconds Remaining', type: 'uint32', base: 'dec', unit: ' seconds' },
  rejProto: { id: 'lcp.rej_proto', name: 'Rejected Protocol', type: 'uint16', base: 'hex', vals: pppProtocolNames },
});
const ipcpField = defineFields('ipcp', { ipcp: { id: 'ipcp', name: 'PPP IP Control Protocol', type: 'protocol' } }).ipcp;
const ccpField = defineFields('ccp', { ccp: { id: 'ccp', name: 'PPP Compression Control Protocol', type: 'protocol' } }).ccp;
const ipv6cpField = defineFields('ipv6cp', { ipv6cp: { id: 'ipv6cp', name: 'PPP IPv6 Control Protocol', type: 'protocol' } }).ipv6cp;
const compDataField = defineFields('comp_data', { compData: { id: 'comp_data', name: 'PPP Compressed Datagram', type: 'protocol' } }).compData;

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const first = view.u8(0);
  pinfo.setProtocol('PPP');
  const top = tree.open(fields.ppp, view, 0, 1, null);
  let o = 0;
  if (first === 0xff) {
    // RFC 1662 §3.1: the all-stations address, then the control field; both are left out under ACFC.
    tree.add(fields.address, view, 0, 1, first);
    tree.add(fields.control, view, 1, 1, view.u8(1));
    o = 2;
  }
  // RFC 1661 §2: protocol values are odd in their low byte, so an odd first byte is a compressed one-byte field.
  const b = view.u8(o);
  const width = b & 1 ? 1 : 2;
  const proto = width === 1 ? b : view.u16(o);
  tree.add(fields.protocol, view, o, width, proto);
  o += width;
  tree.setLength(top, o);
  tree.close();
  const payload = view.sub(o);
  if (tables.pppProtocol.tryDissect(proto, payload, pinfo, tree) < 0) {
    pinfo.setProtocol(`0x${hex(proto, 4)}`);
    pinfo.setInfo(`PPP ${pppProtocolNames[proto] ?? 'Unknown'} (0x${hex(proto, 4)})`);
    dissectData(payload, pinfo, tree);
  }
  return view.reportedLength;
}

/** RFC 1661 §5 codes shared by LCP and the network control protocols. */
const baseCodes: Record<number, string> = {
  1: 'Configuration Request', 2: 'Configuration Ack', 3: 'Configuration Nak', 4: 'Configuration Reject',
  5: 'Termination Request', 6: 'Termination Ack', 7: 'Code Reject',
};
/** LCP adds Protocol-Reject, Echo and Discard (RFC 1661 §5.7–5.9), Identification and Time-Remaining (RFC 1570). */
const lcpCodes: Record<number, string> = {
  ...baseCodes, 8: 'Protocol Reject', 9: 'Echo Request', 10: 'Echo Reply', 11: 'Discard Request', 12: 'Identification', 13: 'Time Remaining',
};
/** CCP adds Reset-Request and Reset-Ack (RFC 1962 §2.1). */
const ccpCodes: Record<number, string> = { ...baseCodes, 14: 'Reset Request', 15: 'Reset Ack' };

interface ControlProtocol {
  abbrev: string;
  field: FieldInfo;
  column: string;
  codes: Record<number, string>;
}

/** A control-protocol packet: code, identifier, length (RFC 1661 §5), then a body shown by kind. */
function dissectControl(cp: ControlProtocol, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const full = tree.full;
  pinfo.setProtocol(cp.column);
  const code = view.u8(0);
  const codeName = cp.codes[code];
  pinfo.setInfo(codeName ?? 'Unknown');
  const id = view.u8(1);
  const len = view.u16(2);
  tree.open(cp.field, view, 0, Math.min(len, view.length), null);
  tree.add(fields.code, view, 0, 1, code, full ? `Code: ${codeName ?? 'Unknown'} (${code})` : undefined);
  tree.add(fields.identifier, view, 1, 1, id);
  tree.add(fields.length, view, 2, 2, len);
  const o = 4;
  const end = Math.max(o, len);
  const n = end - o;
  if (code >= 1 && code <= 4) {
    // Configure-* packets carry the option list (RFC 1661 §5.1–5.4); its options are not decoded yet.
    if (n > 0) tree.add(textField, view, o, n, null, full ? `Options: (${n} bytes)` : undefined);
  } else if (code === 7) {
    // Code-Reject quotes the rejected packet (RFC 1661 §5.6).
    if (n > 0) tree.add(fields.data, view, o, n, tree.wants(fields.data) ? view.bytes(o, n) : null, full ? `Rejected Packet (${n} byte${n === 1 ? '' : 's'}): ${formatBytes(view.bytes(o, n))}` : undefined);
  } else if (code >= 8 && code <= 13) {
    // Wireshark reads these codes with LCP's layouts whichever control protocol carries them.
    dissectLcpBody(code, view, o, end, pinfo, tree);
  } else if (n > 0) {
    tree.add(fields.data, view, o, n, tree.wants(fields.data) ? view.bytes(o, n) : null);
  }
  tree.close();
  return view.reportedLength;
}

/** LCP's codes 8–13: Protocol-Reject, Echo, Discard (RFC 1661 §5.7–5.9), Identification, Time-Remaining (RFC 1570). */
function dissectLcpBody(code: number, view: ByteView, o: number, end: number, pinfo: PacketInfo, tree: ProtoTree): void {
  if (code === 8) {
    tree.add(lcpFields.rejProto, view, o, 2, view.u16(o));
    dissectData(view.sub(o + 2, Math.max(0, Math.min(end, view.length) - o - 2), Math.max(0, end - o - 2)), pinfo, tree);
    return;
  }
  tree.add(lcpFields.magicNumber, view, o, 4, view.u32(o));
  o += 4;
  if (code === 13) {
    tree.add(lcpFields.secsRemaining, view, o, 4, view.u32(o));
    o += 4;
  }
  if (end <= o) return;
  if (code >= 12) tree.add(lcpFields.message, view, o, end - o, view.ascii(o, end - o));
  else tree.add(lcpFields.data, view, o, end - o, tree.wants(lcpFields.data) ? view.bytes(o, end - o) : null);
}

const controlProtocols: [number, ControlProtocol][] = [
  [0xc021, { abbrev: 'lcp', field: lcpFields.lcp, column: 'PPP LCP', codes: lcpCodes }],
  [0x8021, { abbrev: 'ipcp', field: ipcpField, column: 'PPP IPCP', codes: baseCodes }],
  [0x80fd, { abbrev: 'ccp', field: ccpField, column: 'PPP CCP', codes: ccpCodes }],
  [0x8057, { abbrev: 'ipv6cp', field: ipv6cpField, column: 'PPP IPV6CP', codes: baseCodes }],
];

/** Compressed datagrams (protocol 0x00fd, RFC 1962 §3): opaque without the negotiated algorithm's state. */
function dissectCompressed(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('PPP Comp');
  pinfo.setInfo('Compressed data');
  tree.add(compDataField, view, 0, view.length, null);
  return view.reportedLength;
}

export const handle = { abbrev: 'ppp', dissect };

export function handoff(): void {
  registerDissector('ppp', handle);
  tables.greProto.add(0x880b, handle);
  for (const [proto, cp] of controlProtocols) {
    const h: DissectorHandle = { abbrev: cp.abbrev, dissect: (v, p, t) => dissectControl(cp, v, p, t) };
    tables.pppProtocol.add(proto, h);
  }
  tables.pppProtocol.add(0x00fd, { abbrev: 'comp_data', dissect: dissectCompressed });
}
