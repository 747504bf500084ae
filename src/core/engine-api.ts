/**
 * The interface the workers expose through comlink (DESIGN.md §2), implemented over `CaptureSession`.
 *
 * One engine lives in each worker. It holds at most two sessions of one capture: a *preview* over the first
 * slice of the file (so the first rows show within milliseconds, whatever the file size) and the full
 * session. Requests use the full session once it is ready, the preview until then. Everything here is plain
 * TypeScript with no comlink import: the worker entry passes `transfer` so typed arrays are moved, not copied.
 */
import { BlobSource, MemorySource, type ByteSource } from './capture/byte-source';
import { CaptureError } from './capture/open-capture';
import type { CaptureWarning } from './capture/capture-types';
import { CaptureSession, type CaptureInfo, type ListRow, type TreeNode } from './session';
import { allFields, fieldById, type FieldInfo } from './dissect/field-registry';
import { registerProtocols } from './protocols/index';
import { warmUpFilterCompiler } from './filter/warm-up';
import { typeName } from './filter/values';
import { COLORING_RULES, SEVERITY_NAMES, type SeverityName } from './coloring-rules';
import { createFilterBackend, type CompiledFilter, type FilterBackend, type FilterCheck } from './engine-filter';
import type { Conversation, ConversationType } from './analysis/conversations';
import type { Endpoint } from './analysis/endpoints';
import type { FollowProto, FollowStream, FollowSummary } from './analysis/follow-stream';

export type { FilterCheck, FilterErrorInfo } from './engine-filter';
export { COLORING_RULES, SEVERITY_NAMES, type ColoringRule, type SeverityName } from './coloring-rules';

/** Which phase a load is in and how far it got. */
export interface LoadProgress {
  phase: 'reading' | 'dissecting';
  bytesRead: number;
  totalBytes: number;
  frames: number;
  /** While dissecting: the number of frames the first pass goes through. */
  totalFrames?: number;
}

export interface OpenResult {
  frames: number;
  /** True while only the preview slice is open (the full open follows). */
  partial: boolean;
  info: CaptureInfo;
  /** Time of frame 1, the reference of "seconds since start". */
  firstSecs: number;
  firstNsecs: number;
  /** For gzip captures: the inflated bytes, so other workers need not inflate again. */
  inflated?: Blob;
}


export interface RowData extends ListRow {
  tsSecs: number;
  tsNsecs: number;
  /** Index into COLORING_RULES of the first matching rule, -1 for none. */
  color: number;
  /** Highest expert severity in the frame, index into SEVERITY_NAMES. */
  severity: number;
  comment: boolean;
}

export interface DetailNode extends Omit<TreeNode, 'children'> {
  /** Expert items: their severity. */
  severity?: Exclude<SeverityName, ''>;
  /** The display filter that matches this item ("Apply as filter"). */
  filter: string;
  children?: DetailNode[];
}

export interface DataSource {
  name: string;
  bytes: Uint8Array;
}

export interface FrameDetail {
  frame: number;
  tree: DetailNode[];
  /** [0] is the frame; others are reassembled or decompressed data (tree nodes' `source` indexes this). */
  sources: DataSource[];
  /** Name and type of each field id in the tree, for the status bar. */
  fields: Record<string, { name: string; type: string }>;
}

export interface FieldCatalogEntry {
  id: string;
  name: string;
  type: string;
  description?: string;
}

export type SortColumn = 'number' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';

