/**
 * The worker pool (main thread).
 *
 * Design — the simplest that keeps memory bounded:
 * - One *loader* worker opens the whole capture: the index, then the first pass, reporting progress. For
 *   files over 2 MiB another worker (booted ahead of need) opens a preview of the first 64 KiB at the same
 *   time and answers the list and the detail pane from it until the loader is done: the first rows show
 *   within milliseconds whatever the size, and they never wait for a worker busy with the first pass.
 * - Helper workers (navigator.hardwareConcurrency − 1 of them, at least 1, at most 3; the preview worker
 *   is the first) open the whole capture too, each from the same Blob. As many as there are cores to spare
 *   beside the loader and the main thread start right away (after the preview), so they are ready about
 *   when the loader is and a filter can use them all at once; the rest start when the loader is done (and
 *   all of them then for a gzip capture, whose inflated bytes the loader hands on). A Blob crosses
 *   to a worker by reference — structured cloning does not copy its bytes — so the capture's bytes exist
 *   once, in the browser's blob store; each worker holds its own frame index (~27 bytes a frame) and
 *   first-pass state, and reads frames by `Blob.slice`. Gzip captures are inflated once, by the loader, which hands the inflated Blob on.
 * - Second-pass work goes to the ready worker with the fewest requests in flight; a filter is cut into
 *   chunks of frames spread over every ready worker, and helpers still opening pause while it runs.
 * - Cancellation: a newer request of a kind (detail, filter, sort, filter check) supersedes the older: its
 *   result is dropped and an abandoned filter's unsent chunks are never sent, so it stops within a chunk.
 *   Opening another capture disposes of the pool: terminating the workers releases all their memory.
 * - Typed arrays (frame bytes, bitsets, sort orders) are transferred, never cloned. A filter's chunk bitsets
 *   become frame numbers as they arrive (see bitset.ts), so no main-thread task walks every frame.
 * - A spare worker is booted after each load so the next capture's preview starts warm.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { Engine, FilterCheck, LoadProgress, OpenResult } from '../core/engine-api';
import { Channel, SupersededError, type Token } from './channel';
import { chunkRanges, concatFrames, framesOfChunk } from './bitset';
import type { EngineClient, OpenEvent } from './types';

const PREVIEW_OVER = 2 << 20;
const PREVIEW_BYTES = 64 << 10;

interface Member {
  worker: Worker;
  engine: Remote<Engine>;
  ready: boolean;
  inflight: number;
}

export type WorkerFactory = () => Worker;

const newWorker = () => new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'fathom-engine' });

/**
 * A worker started ahead of need, with its modules loaded, so the next capture's first rows do not wait
 * for a worker to boot (tens of milliseconds). Made when a load finishes, taken by the next pool.
 */
let spare: Worker | null = null;

export function prewarmWorker(): void {
  if (!spare && typeof Worker !== 'undefined') spare = newWorker();
}

const defaultFactory: WorkerFactory = () => {
  const w = spare ?? newWorker();
  spare = null;
  return w;
};

export function poolSize(hardwareConcurrency: number | undefined): number {
  const cores = hardwareConcurrency && hardwareConcurrency > 0 ? hardwareConcurrency : 2;
  return 1 + Math.min(3, Math.max(1, cores - 1));
}

export class EnginePool implements EngineClient {
  private readonly members: Member[] = [];
  private disposed = false;
  private readonly detailChannel = new Channel();
  private readonly filterChannel = new Channel();
  private readonly sortChannel = new Channel();
  private readonly checkChannel = new Channel();
  private readonly size: number;
  private readonly cores: number;

  constructor(private readonly factory: WorkerFactory = defaultFactory) {
    this.cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2;
    this.size = poolSize(this.cores);
  }

  private spawn(helper = false): Member {
    const worker = helper && this.factory === defaultFactory ? newWorker() : this.factory();
    const m: Member = { worker, engine: wrap<Engine>(worker), ready: false, inflight: 0 };
    this.members.push(m);
    return m;
  }

  /** The worker that runs the full open (index + first pass); sorts go to it. */
  private loader: Member | null = null;

  private get primary(): Member {
    return this.loader ?? this.members[0] ?? this.spawn();
  }

  async open(blob: Blob, name: string, onEvent: (e: OpenEvent) => void): Promise<OpenResult> {
    // The first worker (booted ahead, when there is a spare) answers from a preview while a second one
    // reads the whole file: a worker busy with the first pass cannot answer between its windows.
    const first = this.spawn();
    let viewer: Member | null = null;
    let previewDone: Promise<unknown> = Promise.resolve();
    if (blob.size > PREVIEW_OVER) {
      this.loader = this.spawn(true);
      viewer = first;
      previewDone = first.engine.preview(blob, name, PREVIEW_BYTES).then(
        (result) => {
          if (result.frames > 0 && this.loader && !this.loader.ready && !this.disposed) {
            first.ready = true;
            onEvent({ kind: 'preview', result });
          }
        },
        // A slice may be unreadable where the whole is fine (one huge first block): the full open decides.
        () => undefined,
      );
    } else {
      this.loader = first;
    }
    const loader = this.loader;
    const spare = Math.min(this.size - 1, this.cores - 2);
    let loaded = false;
    const startEarly = async () => {
      if (spare <= 0 || this.disposed || (await isGzip(blob)) || loaded) return;
      this.startHelpers(blob, name, viewer, spare);
    };
    if (viewer) previewDone.then(startEarly, startEarly);
    else void startEarly();
    const result = await loader.engine.open(blob, name, proxy((progress: LoadProgress) => onEvent({ kind: 'progress', progress })));
    loaded = true;
    loader.ready = true;
    // The preview worker answered from the first 64 KiB only: it waits until its own full open is done.
    if (viewer && !this.fullyOpen.has(viewer)) viewer.ready = false;
    this.startHelpers(result.inflated ?? blob, name, viewer, this.size - 1);
    if (this.factory === defaultFactory) setTimeout(prewarmWorker, 2000);
    return result;
  }

