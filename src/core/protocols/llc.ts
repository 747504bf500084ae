import { defineFields, type FieldInfo } from '../dissect/field-registry';
import { tables, registerDissector } from '../dissect/dissector-tables';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { bitPattern, hex } from '../dissect/format';
import { etypeNames } from './values/etypes';
import { ouiLabel, ouiNames } from './values/oui';
import { dissect as dissectData } from './data';

/**
 * IEEE 802.2 Logical Link Control (ISO/IEC 8802-2) and the SNAP extension (IEEE 802-2014 clause 10.3):
 * DSAP, SSAP and a control field that is one octet for unnumbered (U) frames and two octets for information
 * (I) and supervisory (S) frames; DSAP = SSAP = 0xAA adds a 3-octet OUI and a 2-octet protocol id.
 */

/** SAP values (the individual/group and command/response bit cleared). */
const sapNames: Record<number, string> = {
  0x00: 'NULL LSAP', 0x02: 'LLC Sub-Layer Management', 0x04: 'SNA Path Control', 0x06: 'TCP/IP', 0x08: 'SNA', 0x0c: 'SNA',
  0x0e: 'PROWAY (IEC955) Network Management and Initialization', 0x10: 'NetWare (unofficial?)', 0x14: 'ISO Network Layer (OSLAN 1)',
  0x18: 'Texas Instruments', 0x20: 'ISO Network Layer (unofficial?)', 0x34: 'ISO Network Layer (unofficial?)',
  0x42: 'Spanning Tree BPDU', 0x4e: 'EIA RS-511 Manufacturing Message Service', 0x54: 'ISO Network Layer (OSLAN 2)',
  0x7e: 'ISO 8208 (X.25 over 802.2)', 0x80: 'XNS', 0x82: 'BACnet', 0x86: 'Nestar',
  0x8e: 'PROWAY (IEC955) Active Station List Maintenance', 0x98: 'ARP', 0xaa: 'SNAP', 0xb4: 'HP JetDirect Printer',
  0xba: 'Banyan Vines', 0xbc: 'Banyan Vines', 0xe0: 'NetWare', 0xf0: 'NetBIOS', 0xf4: 'IBM Net Management',
  0xf8: 'HP Extended LLC', 0xfa: 'Ungermann-Bass', 0xfc: 'Remote Program Load', 0xfe: 'ISO Network Layer',
};
/** The DSAP/SSAP items look the whole octet up, so odd values also match the two "odd" entries Wireshark lists. */
const sapByteNames: Record<number, string> = { ...sapNames, 0x01: 'NULL LSAP', 0x7f: 'ISO 802.2', 0xff: 'Global LSAP' };

const sFrameTypes: Record<number, string> = { 0: 'Receiver ready', 1: 'Receiver not ready', 2: 'Reject', 3: 'Selective reject' };
const sFrameAbbrev = ['RR', 'RNR', 'REJ', 'SREJ'];
const uCommands: Record<number, string> = {
  0x00: 'Unnumbered Information', 0x08: 'Unnumbered Poll', 0x10: 'Disconnect', 0x18: 'Unnumbered Acknowledge',
  0x20: 'Set Normal Response Mode', 0x38: 'Test', 0x01: 'Set Initialization Mode', 0x21: 'Frame reject', 0x31: 'Configure',
  0x03: 'Set Asynchronous Response Mode', 0x0b: 'Set Asynchronous Balanced Mode', 0x13: 'Set Asynchronous Response Mode Extended',
  0x1b: 'Set Asynchronous Balanced Mode Extended', 0x23: 'Reset', 0x2b: 'Exchange identification', 0x33: 'Set Normal Response Mode Extended',
  0x3b: 'Beacon',
};
const uResponses: Record<number, string> = {
  ...uCommands, 0x10: 'Request Disconnect', 0x01: 'Request Initialization Mode', 0x03: 'Disconnected mode',
};
/** HDLC mnemonics of the U-frame modifiers (ISO/IEC 13239), for commands and where they differ, responses. */
const uCommandAbbrev: Record<number, string> = {
  0x00: 'UI', 0x08: 'UP', 0x10: 'DISC', 0x18: 'UA', 0x20: 'SNRM', 0x38: 'TEST', 0x01: 'SIM', 0x21: 'FRMR', 0x31: 'CFGR',
  0x03: 'SARM', 0x0b: 'SABM', 0x13: 'SARME', 0x1b: 'SABME', 0x23: 'RESET', 0x2b: 'XID', 0x33: 'SNRME', 0x3b: 'BCN',
};
const uResponseAbbrev: Record<number, string> = { ...uCommandAbbrev, 0x10: 'RD', 0x01: 'RIM', 0x03: 'DM' };
const frameTypes: Record<number, string> = { 0: 'Information frame', 1: 'Supervisory frame', 3: 'Unnumbered frame' };

