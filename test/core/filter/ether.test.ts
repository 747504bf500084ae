import { describe, expect, it } from 'vitest';
import { errorOf, ether, ipv4, mac, matchingFrames, matchesTree, T } from './helpers';

/** Ethernet addresses (test_ether). */

const a = ether(ipv4(), 0x0800, [0x01, 0x00, 0x5e, 0x00, 0x00, 0x01], [0x00, 0x0c, 0x29, 0xaa, 0xbb, 0xcc]);
const b = ether(ipv4(), 0x0800, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);

describe('ether', () => {
  it('compares in every written form', () => {
    for (const f of ['eth.dst == ff:ff:ff:ff:ff:ff', 'eth.dst == ff-ff-ff-ff-ff-ff', 'eth.dst == ffff.ffff.ffff', 'eth.dst == ffffffffffff', 'eth.dst == FF:FF:FF:FF:FF:FF']) {
      expect(matchingFrames(f, [a, b]), f).toEqual([2]);
    }
  });

  it('matches either address with eth.addr, and orders', () => {
    expect(matchingFrames('eth.addr == 00:0c:29:aa:bb:cc', [a, b])).toEqual([1]);
    expect(matchingFrames('eth.addr != 00:0c:29:aa:bb:cc', [a, b])).toEqual([2]);
    expect(matchingFrames('eth.src > 01:00:00:00:00:00', [a, b])).toEqual([2]);
    expect(matchingFrames('eth.src in {02:00:00:00:00:01, 00:00:00:00:00:00}', [a, b])).toEqual([2]);
  });

  it('tests the I/G and L/G bits and slices', () => {
    expect(matchingFrames('eth.dst.ig == 1', [a, b])).toEqual([1, 2]);
    expect(matchingFrames('eth.src.lg == 1', [a, b])).toEqual([2]);
    expect(matchingFrames('eth.dst[0:3] == 01:00:5e', [a, b])).toEqual([1]);
    expect(matchingFrames('eth.src[0] & 0x02', [a, b])).toEqual([2]);
    expect(matchingFrames('eth.src == frame[6:6]', [a, b])).toEqual([1, 2]);
  });

  it('refuses wrong sizes and strings', () => {
    expect(errorOf('eth.src == 00:11:22:33:44')).toMatchObject({ message: '"00:11:22:33:44" contains too few bytes to be a valid Ethernet address.' });
    expect(errorOf('eth.src == "x"')).toMatchObject({ message: 'Ethernet or other MAC address cannot be converted from a string ("x").' });
    expect(errorOf("eth.src == 'a'")).toMatchObject({ message: "Character constant 'a' (0x61) cannot be converted to Ethernet or other MAC address." });
    expect(matchesTree('fltest.ether == fltest.bytes', [[T.eth, mac('00:11:22:33:44:55')], [T.bytes, mac('00:11:22:33:44:55')]])).toBe(true);
  });
});
