/**
 * The engine's view of the display-filter compiler (src/core/filter/): check, compile, run over a frame
 * range, completion words. Kept in one adapter so the engine API does not depend on the compiler's
 * internal stage layout.
 */
import type { CaptureSession } from './session';
import { compileFilter, FilterError, filterFunctionNames, FILTER_OPERATORS, type CompiledFilter as Compiled } from './filter/index';
import { fieldByIndex } from './dissect/field-registry';

export interface FilterErrorInfo {
  start: number;
  end: number;
  message: string;
  hint?: string;
}

export type FilterCheck =
  | { valid: true; empty: boolean; warnings: string[]; fields: string[] }
  | { valid: false; error: FilterErrorInfo };

export type CompiledFilter = Compiled;

export interface FilterBackend {
  check(text: string): FilterCheck;
  compile(text: string, quiet?: boolean): { ok: true; filter: CompiledFilter } | { ok: false; error: FilterErrorInfo };
  /** Bitset over first..last (bit k = frame first + k); `referenceFrame` feeds `${field}` references. */
  run(session: CaptureSession, filter: CompiledFilter, first: number, last: number, referenceFrame?: number): Promise<Uint8Array>;
  words(): { word: string; description: string }[];
}

export function createFilterBackend(): FilterBackend {
  const compile: FilterBackend['compile'] = (text, quiet = false) => {
    try {
      return { ok: true, filter: compileFilter(text, { noWarnings: quiet }) };
    } catch (e) {
      if (e instanceof FilterError) return { ok: false, error: { start: e.start, end: e.end, message: e.message, hint: e.hint } };
      return { ok: false, error: { start: 0, end: text.length, message: (e as Error).message || String(e) } };
    }
  };
  return {
    compile,
    check(text) {
      const c = compile(text);
      if (!c.ok) return { valid: false, error: c.error };
      return {
        valid: true,
        empty: c.filter.matchesAll,
        warnings: c.filter.warnings.map((w) => w.message),
        fields: c.filter.interestingFields.map((i) => fieldByIndex(i).id),
      };
    },
    async run(session, filter, first, last, referenceFrame) {
      const n = Math.max(0, Math.min(last, session.frameCount) - first + 1);
      if (filter.matchesAll || n === 0) return new Uint8Array((n + 7) >> 3).fill(n ? 0xff : 0);
      return session.filter(filter, first, Math.min(last, session.frameCount), { referenceFrame });
    },
    words() {
      const fns = filterFunctionNames().map((f) => ({ word: f, description: 'function' }));
      const ops = FILTER_OPERATORS.filter((o) => /^[a-z]+$/.test(o.text)).map((o) => ({ word: o.text, description: o.meaning }));
      return [...ops, ...fns];
    },
  };
}
