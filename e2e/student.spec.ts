// A student drops a sample capture, selects a frame, expands a layer and sees its bytes highlighted.
import { test, expect } from '@playwright/test';
import { AppDriver } from './app-driver';

test('a student drops a sample, selects a frame, expands a layer and sees its bytes', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  await app.open('./');
  // The bundled sample opens by default; then the student drops another sample on the page.
  await app.waitForRows();
  const bytes = await app.fetchBytes('samples/intro-web.pcap');
  await app.dropFile('intro-web.pcap', bytes);
  await app.waitForLoaded();
  await app.waitForRows(5);
  await expect(page.locator('.tb-name')).toHaveText('intro-web.pcap');
  await app.shot('1-opened');

  // A TCP frame: the list shows it, the tree shows its layers.
  const frame = 9;
  await app.selectFrame(frame);
  await expect(app.treeItem(/^Frame 9: /)).toBeVisible();
  await expect(app.treeItem(/^Ethernet II, Src: /)).toBeVisible();
  await app.shot('2-selected');

  // Expanding the IPv4 layer shows its fields; selecting the layer highlights its 20 header bytes.
  const ipv4 = await app.expand(/^Internet Protocol Version 4, Src: /);
  await expect(app.treeItem(/^Time to Live: /)).toBeVisible();
  await ipv4.click();
  await expect(app.highlightedBytes).toHaveCount(20);
  await expect(page.locator('.status-bar')).toContainText('(ip)');

  // Selecting one field highlights exactly its bytes and names it in the status bar.
  await app.treeItem(/^Time to Live: /).click();
  await expect(app.highlightedBytes).toHaveCount(1);
  await expect(page.locator('.status-bar')).toContainText('ip.ttl');
  await app.shot('3-field-bytes');

  // Clicking a byte in the hex pane selects the deepest field covering it (the IPv4 source address).
  await page.locator('.hexbytes .hb[data-off="26"]').click();
  await expect(page.getByRole('treeitem', { selected: true })).toHaveText(/^Source Address: /);
  await expect(app.highlightedBytes).toHaveCount(4);

  // Keyboard: the tree collapses with ←, the list moves with ↓.
  await app.row(frame).click();
  await page.keyboard.press('ArrowDown');
  await expect(app.row(frame + 1)).toHaveAttribute('aria-selected', 'true');
  await expect(app.treeItem(/^Frame 10: /)).toBeVisible();
  await app.shot('4-keyboard');
});
