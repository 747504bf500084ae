// An analyst types an invalid filter (sees the error and the hint), then a valid one (the displayed count
// changes), then applies a field from the detail tree as a filter.
import { test, expect } from '@playwright/test';
import { AppDriver } from './app-driver';

test('an analyst filters: error and hint, a valid filter, a field applied from the tree', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  await app.open('./#url=samples/intro-web.pcap');
  await app.waitForLoaded();
  await app.waitForRows();
  const all = await app.readCounts();
  expect(all.displayed).toBe(all.packets);

  // An invalid filter: red, the error's span underlined, Wireshark's message and the hint.
  await app.typeFilter('ip.src = 192.168.1.23');
  await expect(app.filter).toHaveAttribute('data-validity', 'invalid');
  await expect(page.locator('.fb-underline')).toBeVisible();
  await expect(page.locator('#filter-message')).toContainText('"=" was unexpected in this context.');
  await expect(page.locator('.fb-hint')).toContainText('==');
  await app.shot('1-invalid');

  // Completion offers field ids with their names.
  await app.typeFilter('tcp.fl');
  await expect(page.getByRole('listbox', { name: 'Filter completions' })).toBeVisible();
  await expect(page.getByRole('option', { name: /tcp\.flags/ }).first()).toBeVisible();
  await app.shot('2-completion');
  await app.filter.press('Escape');

  // A valid filter: green, and on Enter the displayed count drops.
  await app.typeFilter('udp');
  await expect(app.filter).toHaveAttribute('data-validity', 'valid');
  await app.filter.press('Enter');
  await expect.poll(async () => (await app.readCounts()).displayed).toBeLessThan(all.packets);
  const udp = await app.readCounts();
  expect(udp.displayed).toBeGreaterThan(0);
  await expect(app.rows.first()).toContainText(/UDP|DNS/);
  await app.shot('3-udp');

  // Esc clears the filter: every frame again.
  await app.filter.press('Escape');
  await expect.poll(async () => (await app.readCounts()).displayed).toBe(all.packets);

  // Apply a field from the tree: right-click the IPv4 destination, Apply as Filter → Selected.
  await app.selectFrame(9);
  await app.expand(/^Internet Protocol Version 4, Src: /);
  const dst = app.treeItem(/^Destination Address: /);
  await dst.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Apply as Filter' }).hover();
  await page.getByRole('menuitem', { name: 'Selected', exact: true }).click();
  await expect(app.filter).toHaveValue(/^ip\.dst == \d+\.\d+\.\d+\.\d+$/);
  await expect.poll(async () => (await app.readCounts()).displayed).toBeLessThan(all.packets);
  await app.shot('4-applied-from-tree');

  // "…and not Selected" combines with the current filter.
  await app.row(9).click();
  await app.treeItem(/^Time to Live: /).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Prepare as Filter' }).hover();
  await page.getByRole('menuitem', { name: '…and not Selected' }).click();
  await expect(app.filter).toHaveValue(/^\(ip\.dst == [\d.]+\) && !\(ip\.ttl == \d+\)$/);
  await expect(app.filter).toBeFocused();
});
