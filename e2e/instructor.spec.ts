// An instructor's link opens a capture served by URL with its filter, frame and view restored; "Copy link"
// gives such a link back.
import { test, expect } from '@playwright/test';
import { AppDriver } from './app-driver';

test('an instructor link restores capture, filter, frame and view', async ({ page, context, baseURL }, info) => {
  const app = new AppDriver(page, info);
  const capture = new URL('samples/intro-web.pcap', baseURL).href;
  await app.open(`./#url=${encodeURIComponent(capture)}&filter=tcp&frame=10&view=properties`);
  await app.waitForLoaded();

  // The view: capture properties.
  await expect(page.getByRole('heading', { name: 'Capture properties' })).toBeVisible();
  await expect(page.locator('.props-table')).toContainText('intro-web.pcap');
  await app.shot('1-properties-view');

  // The filter and the frame.
  await expect(app.filter).toHaveValue('tcp');
  await expect.poll(async () => (await app.readCounts()).displayed).toBeLessThan((await app.readCounts()).packets);
  await page.getByRole('button', { name: 'Back to packets' }).click();
  await expect(app.row(10)).toHaveAttribute('aria-selected', 'true');
  await expect(app.treeItem(/^Frame 10: /)).toBeVisible();
  await app.shot('2-frame-restored');

  // The address follows the state; Copy link hands out the same.
  await app.selectFrame(12);
  await expect.poll(() => page.url()).toContain('frame=12');
  expect(page.url()).toContain('filter=tcp');
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('frame=12');
  expect(copied).toContain(encodeURIComponent(capture));

  // ?url= with a relative path works too (app and captures on one static site).
  await app.open('./?url=samples/arp-scan.pcap');
  await app.waitForLoaded();
  await expect(page.locator('.tb-name')).toHaveText('arp-scan.pcap');
  await expect(app.rows.first()).toContainText('ARP');
  await app.shot('3-relative-url');
});
