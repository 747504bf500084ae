import { describe, expect, it } from 'vitest';
import { errorOf, ether, ipv4, matchingFrames } from './helpers';

/** Logical operators and precedence (or < xor < and < not), in word and symbol forms. */

const a = ether(ipv4({ ttl: 1, src: '10.0.0.1' }));
const b = ether(ipv4({ ttl: 2, src: '10.0.0.2' }));
const c = ether([0, 1, 8, 0, 6, 4, 0, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2], 0x0806);
const all = [a, b, c];

describe('logic', () => {
  it('and, or, not in both spellings', () => {
    expect(matchingFrames('ip and ip.ttl == 1', all)).toEqual([1]);
    expect(matchingFrames('ip && ip.ttl == 2', all)).toEqual([2]);
    expect(matchingFrames('ip.ttl == 1 or ip.ttl == 2', all)).toEqual([1, 2]);
    expect(matchingFrames('ip.ttl == 1 || !ip', all)).toEqual([1, 3]);
    expect(matchingFrames('not ip', all)).toEqual([3]);
    expect(matchingFrames('!!ip', all)).toEqual([1, 2]);
  });

  it('binds and tighter than or, not tightest', () => {
    // Wireshark 4.0: "a or b and c" is "a or (b and c)".
    expect(matchingFrames('ip.ttl == 1 or ip.ttl == 2 and !ip', all)).toEqual([1]);
    expect(matchingFrames('(ip.ttl == 1 or ip.ttl == 2) and !ip', all)).toEqual([]);
    expect(matchingFrames('not ip.ttl == 1 and ip', all)).toEqual([2]);
    expect(matchingFrames('not (ip.ttl == 1 and ip)', all)).toEqual([2, 3]);
    expect(matchingFrames('!ip or ip.ttl == 1', all)).toEqual([1, 3]);
  });

  it('xor and ^^ (an extension from later Wireshark), between or and and', () => {
    expect(matchingFrames('ip xor ip.ttl == 1', all)).toEqual([2]);
    expect(matchingFrames('ip ^^ !ip', all)).toEqual([1, 2, 3]);
    expect(matchingFrames('ip.ttl == 1 ^^ ip.ttl == 1', all)).toEqual([]);
    expect(matchingFrames('ip ^^ ip ^^ ip', all)).toEqual([1, 2]);
    expect(matchingFrames('ip.ttl == 2 or ip xor ip', all)).toEqual([2]);
    expect(matchingFrames('ip xor ip and ip.ttl == 1', all)).toEqual([2]);
  });

  it('the empty filter matches every frame', () => {
    expect(matchingFrames('', all)).toEqual([1, 2, 3]);
    expect(matchingFrames('   ', all)).toEqual([1, 2, 3]);
  });

  it('chains comparisons, each left side a field (as tshark)', () => {
    expect(matchingFrames('ip.ttl <= ip.ttl == ip.ttl', all)).toEqual([1, 2]);
    expect(errorOf('ip.ttl < 2 < 3')).toMatchObject({ message: 'Left side of "<" expression must be a field or function, not 2.', start: 9, end: 10 });
  });
});
