/**
 * The app's state (zustand): which capture is open and how far it loaded, the filter and the frames it
 * passes, the displayed order as frame numbers, the selection, and view preferences. Never trees, rows or
 * bytes: those are asked of the engine when a view needs them (`requestRows`, `requestDetail`) and live in
 * that view only. Actions that talk to the engine live here so features stay free of the worker layer.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CaptureInfo, EngineClient, FieldCatalogEntry, FilterCheck, FrameDetail, RowData, SortColumn } from '../engine-client/types';
import type { CaptureWarning } from '../core/capture/capture-types';
import { isSuperseded } from '../engine-client/channel';
import { checkCaptureUrl, type LinkState } from './url-state';
import { fetchCapture, FetchCaptureError, nameOfUrl } from './fetch-capture';
import { DEFAULT_PREFERENCES, rememberFilter, savePreferences, type Preferences, type Theme, type TimeFormat } from './preferences';

export type LoadStatus = 'idle' | 'fetching' | 'loading' | 'ready' | 'error';

export interface CaptureOrigin {
  kind: 'file' | 'url' | 'sample';
  name: string;
  /** The URL as given (kept relative when it was), for shared links. */
  url?: string;
}

export interface LoadProgressState {
  phase: 'download' | 'reading' | 'dissecting';
  bytes: number;
  total: number;
  frames: number;
  totalFrames?: number;
}

/** The tree item the user selected, as the status bar and the hex pane need it (no tree, just this item). */
export interface SelectedItem {
  path: string;
  field: string;
  name: string;
  type: string;
  label: string;
  value?: string;
  offset: number;
  length: number;
  source: number;
  filter: string;
}

export type FilterRun = { status: 'idle' } | { status: 'running'; done: number } | { status: 'error'; message: string };

export type ViewName = 'packets' | 'properties';
export type DialogName = 'help' | 'goto' | 'url' | 'samples';
export const VIEWS: readonly ViewName[] = ['packets', 'properties'];

export interface AppState extends Preferences {
  status: LoadStatus;
  origin: CaptureOrigin | null;
  progress: LoadProgressState | null;
  error: { title: string; detail: string } | null;
  warnings: CaptureWarning[];
  info: CaptureInfo | null;
  frameCount: number;
  /** Only the preview slice is open; the rest is loading. */
  partial: boolean;
  firstTime: { secs: number; nsecs: number };
  /** Bumped whenever listed rows may have changed (new capture, full open after the preview, coloring). */
  generation: number;

  filterText: string;
  appliedFilter: string;
  filterRun: FilterRun;
  /** The frames the applied filter passes, ascending (built by the engine client); null = no filter. */
  filtered: Uint32Array | null;
  sort: { column: SortColumn; descending: boolean } | null;
  /** Frame numbers in display order; null = every frame in capture order. */
  displayed: Uint32Array | null;
  displayedCount: number;

  selectedFrame: number | null;
  selectedItem: SelectedItem | null;
  /** Detail-tree subtrees open, by field id (like Wireshark, an open layer stays open from frame to frame). */
  expanded: Readonly<Record<string, true>>;
  view: ViewName;
  dialog: DialogName | null;
  notice: string | null;

  openFile(file: Blob, name?: string): Promise<void>;
  openUrl(raw: string, kind?: 'url' | 'sample'): Promise<void>;
  cancelLoad(): void;
  restoreLink(link: LinkState): void;

  setFilterText(text: string): void;
  applyFilter(text?: string): Promise<void>;
  clearFilter(): Promise<void>;
  setSort(column: SortColumn): Promise<void>;

  selectFrame(frame: number | null): void;
  selectItem(item: SelectedItem | null): void;
  /** The frame at a display index. */
  frameAt(index: number): number;
  /** The display index of a frame, or -1 when it is not displayed. */
  indexOfFrame(frame: number): number;

  setExpanded(fields: readonly string[], open: boolean): void;
  setView(view: ViewName): void;
  setDialog(dialog: DialogName | null): void;
  setTheme(theme: Theme): void;
  setTimeFormat(f: TimeFormat): void;
  setColoring(on: boolean): void;
  setPanes(p: Partial<Preferences['panes']>): void;
  setColumnWidth(column: string, width: number): void;
  notify(text: string | null): void;

