import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../src/store/app-store';
import { loadPreferences } from '../../src/store/preferences';
import { fakeEngine, fakeFetch, memoryStorage, type FakeOptions } from './fakes';

const PCAP = new Uint8Array([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]);

function setup(opts: FakeOptions = {}, files: Parameters<typeof fakeFetch>[0] = { '/fathom/samples/a.pcap': { body: PCAP } }) {
  const engines: ReturnType<typeof fakeEngine>[] = [];
  const storage = memoryStorage();
  const store = createAppStore({
    createEngine: () => {
      const e = fakeEngine(opts);
      engines.push(e);
      return e;
    },
    fetchImpl: fakeFetch(files),
    baseUrl: () => 'http://app.example/fathom/',
    storage,
  });
  return { store, engines, storage };
}

describe('app store: loading', () => {
  it('opens a capture by relative URL and shows every frame', async () => {
    const { store } = setup();
    await store.getState().openUrl('samples/a.pcap', 'sample');
    const s = store.getState();
    expect(s.status).toBe('ready');
    expect(s.frameCount).toBe(10);
    expect(s.displayedCount).toBe(10);
    expect(s.displayed).toBeNull();
    expect(s.origin).toEqual({ kind: 'sample', name: 'a.pcap', url: 'samples/a.pcap' });
  });

  it('refuses javascript: and data: URLs without fetching', async () => {
    const { store, engines } = setup();
    await store.getState().openUrl('javascript:alert(1)');
    expect(store.getState().status).toBe('error');
    expect(store.getState().error?.detail).toMatch(/javascript: URL/);
    await store.getState().openUrl('data:text/plain,hi');
    expect(store.getState().error?.detail).toMatch(/data: URL/);
    expect(engines).toHaveLength(0);
  });

  it('says 404 when the server has no such file', async () => {
    const { store } = setup();
    await store.getState().openUrl('samples/missing.pcap');
    expect(store.getState().status).toBe('error');
    expect(store.getState().error?.title).toMatch(/404/);
  });

  it('reports a non-capture as such and releases the engine', async () => {
    const { store, engines } = setup({ failOpen: { name: 'CaptureError', message: 'x: not a capture file (no pcap or pcapng magic number at byte 0)' } });
    await store.getState().openFile(new Blob(['hello']), 'notes.txt');
    expect(store.getState().status).toBe('error');
    expect(store.getState().error?.title).toMatch(/not a capture/);
    expect(engines[0].disposed).toBe(true);
  });

  it('shows the preview rows while loading, then the whole capture', async () => {
    const seen: number[] = [];
    const { store } = setup({ preview: 4 });
    store.subscribe((s) => seen.push(s.frameCount));
    await store.getState().openFile(new Blob([PCAP]), 'big.pcap');
    expect(seen).toContain(4);
    expect(store.getState().frameCount).toBe(10);
    expect(store.getState().partial).toBe(false);
  });

  it('a new capture replaces the old one and disposes of its workers', async () => {
    const { store, engines } = setup();
    await store.getState().openFile(new Blob([PCAP]), 'one.pcap');
    store.getState().selectFrame(3);
    await store.getState().openFile(new Blob([PCAP]), 'two.pcap');
    expect(engines[0].disposed).toBe(true);
    expect(store.getState().selectedFrame).toBeNull();
    expect(store.getState().origin?.name).toBe('two.pcap');
  });

  it('restores a shared link: filter and frame applied once loaded', async () => {
    const { store } = setup();
    store.getState().restoreLink({ url: 'samples/a.pcap', filter: 'udp', frame: 6, view: 'properties' });
    expect(store.getState().view).toBe('properties');
    await store.getState().openUrl('samples/a.pcap', 'sample');
    const s = store.getState();
    expect(s.appliedFilter).toBe('udp');
    expect(s.displayedCount).toBe(5);
    expect(s.selectedFrame).toBe(6);
  });
});

describe('app store: filter, order, selection', () => {
  it('applies a filter as displayed frame numbers and remembers it', async () => {
    const { store } = setup();
    await store.getState().openUrl('samples/a.pcap');
    await store.getState().applyFilter('udp');
    const s = store.getState();
    expect(Array.from(s.displayed!)).toEqual([2, 4, 6, 8, 10]);
    expect(s.displayedCount).toBe(5);
    expect(s.recentFilters[0]).toBe('udp');
    expect(s.frameAt(1)).toBe(4);
    expect(s.indexOfFrame(6)).toBe(2);
    expect(s.indexOfFrame(5)).toBe(-1);
  });

  it('keeps an invalid filter from running and reports it', async () => {
    const { store, engines } = setup();
    await store.getState().openUrl('samples/a.pcap');
    await store.getState().applyFilter('bad');
    expect(store.getState().filterRun).toEqual({ status: 'error', message: 'bad is neither a field nor a protocol name.' });
    expect(engines[0].calls).not.toContain('filter bad');
    expect(store.getState().displayed).toBeNull();
  });

  it('drops the selection when the filter hides it, keeps it otherwise', async () => {
    const { store } = setup();
    await store.getState().openUrl('samples/a.pcap');
    store.getState().selectFrame(4);
    await store.getState().applyFilter('udp');
    expect(store.getState().selectedFrame).toBe(4);
    store.getState().selectFrame(3);
    await store.getState().applyFilter('');
    expect(store.getState().selectedFrame).toBe(3);
    await store.getState().applyFilter('udp');
    expect(store.getState().selectedFrame).toBeNull();
  });

  it('sorts ascending, descending, then back to capture order', async () => {
    const { store } = setup({ frames: 3 });
    await store.getState().openUrl('samples/a.pcap');
    await store.getState().setSort('length');
    expect(store.getState().sort).toEqual({ column: 'length', descending: false });
    await store.getState().setSort('length');
    expect(Array.from(store.getState().displayed!)).toEqual([3, 2, 1]);
    expect(store.getState().indexOfFrame(3)).toBe(0);
    await store.getState().setSort('length');
    expect(store.getState().sort).toBeNull();
    expect(store.getState().displayed).toBeNull();
  });

  it('remembers expansion by field and preferences in storage', async () => {
    const { store, storage } = setup();
    store.getState().setExpanded(['ip', 'tcp'], true);
    store.getState().setExpanded(['tcp'], false);
    expect(store.getState().expanded).toEqual({ ip: true });
    store.getState().setTheme('dark');
    store.getState().setPanes({ list: 0.3 });
    store.getState().setColumnWidth('info', 5);
    const prefs = loadPreferences(storage);
    expect(prefs.theme).toBe('dark');
    expect(prefs.panes.list).toBe(0.3);
    expect(prefs.columnWidths.info).toBe(24);
  });
});
