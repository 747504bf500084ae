import { describe, expect, it } from 'vitest';
import { ether, ipv4, matchingFrames } from './helpers';

/** The layer operator (test_layer): field#n, #[a-b], #[a:n], #[-1], on IP in IP. */

const ipip = ether(ipv4({ src: '10.0.0.1', dst: '10.0.0.2', proto: 4, ttl: 64, payload: ipv4({ src: '192.168.7.7', dst: '8.8.8.8', ttl: 3 }) }));
const plain = ether(ipv4({ src: '10.0.0.1', dst: '8.8.8.8' }));

describe('layers', () => {
  it('picks the n-th occurrence of the protocol', () => {
    expect(matchingFrames('ip.src#1 == 10.0.0.1', [ipip, plain])).toEqual([1, 2]);
    expect(matchingFrames('ip.src#2 == 192.168.7.7', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('ip.src#2 == 10.0.0.1', [ipip, plain])).toEqual([]);
    expect(matchingFrames('ip.dst#1 == 8.8.8.8', [ipip, plain])).toEqual([2]);
    expect(matchingFrames('ip.src#2', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('ip#2', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('ip.src#0', [ipip, plain])).toEqual([]);
    expect(matchingFrames('ip.ttl#1 > ip.ttl#2', [ipip, plain])).toEqual([1]);
  });

  it('takes ranges and negative layers', () => {
    expect(matchingFrames('ip.src#[1-2] == 192.168.7.7', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('ip.src#[2:1] == 192.168.7.7', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('ip.src#[-1] == 10.0.0.1', [ipip, plain])).toEqual([2]);
    expect(matchingFrames('ip.src#[-1] == 192.168.7.7', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('ip.addr#[1,2] == 8.8.8.8', [ipip, plain])).toEqual([1, 2]);
    expect(matchingFrames('count(ip.src#2) == 1', [ipip, plain])).toEqual([1]);
  });

  it('combines with slices and @', () => {
    expect(matchingFrames('ip.src#2[0] == c0', [ipip, plain])).toEqual([1]);
    expect(matchingFrames('@ip.src#2 == c0:a8:07:07', [ipip, plain])).toEqual([1]);
  });
});
