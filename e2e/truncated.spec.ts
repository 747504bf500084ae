// A truncated capture shows every readable frame and says what was wrong, and where.
import { test, expect } from '@playwright/test';
import { AppDriver } from './app-driver';

test('a truncated capture shows its readable frames and the warning', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  await app.open('./#url=samples/truncated.pcap');
  await app.waitForLoaded();
  await app.waitForRows();
  const { packets } = await app.readCounts();
  expect(packets).toBeGreaterThan(10);
  const warn = page.locator('.sb-warn');
  await expect(warn).toBeVisible();
  await expect(warn).toContainText('warning');
  await app.shot('1-frames-and-warning');
  await warn.click();
  await expect(page.getByTestId('capture-warnings')).toContainText(/byte/);
  await app.shot('2-warning-detail');
});
