/**
 * `npm run bench`: whole-process wall time and peak memory of the fathom CLI on the generated mixed capture,
 * beside tshark doing the same work (DESIGN.md §6). Every measurement is a separate child process; the
 * median of the runs is reported. Writes a table to stdout and bench/out/results.json.
 *
 *   npm run bench [-- --frames 100k] [--runs N] [--skip-tshark] [--regen] [--no-build] [--cli FILE]
 *
 * Peak RSS comes from GNU time (`/usr/bin/time -f %M`, the child's ru_maxrss) when it is installed, else from
 * polling /proc/<pid>/status VmHWM.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { ensureBulkStream, ensureCapture, parseCount, DEFAULT_SEED, OUT_DIR } from './generate';
import type { SessionOptions } from '../src/core/session';
import { FrameIndex } from '../src/core/capture/frame-index';

interface Options {
  frames: number;
  runs: number;
  skipTshark: boolean;
  regen: boolean;
  build: boolean;
  cli: string;
  seed: string;
}

interface Run {
  seconds: number;
  /** Peak resident set size in KiB (null when it could not be read). */
  rssKiB: number | null;
  status: number;
}

interface Measurement {
  id: string;
  /** Short form for the table. */
  label: string;
  tool: 'fathom' | 'tshark';
  command: string;
  runs: Run[];
  seconds: number | null;
  rssMiB: number | null;
  framesPerSecond: number | null;
  error?: string;
}

const TIME = '/usr/bin/time';
/** The issue's example filter, with the bench capture's own networks (its clients are in 192.168.0.0/16). */
const BENCH_FILTER = 'tcp.port == 443 && ip.src == 192.168.0.0/16';
/** Size of the stream the follow measurement reads (DESIGN.md: "following a 100 MB stream in < 1 s"). */
const FOLLOW_BYTES = 100 * 1000 * 1000;

/** Frames in a pcap, from its record headers (cheap: the bench only needs the count for frames/s). */
function framesIn(path: string): number {
  const r = spawnSync(process.execPath, ['bin/fathom.js', 'info', path], { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout).packets as number;
  } catch {
    return 0;
  }
}

