import { defineFields } from '../dissect/field-registry';
import type { ByteView } from '../dissect/byte-view';
import type { PacketInfo } from '../dissect/packet-info';
import type { ProtoTree } from '../dissect/proto-tree';

/** Bytes no dissector claimed: Wireshark's "Data" protocol. */
export const fields = defineFields('data', {
  data: { id: 'data', name: 'Data', type: 'protocol' },
  bytes: { id: 'data.data', name: 'Data', type: 'bytes' },
  len: { id: 'data.len', name: 'Length', type: 'int32', base: 'dec' },
});

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  const n = view.length;
  if (n === 0 && view.reportedLength === 0) return;
  pinfo.layers.push('data');
  // Most payloads end here (no dissector for them): the first pass and list rows record none of these items.
  if (!tree.recording) return;
  const label = tree.full ? `Data (${n} byte${n === 1 ? '' : 's'})` : undefined;
  tree.open(fields.data, view, 0, n, null, label);
  tree.add(fields.bytes, view, 0, n, tree.wants(fields.bytes) ? view.bytes(0, n) : null, tree.full ? `Data: ${hexPreview(view, n)}` : undefined);
  tree.addGenerated(fields.len, view, 0, 0, n, tree.full ? `[Length: ${n}]` : undefined);
  tree.close();
}

function hexPreview(view: ByteView, n: number): string {
  const shown = Math.min(n, 36);
  let s = '';
  for (let i = 0; i < shown; i++) s += view.u8(i).toString(16).padStart(2, '0');
  return n > shown ? s + '…' : s;
}

