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
 * The frames a `-Y` filter keeps, as a bitset over the capture (bit k = frame k + 1), or null without a filter
 * (every frame): the command then dissects for its output, in one walk, only the frames marked.
 */
export async function matchingFrames(session: CaptureSession, filter: CompiledFilter | null): Promise<Uint8Array | null> {
  if (!filter || filter.matchesAll || session.frameCount === 0) return null;
  return session.filter(filter, 1, session.frameCount);
}
