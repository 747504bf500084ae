/**
 * The one helper the journeys drive the app through: what a user does (open, drop, type, click) and what
 * they see (rows, counts, tree items, highlighted bytes), plus capture forging for bad-input cases.
 */
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** One task of the page's main thread, from a Chromium trace (times in ms). */
export interface MainThreadTask {
  /** Start, from the page's `fathom:<anchor>` performance mark (or the trace's start without one). */
  at: number;
  /** Wall-clock duration: what the PerformanceObserver's `longtask` entries report. */
  wall: number;
  /** The time the thread actually ran: the wall time less the time the OS gave the cores to others. */
  cpu: number;
}

export class AppDriver {
  constructor(
    readonly page: Page,
    private readonly info: TestInfo,
  ) {}

  /** Opens the app at a path relative to the preview server ('./', './#url=…', './?url=…'). */
  async open(path = './'): Promise<void> {
    await this.page.goto(path);
  }

  get rows(): Locator {
    return this.page.locator('.packet-list [role="row"][data-frame]');
  }

  row(frame: number): Locator {
    return this.page.locator(`.packet-list [role="row"][data-frame="${frame}"]`);
  }

  get counts(): Locator {
    return this.page.getByTestId('counts');
  }

  get filter(): Locator {
    return this.page.locator('#filter-input');
  }

  get tree(): Locator {
    return this.page.getByRole('tree');
  }

  treeItem(label: string | RegExp): Locator {
    return this.page.getByRole('treeitem', { name: label });
  }

  get highlightedBytes(): Locator {
    return this.page.locator('.hexbytes .hb.hl');
  }

  get loadError(): Locator {
    return this.page.getByTestId('load-error');
  }

  async waitForRows(atLeast = 1): Promise<void> {
    await expect(this.rows.nth(atLeast - 1)).toBeVisible();
    await expect(this.page.locator('.packet-list .pl-row.loading')).toHaveCount(0);
  }

  /** Waits until the whole capture is loaded (the status bar shows the displayed count). */
  async waitForLoaded(): Promise<void> {
    await expect(this.counts).toContainText('Displayed:');
  }

  /** "Packets: N · Displayed: M (x%)" → {packets, displayed}. */
  async readCounts(): Promise<{ packets: number; displayed: number }> {
    const text = (await this.counts.textContent()) ?? '';
    const m = /Packets: ([\d,]+) · Displayed: ([\d,]+)/.exec(text);
    if (!m) throw new Error(`no counts in “${text}”`);
    return { packets: Number(m[1].replace(/,/g, '')), displayed: Number(m[2].replace(/,/g, '')) };
  }

  async selectFrame(frame: number): Promise<void> {
    await this.row(frame).click();
    await expect(this.row(frame)).toHaveAttribute('aria-selected', 'true');
    await expect(this.tree).toBeVisible();
  }

  async expand(label: string | RegExp): Promise<Locator> {
    const item = this.treeItem(label).first();
    await item.click();
    if ((await item.getAttribute('aria-expanded')) === 'false') await this.page.keyboard.press('ArrowRight');
    await expect(item).toHaveAttribute('aria-expanded', 'true');
    return item;
  }

  async typeFilter(text: string): Promise<void> {
    await this.filter.click();
    await this.filter.fill(text);
  }

  async applyFilter(text: string): Promise<void> {
    await this.typeFilter(text);
    await this.filter.press('Enter');
  }

  /** Drops a file on the page the way a browser does (a DataTransfer with a File). */
  async dropFile(name: string, bytes: Uint8Array): Promise<void> {
    const data = Array.from(bytes);
    await this.page.evaluate(
      ({ name, data }) => {
        const file = new File([new Uint8Array(data)], name);
        const dt = new DataTransfer();
        dt.items.add(file);
        for (const type of ['dragenter', 'dragover', 'drop']) {
          window.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
        }
      },
      { name, data },
    );
  }

  /** Chooses a file from disk through the file picker (large files are not copied). */
  async pickFile(path: string): Promise<void> {
    await this.page.locator('#file-input').setInputFiles(path);
  }

  async fetchBytes(url: string): Promise<Uint8Array> {
    const res = await this.page.request.get(url);
    expect(res.ok()).toBeTruthy();
    return new Uint8Array(await res.body());
  }

  /**
   * Waits until the offline service worker is active and controls the page (the first visit's worker claims
   * it without a reload); returns the worker's scope.
   */
  async waitForServiceWorker(): Promise<string> {
    const scope = await this.page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    await this.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    return scope;
  }

