import { defineFields, textField } from '../dissect/field-registry';
import { tables } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { formatBytes, formatEther, formatIPv4, hex } from '../dissect/format';
import { etypeNames } from './values/etypes';

/**
 * ARP (RFC 826) and its relatives that share the packet layout: RARP (RFC 903, ethertype 0x8035), DRARP,
 * Inverse ARP (RFC 2390), MARS (RFC 2022) and MAPOS UNARP opcodes. Also the gratuitous / announcement / probe
 * classification of RFC 5227 and Wireshark's duplicate-address detection.
 */

/** ar$hrd values (IANA "Hardware Types", plus Linux ARPHRD_* numbers), as Wireshark names them. */
const hwTypeNames: Readonly<Record<number, string>> = {
  0: 'NET/ROM pseudo',
  1: 'Ethernet',
  2: 'Experimental Ethernet',
  3: 'AX.25',
  4: 'ProNET',
  5: 'Chaos',
  6: 'IEEE 802',
  7: 'ARCNET',
  8: 'Hyperchannel',
  9: 'Lanstar',
  10: 'Autonet Short Address',
  11: 'Localtalk',
  12: 'LocalNet',
  13: 'Ultra link',
  14: 'SMDS',
  15: 'Frame Relay DLCI',
  16: 'ATM',
  17: 'HDLC',
  18: 'Fibre Channel',
  19: 'ATM (RFC 2225)',
  20: 'Serial Line',
  21: 'ATM',
  22: 'MIL-STD-188-220',
  23: 'Metricom STRIP',
  24: 'IEEE 1394.1995',
  25: 'MAPOS',
  26: 'Twinaxial',
  27: 'EUI-64',
  28: 'HIPARP',
  29: 'IP and ARP over ISO 7816-3',
  30: 'ARPSec',
  31: 'IPsec tunnel',
  32: 'InfiniBand',
  33: 'TIA-102 Project 25 CAI',
  34: 'Wiegand Interface',
  35: 'Pure IP',
  36: 'Experimental 1',
  37: 'HFI',
  256: 'Experimental 2',
  257: 'AEthernet',
  260: 'Notional KISS type',
  264: 'ADAPT',
  270: 'ROSE',
  271: 'CCITT X.25',
  272: 'Boards with X.25 in firmware',
  280: 'Controller Area Network',
  512: 'PPP',
  513: 'Cisco HDLC',
  516: 'LAPB',
  517: "Digital's DDCMP protocol",
  518: 'Raw HDLC',
  519: 'Raw IP',
  768: 'IPIP tunnel',
  769: 'IP6IP6 tunnel',
  770: 'Frame Relay Access Device',
  771: 'SKIP vif',
  772: 'Loopback',
  774: 'Fiber Distributed Data Interface',
  775: 'AP1000 BIF',
  776: 'sit0 device - IPv6-in-IPv4',
  777: 'IP over DDP tunneller',
  778: 'GRE over IP',
  779: 'PIMSM register interface',
  780: 'High Performance Parallel Interface',
  781: 'Nexus 64Mbps Ash',
  782: 'Acorn Econet',
  783: 'Linux-IrDA',
  784: 'Point to point fibrechannel',
  785: 'Fibrechannel arbitrated loop',
  786: 'Fibrechannel public loop',
  787: 'Fibrechannel fabric',
  800: 'Magic type ident for TR',
  801: 'IEEE 802.11',
  802: 'IEEE 802.11 + Prism2 header',
  803: 'IEEE 802.11 + radiotap header',
  804: 'IEEE 802.15.4',
  805: 'IEEE 802.15.4 network monitor',
  820: 'PhoNet media type',
  821: 'PhoNet pipe header',
  822: 'CAIF media type',
  823: 'GRE over IPv6',
  824: 'Netlink',
  825: 'IPv6 over LoWPAN',
  826: 'Vsock monitor header',
  65535: 'Void type, nothing is known',
  65534: 'zero header length',
};