/** What the workers expose. Every method is safe to call while a load is under way. */
export interface Engine {
  /** Opens the first `bytes` of the capture (a quick preview while the full open runs). */
  preview(blob: Blob, name: string, bytes: number): Promise<OpenResult>;
  /** Opens the whole capture: index, then the first pass. Replaces any earlier capture. */
  open(blob: Blob, name: string, onProgress?: (p: LoadProgress) => void): Promise<OpenResult>;
  /** Stops reading: the frames read so far stay open, with a warning. */
  cancelOpen(): void;
  /**
   * Holds an open under way at its next read until each `pauseOpen` has had its `resumeOpen`: the pool
   * pauses helpers still opening while a filter runs on the others, which then need the cores.
   */
  pauseOpen(): void;
  resumeOpen(): void;
  /** Rows of the given frames (any order, any gaps). */
  rows(frames: Uint32Array, coloring: boolean): Promise<RowData[]>;
  /** The detail tree and bytes of one frame. */
  detail(frame: number): Promise<FrameDetail>;
  /** Compiles a display filter and reports whether it is valid, with the error's span and a hint. */
  checkFilter(text: string): FilterCheck;
  /** Frames first..last that pass the filter, as a bitset (bit k = frame first + k); `${field}` reads `referenceFrame`. */
  filter(text: string, first: number, last: number, referenceFrame?: number): Promise<Uint8Array>;
  /** The frames of `frames` (all when null) ordered by a column. */
  sortOrder(column: SortColumn, frames: Uint32Array | null, descending: boolean): Promise<Uint32Array>;
  /** Every field and protocol, for completion. */
  fieldCatalog(): FieldCatalogEntry[];
  /** Extra completion words from the filter language (functions, operators). */
  filterWords(): { word: string; description: string }[];
  info(): CaptureInfo | null;
  /** Drops the capture (memory released when the worker is terminated or reused). */
  close(): void;
  /** Conversations of a type (Statistics › Conversations) over the frames a display filter keeps ('' for all). */
  conversations(type: ConversationType, filter?: string): Promise<Conversation[]>;
  /** Endpoints of a type (Statistics › Endpoints), likewise. */
  endpoints(type: ConversationType, filter?: string): Promise<Endpoint[]>;
  /**
   * Follow Stream: the stream's summary and its chunks from `from` (default 0) until about `maxBytes` of data
   * (default 1 MiB); `next` is where the following page starts, null after the last chunk.
   */
  follow(proto: FollowProto, stream: number, options?: { from?: number; maxBytes?: number }): Promise<FollowPage>;
}

/** A page of a followed stream; chunk bytes are copies the caller owns (transferred from the worker). */
export interface FollowPage {
  summary: FollowSummary;
  chunks: { index: number; dir: 0 | 1; frame: number; gap: boolean; bytes: Uint8Array }[];
  next: number | null;
}

export interface EngineHooks {
  /** Marks a value's buffers for transfer (comlink.transfer in the worker); identity by default. */
  transfer?: <T>(value: T, transferables: Transferable[]) => T;
}

/** A capture error as it crosses the worker boundary: the name survives comlink's error serialisation. */
function captureError(message: string): Error {
  const e = new Error(message);
  e.name = 'CaptureError';
  return e;
}

