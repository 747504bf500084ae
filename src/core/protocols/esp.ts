import { defineFields } from '../dissect/field-registry';
import { tables } from '../dissect/dissector-tables';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { hex } from '../dissect/format';

/**
 * IP Encapsulating Security Payload (RFC 4303 §2): SPI and sequence number in the clear, then encrypted data
 * Fathom cannot read. Like Wireshark without keys, the rest stays inside the ESP item (no "data" layer).
 */
export const fields = defineFields('esp', {
  esp: { id: 'esp', name: 'Encapsulating Security Payload', type: 'protocol' },
  spi: { id: 'esp.spi', name: 'ESP SPI', type: 'uint32', base: 'hex_dec', description: 'IP Encapsulating Security Payload Security Parameters Index' },
  sequence: { id: 'esp.sequence', name: 'ESP Sequence', type: 'uint32', base: 'dec', description: 'IP Encapsulating Security Payload Sequence Number' },
});

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('ESP');
  tree.open(fields.esp, view, 0, view.length, null);
  const spi = view.u32(0);
  tree.add(fields.spi, view, 0, 4, spi);
  tree.add(fields.sequence, view, 4, 4, view.u32(4));
  tree.close();
  pinfo.setInfo(`ESP (SPI=0x${hex(spi, 8)})`);
  return view.length;
}

export const handle = { abbrev: 'esp', dissect };

export function handoff(): void {
  tables.ipProto.add(50, handle);
}
