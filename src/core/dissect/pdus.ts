import { ByteView } from './byte-view';
import type { PacketInfo } from './packet-info';
import type { ProtoTree } from './proto-tree';

/** A `desegment` length meaning "I cannot tell yet: give me the next segment too" (HTTP headers, say). */
export const DESEGMENT_ONE_MORE_SEGMENT = -1;

/**
 * The usual shape of a protocol over TCP (Wireshark's tcp_dissect_pdus): a stream of PDUs, each starting with
 * a header of at least `headerLength` bytes from which `pduLength` tells the PDU's whole length. Dissects every
 * whole PDU of the view with `dissectPdu`; a PDU that runs past the view is, when TCP can reassemble, left for
 * the frame that completes it ("I need N more bytes"), otherwise dissected as far as it goes (the bounds
 * check then marks it Malformed). Returns the bytes used, for the dissector to return.
 *
 * `pduLength` returning less than `headerLength` means the bytes are not this protocol's: the rest of the view
 * is left undissected.
 */
export function dissectPdus(
  view: ByteView,
  pinfo: PacketInfo,
  tree: ProtoTree,
  headerLength: number,
  pduLength: (view: ByteView, offset: number) => number,
  dissectPdu: (pdu: ByteView, pinfo: PacketInfo, tree: ProtoTree) => void,
): number {
  let offset = 0;
  while (offset < view.reportedLength) {
    const avail = view.length - offset;
    if (avail < headerLength && pinfo.canDesegment) {
      // Not even the header: take the whole next segment (as Wireshark does), whatever it holds.
      pinfo.desegment(offset, DESEGMENT_ONE_MORE_SEGMENT);
      return view.length;
    }
    const length = pduLength(view, offset);
    if (length < headerLength) return offset;
    if (length > avail && pinfo.canDesegment) {
      pinfo.desegment(offset, length - avail);
      return view.length;
    }
    dissectPdu(view.sub(offset, length, length), pinfo, tree);
    offset += length;
  }
  return view.length;
}