export function createEngine(hooks: EngineHooks = {}): Engine {
  registerProtocols();
  // About 15 ms, once: the user's first filter then compiles as fast as the rest (see warm-up.ts).
  warmUpFilterCompiler();
  const transfer = hooks.transfer ?? (<T>(v: T) => v);
  const filters: FilterBackend = createFilterBackend();
  let full: CaptureSession | null = null;
  let preview: CaptureSession | null = null;
  let cancelled = false;
  let coloring: { filters: CompiledFilter[]; index: number[] } | null = null;
  let lastCompiled: { text: string; filter: CompiledFilter } | null = null;
  /** The last followed stream, so paging through it does not plan it again. */
  let followed: { session: CaptureSession; proto: FollowProto; stream: number; follow: FollowStream } | null = null;
  const compileOrThrow = (text: string): CompiledFilter | null => {
    if (text.trim() === '') return null;
    const c = filters.compile(text, true);
    if (!c.ok) throw new Error(c.error.message);
    return c.filter;
  };

  const session = (): CaptureSession => {
    const s = full ?? preview;
    if (!s) throw new Error('no capture is open');
    return s;
  };

  const result = (s: CaptureSession, partial: boolean, inflated?: Blob): OpenResult => {
    const idx = s.capture.index;
    return {
      frames: s.frameCount,
      partial,
      info: s.info(),
      firstSecs: idx.count ? idx.tsSec[0] : 0,
      firstNsecs: idx.count ? idx.tsNsec[0] : 0,
      inflated,
    };
  };

  /** Pauses asked for and not yet resumed; while there are any, an open waits before each read. */
  let pauses = 0;
  let resumed: Promise<void> | null = null;
  let resume: (() => void) | null = null;
  let opening = false;
  /** `src`, whose reads wait while an open is paused (reads after the open, for other work, never do). */
  const pausable = (src: ByteSource): ByteSource => ({
    name: src.name,
    size: src.size,
    async read(offset, length) {
      while (opening && resumed) await resumed;
      return src.read(offset, length);
    },
  });

  const openSource = async (src: ByteSource, onProgress?: (p: LoadProgress) => void): Promise<CaptureSession> => {
    let last = 0;
    try {
      return await CaptureSession.open(src, {
        // No view of the app shows conversations yet: the load does not pay for them (a third of the first
        // pass on the bench capture). Asked for, the session gathers every type in one walk and keeps them.
        conversations: false,
        // Every capture the app opens is dissected: its first pass runs as the file is read, not in a second read.
        firstPassWhileReading: true,
        onProgress: (p) => {
          const now = Date.now();
          if (onProgress && now - last > 80) {
            last = now;
            onProgress({ phase: 'reading', ...p });
          }
          return !cancelled;
        },
      });
    } catch (e) {
      if (e instanceof CaptureError) throw captureError(e.message);
      throw e;
    }
  };

  /** The coloring rules this build can evaluate (rules naming unknown protocols are left out), in order. */
  const compileColoring = (): { filters: CompiledFilter[]; index: number[] } => {
    if (!coloring) {
      coloring = { filters: [], index: [] };
      COLORING_RULES.forEach((r, i) => {
        const c = filters.compile(r.filter, true);
        if (c.ok) {
          coloring!.filters.push(c.filter);
          coloring!.index.push(i);
        }
      });
    }
    return coloring;
  };
  // Compile them while the worker is idle, not when the first rows are asked for.
  setTimeout(compileColoring, 0);

  return {
    async preview(blob, name, bytes) {
      const head = new Uint8Array(await blob.slice(0, bytes).arrayBuffer());
      const s = await openSource(MemorySource.of(name, head));
      await s.ensureFirstPass();
      preview = s;
      return result(s, true);
    },

    async open(blob, name, onProgress) {
      cancelled = false;
      full = null;
      opening = true;
      let s: CaptureSession;
      try {
        s = await openSource(pausable(new BlobSource(blob, name)), onProgress);
        let last = 0;
        const total = s.frameCount;
        await s.ensureFirstPass((frames) => {
          const now = Date.now();
          if (onProgress && now - last > 80) {
            last = now;
            onProgress({ phase: 'dissecting', bytesRead: s.capture.fileSize, totalBytes: s.capture.fileSize, frames: Math.min(frames, total), totalFrames: total });
          }
        });
      } finally {
        opening = false;
      }
      full = s;
      preview = null;
      let inflated: Blob | undefined;
      if (s.capture.compressed) inflated = await toBlob(s.capture.source);
      return result(s, false, inflated);
    },

    cancelOpen() {
      cancelled = true;
    },

    pauseOpen() {
      if (pauses++ === 0) resumed = new Promise((r) => (resume = r));
    },

    resumeOpen() {
      if (pauses === 0 || --pauses > 0) return;
      resumed = null;
      resume?.();
      resume = null;
    },

    async rows(frames, withColor) {
      const s = session();
      const out: RowData[] = [];
      const rules = withColor ? compileColoring() : null;
      const idx = s.capture.index;
      const sorted = Array.from(frames)
        .filter((n) => n >= 1 && n <= s.frameCount)
        .sort((a, b) => a - b);
      const byFrame = new Map<number, RowData>();
      for (const [first, last] of runs(sorted)) {
        await s.list(first, last, (row, pinfo) => {
          const i = row.number - 1;
          byFrame.set(row.number, {
            ...row,
            tsSecs: idx.tsSec[i],
            tsNsecs: idx.tsNsec[i],
            color: -1,
            severity: severityLevel(pinfo.expertSeverity),
            comment: (idx.flags[i] & 1) !== 0,
          });
        });
        if (rules) {
          // One dissection per frame tests every rule; the first matching rule wins.
          const bits = await s.filterEach(rules.filters, first, last);
          for (let n = first; n <= last; n++) {
            const k = n - first;
            const row = byFrame.get(n);
            if (!row) continue;
            for (let r = 0; r < bits.length; r++) {
              if (bits[r][k >> 3] & (1 << (k & 7))) {
                row.color = rules.index[r];
                break;
              }
            }
          }
        }
      }
      for (const n of frames) {
        const row = byFrame.get(n);
        if (row) out.push(row);
      }
      return out;
    },

    async detail(frame) {
      const s = session();
      const { tree, sources } = await s.detail(frame);
      const fields: FrameDetail['fields'] = {};
      const nodes = tree.map((n) => toDetailNode(n, fields));
      // Own copies, so their buffers can be moved to the main thread (the frame's may view a larger buffer).
      const own = sources.map((src) => ({ name: src.name, bytes: src.bytes.slice() }));
      return transfer({ frame, tree: nodes, sources: own, fields }, own.map((x) => x.bytes.buffer));
    },

    checkFilter(text) {
      return filters.check(text);
    },

    async filter(text, first, last, referenceFrame) {
      const s = session();
      // One compile per run of chunks: consecutive chunks of the same filter reuse it.
      if (!lastCompiled || lastCompiled.text !== text) {
        const c = filters.compile(text, true);
        if (!c.ok) throw new Error(c.error.message);
        lastCompiled = { text, filter: c.filter };
      }
      const bits = await filters.run(s, lastCompiled.filter, first, Math.min(last, s.frameCount), referenceFrame);
      return transfer(bits, [bits.buffer]);
    },

    async sortOrder(column, frames, descending) {
      const s = session();
      const idx = s.capture.index;
      const list = frames ? Uint32Array.from(frames) : Uint32Array.from({ length: s.frameCount }, (_, i) => i + 1);
      const dir = descending ? -1 : 1;
      let cmp: (a: number, b: number) => number;
      if (column === 'number') cmp = (a, b) => (a - b) * dir;
      else if (column === 'time') cmp = (a, b) => (idx.tsSec[a - 1] - idx.tsSec[b - 1] || idx.tsNsec[a - 1] - idx.tsNsec[b - 1] || a - b) * dir;
      else if (column === 'length') cmp = (a, b) => (idx.origLen[a - 1] - idx.origLen[b - 1] || a - b) * dir;
      else {
        // Text columns need every listed frame dissected once; the keys live only for this sort.
        const keys = new Map<number, string>();
        const sorted = Array.from(list).sort((a, b) => a - b);
        for (const [first, last] of runs(sorted)) await s.list(first, last, (row) => keys.set(row.number, row[column]));
        const collator = new Intl.Collator(undefined, { numeric: true });
        cmp = (a, b) => (collator.compare(keys.get(a)!, keys.get(b)!) || a - b) * dir;
      }
      list.sort(cmp);
      return transfer(list, [list.buffer]);
    },

    fieldCatalog() {
      return allFields()
        .filter((f) => !f.id.startsWith('_ws.') || f.id === '_ws.expert' || f.id.startsWith('_ws.malformed') || f.id.startsWith('_ws.expert.'))
        .map((f) => ({ id: f.id, name: f.name, type: f.type, description: f.description }));
    },

    filterWords() {
      return filters.words();
    },

    info() {
      return full?.info() ?? preview?.info() ?? null;
    },

    close() {
      full = null;
      preview = null;
      coloring = null;
      followed = null;
    },

    async conversations(type, filter = '') {
      return session().conversations(type, compileOrThrow(filter));
    },

    async endpoints(type, filter = '') {
      return session().endpoints(type, compileOrThrow(filter));
    },

    async follow(proto, stream, options = {}) {
      const s = session();
      // Pages of one stream share its plan: only the first page walks the stream's frames.
      if (!followed || followed.session !== s || followed.proto !== proto || followed.stream !== stream) {
        followed = { session: s, proto, stream, follow: await s.follow(proto, stream) };
      }
      const f = followed.follow;
      const from = Math.max(0, options.from ?? 0);
      const budget = options.maxBytes ?? 1 << 20;
      const chunks: FollowPage['chunks'] = [];
      let taken = 0;
      let next: number | null = null;
      await f.chunks((c) => {
        if (taken >= budget && chunks.length > 0) {
          next = c.index;
          return false;
        }
        chunks.push({ index: c.index, dir: c.dir, frame: c.frame, gap: c.gap, bytes: c.data.slice() });
        taken += c.data.length;
      }, from);
      return transfer({ summary: f.summary, chunks, next }, chunks.map((c) => c.bytes.buffer as ArrayBuffer));
    },
  };
}