/** ar$op values (IANA "Operation Codes"). */
const opcodeNames: Readonly<Record<number, string>> = {
  0: 'reserved',
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  5: 'drarp request',
  6: 'drarp reply',
  7: 'drarp error',
  8: 'inverse request',
  9: 'inverse reply',
  10: 'arp nak',
  11: 'mars request',
  12: 'mars multi',
  13: 'mars mserv',
  14: 'mars join',
  15: 'mars leave',
  16: 'mars nak',
  17: 'mars unserv',
  18: 'mars sjoin',
  19: 'mars sleave',
  20: 'mars grouplist request',
  21: 'mars grouplist reply',
  22: 'mars redirect map',
  23: 'mapos unarp',
  24: 'experimental 1',
  25: 'experimental 2',
  65535: 'reserved',
};

const drarpErrorNames: Readonly<Record<number, string>> = { 1: 'restricted', 2: 'no address', 3: 'serverdown', 4: 'moved', 5: 'failure' };

export const fields = defineFields('arp', {
  arp: { id: 'arp', name: 'Address Resolution Protocol', type: 'protocol', short: 'ARP/RARP' },
  hwType: { id: 'arp.hw.type', name: 'Hardware type', type: 'uint16', base: 'dec', vals: hwTypeNames },
  protoType: { id: 'arp.proto.type', name: 'Protocol type', type: 'uint16', base: 'hex', vals: etypeNames },
  hwSize: { id: 'arp.hw.size', name: 'Hardware size', type: 'uint8', base: 'dec' },
  protoSize: { id: 'arp.proto.size', name: 'Protocol size', type: 'uint8', base: 'dec' },
  opcode: { id: 'arp.opcode', name: 'Opcode', type: 'uint16', base: 'dec', vals: opcodeNames },
  isGratuitous: { id: 'arp.isgratuitous', name: 'Is gratuitous', type: 'boolean', base: 'none' },
  isProbe: { id: 'arp.isprobe', name: 'Is probe', type: 'boolean', base: 'none' },
  isAnnouncement: { id: 'arp.isannouncement', name: 'Is announcement', type: 'boolean', base: 'none' },
  srcHw: { id: 'arp.src.hw', name: 'Sender hardware address', type: 'bytes' },
  srcHwMac: { id: 'arp.src.hw_mac', name: 'Sender MAC address', type: 'ether' },
  srcProto: { id: 'arp.src.proto', name: 'Sender protocol address', type: 'bytes' },
  srcProtoIpv4: { id: 'arp.src.proto_ipv4', name: 'Sender IP address', type: 'ipv4' },
  dstHw: { id: 'arp.dst.hw', name: 'Target hardware address', type: 'bytes' },
  dstHwMac: { id: 'arp.dst.hw_mac', name: 'Target MAC address', type: 'ether' },
  dstProto: { id: 'arp.dst.proto', name: 'Target protocol address', type: 'bytes' },
  dstProtoIpv4: { id: 'arp.dst.proto_ipv4', name: 'Target IP address', type: 'ipv4' },
  drarpErrorStatus: { id: 'arp.dst.drarp_error_status', name: 'DRARP error status', type: 'uint16', base: 'dec', vals: drarpErrorNames },
  duplicateFrame: { id: 'arp.duplicate-address-frame', name: 'Frame showing earlier use of IP address', type: 'framenum' },
  secondsSinceDuplicate: { id: 'arp.seconds-since-duplicate-address-frame', name: 'Seconds since earlier frame seen', type: 'uint32', base: 'dec' },
});

export const experts = defineExperts('arp', {
  duplicateAddress: { id: 'arp.duplicate-address-detected', summary: 'Duplicate IP address configured', severity: 'warn', group: 'sequence' },
});

/** The fixed part: hrd(2) pro(2) hln(1) pln(1) op(2) — RFC 826 "Packet format". */
const FIXED = 8;

const ETHERTYPE_IPV4 = 0x0800;
/** AX.25 layer-3 PID for IP, which AX.25 ARP puts in ar$pro. */
const AX25_P_IP = 0xcc;

/** One conflicting claim found in the first pass, shown on every later dissection of the frame. */
interface Conflict {
  ip: number;
  /** MAC claiming `ip` in this frame, and the one that held it before (48-bit numbers). */
  mac: number;
  earlierMac: number;
  earlierFrame: number;
  seconds: number;
}

