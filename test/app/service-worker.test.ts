import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { precacheList, SERVICE_WORKER_FILE, versionOf, writeServiceWorker } from '../../scripts/service-worker-plugin';
import { cachedPathFor, type RequestFacts } from '../../src/app/service-worker';
import { registerServiceWorker, SERVICE_WORKER_URL, type ServiceWorkerHost } from '../../src/app/register-service-worker';

const WORKER_MODULE = resolve('src/app/service-worker.ts');

/** A build output like Vite's: hashed chunks with source maps, the engine worker, index.html, public files. */
const OUTPUT: Record<string, string> = {
  'index.html': '<!doctype html><script type="module" src="./assets/index-AbC123.js"></script>',
  'assets/index-AbC123.js': 'console.log("app")',
  'assets/index-AbC123.js.map': '{}',
  'assets/index-Def456.css': 'body{}',
  'assets/engine.worker-Xyz789.js': 'self.onmessage=()=>{}',
  'assets/engine.worker-Xyz789.js.map': '{}',
  'samples/index.json': '[{"file":"intro-web.pcap"}]',
  'samples/intro-web.pcap': 'pcap bytes',
  'samples/office-mix.pcap.gz': 'gz bytes',
  'icons/fathom.svg': '<svg/>',
  '.DS_Store': 'junk',
};

