import { defineFields, textField } from '../dissect/field-registry';
import { tables, findDissector, callDissector, registerDissector, type DissectorHandle } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import { AddrKind, type PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { formatEther, hex } from '../dissect/format';
import { LinkType } from '../capture/link-types';
import { authAlgorithms, categoryCodes, elementIds, frameTypeSubtypes, rateNames, reasonCodes, statusCodes } from './values/ieee80211';
import { ouiLabel, ouiNames } from './values/oui';
import { dissect as dissectData } from './data';

/**
 * IEEE 802.11 MAC frames (IEEE Std 802.11-2020 clause 9; LINKTYPE_IEEE802_11 105). Decodes the MAC header of
 * every frame type, the fixed fields and common elements of management frames, the security header of
 * protected frames, and hands the body of data frames to 802.2 LLC. Multi-byte header fields are
 * little-endian (§9.2.2).
 */

const setNotSet = ['Set', 'Not set'] as const;
const implemented = ['Implemented', 'Not Implemented'] as const;
const dsStatus: Record<number, string> = {
  0: 'Not leaving DS or network is operating in AD-HOC mode (To DS: 0 From DS: 0)',
  1: 'Frame from STA to DS via an AP (To DS: 1 From DS: 0)',
  2: 'Frame from DS to a STA via AP(To DS: 0 From DS: 1)',
  3: 'WDS (AP to AP) or Mesh (MP to MP) Frame (To DS: 1 From DS: 1)',
};
const qosPriorities: Record<number, string> = {
  0: 'Best Effort (Best Effort)', 1: 'Background (Background)', 2: 'Spare (Background)', 3: 'Excellent Effort (Best Effort)',
  4: 'Controlled Load (Video)', 5: 'Video (Video)', 6: 'Voice (Voice)', 7: 'Network Control (Voice)',
};
const qosAckPolicies: Record<number, string> = { 0: 'Normal Ack', 1: 'No Ack', 2: 'No explicit acknowledgment', 3: 'Block Ack' };
const accessCategories: Record<number, string> = { 0: 'Best Effort', 1: 'Background', 2: 'Video', 3: 'Voice' };
const blockAckTypes: Record<number, string> = {
  0: 'Basic BlockAck', 1: 'Extended Compressed BlockAck', 2: 'Compressed BlockAck', 3: 'Multi-TID BlockAck', 6: 'GCR BlockAck',
  10: 'GLK-GCR BlockAck', 11: 'Multi-STA BlockAck',
};

export const fields = defineFields('wlan', {
  wlan: { id: 'wlan', name: 'IEEE 802.11 wireless LAN', type: 'protocol' },
  typeSubtype: { id: 'wlan.fc.type_subtype', name: 'Type/Subtype', type: 'uint16', base: 'hex', vals: frameTypeSubtypes },
  fc: { id: 'wlan.fc', name: 'Frame Control Field', type: 'uint16', base: 'hex' },
  version: { id: 'wlan.fc.version', name: 'Version', type: 'uint8', base: 'dec', mask: 0x03 },
  type: { id: 'wlan.fc.type', name: 'Type', type: 'uint8', base: 'dec', mask: 0x0c, vals: { 0: 'Management frame', 1: 'Control frame', 2: 'Data frame', 3: 'Extension frame' } },
  subtype: { id: 'wlan.fc.subtype', name: 'Subtype', type: 'uint8', base: 'dec', mask: 0xf0 },
  flags: { id: 'wlan.flags', name: 'Flags', type: 'uint8', base: 'hex' },
  ds: { id: 'wlan.fc.ds', name: 'DS status', type: 'uint8', base: 'hex', mask: 0x03, vals: dsStatus },
  tods: { id: 'wlan.fc.tods', name: 'To DS', type: 'boolean', base: 8, mask: 0x01, tfs: ['Frame is entering DS', 'Frame is not entering DS'] },
  fromds: { id: 'wlan.fc.fromds', name: 'From DS', type: 'boolean', base: 8, mask: 0x02, tfs: ['Frame is exiting DS', 'Frame is not exiting DS'] },
  moreFrag: { id: 'wlan.fc.frag', name: 'More Fragments', type: 'boolean', base: 8, mask: 0x04, tfs: ['More fragments follow', 'This is the last fragment'] },
  retry: { id: 'wlan.fc.retry', name: 'Retry', type: 'boolean', base: 8, mask: 0x08, tfs: ['Frame is being retransmitted', 'Frame is not being retransmitted'] },
  pwrmgt: { id: 'wlan.fc.pwrmgt', name: 'PWR MGT', type: 'boolean', base: 8, mask: 0x10, tfs: ['STA will go to sleep', 'STA will stay up'] },
  moredata: { id: 'wlan.fc.moredata', name: 'More Data', type: 'boolean', base: 8, mask: 0x20, tfs: ['Data is buffered for STA at AP', 'No data buffered'] },
  protected: { id: 'wlan.fc.protected', name: 'Protected flag', type: 'boolean', base: 8, mask: 0x40, tfs: ['Data is protected', 'Data is not protected'] },
  order: { id: 'wlan.fc.order', name: '+HTC/Order flag', type: 'boolean', base: 8, mask: 0x80, tfs: ['Strictly ordered', 'Not strictly ordered'] },
  duration: { id: 'wlan.duration', name: 'Duration', type: 'uint16', base: 'dec', mask: 0x7fff, unit: ' microseconds' },
  aid: { id: 'wlan.aid', name: 'Association ID', type: 'uint16', base: 'dec', mask: 0x3fff },
  ra: { id: 'wlan.ra', name: 'Receiver address', type: 'ether' },
  raResolved: { id: 'wlan.ra_resolved', name: 'Receiver address (resolved)', type: 'string' },
  ta: { id: 'wlan.ta', name: 'Transmitter address', type: 'ether' },
  taResolved: { id: 'wlan.ta_resolved', name: 'Transmitter address (resolved)', type: 'string' },
  da: { id: 'wlan.da', name: 'Destination address', type: 'ether' },
  daResolved: { id: 'wlan.da_resolved', name: 'Destination address (resolved)', type: 'string' },
  sa: { id: 'wlan.sa', name: 'Source address', type: 'ether' },
  saResolved: { id: 'wlan.sa_resolved', name: 'Source address (resolved)', type: 'string' },
  bssid: { id: 'wlan.bssid', name: 'BSS Id', type: 'ether' },
  bssidResolved: { id: 'wlan.bssid_resolved', name: 'BSS Id (resolved)', type: 'string' },
  staa: { id: 'wlan.staa', name: 'STA address', type: 'ether' },
  staaResolved: { id: 'wlan.staa_resolved', name: 'STA address (resolved)', type: 'string' },
  addr: { id: 'wlan.addr', name: 'Hardware address', type: 'ether' },
  addrResolved: { id: 'wlan.addr_resolved', name: 'Hardware address (resolved)', type: 'string' },
  frag: { id: 'wlan.frag', name: 'Fragment number', type: 'uint16', base: 'dec', mask: 0x000f },
  seq: { id: 'wlan.seq', name: 'Sequence number', type: 'uint16', base: 'dec', mask: 0xfff0 },
  qos: { id: 'wlan.qos', name: 'Qos Control', type: 'uint16', base: 'hex' },
  qosTid: { id: 'wlan.qos.tid', name: 'TID', type: 'uint16', base: 'dec', mask: 0x000f },
  qosPriority: { id: 'wlan.qos.priority', name: 'Priority', type: 'uint16', base: 'dec', mask: 0x0007, vals: qosPriorities, description: '802.1D Tag' },
  qosEosp: { id: 'wlan.qos.eosp', name: 'EOSP', type: 'boolean', base: 16, mask: 0x0010, tfs: ['End of service period', 'Service period'], description: 'EOSP Field' },
  qosBit4: {
    id: 'wlan.qos.bit4', name: 'QoS bit 4', type: 'boolean', base: 16, mask: 0x0010,
    tfs: ['Bits 8-15 of QoS Control field are Queue Size', 'Bits 8-15 of QoS Control field are TXOP Duration Requested'],
  },
  qosAck: { id: 'wlan.qos.ack', name: 'Ack Policy', type: 'uint16', base: 'hex', mask: 0x0060, vals: qosAckPolicies },
  qosAmsdu: { id: 'wlan.qos.amsdupresent', name: 'Payload Type', type: 'boolean', base: 16, mask: 0x0080, tfs: ['A-MSDU', 'MSDU'] },
  qosPsBufState: { id: 'wlan.qos.ps_buf_state', name: 'QAP PS Buffer State', type: 'uint16', base: 'hex', mask: 0xff00 },
  qosBufStateIndicated: { id: 'wlan.qos.buf_state_indicated', name: 'Buffer State Indicated', type: 'boolean', base: 16, mask: 0x0200, tfs: ['Yes', 'No'] },
  qosHighestPriBufAc: { id: 'wlan.qos.highest_pri_buf_ac', name: 'Highest-Priority Buffered AC', type: 'uint16', base: 'dec', mask: 0x0c00, vals: accessCategories },
  qosQapBufLoad: { id: 'wlan.qos.qap_buf_load', name: 'QAP Buffered Load', type: 'uint16', base: 'dec', mask: 0xf000 },
  qosTxopDurReq: { id: 'wlan.qos.txop_dur_req', name: 'TXOP Duration Requested', type: 'uint16', base: 'dec', mask: 0xff00 },
  qosQueueSize: { id: 'wlan.qos.queue_size', name: 'Queue Size', type: 'uint16', base: 'dec', mask: 0xff00 },
  htc: { id: 'wlan.htc', name: 'HT Control (+HTC)', type: 'uint32', base: 'hex', description: 'High Throughput Control (+HTC)' },
  baControl: { id: 'wlan.ba.control', name: 'Block Ack Control', type: 'uint16', base: 'hex' },
  baAckPolicy: {
    id: 'wlan.ba.control.ackpolicy', name: 'BA Ack Policy', type: 'boolean', base: 16, mask: 0x0001,
    tfs: ['Sender Does Not Require Immediate Acknowledgement', 'Immediate Acknowledgement Required'],
  },
  baType: { id: 'wlan.ba.control.ba_type', name: 'BA Type', type: 'uint16', base: 'hex', mask: 0x001e, vals: blockAckTypes },
  baReserved: { id: 'wlan.ba.control.reserved', name: 'Reserved', type: 'uint16', base: 'hex', mask: 0x0fe0 },
  baTidInfo: { id: 'wlan.ba.basic.tidinfo', name: 'TID for which a Basic BlockAck frame is requested', type: 'uint16', base: 'hex', mask: 0xf000 },
  ssc: { id: 'wlan.fixed.ssc', name: 'Block Ack Starting Sequence Control (SSC)', type: 'uint16', base: 'hex' },
  sscFragment: { id: 'wlan.fixed.ssc.fragment', name: 'Fragment', type: 'uint16', base: 'dec', mask: 0x000f },
  sscSequence: { id: 'wlan.fixed.ssc.sequence', name: 'Starting Sequence Number', type: 'uint16', base: 'dec', mask: 0xfff0 },
  baBitmap: { id: 'wlan.ba.bm', name: 'Block Ack Bitmap', type: 'bytes' },
  fcs: { id: 'wlan.fcs', name: 'Frame check sequence', type: 'uint32', base: 'hex' },
  fcsStatus: { id: 'wlan.fcs.status', name: 'FCS Status', type: 'uint8', base: 'none', vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } },
  wepIv: { id: 'wlan.wep.iv', name: 'Initialization Vector', type: 'uint24', base: 'hex' },
  wepKey: { id: 'wlan.wep.key', name: 'Key Index', type: 'uint8', base: 'dec' },
  wepIcv: { id: 'wlan.wep.icv', name: 'WEP ICV', type: 'uint32', base: 'hex' },
  tkipExtIv: { id: 'wlan.tkip.extiv', name: 'TKIP Ext. Initialization Vector', type: 'string' },
  ccmpExtIv: { id: 'wlan.ccmp.extiv', name: 'CCMP Ext. Initialization Vector', type: 'string' },
  mgt: { id: 'wlan.mgt', name: 'IEEE 802.11 Wireless Management', type: 'protocol' },
  fixedAll: { id: 'wlan.fixed.all', name: 'Fixed parameters', type: 'none' },
  timestamp: { id: 'wlan.fixed.timestamp', name: 'Timestamp', type: 'uint64', base: 'dec' },
  // BASE_CUSTOM: the value is in time units (1024 µs); the label shows seconds.
  beacon: { id: 'wlan.fixed.beacon', name: 'Beacon Interval', type: 'uint32', base: 'dec' },
  capabilities: { id: 'wlan.fixed.capabilities', name: 'Capabilities Information', type: 'uint16', base: 'hex', description: 'Capability information' },
  capEss: { id: 'wlan.fixed.capabilities.ess', name: 'ESS capabilities', type: 'boolean', base: 16, mask: 0x0001, tfs: ['Transmitter is an AP', 'Transmitter is a STA'] },
  capIbss: { id: 'wlan.fixed.capabilities.ibss', name: 'IBSS status', type: 'boolean', base: 16, mask: 0x0002, tfs: ['Transmitter belongs to an IBSS', 'Transmitter belongs to a BSS'], description: 'IBSS participation' },
  capReserved1: { id: 'wlan.fixed.capabilities.reserved1', name: 'Reserved', type: 'uint16', base: 'dec', mask: 0x0004 },
  capReserved2: { id: 'wlan.fixed.capabilities.reserved2', name: 'Reserved', type: 'uint16', base: 'dec', mask: 0x0008 },
  capPrivacy: { id: 'wlan.fixed.capabilities.privacy', name: 'Privacy', type: 'boolean', base: 16, mask: 0x0010, tfs: ['Data confidentiality required', 'Data confidentiality not required'] },
  capShortPreamble: { id: 'wlan.fixed.capabilities.short_preamble', name: 'Short Preamble', type: 'boolean', base: 16, mask: 0x0020, tfs: ['Allowed', 'Not Allowed'] },
  capReserved3: { id: 'wlan.fixed.capabilities.reserved3', name: 'Reserved', type: 'uint16', base: 'dec', mask: 0x0040 },
  capReserved4: { id: 'wlan.fixed.capabilities.reserved4', name: 'Reserved', type: 'uint16', base: 'dec', mask: 0x0080 },
  capSpecMan: { id: 'wlan.fixed.capabilities.spec_man', name: 'Spectrum Management', type: 'boolean', base: 16, mask: 0x0100, tfs: implemented },
  capQos: { id: 'wlan.fixed.capabilities.qos', name: 'QoS', type: 'boolean', base: 16, mask: 0x0200, tfs: implemented },
  capShortSlot: { id: 'wlan.fixed.capabilities.short_slot_time', name: 'Short Slot Time', type: 'boolean', base: 16, mask: 0x0400, tfs: ['In use', 'Not in use'] },
  capApsd: { id: 'wlan.fixed.capabilities.apsd', name: 'Automatic Power Save Delivery', type: 'boolean', base: 16, mask: 0x0800, tfs: implemented },
  capRadioMeasurement: { id: 'wlan.fixed.capabilities.radio_measurement', name: 'Radio Measurement', type: 'boolean', base: 16, mask: 0x1000, tfs: implemented },
  capEpd: { id: 'wlan.fixed.capabilities.epd', name: 'EPD', type: 'boolean', base: 16, mask: 0x2000, tfs: implemented },
  capReserved5: { id: 'wlan.fixed.capabilities.reserved5', name: 'Reserved', type: 'uint16', base: 'dec', mask: 0x4000 },
  capReserved6: { id: 'wlan.fixed.capabilities.reserved6', name: 'Reserved', type: 'uint16', base: 'dec', mask: 0x8000 },
  listenInterval: { id: 'wlan.fixed.listen_ival', name: 'Listen Interval', type: 'uint16', base: 'hex' },
  statusCode: { id: 'wlan.fixed.status_code', name: 'Status code', type: 'uint16', base: 'hex', vals: statusCodes },
  fixedAid: { id: 'wlan.fixed.aid', name: 'Association ID', type: 'uint16', base: 'hex', mask: 0x3fff },
  currentAp: { id: 'wlan.fixed.current_ap', name: 'Current AP', type: 'ether' },
  reasonCode: { id: 'wlan.fixed.reason_code', name: 'Reason code', type: 'uint16', base: 'hex', vals: reasonCodes },
  authAlg: { id: 'wlan.fixed.auth.alg', name: 'Authentication Algorithm', type: 'uint16', base: 'dec', vals: authAlgorithms },
  authSeq: { id: 'wlan.fixed.auth_seq', name: 'Authentication SEQ', type: 'uint16', base: 'hex' },
  categoryCode: { id: 'wlan.fixed.category_code', name: 'Category code', type: 'uint16', base: 'dec', vals: categoryCodes, description: 'Management action category' },
  actionCode: { id: 'wlan.fixed.action_code', name: 'Action code', type: 'uint8', base: 'dec', description: 'Management action code' },
  taggedAll: { id: 'wlan.tagged.all', name: 'Tagged parameters', type: 'none' },
  tag: { id: 'wlan.tag', name: 'Tag', type: 'none' },
  tagNumber: { id: 'wlan.tag.number', name: 'Tag Number', type: 'uint8', base: 'dec', vals: elementIds },
  tagLength: { id: 'wlan.tag.length', name: 'Tag length', type: 'uint32', base: 'dec' },
  tagData: { id: 'wlan.tag.data', name: 'Tag Data', type: 'bytes', description: 'Data Interpretation of tag' },
  ssid: { id: 'wlan.ssid', name: 'SSID', type: 'bytes', description: 'Indicates the identity of an ESS or IBSS' },
  supportedRates: { id: 'wlan.supported_rates', name: 'Supported Rates', type: 'uint8', base: 'hex', vals: rateNames },
  extSupportedRates: { id: 'wlan.extended_supported_rates', name: 'Extended Supported Rates', type: 'uint8', base: 'hex', vals: rateNames, description: 'In Mbit/sec, (B) for Basic Rates' },
  currentChannel: { id: 'wlan.ds.current_channel', name: 'Current Channel', type: 'uint8', base: 'dec' },
  timDtimCount: { id: 'wlan.tim.dtim_count', name: 'DTIM count', type: 'uint8', base: 'dec' },
  timDtimPeriod: { id: 'wlan.tim.dtim_period', name: 'DTIM period', type: 'uint8', base: 'dec' },
  timBmapctl: { id: 'wlan.tim.bmapctl', name: 'Bitmap control', type: 'uint8', base: 'hex' },
  timMulticast: { id: 'wlan.tim.bmapctl.multicast', name: 'Multicast', type: 'boolean', base: 8, mask: 0x01 },
  timOffset: { id: 'wlan.tim.bmapctl.offset', name: 'Bitmap Offset', type: 'uint8', base: 'hex', mask: 0xfe },
  timBitmap: { id: 'wlan.tim.partial_virtual_bitmap', name: 'Partial Virtual Bitmap', type: 'bytes' },
  timAid: { id: 'wlan.tim.aid', name: 'Association ID', type: 'uint8', base: 'hex' },
  erpInfo: { id: 'wlan.erp_info', name: 'ERP Information', type: 'uint8', base: 'hex' },
  erpPresent: { id: 'wlan.erp_info.erp_present', name: 'Non ERP Present', type: 'boolean', base: 8, mask: 0x01, tfs: setNotSet },
  erpProtection: { id: 'wlan.erp_info.use_protection', name: 'Use Protection', type: 'boolean', base: 8, mask: 0x02, tfs: setNotSet },
  erpBarker: { id: 'wlan.erp_info.barker_preamble_mode', name: 'Barker Preamble Mode', type: 'boolean', base: 8, mask: 0x04, tfs: setNotSet },
  erpReserved: { id: 'wlan.erp_info.reserved', name: 'Reserved', type: 'uint8', base: 'hex', mask: 0xf8 },
  // BASE_OUI: -T fields prints the number; the label is custom.
  tagOui: { id: 'wlan.tag.oui', name: 'OUI', type: 'uint24', base: 'dec' },
  vendorOuiType: { id: 'wlan.tag.vendor.oui.type', name: 'Vendor Specific OUI Type', type: 'uint8', base: 'dec' },
  vendorData: { id: 'wlan.tag.vendor.data', name: 'Vendor Specific Data', type: 'bytes', description: 'Unknown/undecoded Vendor Specific Data' },
});

