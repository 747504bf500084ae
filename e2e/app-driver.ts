/**
 * The one helper the journeys drive the app through: what a user does (open, drop, type, click) and what
 * they see (rows, counts, tree items, highlighted bytes), plus capture forging for bad-input cases.
 */
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

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