function parseOptions(argv: string[]): Options {
  const o: Options = { frames: 1_000_000, runs: 0, skipTshark: false, regen: false, build: true, cli: 'bin/fathom.js', seed: DEFAULT_SEED };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--frames') o.frames = parseCount(value());
    else if (a === '--runs') o.runs = parseCount(value());
    else if (a === '--skip-tshark') o.skipTshark = true;
    else if (a === '--regen') o.regen = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--cli') {
      o.cli = value();
      o.build = false;
    } else if (a === '--seed') o.seed = value();
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown option ${a}`);
  }
  // Small captures take seconds: three runs give a median. A million frames: one run each.
  if (o.runs === 0) o.runs = o.frames <= 200_000 ? 3 : 1;
  return o;
}

function usage(problem?: string): never {
  if (problem) process.stderr.write(`bench: ${problem}\n`);
  process.stderr.write('usage: npm run bench -- [--frames N] [--runs N] [--skip-tshark] [--regen] [--no-build] [--cli FILE] [--seed S]\n');
  process.exit(problem ? 2 : 0);
}

function log(s: string): void {
  process.stderr.write(s + '\n');
}

function have(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

function firstLine(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.split('\n')[0].trim();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `argv` once with stdout to /dev/null (or captured), measuring wall time and peak RSS. */
async function measureOnce(argv: string[], gnuTime: boolean, captureStdout: boolean): Promise<Run & { stderr: string; stdout: string }> {
  const devNull = openSync('/dev/null', 'w');
  try {
    if (gnuTime) {
      const dir = mkdtempSync(join(tmpdir(), 'fathom-bench-'));
      const report = join(dir, 'time.txt');
      const t0 = performance.now();
      const r = spawnSync(TIME, ['-f', '%M', '-o', report, ...argv], {
        stdio: ['ignore', captureStdout ? 'pipe' : devNull, 'pipe'],
        maxBuffer: 256 << 20,
        encoding: 'utf8',
      });
      const seconds = (performance.now() - t0) / 1000;
      // GNU time writes "Command exited with non-zero status N" first when the command fails.
      const lines = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n') : [];
      rmSync(dir, { recursive: true, force: true });
      const kib = Number(lines[lines.length - 1]);
      return { seconds, rssKiB: Number.isFinite(kib) ? kib : null, status: r.status ?? 1, stderr: r.stderr ?? '', stdout: r.stdout ?? '' };
    }
    return await new Promise((resolveRun) => {
      const t0 = performance.now();
      const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', captureStdout ? 'pipe' : devNull, 'pipe'] });
      let stderr = '';
      let stdout = '';
      let hwm: number | null = null;
      child.stderr!.on('data', (d) => (stderr += d));
      child.stdout?.on('data', (d) => (stdout += d));
      const poll = setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) hwm = Math.max(hwm ?? 0, Number(m[1]));
        } catch {
          // the process is gone
        }
      }, 5);
      child.on('close', (code) => {
        clearInterval(poll);
        resolveRun({ seconds: (performance.now() - t0) / 1000, rssKiB: hwm, status: code ?? 1, stderr, stdout });
      });
    });
  } finally {
    closeSync(devNull);
  }
}

async function measure(
  id: string,
  label: string,
  tool: 'fathom' | 'tshark',
  argv: string[],
  o: Options,
  frames: number,
  gnuTime: boolean,
  check?: (stdout: string) => string | null,
): Promise<Measurement> {
  const m: Measurement = { id, label, tool, command: argv.map(shellWord).join(' '), runs: [], seconds: null, rssMiB: null, framesPerSecond: null };
  log(`  ${m.command}`);
  for (let i = 0; i < o.runs; i++) {
    const r = await measureOnce(argv, gnuTime, check !== undefined);
    m.runs.push({ seconds: round(r.seconds, 3), rssKiB: r.rssKiB, status: r.status });
    const problem = r.status !== 0 ? `exit ${r.status}: ${meaningfulStderr(r.stderr) || '(no message)'}` : check ? check(r.stdout) : null;
    if (problem) {
      m.error = problem;
      log(`    failed: ${problem}`);
      return m;
    }
    log(`    ${r.seconds.toFixed(2)} s, ${r.rssKiB === null ? '?' : (r.rssKiB / 1024).toFixed(1)} MiB`);
  }
  m.seconds = round(median(m.runs.map((r) => r.seconds)), 3);
  const rss = m.runs.map((r) => r.rssKiB).filter((x): x is number => x !== null);
  m.rssMiB = rss.length ? round(median(rss) / 1024, 1) : null;
  m.framesPerSecond = Math.round(frames / m.seconds);
  return m;
}

/** tshark warns about running as root on every start; that is not an error of the run. */
function meaningfulStderr(s: string): string {
  return s
    .split('\n')
    .filter((l) => l.trim() && !/^Running as user/.test(l))
    .slice(0, 3)
    .join(' | ');
}

function shellWord(s: string): string {
  return /^[\w./=:,@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/** What the in-process stage measurement reports (see measureStagesChild). */
interface Stages {
  frames: number;
  /** Reading the file into the frame index; then the first pass (stream state, conversations). */
  openSeconds: number;
  firstPassSeconds: number;
  /** Both in one read, as the web app opens a capture: the first pass (without conversation tables) run on each window as the index takes it in. */
  openWithFirstPassSeconds: number;
  /** Frames the first pass read through its plain-frame shortcut (analysis/plain-frames.ts). */
  plainFrames: number;
  /** Retained bytes per frame after both (heap + array buffers after GC, over the frame count). */
  bytesPerFrame: number;
  /** The packet list's lines for every frame, as `fathom list` writes them, on one core. */
  listSeconds: number;
  /** Young-generation collections during it (each after some MiB of allocation). */
  listMinorGcs: number;
  filter: string;
  filterSeconds: number;
  filterMatched: number;
  /** The first filter compiled in the process, before any warm-up (V8 still compiling the compiler), ms. */
  compileColdMs: number;
  /** The engine's warm-up (warm-up.ts), once per worker, ms. */
  compileWarmUpMs: number;
  /** After the warm-up, each filter of the differential suite (valid and invalid) compiled the first time, ms. */
  compileFilters: number;
  compileMedianMs: number;
  compileP99Ms: number;
  compileMaxMs: number;
  /** The slowest filter (a spike here is usually a GC or the other core's work; see compileOverOneMs). */
  compileSlowest: string;
  /** How many of the compiles took 1 ms or more. */
  compileOverOneMs: number;
  /** The largest of each filter's median over three compiles, and that filter. */
  compileMaxMedianMs: number;
  compileSlowestMedian: string;
  /** Conversations of every type, from the first pass's tables. */
  conversationsSeconds: number;
}

/** Counts V8's young-generation collections until `stop()` (whose entries arrive after a turn of the event loop). */
function countMinorGcs(): { stop(): Promise<number> } {
  let count = 0;
  const observer = new PerformanceObserver((entries) => {
    for (const e of entries.getEntries()) if ((e as { detail?: { kind?: number } }).detail?.kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) count++;
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    async stop() {
      await new Promise((resolve) => setTimeout(resolve, 10));
      observer.disconnect();
      return count;
    },
  };
}

/** Runs measureStagesChild in a child with --expose-gc (so the memory figure is after a full GC). */
function measureStages(path: string, filter: string): Stages | { error: string } {
  return runChild(['--measure-stages', path, filter]);
}

function runChild<T>(args: string[]): T | { error: string } {
  const r = spawnSync(process.execPath, ['--expose-gc', 'scripts/run-ts.mjs', 'bench/run.ts', ...args], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) return { error: meaningfulStderr(r.stderr) || `exit ${r.status}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
  } catch {
    return { error: `unreadable output: ${r.stdout.slice(0, 200)}` };
  }
}