describe('service worker plugin', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fathom-sw-'));
    for (const [path, text] of Object.entries(OUTPUT)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists everything deployed but source maps, dotfiles and itself, relative and sorted', () => {
    expect(precacheList(['sw.js', 'index.html', 'assets/a.js.map', 'assets/a.js', './samples/x.pcap', '.hidden', 'samples/.keep', '/etc/passwd', '../up.js'])).toEqual([
      'assets/a.js',
      'index.html',
      'samples/x.pcap',
    ]);
  });

  it('versions by paths and contents, not by listing order', () => {
    const a = { path: 'index.html', bytes: new TextEncoder().encode('a') };
    const b = { path: 'assets/x.js', bytes: new TextEncoder().encode('b') };
    expect(versionOf([a, b])).toBe(versionOf([b, a]));
    expect(versionOf([a, b])).not.toBe(versionOf([a, { ...b, bytes: new TextEncoder().encode('c') }]));
    expect(versionOf([a, b])).not.toBe(versionOf([a, { ...b, path: 'assets/y.js' }]));
    expect(versionOf([a])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('writes sw.js precaching index.html, the entry and worker chunks and the samples, by relative paths', async () => {
    const { files, version } = await writeServiceWorker(dir, WORKER_MODULE);
    expect(files).toEqual([
      'assets/engine.worker-Xyz789.js',
      'assets/index-AbC123.js',
      'assets/index-Def456.css',
      'icons/fathom.svg',
      'index.html',
      'samples/index.json',
      'samples/intro-web.pcap',
      'samples/office-mix.pcap.gz',
    ]);
    for (const f of files) expect(f).not.toMatch(/^(\/|\.\/|\.\.\/)|\\|\.map$/);
    const source = await readFile(join(dir, SERVICE_WORKER_FILE), 'utf8');
    expect(source).toContain(version);
    expect(source).toContain(JSON.stringify(files));
    expect(source).not.toMatch(/^\s*(import|export)\s/m);

    // A rebuild of the same output is the same worker; a changed byte is a new version.
    expect((await writeServiceWorker(dir, WORKER_MODULE)).version).toBe(version);
    await writeFile(join(dir, 'samples/intro-web.pcap'), 'other bytes');
    const next = await writeServiceWorker(dir, WORKER_MODULE);
    expect(next.version).not.toBe(version);
    expect(next.files).toEqual(files);
  });

  it('generates a classic script that precaches under its scope, answers from the cache and drops old caches', async () => {
    const { files, version } = await writeServiceWorker(dir, WORKER_MODULE);
    const source = await readFile(join(dir, SERVICE_WORKER_FILE), 'utf8');
    const scope = 'https://example.org/fathom/';
    const caches = new FakeCaches();
    await caches.open('fathom-old-version');
    await caches.open('someone-else');
    const fetch = vi.fn(async (req: Request | string) => new Response(`network ${typeof req === 'string' ? req : req.url}`));
    const listeners: Record<string, (e: unknown) => void> = {};
    const self = {
      registration: { scope },
      clients: { claim: vi.fn(async () => {}) },
      addEventListener: (type: string, fn: (e: unknown) => void) => (listeners[type] = fn),
    };
    runInNewContext(source, { self, caches, fetch, URL, Set, Promise, Request, Response, Error });
    expect(Object.keys(listeners).sort()).toEqual(['activate', 'fetch', 'install']);

    const lifecycle = async (type: string) => {
      let done: Promise<unknown> = Promise.resolve();
      listeners[type]({ waitUntil: (p: Promise<unknown>) => (done = p) });
      await done;
    };
    await lifecycle('install');
    expect(fetch).toHaveBeenCalledTimes(files.length);
    expect([...caches.named(`fathom-${version}`).keys()].sort()).toEqual(files.map((f) => scope + f).sort());
    await lifecycle('activate');
    expect(await caches.keys()).toEqual(['someone-else', `fathom-${version}`]);
    expect(self.clients.claim).toHaveBeenCalled();

    fetch.mockClear();
    const respond = async (url: string, init: { method?: string; mode?: string; range?: boolean } = {}) => {
      const answers: Promise<Response>[] = [];
      const headers = new Headers(init.range ? { range: 'bytes=0-9' } : {});
      listeners.fetch({ request: { url, method: init.method ?? 'GET', mode: init.mode ?? 'cors', headers }, respondWith: (r: Promise<Response>) => answers.push(r) });
      return answers.length ? (await answers[0]).text() : null;
    };
    expect(await respond(scope + 'samples/intro-web.pcap')).toBe(`network ${scope}samples/intro-web.pcap`);
    expect(await respond(scope + '?url=samples/intro-web.pcap', { mode: 'navigate' })).toBe(`network ${scope}index.html`);
    expect(fetch).not.toHaveBeenCalled(); // both came from the cache (filled by the install's fetches)
    expect(await respond(scope + 'assets/index-AbC123.js.map')).toBeNull();
    expect(await respond('https://example.org/samples/intro-web.pcap')).toBeNull();
    expect(await respond('https://captures.example.net/fathom/samples/intro-web.pcap')).toBeNull();
    expect(await respond(scope + 'samples/intro-web.pcap', { method: 'POST' })).toBeNull();
    expect(await respond(scope + 'samples/intro-web.pcap', { range: true })).toBeNull();
  });

  it('fails the install and leaves no half-filled cache when a file cannot be downloaded', async () => {
    await writeServiceWorker(dir, WORKER_MODULE);
    const source = await readFile(join(dir, SERVICE_WORKER_FILE), 'utf8');
    const caches = new FakeCaches();
    const fetch = async (req: Request) => new Response('x', { status: req.url.endsWith('.pcap') ? 404 : 200 });
    let install: (e: unknown) => void = () => {};
    const self = { registration: { scope: 'https://example.org/' }, clients: {}, addEventListener: (type: string, fn: (e: unknown) => void) => type === 'install' && (install = fn) };
    runInNewContext(source, { self, caches, fetch, URL, Set, Promise, Request, Response, Error });
    let done: Promise<unknown> = Promise.resolve();
    install({ waitUntil: (p: Promise<unknown>) => (done = p) });
    await expect(done).rejects.toThrow(/HTTP 404/);
    expect(await caches.keys()).toEqual([]);
  });
});

/** Enough of CacheStorage for the worker: named caches of responses keyed by URL. */
class FakeCaches {
  private readonly caches = new Map<string, Map<string, Response>>();
  named(name: string): Map<string, Response> {
    if (!this.caches.has(name)) this.caches.set(name, new Map());
    return this.caches.get(name)!;
  }
  async open(name: string) {
    const store = this.named(name);
    return {
      put: async (url: string, res: Response) => void store.set(url, res),
      match: async (url: string) => store.get(url)?.clone(),
    };
  }
  async keys() {
    return [...this.caches.keys()];
  }
  async delete(name: string) {
    return this.caches.delete(name);
  }
}

describe('service worker routing', () => {
  const scope = 'https://user.github.io/fathom/';
  const precached = new Set(['index.html', 'assets/index-AbC123.js', 'assets/engine.worker-Xyz789.js', 'samples/intro-web.pcap', 'samples/a b.pcap']);
  const get = (url: string, mode = 'cors'): RequestFacts => ({ method: 'GET', url, mode, range: false });

  it('answers listed same-origin files in scope from the cache, ignoring the query', () => {
    expect(cachedPathFor(get(scope + 'assets/index-AbC123.js'), scope, precached)).toBe('assets/index-AbC123.js');
    expect(cachedPathFor(get(scope + 'assets/engine.worker-Xyz789.js', 'same-origin'), scope, precached)).toBe('assets/engine.worker-Xyz789.js');
    expect(cachedPathFor(get(scope + 'samples/intro-web.pcap?x=1'), scope, precached)).toBe('samples/intro-web.pcap');
    expect(cachedPathFor(get(scope + 'samples/a%20b.pcap'), scope, precached)).toBe('samples/a b.pcap');
  });

  it('serves index.html for navigations to the app, whatever the query or fragment', () => {
    for (const url of [scope, scope + '?url=samples/intro-web.pcap', scope + 'index.html#url=x&frame=9', scope + '#frame=2']) {
      expect(cachedPathFor(get(url, 'navigate'), scope, precached)).toBe('index.html');
    }
    // Fetching the scope URL (not navigating) is not the app shell.
    expect(cachedPathFor(get(scope), scope, precached)).toBeNull();
    expect(cachedPathFor(get(scope + 'other/', 'navigate'), scope, precached)).toBeNull();
  });

  it('leaves everything else to the network', () => {
    expect(cachedPathFor(get('https://captures.example.net/fathom/samples/intro-web.pcap'), scope, precached)).toBeNull();
    expect(cachedPathFor(get('https://user.github.io/other/samples/intro-web.pcap'), scope, precached)).toBeNull();
    expect(cachedPathFor(get('https://user.github.io/fathomx/index.html', 'navigate'), scope, precached)).toBeNull();
    expect(cachedPathFor(get(scope + 'samples/unknown.pcap'), scope, precached)).toBeNull();
    expect(cachedPathFor({ ...get(scope + 'samples/intro-web.pcap'), method: 'HEAD' }, scope, precached)).toBeNull();
    expect(cachedPathFor({ ...get(scope + 'samples/intro-web.pcap'), range: true }, scope, precached)).toBeNull();
    expect(cachedPathFor(get(scope + 'samples/%E0%A4%A.pcap'), scope, precached)).toBeNull();
    expect(cachedPathFor(get('not a url'), scope, precached)).toBeNull();
  });
});

describe('service worker registration', () => {
  const hostWith = (navigator: object, readyState: DocumentReadyState = 'complete') => {
    const listeners: (() => void)[] = [];
    const host = {
      navigator: navigator as Navigator,
      document: { readyState },
      addEventListener: (_type: 'load', fn: () => void) => listeners.push(fn),
    } satisfies ServiceWorkerHost;
    return { host, load: () => listeners.forEach((fn) => fn()) };
  };

  it('registers ./sw.js with a relative scope once the page has loaded, in production only', () => {
    const register = vi.fn(() => Promise.resolve({}));
    const { host, load } = hostWith({ serviceWorker: { register } }, 'interactive');
    registerServiceWorker(host, false);
    load();
    expect(register).not.toHaveBeenCalled();

    registerServiceWorker(host, true);
    expect(register).not.toHaveBeenCalled();
    load();
    expect(register).toHaveBeenCalledWith(SERVICE_WORKER_URL, { scope: './' });
    expect(SERVICE_WORKER_URL).toBe('./sw.js');
  });

  it('never lets a missing or failing service worker break the app', async () => {
    expect(() => registerServiceWorker(hostWith({}).host, true)).not.toThrow();
    const throwing = {
      get serviceWorker(): never {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(() => registerServiceWorker(hostWith(throwing).host, true)).not.toThrow();
    const rejected = vi.fn(() => Promise.reject(new TypeError('file: is not supported')));
    registerServiceWorker(hostWith({ serviceWorker: { register: rejected } }).host, true);
    expect(rejected).toHaveBeenCalledOnce();
    await Promise.resolve();
    const synchronous = vi.fn(() => {
      throw new TypeError('no');
    });
    expect(() => registerServiceWorker(hostWith({ serviceWorker: { register: synchronous } }).host, true)).not.toThrow();
  });
});
