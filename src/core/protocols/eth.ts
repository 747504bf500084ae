import { defineFields, FieldGroup } from '../dissect/field-registry';
import { tables, findDissector, callDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import { AddrKind, type PacketInfo } from '../dissect/packet-info';
import { tapAddresses } from '../dissect/taps';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { formatEther, hex } from '../dissect/format';
import { LinkType } from '../capture/link-types';
import { etypeNames } from './values/etypes';
import { dissect as dissectData } from './data';

/** Ethernet II and IEEE 802.3 (IEEE 802.3 clause 3; Ethernet II "DIX" framing). */
export const fields = defineFields('eth', {
  eth: { id: 'eth', name: 'Ethernet', type: 'protocol' },
  dst: { id: 'eth.dst', name: 'Destination', type: 'ether', description: 'Destination Hardware Address' },
  dstLg: { id: 'eth.dst.lg', name: 'LG bit', type: 'boolean', base: 24, mask: 0x20000, tfs: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] },
  dstIg: { id: 'eth.dst.ig', name: 'IG bit', type: 'boolean', base: 24, mask: 0x10000, tfs: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] },
  src: { id: 'eth.src', name: 'Source', type: 'ether', description: 'Source Hardware Address' },
  srcLg: { id: 'eth.src.lg', name: 'LG bit', type: 'boolean', base: 24, mask: 0x20000, tfs: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] },
  srcIg: { id: 'eth.src.ig', name: 'IG bit', type: 'boolean', base: 24, mask: 0x10000, tfs: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] },
  addr: { id: 'eth.addr', name: 'Address', type: 'ether', description: 'Source or Destination Hardware Address' },
  lg: { id: 'eth.lg', name: 'LG bit', type: 'boolean', base: 24, mask: 0x20000, tfs: ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] },
  ig: { id: 'eth.ig', name: 'IG bit', type: 'boolean', base: 24, mask: 0x10000, tfs: ['Group address (multicast/broadcast)', 'Individual address (unicast)'] },
  type: { id: 'eth.type', name: 'Type', type: 'uint16', base: 'hex', vals: etypeNames },
  len: { id: 'eth.len', name: 'Length', type: 'uint16', base: 'dec' },
  invalidLentype: { id: 'eth.invalid_lentype', name: 'Invalid length/type', type: 'uint16', base: 'hex_dec' },
  padding: { id: 'eth.padding', name: 'Padding', type: 'bytes' },
  trailer: { id: 'eth.trailer', name: 'Trailer', type: 'bytes' },
  fcs: { id: 'eth.fcs', name: 'Frame check sequence', type: 'uint32', base: 'hex' },
  fcsStatus: { id: 'eth.fcs.status', name: 'FCS Status', type: 'uint8', base: 'none', vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } },
});

export const experts = defineExperts('eth', {
  invalidLentype: { id: 'eth.invalid_lentype.expert', summary: 'Invalid length/type', severity: 'warn', group: 'protocol' },
  srcNotGroup: { id: 'eth.src_not_group', summary: 'Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)', severity: 'warn', group: 'protocol' },
  lenPastEnd: { id: 'eth.len.past_end', summary: 'Length field value goes past the end of the payload', severity: 'error', group: 'malformed' },
  paddingBad: { id: 'eth.padding_bad', summary: 'Padding identification may be inaccurate and impact trailer dissector', severity: 'note', group: 'protocol' },
});

const HEADER = 14;
/** Smallest Ethernet frame without FCS; shorter payloads are padded up to it. */
const MIN_FRAME = 60;

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  // Set first, so a frame too short for the header is reported as a malformed "Ethernet" packet.
  pinfo.setProtocol('Ethernet');
  // Addresses a short frame does hold still fill the Source/Destination columns.
  if (view.has(0, 6)) pinfo.dlDst.set(AddrKind.Ether, view, 0);
  if (view.has(6, 6)) pinfo.dlSrc.set(AddrKind.Ether, view, 6);
  view.ensure(0, HEADER);
  const lentype = view.u16(12);
  // Wireshark reports the addresses to its statistics as soon as the header is read.
  tapAddresses(pinfo, 'eth', AddrKind.Ether, view, 6, 0);
  const full = tree.full;
  const isLength = lentype <= 1500;
  const srcText = full ? formatEther(view.bytes(6, 6)) : '';
  const dstText = full ? formatEther(view.bytes(0, 6)) : '';
  // An 802.3 frame's summary names no addresses (Wireshark's wording, trailing space included).
  const title = isLength ? 'IEEE 802.3 Ethernet ' : lentype < 0x600 ? 'Ethernet Unknown' : 'Ethernet II';
  pinfo.setInfo(title);
  const top = tree.open(fields.eth, view, 0, HEADER, null, full ? (isLength ? title : `${title}, Src: ${srcText}, Dst: ${dstText}`) : undefined);
  addAddress(tree, pinfo, view, 0, true, full ? dstText : '');
  addAddress(tree, pinfo, view, 6, false, full ? srcText : '');

  if (isLength) {
    let payloadLen = lentype;
    tree.open(fields.len, view, 12, 2, lentype);
    if (lentype > view.reportedLength - HEADER) {
      addExpert(tree, pinfo, experts.lenPastEnd, view, 12, 2);
      payloadLen = Math.max(0, view.reportedLength - HEADER);
    }
    tree.close();
    tree.close();
    const avail = view.length - HEADER;
    const payload = view.sub(HEADER, Math.min(payloadLen, avail), payloadLen);
    const llc = findDissector('llc');
    if (llc) callDissector(llc, payload, pinfo, tree);
    else dissectData(payload, pinfo, tree);
    addTrailer(top, view, HEADER + payloadLen, pinfo, tree);
    return view.length;
  }
  if (lentype < 0x600) {
    const msg = `Invalid length/type: 0x${hex(lentype, 4)} (${lentype})`;
    tree.open(fields.invalidLentype, view, 12, 2, lentype);
    addExpert(tree, pinfo, experts.invalidLentype, view, 12, 2, msg);
    tree.close();
    tree.close();
    pinfo.appendInfo(`: ${msg}`);
    dissectData(view.sub(HEADER), pinfo, tree);
    return view.length;
  }
  tree.add(fields.type, view, 12, 2, lentype);
  tree.close();
  const used = dissectEthertype(lentype, view.sub(HEADER), pinfo, tree);
  addTrailer(top, view, HEADER + used, pinfo, tree);
  return view.length;
}

