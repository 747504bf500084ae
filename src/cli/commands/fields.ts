import { parseArgs, single, UsageError } from '../args';
import { CliError, EXIT_USAGE, openSession, reportWarnings } from '../context';
import { compileCliFilter, matchingFrames } from '../filter-option';
import { UnknownFieldError } from '../../core/session';
import { fieldById } from '../../core/dissect/field-registry';
import { registerProtocols } from '../../core/protocols/index';
import type { Output } from '../output';

/** `fathom fields FILE -e FIELD …`: like `tshark -T fields -E header=y -E separator=/t -E occurrence=f`. */
export async function fields(argv: string[], out: Output): Promise<number> {
  const args = parseArgs(argv, ['-e', '-Y'], []);
  const filterText = single(args, '-Y');
  const ids = args.options.get('-e') ?? [];
  if (ids.length === 0) throw new UsageError('fields needs at least one -e FIELD');
  registerProtocols();
  const bad = ids.filter((id) => !id.startsWith('_ws.col.') && !fieldById(id));
  if (bad.length) throw new CliError(`Some fields aren't valid: ${bad.join(' ')}`, EXIT_USAGE);
  const filter = filterText === undefined ? null : compileCliFilter(filterText);
  const session = await openSession(args.positionals[0], { conversations: false });
  reportWarnings(session);
  out.line(ids.join('\t'));
  try {
    const selected = await matchingFrames(session, filter);
    await session.fields(ids, 1, session.frameCount, (_n, values) => out.line(values.join('\t')), selected);
  } catch (e) {
    if (e instanceof UnknownFieldError) throw new CliError(e.message, EXIT_USAGE);
    throw e;
  }
  return 0;
}