export const experts = defineExperts('wlan', {
  retry: { id: 'wlan.fc.retry.expert', summary: 'Retransmission (retry)', severity: 'note', group: 'sequence' },
  tagUndecoded: {
    id: 'wlan.tag.data.undecoded',
    summary: 'Dissector for 802.11 IE Tag code not implemented, Contact Wireshark developers if you want this supported',
    severity: 'note',
    group: 'undecoded',
  },
});

const enum FrameType {
  Management = 0,
  Control = 1,
  Data = 2,
  Extension = 3,
}

/** Flag characters of the Info column, most significant flag first ("opmPRMFT"), plus "C" for a present FCS. */
const FLAG_CHARS = 'opmPRMFT';

/** What the caller knows about the frame that the 802.11 header itself does not say. */
interface LinkOptions {
  /** The frame ends in a 4-octet FCS (radiotap "FCS at end"). */
  fcs: boolean;
  /** The body is padded to a 4-octet boundary after the header (radiotap "Data Pad"). */
  dataPad: boolean;
}

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  return dissectWith(view, pinfo, tree, NO_FCS);
}

const NO_FCS: LinkOptions = { fcs: false, dataPad: false };

function dissectWith(view: ByteView, pinfo: PacketInfo, tree: ProtoTree, opts: LinkOptions): number {
  pinfo.setProtocol('802.11');
  pinfo.setInfo('');
  const full = tree.full;
  const fc0 = view.u8(0);
  const flags = view.u8(1);
  const version = fc0 & 3;
  const type = (fc0 >> 2) & 3;
  const subtype = fc0 >> 4;
  // Control frame extension (type 1, subtype 6) uses bits 8-11 as a further subtype; Wireshark numbers
  // those 0x160 + n. Other frames: (type << 4) | subtype.
  const typeSubtype = type === FrameType.Control && subtype === 6 ? 0x160 + (flags & 0x0f) : (type << 4) | subtype;
  const typeName = frameTypeSubtypes[typeSubtype] ?? `Unrecognized (Reserved frame) (0x${hex(typeSubtype, 4)})`;
  const flagText = flagString(flags, opts.fcs);
  // The FCS ends the frame on the wire; a capture cut short may not hold it (or all of the body).
  const reportedEnd = opts.fcs ? view.reportedLength - 4 : view.reportedLength;
  const end = Math.min(view.length, reportedEnd);

  const top = tree.open(fields.wlan, view, 0, 2, null, full ? `IEEE 802.11 ${typeName}, Flags: ${flagText}` : undefined);
  tree.add(fields.typeSubtype, view, 0, 1, typeSubtype);
  tree.open(fields.fc, view, 0, 2, (fc0 << 8) | flags);
  tree.add(fields.version, view, 0, 1, version);
  tree.add(fields.type, view, 0, 1, type);
  tree.add(fields.subtype, view, 0, 1, subtype);
  addFlags(view, flags, pinfo, tree);
  tree.close();


  let hdrLen: number;
  let info: string;
  let isAmsdu = false;
  if (type === FrameType.Control) {
    hdrLen = dissectControlHeader(view, subtype, pinfo, tree);
    addFcs(view, opts.fcs ? reportedEnd : -1, tree);
    info = `${typeName}, Flags=${flagText}`;
  } else if (type === FrameType.Management) {
    hdrLen = dissectThreeAddressHeader(view, flags, type, pinfo, tree);
    addFcs(view, opts.fcs ? reportedEnd : -1, tree);
    info = `${typeName}${seqInfo(view.u16le(22))}, Flags=${flagText}`;
  } else if (type === FrameType.Data) {
    hdrLen = dissectThreeAddressHeader(view, flags, type, pinfo, tree);
    addFcs(view, opts.fcs ? reportedEnd : -1, tree);
    if (subtype & 0x8) {
      isAmsdu = (dissectQosControl(view, hdrLen, flags, subtype, tree) & 0x80) !== 0;
      hdrLen += 2;
      if (flags & 0x80) {
        tree.add(fields.htc, view, hdrLen, 4, view.u32le(hdrLen));
        hdrLen += 4;
      }
    }
    info = `${typeName}${seqInfo(view.u16le(22))}, Flags=${flagText}`;
  } else {
    // Extension frames (DMG beacons, S1G) are not decoded beyond the frame control field.
    hdrLen = 2;
    addFcs(view, opts.fcs ? reportedEnd : -1, tree);
    info = `${typeName}, Flags=${flagText}`;
  }
  if (type === FrameType.Management && flags & 0x80) {
    tree.add(fields.htc, view, hdrLen, 4, view.u32le(hdrLen));
    hdrLen += 4;
  }
  tree.setLength(top, hdrLen);
  pinfo.setInfo(info);

  let bodyStart = hdrLen;
  if (opts.dataPad && type === FrameType.Data) bodyStart = (hdrLen + 3) & ~3;
  const bodyLen = Math.max(0, end - bodyStart);
  const bodyReported = Math.max(0, reportedEnd - bodyStart);
  if (flags & 0x40 && type !== FrameType.Control && bodyLen > 0) {
    const encrypted = dissectProtected(view, bodyStart, end, top, tree);
    tree.close();
    if (encrypted) dissectData(encrypted, pinfo, tree);
    return view.length;
  }
  tree.close();

  if (type === FrameType.Management) {
    if (bodyReported > 0) dissectManagementBody(view.sub(bodyStart, bodyLen, bodyReported), subtype, pinfo, tree);
  } else if (type === FrameType.Data && dataSubtypeHasBody(subtype)) {
    // An empty body still goes to LLC, which then finds the frame malformed, as in Wireshark.
    const body = view.sub(bodyStart, bodyLen, bodyReported);
    // A-MSDU subframes (§9.3.2.2) are not split up: the body is shown as data.
    const llc = isAmsdu ? undefined : findDissector('llc');
    if (llc) callDissector(llc, body, pinfo, tree);
    else dissectData(body, pinfo, tree);
  }
  return view.length;
}