/**
 * Dispatches a payload by ethertype (Wireshark's "ethertype" dissector, which shows in frame.protocols);
 * returns the bytes the payload protocol used.
 */
export function dissectEthertype(etype: number, payload: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.layers.push('ethertype');
  const used = tables.ethertype.tryDissect(etype, payload, pinfo, tree);
  if (used >= 0) return used;
  pinfo.setProtocol(`0x${hex(etype, 4)}`);
  dissectData(payload, pinfo, tree);
  return payload.length;
}

const ADDRESS_ITEMS = new FieldGroup(['eth.dst', 'eth.src', 'eth.addr', 'eth.lg', 'eth.ig']);

function addAddress(tree: ProtoTree, pinfo: PacketInfo, view: ByteView, offset: number, isDst: boolean, text: string): void {
  const b0 = view.u8(offset);
  const ig = (b0 & 1) !== 0;
  if (!tree.recordsAny(ADDRESS_ITEMS)) {
    // No address item is recorded (first pass, list rows, most filters): only the expert's effect remains.
    if (!isDst && ig) addExpert(tree, pinfo, experts.srcNotGroup, view, offset, 0);
    return;
  }
  const own = isDst ? fields.dst : fields.src;
  // The summary and filter paths usually want none of these: skip making the byte view then.
  const mac = tree.wants(own) || tree.wants(fields.addr) ? view.bytes(offset, 6) : null;
  const lg = (b0 & 2) !== 0;
  tree.open(own, view, offset, 6, mac, tree.full ? `${isDst ? 'Destination' : 'Source'}: ${text}` : undefined);
  // IEEE 802.3 clause 3.2.3(b): the source is always an individual address.
  if (!isDst && ig) addExpert(tree, pinfo, experts.srcNotGroup, view, offset, 0);
  tree.add(fields.addr, view, offset, 6, mac, tree.full ? `Address: ${text}` : undefined);
  tree.add(isDst ? fields.dstLg : fields.srcLg, view, offset, 3, lg);
  tree.add(fields.lg, view, offset, 3, lg, undefined, 2);
  tree.add(isDst ? fields.dstIg : fields.srcIg, view, offset, 3, ig);
  tree.add(fields.ig, view, offset, 3, ig, undefined, 2);
  tree.close();
}

/**
 * Bytes after the payload. A frame that reaches the 60-byte minimum was padded up to it: when those bytes
 * are all zero they are padding, otherwise everything after the payload is a trailer (with a note that
 * non-zero padding may hide in it). Then, when the frame is at least 64 bytes on the wire and 4 bytes
 * remain, the last 4 are taken as the frame check sequence (Wireshark's default FCS heuristic).
 */
function addTrailer(ethItem: number, view: ByteView, payloadEnd: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const end = view.length;
  if (payloadEnd >= end) return;
  tree.reopen(ethItem);
  addTrailerItems(view, payloadEnd, pinfo, tree);
  tree.close();
}

function addTrailerItems(view: ByteView, payloadEnd: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const end = view.length;
  let at = payloadEnd;
  let paddingBad = false;
  if (payloadEnd < MIN_FRAME && view.reportedLength >= MIN_FRAME) {
    // Reads the whole padding region: a frame cut short inside it by the snapshot length is truncated.
    let zeros = true;
    for (let i = payloadEnd; i < MIN_FRAME; i++) if (view.u8(i) !== 0) zeros = false;
    if (zeros) {
      const pad = MIN_FRAME - payloadEnd;
      tree.add(fields.padding, view, at, pad, tree.wants(fields.padding) ? view.bytes(at, pad) : null);
      at += pad;
    } else {
      paddingBad = true;
    }
  }
  const rest = end - at;
  if (rest <= 0) return;
  const hasFcs = rest >= 4 && pinfo.len >= 64;
  const trailerLen = hasFcs ? rest - 4 : rest;
  if (trailerLen > 0) {
    tree.open(fields.trailer, view, at, trailerLen, tree.wants(fields.trailer) ? view.bytes(at, trailerLen) : null);
    if (paddingBad) addExpert(tree, pinfo, experts.paddingBad, view, at, 0, "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.");
    tree.close();
  }
  if (hasFcs) {
    const fcsAt = end - 4;
    tree.add(fields.fcs, view, fcsAt, 4, view.u32(fcsAt), tree.full ? `Frame check sequence: 0x${hex(view.u32(fcsAt), 8)} [unverified]` : undefined);
    tree.addGenerated(fields.fcsStatus, view, fcsAt, 0, 2);
  }
}

export const handle = { abbrev: 'eth', dissect };

export function handoff(): void {
  tables.linkType.add(LinkType.ETHERNET, handle);
}