const ianaPids: Record<number, string> = {
  1: 'MARS Data Messages (short form)', 2: 'Reserved for future NHRP use', 3: 'MARS/NHRP Control Messages',
  4: 'MARS Data Messages (long form)', 5: 'SCSP', 6: 'VRID', 7: 'L2TP', 8: 'VPN ID', 9: 'MSDP-GRE-Protocol Type',
};
const ciscoPids: Record<number, string> = {
  0x0102: 'DRIP', 0x0104: 'PAgP', 0x0105: 'MLS Hello', 0x0108: 'RLQ BPDUs (request)', 0x0109: 'RLQ BPDUs (response)',
  0x010b: 'PVSTP+', 0x010c: 'VLAN Bridge', 0x0111: 'UDLD', 0x0139: 'MCP', 0x2000: 'CDP', 0x2001: 'CGMP', 0x2003: 'VTP',
  0x2004: 'DTP', 0x200a: 'STP Uplink Fast',
};

export const fields = defineFields('llc', {
  llc: { id: 'llc', name: 'Logical-Link Control', type: 'protocol' },
  dsap: { id: 'llc.dsap', name: 'DSAP', type: 'uint8', base: 'hex', vals: sapByteNames, description: 'Destination Service Access Point' },
  // BASE_CUSTOM in Wireshark: the value is the SAP shifted down one bit; the label names the SAP.
  dsapSap: { id: 'llc.dsap.sap', name: 'SAP', type: 'uint8', base: 'dec', mask: 0xfe, description: 'Service Access Point' },
  dsapIg: { id: 'llc.dsap.ig', name: 'IG Bit', type: 'boolean', base: 8, mask: 0x01, tfs: ['Group', 'Individual'], description: 'Individual/Group' },
  ssap: { id: 'llc.ssap', name: 'SSAP', type: 'uint8', base: 'hex', vals: sapByteNames, description: 'Source Service Access Point' },
  ssapSap: { id: 'llc.ssap.sap', name: 'SAP', type: 'uint8', base: 'dec', mask: 0xfe, description: 'Service Access Point' },
  ssapCr: { id: 'llc.ssap.cr', name: 'CR Bit', type: 'boolean', base: 8, mask: 0x01, tfs: ['Response', 'Command'], description: 'Command/Response' },
  control: { id: 'llc.control', name: 'Control', type: 'uint16', base: 'hex' },
  nR: { id: 'llc.control.n_r', name: 'N(R)', type: 'uint16', base: 'dec', mask: 0xfe00 },
  nS: { id: 'llc.control.n_s', name: 'N(S)', type: 'uint16', base: 'dec', mask: 0x00fe },
  p: { id: 'llc.control.p', name: 'Poll', type: 'boolean', base: 8, mask: 0x10, tfs: ['Set', 'Not set'] },
  f: { id: 'llc.control.f', name: 'Final', type: 'boolean', base: 8, mask: 0x10, tfs: ['Set', 'Not set'] },
  sFtype: { id: 'llc.control.s_ftype', name: 'Supervisory frame type', type: 'uint16', base: 'hex', mask: 0x000c, vals: sFrameTypes },
  uModifierCmd: { id: 'llc.control.u_modifier_cmd', name: 'Command', type: 'uint8', base: 'hex', mask: 0xec, vals: uCommands },
  uModifierResp: { id: 'llc.control.u_modifier_resp', name: 'Response', type: 'uint8', base: 'hex', mask: 0xec, vals: uResponses },
  ftype: { id: 'llc.control.ftype', name: 'Frame type', type: 'uint16', base: 'hex', mask: 0x0001, vals: frameTypes },
  type: { id: 'llc.type', name: 'Type', type: 'uint16', base: 'hex', vals: etypeNames },
  // BASE_OUI in Wireshark: -T fields prints the number in decimal; the label is custom (xx:xx:xx (name)).
  oui: { id: 'llc.oui', name: 'Organization Code', type: 'uint24', base: 'dec' },
  pid: { id: 'llc.pid', name: 'Protocol ID', type: 'uint16', base: 'hex' },
  ianaPid: { id: 'llc.iana_pid', name: 'PID', type: 'uint16', base: 'hex', vals: ianaPids },
  ciscoPid: { id: 'llc.cisco_pid', name: 'PID', type: 'uint16', base: 'hex', vals: ciscoPids, description: 'Protocol ID' },
  extremePid: { id: 'llc.extreme_pid', name: 'PID', type: 'uint16', base: 'hex', vals: { 0x00bb: 'EDP' } },
  wlccpPid: { id: 'llc.wlccp_pid', name: 'PID', type: 'uint16', base: 'hex', vals: { 0x0000: 'WLCCP' } },
  appleAtalkPid: { id: 'llc.apple_atalk_pid', name: 'PID', type: 'uint16', base: 'hex', vals: { 0x809b: 'AppleTalk' }, description: 'Protocol ID' },
  force10Pid: { id: 'llc.force10_pid', name: 'PID', type: 'uint16', base: 'hex', vals: { 0x0111: 'FEFD' } },
  foundryPid: { id: 'llc.foundry_pid', name: 'PID', type: 'uint16', base: 'hex', vals: { 0x2000: 'FDP' } },
  appleAwdlPid: { id: 'llc.apple_awdl_pid', name: 'PID', type: 'uint16', base: 'hex', vals: { 0x0800: 'AWDL' }, description: 'Protocol ID' },
  bluetoothPid: {
    id: 'llc.bluetooth_pid', name: 'PID', type: 'uint16', base: 'hex', description: 'Protocol ID',
    vals: { 1: 'AMP_U L2CAP ACL data', 2: 'AMP-C Activity Report', 3: 'AMP-C Security frames', 4: 'AMP-C Link supervision request', 5: 'AMP-C Link supervision reply' },
  },
  nortelPid: { id: 'llc.nortel_pid', name: 'PID', type: 'uint16', base: 'hex', vals: { 0x01a1: 'NDP flatnet hello', 0x01a2: 'NDP segment hello', 0x01a3: 'NDP bridge hello' } },
});

