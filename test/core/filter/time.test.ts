import { describe, expect, it } from 'vitest';
import { errorOf, matchesTree, T } from './helpers';

/** Absolute and relative times (test_time). */

const at = (secs: number, nsecs = 0) => [[T.abs, { secs, nsecs }]] as [typeof T.abs, { secs: number; nsecs: number }][];
const rel = (secs: number, nsecs = 0) => [[T.rel, { secs, nsecs }]] as [typeof T.rel, { secs: number; nsecs: number }][];
// 2009-11-19 00:16:10.049012 UTC
const T0 = Date.UTC(2009, 10, 19, 0, 16, 10) / 1000;

describe('time', () => {
  it('reads absolute times in tshark\'s formats', () => {
    expect(matchesTree('fltest.abs == "2009-11-19 00:16:10.049012Z"', at(T0, 49_012_000))).toBe(true);
    expect(matchesTree('fltest.abs == "2009-11-19T00:16:10.049012Z"', at(T0, 49_012_000))).toBe(true);
    expect(matchesTree('fltest.abs == "Nov 19, 2009 00:16:10.049012 UTC"', at(T0, 49_012_000))).toBe(true);
    expect(matchesTree('fltest.abs == "nov 19, 2009 00:16:10.049012 UTC"', at(T0, 49_012_000))).toBe(true);
    expect(matchesTree('fltest.abs > "2009-11-19 00:16:10Z"', at(T0, 49_012_000))).toBe(true);
    expect(matchesTree('fltest.abs < "2009-11-19 00:16:10Z"', at(T0, 49_012_000))).toBe(false);
    expect(matchesTree('fltest.abs >= "2009-11-19 01:16:10+01:00"', at(T0))).toBe(true);
    expect(matchesTree('fltest.abs in {"2009-11-19 00:00:00Z" .. "2009-11-20 00:00:00Z"}', at(T0))).toBe(true);
  });

  it('reads relative times as seconds', () => {
    expect(matchesTree('fltest.rel == 1.5', rel(1, 500_000_000))).toBe(true);
    expect(matchesTree('fltest.rel == 1.500000001', rel(1, 500_000_001))).toBe(true);
    expect(matchesTree('fltest.rel > 1', rel(1, 1))).toBe(true);
    expect(matchesTree('fltest.rel < 0.5', rel(0, 499_999_999))).toBe(true);
    expect(matchesTree('fltest.rel == 1.5e3', rel(1500))).toBe(true);
    expect(matchesTree('fltest.rel > -1', rel(0))).toBe(true);
    expect(matchesTree('fltest.rel + fltest.rel == 3', [[T.rel, { secs: 1, nsecs: 500_000_000 }]])).toBe(true);
    expect(matchesTree('-fltest.rel < 0', rel(1))).toBe(true);
  });

  it('refuses what is not a time', () => {
    expect(errorOf('fltest.abs == "Nov 19 2009 00:00:00"')?.message).toBe('"Nov 19 2009 00:00:00" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"');
    expect(errorOf('fltest.abs == "2009-11-19 25:00:00"')?.message).toBe('Unexpected data after time value.');
    expect(errorOf('fltest.rel == 1e-3')?.message).toBe('"1e-3" is not a valid time.');
    expect(errorOf('fltest.abs == fltest.rel')?.message).toBe('fltest.abs and fltest.rel are not of compatible types.');
  });
});