function seqInfo(seqCtl: number): string {
  return `, SN=${seqCtl >> 4}, FN=${seqCtl & 15}`;
}

/** The FCS (at `at`, or none when -1): Wireshark shows it right after addresses and sequence control. */
function addFcs(view: ByteView, at: number, tree: ProtoTree): void {
  if (at < 0 || !view.has(at, 4)) return;
  const fcs = view.u32le(at);
  tree.add(fields.fcs, view, at, 4, fcs, tree.full ? `Frame check sequence: 0x${hex(fcs, 8)} [unverified]` : undefined);
  tree.addGenerated(fields.fcsStatus, view, at, 0, 2);
}

/** Data subtypes 4-7 and 12-15 (Null, CF-Ack, CF-Poll … "No data") carry no frame body (§9.3.2.1). */
function dataSubtypeHasBody(subtype: number): boolean {
  return (subtype & 0x4) === 0;
}

function flagString(flags: number, fcs: boolean): string {
  let s = '';
  for (let bit = 7; bit >= 0; bit--) s += flags & (1 << bit) ? FLAG_CHARS[7 - bit] : '.';
  return fcs ? s + 'C' : s;
}

function addFlags(view: ByteView, flags: number, pinfo: PacketInfo, tree: ProtoTree): void {
  tree.open(fields.flags, view, 1, 1, flags);
  tree.add(fields.ds, view, 1, 1, flags & 3, tree.full ? `.... ..${((flags & 3) | 4).toString(2).slice(1)} = DS status: ${dsStatus[flags & 3]} (0x${flags & 3})` : undefined);
  tree.add(fields.tods, view, 1, 1, (flags & 0x01) !== 0, undefined, 2);
  tree.add(fields.fromds, view, 1, 1, (flags & 0x02) !== 0, undefined, 2);
  tree.add(fields.moreFrag, view, 1, 1, (flags & 0x04) !== 0);
  tree.open(fields.retry, view, 1, 1, (flags & 0x08) !== 0);
  if (flags & 0x08) addExpert(tree, pinfo, experts.retry, view, 1, 0);
  tree.close();
  tree.add(fields.pwrmgt, view, 1, 1, (flags & 0x10) !== 0);
  tree.add(fields.moredata, view, 1, 1, (flags & 0x20) !== 0);
  tree.add(fields.protected, view, 1, 1, (flags & 0x40) !== 0);
  tree.add(fields.order, view, 1, 1, (flags & 0x80) !== 0);
  tree.close();
}

