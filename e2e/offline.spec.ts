// Offline once loaded: after a first visit, the app reloads with no network — from the site root and from a
// sub-path (GitHub Pages style) — boots its engine worker and opens bundled samples from the service
// worker's cache.
import { test, expect, type Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { AppDriver } from './app-driver';

const DIST = resolve('dist/web');
const SUB_PATH = '/fathom/app/';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** A static host serving the build under SUB_PATH only, as GitHub Pages serves a project site. */
function subPathServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === SUB_PATH.slice(0, -1)) {
      res.writeHead(301, { location: SUB_PATH }).end();
      return;
    }
    const rel = path.startsWith(SUB_PATH) ? normalize(path.slice(SUB_PATH.length) || 'index.html') : null;
    if (rel === null || rel.startsWith('..')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(DIST, rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

/** The journey: first visit, wait for the worker, go offline (and stop `stopServer`), reload, open a sample. */
async function offlineJourney(page: Page, app: AppDriver, appUrl: string, stopServer?: () => Promise<void>): Promise<void> {
  await app.open(appUrl);
  await app.waitForRows();
  const scope = await app.waitForServiceWorker();
  expect(scope).toBe(new URL('./', page.url()).href);
  await app.shot('1-online');

  await page.context().setOffline(true);
  await stopServer?.();
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  // The bundled sample opens by default: the entry chunk, the engine worker and the sample all came from the cache.
  await app.waitForLoaded();
  await app.waitForRows(3);
  await app.selectFrame(1);
  await expect(app.treeItem(/^Frame 1: /)).toBeVisible();
  await app.shot('2-offline-reloaded');

  // Another sample from the picker: its index and bytes are served by the worker too.
  await page.getByRole('button', { name: 'Samples…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sample captures' });
  const sample = page.waitForResponse((r) => r.url().endsWith('samples/arp-scan.pcap'));
  await dialog.getByRole('button', { name: /ARP scan/ }).click();
  expect((await sample).fromServiceWorker()).toBe(true);
  await expect(page.locator('.tb-name')).toHaveText('arp-scan.pcap');
  await app.waitForLoaded();
  await app.waitForRows(3);
  await expect(app.rows.first()).toContainText('ARP');
  await app.shot('3-offline-sample');
}

test('offline once loaded: the app reloads without network and opens a bundled sample', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  await offlineJourney(page, app, './');
});

test('offline from a sub-path: the worker is scoped to the sub-path and serves it with the host gone', async ({ page }, info) => {
  const { server, origin } = await subPathServer();
  const stop = () =>
    new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  try {
    const app = new AppDriver(page, info);
    await offlineJourney(page, app, origin + SUB_PATH, stop);
    // The worker is registered under the sub-path, not at the origin's root.
    const registrations = await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope));
    expect(registrations).toEqual([origin + SUB_PATH]);
  } finally {
    if (server.listening) await stop();
  }
});