  /**
   * Runs `work` under a Chromium trace and returns the page's main-thread tasks longer than `overMs` of wall
   * clock, with the CPU time each really ran. On a machine shared with other jobs the wall time of a task
   * includes the time the thread waited for a core; the CPU time is the app's own.
   */
  async mainThreadTasks(work: () => Promise<void>, overMs = 50, anchor = 'open'): Promise<MainThreadTask[]> {
    const browser = this.page.context().browser();
    if (!browser) throw new Error('tracing needs a browser');
    // FATHOM_TRACE_DIR=dir keeps the trace (with JavaScript samples) as dir/<anchor>.json, for DevTools.
    const keep = process.env.FATHOM_TRACE_DIR;
    const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', ...(keep ? ['disabled-by-default-v8.cpu_profiler'] : [])];
    await browser.startTracing(this.page, { categories, ...(keep ? { path: `${keep}/${anchor}.json` } : {}) });
    let trace: Buffer;
    try {
      await work();
    } finally {
      trace = await browser.stopTracing();
    }
    const raw = JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
    return tasksOf(Array.isArray(raw) ? raw : raw.traceEvents, overMs, anchor);
  }

  /** Saves a screenshot of the journey's step into its test output folder. */
  async shot(step: string): Promise<void> {
    await this.page.screenshot({ path: this.info.outputPath(`${step}.png`) });
  }
}

/** A classic pcap (microsecond, Ethernet) of the given frames. */
export function pcapOf(frames: Uint8Array[], linkType = 1): Uint8Array {
  const size = 24 + frames.reduce((n, f) => n + 16 + f.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 262144, true);
  v.setUint32(20, linkType, true);
  let at = 24;
  frames.forEach((f, i) => {
    v.setUint32(at, 1_700_000_000 + i, true);
    v.setUint32(at + 4, 0, true);
    v.setUint32(at + 8, f.length, true);
    v.setUint32(at + 12, f.length, true);
    out.set(f, at + 16);
    at += 16 + f.length;
  });
  return out;
}

/** Ethernet + IPv4 + UDP carrying `payload` (checksums zero: not validated by default). */
export function udpFrame(payload: Uint8Array, srcPort = 40000, dstPort = 9999): Uint8Array {
  const ipLen = 20 + 8 + payload.length;
  const f = new Uint8Array(14 + ipLen);
  f.set([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x08, 0x00], 0);
  f.set([0x45, 0x00, ipLen >> 8, ipLen & 0xff, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  const u = 34;
  f.set([srcPort >> 8, srcPort & 0xff, dstPort >> 8, dstPort & 0xff, (8 + payload.length) >> 8, (8 + payload.length) & 0xff, 0, 0], u);
  f.set(payload, u + 8);
  return f;
}

/**
 * The app's long tasks — those the page's `longtask` entries report, given as `{ at, wall }` from the same
 * anchor as the trace — with the CPU time the trace measured for each. Tasks only the trace sees are not
 * the page's own (the test driver's scripts, DevTools' screenshots) and are left out. A long task the trace
 * did not match keeps its wall time as its CPU time.
 */
export function appTasks(longTasks: { at: number; wall: number }[], traced: MainThreadTask[]): MainThreadTask[] {
  return longTasks.map((lt) => {
    const t = traced.find((x) => Math.abs(x.at - lt.at) <= 4 && Math.abs(x.wall - lt.wall) <= 5);
    return { at: Math.round(lt.at), wall: Math.round(lt.wall), cpu: t ? t.cpu : Math.round(lt.wall) };
  });
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** The renderer main thread's tasks over `overMs` in a trace (the thread with the most tasks, if several). */
function tasksOf(events: TraceEvent[], overMs: number, anchor: string): MainThreadTask[] {
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    const k = `${e.pid}:${e.tid}`;
    if (e.name !== 'RunTask' || e.ph !== 'X' || !mains.has(k)) continue;
    if (!byThread.has(k)) byThread.set(k, []);
    byThread.get(k)!.push(e);
  }
  const tasks = [...byThread.values()].sort((a, b) => b.length - a.length)[0] ?? [];
  const mark = events.find((e) => e.name === `fathom:${anchor}`);
  const t0 = mark?.ts ?? Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  return tasks
    .filter((e) => (e.dur ?? 0) > overMs * 1000)
    .map((e) => ({ at: Math.round((e.ts - t0) / 1000), wall: Math.round((e.dur ?? 0) / 1000), cpu: Math.round((e.tdur ?? 0) / 1000) }));
}
