import { fieldCount, type FieldInfo } from '../dissect/field-registry';
import type { ProtoTree } from '../dissect/proto-tree';
import { fieldReader, generate, type Program } from './codegen';
import { FilterError, type FilterWarning } from './errors';
import type { EvalContext, HeaderFields } from './registers';
import { errorHint, mistakeWarnings } from './hints';
import { parse } from './parser';
import { semcheck } from './semcheck';

/**
 * Display filters: Wireshark's language with tshark 4.0's semantics, compiled once (scan → parse → semcheck
 * → codegen), then run over frames. A compiled filter says which fields dissection must record (`wanted`)
 * and tests a frame's proto tree; `CaptureSession.filter` runs it over a frame range into a bitset.
 *
 * Messages and error spans are tshark 4.0's (e.g. `ip.sorce is neither a field nor a protocol name.`;
 * Wireshark 4.2 words that one `"ip.sorce" is not a valid protocol or protocol field.`, which 4.0 uses for
 * `.field` names). Beyond tshark 4.0 Fathom accepts, as later Wireshark versions or as its own extensions:
 * `xor`/`^^`, `@field` raw bytes, and ip_rfc1918(), ip_linklocal(), ip_multicast(), ip_ula(). It also adds
 * hints and warnings for common mistakes (hints.ts). Deliberate differences:
 * - `matches` runs JavaScript regular expressions (see regex.ts for the PCRE2 differences and the patterns
 *   refused because they could backtrack catastrophically);
 * - a protocol searched with contains/matches extends to the end of the data its dissector was given
 *   (ProtoTree.viewEnd), which for IPv4 includes Ethernet padding where Wireshark trims it to the IP length;
 * - nesting is limited to 256 levels with a clear message, arithmetic chains to 1000 operators (tshark
 *   4.0's parser stack gives out near 98 levels of parentheses, reporting `")" was unexpected`);
 * - hostnames are not resolved in address literals (tshark resolves them only with name resolution on).
 */

export { FilterError } from './errors';
export type { FilterWarning, Span } from './errors';
export { fieldCompletions, protocolNames, completeWord, filterFunctionNames, FILTER_OPERATORS } from './completion';

/** Filters longer than this are refused outright (tshark has no limit; a browser tab deserves one). */
export const MAX_FILTER_LENGTH = 1 << 20;

export class CompiledFilter {
  /** Field indices the filter reads; dissection needs to record only these. */
  readonly interestingFields: readonly number[];
  /** `interestingFields` as a mask by field index, ready for `ProtoTree.reset(false, wanted)`. */
  readonly wanted: Uint8Array;
  /** Fields read from the selected frame through `${field}`. */
  readonly references: readonly FieldInfo[];
  /** True for the empty filter (every frame matches). */
  readonly matchesAll: boolean;

  constructor(
    readonly text: string,
    fields: Set<number>,
    references: FieldInfo[],
    readonly warnings: readonly FilterWarning[],
    private readonly program: Program,
  ) {
    this.interestingFields = [...fields].sort((a, b) => a - b);
    this.wanted = new Uint8Array(Math.max(fieldCount(), ...this.interestingFields.map((i) => i + 1)));
    for (const i of this.interestingFields) this.wanted[i] = 1;
    this.references = references;
    this.matchesAll = text.trim() === '';
  }

  /**
   * Tests one frame. `tree` must have been built in fields mode with (at least) `wanted`; `sources` are the
   * frame's data sources (index 0: the frame's bytes), needed for protocol bytes, slices and `@field`.
   */
  matches(tree: ProtoTree, sources: readonly Uint8Array[]): boolean {
    this.ctx.tree = tree;
    this.ctx.sources = sources;
    this.ctx.header = null;
    return this.program.test(this.ctx);
  }

  /**
   * Tests one frame whose fields are read straight from its bytes (`HeaderFields`): valid when every field
   * the filter reads (`wanted`) is one the source offers.
   */
  matchesHeader(fields: HeaderFields): boolean {
    this.ctx.header = fields;
    return this.program.test(this.ctx);
  }

  /** Fields to record when dissecting the frame that `${…}` references read from. */
  referenceMask(): Uint8Array {
    const m = new Uint8Array(fieldCount());
    for (const f of this.references) m[f.index] = 1;
    return m;
  }

  /**
   * Sets the values of `${field}` references from the selected frame's tree (dissected with at least
   * `referenceMask()`), or clears them (null): a reference without a value matches nothing.
   */
  setReferenceFrame(tree: ProtoTree | null, sources: readonly Uint8Array[] = []): void {
    const regs = this.program.refRegs;
    for (let slot = 0; slot < this.references.length; slot++) {
      const reg = regs[slot];
      reg.clear();
      if (!tree) continue;
      const reader = fieldReader(this.references[slot], reg.kind);
      reader.fill({ tree, sources });
      // Copy the bytes: the selected frame's buffers may be reused.
      reg.copyFrom(reader.reg, true);
    }
  }

  private readonly ctx: EvalContext = { tree: null as unknown as ProtoTree, sources: [], header: null };
}

export interface CompileOptions {
  /** Skip the mistake warnings (e.g. when compiling many filters in a loop). */
  noWarnings?: boolean;
}

/** Compiles a display filter; throws FilterError (with `start`, `end`, Wireshark's message and maybe a `hint`). */
export function compileFilter(text: string, options: CompileOptions = {}): CompiledFilter {
  if (text.length > MAX_FILTER_LENGTH) throw new FilterError(`The filter is too long (${text.length} characters; the limit is ${MAX_FILTER_LENGTH}).`, 0, text.length);
  try {
    const ast = parse(text);
    const checked = semcheck(ast);
    const program = generate(checked.test, checked.refs.length);
    const warnings = options.noWarnings ? checked.warnings : [...checked.warnings, ...mistakeWarnings(ast)];
    return new CompiledFilter(text, checked.fields, checked.refs, warnings, program);
  } catch (e) {
    if (e instanceof FilterError) {
      e.hint ??= errorHint(text, e);
      throw e;
    }
    if (e instanceof RangeError) {
      // A stack overflow we did not foresee: still a clear error, never a crash.
      throw new FilterError('The filter is too complex to compile.', 0, text.length);
    }
    throw e;
  }
}

/** Checks a filter: null if valid, else the error. */
export function checkFilter(text: string): FilterError | null {
  try {
    compileFilter(text);
    return null;
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
}
