import { defineFields, type FieldInfo } from '../dissect/field-registry';
import { tables } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { hex } from '../dissect/format';
import { dissect as dissectData } from './data';

/**
 * What Wireshark's "ethertype" pseudo-protocol does for link layers that end in an ethertype (802.1Q tags,
 * Linux cooked capture): hand the payload to the ethertype table, then show the bytes the payload protocol
 * left over as Ethernet padding and the caller's trailer. Not a protocol of its own: no fields but the shared
 * Ethernet padding ones, which eth.ts defines identically.
 */
const ethFields = defineFields('eth', {
  padding: { id: 'eth.padding', name: 'Padding', type: 'bytes' },
});

const ethExperts = defineExperts('eth', {
  paddingBad: {
    id: 'eth.padding_bad',
    summary: "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
    severity: 'note',
    group: 'protocol',
  },
});

/** Ethernet's minimum frame without FCS (IEEE 802.3 §4.4.2): shorter frames are padded up to it. */
const MIN_FRAME = 60;

/**
 * Dissects `payload` by ethertype, recording the "ethertype" layer as Wireshark's frame.protocols does.
 * Unknown types become data, with the Protocol column showing the type in hex. Returns the bytes used.
 */
export function dissectEthertypePayload(etype: number, payload: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.layers.push('ethertype');
  const used = tables.ethertype.tryDissect(etype, payload, pinfo, tree);
  if (used >= 0) return Math.min(used, payload.length);
  pinfo.setProtocol(`0x${hex(etype, 4)}`);
  dissectData(payload, pinfo, tree);
  return payload.length;
}

/**
 * Adds the bytes of `view` from `start` on under the currently open item: Ethernet padding (zeros up to frame
 * offset 60, when the frame reaches that size) and then `trailerField` for the rest. Non-zero bytes where
 * the padding belongs make the whole rest a trailer, with Wireshark's note.
 */
export function addEtherTrailer(view: ByteView, start: number, trailerField: FieldInfo, pinfo: PacketInfo, tree: ProtoTree): void {
  const end = view.length;
  if (start >= end) return;
  let at = start;
  const padEnd = view.source === 0 ? Math.min(end, MIN_FRAME - view.sourceOffset) : at;
  let badPadding = false;
  if (view.sourceOffset + view.reportedLength >= MIN_FRAME && at < padEnd) {
    let zeros = true;
    for (let i = at; i < padEnd && zeros; i++) zeros = view.u8(i) === 0;
    if (zeros) {
      tree.add(ethFields.padding, view, at, padEnd - at, tree.wants(ethFields.padding) ? view.bytes(at, padEnd - at) : null);
      at = padEnd;
    } else {
      badPadding = true;
    }
  }
  if (at >= end) return;
  tree.open(trailerField, view, at, end - at, view.bytes(at, end - at));
  if (badPadding) addExpert(tree, pinfo, ethExperts.paddingBad, view, at, 0);
  tree.close();
}
