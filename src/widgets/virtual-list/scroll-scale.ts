/**
 * The geometry of a virtual list whose rows may not fit in a browser's element height.
 *
 * Browsers cap how tall an element can be (Chromium about 33.5M px, Firefox about 17.9M px), so a body of
 * `count * rowHeight` px would make rows past ~1.6M (at 20 px) unreachable. Beyond MAX_SCROLL_HEIGHT the
 * body is capped and two coordinates are kept apart:
 *
 * - the *offset*: how far down the full list of rows the viewport is, in px as if nothing were capped
 *   (row i starts at i × rowHeight); this is what decides the rows shown and where they are drawn;
 * - the *scroll top*: the element's real scroll position over the capped body.
 *
 * The two map proportionally over their ranges, so the scrollbar's top is the first row and its bottom is
 * exactly the last. Below the cap the mapping is the identity and nothing changes. All functions are pure
 * and allocation-free except `scrollScale`, made once per size change.
 */

/** A body height every browser lays out exactly (below Firefox's ~17.9M px cap, with room to spare). */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface ScrollScale {
  /** Height of all rows, uncapped: count × rowHeight. */
  readonly total: number;
  /** Height the body is given: `total`, or the cap. */
  readonly height: number;
  /** Height of the rows' viewport (the scroller minus its sticky header). */
  readonly visible: number;
  /** Largest offset: the last row's bottom at the viewport's bottom. */
  readonly maxOffset: number;
  /** Largest scroll top over the body. */
  readonly maxScrollTop: number;
  /** Whether the body is capped (offsets and scroll tops differ). */
  readonly scaled: boolean;
}

export function scrollScale(count: number, rowHeight: number, visible: number, maxHeight = MAX_SCROLL_HEIGHT): ScrollScale {
  const total = Math.max(0, count) * rowHeight;
  const height = Math.min(total, maxHeight);
  const view = Math.max(0, visible);
  return {
    total,
    height,
    visible: view,
    maxOffset: Math.max(0, total - view),
    maxScrollTop: Math.max(0, height - view),
    scaled: total > height,
  };
}

export function clampOffset(s: ScrollScale, offset: number): number {
  return offset <= 0 || !Number.isFinite(offset) ? 0 : Math.min(offset, s.maxOffset);
}

/** The offset a scroll top shows (the scrollbar dragged, the page scrolled natively). */
export function offsetOf(s: ScrollScale, scrollTop: number): number {
  // Unscaled, the browser bounds the scroll top itself: it is the offset, even while a resize is pending.
  if (!s.scaled) return Math.max(0, scrollTop);
  if (s.maxScrollTop <= 0 || scrollTop <= 0) return 0;
  if (scrollTop >= s.maxScrollTop) return s.maxOffset;
  return (scrollTop / s.maxScrollTop) * s.maxOffset;
}

/** The scroll top that shows an offset (the inverse of `offsetOf`). */
export function scrollTopOf(s: ScrollScale, offset: number): number {
  const o = clampOffset(s, offset);
  if (!s.scaled) return o;
  if (s.maxOffset <= 0) return 0;
  if (o >= s.maxOffset) return s.maxScrollTop;
  return (o / s.maxOffset) * s.maxScrollTop;
}

/** The row at an offset. Scaled offsets are products of ratios: a hair below a row's top still means that row. */
export function rowAt(offset: number, rowHeight: number): number {
  return Math.max(0, Math.floor(offset / rowHeight + 1e-7));
}

/**
 * Rows are drawn relative to a base row, so their positions stay small numbers however far down the list
 * is. Unscaled, the base is row 0 (positions are the rows' own tops); scaled, it moves in steps of
 * BASE_STEP rows, so a row's position — and the row's rendering — changes only when the base does.
 */
export const BASE_STEP = 1 << 16;

export function baseRowOf(s: ScrollScale, firstRendered: number): number {
  return s.scaled ? firstRendered - (firstRendered % BASE_STEP) : 0;
}

/**
 * Where the layer holding the rows sits in the body, for a base row: the real scroll top plus how far the
 * base row's top is from the offset. Unscaled (scroll top = offset, base 0) it is 0.
 */
export function layerTop(scrollTop: number, offset: number, baseRow: number, rowHeight: number): number {
  return scrollTop - offset + baseRow * rowHeight;
}