const SAP_SNAP = 0xaa;
/** SNAP OUIs whose protocol id is an ethertype (RFC 1042 encapsulation and Cisco's "90-compatible" one). */
const OUI_ENCAP_ETHER = 0x000000;
const OUI_CISCO_90 = 0x0000f8;

/** The protocol-id field Wireshark uses for each OUI's PID; other OUIs use the generic llc.pid. */
const pidFieldByOui = new Map<number, FieldInfo>([
  [OUI_ENCAP_ETHER, fields.type],
  [OUI_CISCO_90, fields.type],
  [0x00000c, fields.ciscoPid],
  [0x00005e, fields.ianaPid],
  [0x000081, fields.nortelPid],
  [0x0001e8, fields.force10Pid],
  [0x0017f2, fields.appleAwdlPid],
  [0x001958, fields.bluetoothPid],
  [0x004096, fields.wlccpPid],
  [0x00e02b, fields.extremePid],
  [0x00e052, fields.foundryPid],
  [0x080007, fields.appleAtalkPid],
]);

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('LLC');
  pinfo.setInfo('');
  const full = tree.full;
  const dsap = view.u8(0);
  const top = tree.open(fields.llc, view, 0, 3, null);
  tree.open(fields.dsap, view, 0, 1, dsap);
  tree.add(fields.dsapSap, view, 0, 1, dsap >> 1, full ? `${bitPattern(fields.dsapSap, dsap >> 1)} = SAP: ${sapNames[dsap & 0xfe] ?? 'Unknown'}` : undefined);
  tree.add(fields.dsapIg, view, 0, 1, (dsap & 1) !== 0);
  tree.close();
  const ssap = view.u8(1);
  const isResponse = (ssap & 1) !== 0;
  tree.open(fields.ssap, view, 1, 1, ssap);
  tree.add(fields.ssapSap, view, 1, 1, ssap >> 1, full ? `${bitPattern(fields.ssapSap, ssap >> 1)} = SAP: ${sapNames[ssap & 0xfe] ?? 'Unknown'}` : undefined);
  tree.add(fields.ssapCr, view, 1, 1, isResponse);
  tree.close();

  const control = dissectControl(view, 2, isResponse, pinfo, tree);
  const ctrlLen = control.length;
  let hdrLen = 2 + ctrlLen;
  const isSnap = dsap === SAP_SNAP && ssap === SAP_SNAP;
  let payloadUsed = -1;
  if (isSnap) {
    const oui = view.u24(hdrLen);
    const pid = view.u16(hdrLen + 3);
    tree.add(fields.oui, view, hdrLen, 3, oui, full ? `Organization Code: ${ouiLabel(oui)}` : undefined);
    tree.add(pidFieldByOui.get(oui) ?? fields.pid, view, hdrLen + 3, 2, pid);
    pinfo.appendInfo(`; SNAP, OUI 0x${hex(oui, 6).toUpperCase()} (${ouiNames[oui] ?? 'Unknown'}), PID 0x${hex(pid, 4).toUpperCase()}`);
    hdrLen += 5;
    tree.setLength(top, hdrLen);
    tree.close();
    const payload = view.sub(hdrLen);
    // RFC 1042: the PID of an OUI-0 SNAP header is an ethertype. Wireshark shows no "ethertype" layer here.
    if (control.isInformation && (oui === OUI_ENCAP_ETHER || oui === OUI_CISCO_90)) payloadUsed = tables.ethertype.tryDissect(pid, payload, pinfo, tree);
    if (payloadUsed < 0) dissectData(payload, pinfo, tree);
    return view.length;
  }
  pinfo.appendInfo(
    `; DSAP ${sapText(dsap)} ${dsap & 1 ? 'Group' : 'Individual'}, SSAP ${sapText(ssap)} ${isResponse ? 'Response' : 'Command'}`,
  );
  tree.setLength(top, hdrLen);
  tree.close();
  const payload = view.sub(hdrLen);
  if (control.isInformation) payloadUsed = tables.llcDsap.tryDissect(dsap, payload, pinfo, tree);
  if (payloadUsed < 0) dissectData(payload, pinfo, tree);
  return view.length;
}

