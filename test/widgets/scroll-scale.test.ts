import { describe, expect, it } from 'vitest';
import { BASE_STEP, baseRowOf, clampOffset, layerTop, MAX_SCROLL_HEIGHT, offsetOf, rowAt, scrollScale, scrollTopOf } from '../../src/widgets/virtual-list/scroll-scale';
import { BLOCK, scrollTarget } from '../../src/widgets/virtual-list/VirtualList';

const ROW = 20;
const VISIBLE = 600;

/**
 * The rows VirtualList renders at an offset: the blocks of BLOCK rows in view plus one spare block each side
 * (its virtualizer's overscan of 1; the e2e specs check the rows on screen).
 */
function rendered(count: number, offset: number, visible: number): { first: number; last: number } {
  const lastBlock = Math.ceil(count / BLOCK) - 1;
  const firstBlock = Math.max(0, Math.floor(rowAt(offset, ROW) / BLOCK) - 1);
  const endBlock = Math.min(lastBlock, Math.floor(rowAt(offset + visible, ROW) / BLOCK) + 1);
  return { first: firstBlock * BLOCK, last: Math.min(count, (endBlock + 1) * BLOCK) - 1 };
}

describe('scroll scale', () => {
  for (const count of [10, 1_600_000, 10_000_000, 100_000_000]) {
    describe(`${count.toLocaleString('en')} rows`, () => {
      const s = scrollScale(count, ROW, VISIBLE);
      const lastTop = (count - 1) * ROW;

      it('caps the body only when the rows do not fit', () => {
        expect(s.total).toBe(count * ROW);
        expect(s.height).toBeLessThanOrEqual(MAX_SCROLL_HEIGHT);
        expect(s.scaled).toBe(count * ROW > MAX_SCROLL_HEIGHT);
        expect(s.maxOffset).toBe(Math.max(0, count * ROW - VISIBLE));
      });

      it('round-trips the start', () => {
        expect(scrollTopOf(s, 0)).toBe(0);
        expect(offsetOf(s, 0)).toBe(0);
        expect(rowAt(offsetOf(s, scrollTopOf(s, 0)), ROW)).toBe(0);
      });

      it('round-trips rows in the middle, to the pixel', () => {
        for (const row of [1, Math.floor(count / 3), Math.floor(count / 2), count - 40, count - 31]) {
          if (row < 0 || row >= count) continue;
          const o = clampOffset(s, row * ROW);
          const back = offsetOf(s, scrollTopOf(s, o));
          expect(Math.abs(back - o)).toBeLessThan(1e-3);
          expect(rowAt(back, ROW)).toBe(rowAt(o, ROW));
        }
      });

      it('round-trips the end: the scrollbar at its bottom shows the last row at the bottom', () => {
        expect(scrollTopOf(s, s.maxOffset)).toBe(s.maxScrollTop);
        expect(scrollTopOf(s, Number.MAX_VALUE)).toBe(s.maxScrollTop);
        expect(offsetOf(s, s.maxScrollTop)).toBe(s.maxOffset);
        if (s.scaled) expect(offsetOf(s, s.maxScrollTop + 1000)).toBe(s.maxOffset);
        expect(rowAt(offsetOf(s, s.maxScrollTop) + VISIBLE - 1, ROW)).toBe(count * ROW > VISIBLE ? count - 1 : rowAt(VISIBLE - 1, ROW));
        // The last row lies inside the viewport: its top at or below the offset, its bottom at or above the view's bottom.
        if (count * ROW > VISIBLE) expect(lastTop + ROW - s.maxOffset).toBe(VISIBLE);
      });

      it('maps the scrollbar monotonically onto the rows', () => {
        if (s.maxScrollTop === 0) return; // nothing to scroll: all rows fit
        let prev = -1;
        for (let k = 0; k <= 64; k++) {
          const o = offsetOf(s, (s.maxScrollTop * k) / 64);
          expect(o).toBeGreaterThan(prev);
          prev = o;
        }
      });

      it('draws rows at small positions relative to a base, at the right place on screen', () => {
        for (const row of [0, Math.floor(count / 2), count - 1]) {
          const o = clampOffset(s, row * ROW);
          const top = scrollTopOf(s, o);
          const { first, last } = rendered(count, o, VISIBLE);
          const base = baseRowOf(s, first);
          const layer = s.scaled ? layerTop(top, o, base, ROW) : 0;
          for (const i of [first, row, last]) {
            const inLayer = (i - base) * ROW;
            // Where the row shows relative to the viewport's top (below the header).
            expect(layer + inLayer - top).toBeCloseTo(i * ROW - o, 3);
            if (s.scaled) expect(inLayer).toBeLessThan((BASE_STEP + 2 * BLOCK) * ROW + VISIBLE);
          }
          // The layer stays within the body.
          if (s.scaled) expect(Math.abs(layer)).toBeLessThan(s.height + BASE_STEP * ROW);
        }
      });
    });
  }

  it('is the identity below the cap, whatever the scroll top (the browser bounds it)', () => {
    const s = scrollScale(1000, ROW, VISIBLE);
    for (const top of [0, 1, 333.5, 19_400]) {
      expect(offsetOf(s, top)).toBe(top);
      expect(scrollTopOf(s, top)).toBe(top);
    }
    expect(scrollTopOf(s, -5)).toBe(0);
    expect(scrollTopOf(s, 1e9)).toBe(s.maxOffset);
    expect(baseRowOf(s, 512)).toBe(0);
  });

  it('moves proportionally when scaled: a pixel of scrollbar is (total - view) / (cap - view) pixels of rows', () => {
    const s = scrollScale(100_000_000, ROW, VISIBLE);
    const ratio = (s.total - VISIBLE) / (MAX_SCROLL_HEIGHT - VISIBLE);
    expect(offsetOf(s, 1000) / 1000).toBeCloseTo(ratio, 9);
    expect(scrollTopOf(s, ratio * 1000)).toBeCloseTo(1000, 6);
  });

  it('lowers the threshold on request (a list of 10 rows scaled onto 100 px)', () => {
    const s = scrollScale(10, ROW, 50, 100);
    expect(s).toMatchObject({ total: 200, height: 100, maxOffset: 150, maxScrollTop: 50, scaled: true });
    expect(offsetOf(s, 25)).toBe(75);
    expect(scrollTopOf(s, 150)).toBe(50);
    expect(rowAt(offsetOf(s, 50), ROW)).toBe(7);
  });

  it('scrolls to any row of a scaled list: go-to-frame and End target exact offsets', () => {
    const count = 10_000_000;
    const s = scrollScale(count, ROW, VISIBLE + 24);
    // End: the last row aligned at the bottom (header 24 px above the rows).
    const end = scrollTarget(count - 1, ROW, 24, 0, VISIBLE + 24 + 24, 'auto')!;
    const o = clampOffset(s, end);
    const { last } = rendered(count, o, s.visible);
    expect(last).toBe(count - 1);
    // Go to row 7,654,321 from the top, then Home.
    const mid = clampOffset(s, scrollTarget(7_654_321, ROW, 24, 0, VISIBLE + 24 + 24, 'auto')!);
    expect(rowAt(mid + s.visible - 1, ROW)).toBe(7_654_321);
    expect(scrollTarget(0, ROW, 24, mid, VISIBLE + 48, 'auto')).toBe(0);
  });

  it('renders the blocks in view plus one each side, never more rows than VirtualList has slots for', () => {
    for (const count of [1, 15, 16, 17, 1000, 1_000_000, 100_000_000]) {
      const max = Math.max(0, count * ROW - VISIBLE);
      for (const o of [0, 1, 19.9999999, 20, 319, 320, 321, max / 3, max / 2, max - 1, max]) {
        const got = rendered(count, o, VISIBLE);
        // Every row in the viewport is rendered.
        expect(got.first).toBeLessThanOrEqual(rowAt(o, ROW));
        expect(got.last).toBeGreaterThanOrEqual(Math.min(count - 1, rowAt(o + VISIBLE - 1, ROW)));
        // Never more than ceil(view / block) + 3 blocks: VirtualList's row slots (keys) stay unique.
        expect(got.last - got.first + 1).toBeLessThanOrEqual((Math.ceil(VISIBLE / (BLOCK * ROW)) + 3) * BLOCK);
      }
    }
  });
});