  /** Helpers whose whole-capture open has finished. */
  private readonly fullyOpen = new Set<Member>();
  /** Helpers started so far for the current capture. */
  private helpersStarted = 0;

  /**
   * Opens the whole capture in helper workers (reusing the preview worker first), for parallel work, until
   * `upTo` helpers have been started.
   */
  private startHelpers(blob: Blob, name: string, reuse: Member | null, upTo: number): void {
    for (let i = this.helpersStarted + 1; i <= upTo; i++) {
      this.helpersStarted = i;
      const m = i === 1 && reuse ? reuse : this.spawn(true);
      m.engine.open(blob, name).then(
        () => {
          if (this.disposed) return;
          this.fullyOpen.add(m);
          m.ready = true;
        },
        () => {
          // A helper that cannot open leaves the work to the others.
          m.worker.terminate();
          this.members.splice(this.members.indexOf(m), 1);
        },
      );
    }
    if (reuse && this.size < 2) {
      reuse.worker.terminate();
      this.members.splice(this.members.indexOf(reuse), 1);
    }
  }

  cancelOpen(): void {
    // Helpers opening at the same time stop too, keeping what they read (the same first frames).
    for (const m of this.members) void m.engine.cancelOpen();
  }

  private pick(): Member {
    let best: Member | null = null;
    for (const m of this.members) if (m.ready && (!best || m.inflight < best.inflight)) best = m;
    return best ?? this.members[0] ?? this.primary;
  }

  private async call<T>(m: Member, f: (e: Remote<Engine>) => Promise<T>): Promise<T> {
    m.inflight++;
    try {
      return await f(m.engine);
    } finally {
      m.inflight--;
    }
  }

  rows(frames: Uint32Array, coloring: boolean) {
    return this.call(this.pick(), (e) => e.rows(frames, coloring));
  }

  detail(frame: number) {
    return this.detailChannel.run(() => this.call(this.pick(), (e) => e.detail(frame)));
  }

  checkFilter(text: string) {
    return this.checkChannel.run(() => this.call(this.pick(), (e) => e.checkFilter(text) as Promise<FilterCheck>));
  }

  async filter(text: string, frames: number, onProgress?: (done: number) => void, referenceFrame?: number): Promise<Uint32Array> {
    const token = this.filterChannel.begin();
    const ready = this.members.filter((m) => m.ready);
    const workers = ready.length ? ready : [this.primary];
    // Helpers still opening the capture wait while the filter runs: they would take the cores it needs (on
    // two cores, a helper's first pass beside a filter made the filter take 1.3–1.5 times as long).
    const paused = this.members.filter((m) => !m.ready && m !== this.loader && !workers.includes(m));
    for (const m of paused) void m.engine.pauseOpen();
    try {
      return await this.runFilter(token, workers, text, frames, onProgress, referenceFrame);
    } finally {
      for (const m of paused) void m.engine.resumeOpen();
    }
  }

  private async runFilter(
    token: Token,
    workers: Member[],
    text: string,
    frames: number,
    onProgress?: (done: number) => void,
    referenceFrame?: number,
  ): Promise<Uint32Array> {
    const size = Math.min(65536, Math.max(4096, Math.ceil(frames / (workers.length * 8))));
    const ranges = chunkRanges(frames, size);
    // Each chunk's passing frames, in chunk order; filled in as chunks arrive, in any order.
    const parts: Uint32Array[] = new Array<Uint32Array>(ranges.length);
    let nextChunk = 0;
    let done = 0;
    // Each worker takes the next chunk when it finishes one; a superseded run stops handing chunks out.
    const lane = async (m: Member) => {
      while (nextChunk < ranges.length) {
        if (!token.live()) return;
        const at = nextChunk++;
        const [first, last] = ranges[at];
        const chunk = await this.call(m, (e) => e.filter(text, first, last, referenceFrame));
        if (!token.live()) return;
        parts[at] = framesOfChunk(chunk, first, last);
        done += last - first + 1;
        onProgress?.(done);
      }
    };
    await Promise.all(workers.map(lane));
    if (!token.live()) throw new SupersededError();
    return concatFrames(parts);
  }

  sortOrder(column: Parameters<Engine['sortOrder']>[0], frames: Uint32Array | null, descending: boolean) {
    return this.sortChannel.run(() => this.call(this.primary, (e) => e.sortOrder(column, frames, descending)));
  }

  fieldCatalog() {
    return this.call(this.pick(), (e) => e.fieldCatalog());
  }

  filterWords() {
    return this.call(this.pick(), (e) => e.filterWords());
  }

  info() {
    return this.call(this.primary, (e) => e.info());
  }

  dispose(): void {
    this.disposed = true;
    this.detailChannel.cancel();
    this.filterChannel.cancel();
    this.sortChannel.cancel();
    this.checkChannel.cancel();
    for (const m of this.members) m.worker.terminate();
    this.members.length = 0;
  }
}

/** Whether the Blob holds a gzip stream (RFC 1952 §2.3.1: ID1 0x1f, ID2 0x8b). */
async function isGzip(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}
