import { compileFilter, FilterError, type CompiledFilter } from '../core/filter/index';
import { registerProtocols } from '../core/protocols/index';
import type { CaptureSession } from '../core/session';
import { CliError, EXIT_USAGE } from './context';

/**
 * `-Y FILTER` for the commands that list frames, and the error text of an invalid filter: tshark's message,
 * the 1-based column, and the filter underlined like tshark does it.
 */

/** "message (column N)" + the filter + a caret line + an optional hint, for stderr after "fathom: ". */
export function describeFilterError(text: string, e: FilterError): string {
  const located = e.end > e.start;
  const column = (located ? e.start : text.length) + 1;
  let s = `${e.message} (column ${column})`;
  if (located && !/[\n\r]/.test(text) && text.length <= 500) {
    const width = Math.max(1, Math.min(e.end, text.length + 1) - e.start);
    s += `\n    ${text}\n    ${' '.repeat(e.start)}^${'~'.repeat(width - 1)}`;
  }
  if (e.hint) s += `\n  hint: ${e.hint}`;
  return s;
}

/** Compiles a filter given on the command line; an invalid one is a usage error (exit 2). */
export function compileCliFilter(text: string): CompiledFilter {
  registerProtocols();
  try {
    return compileFilter(text, { noWarnings: true });
  } catch (e) {
    if (e instanceof FilterError) throw new CliError(describeFilterError(text, e), EXIT_USAGE);
    throw e;
  }
}

/**
 * Calls `each(first, last)` for every run of consecutive frames the filter keeps (all frames without a
 * filter), so a command dissects for its output only the frames it prints.
 */
export async function forEachMatchingRun(
  session: CaptureSession,
  filter: CompiledFilter | null,
  each: (first: number, last: number) => Promise<void>,
): Promise<void> {
  const total = session.frameCount;
  if (total === 0) return;
  if (!filter || filter.matchesAll) {
    await each(1, total);
    return;
  }
  const bits = await session.filter(filter, 1, total);
  let run = -1;
  for (let n = 1; n <= total + 1; n++) {
    const k = n - 1;
    const on = n <= total && ((bits[k >> 3] >> (k & 7)) & 1) === 1;
    if (on && run < 0) run = n;
    if (!on && run >= 0) {
      await each(run, n - 1);
      run = -1;
    }
  }
}
