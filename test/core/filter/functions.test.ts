import { describe, expect, it } from 'vitest';
import { errorOf, ether, ipv4, matchingFrames, matchesTree, T, ipNum, v6 } from './helpers';

/** Functions (test_function): len count lower upper string max min abs, and Fathom's address tests. */

const ipip = ether(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 4, ttl: 64, payload: ipv4({ src: '192.168.7.7', dst: '8.8.8.8', ttl: 3 }) }));
const plain = ether(ipv4({ src: '169.254.1.1', dst: '224.0.0.251', ttl: 255 }));

describe('functions', () => {
  it('len() measures values', () => {
    expect(matchingFrames('len(ip.src) == 4', [plain])).toEqual([1]);
    expect(matchingFrames('len(eth.src) == 6', [plain])).toEqual([1]);
    expect(matchingFrames('len(frame) == 38', [plain])).toEqual([1]);
    expect(matchesTree('len(fltest.bytes) == 3', [[T.bytes, Uint8Array.of(1, 2, 3)]])).toBe(true);
    expect(matchesTree('len(fltest.u16) == 2', [[T.u16, 1]])).toBe(true);
  });

  it('count() counts occurrences', () => {
    expect(matchingFrames('count(ip.src) == 2', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('count(ip.addr) == 4', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('count(ip) == 1', [ipip, plain])).toEqual([2]);
  });

  it('lower(), upper(), string()', () => {
    expect(matchesTree('lower(fltest.str) contains "mozilla"', [[T.str, 'Mozilla/5.0']])).toBe(true);
    expect(matchesTree('upper(fltest.str) == "ABC"', [[T.str, 'aBc']])).toBe(true);
    expect(matchingFrames('string(ip.src) == "169.254.1.1"', [plain])).toEqual([1]);
    expect(matchingFrames('string(ip.ttl) == "255"', [plain])).toEqual([1]);
    // string() of an integer is decimal whatever the field's base (tshark: string(eth.type) == "2048").
    expect(matchingFrames('string(eth.type) == "2048"', [plain])).toEqual([1]);
    expect(matchingFrames('string(eth.dst) == "ff:ff:ff:ff:ff:ff"', [plain])).toEqual([1]);
    expect(matchesTree('string(fltest.ipv6) == "fe80::1"', [[T.v6, v6('fe80::1')]])).toBe(true);
    expect(errorOf('string(fltest.bytes) == "a"')).toMatchObject({ message: 'String conversion for field "fltest.bytes" is not supported' });
  });

  it('max(), min() over all values of all arguments', () => {
    expect(matchingFrames('max(ip.ttl) == 64', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('min(ip.ttl) == 3', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('max(ip.ttl, 100) == 100', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('min(ip.src, ip.dst) == 8.8.8.8', [ipip, plain])).toEqual([1]);
    expect(matchesTree('max(fltest.rel) > 1', [[T.rel, { secs: 0, nsecs: 5 }], [T.rel, { secs: 2, nsecs: 0 }]])).toBe(true);
  });

  it('abs()', () => {
    expect(matchesTree('abs(fltest.i32) == 5', [[T.i32, -5]])).toBe(true);
    expect(matchesTree('abs(fltest.u32 - 10) == 3', [[T.u32, 7]])).toBe(true);
    expect(errorOf('abs(fltest.str) == 1')).toMatchObject({ message: "Argument 'fltest.str' is not valid for abs()" });
  });

  it('tests address ranges with ip_rfc1918 and friends (a Fathom extension)', () => {
    expect(matchingFrames('ip_rfc1918(ip.src)', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('ip_linklocal(ip.src)', [ipip, plain])).toEqual([2]);
    expect(matchingFrames('ip_multicast(ip.dst)', [ipip, plain])).toEqual([2]);
    expect(matchingFrames('!ip_rfc1918(ip.dst#2)', [ipip, plain])).toEqual([1, 2]);
    expect(matchesTree('ip_ula(fltest.ipv6)', [[T.v6, v6('fd12::1')]])).toBe(true);
    expect(matchesTree('ip_linklocal(fltest.ipv6)', [[T.v6, v6('fe80::1')]])).toBe(true);
    expect(matchesTree('ip_multicast(fltest.ipv6)', [[T.v6, v6('ff02::1')]])).toBe(true);
    expect(matchesTree('ip_rfc1918(fltest.ipv4) == 1', [[T.v4, ipNum('172.20.0.1')]])).toBe(true);
    expect(errorOf('ip_rfc1918(fltest.str)')).toMatchObject({ message: 'Only IPv4 or IPv6 address fields can be used as parameter for ip_rfc1918()' });
  });

  it('refuses unknown functions and wrong arity', () => {
    expect(errorOf('foo(ip.src)')).toMatchObject({ message: "Function 'foo' does not exist", start: 0, end: 3 });
    expect(errorOf('len()')).toMatchObject({ message: 'Function len needs at least 1 arguments.' });
    expect(errorOf('count(ip.addr, ip) == 1')).toMatchObject({ message: 'Function count can only accept 1 arguments.' });
    expect(errorOf('len(ip.src)')).toMatchObject({ message: 'You cannot test whether a function is present.' });
  });
});
