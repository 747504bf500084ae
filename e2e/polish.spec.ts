// The finish: themes, remembered pane sizes and columns, shortcuts and their help, Ctrl-G, sorting, time
// formats, and a usable layout on a tablet.
import { test, expect } from '@playwright/test';
import { AppDriver } from './app-driver';

test('themes, remembered layout, shortcuts, sorting and time formats', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  await app.open('./#url=samples/intro-web.pcap');
  await app.waitForLoaded();
  await app.waitForRows();

  // Ctrl-/ focuses the filter; ? opens the help (not while typing).
  await page.locator('.packet-list .vlist').focus();
  await page.keyboard.press('Control+/');
  await expect(app.filter).toBeFocused();
  await page.locator('.packet-list .vlist').focus();
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await app.shot('1-help');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Ctrl-G goes to a frame.
  await page.keyboard.press('Control+g');
  const dialog = page.getByRole('dialog', { name: 'Go to frame' });
  await dialog.getByRole('textbox').fill('40');
  await dialog.getByRole('textbox').press('Enter');
  await expect(app.row(40)).toHaveAttribute('aria-selected', 'true');
  await expect(app.treeItem(/^Frame 40: /)).toBeVisible();

  // Sorting by length, descending on the second click.
  const length = page.getByRole('columnheader', { name: /Length/ });
  await length.getByRole('button').click();
  await expect(length).toHaveAttribute('aria-sort', 'ascending');
  await length.getByRole('button').click();
  await expect(length).toHaveAttribute('aria-sort', 'descending');
  await app.waitForRows(2);
  const firstLen = Number(await app.rows.first().locator('.pl-length').textContent());
  const secondLen = Number(await app.rows.nth(1).locator('.pl-length').textContent());
  expect(firstLen).toBeGreaterThanOrEqual(secondLen);
  await length.getByRole('button').click();
  await expect(length).toHaveAttribute('aria-sort', 'none');

  // Time formats.
  await page.getByLabel('Time format').selectOption('utc');
  await expect(app.row(40).locator('.pl-time')).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
  await page.getByLabel('Time format').selectOption('relative');
  await expect(app.row(40).locator('.pl-time')).toHaveText(/^\d+\.\d{6}$/);

  // Coloring toggles.
  const bg = () => app.row(39).evaluate((el) => getComputedStyle(el).backgroundColor);
  const colored = await bg();
  await page.getByLabel('Colors').uncheck();
  await expect.poll(bg).not.toBe(colored);
  await page.getByLabel('Colors').check();

  // Dark theme, a resized column and pane: all remembered after a reload.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const sep = page.getByRole('separator', { name: 'Resize the packet list' });
  await sep.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowUp');
  const listFraction = await sep.getAttribute('aria-valuenow');
  const resize = page.getByRole('separator', { name: 'Resize Source column' });
  const box = (await resize.boundingBox())!;
  await page.mouse.move(box.x + 3, box.y + 10);
  await page.mouse.down();
  await page.mouse.move(box.x + 83, box.y + 10, { steps: 4 });
  await page.mouse.up();
  const sourceWidth = await page.getByRole('columnheader', { name: /Source/ }).evaluate((el) => el.getBoundingClientRect().width);
  await app.selectFrame(9);
  await app.expand(/^Internet Protocol Version 4/);
  await app.shot('2-dark');
  await page.reload();
  await app.waitForLoaded();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('separator', { name: 'Resize the packet list' })).toHaveAttribute('aria-valuenow', listFraction!);
  expect(await page.getByRole('columnheader', { name: /Source/ }).evaluate((el) => el.getBoundingClientRect().width)).toBeCloseTo(sourceWidth, 0);
  // The reload restored the frame from the address too.
  await expect(app.row(9)).toHaveAttribute('aria-selected', 'true');
});

test('a tablet-sized window keeps every pane usable', async ({ page }, info) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  const app = new AppDriver(page, info);
  await app.open('./#url=samples/intro-web.pcap&frame=9');
  await app.waitForLoaded();
  await expect(app.tree).toBeVisible();
  await expect(page.locator('.hexgrid')).toBeVisible();
  const tree = (await app.tree.boundingBox())!;
  const hex = (await page.locator('.hexgrid').boundingBox())!;
  // Stacked, not squeezed side by side.
  expect(hex.y).toBeGreaterThan(tree.y + tree.height - 2);
  expect(hex.width).toBeGreaterThan(600);
  await app.shot('1-tablet');
});

test('reassembled data shows in its own tab of the bytes pane', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  await app.open('./#url=samples/ip-frag-overlap.pcap&frame=2');
  await app.waitForLoaded();
  const tabs = page.getByRole('tablist', { name: 'Data sources' });
  await expect(tabs.getByRole('tab')).toHaveCount(2);
  await tabs.getByRole('tab', { name: /Reassembled IPv4/ }).click();
  await expect(tabs.getByRole('tab', { name: /Reassembled IPv4/ })).toHaveAttribute('aria-selected', 'true');
  // A byte of the reassembled datagram selects the field it belongs to, in that data source.
  await page.locator('.hexbytes .hb[data-off="30"]').click();
  await expect(page.getByRole('treeitem', { selected: true })).toBeVisible();
  await expect(app.highlightedBytes.first()).toBeVisible();
  await app.shot('1-reassembled-tab');
});

test('the sample picker lists the bundled captures with their descriptions', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  await app.open('./');
  await app.waitForLoaded();
  await page.getByRole('button', { name: 'Samples…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sample captures' });
  await expect(dialog.getByRole('button', { name: /ARP scan/ })).toBeVisible();
  await expect(dialog).toContainText('who-has');
  await app.shot('1-samples');
  await dialog.getByRole('button', { name: /ARP scan/ }).click();
  await expect(page.locator('.tb-name')).toHaveText('arp-scan.pcap');
  await app.waitForLoaded();
  await expect(app.rows.first()).toContainText('ARP');
  expect(page.url()).toContain('url=samples%2Farp-scan.pcap');
});
