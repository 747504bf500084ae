import { describe, expect, it } from 'vitest';
import { compileRegex } from '../../../src/core/filter/regex';
import { errorOf, matchesTree, T } from './helpers';

/**
 * `matches`: PCRE2 syntax translated to JS, case-insensitive by default, refusals for what JS cannot do or
 * what backtracks catastrophically, and the linear-time matcher used on long values (checked against JS).
 */

const span = { start: 0, end: 0 };
const m = (pattern: string, subject: string) => compileRegex(pattern, span).testText(subject);

describe('regex', () => {
  it('is case-insensitive unless told otherwise', () => {
    expect(m('get', 'GET /')).toBe(true);
    expect(m('(?-i)get', 'GET /')).toBe(false);
    expect(m('(?i)GET', 'get')).toBe(true);
  });

  it('translates PCRE-only syntax', () => {
    expect(m('\\Aab', 'abc')).toBe(true);
    expect(m('\\Abc', 'abc')).toBe(false);
    expect(m('bc\\z', 'abc')).toBe(true);
    expect(m('bc\\Z', 'abc\n')).toBe(true);
    expect(m('bc$', 'abc\n')).toBe(true);
    expect(m('a.c', 'a\rc')).toBe(true);
    expect(m('a.c', 'a\nc')).toBe(false);
    expect(m('(?s)a.c', 'a\nc')).toBe(true);
    expect(m('[[:digit:]]{3}', 'x123')).toBe(true);
    expect(m('[[:alpha:][:digit:]]+$', 'ab12')).toBe(true);
    expect(m('\\x{41}', 'A')).toBe(true);
    expect(m('\\Qa.b\\E', 'a.b')).toBe(true);
    expect(m('\\Qa.b\\E', 'axb')).toBe(false);
    expect(m('(?P<w>ab)(?P=w)', 'abab')).toBe(true);
    expect(m('a(?#comment)b', 'ab')).toBe(true);
    expect(m('\\h\\d', 'x 1')).toBe(true);
    expect(m('a\\Rb', 'a\r\nb')).toBe(true);
    expect(m('\\e', '\x1b')).toBe(true);
    expect(m('(?x) a b  # spaced', 'ab')).toBe(true);
  });

  it('matches bytes as PCRE2 does without UTF', () => {
    const r = compileRegex('café', span);
    expect(r.testBytes('caf\xc3\xa9')).toBe(true);
    expect(r.testBytes('caf\xe9')).toBe(false);
    expect(compileRegex('[é]', span).testBytes('\xa9')).toBe(true);
    expect(compileRegex('\\x00\\xff', span).testBytes('\x00\xff')).toBe(true);
  });

  it('refuses what JavaScript cannot do, with an explanation', () => {
    for (const p of ['a++', 'a*+', '(?>a)', '(?R)', '(?(1)a|b)', 'a\\Kb', '\\p{L}', '(*FAIL)', 'a(?i)b', '(?i:a)']) {
      expect(errorOf(`fltest.str matches "${p.replace(/\\/g, '\\\\')}"`)?.message, p).toMatch(/^Regex compilation error: .*not supported/);
    }
    expect(errorOf('fltest.str matches "("')?.message).toBe('Regex compilation error: missing closing parenthesis.');
    expect(errorOf('fltest.str matches "[a"')?.message).toBe('Regex compilation error: missing terminating ] for character class.');
    expect(errorOf('fltest.str matches "(?a)b"')?.message).toMatch(/unsupported inline option/);
  });

  it('refuses catastrophic backtracking', () => {
    for (const p of ['(a+)+', '(a*)*', '(a|a)*', '(a|ab)*c', '(.*)*', '(a?){30}', '.*a.*b.*c', '(\\w+\\s?)*x']) {
      expect(() => compileRegex(p, span), p).toThrow(/Regex refused/);
    }
  });

  it('gives the same answers with the linear-time matcher as with JS RegExp', () => {
    const patterns = ['abc', '^abc', 'abc$', 'a.c', 'a[bc]+d', '(ab|cd)+e', 'x*y', '\\bword\\b', '\\d{2,4}-\\d+', '(?-i)AbC', 'a(?=b)', 'a(?!b)', '(?<=x)y', '^$', 'é', '[^a-z]', 'a{3}', 'a{2,}b', '\\s+\\S', '(a|b)?c', 'foo|bar|baz', '\\Aab', 'ab\\z', 'ab\\Z'];
    const subjects = ['abc', 'xabcx', 'aXcd', 'abbbcd', 'ababcde', 'xxy', 'a word here', '12-345', 'ABC', 'AbC', 'ab', 'ac', 'xy', '', 'café', 'ABC1', 'aaa', 'aab', ' \tz', 'bc', 'bar', 'ab\n'];
    const pad = 'q'.repeat(5000);
    for (const p of patterns) {
      const r = compileRegex(p, span);
      expect(r.engines.linearText, p).not.toBeNull();
      for (const s of subjects) {
        for (const v of [s, pad + s, s + pad]) {
          expect(r.engines.linearText!.test(v), `${p} on ${JSON.stringify(v.slice(-20))}`).toBe(r.engines.text.test(v));
        }
      }
    }
  });

  it('runs long values in linear time', () => {
    const big = 'a'.repeat(200_000);
    const t0 = performance.now();
    expect(m('a.*b', big)).toBe(false);
    expect(m('(a|b)*c', big)).toBe(false);
    expect(m('(?s).*a.*x', big)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(matchesTree('fltest.str matches "a.*b"', [[T.str, big + 'b']])).toBe(true);
  });
});