/**
 * What the first pass learns: which MAC owns each IPv4 address (and the frame and second that last confirmed
 * it), and per frame the conflicts found, since the owner map only describes the end of the capture.
 */
class ArpState {
  readonly ownerMac = new Map<number, number>();
  readonly ownerFrame = new Map<number, number>();
  readonly ownerSecs = new Map<number, number>();
  readonly conflicts = new Map<number, Conflict[]>();
  /** Frame → the IPv4 address its Info names in "(duplicate use of … detected!)". */
  readonly infoAddress = new Map<number, number>();
}

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const full = tree.full;
  pinfo.setProtocol('ARP');
  pinfo.setInfo('');
  const top = tree.open(fields.arp, view, 0, -1, null);
  const hrd = view.u16(0);
  tree.add(fields.hwType, view, 0, 2, hrd);
  const pro = view.u16(2);
  tree.add(fields.protoType, view, 2, 2, pro);
  const hln = view.u8(4);
  tree.add(fields.hwSize, view, 4, 1, hln);
  const pln = view.u8(5);
  tree.add(fields.protoSize, view, 5, 1, pln);
  const op = view.u16(6);
  tree.add(fields.opcode, view, 6, 2, op);

  const total = FIXED + 2 * hln + 2 * pln;
  tree.setLength(top, total);
  // Every address is read before any is shown, so a short packet stops right after the opcode.
  view.ensure(0, total);
  const sha = FIXED;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  const hwIsMac = (hrd === 1 || hrd === 6) && hln === 6;
  const protoIsIPv4 = (pro === ETHERTYPE_IPV4 || pro === AX25_P_IP) && pln === 4;

  // RFC 5227 §1 and §2.3: a request or reply whose sender and target protocol addresses are equal is
  // gratuitous; a gratuitous request with an all-zero target hardware address is an announcement; a
  // request from the all-zero sender address with an all-zero target hardware address is a probe.
  let gratuitous = false;
  let announcement = false;
  let probe = false;
  if ((op === 1 || op === 2) && pln > 0) {
    gratuitous = bytesEqual(view, spa, tpa, pln);
    const thaZero = hln > 0 && allZero(view, tha, hln);
    if (op === 1 && gratuitous) announcement = thaZero;
    else if (op === 1) probe = thaZero && allZero(view, spa, pln);
  }
  if (gratuitous) tree.addGenerated(fields.isGratuitous, view, 0, 0, true);
  if (probe) tree.addGenerated(fields.isProbe, view, 0, 0, true);
  if (announcement) tree.addGenerated(fields.isAnnouncement, view, 0, 0, true);

  addHwAddress(tree, view, sha, hln, hwIsMac, true);
  addProtoAddress(tree, view, spa, pln, protoIsIPv4, true);
  addHwAddress(tree, view, tha, hln, hwIsMac, false);
  if (op === 7) {
    // DRARP error (RFC 1931): the target protocol address field carries the error status instead.
    if (pln > 0) tree.add(fields.drarpErrorStatus, view, tpa, 1, view.u8(tpa));
  } else {
    addProtoAddress(tree, view, tpa, pln, protoIsIPv4, false);
  }

  pinfo.setProtocol(protocolColumn(op));
  // Info text is made only when the columns are wanted (the reads are safe either way: `total` is ensured).
  if (pinfo.columns) pinfo.setInfo(infoText(view, op, hln, pln, hwIsMac, protoIsIPv4, gratuitous, announcement, probe));
  if (full) tree.setLabel(top, `Address Resolution Protocol (${labelSuffix(op, gratuitous, announcement, probe)})`);
  tree.close();

  if (hwIsMac && protoIsIPv4 && (op === 1 || op === 2)) {
    const st = pinfo.state.of('arp', () => new ArpState());
    if (pinfo.firstPass) checkClaims(st, view, pinfo, op, gratuitous, sha, spa, tha, tpa);
    const found = st.conflicts.get(pinfo.frame);
    if (found) for (const c of found) addConflict(c, view, pinfo, tree);
    const shown = st.infoAddress.get(pinfo.frame);
    if (shown !== undefined && pinfo.columns) pinfo.appendInfo(` (duplicate use of ${formatIPv4(shown)} detected!)`);
  }
  return total;
}

