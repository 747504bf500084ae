import { parseArgs, UsageError } from '../args';
import { CliError, EXIT_USAGE } from '../context';
import { describeFilterError } from '../filter-option';
import { compileFilter, FilterError } from '../../core/filter/index';
import { registerProtocols } from '../../core/protocols/index';
import type { Output } from '../output';

/**
 * `fathom check-filter EXPR`: exit 0 if EXPR is a valid display filter (warnings about likely mistakes go to
 * stderr); otherwise exit 2 with `fathom: <message> (column N)`, the filter underlined, and a hint.
 */
export async function checkFilter(argv: string[], out: Output): Promise<number> {
  const args = parseArgs(argv, [], []);
  if (args.positionals.length !== 1) throw new UsageError('check-filter needs one filter expression (quote it)');
  const text = args.positionals[0];
  registerProtocols();
  try {
    const compiled = compileFilter(text);
    for (const w of compiled.warnings) process.stderr.write(`fathom: warning: ${w.message} (column ${w.start + 1})\n`);
  } catch (e) {
    if (e instanceof FilterError) throw new CliError(describeFilterError(text, e), EXIT_USAGE);
    throw e;
  }
  void out;
  return 0;
}
