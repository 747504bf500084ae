import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src/core/filter/index';
import { errorOf, ether, ipv4, matchingFrames, matchesTree, T } from './helpers';

/**
 * Hostile filters: huge, deeply nested, NUL bytes, unpaired surrogates, regexes that backtrack. Each gives
 * a clear error or a result — never a hang, a stack overflow or an exception other than FilterError.
 */

const f = ether(ipv4({ ttl: 7 }));

describe('bad input', () => {
  it('compiles a 100 KB filter', () => {
    const parts: string[] = [];
    for (let i = 0; parts.join(' or ').length < 100_000; i++) parts.push(`ip.ttl == ${i % 256}`);
    const text = parts.join(' or ');
    expect(text.length).toBeGreaterThanOrEqual(100_000);
    expect(matchingFrames(text, [f])).toEqual([1]);
    const ands = Array.from({ length: 5000 }, () => 'ip').join(' && ');
    expect(matchingFrames(ands, [f])).toEqual([1]);
    const set = `ip.ttl in {${Array.from({ length: 20000 }, (_, i) => i % 250).join(', ')}}`;
    expect(matchingFrames(set, [f])).toEqual([1]);
    const str = `frame contains "${'a'.repeat(100_000)}"`;
    expect(matchingFrames(str, [f])).toEqual([]);
  });

  it('refuses nesting 10,000 deep with a clear error', () => {
    for (const [open, close] of [
      ['(', ')'],
      ['{', '}'],
      ['len(', ')'],
    ]) {
      const text = open.repeat(10_000) + (open === '(' ? 'ip' : 'ip.ttl') + close.repeat(10_000) + (open === '(' ? '' : ' == 1');
      const e = errorOf(text);
      expect(e?.message, open).toMatch(/nested too deeply/);
      expect(e!.start).toBe(open.length * 256 + (open === "len(" ? 3 : 0));
    }
    expect(errorOf('frame' + '[0:1]'.repeat(10_000) + ' == 00')?.message).toMatch(/Too many slices/);
    expect(errorOf(`ip.ttl in {${'{'.repeat(300)}`)?.message).toMatch(/nested too deeply|unexpected/);
  });

  it('folds long runs of not and unary minus without recursion', () => {
    expect(matchingFrames('!'.repeat(10_000) + 'ip', [f])).toEqual([1]);
    expect(matchingFrames('not '.repeat(10_001) + 'ip', [f])).toEqual([]);
    expect(matchingFrames('ip.ttl == ' + '-'.repeat(10_000) + '7', [f])).toEqual([1]);
    expect(errorOf('frame.len' + ' + 1'.repeat(2000) + ' == 1')?.message).toMatch(/too long/);
    expect(errorOf('frame.len' + ' + 1'.repeat(900) + ' == 1')).toBeNull();
  });

  it('refuses NUL bytes and stray surrogates outside strings, keeps them inside', () => {
    expect(errorOf('ip.ttl == 7\0')).toMatchObject({ message: '"\\x00" was unexpected in this context.', start: 11, end: 12 });
    expect(errorOf('ip\0')).toMatchObject({ start: 2 });
    expect(errorOf('ip.ttl == \uD800')).toMatchObject({ message: '"\\uD800" was unexpected in this context.', start: 10 });
    expect(errorOf('\uDC00')).toMatchObject({ start: 0, end: 1 });
    expect(errorOf('ip.ttl == 7 😀')).toMatchObject({ message: '"😀" was unexpected in this context.', start: 12, end: 14 });
    expect(matchesTree('fltest.str == "a\0b"', [[T.str, 'a\0b']])).toBe(true);
    expect(matchesTree('fltest.str == "\uD800"', [[T.str, '\uFFFD']])).toBe(true);
    expect(matchesTree('fltest.str contains "😀"', [[T.str, 'x😀y']])).toBe(true);
  });

  it('refuses regexes that backtrack catastrophically', () => {
    for (const re of ['(a+)+$', '(a*)*b', '(\\\\w+\\\\s?)*$', '(a|aa)+b', '(x|x)*y', '(.*a){20}', '.*a.*b.*c', '(?:a+){2,}']) {
      const e = errorOf(`fltest.str matches "${re}"`);
      expect(e?.message, re).toMatch(/^Regex refused/);
    }
    // Legitimate patterns that look alike are fine.
    for (const re of ['^(GET|POST) ', '(ab)+', '\\\\d+\\\\.\\\\d+\\\\.\\\\d+', 'a.*b', '(a|b)*c', '[a-z]+@[a-z]+']) {
      expect(errorOf(`fltest.str matches "${re}"`), re).toBeNull();
    }
  });

  it('runs accepted regexes over large values in bounded time', () => {
    const big = 'a'.repeat(65_536);
    const t0 = performance.now();
    expect(matchesTree('fltest.str matches "a.*b"', [[T.str, big]])).toBe(false);
    expect(matchesTree('fltest.str matches "(a|b)*c"', [[T.str, big]])).toBe(false);
    expect(matchesTree('fltest.str matches "^a+$"', [[T.str, big]])).toBe(true);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('never throws anything but FilterError on random input', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = ['ip', '.', 'ttl', ' ', '==', '(', ')', '{', '}', '[', ']', ':', '-', '1', '"', '\\', "'", '#', '$', '@', 'and', '!', '~', 'matches', 'in', '..', ',', 'len', '0x', 'frame', '*', '/', '\0', '\uD800', 'é'];
    for (let n = 0; n < 3000; n++) {
      let s = '';
      const len = 1 + Math.floor(rnd() * 20);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      try {
        compileFilter(s);
      } catch (e) {
        expect((e as Error).name, s).toBe('FilterError');
      }
    }
  });
});