  requestRows(frames: Uint32Array): Promise<RowData[]>;
  requestDetail(frame: number): Promise<FrameDetail>;
  checkFilter(text: string): Promise<FilterCheck | null>;
  fieldCatalog(): Promise<FieldCatalogEntry[]>;
  filterWords(): Promise<{ word: string; description: string }[]>;
}

export interface StoreDeps {
  createEngine: () => EngineClient;
  fetchImpl?: typeof fetch;
  /** The page address, to resolve relative capture URLs. */
  baseUrl: () => string;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  preferences?: Preferences;
}

export type AppStore = StoreApi<AppState>;

const PREF_KEYS: (keyof Preferences)[] = ['theme', 'timeFormat', 'coloring', 'panes', 'columnWidths', 'recentFilters'];

export function createAppStore(deps: StoreDeps): AppStore {
  let engine: EngineClient | null = null;
  let loadId = 0;
  let abort: AbortController | null = null;
  let pending: { filter?: string; frame?: number } = {};
  let catalog: Promise<FieldCatalogEntry[]> | null = null;
  let words: Promise<{ word: string; description: string }[]> | null = null;
  let orderId = 0;

  const store = createStore<AppState>()((set, get) => {
    const reset = (origin: CaptureOrigin | null, status: LoadStatus): void => {
      engine?.dispose();
      engine = null;
      catalog = null;
      words = null;
      abort?.abort();
      abort = null;
      set((s) => ({
        status,
        origin,
        progress: null,
        error: null,
        warnings: [],
        info: null,
        frameCount: 0,
        partial: false,
        firstTime: { secs: 0, nsecs: 0 },
        generation: s.generation + 1,
        filterRun: { status: 'idle' },
        filtered: null,
        displayed: null,
        displayedCount: 0,
        selectedFrame: null,
        selectedItem: null,
      }));
    };

    const fail = (id: number, title: string, detail: string): void => {
      if (id !== loadId) return;
      engine?.dispose();
      engine = null;
      set({ status: 'error', error: { title, detail }, progress: null, partial: false, frameCount: 0, displayed: null, displayedCount: 0 });
    };

    /** Rebuilds the displayed order from the filtered frames and the sort (no walk over every frame here). */
    const reorder = async (): Promise<void> => {
      const id = ++orderId;
      const { filtered, sort } = get();
      let displayed = filtered;
      if (sort && engine && !(sort.column === 'number' && !sort.descending)) {
        try {
          displayed = await engine.sortOrder(sort.column, filtered, sort.descending);
        } catch (e) {
          if (isSuperseded(e)) return;
          throw e;
        }
      }
      if (id !== orderId) return;
      const count = displayed ? displayed.length : get().frameCount;
      const sel = get().selectedFrame;
      const keep = sel !== null && (displayed === null || (filtered ? indexInOrder(filtered, sel) >= 0 : true));
      set({ displayed, displayedCount: count, ...(keep ? {} : { selectedFrame: null, selectedItem: null }) });
    };

    const startLoad = async (blob: Blob, origin: CaptureOrigin, id: number): Promise<void> => {
      mark('open');
      const client = deps.createEngine();
      engine = client;
      set({ status: 'loading', progress: { phase: 'reading', bytes: 0, total: blob.size, frames: 0 } });
      try {
        const result = await client.open(blob, origin.name, (ev) => {
          if (id !== loadId) return;
          if (ev.kind === 'progress') {
            const p = ev.progress;
            set({ progress: { phase: p.phase, bytes: p.bytesRead, total: p.totalBytes, frames: p.frames, totalFrames: p.totalFrames } });
          } else {
            mark('preview');
            const r = ev.result;
            set((s) => ({
              partial: true,
              frameCount: r.frames,
              displayedCount: r.frames,
              firstTime: { secs: r.firstSecs, nsecs: r.firstNsecs },
              generation: s.generation + 1,
            }));
          }
        });
        if (id !== loadId) return;
        mark('loaded');
        set((s) => ({
          status: 'ready',
          partial: false,
          progress: null,
          info: result.info,
          warnings: result.info.warnings,
          frameCount: result.frames,
          displayed: null,
          displayedCount: result.frames,
          firstTime: { secs: result.firstSecs, nsecs: result.firstNsecs },
          generation: s.generation + 1,
        }));
        const want = pending;
        pending = {};
        const filter = want.filter ?? get().appliedFilter;
        if (filter) await get().applyFilter(filter);
        if (id !== loadId) return;
        if (want.frame && want.frame <= result.frames) get().selectFrame(want.frame);
      } catch (e) {
        const err = e as Error;
        if (err.name === 'CaptureError') fail(id, 'This file is not a capture Fathom can read', err.message);
        else fail(id, 'The capture could not be opened', err.message || String(e));
      }
    };

    const setPrefs = (patch: Partial<Preferences>): void => {
      set(patch);
      const s = get();
      const prefs = Object.fromEntries(PREF_KEYS.map((k) => [k, s[k]])) as unknown as Preferences;
      savePreferences(deps.storage, prefs);
    };

    return {
      ...(deps.preferences ?? DEFAULT_PREFERENCES),
      status: 'idle',
      origin: null,
      progress: null,
      error: null,
      warnings: [],
      info: null,
      frameCount: 0,
      partial: false,
      firstTime: { secs: 0, nsecs: 0 },
      generation: 0,
      filterText: '',
      appliedFilter: '',
      filterRun: { status: 'idle' },
      filtered: null,
      sort: null,
      displayed: null,
      displayedCount: 0,
      selectedFrame: null,
      selectedItem: null,
      expanded: {},
      view: 'packets',
      dialog: null,
      notice: null,

      async openFile(file, name) {
        const id = ++loadId;
        const fileName = name ?? (file as File).name ?? 'capture';
        reset({ kind: 'file', name: fileName }, 'loading');
        if (file.size === 0) return fail(id, 'The file is empty', `${fileName} holds no bytes.`);
        await startLoad(file, { kind: 'file', name: fileName }, id);
      },

      async openUrl(raw, kind = 'url') {
        const id = ++loadId;
        const check = checkCaptureUrl(raw, deps.baseUrl());
        if (!check.ok) {
          reset({ kind, name: raw, url: raw }, 'error');
          return fail(id, 'This capture URL cannot be opened', check.message);
        }
        const origin: CaptureOrigin = { kind, name: nameOfUrl(check.url), url: raw.trim() };
        reset(origin, 'fetching');
        const ctl = new AbortController();
        abort = ctl;
        set({ progress: { phase: 'download', bytes: 0, total: 0, frames: 0 } });
        let blob: Blob;
        try {
          blob = await fetchCapture(check.url, {
            signal: ctl.signal,
            fetchImpl: deps.fetchImpl,
            pageOrigin: new URL(deps.baseUrl()).origin,
            onProgress: (p) => {
              if (id === loadId) set({ progress: { phase: 'download', bytes: p.bytes, total: p.total, frames: 0 } });
            },
          });
        } catch (e) {
          const err = e as Error;
          if (err.name === 'AbortError') {
            if (id === loadId) set({ status: 'idle', progress: null, origin: null });
            return;
          }
          if (e instanceof FetchCaptureError) return fail(id, e.title, e.message);
          return fail(id, 'The capture could not be downloaded', err.message);
        }
        if (id !== loadId) return;
        abort = null;
        await startLoad(blob, origin, id);
      },

      cancelLoad() {
        const s = get();
        if (s.status === 'fetching') {
          abort?.abort();
          loadId++;
          engine?.dispose();
          engine = null;
          set({ status: 'idle', progress: null, origin: null });
        } else if (s.status === 'loading') {
          engine?.cancelOpen();
        }
      },

      restoreLink(link) {
        pending = { filter: link.filter, frame: link.frame };
        if (link.filter !== undefined) set({ filterText: link.filter, appliedFilter: link.filter });
        if (link.view && (VIEWS as readonly string[]).includes(link.view)) set({ view: link.view as ViewName });
      },

      setFilterText(text) {
        set({ filterText: text });
      },

      async applyFilter(text) {
        const t = (text ?? get().filterText).trim();
        set({ filterText: t, appliedFilter: t });
        const s = get();
        if (!engine || s.status !== 'ready') {
          pending.filter = t;
          return;
        }
        if (t === '') {
          set({ filtered: null, filterRun: { status: 'idle' } });
          await reorder();
          return;
        }
        const client = engine;
        const check = await client.checkFilter(t).catch((e) => (isSuperseded(e) ? null : Promise.reject(e)));
        if (!check) return;
        if (!check.valid) {
          set({ filterRun: { status: 'error', message: check.error.message } });
          return;
        }
        set({ filterRun: { status: 'running', done: 0 }, recentFilters: rememberFilter(get().recentFilters, t) });
        setPrefs({});
        let lastReport = 0;
        try {
          const frames = await client.filter(t, s.frameCount, (done) => {
            const now = Date.now();
            if (now - lastReport > 60) {
              lastReport = now;
              set({ filterRun: { status: 'running', done } });
            }
          }, get().selectedFrame ?? undefined);
          if (client !== engine) return;
          set({ filtered: frames, filterRun: { status: 'idle' }, displayedCount: frames.length });
          await reorder();
        } catch (e) {
          if (isSuperseded(e)) return;
          set({ filterRun: { status: 'error', message: (e as Error).message } });
        }
      },

      async clearFilter() {
        set({ filterText: '' });
        await get().applyFilter('');
      },

      async setSort(column) {
        const cur = get().sort;
        let next: AppState['sort'];
        if (!cur || cur.column !== column) next = { column, descending: false };
        else if (!cur.descending) next = { column, descending: true };
        else next = null;
        set({ sort: next });
        if (get().status === 'ready') await reorder();
      },

      selectFrame(frame) {
        if (frame === get().selectedFrame) return;
        set({ selectedFrame: frame, selectedItem: null });
      },

      selectItem(item) {
        set({ selectedItem: item });
      },

      frameAt(index) {
        const d = get().displayed;
        return d ? d[index] : index + 1;
      },

      indexOfFrame(frame) {
        const { displayed, frameCount, sort } = get();
        if (!displayed) return frame >= 1 && frame <= frameCount ? frame - 1 : -1;
        // Capture order: binary search.
        if (!sort) return indexInOrder(displayed, frame);
        return displayed.indexOf(frame);
      },

      setView(view) {
        set({ view });
      },
      setDialog(dialog) {
        set({ dialog });
      },
      setExpanded(fields, open) {
        const next: Record<string, true> = { ...get().expanded };
        for (const f of fields) {
          if (open) next[f] = true;
          else delete next[f];
        }
        set({ expanded: next });
      },
      setTheme(theme) {
        setPrefs({ theme });
      },
      setTimeFormat(timeFormat) {
        setPrefs({ timeFormat });
      },
      setColoring(coloring) {
        setPrefs({ coloring });
      },
      setPanes(p) {
        setPrefs({ panes: { ...get().panes, ...p } });
      },
      setColumnWidth(column, width) {
        setPrefs({ columnWidths: { ...get().columnWidths, [column]: Math.round(Math.max(24, Math.min(4000, width))) } });
      },
      notify(text) {
        set({ notice: text });
      },

      requestRows(frames) {
        if (!engine) return Promise.resolve([]);
        return engine.rows(frames, get().coloring);
      },
      requestDetail(frame) {
        if (!engine) return Promise.reject(new Error('no capture is open'));
        return engine.detail(frame);
      },
      async checkFilter(text) {
        if (!engine) return null;
        try {
          return await engine.checkFilter(text);
        } catch (e) {
          if (isSuperseded(e)) return null;
          throw e;
        }
      },
      fieldCatalog() {
        if (!engine) return Promise.resolve([]);
        catalog ??= engine.fieldCatalog();
        return catalog;
      },
      filterWords() {
        if (!engine) return Promise.resolve([]);
        words ??= engine.filterWords();
        return words;
      },
    };
  });
  return store;
}

/** Marks the load's milestones on the page's performance timeline (read by the bench and the e2e journeys). */
function mark(name: string): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(`fathom:${name}`);
}

/** The index of a frame in an ascending list of frames, or -1 (binary search). */
function indexInOrder(frames: Uint32Array, frame: number): number {
  let lo = 0;
  let hi = frames.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (frames[mid] === frame) return mid;
    if (frames[mid] < frame) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
