import { describe, expect, it } from 'vitest';
import { ether, ipv4, matchesFrame, matchesTree, T } from './helpers';

/** Slices (test_range): [i:j] [i-j] [i] [-n:] [:j] [i:], joined slices, slices of slices. */

const f = ether(ipv4({ src: '10.1.2.3', dst: '192.168.1.2', payload: [0x47, 0x45, 0x54, 0x20, 0x2f] }));
const b = [[T.bytes, Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7])]] as [typeof T.bytes, Uint8Array][];

describe('slices', () => {
  it('takes start:length, start-end, single bytes and open ends', () => {
    expect(matchesTree('fltest.bytes[0:2] == 00:01', b)).toBe(true);
    expect(matchesTree('fltest.bytes[2:3] == 02:03:04', b)).toBe(true);
    expect(matchesTree('fltest.bytes[2-4] == 02:03:04', b)).toBe(true);
    expect(matchesTree('fltest.bytes[5] == 05', b)).toBe(true);
    expect(matchesTree('fltest.bytes[+5] == 05', b)).toBe(true);
    expect(matchesTree('fltest.bytes[-1] == 07', b)).toBe(true);
    expect(matchesTree('fltest.bytes[-3:] == 05:06:07', b)).toBe(true);
    expect(matchesTree('fltest.bytes[-3:2] == 05:06', b)).toBe(true);
    expect(matchesTree('fltest.bytes[:2] == 00:01', b)).toBe(true);
    expect(matchesTree('fltest.bytes[6:] == 06:07', b)).toBe(true);
    expect(matchesTree('fltest.bytes[:] == 00:01:02:03:04:05:06:07', b)).toBe(true);
    expect(matchesTree('fltest.bytes[ 0 : 2 ] == 00:01', b)).toBe(true);
  });

  it('joins several ranges', () => {
    expect(matchesTree('fltest.bytes[0:2,6] == 00:01:06', b)).toBe(true);
    expect(matchesTree('fltest.bytes[7, 0-1, -2:1] == 07:00:01:06', b)).toBe(true);
  });

  it('yields nothing for a slice past the end', () => {
    expect(matchesTree('fltest.bytes[8] == 00', b)).toBe(false);
    expect(matchesTree('fltest.bytes[6:3] == 06:07', b)).toBe(false);
    expect(matchesTree('fltest.bytes[-9:] == 00', b)).toBe(false);
    expect(matchesTree('fltest.bytes[99999]', b)).toBe(false);
    expect(matchesTree('fltest.bytes[7]', b)).toBe(true);
  });

  it('slices slices, protocols, addresses and strings', () => {
    expect(matchesTree('fltest.bytes[2:4][1:2] == 03:04', b)).toBe(true);
    expect(matchesFrame('ip.src[0] == 0a', f)).toBe(true);
    expect(matchesFrame('ip.src[1:2] == 01:02', f)).toBe(true);
    expect(matchesFrame('ip.src[0:4] == ip.src', f)).toBe(true);
    expect(matchesFrame('ip.src[0:1] == ip.dst[0:1]', f)).toBe(false);
    expect(matchesFrame('ip[12:4] == 0a:01:02:03', f)).toBe(true);
    expect(matchesFrame('frame[12:2] == 08:00', f)).toBe(true);
    expect(matchesFrame('frame[-5:3] == "GET"', f)).toBe(true);
    expect(matchesTree('fltest.str[0:3] == "GET"', [[T.str, 'GET /']])).toBe(true);
    expect(matchesTree('fltest.str[1] == 45', [[T.str, 'GET /']])).toBe(true);
    expect(matchesTree('fltest.ipv4[3] == 04', [[T.v4, 0x01020304]])).toBe(true);
  });

  it('compares a slice with any field that has a byte form', () => {
    expect(matchesFrame('ip.src == ip[12:4]', f)).toBe(true);
    expect(matchesFrame('ip[12:4] == ip.src', f)).toBe(true);
    expect(matchesFrame('eth.src == frame[6:6]', f)).toBe(true);
    expect(matchesTree('fltest.str == fltest.bytes[0:2]', [[T.str, 'AB'], [T.bytes, Uint8Array.of(0x41, 0x42, 0x43)]])).toBe(true);
  });
});
