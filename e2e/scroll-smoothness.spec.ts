// Scrolling the 1M-frame bench capture stays smooth: wheel steps, Page Down presses and a scrollbar drag,
// for a few seconds each, while every frame's duration (requestAnimationFrame deltas) and every main-thread
// task over 50 ms are recorded. The list is past the height browsers lay out (scroll-scale.ts), so this is
// the capped, mapped scroll path. Skipped when the bench capture has not been generated.
import { test, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppDriver, appTasks } from './app-driver';

const BIG = resolve('bench/out/mixed-1m.pcap');

interface Recording {
  frames: number[];
  longTasks: { duration: number; start: number }[];
}

/** Starts recording frame durations and long tasks (the observer is installed before the page loads). */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { rec: Recording & { on: boolean }; longTaskLog: { duration: number; start: number }[] };
    w.rec = { frames: [], longTasks: [], on: true };
    w.longTaskLog.length = 0;
    let last = performance.now();
    const tick = (t: number) => {
      if (!w.rec.on) return;
      w.rec.frames.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame((t) => {
      last = t;
      requestAnimationFrame(tick);
    });
  });
}

async function stopRecording(page: Page): Promise<Recording> {
  return page.evaluate(() => {
    const w = window as unknown as { rec: Recording & { on: boolean }; longTaskLog: { duration: number; start: number }[] };
    w.rec.on = false;
    return { frames: w.rec.frames, longTasks: [...w.longTaskLog] };
  });
}

