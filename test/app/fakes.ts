/** A fake engine client for store tests: a capture of `frames` frames where even frames are "udp". */
import type { EngineClient, OpenEvent, OpenResult, RowData, FilterCheck } from '../../src/engine-client/types';

export interface FakeOptions {
  frames?: number;
  failOpen?: { name: string; message: string };
  preview?: number;
}

export function fakeEngine(opts: FakeOptions = {}): EngineClient & { disposed: boolean; calls: string[] } {
  const frames = opts.frames ?? 10;
  const calls: string[] = [];
  const result = (n: number, partial: boolean): OpenResult => ({
    frames: n,
    partial,
    info: { name: 'x.pcap', format: 'pcap', compressed: false, linkTypes: [], packets: n, fileBytes: 100, dataBytes: 80, firstTime: 1, lastTime: 2, warnings: [] },
    firstSecs: 1000,
    firstNsecs: 0,
  });
  const engine = {
    disposed: false,
    calls,
    async open(_blob: Blob, _name: string, onEvent: (e: OpenEvent) => void) {
      calls.push('open');
      if (opts.failOpen) {
        const e = new Error(opts.failOpen.message);
        e.name = opts.failOpen.name;
        throw e;
      }
      if (opts.preview) onEvent({ kind: 'preview', result: result(opts.preview, true) });
      onEvent({ kind: 'progress', progress: { phase: 'reading', bytesRead: 50, totalBytes: 100, frames: 3 } });
      return result(frames, false);
    },
    cancelOpen() {
      calls.push('cancel');
    },
    async rows(list: Uint32Array): Promise<RowData[]> {
      return Array.from(list, (n) => ({ number: n, time: '', source: 'a', destination: 'b', protocol: n % 2 ? 'TCP' : 'UDP', length: 60 + n, info: `frame ${n}`, tsSecs: 1000 + n, tsNsecs: 0, color: -1, severity: 0, comment: false }));
    },
    async detail(frame: number) {
      return { frame, tree: [], sources: [{ name: 'Frame', bytes: new Uint8Array(4) }], fields: {} };
    },
    async checkFilter(text: string): Promise<FilterCheck> {
      calls.push(`check ${text}`);
      if (text === 'bad') return { valid: false, error: { start: 0, end: 3, message: 'bad is neither a field nor a protocol name.' } };
      return { valid: true, empty: text === '', warnings: [], fields: [] };
    },
    async filter(text: string, n: number) {
      calls.push(`filter ${text}`);
      const out: number[] = [];
      for (let f = 1; f <= n; f++) if (text === 'udp' ? f % 2 === 0 : true) out.push(f);
      return Uint32Array.from(out);
    },
    async sortOrder(column: string, list: Uint32Array | null, descending: boolean) {
      calls.push(`sort ${column} ${descending}`);
      const out = list ? Uint32Array.from(list) : Uint32Array.from({ length: frames }, (_, i) => i + 1);
      out.sort();
      if (descending) out.reverse();
      return out;
    },
    async fieldCatalog() {
      return [];
    },
    async filterWords() {
      return [];
    },
    async info() {
      return null;
    },
    dispose() {
      engine.disposed = true;
    },
  };
  return engine;
}

export function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k: string) => data.get(k) ?? null,
    key: (i: number) => [...data.keys()][i] ?? null,
    removeItem: (k: string) => void data.delete(k),
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

/** A fetch that serves `files` by path and answers 404 otherwise. */
export function fakeFetch(files: Record<string, { body: Uint8Array | string; type?: string; status?: number }>): typeof fetch {
  return (async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    const f = files[url.pathname];
    if (!f) return new Response('missing', { status: 404, statusText: 'Not Found' });
    return new Response(f.body as BodyInit, { status: f.status ?? 200, headers: { 'content-type': f.type ?? 'application/octet-stream' } });
  }) as typeof fetch;
}
