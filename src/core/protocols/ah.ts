import { defineFields } from '../dissect/field-registry';
import { tables, registerDissector } from '../dissect/dissector-tables';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { hex } from '../dissect/format';
import { ipProtoNames } from './values/ipproto';
import { dissect as dissectData } from './data';

/**
 * IP Authentication Header (RFC 4302 §2). In IPv6 it is one link of the extension-header chain, so the IPv6
 * dissector calls `ah.header` and carries on with the next header itself; after IPv4 the `ah` dissector also
 * hands the payload on.
 */
export const fields = defineFields('ah', {
  ah: { id: 'ah', name: 'Authentication Header', type: 'protocol' },
  nextHeader: { id: 'ah.next_header', name: 'Next header', type: 'uint8', base: 'dec', vals: ipProtoNames },
  length: { id: 'ah.length', name: 'Length', type: 'uint8', base: 'dec' },
  reserved: { id: 'ah.reserved', name: 'Reserved', type: 'bytes' },
  spi: { id: 'ah.spi', name: 'AH SPI', type: 'uint32', base: 'hex', description: 'IP Authentication Header Security Parameters Index' },
  sequence: { id: 'ah.sequence', name: 'AH Sequence', type: 'uint32', base: 'dec', description: 'IP Authentication Header Sequence Number' },
  icv: { id: 'ah.icv', name: 'AH ICV', type: 'bytes', description: 'IP Authentication Header Integrity Check Value' },
});

/** Next header, payload length, reserved, SPI, sequence number: the ICV follows these 12 bytes. */
const FIXED = 12;

/** Draws the header; returns its length ((payload length + 2) × 4 octets, RFC 4302 §2.2). */
export function dissectHeader(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('AH');
  const nxt = view.u8(0);
  const len = view.u8(1);
  const hdrLen = (len + 2) * 4;
  const spi = view.u32(4);
  pinfo.setInfo(`AH (SPI=0x${hex(spi, 8)})`);
  const full = tree.full;
  tree.open(fields.ah, view, 0, Math.min(hdrLen, view.length), null);
  tree.add(fields.nextHeader, view, 0, 1, nxt);
  tree.add(fields.length, view, 1, 1, len, full ? `Length: ${len} (${hdrLen} bytes)` : undefined);
  tree.add(fields.reserved, view, 2, 2, view.bytes(2, 2));
  tree.add(fields.spi, view, 4, 4, spi);
  tree.add(fields.sequence, view, 8, 4, view.u32(8));
  const icvLen = hdrLen - FIXED;
  if (icvLen > 0) tree.add(fields.icv, view, FIXED, icvLen, view.bytes(FIXED, icvLen));
  else tree.add(fields.icv, view, FIXED, 0, null, full ? 'AH ICV: <MISSING>' : undefined);
  tree.close();
  return hdrLen;
}

/** AH after IPv4 (or anything else handing over IP protocol 51): the header, then the protocol it protects. */
export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const hdrLen = dissectHeader(view, pinfo, tree);
  const nxt = view.u8(0);
  pinfo.ipProto = nxt;
  const payload = view.sub(hdrLen);
  if (tables.ipProto.tryDissect(nxt, payload, pinfo, tree) < 0) dissectData(payload, pinfo, tree);
  return view.length;
}

export const handle = { abbrev: 'ah', dissect };
export const headerHandle = { abbrev: 'ah', dissect: dissectHeader };

export function handoff(): void {
  registerDissector('ah', handle);
  registerDissector('ah.header', headerHandle);
  tables.ipProto.add(51, handle);
}
