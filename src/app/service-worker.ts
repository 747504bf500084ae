/**
 * The service worker that makes the built app work offline once loaded. It is not part of the app bundle:
 * scripts/service-worker-plugin.ts bundles it into `sw.js` beside index.html, with the list of files the build
 * wrote and a version hashed from their contents.
 *
 * - install: download every listed file (bypassing the HTTP cache) into the cache of this version;
 * - activate: delete the caches of older versions, and take control of the open pages so the first visit
 *   is already offline-ready;
 * - fetch: a same-origin GET of a listed file is answered from the cache (network if it is missing); an
 *   in-scope navigation (`./`, `./?url=…`, `./index.html#…`) gets the cached index.html. Everything else —
 *   captures from other origins, unlisted files, POSTs, range requests — is left to the network untouched.
 *
 * Paths in the list are relative to the worker's scope, so the site works from any sub-path. A new deploy
 * changes the version; its worker waits until no page uses the old one (a page never mixes two versions'
 * chunks), then replaces the old cache.
 *
 * The DOM library has no service-worker types (they live in the WebWorker library, which conflicts with the
 * DOM one in a single program), so the few used here are declared below.
 */

export const CACHE_PREFIX = 'fathom-';

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(r: Response | Promise<Response>): void;
}
interface ServiceWorkerScope {
  readonly registration: { readonly scope: string };
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void;
}

/** The facts about a request that decide how it is answered. */
export interface RequestFacts {
  method: string;
  url: string;
  mode: string;
  /** Whether it asks for a byte range (a cached whole file would be the wrong answer). */
  range: boolean;
}

/**
 * The precached file that answers a request — a path relative to the scope — or null when the network
 * should. Query strings are ignored for listed files (a static site serves the same bytes for any query).
 */
export function cachedPathFor(req: RequestFacts, scope: string, precached: ReadonlySet<string>): string | null {
  if (req.method !== 'GET' || req.range) return null;
  let url: URL;
  let base: URL;
  try {
    url = new URL(req.url);
    base = new URL(scope);
  } catch {
    return null;
  }
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice(base.pathname.length));
  } catch {
    return null;
  }
  if (req.mode === 'navigate' && (path === '' || path === 'index.html')) return precached.has('index.html') ? 'index.html' : null;
  return precached.has(path) ? path : null;
}

/** A copy of a response that does not say it was redirected: browsers refuse redirected responses for navigations. */
async function unredirected(res: Response): Promise<Response> {
  if (!res.redirected) return res;
  return new Response(await res.blob(), { status: res.status, statusText: res.statusText, headers: res.headers });
}

async function precache(cacheName: string, urls: string[]): Promise<void> {
  const cache = await caches.open(cacheName);
  try {
    await Promise.all(
      urls.map(async (url) => {
        const res = await fetch(new Request(url, { cache: 'reload', credentials: 'same-origin' }));
        if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
        await cache.put(url, await unredirected(res));
      }),
    );
  } catch (e) {
    // A half-filled cache must not survive: the install fails and the next visit tries again.
    await caches.delete(cacheName);
    throw e;
  }
}

async function dropOldCaches(current: string): Promise<void> {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== current).map((n) => caches.delete(n)));
}

async function answer(cacheName: string, url: string, request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(url);
  return hit ?? fetch(request);
}

/** Installs the worker's handlers; `files` are paths relative to the scope, `version` names this build. */
export function startServiceWorker(files: readonly string[], version: string): void {
  const sw = self as unknown as ServiceWorkerScope;
  const scope = sw.registration.scope;
  const cacheName = `${CACHE_PREFIX}${version}`;
  const precached = new Set(files);
  const urlOf = (path: string) => new URL(path, scope).href;

  sw.addEventListener('install', (e) => e.waitUntil(precache(cacheName, files.map(urlOf))));
  sw.addEventListener('activate', (e) => e.waitUntil(dropOldCaches(cacheName).then(() => sw.clients.claim())));
  sw.addEventListener('fetch', (e) => {
    const r = e.request;
    const path = cachedPathFor({ method: r.method, url: r.url, mode: r.mode, range: r.headers.has('range') }, scope, precached);
    if (path !== null) e.respondWith(answer(cacheName, urlOf(path), r));
  });
}
