import { parseArgs, single } from '../args';
import { openSession, reportWarnings } from '../context';
import { compileCliFilter } from '../filter-option';
import { endpointCells, endpointHeader, endpointJson } from '../../core/analysis/endpoints';
import { typeOption } from './conv';
import type { Output } from '../output';

/**
 * `fathom endpoints FILE --type eth|ip|ipv6|tcp|udp [-Y FILTER] [--json]`: the endpoints, like Wireshark's
 * Endpoints window (and `tshark -q -z endpoints,TYPE[,FILTER]`): a header line, then one tab-separated row per
 * address (and port), most packets first (as tshark orders them).
 */
export async function endpoints(argv: string[], out: Output): Promise<number> {
  const args = parseArgs(argv, ['-Y', '--type'], ['--json']);
  const type = typeOption(single(args, '--type'), 'endpoints');
  const filterText = single(args, '-Y');
  const filter = filterText === undefined ? null : compileCliFilter(filterText);
  // The first pass gathers the one table shown; with a filter, the table is gathered from the frames it keeps.
  const session = await openSession(args.positionals[0], { conversations: filter ? false : [type] });
  reportWarnings(session);
  const rows = await session.endpoints(type, filter);
  // tshark's order: most packets first, ties in the order they were first seen (the sort is stable).
  rows.sort((x, y) => y.packets - x.packets);
  if (args.flags.has('--json')) {
    out.line('[');
    rows.forEach((r, i) => out.line((i ? ',' : '') + JSON.stringify(endpointJson(type, r))));
    out.line(']');
  } else {
    out.line(endpointHeader(type).join('\t'));
    for (const r of rows) out.line(endpointCells(type, r).join('\t'));
  }
  return 0;
}
