import { parseArgs, single, UsageError } from '../args';
import { openSession, reportWarnings } from '../context';
import { compileCliFilter } from '../filter-option';
import { CONVERSATION_TYPES, conversationCells, conversationHeader, conversationJson, conversationType, type ConversationType } from '../../core/analysis/conversations';
import type { Output } from '../output';

/** `--type X`, required: one of the conversation types. */
export function typeOption(value: string | undefined, command: string): ConversationType {
  if (value === undefined) throw new UsageError(`${command} needs --type ${CONVERSATION_TYPES.join('|')}`);
  const t = conversationType(value);
  if (!t) throw new UsageError(`unknown --type "${value}" (one of ${CONVERSATION_TYPES.join(', ')})`);
  return t;
}

/**
 * `fathom conv FILE --type eth|ip|ipv6|tcp|udp [-Y FILTER] [--json]`: the conversations, like Wireshark's
 * Conversations window (and `tshark -q -z conv,TYPE[,FILTER]`): a header line, then one tab-separated row per
 * conversation, most packets first (as tshark orders them).
 */
export async function conv(argv: string[], out: Output): Promise<number> {
  const args = parseArgs(argv, ['-Y', '--type'], ['--json']);
  const type = typeOption(single(args, '--type'), 'conv');
  const filterText = single(args, '-Y');
  const filter = filterText === undefined ? null : compileCliFilter(filterText);
  // The first pass gathers the one table shown; with a filter, the table is gathered from the frames it keeps.
  const session = await openSession(args.positionals[0], { conversations: filter ? false : [type] });
  reportWarnings(session);
  const rows = await session.conversations(type, filter);
  // tshark's order: most packets first, ties in the order they were first seen (the sort is stable).
  rows.sort((x, y) => y.packets - x.packets);
  if (args.flags.has('--json')) {
    out.line('[');
    rows.forEach((r, i) => out.line((i ? ',' : '') + JSON.stringify(conversationJson(type, r))));
    out.line(']');
  } else {
    out.line(conversationHeader(type).join('\t'));
    for (const r of rows) out.line(conversationCells(type, r).join('\t'));
  }
  return 0;
}
