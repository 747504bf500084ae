import { describe, expect, it } from 'vitest';
import { RequestPairs } from '../../../src/core/analysis/request-pairs';

describe('request/response pairs', () => {
  it('pairs a response with the request waiting under its key, both ways, with the time between', () => {
    const p = new RequestPairs();
    p.addRequest('a', 3, 100, 250_000_000);
    p.addRequest('b', 4, 100, 300_000_000);
    expect(p.addResponse('b', 7, 100, 300_500_000)).toBe(4);
    expect(p.addResponse('a', 9, 101, 0)).toBe(3);
    expect([p.responseTo(3), p.responseTo(4), p.requestOf(7), p.requestOf(9)]).toEqual([9, 7, 4, 3]);
    expect(p.responseMs(7)).toBeCloseTo(0.5, 9);
    expect(p.responseMs(9)).toBeCloseTo(750, 9);
  });

  it('answers nothing for frames that are in no pair', () => {
    const p = new RequestPairs();
    p.addRequest('a', 1, 0, 0);
    expect(p.addResponse('other', 2, 0, 0)).toBe(0);
    expect([p.responseTo(1), p.requestOf(2), p.responseMs(2), p.responseTo(5)]).toEqual([0, 0, 0, 0]);
  });

  it('lets a newer request under the same key replace one still waiting, and a response answer once', () => {
    const p = new RequestPairs();
    p.addRequest('k', 1, 0, 0);
    p.addRequest('k', 2, 1, 0);
    expect(p.addResponse('k', 3, 1, 1_000_000)).toBe(2);
    expect(p.addResponse('k', 4, 2, 0)).toBe(0);
    expect([p.responseTo(1), p.responseTo(2)]).toEqual([0, 3]);
    expect(p.responseMs(3)).toBeCloseTo(1, 9);
  });

  it('keeps a hundred thousand pairs in typed arrays and finds each', () => {
    const p = new RequestPairs();
    const n = 100_000;
    // Requests answered in reverse order of asking: the index by request must sort them.
    for (let i = 0; i < n; i++) p.addRequest(`k${i}`, i + 1, 0, 0);
    for (let i = n - 1; i >= 0; i--) p.addResponse(`k${i}`, 2 * n - i, 1, 0);
    for (const i of [0, 1, n / 2, n - 1]) {
      expect(p.responseTo(i + 1)).toBe(2 * n - i);
      expect(p.requestOf(2 * n - i)).toBe(i + 1);
    }
    expect(p.byteSize()).toBeLessThan(32 * n);
  });
});

describe('request/response pairs over a capture index', () => {
  it('takes the request time from the index instead of keeping it', () => {
    const times = { tsSec: [10, 10, 11], tsNsec: [0, 500_000_000, 250_000_000] };
    const p = new RequestPairs(times);
    p.addRequest('k', 2, 10, 500_000_000);
    expect(p.addResponse('k', 3, 11, 250_000_000)).toBe(2);
    expect(p.responseMs(3)).toBeCloseTo(750, 9);
  });
});
