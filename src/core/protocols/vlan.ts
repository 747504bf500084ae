import { defineFields } from '../dissect/field-registry';
import { tables, findDissector, callDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { etypeNames } from './values/etypes';
import { addEtherTrailer, dissectEthertypePayload } from './ethertype-dispatch';
import { dissect as dissectData } from './data';

/**
 * IEEE 802.1Q VLAN tags (ethertype 0x8100, and the pre-standard QinQ 0x9100) and IEEE 802.1ad service tags
 * (0x88a8). A tag is 4 octets: the TCI — priority code point (3 bits), drop eligible indicator (1 bit), VLAN
 * id (12 bits) — then the inner ethertype, or an 802.3 length when ≤ 1500 (IEEE 802.1Q-2018 §9.6).
 */

/** Priority names of IEEE 802.1Q-2005 Table G-2, the table Wireshark uses by default. */
const priorityNames: Record<number, string> = {
  0: 'Best Effort (default)', 1: 'Background', 2: 'Excellent Effort', 3: 'Critical Applications',
  4: 'Video, < 100ms latency and jitter', 5: 'Voice, < 10ms latency and jitter', 6: 'Internetwork Control', 7: 'Network Control',
};

export const fields = defineFields('vlan', {
  vlan: { id: 'vlan', name: '802.1Q Virtual LAN', type: 'protocol' },
  priority: { id: 'vlan.priority', name: 'Priority', type: 'uint16', base: 'dec', mask: 0xe000, vals: priorityNames, description: 'Descriptions are recommendations from IEEE standard 802.1D-2004' },
  cfi: { id: 'vlan.cfi', name: 'CFI', type: 'boolean', base: 16, mask: 0x1000, tfs: ['Non-canonical', 'Canonical'], description: 'Canonical Format Identifier' },
  dei: { id: 'vlan.dei', name: 'DEI', type: 'boolean', base: 16, mask: 0x1000, tfs: ['Eligible', 'Ineligible'], description: 'Drop Eligible Indicator' },
  id: { id: 'vlan.id', name: 'ID', type: 'uint16', base: 'dec', mask: 0x0fff, description: 'VLAN ID' },
  idName: { id: 'vlan.id_name', name: 'Name', type: 'string', description: 'VLAN ID Name' },
  etype: { id: 'vlan.etype', name: 'Type', type: 'uint16', base: 'hex', vals: etypeNames, description: 'Ethertype' },
  len: { id: 'vlan.len', name: 'Length', type: 'uint16', base: 'dec' },
  trailer: { id: 'vlan.trailer', name: 'Trailer', type: 'bytes', description: 'VLAN Trailer' },
});

export const experts = defineExperts('vlan', {
  lenPastEnd: { id: 'vlan.len.past_end', summary: 'Length field value goes past the end of the payload', severity: 'error', group: 'malformed' },
  tooManyTags: { id: 'vlan.too_many_tags', summary: 'Too many nested VLAN tags', severity: 'warn', group: 'undecoded' },
});

export const adFields = defineFields('ieee8021ad', {
  ieee8021ad: { id: 'ieee8021ad', name: 'IEEE 802.1ad', type: 'protocol' },
  priority: { id: 'ieee8021ad.priority', name: 'Priority', type: 'uint16', base: 'dec', mask: 0xe000 },
  dei: { id: 'ieee8021ad.dei', name: 'DEI', type: 'uint16', base: 'dec', mask: 0x1000, description: 'Drop Eligibility' },
  id: { id: 'ieee8021ad.id', name: 'ID', type: 'uint16', base: 'dec', mask: 0x0fff, description: 'Vlan ID' },
});

/** Wireshark's 802.1ad dissector shows its type and trailer with the 802.1ah (backbone) fields. */
export const ahFields = defineFields('ieee8021ah', {
  etype: { id: 'ieee8021ah.etype', name: 'Type', type: 'uint16', base: 'hex', vals: etypeNames },
  trailer: { id: 'ieee8021ah.trailer', name: 'Trailer', type: 'bytes', description: '802.1ah Trailer' },
});

const TAG_LEN = 4;
/** Wireshark stops decoding at the 21st nested 802.1Q tag. */
const MAX_NESTED_TAGS = 20;
/** Largest 802.3 length; larger values are ethertypes (IEEE 802.3 §3.2.6). */
const MAX_802_3_LENGTH = 1500;

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('VLAN');
  if (countLayers(pinfo, 'vlan') > MAX_NESTED_TAGS) {
    // Bounds the recursion; Info keeps the last tag that was decoded.
    tree.open(fields.vlan, view, 0, Math.min(TAG_LEN, view.length), null);
    addExpert(tree, pinfo, experts.tooManyTags, view, 0, 0);
    tree.close();
    return view.length;
  }
  pinfo.setInfo('');
  const full = tree.full;
  const tci = view.u16(0);
  const top = tree.open(fields.vlan, view, 0, TAG_LEN, null);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const vid = tci & 0xfff;
  pinfo.setInfo(`PRI: ${pri}  DEI: ${dei}  ID: ${vid}`);
  if (full) tree.setLabel(top, `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${vid}`);
  tree.add(fields.priority, view, 0, 2, pri);
  tree.add(fields.dei, view, 0, 2, dei === 1);
  tree.add(fields.id, view, 0, 2, vid);
  const lentype = view.u16(2);
  if (lentype <= MAX_802_3_LENGTH) {
    // An 802.3 length inside the tag: the payload is an 802.2 LLC frame of that length.
    tree.open(fields.len, view, 2, 2, lentype);
    let payloadLen = lentype;
    const reportedLeft = Math.max(0, view.reportedLength - TAG_LEN);
    if (lentype > reportedLeft) {
      addExpert(tree, pinfo, experts.lenPastEnd, view, 2, 2);
      payloadLen = reportedLeft;
    }
    tree.close();
    tree.close();
    const payload = view.sub(TAG_LEN, Math.min(payloadLen, view.length - TAG_LEN), payloadLen);
    const llc = findDissector('llc');
    try {
      if (llc) callDissector(llc, payload, pinfo, tree);
      else dissectData(payload, pinfo, tree);
    } finally {
      // The length says where the trailer starts, so it is shown even when the payload was malformed.
      addTrailer(top, view, TAG_LEN + payload.length, fields.trailer, pinfo, tree);
    }
    return view.length;
  }
  tree.add(fields.etype, view, 2, 2, lentype);
  tree.close();
  const used = dissectEthertypePayload(lentype, view.sub(TAG_LEN), pinfo, tree);
  addTrailer(top, view, TAG_LEN + used, fields.trailer, pinfo, tree);
  return view.length;
}