type AddressRole = 'ra' | 'ta' | 'da' | 'sa' | 'bssid' | 'staa';

const roleFields = {
  ra: [fields.ra, fields.raResolved],
  ta: [fields.ta, fields.taResolved],
  da: [fields.da, fields.daResolved],
  sa: [fields.sa, fields.saResolved],
  bssid: [fields.bssid, fields.bssidResolved],
  staa: [fields.staa, fields.staaResolved],
} as const;

/** One address item, its hidden "resolved" twin (Fathom does not resolve names) and, if asked, wlan.addr. */
function addAddress(view: ByteView, o: number, role: AddressRole, withAddr: boolean, tree: ProtoTree): void {
  const [f, resolved] = roleFields[role];
  const mac = view.bytes(o, 6);
  tree.add(f, view, o, 6, mac);
  if (tree.wants(resolved)) tree.add(resolved, view, o, 6, formatEther(mac), undefined, 2);
  if (withAddr) addHiddenAddr(view, o, tree);
}

function addHiddenAddr(view: ByteView, o: number, tree: ProtoTree): void {
  const mac = view.bytes(o, 6);
  tree.add(fields.addr, view, o, 6, mac, undefined, 2);
  if (tree.wants(fields.addrResolved)) tree.add(fields.addrResolved, view, o, 6, formatEther(mac), undefined, 2);
}

