import { describe, expect, it } from 'vitest';
import { errorOf, ether, ipv4, matchingFrames, matchesTree, T } from './helpers';

/** Integers: bases, bounds, value strings, signed and 64-bit values, arithmetic (test_integer, test_uint64). */

const frames = [ether(ipv4({ ttl: 64, id: 0x0102 })), ether(ipv4({ ttl: 255, id: 0xffff })), ether(ipv4({ ttl: 1, id: 0 }))];

describe('integer', () => {
  it('reads decimal, hex, octal, binary and character literals', () => {
    for (const f of ['ip.ttl == 64', 'ip.ttl == 0x40', 'ip.ttl == 0X40', 'ip.ttl == 0100', 'ip.ttl == 0b1000000', "ip.ttl == '@'", "ip.ttl == '\\x40'", "ip.ttl == '\\100'"]) {
      expect(matchingFrames(f, frames), f).toEqual([1]);
    }
  });

  it('orders', () => {
    expect(matchingFrames('ip.ttl > 64', frames)).toEqual([2]);
    expect(matchingFrames('ip.ttl >= 64', frames)).toEqual([1, 2]);
    expect(matchingFrames('ip.ttl < 64', frames)).toEqual([3]);
    expect(matchingFrames('ip.ttl <= 64', frames)).toEqual([1, 3]);
    expect(matchingFrames('ip.id == 0xffff', frames)).toEqual([2]);
    expect(matchingFrames('ip.id > 0x100 and ip.id < 0x200', frames)).toEqual([1]);
  });

  it('names values by their value strings, case-insensitively', () => {
    const tcpish = [ether(ipv4({ proto: 6 })), ether(ipv4({ proto: 17 }))];
    expect(matchingFrames('ip.proto == TCP', tcpish)).toEqual([1]);
    expect(matchingFrames('ip.proto == "udp"', tcpish)).toEqual([2]);
    expect(matchingFrames('ip.proto in {Tcp, UDP}', tcpish)).toEqual([1, 2]);
    // A word that is a field is the field, not a value name (tshark: not of compatible types).
    expect(errorOf('ip.proto == ip')).toMatchObject({ message: 'ip.proto and ip are not of compatible types.' });
    expect(matchesTree('fltest.u8 == "Echo (ping) request"', [[T.u8, 8]])).toBe(true);
    expect(matchesTree('fltest.u8 == Two', [[T.u8, 2]])).toBe(true);
    expect(errorOf('fltest.u8 == Three')).toMatchObject({ message: '"Three" cannot be found among the possible values for fltest.u8.' });
    expect(errorOf('ip.proto == 1.5')).toMatchObject({ message: '"1.5" cannot be found among the possible values for ip.proto.' });
  });

  it('checks the range of the field', () => {
    expect(errorOf('ip.ttl == 256')).toMatchObject({ message: '"256" too big for this field, maximum 255.' });
    expect(errorOf('fltest.i32 == 2147483648')).toMatchObject({ message: '"2147483648" too big for this field, maximum 2147483647.' });
    expect(errorOf('fltest.u64 == 18446744073709551615')).toBeNull();
    expect(errorOf('fltest.u64 == 18446744073709551616')).toMatchObject({ message: '"18446744073709551616" too big for this field, maximum 18446744073709551615.' });
  });

  it('compares signed values and negative literals', () => {
    expect(matchesTree('fltest.i32 == -5', [[T.i32, -5]])).toBe(true);
    expect(matchesTree('fltest.i32 < -4', [[T.i32, -5]])).toBe(true);
    expect(matchesTree('fltest.i32 > -4', [[T.i32, -5]])).toBe(false);
    // A negative constant never matches an unsigned field (tshark finds nothing either way).
    expect(matchingFrames('ip.ttl > -1', frames)).toEqual([]);
    expect(matchingFrames('ip.ttl < -1', frames)).toEqual([]);
    expect(matchingFrames('-ip.ttl == -1', frames)).toEqual([3]);
    expect(matchingFrames('-ip.ttl < 0', frames)).toEqual([1, 2, 3]);
  });

  it('handles 64-bit values exactly', () => {
    const big = 0xfedcba9876543210n;
    expect(matchesTree('fltest.u64 == 0xfedcba9876543210', [[T.u64, big]])).toBe(true);
    expect(matchesTree('fltest.u64 == 0xfedcba9876543211', [[T.u64, big]])).toBe(false);
    expect(matchesTree('fltest.u64 > 18364758544493064719', [[T.u64, big]])).toBe(true);
    expect(matchesTree('fltest.u64 + 1 == 0xfedcba9876543211', [[T.u64, big]])).toBe(true);
    expect(matchesTree('fltest.i64 == -9223372036854775807', [[T.i64, -(2n ** 63n) + 1n]])).toBe(true);
    expect(matchesTree('fltest.i64 < -1', [[T.i64, -(2n ** 63n)]])).toBe(true);
    // A 32-bit field compared with a 64-bit one is widened.
    expect(matchesTree('fltest.u64 == fltest.u32', [[T.u64, 7n], [T.u32, 7]])).toBe(true);
    expect(matchesTree('fltest.u32 < fltest.u64', [[T.u64, 8n], [T.u32, 7]])).toBe(true);
  });

  it('does arithmetic on every value, pairwise for two fields', () => {
    expect(matchingFrames('ip.ttl + 1 == 65', frames)).toEqual([1]);
    expect(matchingFrames('ip.ttl - 2 < 0', frames)).toEqual([3]);
    expect(matchingFrames('ip.ttl * 2 == 128', frames)).toEqual([1]);
    expect(matchingFrames('ip.ttl / 2 == 32', frames)).toEqual([1]);
    expect(matchingFrames('ip.ttl % 2 == 1', frames)).toEqual([2, 3]);
    expect(matchingFrames('ip.ttl / 0 == 1', frames)).toEqual([]);
    expect(matchingFrames('ip.ttl & 0x80', frames)).toEqual([2]);
    expect(matchingFrames('ip.ttl & 0x40 == 0x40', frames)).toEqual([1, 2]);
    expect(matchingFrames('{ip.ttl + 1} * 2 == 130', frames)).toEqual([1]);
    expect(matchingFrames('ip.ttl + 1 * 2 == 66', frames)).toEqual([1]);
    expect(matchingFrames('ip.ttl == 60 + 4', frames)).toEqual([1]);
    expect(matchingFrames('ip.ttl == 2 * 32', frames)).toEqual([1]);
    expect(matchingFrames('ip.ttl + ip.ttl == 128', frames)).toEqual([1]);
    expect(matchesTree('fltest.u32 + fltest.u32 == 3', [[T.u32, 1], [T.u32, 2]])).toBe(true);
    expect(matchesTree('fltest.u32 & 0xff00ff00 == 0xff003400', [[T.u32, 0xff123456]])).toBe(true);
    expect(matchesTree('fltest.u64 & 0xff00 == 0x1200', [[T.u64, 0x1234n]])).toBe(true);
  });

  it('treats booleans as 0 and 1', () => {
    expect(matchesTree('fltest.bool == 1', [[T.bool, true]])).toBe(true);
    expect(matchesTree('fltest.bool == 2', [[T.bool, true]])).toBe(true);
    expect(matchesTree('fltest.bool == 0', [[T.bool, true]])).toBe(false);
    expect(matchesTree('fltest.bool == True', [[T.bool, true]])).toBe(true);
    expect(matchesTree('fltest.bool == "not set"', [[T.bool, false]])).toBe(true);
    expect(matchesTree('fltest.bool', [[T.bool, false]])).toBe(true);
    expect(matchesTree('fltest.bool > 0', [[T.bool, true]])).toBe(true);
  });

  it('compares floating point values', () => {
    expect(matchesTree('fltest.double == 1.5', [[T.dbl, 1.5]])).toBe(true);
    expect(matchesTree('fltest.double > 1e2', [[T.dbl, 150]])).toBe(true);
    expect(matchesTree('fltest.double < -0.5', [[T.dbl, -1]])).toBe(true);
    expect(matchesTree('fltest.double / 4 == 0.375', [[T.dbl, 1.5]])).toBe(true);
  });
});

describe('integer values as dissectors store them', () => {
  it('reads a boolean stored as its masked bits as 1', () => {
    expect(matchesTree('fltest.bool == 1', [[T.bool, 0x40]])).toBe(true);
    expect(matchesTree('fltest.bool == 0', [[T.bool, 0]])).toBe(true);
  });
});
