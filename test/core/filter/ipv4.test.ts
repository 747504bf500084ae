import { describe, expect, it } from 'vitest';
import { errorOf, ether, ipv4, matchingFrames, matchesTree, T, ipNum } from './helpers';

/** IPv4 addresses: equality, CIDR, order, the any/all semantics of ip.addr (Wireshark's test_ipv4). */

const f1 = ether(ipv4({ src: '10.0.0.1', dst: '192.168.1.2', ttl: 64 }));
const f2 = ether(ipv4({ src: '192.168.1.2', dst: '10.0.0.1', ttl: 128 }));
const f3 = ether(ipv4({ src: '172.16.5.4', dst: '8.8.8.8', ttl: 1 }));
const arp = ether([0, 1, 8, 0, 6, 4, 0, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2], 0x0806);
const frames = [f1, f2, f3, arp];

describe('ipv4', () => {
  it('compares addresses', () => {
    expect(matchingFrames('ip.src == 10.0.0.1', frames)).toEqual([1]);
    expect(matchingFrames('ip.dst eq 10.0.0.1', frames)).toEqual([2]);
    expect(matchingFrames('ip.src != 10.0.0.1', frames)).toEqual([2, 3]);
    expect(matchingFrames('ip.src > 100.0.0.0', frames)).toEqual([2, 3]);
    expect(matchingFrames('ip.src <= 172.16.5.4', frames)).toEqual([1, 3]);
  });

  it('matches either end with ip.addr', () => {
    expect(matchingFrames('ip.addr == 10.0.0.1', frames)).toEqual([1, 2]);
    expect(matchingFrames('ip.addr == 8.8.8.8', frames)).toEqual([3]);
  });

  it('!= means "all values differ", and a frame without the field fails it', () => {
    expect(matchingFrames('ip.addr != 10.0.0.1', frames)).toEqual([3]);
    // The negation of == keeps frames without IP (the ARP frame).
    expect(matchingFrames('!(ip.addr == 10.0.0.1)', frames)).toEqual([3, 4]);
    expect(matchingFrames('ip.addr ~= 10.0.0.1', frames)).toEqual([1, 2, 3]);
    expect(matchingFrames('ip.addr !== 10.0.0.1', frames)).toEqual([1, 2, 3]);
    expect(matchingFrames('ip.addr any_ne 10.0.0.1', frames)).toEqual([1, 2, 3]);
    expect(matchingFrames('ip.addr === 10.0.0.1', frames)).toEqual([]);
    expect(matchingFrames('all ip.addr != 10.0.0.1', frames)).toEqual([3]);
    expect(matchingFrames('any ip.addr != 10.0.0.1', frames)).toEqual([1, 2, 3]);
  });

  it('matches CIDR blocks', () => {
    expect(matchingFrames('ip.addr == 10.0.0.0/8', frames)).toEqual([1, 2]);
    expect(matchingFrames('ip.src == 172.16.0.0/12', frames)).toEqual([3]);
    expect(matchingFrames('ip.dst == 0.0.0.0/0', frames)).toEqual([1, 2, 3]);
    expect(matchingFrames('ip.src==192.168.1.0/24', frames)).toEqual([2]);
    expect(matchingFrames('ip.src in {10.0.0.0/8, 172.16.0.0/12}', frames)).toEqual([1, 3]);
  });

  it('compares address fields with each other', () => {
    expect(matchingFrames('ip.src == ip.dst', frames)).toEqual([]);
    expect(matchingFrames('ip.src > ip.dst', frames)).toEqual([2, 3]);
  });

  it('tests existence of the protocol and its fields', () => {
    expect(matchingFrames('ip', frames)).toEqual([1, 2, 3]);
    expect(matchingFrames('!ip', frames)).toEqual([4]);
    expect(matchingFrames('ip.ttl', frames)).toEqual([1, 2, 3]);
    expect(matchingFrames('ip.ttl == 1', frames)).toEqual([3]);
  });

  it('refuses what is not an IPv4 address, with tshark\'s messages', () => {
    expect(errorOf('ip.src == "abc"')).toMatchObject({ message: 'IPv4 address cannot be converted from a string ("abc").', start: 10, end: 15 });
    expect(errorOf('ip.src == 1.2.3')).toMatchObject({ message: '"1.2.3" is not a valid hostname or IPv4 address.', start: 10, end: 15 });
    expect(errorOf('ip.src == 300.1.1.1')).toMatchObject({ message: '"300.1.1.1" is not a valid hostname or IPv4 address.', start: 10 });
    expect(errorOf('ip.src == 1.2.3.4/33')).toMatchObject({ message: 'Netmask bits in a CIDR IPv4 address should be <= 32, not 33', start: 10, end: 20 });
    expect(errorOf('ip.addr == 0x8d8ee405')).toMatchObject({ message: '"0x8d8ee405" is not a valid hostname or IPv4 address.' });
    expect(errorOf("ip.src == 'a'")).toMatchObject({ message: "Character constant 'a' (0x61) cannot be converted to IPv4 address.", start: 10, end: 13 });
    expect(errorOf('ip.src contains 1.2.3.4')).toMatchObject({ message: 'ip.src (type=IPv4 address) cannot participate in contains comparison.', start: 0, end: 6 });
    expect(errorOf('ip.src + 1 == 1.2.3.4')).toMatchObject({ message: 'FT_IPv4 cannot +.', start: 0, end: 6 });
    expect(errorOf('ip.addr == 141.142.0.0 / 16')).toMatchObject({ message: 'FT_IPv4 cannot /.', start: 11, end: 22 });
  });

  it('works on values of a hand-built tree', () => {
    expect(matchesTree('fltest.ipv4 == 1.2.3.4', [[T.v4, ipNum('1.2.3.4')]])).toBe(true);
    // A value stored as a negative 32-bit int (from `|` arithmetic in a dissector) is still the same address.
    expect(matchesTree('fltest.ipv4 == 255.0.0.1', [[T.v4, ipNum('255.0.0.1') | 0]])).toBe(true);
    expect(matchesTree('fltest.ipv4 in {1.2.3.1 .. 1.2.3.9}', [[T.v4, ipNum('1.2.3.4')]])).toBe(true);
    expect(matchesTree('fltest.ipv4 in {1.2.3.5..1.2.3.9}', [[T.v4, ipNum('1.2.3.4')]])).toBe(false);
  });
});
