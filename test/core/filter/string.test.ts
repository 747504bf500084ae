import { describe, expect, it } from 'vitest';
import { errorOf, matchesTree, T } from './helpers';

/** Strings: equality, order, contains, matches, escapes, raw strings, case functions (test_string). */

const s = (v: string) => [[T.str, v]] as [typeof T.str, string][];

describe('string', () => {
  it('compares exactly and in order', () => {
    expect(matchesTree('fltest.str == "GET"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str == "get"', s('GET'))).toBe(false);
    expect(matchesTree('fltest.str == GET', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str != "POST"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str > "GAS"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str < "GAS"', s('GET'))).toBe(false);
    expect(matchesTree('fltest.str == 1.2.3.4', s('1.2.3.4'))).toBe(true);
    // An unquoted byte-string shape is the text itself for a string field.
    expect(matchesTree('fltest.str == 47:45:54', s('GET'))).toBe(false);
    expect(matchesTree('fltest.str == 47:45:54', s('47:45:54'))).toBe(true);
    expect(matchesTree("fltest.str == 'G'", s('G'))).toBe(true);
  });

  it('decodes escapes and keeps raw strings raw', () => {
    expect(matchesTree('fltest.str == "a\\tb"', s('a\tb'))).toBe(true);
    expect(matchesTree('fltest.str == "\\x47ET"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str == "\\107ET"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str == "caf\\u00e9"', s('café'))).toBe(true);
    expect(matchesTree('fltest.str == "café"', s('café'))).toBe(true);
    expect(matchesTree('fltest.str == "\\"q\\""', s('"q"'))).toBe(true);
    expect(matchesTree('fltest.str == r"a\\b"', s('a\\b'))).toBe(true);
    expect(matchesTree('fltest.str == R"a\\"b"', s('a\\"b'))).toBe(true);
    expect(matchesTree('fltest.str == "G\\0ET"', s('G\0ET'))).toBe(true);
  });

  it('searches with contains', () => {
    expect(matchesTree('fltest.str contains "ET"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str contains "et"', s('GET'))).toBe(false);
    expect(matchesTree('fltest.str contains 47', s('x47y'))).toBe(true);
    expect(matchesTree("fltest.str contains 'G'", s('GET'))).toBe(true);
    expect(matchesTree('fltest.str contains ""', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str contains fltest.str2', [[T.str, 'Hello world'], [T.str2, 'world']])).toBe(true);
  });

  it('matches regular expressions case-insensitively', () => {
    expect(matchesTree('fltest.str matches "^get$"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str ~ "^g"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str matches "(?-i)^g"', s('GET'))).toBe(false);
    expect(matchesTree('fltest.str matches "^\\\\w+$"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str matches r"^\\w+$"', s('GET'))).toBe(true);
    expect(matchesTree('fltest.str matches "caf\\u00e9"', s('CAFÉ'))).toBe(true);
  });

  it('applies lower(), upper() and len()', () => {
    expect(matchesTree('lower(fltest.str) == "get"', s('GET'))).toBe(true);
    expect(matchesTree('upper(fltest.str) == "GET"', s('get'))).toBe(true);
    expect(matchesTree('len(fltest.str) == 3', s('GET'))).toBe(true);
    expect(matchesTree('len(fltest.str) == 5', s('café'))).toBe(true);
  });

  it('compares two string fields, any value of each', () => {
    expect(matchesTree('fltest.str == fltest.str2', [[T.str, 'a'], [T.str, 'b'], [T.str2, 'b']])).toBe(true);
    expect(matchesTree('fltest.str != fltest.str2', [[T.str, 'a'], [T.str, 'b'], [T.str2, 'b']])).toBe(false);
    expect(matchesTree('fltest.str ~= fltest.str2', [[T.str, 'a'], [T.str, 'b'], [T.str2, 'b']])).toBe(true);
  });

  it('refuses what a string cannot be compared with', () => {
    expect(errorOf('fltest.str == fltest.bytes')).toMatchObject({ message: 'fltest.str and fltest.bytes are not of compatible types.' });
    expect(errorOf('fltest.str == fltest.u8')).toMatchObject({ message: 'fltest.str and fltest.u8 are not of compatible types.' });
  });
});