/** IEEE 802.1ad service tag: the same layout as an 802.1Q tag, shown as Wireshark's "ieee8021ad" protocol. */
export function dissectServiceTag(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('802.1ad');
  if (countLayers(pinfo, 'ieee8021ad') > MAX_NESTED_TAGS) {
    // Wireshark sets no limit here; Fathom bounds the recursion the way it does for 802.1Q.
    tree.add(adFields.ieee8021ad, view, 0, Math.min(TAG_LEN, view.length), null);
    return view.length;
  }
  pinfo.setInfo('');
  const full = tree.full;
  const tci = view.u16(0);
  const top = tree.open(adFields.ieee8021ad, view, 0, TAG_LEN, null);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const vid = tci & 0xfff;
  pinfo.setInfo(`PRI: ${pri}  DROP: ${dei} ID: ${vid}`);
  if (full) tree.setLabel(top, `IEEE 802.1ad, ID: ${vid}`);
  tree.add(adFields.priority, view, 0, 1, pri);
  tree.add(adFields.dei, view, 0, 1, dei);
  tree.add(adFields.id, view, 0, 2, vid);
  const etype = view.u16(2);
  tree.add(ahFields.etype, view, 2, 2, etype);
  tree.close();
  const used = dissectEthertypePayload(etype, view.sub(TAG_LEN), pinfo, tree);
  addTrailer(top, view, TAG_LEN + used, ahFields.trailer, pinfo, tree);
  return view.length;
}

function addTrailer(item: number, view: ByteView, start: number, trailerField: typeof fields.trailer, pinfo: PacketInfo, tree: ProtoTree): void {
  if (start >= view.length) return;
  tree.reopen(item);
  addEtherTrailer(view, start, trailerField, pinfo, tree);
  tree.close();
}

function countLayers(pinfo: PacketInfo, abbrev: string): number {
  let n = 0;
  for (const l of pinfo.layers) if (l === abbrev) n++;
  return n;
}

export const handle = { abbrev: 'vlan', dissect };
export const serviceTagHandle = { abbrev: 'ieee8021ad', dissect: dissectServiceTag };

export function handoff(): void {
  tables.ethertype.add(0x8100, handle);
  tables.ethertype.add(0x9100, handle);
  tables.ethertype.add(0x88a8, serviceTagHandle);
}
