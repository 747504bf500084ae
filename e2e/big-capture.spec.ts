// The bench's 1M-frame capture loads, filters and scrolls to its last frame, with the main thread never
// blocked for long. Skipped when the bench capture has not been generated (npm run bench generates it).
import { test, expect } from '@playwright/test';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppDriver } from './app-driver';

const BIG = resolve('bench/out/mixed-1m.pcap');

test('the 1M-frame bench capture loads, filters and scrolls to its last frame', async ({ page }, info) => {
  test.skip(!existsSync(BIG), 'bench/out/mixed-1m.pcap is not generated');
  test.setTimeout(900_000);
  // Main-thread tasks over 50 ms, and the time from choosing the file to the first rows on screen.
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[]; picked: number; firstRows: number };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(Math.round(e.duration), Math.round(e.startTime - (w.picked ?? 0)));
    }).observe({ type: 'longtask', buffered: true });
    document.addEventListener(
      'change',
      (e) => {
        if ((e.target as HTMLElement).id !== 'file-input') return;
        w.picked = performance.now();
        w.firstRows = 0;
        const poll = () => {
          const row = document.querySelector('.packet-list [role="row"][data-frame="1"]:not(.loading)');
          if (row && document.querySelector('.tb-name')?.textContent === 'mixed-1m.pcap') w.firstRows = performance.now() - w.picked;
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      },
      true,
    );
  });
  const app = new AppDriver(page, info);
  await app.open('./');
  await app.waitForRows();
  // A user takes a moment before choosing a file; by then the app has booted its spare worker.
  await page.waitForTimeout(2500);
  await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks.length = 0));
  const t0 = Date.now();
  await app.pickFile(BIG);
  await expect.poll(() => page.evaluate(() => (window as unknown as { firstRows: number }).firstRows), { timeout: 60_000 }).toBeGreaterThan(0);
  const firstRows = await page.evaluate(() => (window as unknown as { firstRows: number }).firstRows);
  await app.shot('1-first-rows');
  await expect(app.counts).toContainText('Displayed:', { timeout: 600_000 });
  const loaded = Date.now() - t0;
  const { packets } = await app.readCounts();
  expect(packets).toBe(1_000_000);
  await app.shot('2-loaded');

  // Scroll to the last frame.
  await page.locator('.packet-list .vlist').focus();
  await page.keyboard.press('End');
  await expect(app.row(packets)).toHaveAttribute('aria-selected', 'true');
  await expect(app.treeItem(new RegExp(`^Frame ${packets}: `))).toBeVisible();
  await app.shot('3-last-frame');

  // Filter the whole capture.
  const f0 = Date.now();
  await app.applyFilter('udp');
  await expect.poll(async () => (await app.readCounts()).displayed, { timeout: 600_000 }).toBeLessThan(packets);
  const filtered = Date.now() - f0;
  const { displayed } = await app.readCounts();
  expect(displayed).toBeGreaterThan(0);
  await app.shot('4-filtered');

  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  // The app's own milestones, from the file chosen: worker asked, preview open, first rows fetched.
  const marks = await page.evaluate(() => {
    const picked = (window as unknown as { picked: number }).picked;
    const at = (n: string) => {
      const all = performance.getEntriesByName(`fathom:${n}`).filter((e) => e.startTime >= picked);
      return all.length ? Math.round(all[0].startTime - picked) : -1;
    };
    return `open ${at('open')} ms, preview ${at('preview')} ms, rows ${at('rows')} ms, loaded ${at('loaded')} ms`;
  });
  const note = `file ${statSync(BIG).size} bytes; first rows ${Math.round(firstRows)} ms; fully loaded ${loaded} ms; filter "udp" (${displayed} frames) ${filtered} ms; main-thread tasks > 50 ms (duration@start): ${longTasks.length ? longTasks.map((x, i) => (i % 2 ? `@${x}` : `${i ? ', ' : ''}${x}`)).join('') : 'none'}; milestones: ${marks}`;
  info.annotations.push({ type: 'measure', description: note });
  console.log(`big capture: ${note}`);
});

test('loading a big capture can be stopped: the frames read so far stay open', async ({ page }, info) => {
  test.skip(!existsSync(BIG), 'bench/out/mixed-1m.pcap is not generated');
  test.setTimeout(300_000);
  const app = new AppDriver(page, info);
  await app.open('./');
  await app.waitForRows();
  await app.pickFile(BIG);
  await expect(app.row(1)).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.sb-progress')).toContainText('Reading');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(app.counts).toContainText('Displayed:', { timeout: 240_000 });
  const { packets } = await app.readCounts();
  expect(packets).toBeGreaterThan(0);
  expect(packets).toBeLessThan(1_000_000);
  await expect(page.locator('.sb-warn')).toBeVisible();
  await app.shot('1-stopped');
  await page.locator('.sb-warn').click();
  await expect(page.getByTestId('capture-warnings')).toContainText('loading cancelled');
});
