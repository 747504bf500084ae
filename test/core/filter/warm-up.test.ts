import { describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from '../../../src/core/filter/index';
import { WARM_UP_FILTERS, WARM_UP_INVALID_FILTERS } from '../../../src/core/filter/warm-up';
import { registerProtocols } from '../../../src/core/protocols/index';

registerProtocols();

/**
 * The engine's warm-up compiles these filters to have V8 compile the compiler before a user's first filter.
 * A filter that stopped compiling (or started to) would warm the wrong paths without anyone noticing.
 */
describe('filter compiler warm-up', () => {
  it.each(WARM_UP_FILTERS)('compiles %s', (text) => {
    expect(() => compileFilter(text)).not.toThrow();
  });

  it.each(WARM_UP_INVALID_FILTERS)('refuses %s with a positioned FilterError', (text) => {
    let error: unknown;
    try {
      compileFilter(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FilterError);
    const { start, end } = error as FilterError;
    expect(0 <= start && start <= end && end <= text.length).toBe(true);
  });

  it('reaches the optional stages: warnings, hints, references, regexes', () => {
    expect(compileFilter('tcp.flags.syn').warnings.length).toBeGreaterThan(0);
    expect(compileFilter('${ip.src} == ip.dst and tcp.port == ${tcp.srcport}').references.map((f) => f.id)).toEqual(['ip.src', 'tcp.srcport']);
    const hinted = WARM_UP_INVALID_FILTERS.map((t) => {
      try {
        compileFilter(t);
      } catch (e) {
        return (e as FilterError).hint;
      }
      return undefined;
    });
    expect(hinted.filter(Boolean).length).toBeGreaterThanOrEqual(3);
  });
});
