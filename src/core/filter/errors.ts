/**
 * Errors and warnings of the display-filter compiler. Every problem carries the character span of the filter
 * text it is about ({start, end}: UTF-16 offsets, end exclusive) so the filter bar can underline it, and the
 * wording tshark 4.0 uses for the same mistake, so users recognise it.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export class FilterError extends Error {
  /** A suggestion for a common mistake (capture-filter syntax, `=` for `==` …), shown under the message. */
  hint?: string;

  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
    this.name = 'FilterError';
  }

  /** Whether the error points at a place in the filter (tshark omits it for "Unexpected end of filter expression."). */
  get located(): boolean {
    return this.end > this.start;
  }
}

/** Throws a FilterError for a span. */
export function fail(message: string, span: Span | null): never {
  throw new FilterError(message, span ? span.start : 0, span ? span.end : 0);
}

/** A deprecation or "did you mean" note that does not stop the filter from compiling. */
export interface FilterWarning {
  message: string;
  start: number;
  end: number;
}