function addDuration(view: ByteView, tree: ProtoTree): void {
  tree.add(fields.duration, view, 2, 2, view.u16le(2) & 0x7fff);
}

/**
 * Management and data headers (§9.3.2.1 Table 9-30, §9.3.3.2): three addresses, sequence control, and a
 * fourth address in data frames with both DS bits. Which address is which follows the DS bits.
 */
function dissectThreeAddressHeader(view: ByteView, flags: number, type: number, pinfo: PacketInfo, tree: ProtoTree): number {
  view.ensure(0, 24);
  addDuration(view, tree);
  const ds = type === FrameType.Data ? flags & 3 : 0;
  const A1 = 4;
  const A2 = 10;
  const A3 = 16;
  const A4 = 24;
  if (ds === 3) view.ensure(A4, 6);
  addAddress(view, A1, 'ra', true, tree);
  if (type === FrameType.Management) {
    addAddress(view, A1, 'da', false, tree);
    addAddress(view, A2, 'ta', true, tree);
    addAddress(view, A2, 'sa', false, tree);
    addAddress(view, A3, 'bssid', false, tree);
  } else {
    addAddress(view, A2, 'ta', true, tree);
    switch (ds) {
      case 0:
        addAddress(view, A1, 'da', false, tree);
        addAddress(view, A2, 'sa', false, tree);
        addAddress(view, A3, 'bssid', false, tree);
        break;
      case 1:
        addAddress(view, A3, 'da', false, tree);
        addAddress(view, A2, 'sa', false, tree);
        addAddress(view, A1, 'bssid', false, tree);
        addAddress(view, A2, 'staa', false, tree);
        break;
      case 2:
        addAddress(view, A1, 'da', false, tree);
        addAddress(view, A3, 'sa', false, tree);
        addAddress(view, A2, 'bssid', false, tree);
        addAddress(view, A1, 'staa', false, tree);
        break;
      default:
        addAddress(view, A3, 'da', false, tree);
        addAddress(view, A4, 'sa', false, tree);
    }
  }
  const seqCtl = view.u16le(22);
  tree.add(fields.frag, view, 22, 2, seqCtl & 0xf);
  tree.add(fields.seq, view, 22, 2, seqCtl >> 4);
  if (ds === 3) addHiddenAddr(view, A4, tree);
  if (type === FrameType.Data || type === FrameType.Management) {
    if (type === FrameType.Data || ds !== 3) addHiddenAddr(view, A3, tree);
  }
  // Source and Destination columns: SA and DA.
  const daAt = ds === 1 || ds === 3 ? A3 : A1;
  const saAt = ds === 3 ? A4 : ds === 2 ? A3 : A2;
  if (!pinfo.inErrorPacket) {
    pinfo.dlSrc.set(AddrKind.Ether, view, saAt);
    pinfo.dlDst.set(AddrKind.Ether, view, daAt);
  }
  return ds === 3 ? 30 : 24;
}

/** Control frames (§9.3.1): each subtype has its own short layout. Returns the header length. */
function dissectControlHeader(view: ByteView, subtype: number, pinfo: PacketInfo, tree: ProtoTree): number {
  const A1 = 4;
  const A2 = 10;
  switch (subtype) {
    case 10: {
      // PS-Poll: AID, BSSID (RA), TA
      view.ensure(0, 16);
      const aidWord = view.u16le(2);
      tree.add(fields.aid, view, 2, 2, aidWord & 0x3fff, tree.full ? `..${bits16(aidWord & 0x3fff).slice(2)} = Association ID: ${aidWord & 0x3fff}` : undefined);
      addAddress(view, A1, 'ra', true, tree);
      addAddress(view, A1, 'bssid', false, tree);
      addAddress(view, A2, 'ta', true, tree);
      setControlColumns(pinfo, `${macText(view, A2)} (TA)`, `${macText(view, A1)} (BSSID)`);
      return 16;
    }
    case 11: // RTS
    case 8: // Block Ack Request
    case 9: // Block Ack
    case 4: // Beamforming Report Poll
    case 5: // VHT/HE NDP Announcement
    case 2: // Trigger
      view.ensure(0, 16);
      addDuration(view, tree);
      addAddress(view, A1, 'ra', true, tree);
      addAddress(view, A2, 'ta', true, tree);
      setControlColumns(pinfo, `${macText(view, A2)} (TA)`, `${macText(view, A1)} (RA)`);
      if (subtype === 8 || subtype === 9) return 16 + dissectBlockAck(view, 16, subtype === 9, tree);
      return 16;
    case 14: // CF-End
    case 15: // CF-End + CF-Ack
      view.ensure(0, 16);
      addDuration(view, tree);
      addAddress(view, A1, 'ra', true, tree);
      addAddress(view, A2, 'bssid', false, tree);
      addHiddenAddr(view, A2, tree);
      setControlColumns(pinfo, `${macText(view, A2)} (BSSID)`, `${macText(view, A1)} (RA)`);
      return 16;
    default:
      // ACK, CTS and the others with only a receiver address.
      view.ensure(0, 10);
      addDuration(view, tree);
      addAddress(view, A1, 'ra', true, tree);
      setControlColumns(pinfo, '', `${macText(view, A1)} (RA)`);
      return 10;
  }
}