function sapText(sap: number): string {
  return sapNames[sap & 0xfe] ?? `0x${hex(sap & 0xfe, 2)}`;
}

/** A decoded control field: its size and whether it carries user data (I or UI). */
interface Control {
  length: number;
  isInformation: boolean;
}

const U_FRAME_CONTROL: Control = { length: 1, isInformation: false };
const UI_FRAME_CONTROL: Control = { length: 1, isInformation: true };
const I_FRAME_CONTROL: Control = { length: 2, isInformation: true };
const S_FRAME_CONTROL: Control = { length: 2, isInformation: false };

/**
 * The control field (ISO/IEC 8802-2 §5.2): I and S frames use the two-octet (modulo 128) form, read low octet
 * first; U frames one octet. Sets Info to the frame's summary ("U, func=UI").
 */
function dissectControl(view: ByteView, o: number, isResponse: boolean, pinfo: PacketInfo, tree: ProtoTree): Control {
  const full = tree.full;
  const c0 = view.u8(o);
  if ((c0 & 3) === 3) {
    // The modifier bits M1 (bits 2-3) and M2 (bits 5-7), kept in place as Wireshark's masked value 0xec >> 2.
    const mod = (c0 & 0xec) >> 2;
    const pf = (c0 & 0x10) !== 0;
    const abbrev = (isResponse ? uResponseAbbrev : uCommandAbbrev)[mod] ?? 'Unknown';
    const text = `U${pf ? (isResponse ? ' F' : ' P') : ''}, func=${abbrev}`;
    pinfo.setInfo(text);
    tree.open(fields.control, view, o, 1, c0, full ? `Control field: ${text} (0x${hex(c0, 2).toUpperCase()})` : undefined);
    if (pf) tree.add(isResponse ? fields.f : fields.p, view, o, 1, true);
    tree.add(isResponse ? fields.uModifierResp : fields.uModifierCmd, view, o, 1, mod);
    tree.add(fields.ftype, view, o, 1, 3, full ? `.... ..11 = Frame type: Unnumbered frame (0x3)` : undefined);
    tree.close();
    return mod === 0 ? UI_FRAME_CONTROL : U_FRAME_CONTROL;
  }
  const ctrl = view.u16le(o);
  const nr = ctrl >> 9;
  const pf = (ctrl & 0x100) !== 0;
  const hexCtrl = hex(ctrl, 4).toUpperCase();
  if ((c0 & 1) === 0) {
    // Information frame; Wireshark names the P/F bit "Poll" here whatever the C/R bit says.
    const ns = (ctrl >> 1) & 0x7f;
    const text = `I${pf ? ' P' : ''}, N(R)=${nr}, N(S)=${ns}`;
    pinfo.setInfo(text);
    tree.open(fields.control, view, o, 2, ctrl, full ? `Control field: ${text} (0x${hexCtrl})` : undefined);
    tree.add(fields.nR, view, o, 2, nr);
    tree.add(fields.nS, view, o, 2, ns);
    if (pf) tree.add(fields.p, view, o, 2, true, full ? '.... ...1 .... .... = Poll: Set' : undefined);
    tree.add(fields.ftype, view, o, 2, 0, full ? '.... .... .... ...0 = Frame type: Information frame (0x0)' : undefined);
    tree.close();
    return I_FRAME_CONTROL;
  }
  const sType = (ctrl >> 2) & 3;
  const text = `S${pf ? (isResponse ? ' F' : ' P') : ''}, func=${sFrameAbbrev[sType]}, N(R)=${nr}`;
  pinfo.setInfo(text);
  tree.open(fields.control, view, o, 2, ctrl, full ? `Control field: ${text} (0x${hexCtrl})` : undefined);
  tree.add(fields.nR, view, o, 2, nr);
  if (pf) tree.add(isResponse ? fields.f : fields.p, view, o, 2, true, full ? `.... ...1 .... .... = ${isResponse ? 'Final' : 'Poll'}: Set` : undefined);
  tree.add(fields.sFtype, view, o, 2, sType, full ? `${bitPattern(fields.sFtype, sType)} = Supervisory frame type: ${sFrameTypes[sType]} (0x${sType})` : undefined);
  tree.add(fields.ftype, view, o, 2, 1, full ? '.... .... .... ..01 = Frame type: Supervisory frame (0x1)' : undefined);
  tree.close();
  return S_FRAME_CONTROL;
}

export const handle = { abbrev: 'llc', dissect };

export function handoff(): void {
  // Ethernet 802.3 frames, 802.11 data frames and others find LLC by name.
  registerDissector('llc', handle);
  // Linux cooked capture protocol 0x0004: an 802.2 LLC frame.
  tables.sllLtype.add(0x0004, handle);
}
