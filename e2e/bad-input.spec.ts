// Bad input never gives a blank page: a clear message for non-captures, empty captures, 404s, CORS refusals
// and javascript:/data: URLs; packet bytes full of HTML and script render as text.
import { test, expect } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { AppDriver, pcapOf, udpFrame } from './app-driver';

test('a file that is not a capture', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  await app.open('./');
  await app.waitForRows();
  await app.dropFile('notes.txt', new TextEncoder().encode('These are my notes, not a capture.\n'));
  await expect(app.loadError).toContainText('not a capture');
  await expect(app.loadError).toContainText('looks like text');
  await app.shot('1-not-a-capture');
});

test('a capture of 0 frames', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  await app.open('./');
  await app.waitForRows();
  await app.dropFile('empty.pcap', pcapOf([]));
  await expect(page.locator('.vlist-empty')).toContainText('no frames');
  await expect(app.counts).toContainText('Packets: 0');
  await app.shot('2-zero-frames');
});

test('a URL that 404s, and one that answers with a web page', async ({ page }, info) => {
  // A static host answers 404 for a missing file; `vite preview` falls back to index.html instead, which
  // the app must also refuse clearly.
  const server: Server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    res.end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const app = new AppDriver(page, info);
    await app.open(`./#url=${encodeURIComponent(`http://127.0.0.1:${port}/missing.pcap`)}`);
    await expect(app.loadError).toContainText('404');
    await expect(app.loadError).toContainText('not found');
    await app.shot('3-404');
    await app.open('./#url=samples/no-such-capture.pcap');
    await expect(app.loadError).toContainText('returned a web page, not a capture');
  } finally {
    server.close();
  }
});

test('javascript: and data: URLs are refused', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await app.open(`./?url=${encodeURIComponent('javascript:alert(1)')}`);
  await expect(app.loadError).toContainText('Refusing to open a javascript: URL');
  await app.shot('4-javascript-url');
  await app.open(`./#url=${encodeURIComponent('data:application/octet-stream;base64,1MOyoQ==')}`);
  await expect(app.loadError).toContainText('Refusing to open a data: URL');
  expect(dialogs).toBe(0);
});

test('a server that does not allow cross-origin reads (CORS)', async ({ page }, info) => {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.tcpdump.pcap' });
    res.end(Buffer.from(pcapOf([udpFrame(new Uint8Array(4))])));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const app = new AppDriver(page, info);
    await app.open(`./#url=${encodeURIComponent(`http://127.0.0.1:${port}/lab.pcap`)}`);
    await expect(app.loadError).toContainText('CORS');
    await app.shot('5-cors');
  } finally {
    server.close();
  }
});

test('payloads full of HTML and script are shown as text', async ({ page }, info) => {
  const app = new AppDriver(page, info);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await app.open('./');
  await app.waitForRows();
  const evil = '<img src=x onerror=alert(1)><script>alert(2)</script><b>bold</b>';
  await app.dropFile('evil.pcap', pcapOf([udpFrame(new TextEncoder().encode(evil))]));
  await app.waitForLoaded();
  await app.selectFrame(1);
  await app.expand(/^Data \(/);
  await expect(page.locator('.hexgrid')).toContainText('<img');
  // Nothing from the packet became markup.
  expect(await page.locator('.app img, .app script, .app b').count()).toBe(0);
  expect(dialogs).toBe(0);
  await app.shot('6-html-as-text');
});