function macText(view: ByteView, o: number): string {
  return formatEther(view.bytes(o, 6));
}

function setControlColumns(pinfo: PacketInfo, src: string, dst: string): void {
  if (pinfo.inErrorPacket) return;
  if (src) pinfo.dlSrc.setText(src);
  pinfo.dlDst.setText(dst);
}

/** Block Ack Request / Block Ack body: BA control, starting sequence control, and for BA the bitmap. */
function dissectBlockAck(view: ByteView, o: number, isBlockAck: boolean, tree: ProtoTree): number {
  const ctl = view.u16le(o);
  const baType = (ctl >> 1) & 0xf;
  const group = tree.open(textField, view, o, 4, null, tree.full ? `${blockAckTypes[baType] ?? 'Unknown'} ${isBlockAck ? 'Response' : 'Request'}` : undefined);
  tree.open(fields.baControl, view, o, 2, ctl);
  tree.add(fields.baAckPolicy, view, o, 2, (ctl & 1) !== 0);
  tree.add(fields.baType, view, o, 2, (ctl >> 1) & 0xf, tree.full ? `${bits16(ctl & 0x1e, 0x1e)} = BA Type: ${blockAckTypes[(ctl >> 1) & 0xf] ?? 'Unknown'} (0x${((ctl >> 1) & 0xf).toString(16)})` : undefined);
  tree.add(fields.baReserved, view, o, 2, (ctl >> 5) & 0x7f, tree.full ? `${bits16(ctl & 0xfe0, 0xfe0)} = Reserved: 0x${hex((ctl >> 5) & 0x7f, 2)}` : undefined);
  tree.add(fields.baTidInfo, view, o, 2, ctl >> 12, tree.full ? `${bits16(ctl & 0xf000, 0xf000)} = TID for which a Basic BlockAck frame is requested: 0x${(ctl >> 12).toString(16)}` : undefined);
  tree.close();
  const ssc = view.u16le(o + 2);
  tree.open(fields.ssc, view, o + 2, 2, ssc);
  tree.add(fields.sscFragment, view, o + 2, 2, ssc & 0xf);
  tree.add(fields.sscSequence, view, o + 2, 2, ssc >> 4);
  tree.close();
  let n = 0;
  if (isBlockAck) {
    // Compressed BlockAck: an 8-octet bitmap (§9.3.1.8.3).
    n = Math.min(8, view.remaining(o + 4));
    if (n > 0) tree.add(fields.baBitmap, view, o + 4, n, view.bytes(o + 4, n));
    tree.setLength(group, 4 + n);
  }
  tree.close();
  return 4 + n;
}

/** "0000 0000 0001 ...." style pattern of a 16-bit value under a mask (all bits by default). */
function bits16(v: number, mask = 0xffff): string {
  let s = '';
  for (let b = 15; b >= 0; b--) {
    s += mask & (1 << b) ? (v & (1 << b) ? '1' : '0') : '.';
    if (b % 4 === 0 && b) s += ' ';
  }
  return s;
}

/**
 * QoS Control (§9.2.4.5): TID, EOSP or "bit 4", ack policy, A-MSDU present, and an octet whose meaning
 * depends on the sender: an AP (From DS) reports its PS buffer state, a non-AP STA a TXOP duration request
 * or its queue size.
 */
function dissectQosControl(view: ByteView, o: number, flags: number, subtype: number, tree: ProtoTree): number {
  const qos = view.u16le(o);
  const full = tree.full;
  tree.open(fields.qos, view, o, 2, qos);
  tree.add(fields.qosTid, view, o, 2, qos & 0xf);
  tree.addGenerated(fields.qosPriority, view, o, 2, qos & 7, full ? `[.... .... .... .${(qos & 7).toString(2).padStart(3, '0')} = Priority: ${qosPriorities[qos & 7]} (${qos & 7})]` : undefined);
  const fromAp = (flags & 0x02) !== 0;
  if (fromAp) tree.add(fields.qosEosp, view, o, 2, (qos & 0x10) !== 0);
  else tree.add(fields.qosBit4, view, o, 2, (qos & 0x10) !== 0);
  const ack = (qos >> 5) & 3;
  tree.add(fields.qosAck, view, o, 2, ack, full ? `${bits16(qos & 0x60, 0x60)} = Ack Policy: ${qosAckPolicies[ack]} (0x${ack})` : undefined);
  if (dataSubtypeHasBody(subtype)) tree.add(fields.qosAmsdu, view, o, 2, (qos & 0x80) !== 0);
  const high = qos >> 8;
  const highBits = `${bits16(qos & 0xff00, 0xff00).slice(0, 9)} .... ....`;
  if (fromAp) {
    tree.open(fields.qosPsBufState, view, o, 2, high, full ? `${highBits} = QAP PS Buffer State: 0x${hex(high, 2)}` : undefined);
    const indicated = (high & 0x02) !== 0;
    tree.add(fields.qosBufStateIndicated, view, o, 2, indicated);
    if (indicated) {
      const ac = (high >> 2) & 3;
      tree.add(fields.qosHighestPriBufAc, view, o, 2, ac);
      const load = high >> 4;
      const loadText = load === 0 ? 'no buffered traffic' : load === 15 ? 'greater than 57344 octets' : `${load * 4096} octets`;
      tree.add(fields.qosQapBufLoad, view, o, 2, load, full ? `${bits16(qos & 0xf000, 0xf000)} = QAP Buffered Load: ${load} (${loadText})` : undefined);
    }
    tree.close();
  } else if (qos & 0x10) {
    const sizeText = high === 0 ? 'no buffered traffic in the queue' : high === 255 ? 'unspecified or unknown' : high === 254 ? 'more than 64768 octets' : `${high * 256} bytes`;
    tree.add(fields.qosQueueSize, view, o, 2, high, full ? `${highBits} = Queue Size: ${high} (${sizeText})` : undefined);
  } else {
    tree.add(fields.qosTxopDurReq, view, o, 2, high, full ? `${highBits} = TXOP Duration Requested: ${high}${high === 0 ? ' (no TXOP requested)' : ''}` : undefined);
  }
  tree.close();
  return qos;
}

/**
 * The security header of a protected frame (§12.3.2.2 WEP, §12.5.2.2 TKIP, §12.5.3.2 CCMP), shown in a
 * "… parameters" subtree. Bit 5 of the key-id octet says an extended IV follows; TKIP sets its second octet
 * to (TSC1 | 0x20) & 0x7f, which tells it from CCMP. Returns the encrypted bytes, for the caller to show as data.
 */