/** Contiguous runs [first, last] of a sorted list of frame numbers. */
export function runs(sorted: ArrayLike<number>): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < sorted.length; i++) {
    const n = sorted[i];
    const lastRun = out[out.length - 1];
    if (lastRun && n === lastRun[1] + 1) lastRun[1] = n;
    else if (!lastRun || n > lastRun[1]) out.push([n, n]);
  }
  return out;
}

/** Wireshark's PI_* severity values → 1..5 (comment … error). */
export function severityLevel(pi: number): number {
  if (pi >= 0x00800000) return 5;
  if (pi >= 0x00600000) return 4;
  if (pi >= 0x00400000) return 3;
  if (pi >= 0x00200000) return 2;
  if (pi >= 0x00100000) return 1;
  return 0;
}

function toDetailNode(n: TreeNode, fields: FrameDetail['fields']): DetailNode {
  const info = fieldById(n.field);
  if (info && !(n.field in fields)) fields[n.field] = { name: info.name, type: typeName(info.type) };
  const out: DetailNode = { ...n, filter: filterFor(info, n), children: undefined };
  if (n.children) out.children = n.children.map((c) => toDetailNode(c, fields));
  else delete out.children;
  if (n.field === '_ws.expert') {
    const sev = n.children?.find((c) => c.field === '_ws.expert.severity')?.value;
    const level = sev ? severityLevel(Number(sev)) : 0;
    if (level > 0) out.severity = SEVERITY_NAMES[level] as DetailNode['severity'];
  }
  return out;
}

