import { describe, expect, it } from 'vitest';
import { errorOf, matchesTree, T } from './helpers';

/** Membership (test_membership): any/all over occurrences, `not in`, and what may stand on the left. */

const two = [
  [T.u16, 80],
  [T.u16, 1234],
] as [typeof T.u16, number][];

describe('membership', () => {
  it('needs one occurrence in the set', () => {
    expect(matchesTree('fltest.u16 in {80, 443}', two)).toBe(true);
    expect(matchesTree('fltest.u16 in {443}', two)).toBe(false);
    expect(matchesTree('fltest.u16 in {1000..2000}', two)).toBe(true);
  });

  it('needs every occurrence with all', () => {
    expect(matchesTree('all fltest.u16 in {80, 443}', two)).toBe(false);
    expect(matchesTree('all fltest.u16 in {80, 1234}', two)).toBe(true);
    expect(matchesTree('any fltest.u16 in {80}', two)).toBe(true);
  });

  it('negates with not in (frames without the field pass)', () => {
    expect(matchesTree('fltest.u16 not in {80}', two)).toBe(false);
    expect(matchesTree('fltest.u16 not in {81}', two)).toBe(true);
    expect(matchesTree('fltest.u16 not in {81}', [])).toBe(true);
    expect(matchesTree('!fltest.u16 in {80}', two)).toBe(false);
    expect(matchesTree('fltest.u16 in {80}', [])).toBe(false);
  });

  it('takes fields, slices and references on the left, not functions', () => {
    expect(matchesTree('fltest.bytes[0] in {01, 02}', [[T.bytes, Uint8Array.of(2, 9)]])).toBe(true);
    expect(errorOf('len(fltest.str) in {1..3}')).toMatchObject({ message: 'Only a field may be tested for membership in a set.', start: 0, end: 3 });
    expect(errorOf('count(fltest.str) in {2}')).toMatchObject({ message: 'Only a field may be tested for membership in a set.', start: 0, end: 5 });
  });
});