function dissectProtected(view: ByteView, o: number, end: number, top: number, tree: ProtoTree): ByteView | undefined {
  view.ensure(o, 4);
  const keyOctet = view.u8(o + 3);
  const full = tree.full;
  if (keyOctet & 0x20) {
    view.ensure(o, 8);
    tree.setLength(top, o + 8);
    const b = (i: number) => view.u8(o + i);
    const isTkip = b(1) === ((b(0) | 0x20) & 0x7f);
    // TSC/PN low octets: TKIP sends TSC1, WEPSeed, TSC0; CCMP PN0, PN1. Both carry octets 2-5 after the key id.
    const low = isTkip ? (b(0) << 8) | b(2) : (b(1) << 8) | b(0);
    const highPart = ((b(7) << 24) | (b(6) << 16) | (b(5) << 8) | b(4)) >>> 0;
    tree.open(textField, view, o, 8, null, full ? `${isTkip ? 'TKIP' : 'CCMP'} parameters` : undefined);
    tree.add(isTkip ? fields.tkipExtIv : fields.ccmpExtIv, view, o, 8, `0x${hex(highPart, 8)}${hex(low, 4)}`);
    tree.add(fields.wepKey, view, o + 3, 1, keyOctet >> 6);
    tree.close();
    return o + 8 < end ? view.sub(o + 8, end - o - 8) : undefined;
  }
  tree.open(textField, view, o, 4, null, full ? 'WEP parameters' : undefined);
  tree.add(fields.wepIv, view, o, 3, view.u24(o));
  tree.add(fields.wepKey, view, o + 3, 1, keyOctet >> 6);
  const icvAt = end - 4;
  let encrypted: ByteView | undefined;
  if (icvAt >= o + 4) {
    const icv = view.u32(icvAt);
    tree.add(fields.wepIcv, view, icvAt, 4, icv, full ? `WEP ICV: 0x${hex(icv, 8)} (not verified)` : undefined);
    if (icvAt > o + 4) encrypted = view.sub(o + 4, icvAt - o - 4);
  }
  tree.close();
  return encrypted;
}

/** Fixed-length fields at the start of each management frame body (§9.3.3), in order. */
function dissectManagementBody(body: ByteView, subtype: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  tree.open(fields.mgt, body, 0, body.length, null);
  let o = 0;
  switch (subtype) {
    case 0: // Association Request
      openFixed(body, 4, tree);
      addCapabilities(body, 0, tree);
      tree.add(fields.listenInterval, body, 2, 2, body.u16le(2));
      tree.close();
      o = 4;
      break;
    case 1: // Association Response
    case 3: // Reassociation Response
      openFixed(body, 6, tree);
      addCapabilities(body, 0, tree);
      tree.add(fields.statusCode, body, 2, 2, body.u16le(2));
      {
        const aid = body.u16le(4) & 0x3fff;
        tree.add(fields.fixedAid, body, 4, 2, aid, full ? `..${bits16(aid).slice(2)} = Association ID: 0x${hex(aid, 4)}` : undefined);
      }
      tree.close();
      o = 6;
      break;
    case 2: // Reassociation Request
      openFixed(body, 10, tree);
      addCapabilities(body, 0, tree);
      tree.add(fields.listenInterval, body, 2, 2, body.u16le(2));
      tree.add(fields.currentAp, body, 4, 6, body.bytes(4, 6));
      tree.close();
      o = 10;
      break;
    case 5: // Probe Response
    case 8: {
      // Beacon
      openFixed(body, 12, tree);
      tree.add(fields.timestamp, body, 0, 8, body.u64le(0));
      const interval = body.u16le(8);
      tree.add(fields.beacon, body, 8, 2, interval, full ? `Beacon Interval: ${((interval * 1024) / 1e6).toFixed(6)} [Seconds]` : undefined);
      addCapabilities(body, 10, tree);
      tree.close();
      pinfo.appendInfo(`, BI=${interval}`);
      o = 12;
      break;
    }
    case 10: // Disassociation
    case 12: // Deauthentication
      openFixed(body, 2, tree);
      tree.add(fields.reasonCode, body, 0, 2, body.u16le(0));
      tree.close();
      o = 2;
      break;
    case 11: // Authentication
      openFixed(body, 6, tree);
      tree.add(fields.authAlg, body, 0, 2, body.u16le(0));
      tree.add(fields.authSeq, body, 2, 2, body.u16le(2));
      tree.add(fields.statusCode, body, 4, 2, body.u16le(4));
      tree.close();
      o = 6;
      break;
    case 13: // Action
    case 14: {
      // Action No Ack: the category and action code; the action's own fields are not decoded.
      const n = Math.min(2, body.length);
      openFixed(body, n, tree);
      tree.add(fields.categoryCode, body, 0, 1, body.u8(0));
      if (n > 1) tree.add(fields.actionCode, body, 1, 1, body.u8(1));
      tree.close();
      tree.close();
      return;
    }
    default:
      // Probe Request, ATIM and others: no fixed fields.
      break;
  }
  if (o < body.length) dissectElements(body, o, pinfo, tree);
  tree.close();
}

function openFixed(body: ByteView, n: number, tree: ProtoTree): void {
  body.ensure(0, n);
  tree.open(fields.fixedAll, body, 0, n, null, tree.full ? `Fixed parameters (${n} bytes)` : undefined);
}

function addCapabilities(view: ByteView, o: number, tree: ProtoTree): void {
  const cap = view.u16le(o);
  tree.open(fields.capabilities, view, o, 2, cap);
  tree.add(fields.capEss, view, o, 2, (cap & 0x0001) !== 0);
  tree.add(fields.capIbss, view, o, 2, (cap & 0x0002) !== 0);
  tree.add(fields.capReserved1, view, o, 2, (cap >> 2) & 1);
  tree.add(fields.capReserved2, view, o, 2, (cap >> 3) & 1);
  tree.add(fields.capPrivacy, view, o, 2, (cap & 0x0010) !== 0);
  tree.add(fields.capShortPreamble, view, o, 2, (cap & 0x0020) !== 0);
  tree.add(fields.capReserved3, view, o, 2, (cap >> 6) & 1);
  tree.add(fields.capReserved4, view, o, 2, (cap >> 7) & 1);
  tree.add(fields.capSpecMan, view, o, 2, (cap & 0x0100) !== 0);
  tree.add(fields.capQos, view, o, 2, (cap & 0x0200) !== 0);
  tree.add(fields.capShortSlot, view, o, 2, (cap & 0x0400) !== 0);
  tree.add(fields.capApsd, view, o, 2, (cap & 0x0800) !== 0);
  tree.add(fields.capRadioMeasurement, view, o, 2, (cap & 0x1000) !== 0);
  tree.add(fields.capEpd, view, o, 2, (cap & 0x2000) !== 0);
  tree.add(fields.capReserved5, view, o, 2, (cap >> 14) & 1);
  tree.add(fields.capReserved6, view, o, 2, (cap >> 15) & 1);
  tree.close();
}

const EID_SSID = 0;
const EID_RATES = 1;
const EID_DS = 3;
const EID_TIM = 5;
const EID_ERP = 42;
const EID_EXT_RATES = 50;
const EID_VENDOR = 221;