/** The display filter "Apply as filter" builds for a tree item. */
export function filterFor(f: FieldInfo | undefined, n: Pick<TreeNode, 'field' | 'value'>): string {
  if (!f || f.id === '_ws.text') return '';
  if (f.type === 'protocol' || f.type === 'none' || n.value === undefined || n.value === '') return f.id;
  const v = n.value;
  switch (f.type) {
    case 'string':
    case 'stringz':
    case 'absolute_time':
      return `${f.id} == ${quote(v)}`;
    case 'bytes':
      return `${f.id} == ${/^[0-9a-f]+$/i.test(v) && v.length % 2 === 0 ? v.replace(/(..)(?!$)/g, '$1:') : v}`;
    default:
      return `${f.id} == ${v}`;
  }
}

function quote(s: string): string {
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c).replace(/[\x00-\x1f\x7f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')) + '"';
}

/** The inflated bytes of a gzip capture as a Blob other workers can open (Blobs cross threads by reference). */
async function toBlob(src: ByteSource): Promise<Blob> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  const step = 8 << 20;
  for (let off = 0; off < src.size; off += step) parts.push((await src.read(off, step)).slice() as Uint8Array<ArrayBuffer>);
  return new Blob(parts);
}

export type { CaptureInfo, CaptureWarning, ListRow, TreeNode };
