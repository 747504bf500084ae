import { describe, expect, it } from 'vitest';
import { buildHash, checkCaptureUrl, parseLink } from '../../src/store/url-state';
import { fetchCapture, FetchCaptureError, nameOfUrl } from '../../src/store/fetch-capture';
import { loadPreferences, rememberFilter } from '../../src/store/preferences';
import { fakeFetch, memoryStorage } from './fakes';

describe('shared links', () => {
  it('round-trips capture URL, filter, frame and view', () => {
    const hash = buildHash({ url: 'samples/a b.pcap', filter: 'ip.addr == 10.0.0.1 && tcp', frame: 12, view: 'properties' });
    expect(hash).not.toContain('+');
    expect(parseLink(hash)).toEqual({ url: 'samples/a b.pcap', filter: 'ip.addr == 10.0.0.1 && tcp', frame: 12, view: 'properties' });
  });
  it('reads ?url= and ignores junk', () => {
    expect(parseLink('', '?url=x.pcap&frame=-3&view=<b>')).toEqual({ url: 'x.pcap' });
    expect(buildHash({ view: 'packets' })).toBe('');
  });
  it('accepts http(s) and relative URLs only', () => {
    const base = 'https://labs.example/course/fathom/';
    const ok = checkCaptureUrl('../caps/lab1.pcap', base);
    expect(ok.ok && ok.url.href).toBe('https://labs.example/course/caps/lab1.pcap');
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:,x', 'file:///etc/passwd', 'blob:https://x/1', 'https://u:p@x/a.pcap', '']) {
      expect(checkCaptureUrl(bad, base).ok).toBe(false);
    }
  });
});

describe('fetching a capture', () => {
  const url = new URL('http://site.example/caps/a.pcap');
  it('streams the bytes with progress', async () => {
    const seen: number[] = [];
    const blob = await fetchCapture(url, { fetchImpl: fakeFetch({ '/caps/a.pcap': { body: new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1]) } }), onProgress: (p) => seen.push(p.bytes) });
    expect(blob.size).toBe(4);
    expect(seen.at(-1)).toBe(4);
  });
  it('names a 404', async () => {
    await expect(fetchCapture(url, { fetchImpl: fakeFetch({}) })).rejects.toThrow(/HTTP 404/);
  });
  it('refuses an HTML page', async () => {
    const f = fakeFetch({ '/caps/a.pcap': { body: '<!doctype html><html></html>', type: 'text/html' } });
    await expect(fetchCapture(url, { fetchImpl: f })).rejects.toBeInstanceOf(FetchCaptureError);
  });
  it('tells a CORS refusal from a network failure', async () => {
    const cors = (async (_u: unknown, init?: RequestInit) => {
      if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(fetchCapture(url, { fetchImpl: cors, pageOrigin: 'http://app.example' })).rejects.toThrow(/Access-Control-Allow-Origin/);
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const e = await fetchCapture(url, { fetchImpl: down, pageOrigin: 'http://app.example' }).catch((x) => x);
    expect((e as FetchCaptureError).title).toMatch(/network error/);
  });
  it('names the file', () => {
    expect(nameOfUrl(new URL('https://x.example/a/lab%201.pcapng'))).toBe('lab 1.pcapng');
  });
});

describe('preferences', () => {
  it('ignores garbage in storage', () => {
    const s = memoryStorage();
    s.setItem('fathom.preferences', '{"theme":"pink","panes":{"list":5},"recentFilters":[1,"tcp"],"columnWidths":{"info":"x","time":90}}');
    const p = loadPreferences(s);
    expect(p.theme).toBe('light');
    expect(p.panes.list).toBe(0.5);
    expect(p.recentFilters).toEqual(['tcp']);
    expect(p.columnWidths).toEqual({ time: 90 });
    s.setItem('fathom.preferences', '{not json');
    expect(loadPreferences(s, true).theme).toBe('dark');
  });
  it('keeps recent filters unique, newest first', () => {
    expect(rememberFilter(['a', 'b', 'c'], ' b ')).toEqual(['b', 'a', 'c']);
    expect(rememberFilter(['a'], '')).toEqual(['a']);
  });
});
