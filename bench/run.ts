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
import { ensureCapture, parseCount, DEFAULT_SEED, OUT_DIR } from './generate';
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

/**
 * Retained bytes per frame after opening (index + first-pass state), measured in a child with --expose-gc:
 * heap + array buffers after a full GC, minus the same before opening, over the frame count.
 */
async function measureIndex(path: string): Promise<{ bytesPerFrame: number; openSeconds: number; frames: number } | { error: string }> {
  const r = spawnSync(process.execPath, ['--expose-gc', 'scripts/run-ts.mjs', 'bench/run.ts', '--measure-index', path], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) return { error: meaningfulStderr(r.stderr) || `exit ${r.status}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  } catch {
    return { error: `unreadable output: ${r.stdout.slice(0, 200)}` };
  }
}

/** The child side of measureIndex. */
async function measureIndexChild(path: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const { CaptureSession } = await import('../src/core/session');
  const { NodeFileSource } = await import('../src/cli/node-file-source');
  const { registerProtocols } = await import('../src/core/protocols/index');
  registerProtocols();
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const t0 = performance.now();
  const session = await CaptureSession.open(await NodeFileSource.open(path));
  const openSeconds = (performance.now() - t0) / 1000;
  const after = used();
  const frames = session.frameCount;
  process.stdout.write(JSON.stringify({ frames, openSeconds: round(openSeconds, 3), bytesPerFrame: round((after - before) / frames, 1) }) + '\n');
  // Keep the session alive until after the measurement.
  void session.frameCount;
}

function fmtInt(n: number | null): string {
  return n === null ? '—' : n.toLocaleString('en-US');
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--measure-index') return measureIndexChild(argv[1]);
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
  log('fathom:');
  const fieldArgs = ['-e', 'frame.number', '-e', 'ip.src', '-e', 'tcp.srcport'];
  results.push(await measure('fathom.info', 'fathom info F', 'fathom', [node, cli, 'info', cap.path], o, o.frames, gnuTime, infoCheck));
  results.push(await measure('fathom.list', 'fathom list F', 'fathom', [node, cli, 'list', cap.path], o, o.frames, gnuTime));
  results.push(await measure('fathom.fields', 'fathom fields F -e …', 'fathom', [node, cli, 'fields', cap.path, ...fieldArgs], o, o.frames, gnuTime));
  const baseline = await measure('fathom.info.1k', 'fathom info (1k frames)', 'fathom', [node, cli, 'info', small.path], { ...o, runs: 1 }, 1000, gnuTime);
  if (withTshark) {
    log('tshark:');
    if (withCapinfos) results.push(await measure('capinfos', 'capinfos F', 'tshark', ['capinfos', cap.path], o, o.frames, gnuTime));
    results.push(await measure('tshark.list', 'tshark -r F -n', 'tshark', ['tshark', '-r', cap.path, '-n'], o, o.frames, gnuTime));
    results.push(await measure('tshark.fields', 'tshark -r F -n -T fields -e …', 'tshark', ['tshark', '-r', cap.path, '-n', '-T', 'fields', ...fieldArgs], o, o.frames, gnuTime));
  }
  log('index memory (in-process, after GC):');
  const index = await measureIndex(cap.path);
  log(`  ${JSON.stringify(index)}`);

  const byId = new Map(results.map((m) => [m.id, m]));
  const pairs: [string, string, string][] = [
    ['fathom.info', 'capinfos', 'info vs capinfos'],
    ['fathom.list', 'tshark.list', 'list vs tshark -r'],
    ['fathom.fields', 'tshark.fields', 'fields vs tshark -T fields'],
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
  out.push('');
  out.push(`index bytes per frame: ${new FrameIndex().bytesPerFrame()} declared (FrameIndex.bytesPerFrame)`);
  if ('bytesPerFrame' in index) {
    out.push(`  ${index.bytesPerFrame} measured after open (heap + array buffers after GC, index + first-pass state)`);
    out.push(`  open + first pass in-process: ${index.openSeconds.toFixed(2)} s = ${fmtInt(Math.round(index.frames / index.openSeconds))} frames/s`);
  } else {
    out.push(`  measurement failed: ${index.error}`);
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
    index: {
      declaredBytesPerFrame: new FrameIndex().bytesPerFrame(),
      measured: index,
      peakRssBytesPerFrame: rssPerFrame,
      baselineRssMiB: baseline.rssMiB,
    },
  };
  const resultsPath = resolve(OUT_DIR, 'results.json');
  writeFileSync(resultsPath, JSON.stringify(json, null, 2) + '\n');
  log(`wrote ${relative(process.cwd(), resultsPath)}`);
}

main(process.argv.slice(2)).catch((e) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
