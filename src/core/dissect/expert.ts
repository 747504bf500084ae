import { defineFields, type FieldInfo } from './field-registry';
import type { ByteView } from './byte-view';
import type { ProtoTree } from './proto-tree';
import type { PacketInfo } from './packet-info';

/** Expert info: Wireshark's severity and group values (they are also the `_ws.expert.*` field values). */
export const Severity = { comment: 0x00100000, chat: 0x00200000, note: 0x00400000, warn: 0x00600000, error: 0x00800000 } as const;
export type SeverityName = keyof typeof Severity;

export const Group = {
  checksum: 0x01000000,
  sequence: 0x02000000,
  response: 0x03000000,
  request: 0x04000000,
  undecoded: 0x05000000,
  reassemble: 0x06000000,
  malformed: 0x07000000,
  debug: 0x08000000,
  protocol: 0x09000000,
  security: 0x0a000000,
  comment: 0x0b000000,
  decryption: 0x0c000000,
  assumption: 0x0d000000,
  deprecated: 0x0e000000,
} as const;
export type GroupName = keyof typeof Group;

const severityVals: Record<number, string> = {
  [Severity.error]: 'Error',
  [Severity.warn]: 'Warning',
  [Severity.note]: 'Note',
  [Severity.chat]: 'Chat',
  [Severity.comment]: 'Comment',
};
const groupVals: Record<number, string> = Object.fromEntries(
  Object.entries(Group).map(([k, v]) => [v, k === 'reassemble' ? 'Reassemble' : k[0].toUpperCase() + k.slice(1)]),
);

export const expertFields = defineFields('_ws.expert', {
  expert: { id: '_ws.expert', name: 'Expert Info', type: 'protocol' },
  message: { id: '_ws.expert.message', name: 'Message', type: 'string' },
  severity: { id: '_ws.expert.severity', name: 'Severity level', type: 'uint32', base: 'none', vals: severityVals },
  group: { id: '_ws.expert.group', name: 'Group', type: 'uint32', base: 'none', vals: groupVals },
});

export interface ExpertSpec {
  id: string;
  summary: string;
  severity: SeverityName;
  group: GroupName;
}

export interface ExpertInfo extends ExpertSpec {
  field: FieldInfo;
}

/** Registers expert items; each id is also a filterable FT_NONE field, as in Wireshark. */
export function defineExperts<K extends string>(protocol: string, specs: Record<K, ExpertSpec>): Record<K, ExpertInfo> {
  const fieldSpecs = {} as Record<K, { id: string; name: string; type: 'none' }>;
  for (const k of Object.keys(specs) as K[]) fieldSpecs[k] = { id: specs[k].id, name: specs[k].summary, type: 'none' };
  const fields = defineFields(protocol, fieldSpecs);
  const out = {} as Record<K, ExpertInfo>;
  for (const k of Object.keys(specs) as K[]) out[k] = { ...specs[k], field: fields[k] };
  return out;
}

export function severityName(level: number): string {
  return severityVals[level] ?? 'Unknown';
}

/**
 * Adds an expert item under the innermost open item, the way Wireshark shows it:
 * `[Expert Info (Warning/Protocol): message]` with the expert's own field, severity and group below.
 */
export function addExpert(tree: ProtoTree, pinfo: PacketInfo, ex: ExpertInfo, view: ByteView, offset: number, length: number, message?: string): void {
  const sev = Severity[ex.severity];
  const grp = Group[ex.group];
  pinfo.noteExpert(sev);
  // Nothing will be recorded (first pass, list rows): the severity above is the expert's only effect.
  if (!tree.recording) return;
  const text = message ?? ex.summary;
  const label = tree.full ? `Expert Info (${severityVals[sev]}/${groupVals[grp]}): ${text}` : undefined;
  tree.open(expertFields.expert, view, offset, length, null, label, 1);
  tree.addGenerated(ex.field, view, offset, length, null, text);
  tree.add(expertFields.message, view, offset, length, text, undefined, 3);
  tree.addGenerated(expertFields.severity, view, offset, length, sev);
  tree.addGenerated(expertFields.group, view, offset, length, grp);
  tree.close();
}
