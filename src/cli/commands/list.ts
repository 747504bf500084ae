import { parseArgs, single } from '../args';
import { openSession, reportWarnings } from '../context';
import { compileCliFilter, matchingFrames } from '../filter-option';
import type { Output } from '../output';

/** `fathom list FILE [-Y FILTER] [--json]`: one summary line per frame. */
export async function list(argv: string[], out: Output): Promise<number> {
  const args = parseArgs(argv, ['-Y'], ['--json']);
  const filterText = single(args, '-Y');
  const filter = filterText === undefined ? null : compileCliFilter(filterText);
  const session = await openSession(args.positionals[0], { conversations: false });
  reportWarnings(session);
  const json = args.flags.has('--json');
  const selected = await matchingFrames(session, filter);
  if (!json) {
    await session.listLines(1, session.frameCount, out, selected);
    return 0;
  }
  out.line('[');
  let first = true;
  await session.list(
    1,
    session.frameCount,
    (r) => {
      out.line((first ? '' : ',') + JSON.stringify(r));
      first = false;
    },
    selected,
  );
  out.line(']');
  return 0;
}
