// A packet list taller than browsers can lay out: the bench's 1M frames are 20M px of rows, past the list's
// 15M px cap, so the scroll space is capped and mapped onto the rows. The scrollbar, the wheel, the keyboard
// and go-to-frame must still reach every frame, the last included. Skipped when the bench capture has not
// been generated (npm run bench:generate).
import { test, expect, type Locator } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppDriver } from './app-driver';

const BIG = resolve('bench/out/mixed-1m.pcap');
const FRAMES = 1_000_000;
const ROW = 20;

/** The frames of the rows inside the list's viewport below the header, top to bottom, with their tops. */
async function visibleRows(list: Locator): Promise<{ frame: number; top: number }[]> {
  return list.evaluate((el) => {
    const view = el.getBoundingClientRect();
    const head = el.querySelector('.vlist-header')!.getBoundingClientRect();
    return [...el.querySelectorAll<HTMLElement>('[role="row"][data-frame]')]
      .map((r) => ({ frame: Number(r.dataset.frame), top: r.getBoundingClientRect().top - head.bottom, bottom: r.getBoundingClientRect().bottom }))
      .filter((r) => r.top > -20 && r.bottom <= view.bottom + 0.5 && r.top < view.bottom - head.bottom)
      .sort((a, b) => a.top - b.top)
      .map(({ frame, top }) => ({ frame, top: Math.round(top * 100) / 100 }));
  });
}

/** Rows on screen are consecutive frames, ROW px apart. */
function expectContiguous(rows: { frame: number; top: number }[]): void {
  expect(rows.length).toBeGreaterThan(5);
  rows.forEach((r, i) => {
    expect(r.frame).toBe(rows[0].frame + i);
    expect(r.top).toBeCloseTo(rows[0].top + i * ROW, 1);
  });
}

test('a list of 1M frames (past the height browsers lay out) reaches every frame by scrollbar, wheel and keys', async ({ page }, info) => {
  test.skip(!existsSync(BIG), 'bench/out/mixed-1m.pcap is not generated');
  test.setTimeout(600_000);
  const app = new AppDriver(page, info);
  await app.open('./');
  await app.waitForRows();
  await app.pickFile(BIG);
  await expect(app.counts).toContainText('Displayed:', { timeout: 480_000 });
  expect((await app.readCounts()).packets).toBe(FRAMES);
  const list = page.locator('.packet-list .vlist');

  // The scroll space is capped well below 1M rows' 20M px.
  const { scrollHeight, clientHeight } = await list.evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight }));
  expect(scrollHeight).toBeLessThanOrEqual(15_000_000 + clientHeight);
  expect(scrollHeight).toBeGreaterThan(1_000_000);

  // The scrollbar dragged to the bottom shows the last frame at the bottom of the view.
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(app.row(FRAMES)).toBeInViewport();
  await expect(app.row(FRAMES)).not.toHaveClass(/loading/);
  let rows = await visibleRows(list);
  expectContiguous(rows);
  expect(rows[rows.length - 1].frame).toBe(FRAMES);
  await app.shot('1-scrollbar-bottom');

  // Halfway down the scrollbar is halfway through the frames.
  await list.evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2));
  await expect.poll(async () => (await visibleRows(list))[0]?.frame ?? 0).toBeGreaterThan(FRAMES / 2 - 100);
  rows = await visibleRows(list);
  expect(rows[0].frame).toBeLessThan(FRAMES / 2 + 100);
  expectContiguous(rows);

  // The wheel moves by its own pixels, not by the scrollbar's ratio: 5 wheel steps of 100 px are 25 rows.
  const before = rows[0];
  await list.hover();
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 100);
  await expect.poll(async () => (await visibleRows(list))[0]?.frame).toBe(before.frame + 25);
  expectContiguous(await visibleRows(list));

  // Go to a frame deep in the list, then End, Page Up and Home by keyboard.
  await list.focus();
  await page.keyboard.press('Control+g');
  const dialog = page.getByRole('dialog', { name: 'Go to frame' });
  await dialog.getByRole('textbox').fill('987654');
  await dialog.getByRole('textbox').press('Enter');
  await expect(app.row(987_654)).toHaveAttribute('aria-selected', 'true');
  await expect(app.row(987_654)).toBeInViewport();
  await expect(app.treeItem(/^Frame 987654: /)).toBeVisible();
  expectContiguous(await visibleRows(list));
  await app.shot('2-go-to-frame');

  await list.focus();
  await page.keyboard.press('End');
  await expect(app.row(FRAMES)).toHaveAttribute('aria-selected', 'true');
  await expect(app.row(FRAMES)).toBeInViewport();
  await expect(app.treeItem(new RegExp(`^Frame ${FRAMES}: `))).toBeVisible();
  rows = await visibleRows(list);
  expect(rows[rows.length - 1].frame).toBe(FRAMES);
  // A wheel step further down changes nothing: the end is the end.
  await list.hover();
  await page.mouse.wheel(0, 300);
  await expect(app.row(FRAMES)).toBeInViewport();
  await app.shot('3-end');

  await list.focus();
  await page.keyboard.press('PageUp');
  await expect(page.locator('.packet-list [role="row"][aria-selected="true"]')).toBeInViewport();
  const selected = Number(await page.locator('.packet-list [role="row"][aria-selected="true"]').getAttribute('data-frame'));
  expect(selected).toBeLessThan(FRAMES);
  expect(selected).toBeGreaterThan(FRAMES - 100);

  await page.keyboard.press('Home');
  await expect(app.row(1)).toHaveAttribute('aria-selected', 'true');
  await expect(app.row(1)).toBeInViewport();
  expect((await visibleRows(list))[0]).toEqual({ frame: 1, top: 0 });
  await app.shot('4-home');
});
