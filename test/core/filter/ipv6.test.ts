import { describe, expect, it } from 'vitest';
import { errorOf, matchesTree, T, v6 } from './helpers';

/** IPv6 addresses (test_ipv6): text forms, prefixes, order. */

const at = (text: string) => [[T.v6, v6(text)]] as [typeof T.v6, Uint8Array][];

describe('ipv6', () => {
  it('compares every text form of an address', () => {
    expect(matchesTree('fltest.ipv6 == fe80::1', at('fe80::1'))).toBe(true);
    expect(matchesTree('fltest.ipv6 == fe80:0:0:0:0:0:0:1', at('fe80::1'))).toBe(true);
    expect(matchesTree('fltest.ipv6 == FE80::0001', at('fe80::1'))).toBe(true);
    expect(matchesTree('fltest.ipv6 == ::', at('::'))).toBe(true);
    expect(matchesTree('fltest.ipv6 == ::1', at('::1'))).toBe(true);
    expect(matchesTree('fltest.ipv6 == ::ffff:10.0.0.1', at('::ffff:a00:1'))).toBe(true);
    expect(matchesTree('fltest.ipv6 == 2001:db8::1', at('2001:db8::2'))).toBe(false);
  });

  it('matches prefixes', () => {
    expect(matchesTree('fltest.ipv6 == fe80::/10', at('febf::1'))).toBe(true);
    expect(matchesTree('fltest.ipv6 == fe80::/10', at('fec0::1'))).toBe(false);
    expect(matchesTree('fltest.ipv6 == ff02::1:ff00:0/104', at('ff02::1:ff12:3456'))).toBe(true);
    expect(matchesTree('fltest.ipv6 == ::/0', at('2001:db8::1'))).toBe(true);
    expect(matchesTree('fltest.ipv6 in {2001:db8::/32, fe80::/10}', at('2001:db8:1::5'))).toBe(true);
    expect(matchesTree('fltest.ipv6 != fe80::/10', at('2001:db8:1::5'))).toBe(true);
  });

  it('orders and ranges', () => {
    expect(matchesTree('fltest.ipv6 > 2000::', at('2001::1'))).toBe(true);
    expect(matchesTree('fltest.ipv6 < 2000::', at('::1'))).toBe(true);
    expect(matchesTree('fltest.ipv6 in {2001::1 .. 2001::ff}', at('2001::10'))).toBe(true);
    expect(matchesTree('fltest.ipv6 == fltest.ipv6b', [[T.v6, v6('::1')], [T.v6b, v6('::1')]])).toBe(true);
    expect(matchesTree('fltest.ipv6[0:2] == fe:80', at('fe80::1'))).toBe(true);
  });

  it('refuses invalid addresses with tshark\'s messages', () => {
    expect(errorOf('fltest.ipv6 == fe80::1::2')).toMatchObject({ message: '"::2" was unexpected in this context.', start: 22, end: 25 });
    expect(errorOf('fltest.ipv6 == fe80::/129')).toMatchObject({ message: 'Prefix in a IPv6 address should be <= 128, not 129' });
    expect(errorOf('fltest.ipv6 == 1.2.3.4')).toMatchObject({ message: '"1.2.3.4" is not a valid hostname or IPv6 address.' });
    expect(errorOf('fltest.ipv6 == x')).toMatchObject({ message: '"x" is not a valid hostname or IPv6 address.' });
    expect(errorOf('fltest.ipv6 == "x"')).toMatchObject({ message: 'IPv6 address cannot be converted from a string ("x").' });
    expect(errorOf('fltest.ipv6 == fltest.ipv4')).toMatchObject({ message: 'fltest.ipv6 and fltest.ipv4 are not of compatible types.' });
  });
});
