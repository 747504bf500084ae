import { describe, expect, it } from 'vitest';
import { errorOf, ether, ipv4, matchesFrame, matchesTree, T } from './helpers';

/** Byte sequences and protocols: literal forms, contains, order, protocol bytes (test_bytes, test_tvb). */

const b = (...v: number[]) => [[T.bytes, Uint8Array.from(v)]] as [typeof T.bytes, Uint8Array][];

describe('bytes', () => {
  it('accepts the byte-string forms tshark accepts', () => {
    for (const f of ['aa:bb:cc', 'aa-bb-cc', 'aa.bb.cc', 'aabbcc', 'AA:BB:CC']) {
      expect(matchesTree(`fltest.bytes == ${f}`, b(0xaa, 0xbb, 0xcc)), f).toBe(true);
    }
    expect(matchesTree('fltest.bytes == aabb.ccdd', b(0xaa, 0xbb, 0xcc, 0xdd))).toBe(true);
    expect(matchesTree('fltest.bytes == 0a', b(0x0a))).toBe(true);
    expect(matchesTree('fltest.bytes == a', b(0x0a))).toBe(true);
    expect(matchesTree('fltest.bytes == 0x0a', b(0x0a))).toBe(true);
    expect(matchesTree('fltest.bytes == "AB"', b(0x41, 0x42))).toBe(true);
    expect(matchesTree('fltest.bytes == "\\xff\\x00"', b(0xff, 0))).toBe(true);
    expect(matchesTree("fltest.bytes == 'A'", b(0x41))).toBe(true);
    expect(errorOf('fltest.bytes == 0x0000')).toMatchObject({ message: '"0x0000" is not a valid byte string.' });
    expect(errorOf('fltest.bytes == xyz')).toMatchObject({ message: '"xyz" is not a valid byte string.' });
  });

  it('orders byte strings lexicographically, shorter first on a tie', () => {
    expect(matchesTree('fltest.bytes > aa:bb', b(0xaa, 0xbc))).toBe(true);
    expect(matchesTree('fltest.bytes > aa:bb', b(0xaa, 0xbb, 0x00))).toBe(true);
    expect(matchesTree('fltest.bytes < aa:bb', b(0xaa))).toBe(true);
  });

  it('searches with contains', () => {
    expect(matchesTree('fltest.bytes contains bb:cc', b(0xaa, 0xbb, 0xcc))).toBe(true);
    expect(matchesTree('fltest.bytes contains cc:bb', b(0xaa, 0xbb, 0xcc))).toBe(false);
    expect(matchesTree('fltest.bytes contains "\\xbb"', b(0xaa, 0xbb, 0xcc))).toBe(true);
    expect(matchesTree('fltest.bytes contains 1', b(0, 1, 2))).toBe(true);
  });

  it('sees a protocol as the bytes of its item, and searches its whole data (as tshark 4.0)', () => {
    const f = ether(ipv4({ payload: [0x47, 0x45, 0x54, 0x20] }));
    expect(matchesFrame('frame contains "GET "', f)).toBe(true);
    expect(matchesFrame('ip contains "GET"', f)).toBe(true);
    expect(matchesFrame('eth contains "GET"', f)).toBe(true);
    expect(matchesFrame('ip[0] == 0x45', f)).toBe(true);
    // Slices and len() stop at the protocol's item (the header); contains and matches see the payload too.
    expect(matchesFrame('ip[20:3] == "GET"', f)).toBe(false);
    expect(matchesFrame('len(ip) == 20', f)).toBe(true);
    expect(matchesFrame('len(eth) == 14', f)).toBe(true);
    expect(matchesFrame('ip[-1] == 02', f)).toBe(true);
    expect(matchesFrame('frame[0:6] == ff:ff:ff:ff:ff:ff', f)).toBe(true);
    expect(matchesFrame('frame contains ip', f)).toBe(true);
    expect(matchesFrame('ip == ip', f)).toBe(true);
    expect(matchesFrame('frame matches "get "', f)).toBe(true);
    expect(matchesFrame('frame matches "(?-i)get "', f)).toBe(false);
  });

  it('raw bytes of a field with @ (extension from later Wireshark)', () => {
    const f = ether(ipv4({ ttl: 0x40, src: '10.1.2.3' }));
    expect(matchesFrame('@ip.src == 0a:01:02:03', f)).toBe(true);
    expect(matchesFrame('@ip.ttl == 40', f)).toBe(true);
    expect(matchesFrame('@ip.flags.df == 40', f)).toBe(true);
    expect(matchesFrame('len(@ip.src) == 4', f)).toBe(true);
    expect(matchesFrame('@ip.src[0] == 0a', f)).toBe(true);
  });

  it('does bitwise and on bytes', () => {
    expect(matchesTree('fltest.bytes & 0f:f0 == 0a:b0', b(0xaa, 0xbb))).toBe(true);
    expect(matchesTree('fltest.bytes[0] & 0x80', b(0x80))).toBe(true);
    expect(matchesTree('fltest.bytes[0] & 0x80', b(0x7f))).toBe(false);
  });
});