/** Elements (§9.4.2): ID, length, body. The loop advances by at least 2 octets, so it ends. */
function dissectElements(view: ByteView, start: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  tree.open(fields.taggedAll, view, start, view.length - start, null, full ? `Tagged parameters (${view.length - start} bytes)` : undefined);
  let o = start;
  while (o < view.length) {
    const id = view.u8(o);
    const len = view.u8(o + 1);
    view.ensure(o + 2, len);
    const known = elementIds[id];
    // The label is set before the body is read, so a malformed element still shows what it was.
    const vendorName = id === EID_VENDOR && len >= 3 ? `Vendor Specific: ${ouiNames[view.u24(o + 2)] ?? '(null)'}` : undefined;
    const item = tree.open(fields.tag, view, o, 2 + len, null, full ? `Tag: ${vendorName ?? known ?? `Unknown (${id}): Undecoded`}` : undefined);
    if (known === undefined) {
      tree.open(fields.tagNumber, view, o, 1, id);
      addExpert(tree, pinfo, experts.tagUndecoded, view, o, 0, `Dissector for 802.11 IE Tag ((${id})) code not implemented, Contact Wireshark developers if you want this supported`);
      tree.close();
    } else {
      tree.add(fields.tagNumber, view, o, 1, id);
    }
    tree.add(fields.tagLength, view, o + 1, 1, len);
    // The element's own bytes: reading past them is a malformed element, not the next one.
    const label = dissectElementBody(view.sub(o + 2, len, len), id, pinfo, tree);
    if (full && label !== undefined) tree.setLabel(item, `Tag: ${label}`);
    tree.close();
    o += 2 + len;
  }
  tree.close();
}

/** Decodes one element's body; returns the tag's label text after "Tag: " when it differs from the name. */
function dissectElementBody(view: ByteView, id: number, pinfo: PacketInfo, tree: ProtoTree): string | undefined {
  const full = tree.full;
  const o = 0;
  const len = view.length;
  switch (id) {
    case EID_SSID: {
      if (len === 0) {
        tree.add(fields.ssid, view, o, 0, new Uint8Array(0), full ? 'SSID: <MISSING>' : undefined);
        pinfo.appendInfo(', SSID=Wildcard (Broadcast)');
        return 'SSID parameter set: Wildcard SSID';
      }
      const text = ssidText(view.bytes(o, len));
      tree.add(fields.ssid, view, o, len, view.bytes(o, len), full ? `SSID: "${text}"` : undefined);
      pinfo.appendInfo(`, SSID="${text}"`);
      return `SSID parameter set: "${text}"`;
    }
    case EID_RATES:
    case EID_EXT_RATES: {
      const f = id === EID_RATES ? fields.supportedRates : fields.extSupportedRates;
      let names = '';
      for (let i = 0; i < len; i++) {
        const r = view.u8(o + i);
        tree.add(f, view, o + i, 1, r);
        if (full) names += `${rateNames[r] ?? 'Unknown'}, `;
      }
      return `${id === EID_RATES ? 'Supported Rates' : 'Extended Supported Rates'} ${names}[Mbit/sec]`;
    }
    case EID_DS:
      if (len !== 1) break;
      tree.add(fields.currentChannel, view, o, 1, view.u8(o));
      return `DS Parameter set: Current Channel: ${view.u8(o)}`;
    case EID_TIM: {
      if (len < 4) break;
      const count = view.u8(o);
      const period = view.u8(o + 1);
      const ctl = view.u8(o + 2);
      tree.add(fields.timDtimCount, view, o, 1, count);
      tree.add(fields.timDtimPeriod, view, o + 1, 1, period);
      tree.open(fields.timBmapctl, view, o + 2, 1, ctl);
      tree.add(fields.timMulticast, view, o + 2, 1, (ctl & 1) !== 0);
      tree.add(fields.timOffset, view, o + 2, 1, ctl >> 1, full ? `${(ctl >> 1).toString(2).padStart(7, '0').replace(/^(....)/, '$1 ')}. = Bitmap Offset: 0x${hex(ctl >> 1, 2)}` : undefined);
      tree.close();
      const bmLen = len - 3;
      tree.add(fields.timBitmap, view, o + 3, bmLen, view.bytes(o + 3, bmLen));
      // §9.4.2.5: the partial bitmap starts at octet N1 = 2 × offset of the full AID bitmap.
      const firstAid = (ctl >> 1) * 2 * 8;
      for (let i = 0; i < bmLen; i++) {
        const byte = view.u8(o + 3 + i);
        for (let b = 0; b < 8; b++) if (byte & (1 << b)) tree.add(fields.timAid, view, o + 3 + i, 1, (firstAid + i * 8 + b) & 0xff);
      }
      return `Traffic Indication Map (TIM): DTIM ${count} of ${period} bitmap`;
    }
    case EID_ERP: {
      if (len !== 1) break;
      const erp = view.u8(o);
      tree.open(fields.erpInfo, view, o, 1, erp);
      tree.add(fields.erpPresent, view, o, 1, (erp & 1) !== 0);
      tree.add(fields.erpProtection, view, o, 1, (erp & 2) !== 0);
      tree.add(fields.erpBarker, view, o, 1, (erp & 4) !== 0);
      tree.add(fields.erpReserved, view, o, 1, erp >> 3, full ? `${(erp >> 3).toString(2).padStart(5, '0').replace(/^(....)/, '$1 ')}... = Reserved: 0x${hex(erp >> 3, 2)}` : undefined);
      tree.close();
      return undefined;
    }
    case EID_VENDOR: {
      const oui = view.u24(o);
      tree.add(fields.tagOui, view, o, 3, oui, full ? `OUI: ${ouiLabel(oui)}` : undefined);
      tree.add(fields.vendorOuiType, view, o + 3, 1, view.u8(o + 3));
      if (len > 3) tree.add(fields.vendorData, view, o + 3, len - 3, view.bytes(o + 3, len - 3));
      return `Vendor Specific: ${ouiNames[oui] ?? '(null)'}`;
    }
  }
  if (len > 0) tree.add(fields.tagData, view, o, len, view.bytes(o, len));
  return undefined;
}

/** An SSID as Wireshark shows it: printable ASCII as is, other octets as \\xhh escapes. */
function ssidText(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${hex(c, 2)}`;
  return s;
}

function handleFor(opts: LinkOptions): DissectorHandle {
  return { abbrev: 'wlan', dissect: (view, pinfo, tree) => dissectWith(view, pinfo, tree, opts) };
}

export const handle: DissectorHandle = { abbrev: 'wlan', dissect };

export function handoff(): void {
  registerDissector('wlan', handle);
  registerDissector('wlan_withoutfcs', handle);
  registerDissector('wlan_withfcs', handleFor({ fcs: true, dataPad: false }));
  // Radiotap's "Data Pad" flag: Fathom-specific names, as Wireshark passes that in a pseudo-header.
  registerDissector('wlan_withoutfcs_datapad', handleFor({ fcs: false, dataPad: true }));
  registerDissector('wlan_withfcs_datapad', handleFor({ fcs: true, dataPad: true }));
  tables.linkType.add(LinkType.IEEE802_11, handle);
}