/**
 * Duplicate-address detection (first pass only): every sender of a request or reply, and the target of a
 * non-gratuitous reply, claims its IPv4 address for its MAC. A claim by a different MAC than the one seen
 * before is a conflict; the earlier owner is kept. Zero or group MACs and 0.0.0.0 claim nothing. The Info
 * column names the last verdict: a reply's target check, when made, replaces the sender's.
 */
function checkClaims(st: ArpState, view: ByteView, pinfo: PacketInfo, op: number, gratuitous: boolean, sha: number, spa: number, tha: number, tpa: number): void {
  let shown = -1;
  const senderMac = macNumber(view, sha);
  const senderIp = view.u32(spa);
  if (claimable(senderMac, senderIp) && claim(st, pinfo, senderIp, senderMac)) shown = senderIp;
  if (op === 2 && !gratuitous) {
    const targetMac = macNumber(view, tha);
    const targetIp = view.u32(tpa);
    if (claimable(targetMac, targetIp)) shown = claim(st, pinfo, targetIp, targetMac) ? targetIp : -1;
  }
  if (shown >= 0) st.infoAddress.set(pinfo.frame, shown);
}

function claimable(mac: number, ip: number): boolean {
  const groupBit = Math.floor(mac / 2 ** 40) & 1;
  return mac !== 0 && groupBit === 0 && ip !== 0;
}

/** Records `mac` as the owner of `ip`; returns true (and notes the conflict) when another MAC owns it. */
function claim(st: ArpState, pinfo: PacketInfo, ip: number, mac: number): boolean {
  const owner = st.ownerMac.get(ip);
  if (owner === undefined || owner === mac) {
    st.ownerMac.set(ip, mac);
    st.ownerFrame.set(ip, pinfo.frame);
    st.ownerSecs.set(ip, pinfo.tsSecs);
    return false;
  }
  const conflict: Conflict = {
    ip,
    mac,
    earlierMac: owner,
    earlierFrame: st.ownerFrame.get(ip) ?? 0,
    seconds: pinfo.tsSecs - (st.ownerSecs.get(ip) ?? pinfo.tsSecs),
  };
  const list = st.conflicts.get(pinfo.frame);
  if (list) list.push(conflict);
  else st.conflicts.set(pinfo.frame, [conflict]);
  return true;
}

/** A top-level item per conflict, as Wireshark adds it beside (not inside) the ARP tree. */
function addConflict(c: Conflict, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  const ipText = full ? formatIPv4(c.ip) : '';
  tree.open(textField, view, 0, 0, null, full ? `[Duplicate IP address detected for ${ipText} (${macText(c.mac)}) - also in use by ${macText(c.earlierMac)} (frame ${c.earlierFrame})]` : undefined, 1);
  tree.open(fields.duplicateFrame, view, 0, 0, c.earlierFrame, undefined, 1);
  addExpert(tree, pinfo, experts.duplicateAddress, view, 0, 0, `Duplicate IP address configured (${formatIPv4(c.ip)})`);
  tree.close();
  tree.addGenerated(fields.secondsSinceDuplicate, view, 0, 0, c.seconds);
  tree.close();
}

function addHwAddress(tree: ProtoTree, view: ByteView, at: number, len: number, isMac: boolean, sender: boolean): void {
  if (len === 0) return;
  const f = isMac ? (sender ? fields.srcHwMac : fields.dstHwMac) : sender ? fields.srcHw : fields.dstHw;
  // Make a byte view only when the value is recorded (the summary and filter paths rarely want it).
  if (tree.wants(f)) tree.add(f, view, at, len, view.bytes(at, len));
}

function addProtoAddress(tree: ProtoTree, view: ByteView, at: number, len: number, isIPv4: boolean, sender: boolean): void {
  if (len === 0) return;
  if (isIPv4) tree.add(sender ? fields.srcProtoIpv4 : fields.dstProtoIpv4, view, at, len, view.u32(at));
  else {
    const f = sender ? fields.srcProto : fields.dstProto;
    if (tree.wants(f)) tree.add(f, view, at, len, view.bytes(at, len));
  }
}

