import { describe, expect, it } from 'vitest';
import { errorOf, ether, ipv4, matchingFrames, matchesTree, T } from './helpers';

/** Set literals (test_set): elements, ranges, fields as elements, every element type. */

const frames = [ether(ipv4({ ttl: 1 })), ether(ipv4({ ttl: 64 })), ether(ipv4({ ttl: 128 })), ether(ipv4({ ttl: 255 }))];

describe('sets', () => {
  it('holds values and ranges, separated by commas', () => {
    expect(matchingFrames('ip.ttl in {1, 255}', frames)).toEqual([1, 4]);
    expect(matchingFrames('ip.ttl in {1..64}', frames)).toEqual([1, 2]);
    expect(matchingFrames('ip.ttl in {2 .. 127, 255}', frames)).toEqual([2, 4]);
    expect(matchingFrames('ip.ttl in {128..64}', frames)).toEqual([]);
    expect(matchingFrames('ip.ttl in {0x40, 0200}', frames)).toEqual([2, 3]);
  });

  it('takes fields and expressions as elements', () => {
    expect(matchingFrames('ip.ttl in {ip.ttl}', frames)).toEqual([1, 2, 3, 4]);
    expect(matchingFrames('ip.ttl in {ip.hdr_len .. 100}', frames)).toEqual([2]);
    expect(matchingFrames('ip.ttl in {32 * 2}', frames)).toEqual([2]);
  });

  it('works for strings, addresses, times', () => {
    expect(matchesTree('fltest.str in {"GET", "POST"}', [[T.str, 'POST']])).toBe(true);
    expect(matchesTree('fltest.str in {"A".."Z"}', [[T.str, 'M']])).toBe(true);
    expect(matchesTree('fltest.str in {GET, HEAD}', [[T.str, 'HEAD']])).toBe(true);
    expect(matchesTree('fltest.ether in {00:11:22:33:44:55}', [[T.eth, Uint8Array.of(0, 0x11, 0x22, 0x33, 0x44, 0x55)]])).toBe(true);
    expect(matchesTree('fltest.rel in {0.5 .. 1.5}', [[T.rel, { secs: 1, nsecs: 0 }]])).toBe(true);
    expect(matchesTree('fltest.rel in {0.5 .. 1.5}', [[T.rel, { secs: 1, nsecs: 500_000_001 }]])).toBe(false);
    expect(matchesTree('fltest.double in {1.25, 2.5}', [[T.dbl, 2.5]])).toBe(true);
  });

  it('refuses malformed sets like tshark', () => {
    expect(errorOf('ip.ttl in {}')).toMatchObject({ message: '"}" was unexpected in this context.' });
    expect(errorOf('ip.ttl in {1 2}')).toMatchObject({ message: '"2" was unexpected in this context.' });
    expect(errorOf('ip.ttl in {"a"}')).toMatchObject({ message: 'Unsigned integer (1 byte) cannot be converted from a string ("a").' });
    expect(errorOf('ip.ttl in {1,}')).toMatchObject({ message: '"}" was unexpected in this context.' });
  });
});