function summary(r: Recording): { max: number; p95: number; p50: number; count: number; over16: number; over33: number; text: string } {
  const sorted = [...r.frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  const over16 = sorted.filter((d) => d > 17.5).length;
  const over33 = sorted.filter((d) => d > 34).length;
  const tasks = r.longTasks.map((t) => `${Math.round(t.duration)}`).join(', ') || 'none';
  const text = `${sorted.length} frames, p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${max.toFixed(1)} ms, ${over16} over 16.7 ms (${over33} over 33 ms); long tasks: ${tasks}`;
  return { max, p95: at(0.95), p50: at(0.5), count: sorted.length, over16, over33, text };
}

test('scrolling 1M frames by wheel, Page Down and scrollbar drag keeps frames short and the main thread free', async ({ page }, info) => {
  test.skip(!existsSync(BIG), 'bench/out/mixed-1m.pcap is not generated');
  test.setTimeout(600_000);
  await page.addInitScript(() => {
    const w = window as unknown as { longTaskLog: { duration: number; start: number }[]; allLongTasks: { duration: number; start: number }[] };
    w.longTaskLog = [];
    w.allLongTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.longTaskLog.push({ duration: e.duration, start: e.startTime });
        w.allLongTasks.push({ duration: e.duration, start: e.startTime });
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  const app = new AppDriver(page, info);
  await app.open('./');
  await app.waitForRows();
  await app.pickFile(BIG);
  await expect(app.counts).toContainText('Displayed:', { timeout: 480_000 });
  expect((await app.readCounts()).packets).toBe(1_000_000);
  await app.waitForRows();
  // The helper workers open the capture after the loader; scrolling while they do is what a user does too,
  // but give the page a moment after the load's own work.
  await page.waitForTimeout(1000);

  const list = page.locator('.packet-list .vlist');
  const box = (await list.boundingBox())!;
  const results: string[] = [];
  // The scrolling runs under a trace, so each long task's CPU time is known besides its wall time.
  const traced = await app.mainThreadTasks(
    async () => {
      await page.evaluate(() => performance.mark('fathom:scroll'));

      // 1. Mouse wheel: 3 s of steps of 100 px (five rows), one every 25 ms.
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await startRecording(page);
      for (let i = 0; i < 120; i++) {
        await page.mouse.wheel(0, 100);
        await page.waitForTimeout(25);
      }
      await page.waitForTimeout(300);
      let r = await stopRecording(page);
      results.push(`wheel: ${summary(r).text}`);
      const afterWheel = await list.evaluate((el) => Number(el.querySelector<HTMLElement>('[role="row"][data-frame]')?.dataset.frame ?? 0));
      expect(afterWheel).toBeGreaterThan(100);

      // 2. Page Down: 40 presses, one every 60 ms (the selection moves a page each time).
      await app.row(afterWheel + 2).click();
      await startRecording(page);
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('PageDown');
        await page.waitForTimeout(60);
      }
      await page.waitForTimeout(300);
      r = await stopRecording(page);
      results.push(`page down: ${summary(r).text}`);

      // 3. Scrollbar drag: the thumb from where it is to the bottom in 3 s, then back up to the middle. Headless
      // Chromium hides scrollbars; then the drag is what it produces: a new scroll top every frame.
      const sb = await list.evaluate((el: HTMLElement) => ({ width: el.offsetWidth - el.clientWidth, top: el.getBoundingClientRect().top, height: el.clientHeight }));
      const frac = await list.evaluate((el) => el.scrollTop / Math.max(1, el.scrollHeight - el.clientHeight));
      await startRecording(page);
      if (sb.width > 0) {
        const x = box.x + box.width - sb.width / 2;
        const track = { top: sb.top + sb.width, height: sb.height - 2 * sb.width };
        await page.mouse.move(x, track.top + frac * track.height + 2);
        await page.mouse.down();
        const steps = 120;
        for (let i = 1; i <= steps; i++) {
          await page.mouse.move(x, track.top + 2 + (track.height - 4) * Math.min(1, frac + (i / steps) * (1 - frac)));
          await page.waitForTimeout(25);
        }
        for (let i = 1; i <= steps / 2; i++) {
          await page.mouse.move(x, track.top + track.height - 2 - ((track.height - 4) * i) / steps);
          await page.waitForTimeout(25);
        }
        await page.mouse.up();
      } else {
        await list.evaluate(
          (el, from) =>
            new Promise<void>((done) => {
              const max = el.scrollHeight - el.clientHeight;
              const t0 = performance.now();
              const step = (t: number) => {
                const k = (t - t0) / 3000;
                // Down to the bottom in 2 s, back up to the middle in 1 s.
                const f = k < 2 / 3 ? from + (1 - from) * (k * 1.5) : 1 - 0.5 * ((k - 2 / 3) * 3);
                el.scrollTop = Math.round(Math.max(0, Math.min(1, f)) * max);
                if (k < 1) requestAnimationFrame(step);
                else done();
              };
              requestAnimationFrame(step);
            }),
          frac,
        );
      }
      await page.waitForTimeout(300);
      r = await stopRecording(page);
      results.push(`scrollbar drag: ${summary(r).text}`);
      const top = await list.evaluate((el) => el.scrollTop);
      expect(top).toBeGreaterThan(1_000_000);

    },
    50,
    'scroll',
  );

  // Rows arrive for wherever the list ends up.
  await expect(page.locator('.packet-list .pl-row.loading')).toHaveCount(0, { timeout: 30_000 });
  await app.shot('1-after-scrolling');

  // The page's long tasks while scrolling, from the `fathom:scroll` mark (the trace's anchor), with their CPU.
  const logged = await page.evaluate(() => {
    const w = window as unknown as { allLongTasks: { duration: number; start: number }[] };
    const mark = performance.getEntriesByName('fathom:scroll')[0]?.startTime ?? 0;
    return w.allLongTasks.filter((t) => t.start >= mark).map((t) => ({ at: t.start - mark, wall: t.duration }));
  });
  const scrolling = appTasks(logged, traced);
  const cpuText = scrolling.length ? scrolling.map((t) => `${t.wall}@${t.at} (cpu ${t.cpu})`).join(', ') : 'none';
  const note = `${results.join('; ')}; page's long tasks (wall@start, cpu): ${cpuText}`;
  info.annotations.push({ type: 'measure', description: note });
  console.log(`scroll smoothness: ${note}`);
  // Frame times are only logged: on a 2-core machine shared with the helper workers (still opening the
  // capture) and other jobs, frames wait for a core. Likewise a task's wall time (the longtask entries above)
  // counts the time the OS gave its core to others; the CPU time it ran is the app's own. The target is 50 ms
  // (printed above when missed); the bound asserted is CPU_BOUND: in headless Chromium's software rendering a
  // Page Down that lands with the previous frame's detail (tree and bytes) still to lay out and paint
  // occasionally takes 50–60 ms of style, layout and paint, with under 10 ms of the app's JavaScript, and
  // rarely (one run in several) a task of about 90 ms.
  const CPU_BOUND = 100;
  expect(scrolling.filter((t) => t.cpu > CPU_BOUND), `main-thread tasks over ${CPU_BOUND} ms of CPU while scrolling: ${note}`).toEqual([]);
});