function protocolColumn(op: number): string {
  if (op === 3 || op === 4) return 'RARP';
  if (op >= 5 && op <= 7) return 'DRARP';
  if (op === 8 || op === 9) return 'Inverse ARP';
  if (op >= 11 && op <= 22) return 'MARS';
  if (op === 23) return 'MAPOS';
  return 'ARP';
}

/** MARS (RFC 2022) and MAPOS opcodes: "<what> from <sender hw> at <sender proto>". */
const fromTexts: Readonly<Record<number, string>> = {
  11: 'MARS request',
  12: 'MARS MULTI request',
  13: 'MARS MSERV request',
  14: 'MARS JOIN request',
  15: 'MARS LEAVE',
  16: 'MARS NAK',
  17: 'MARS UNSERV request',
  18: 'MARS SJOIN request',
  19: 'MARS SLEAVE',
  20: 'MARS grouplist request',
  21: 'MARS grouplist reply',
  22: 'MARS redirect map',
  23: 'MAPOS UNARP request',
};

function infoText(view: ByteView, op: number, hln: number, pln: number, hwIsMac: boolean, protoIsIPv4: boolean, gratuitous: boolean, announcement: boolean, probe: boolean): string {
  const sha = FIXED;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  const hw = (at: number) => (hln === 0 ? '<No address>' : hwIsMac ? formatEther(view.bytes(at, 6)) : formatBytes(view.bytes(at, hln)));
  const proto = (at: number) => (pln === 0 ? '<No address>' : protoIsIPv4 ? formatIPv4(view.u32(at)) : formatBytes(view.bytes(at, pln)));
  switch (op) {
    case 1:
      if (announcement) return `ARP Announcement for ${proto(tpa)}`;
      if (gratuitous) return `Gratuitous ARP for ${proto(spa)} (Request)`;
      if (probe) return `Who has ${proto(tpa)}? (ARP Probe)`;
      return `Who has ${proto(tpa)}? Tell ${proto(spa)}`;
    case 2:
      if (gratuitous) return `Gratuitous ARP for ${proto(spa)} (Reply)`;
      return `${proto(spa)} is at ${hw(sha)}`;
    case 3:
    case 5:
    case 8:
      return `Who is ${hw(tha)}? Tell ${hw(sha)}`;
    case 4:
    case 6:
      return `${hw(tha)} is at ${proto(tpa)}`;
    case 7:
      return 'DRARP Error';
    case 9:
      return `${hw(sha)} is at ${proto(spa)}`;
    case 10:
      return 'ARP NAK';
    case 24:
    case 25:
      return `Experimental ${op - 23} ( opcode ${op} )`;
    case 0:
    case 65535:
      return `Reserved opcode ${op}`;
    default: {
      const what = fromTexts[op];
      if (what) return `${what} from ${hw(sha)} at ${proto(spa)}`;
      return `Unknown ARP opcode 0x${hex(op, 4)}`;
    }
  }
}

function labelSuffix(op: number, gratuitous: boolean, announcement: boolean, probe: boolean): string {
  if (op === 1) {
    if (announcement) return 'ARP Announcement';
    if (probe) return 'ARP Probe';
    if (gratuitous) return 'request/gratuitous ARP';
  }
  if (op === 2 && gratuitous) return 'reply/gratuitous ARP';
  return opcodeNames[op] ?? `opcode 0x${hex(op, 4)}`;
}

function bytesEqual(view: ByteView, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (view.u8(a + i) !== view.u8(b + i)) return false;
  return true;
}

function allZero(view: ByteView, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (view.u8(at + i) !== 0) return false;
  return true;
}

/** A 6-byte MAC as a number (exact: 48 bits fit a double). */
function macNumber(view: ByteView, at: number): number {
  return view.u16(at) * 2 ** 32 + view.u32(at + 2);
}

function macText(mac: number): string {
  const b = new Uint8Array(6);
  let m = mac;
  for (let i = 5; i >= 0; i--) {
    b[i] = m % 256;
    m = Math.floor(m / 256);
  }
  return formatEther(b);
}

export const handle = { abbrev: 'arp', dissect };

export function handoff(): void {
  tables.ethertype.add(0x0806, handle);
  tables.ethertype.add(0x8035, handle); // RARP (RFC 903)
}