/** Heap and array-buffer bytes in use after full collections (the child runs with --expose-gc). */
function retainedBytes(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Loads the library and registers the protocols (so a memory baseline taken after it counts neither). */
async function loadLibrary() {
  const { CaptureSession } = await import('../src/core/session');
  const { NodeFileSource } = await import('../src/cli/node-file-source');
  const { registerProtocols } = await import('../src/core/protocols/index');
  registerProtocols();
  return async (path: string, options: SessionOptions = {}) => CaptureSession.open(await NodeFileSource.open(path), options);
}

/** The child side of measureStages: each stage of the library on one core, timed in-process. */
async function measureStagesChild(path: string, filter: string): Promise<void> {
  const { compileFilter } = await import('../src/core/filter/index');
  const { warmUpFilterCompiler } = await import('../src/core/filter/warm-up');
  const { VALID: VALID_FILTERS, INVALID: INVALID_FILTERS } = await import('../test/corpus/filter-cases');
  const { CONVERSATION_TYPES } = await import('../src/core/analysis/conversations');
  const openChildSession = await loadLibrary();
  const before = retainedBytes();
  const t0 = performance.now();
  const session = await openChildSession(path);
  const t1 = performance.now();
  await session.ensureFirstPass();
  const t2 = performance.now();
  const bytesPerFrame = (retainedBytes() - before) / session.frameCount;

  const c0 = performance.now();
  const compiled = compileFilter(filter);
  const compileColdMs = performance.now() - c0;
  const compileWarmUpMs = warmUpFilterCompiler();
  // Three rounds over the differential suite's filters (valid and invalid): the first is each filter's first
  // compile; a filter's median over the rounds discounts pauses that are not the compiler's (GC, the VM).
  const suite = [...VALID_FILTERS, ...INVALID_FILTERS];
  const rounds = suite.map(() => [] as number[]);
  for (let r = 0; r < 3; r++) {
    suite.forEach((text, i) => {
      const a = performance.now();
      try {
        compileFilter(text);
      } catch {
        // Invalid filters (and those on fields of protocols Fathom does not have yet) time their error path.
      }
      rounds[i].push(performance.now() - a);
    });
  }
  const compiles = suite.map((text, i) => ({ text, ms: rounds[i][0] })).sort((a, b) => a.ms - b.ms);
  const medians = suite.map((text, i) => ({ text, ms: [...rounds[i]].sort((a, b) => a - b)[1] })).sort((a, b) => a.ms - b.ms);

  // The packet list as `fathom list` writes it, into a buffer emptied whenever it fills; young-generation
  // collections meanwhile tell how much it allocates.
  const lines = {
    buf: new Uint8Array(1 << 20),
    used: 0,
    room(bytes: number) {
      if (this.used + bytes > this.buf.length) this.used = 0;
    },
  };
  const scavenges = countMinorGcs();
  const t3 = performance.now();
  await session.listLines(1, session.frameCount, lines);
  const t4 = performance.now();
  const listMinorGcs = await scavenges.stop();
  const bits = await session.filter(compiled, 1, session.frameCount);
  const t5 = performance.now();
  let matched = 0;
  for (const b of bits) for (let x = b; x; x &= x - 1) matched++;
  const t6 = performance.now();
  for (const type of CONVERSATION_TYPES) await session.conversations(type);
  const t7 = performance.now();
  // Index and first pass in one read of the file, as the web app runs them (no conversation tables).
  const t7b = performance.now();
  await openChildSession(path, { firstPassWhileReading: true, conversations: false });
  const t8 = performance.now();
  const stages: Stages = {
    frames: session.frameCount,
    openSeconds: round((t1 - t0) / 1000, 3),
    firstPassSeconds: round((t2 - t1) / 1000, 3),
    openWithFirstPassSeconds: round((t8 - t7b) / 1000, 3),
    plainFrames: session.plainFrameCount,
    bytesPerFrame: round(bytesPerFrame, 1),
    listSeconds: round((t4 - t3) / 1000, 3),
    listMinorGcs,
    filter,
    filterSeconds: round((t5 - t4) / 1000, 3),
    filterMatched: matched,
    compileColdMs: round(compileColdMs, 3),
    compileWarmUpMs: round(compileWarmUpMs, 1),
    compileFilters: compiles.length,
    compileMedianMs: round(compiles[compiles.length >> 1].ms, 3),
    compileP99Ms: round(compiles[Math.floor(compiles.length * 0.99)].ms, 3),
    compileMaxMs: round(compiles[compiles.length - 1].ms, 3),
    compileSlowest: compiles[compiles.length - 1].text,
    compileOverOneMs: compiles.filter((c) => c.ms >= 1).length,
    compileMaxMedianMs: round(medians[medians.length - 1].ms, 3),
    compileSlowestMedian: medians[medians.length - 1].text,
    conversationsSeconds: round((t7 - t6) / 1000, 3),
  };
  process.stdout.write(JSON.stringify(stages) + '\n');
}

interface PoolStage {
  workers: number;
  /** Each worker's open and first pass, all at once (each worker holds its own session, as in the web app). */
  openAndFirstPassSeconds: number;
  /**
   * The filter over every frame, in chunks handed to whichever worker is free (the web pool's way): the first
   * time (the workers' filter code still cold, as for the first filter after a load)…
   */
  filterSeconds: number;
  /** …and the median of the next POOL_WARM_ROUNDS times (as for the filters that follow). */
  warmFilterSeconds: number;
  matched: number;
}

const POOL_WARM_ROUNDS = 3;

/** Frames per chunk of a pool filter (the web pool's largest chunk). */
const POOL_CHUNK = 65536;

/**
 * The child side of the pool measurement: `workers` worker threads each open `path` and run its first pass,
 * then the filter runs over the capture in chunks, each taken by the next free worker, as the web app's
 * pool does it; timed from the first chunk handed out to the last result, the first time and POOL_WARM_ROUNDS
 * times more.
 */
async function measurePoolChild(path: string, filter: string, workers: number): Promise<void> {
  const t0 = performance.now();
  const pool = Array.from({ length: workers }, () => new Worker(new URL(import.meta.url), { workerData: { path, filter } }));
  const frames = await Promise.all(pool.map((w) => new Promise<number>((ok, fail) => {
    w.once('message', (m: { frames: number }) => ok(m.frames));
    w.once('error', fail);
  })));
  const t1 = performance.now();
  const count = frames[0];
  /** One filter over every frame: returns its time in seconds and how many frames matched. */
  const filterOnce = async (): Promise<{ seconds: number; matched: number }> => {
    const start = performance.now();
    let next = 1;
    let matched = 0;
    await Promise.all(pool.map(async (w) => {
      while (next <= count) {
        const first = next;
        const last = Math.min(count, first + POOL_CHUNK - 1);
        next = last + 1;
        const inChunk = await new Promise<number>((ok) => {
          w.once('message', (m: { matched: number }) => ok(m.matched));
          w.postMessage({ first, last });
        });
        matched += inChunk;
      }
    }));
    return { seconds: (performance.now() - start) / 1000, matched };
  };
  const cold = await filterOnce();
  const warm: number[] = [];
  for (let round = 0; round < POOL_WARM_ROUNDS; round++) warm.push((await filterOnce()).seconds);
  warm.sort((a, b) => a - b);
  const matched = cold.matched;
  for (const w of pool) await w.terminate();
  const r: PoolStage = { workers, openAndFirstPassSeconds: round((t1 - t0) / 1000, 3), filterSeconds: round(cold.seconds, 3), warmFilterSeconds: round(warm[warm.length >> 1], 3), matched };
  process.stdout.write(JSON.stringify(r) + '\n');
}

/** A pool worker: opens the capture, runs the first pass, then answers filter chunks with their match counts. */
async function poolWorker(): Promise<void> {
  const { path, filter } = workerData as { path: string; filter: string };
  const { compileFilter } = await import('../src/core/filter/index');
  // Opened as the web app's engine opens a capture.
  const session = await (await loadLibrary())(path, { firstPassWhileReading: true, conversations: false });
  await session.ensureFirstPass();
  const compiled = compileFilter(filter);
  const port = parentPort!;
  port.on('message', async ({ first, last }: { first: number; last: number }) => {
    const bits = await session.filter(compiled, first, last);
    let matched = 0;
    for (const b of bits) for (let x = b; x; x &= x - 1) matched++;
    port.postMessage({ matched });
  });
  port.postMessage({ frames: session.frameCount });
}

/**
 * The child side of the web-app memory measurement: bytes a frame retained by a session opened as the web
 * app's engine opens one (first pass while reading, no conversation tables), in a process of its own so no
 * other session's state is in the heap.
 */
async function measureWebMemoryChild(path: string): Promise<void> {
  const openChildSession = await loadLibrary();
  const before = retainedBytes();
  const session = await openChildSession(path, { firstPassWhileReading: true, conversations: false });
  const bytesPerFrame = round((retainedBytes() - before) / session.frameCount, 1);
  process.stdout.write(JSON.stringify({ bytesPerFrame }) + '\n');
}

interface FollowStage {
  frames: number;
  streamBytes: number;
  openAndFirstPassSeconds: number;
  /** Planning the stream and reading every chunk of it (the bytes a Follow Stream window shows). */
  followSeconds: number;
}

/** The child side of the follow measurement: tcp stream 0 of `path`, every chunk read. */
async function measureFollowChild(path: string): Promise<void> {
  const openChildSession = await loadLibrary();
  const t0 = performance.now();
  const session = await openChildSession(path);
  await session.ensureFirstPass();
  const t1 = performance.now();
  const stream = await session.follow('tcp', 0);
  let bytes = 0;
  await stream.chunks((c) => {
    bytes += c.data.length;
  });
  const t2 = performance.now();
  const r: FollowStage = { frames: session.frameCount, streamBytes: bytes, openAndFirstPassSeconds: round((t1 - t0) / 1000, 3), followSeconds: round((t2 - t1) / 1000, 3) };
  process.stdout.write(JSON.stringify(r) + '\n');
}

function fmtInt(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en-US');
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--measure-stages') return measureStagesChild(argv[1], argv[2]);
  if (argv[0] === '--measure-pool') return measurePoolChild(argv[1], argv[2], Number(argv[3]));
  if (argv[0] === '--measure-follow') return measureFollowChild(argv[1]);
  if (argv[0] === '--measure-web-memory') return measureWebMemoryChild(argv[1]);
  const o = parseOptions(argv);
  const startLoad = loadavg();
  const cap = ensureCapture(o.frames, { seed: o.seed, regen: o.regen, log });
  const small = ensureCapture(1000, { seed: o.seed, log });
  const rel = relative(process.cwd(), cap.path);
  const bytes = statSync(cap.path).size;

  if (o.build) {
    log('building the CLI (scripts/build-cli.mjs) …');
    const b = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
    if (b.status !== 0) log('bench: the CLI build failed; measuring the existing bundle if there is one');
  }
  const cli = resolve(o.cli);
  const gnuTime = have(TIME, ['-f', '%M', 'true']);
  const tsharkVersion = o.skipTshark ? null : firstLine('tshark', ['-v']);
  const withTshark = tsharkVersion !== null;
  const withCapinfos = withTshark && have('capinfos', ['-h']);
  log(`capture ${rel}: ${fmtInt(o.frames)} frames, ${(bytes / 1e6).toFixed(1)} MB; ${o.runs} run(s) each; peak RSS from ${gnuTime ? 'GNU time' : '/proc VmHWM polling'}`);
  if (!o.skipTshark && !withTshark) log('tshark is not installed: measuring fathom only');

  const node = process.execPath;
  const infoCheck = (stdout: string) => {
    try {
      const packets = JSON.parse(stdout).packets;
      return packets === o.frames ? null : `info reports ${packets} packets, expected ${o.frames}`;
    } catch {
      return 'info did not print JSON';
    }
  };
  const results: Measurement[] = [];
  const bulk = ensureBulkStream(FOLLOW_BYTES, { seed: o.seed, log });
  const bulkFrames = framesIn(bulk.path);
  log('fathom:');
  const fieldArgs = ['-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.srcport'];
  results.push(await measure('fathom.info', 'fathom info F', 'fathom', [node, cli, 'info', cap.path], o, o.frames, gnuTime, infoCheck));
  results.push(await measure('fathom.list', 'fathom list F', 'fathom', [node, cli, 'list', cap.path], o, o.frames, gnuTime));
  results.push(await measure('fathom.fields', 'fathom fields F -e …', 'fathom', [node, cli, 'fields', cap.path, ...fieldArgs], o, o.frames, gnuTime));
  results.push(await measure('fathom.filter', 'fathom list F -Y FILTER', 'fathom', [node, cli, 'list', cap.path, '-Y', BENCH_FILTER], o, o.frames, gnuTime));
  results.push(await measure('fathom.conv', 'fathom conv F --type tcp', 'fathom', [node, cli, 'conv', cap.path, '--type', 'tcp'], o, o.frames, gnuTime));
  results.push(await measure('fathom.follow', 'fathom follow B --stream 0 --format raw', 'fathom', [node, cli, 'follow', bulk.path, '--proto', 'tcp', '--stream', '0', '--format', 'raw'], o, bulkFrames, gnuTime));
  const baseline = await measure('fathom.info.1k', 'fathom info (1k frames)', 'fathom', [node, cli, 'info', small.path], { ...o, runs: 1 }, 1000, gnuTime);
  if (withTshark) {
    log('tshark:');
    if (withCapinfos) results.push(await measure('capinfos', 'capinfos F', 'tshark', ['capinfos', cap.path], o, o.frames, gnuTime));
    results.push(await measure('tshark.list', 'tshark -r F -n', 'tshark', ['tshark', '-r', cap.path, '-n'], o, o.frames, gnuTime));
    results.push(await measure('tshark.fields', 'tshark -r F -n -T fields -e …', 'tshark', ['tshark', '-r', cap.path, '-n', '-T', 'fields', ...fieldArgs], o, o.frames, gnuTime));
    results.push(await measure('tshark.filter', 'tshark -r F -n -Y FILTER', 'tshark', ['tshark', '-r', cap.path, '-n', '-Y', BENCH_FILTER], o, o.frames, gnuTime));
    results.push(await measure('tshark.conv', 'tshark -r F -n -q -z conv,tcp', 'tshark', ['tshark', '-r', cap.path, '-n', '-q', '-z', 'conv,tcp'], o, o.frames, gnuTime));
    results.push(await measure('tshark.follow', 'tshark -r B -q -z follow,tcp,raw,0', 'tshark', ['tshark', '-r', bulk.path, '-n', '-q', '-z', 'follow,tcp,raw,0'], o, bulkFrames, gnuTime));
  }
  log('stages of the library on one core (in-process):');
  const index = measureStages(cap.path, BENCH_FILTER);
  log(`  ${JSON.stringify(index)}`);
  const webMemoryStage = runChild<{ bytesPerFrame: number }>(['--measure-web-memory', cap.path]);
  const webMemory = 'bytesPerFrame' in webMemoryStage ? webMemoryStage.bytesPerFrame : webMemoryStage;
  log(`  a session as the web app opens one: ${JSON.stringify(webMemoryStage)}`);
  // As many workers as the web app's pool has on this machine (engine-client/pool.ts poolSize).
  const poolWorkers = 1 + Math.min(3, Math.max(1, cpus().length - 1));
  log(`the filter with a pool of ${poolWorkers} worker threads:`);
  const poolStage = runChild<PoolStage>(['--measure-pool', cap.path, BENCH_FILTER, String(poolWorkers)]);
  log(`  ${JSON.stringify(poolStage)}`);
  const followStage = runChild<FollowStage>(['--measure-follow', bulk.path]);
  log(`  follow: ${JSON.stringify(followStage)}`);

  const byId = new Map(results.map((m) => [m.id, m]));
  const pairs: [string, string, string][] = [
    ['fathom.info', 'capinfos', 'info vs capinfos'],
    ['fathom.list', 'tshark.list', 'list vs tshark -r'],
    ['fathom.fields', 'tshark.fields', 'fields vs tshark -T fields'],
    ['fathom.filter', 'tshark.filter', 'filter vs tshark -Y'],
    ['fathom.conv', 'tshark.conv', 'conv vs tshark -z conv'],
    ['fathom.follow', 'tshark.follow', 'follow vs tshark -z follow'],
  ];
  const comparisons = pairs
    .filter(([a, b]) => byId.get(a)?.seconds && byId.get(b)?.seconds)
    .map(([a, b, what]) => ({ what, fathom: a, tshark: b, speedup: round(byId.get(b)!.seconds! / byId.get(a)!.seconds!, 2) }));
  const info = byId.get('fathom.info');
  // Against a 1,000-frame baseline the difference means something only for much larger captures.
  const rssPerFrame =
    o.frames >= 50_000 && info?.rssMiB && baseline.rssMiB ? round(((info.rssMiB - baseline.rssMiB) * 1024 * 1024) / o.frames, 1) : null;

  // The table.
  const rows: string[][] = [['command (F = the capture)', 'wall s', 'frames/s', 'peak RSS MiB', 'speedup vs tshark']];
  for (const m of results) {
    const cmp = comparisons.find((c) => c.fathom === m.id);
    rows.push([
      m.label,
      m.seconds === null ? 'failed' : m.seconds.toFixed(2),
      fmtInt(m.framesPerSecond),
      m.rssMiB === null ? '—' : m.rssMiB.toFixed(1),
      cmp ? `${cmp.speedup.toFixed(2)}× (${byId.get(cmp.tshark)!.label.split(' ')[0]})` : '',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const out: string[] = [];
  out.push(`Fathom bench: ${rel}, ${fmtInt(o.frames)} frames, ${(bytes / 1e6).toFixed(1)} MB; median of ${o.runs} run(s); whole process`);
  out.push(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; node ${process.version}${tsharkVersion ? `; ${tsharkVersion}` : ''}`);
  // Other work on the machine skews wall times; say how busy it was.
  out.push(`load average at the start: ${startLoad.map((x) => x.toFixed(2)).join(', ')}${startLoad[0] > cpus().length ? ' (busy: wall times are inflated)' : ''}`);
  out.push('');
  rows.forEach((r, i) => {
    out.push(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   '));
    if (i === 0) out.push(widths.map((w) => '-'.repeat(w)).join('   '));
  });
  for (const m of results) if (m.error) out.push(`${m.label} failed: ${m.error}`);
  if (byId.has('capinfos')) out.push('capinfos also hashes the whole file (SHA256, RIPEMD160, SHA1) by default; fathom info does not.');
  out.push(`FILTER = ${BENCH_FILTER}; B = ${relative(process.cwd(), bulk.path)} (one TCP stream of ${fmtInt(FOLLOW_BYTES)} bytes, ${fmtInt(bulkFrames)} frames)`);
  out.push('');
  out.push(`index bytes per frame: ${new FrameIndex().bytesPerFrame()} declared (FrameIndex.bytesPerFrame)`);
  if ('bytesPerFrame' in index) {
    const fps = (seconds: number) => `${seconds.toFixed(2)} s = ${fmtInt(Math.round(index.frames / seconds))} frames/s`;
    out.push(`  ${index.bytesPerFrame} measured after open and the first pass with every conversation table (heap + array buffers after GC: index + stream state + tables + the walk's two read buffers)`);
    if (typeof webMemory === 'number') out.push(`  ${webMemory} measured for a session opened as the web app opens one (no conversation tables)   [≤ 40 bytes a frame]`);
    else out.push(`  web-app session memory measurement failed: ${webMemory.error}`);
    out.push('library stages, one core, in-process (DESIGN.md §6 targets in brackets):');
    out.push(`  open (frame index)                 ${fps(index.openSeconds)}`);
    out.push(`  first pass (stream state, conv.)   ${fps(index.firstPassSeconds)} (${fmtInt(index.plainFrames)} plain frames took the shortcut)`);
    out.push(`  index + first pass                 ${fps(index.openSeconds + index.firstPassSeconds)}`);
    out.push(`  both in one read, as the web app   ${fps(index.openWithFirstPassSeconds)}   [≥ 1,000,000 frames/s]`);
    out.push(`  packet-list lines                  ${fps(index.listSeconds)} (${index.listMinorGcs} young-generation GCs)`);
    out.push(`  filter FILTER (${fmtInt(index.filterMatched)} match)     ${fps(index.filterSeconds)}`);
    if ('filterSeconds' in poolStage) {
      const tsharkY = byId.get('tshark.filter');
      const vs = tsharkY?.seconds ? `; ${(tsharkY.seconds / poolStage.filterSeconds).toFixed(1)}× tshark -Y's whole run` : '';
      out.push(`  filter FILTER, pool of ${poolStage.workers}, first    ${fps(poolStage.filterSeconds)}   [≥ 2,000,000 frames/s with the pool${vs}]`);
      out.push(`  filter FILTER, pool of ${poolStage.workers}, again    ${fps(poolStage.warmFilterSeconds)}   (median of the next ${POOL_WARM_ROUNDS})`);
      if (poolStage.matched !== index.filterMatched) out.push(`  the pool matched ${fmtInt(poolStage.matched)} frames, one core ${fmtInt(index.filterMatched)}: they must agree`);
    } else {
      out.push(`  pool measurement failed: ${poolStage.error}`);
    }
    out.push(`  conversations, all five types      ${index.conversationsSeconds.toFixed(3)} s   [< 1 s]`);
    out.push(`  filter compile, first in the process: ${index.compileColdMs} ms; the engine's warm-up: ${index.compileWarmUpMs} ms once`);
    out.push(`  filter compile after it, ${index.compileFilters} filters of the differential suite: median ${index.compileMedianMs} ms, p99 ${index.compileP99Ms} ms, max ${index.compileMaxMs} ms (${JSON.stringify(index.compileSlowest)}), ${index.compileOverOneMs} at 1 ms or more; slowest median of three ${index.compileMaxMedianMs} ms (${JSON.stringify(index.compileSlowestMedian)})   [< 1 ms]`);
  } else {
    out.push(`  stage measurement failed: ${index.error}`);
  }
  if ('followSeconds' in followStage) {
    out.push(`  follow tcp stream 0 of B (${fmtInt(followStage.streamBytes)} bytes): ${followStage.followSeconds.toFixed(2)} s after open + first pass (${followStage.openAndFirstPassSeconds.toFixed(2)} s)   [< 1 s]`);
  } else {
    out.push(`  follow measurement failed: ${followStage.error}`);
  }
  if (rssPerFrame !== null) out.push(`  ${rssPerFrame} peak-RSS bytes per frame (fathom info: this capture minus a 1,000-frame one)`);
  process.stdout.write(out.join('\n') + '\n');

  const json = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null, node: process.version, tshark: tsharkVersion, loadAverage: startLoad },
    capture: { path: rel, frames: o.frames, bytes, seed: o.seed, generatedSeconds: cap.generated ? round(cap.seconds, 2) : null },
    runs: o.runs,
    rssSource: gnuTime ? 'GNU time %M' : '/proc VmHWM',
    measurements: results,
    comparisons,
    stages: index,
    pool: poolStage,
    follow: { capture: relative(process.cwd(), bulk.path), bytes: FOLLOW_BYTES, frames: bulkFrames, stage: followStage },
    index: {
      declaredBytesPerFrame: new FrameIndex().bytesPerFrame(),
      measured: index,
      webAppSessionBytesPerFrame: typeof webMemory === 'number' ? webMemory : null,
      peakRssBytesPerFrame: rssPerFrame,
      baselineRssMiB: baseline.rssMiB,
    },
  };
  const resultsPath = resolve(OUT_DIR, 'results.json');
  writeFileSync(resultsPath, JSON.stringify(json, null, 2) + '\n');
  log(`wrote ${relative(process.cwd(), resultsPath)}`);
}

if (isMainThread) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
} else {
  void poolWorker();
}
