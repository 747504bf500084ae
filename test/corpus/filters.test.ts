import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CaptureSession, type TreeNode } from '../../src/core/session';
import { NodeFileSource } from '../../src/cli/node-file-source';
import { registerProtocols } from '../../src/core/protocols/index';
import { fieldById, fieldByIndex } from '../../src/core/dissect/field-registry';
import { compileFilter, FilterError, type CompiledFilter } from '../../src/core/filter/index';
import { resolveFieldName } from '../../src/core/filter/semcheck';
import { INVALID, VALID } from './filter-cases';
import { TSHARK_PREFS } from './corpus-env';

/**
 * Differential suite for display filters: every VALID filter must select the same frames as tshark 4.0 on
 * every capture of ../shared/captures, and every INVALID filter must be refused at the same place.
 *
 * tshark's answers: one tshark run per capture evaluates all filters as Lua tap listeners (a listener's
 * filter is compiled and applied exactly as -Y's is), plus one `tshark -Y` run per invalid filter for its
 * message and position. tshark runs with two passes (`-2`, like Fathom's session, so fields that look
 * ahead such as response links agree) and the corpus suites' stable preferences. Answers are cached on
 * disk (keyed by tshark version, arguments, capture and filter list).
 *
 * A filter naming a field Fathom does not define yet is skipped ("missing field"); a mismatch where tshark
 * and Fathom already disagree on the presence of one of the filter's fields in that capture is skipped as a
 * dissector difference (set FATHOM_CORPUS_STRICT=1 to fail on those too). Everything else must match.
 */

const here = dirname(fileURLToPath(import.meta.url));
const CAPTURES = resolve(here, '../../../shared/captures');
const tsharkVersion = (() => {
  try {
    const r = spawnSync('tshark', ['-v'], { encoding: 'utf8' });
    return r.status === 0 ? (r.stdout.split('\n')[0] ?? 'tshark') : null;
  } catch {
    return null;
  }
})();
const enabled = existsSync(CAPTURES) && tsharkVersion !== null;
const STRICT = process.env.FATHOM_CORPUS_STRICT === '1';
const CACHE = join(tmpdir(), 'fathom-filter-oracle');
/** tshark as the other corpus suites run it: two passes (like Fathom), stable preferences, no user config. */
const TSHARK_ARGS = ['-n', '-2', ...TSHARK_PREFS];
const tsharkHome = join(tmpdir(), 'fathom-filter-tshark-home');
const TSHARK_ENV = { HOME: tsharkHome, XDG_CONFIG_HOME: tsharkHome, WIRESHARK_CONFIG_DIR: tsharkHome, LC_ALL: 'C.UTF-8', TZ: process.env.TZ ?? 'UTC' };

const captureFiles = enabled
  ? readdirSync(CAPTURES)
      .filter((f) => /\.(pcap|pcapng|cap|gz)$/.test(f))
      .sort()
  : [];

type Answer = { frames: number[] } | { error: string };

interface Oracle {
  answers: Answer[];
  /** "frame:protocol" → item lengths of the protocol's occurrences in that frame. */
  lengths: Record<string, string>;
}

const LUA = `
local filters = {}
for line in io.lines(os.getenv("FATHOM_FILTERS")) do filters[#filters + 1] = line end
-- Item lengths of the protocols the filters use, per frame (to tell dissector differences apart).
local protos = {}
for line in io.lines(os.getenv("FATHOM_PROTOS")) do
  if line ~= "" then protos[#protos + 1] = { name = line, field = Field.new(line) } end
end
local lengths = Listener.new(nil, nil)
function lengths.packet(pinfo)
  for k, p in ipairs(protos) do
    local infos = { p.field() }
    if #infos > 0 then
      local l = {}
      for _, fi in ipairs(infos) do l[#l + 1] = fi.len end
      io.write("L\\t", pinfo.number, "\\t", k, "\\t", table.concat(l, ","), "\\n")
    end
  end
end
local hits = {}
for i, f in ipairs(filters) do
  local ok, l = pcall(Listener.new, nil, f)
  if ok then
    local list = {}
    hits[i] = list
    l.packet = function(pinfo) list[#list + 1] = pinfo.number end
  else
    io.write("E\\t", i, "\\t", (tostring(l):gsub("[\\r\\n]+", " ")), "\\n")
  end
end
local done = Listener.new(nil, nil)
function done.draw()
  for i = 1, #filters do
    if hits[i] then io.write("R\\t", i, "\\t", table.concat(hits[i], ","), "\\n") end
  end
end
`;

function run(cmd: string, args: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  mkdirSync(tsharkHome, { recursive: true });
  return new Promise((done) => {
    execFile(cmd, args, { env: { ...process.env, ...TSHARK_ENV, ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

function cacheKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

function cached<T>(key: string, make: () => Promise<T>): Promise<T> {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, key + '.json');
  if (existsSync(file)) return Promise.resolve(JSON.parse(readFileSync(file, 'utf8')) as T);
  return make().then((v) => {
    writeFileSync(file, JSON.stringify(v));
    return v;
  });
}

/** tshark's frames for every filter on one capture, and the item lengths of some protocols per frame. */
async function oracleFrames(file: string, filters: string[], protos: string[]): Promise<Oracle> {
  const path = join(CAPTURES, file);
  const st = statSync(path);
  const key = cacheKey('frames', tsharkVersion!, ...TSHARK_ARGS, file, String(st.size), String(st.mtimeMs), LUA, ...filters, '--', ...protos);
  return cached(key, async () => {
    mkdirSync(CACHE, { recursive: true });
    const listFile = join(CACHE, `filters-${process.pid}-${file}.txt`);
    const protoFile = join(CACHE, `protos-${process.pid}-${file}.txt`);
    const luaFile = join(CACHE, `oracle-${process.pid}.lua`);
    writeFileSync(listFile, filters.join('\n') + '\n');
    writeFileSync(protoFile, protos.join('\n') + '\n');
    writeFileSync(luaFile, LUA);
    const r = await run('tshark', [...TSHARK_ARGS, '-q', '-r', path, '-X', `lua_script:${luaFile}`], { FATHOM_FILTERS: listFile, FATHOM_PROTOS: protoFile });
    const answers: Answer[] = filters.map(() => ({ error: 'no answer from tshark' }));
    const lengths: Record<string, string> = {};
    for (const line of r.stdout.split('\n')) {
      const [kind, idx, rest = '', extra = ''] = line.split('\t');
      if (kind === 'L') {
        lengths[`${idx}:${protos[Number(rest) - 1]}`] = extra;
        continue;
      }
      const i = Number(idx) - 1;
      if (!(i >= 0 && i < filters.length)) continue;
      if (kind === 'R') answers[i] = { frames: rest ? rest.split(',').map(Number) : [] };
      else if (kind === 'E') answers[i] = { error: rest };
    }
    return { answers, lengths };
  });
}

/** tshark's first value of each field per frame (`-T fields -E occurrence=f`), as text. */
async function oracleValues(file: string, ids: string[]): Promise<string[][]> {
  if (!ids.length) return [];
  const path = join(CAPTURES, file);
  const st = statSync(path);
  return cached(cacheKey('values', tsharkVersion!, ...TSHARK_ARGS, file, String(st.size), String(st.mtimeMs), ...ids), async () => {
    const args = [...TSHARK_ARGS, '-r', path, '-T', 'fields', '-E', 'occurrence=f', '-E', 'separator=/t'];
    for (const id of ids) args.push('-e', id);
    const r = await run('tshark', args);
    return r.stdout
      .split('\n')
      .filter((l, i, a) => l !== '' || i < a.length - 1)
      .map((l) => l.split('\t'));
  });
}

interface TsharkError {
  accepted: boolean;
  message: string;
  start: number | null;
  length: number | null;
}

/** tshark's message and caret position for a filter it refuses (`tshark -Y`). */
async function oracleError(filter: string, sample: string): Promise<TsharkError> {
  return cached(cacheKey('error', tsharkVersion!, filter), async () => {
    const r = await run('tshark', ['-n', '-r', join(CAPTURES, sample), '-c', '1', '-Y', filter, '-T', 'fields', '-e', 'frame.number']);
    const lines = r.stderr.split('\n').filter((l) => l && !l.startsWith('Running as user'));
    if (r.code === 0) return { accepted: true, message: '', start: null, length: null };
    const message = (lines[0] ?? '').replace(/^tshark: /, '');
    const caret = lines[2] ?? '';
    if (/^\s*\^/.test(caret)) return { accepted: false, message, start: caret.indexOf('^') - 4, length: caret.trim().length };
    return { accepted: false, message, start: null, length: null };
  });
}

/** Field names in a filter's text that tshark knows and Fathom does not define (yet). */
let tsharkFieldIds: Set<string> | null = null;
function missingFields(filter: string): string[] {
  if (!tsharkFieldIds) {
    const r = spawnSync('tshark', ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 256 << 20 });
    tsharkFieldIds = new Set(r.stdout.split('\n').map((l) => l.split('\t')[2] ?? l.split('\t')[1]).filter(Boolean));
    for (const l of r.stdout.split('\n')) if (l.startsWith('P\t')) tsharkFieldIds.add(l.split('\t')[2]);
  }
  const words = filter.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(/[A-Za-z_][A-Za-z0-9_.-]*/g) ?? [];
  return [...new Set(words)].filter((w) => !resolveFieldName(w) && (tsharkFieldIds!.has(w) || tsharkFieldIds!.has(w.replace(/^ssl/, 'tls').replace(/^bootp/, 'dhcp'))));
}

interface Report {
  compared: number;
  matched: number;
  missingField: { filter: string; fields: string[] }[];
  dissector: { filter: string; capture: string; fields: string[]; tshark: number[]; fathom: number[] }[];
  engine: { filter: string; capture: string; tshark: number[]; fathom: number[] }[];
  invalid: { filter: string; status: string; tshark?: string; fathom?: string }[];
  compileMs: number[];
}

describe.skipIf(!enabled)('display filters match tshark on the corpus', () => {
  const report: Report = { compared: 0, matched: 0, missingField: [], dissector: [], engine: [], invalid: [], compileMs: [] };
  const compiled = new Map<string, CompiledFilter>();
  /** Per capture: tshark's and Fathom's frames for each filter in `all`. */
  const tshark = new Map<string, Answer[]>();
  const tsharkLengths = new Map<string, Record<string, string>>();
  const sessions = new Map<string, CaptureSession>();
  let protoIds: string[] = [];
  const fathom = new Map<string, (number[] | null)[]>();
  const probes: string[] = [];
  let all: string[] = [];
  /** Fields whose values are compared frame by frame, and tshark's and Fathom's values per capture. */
  let valueIds: string[] = [];
  const tsharkValues = new Map<string, string[][]>();
  const fathomValues = new Map<string, string[][]>();

  beforeAll(async () => {
    registerProtocols();
    // Fathom's compiled filters, and for each field they read an existence probe to tell dissector
    // differences from engine ones.
    const fieldIds = new Set<string>();
    for (const f of VALID) {
      try {
        const t0 = performance.now();
        const c = compileFilter(f, { noWarnings: true });
        report.compileMs.push(performance.now() - t0);
        compiled.set(f, c);
        for (const i of c.interestingFields) fieldIds.add(fieldIdOf(i));
      } catch (e) {
        if (!(e instanceof FilterError)) throw e;
      }
    }
    probes.push(...[...fieldIds].filter((id) => !VALID.includes(id)).sort());
    all = [...VALID, ...probes];
    missingFields('');
    valueIds = [...fieldIds].filter((id) => tsharkFieldIds!.has(id) && fieldById(id)?.type !== 'protocol').sort();
    protoIds = [...fieldIds].filter((id) => fieldById(id)?.type === 'protocol').sort();
    await pool(captureFiles, 2, async (file) => {
      const o = await oracleFrames(file, all, protoIds);
      tshark.set(file, o.answers);
      tsharkLengths.set(file, o.lengths);
      tsharkValues.set(file, await oracleValues(file, valueIds));
    });
    for (const file of captureFiles) {
      const session = await CaptureSession.open(await NodeFileSource.open(join(CAPTURES, file)));
      sessions.set(file, session);
      const list = all.map((f) => compiled.get(f) ?? probeFilter(f));
      const present = list.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
      const bits = await session.filterEach(present.map((i) => list[i]!), 1, session.frameCount);
      const frames: (number[] | null)[] = all.map(() => null);
      present.forEach((i, k) => {
        const fr: number[] = [];
        for (let n = 1; n <= session.frameCount; n++) if ((bits[k][(n - 1) >> 3] >> ((n - 1) & 7)) & 1) fr.push(n);
        frames[i] = fr;
      });
      fathom.set(file, frames);
      const values: string[][] = [];
      await session.fields(valueIds, 1, session.frameCount, (_n, v) => values.push([...v]));
      fathomValues.set(file, values);
    }
  }, 900_000);

  const probeCache = new Map<string, CompiledFilter | null>();
  function probeFilter(f: string): CompiledFilter | null {
    if (!probeCache.has(f)) {
      try {
        probeCache.set(f, compileFilter(f, { noWarnings: true }));
      } catch {
        probeCache.set(f, null);
      }
    }
    return probeCache.get(f)!;
  }

  it('has at least 300 valid and 60 invalid filters', () => {
    expect(new Set(VALID).size).toBe(VALID.length);
    expect(VALID.length).toBeGreaterThanOrEqual(300);
    expect(INVALID.length).toBeGreaterThanOrEqual(60);
  });

  /** Item lengths of a protocol in one frame as Fathom's detail tree has them ("20" or "20,20"). */
  async function fathomLengths(file: string, frame: number, proto: string): Promise<string> {
    const { tree } = await sessions.get(file)!.detail(frame);
    const out: number[] = [];
    const walk = (nodes: TreeNode[]) => {
      for (const n of nodes) {
        if (n.field === proto) out.push(n.length);
        if (n.children) walk(n.children);
      }
    };
    walk(tree);
    return out.join(',');
  }

  it.for(VALID)('%s', async (filter, ctx) => {
    const c = compiled.get(filter);
    if (!c) {
      const missing = missingFields(filter);
      if (missing.length) {
        report.missingField.push({ filter, fields: missing });
        ctx.skip(`missing field: ${missing.join(', ')}`);
        return;
      }
      let message = '';
      try {
        compileFilter(filter);
      } catch (e) {
        message = (e as Error).message;
      }
      expect.fail(`Fathom refuses a filter tshark accepts: ${message}`);
    }
    const usedFields = c!.interestingFields.map(fieldIdOf);
    const engine: string[] = [];
    const dissector: string[] = [];
    const idx = all.indexOf(filter);
    for (const file of captureFiles) {
      const t = tshark.get(file)![idx];
      if ('error' in t) expect.fail(`tshark refuses this filter: ${t.error}`);
      const mine = fathom.get(file)![idx] ?? [];
      report.compared++;
      if (sameList(t.frames, mine)) {
        report.matched++;
        continue;
      }
      // Do tshark and Fathom see the filter's fields alike on the frames in question? If not, the
      // dissector differs: by presence, or by value on a frame where the results differ.
      const changed = symmetricDifference(t.frames, mine);
      const lengthDiffers = async (id: string): Promise<boolean> => {
        if (!protoIds.includes(id)) return false;
        for (const n of changed.slice(0, 20)) {
          if ((tsharkLengths.get(file)![`${n}:${id}`] ?? '') !== (await fathomLengths(file, n, id))) return true;
        }
        return false;
      };
      const byLength: string[] = [];
      for (const id of usedFields) if (await lengthDiffers(id)) byLength.push(id);
      const differing = usedFields.filter((id) => {
        if (byLength.includes(id)) return true;
        const j = all.indexOf(id);
        const tt = j >= 0 ? tshark.get(file)![j] : null;
        if (tt && 'frames' in tt && !sameList(tt.frames, fathom.get(file)![j] ?? [])) return true;
        const k = valueIds.indexOf(id);
        if (k < 0) return false;
        const tv = tsharkValues.get(file)!;
        const fv = fathomValues.get(file)!;
        return changed.some((n) => (tv[n - 1]?.[k] ?? '') !== (fv[n - 1]?.[k] ?? ''));
      });
      const detail = `${file}: tshark [${short(t.frames)}] fathom [${short(mine)}]`;
      if (differing.length) {
        report.dissector.push({ filter, capture: file, fields: differing, tshark: t.frames, fathom: mine });
        dissector.push(`${detail} (fields differ: ${differing.join(', ')})`);
      } else {
        report.engine.push({ filter, capture: file, tshark: t.frames, fathom: mine });
        engine.push(detail);
      }
    }
    expect(engine, 'frames differ from tshark').toEqual([]);
    if (dissector.length) {
      if (STRICT) expect(dissector, 'frames differ from tshark (dissector)').toEqual([]);
      ctx.skip(`dissector differs: ${dissector.slice(0, 3).join('; ')}`);
    }
  });

  it.for(INVALID)('refuses %s', async (filter, ctx) => {
    const t = await oracleError(filter, captureFiles.includes('http-get.pcap') ? 'http-get.pcap' : captureFiles[0]);
    expect(t.accepted, 'tshark accepts this filter; it does not belong in INVALID').toBe(false);
    let err: FilterError | null = null;
    try {
      compileFilter(filter);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      err = e;
    }
    const missing = missingFields(filter);
    if (missing.length && (!err || /neither a field|not a valid protocol|Left side of/.test(err.message))) {
      report.invalid.push({ filter, status: `missing field ${missing.join(', ')}`, tshark: t.message });
      ctx.skip(`missing field: ${missing.join(', ')}`);
      return;
    }
    expect(err, `Fathom accepts it; tshark says: ${t.message}`).not.toBeNull();
    report.invalid.push({ filter, status: err!.message === t.message ? 'same message' : 'other message', tshark: t.message, fathom: err!.message });
    if (t.start !== null) {
      expect({ start: err!.start, length: err!.end - err!.start }, `tshark: ${t.message}`).toEqual({ start: t.start, length: t.length });
    }
  });

  afterAll(() => {
    if (!enabled) return;
    const sorted = [...report.compileMs].sort((a, b) => a - b);
    const summary = {
      ...report,
      compileMs: { median: sorted[sorted.length >> 1], p99: sorted[Math.floor(sorted.length * 0.99)], max: sorted[sorted.length - 1] },
    };
    const file = join(tmpdir(), 'fathom-filter-corpus-report.json');
    writeFileSync(file, JSON.stringify(summary, null, 1));
    console.log(
      `display-filter corpus: ${report.matched}/${report.compared} filter×capture results equal; ` +
        `${report.missingField.length} filters skipped for missing fields; ${new Set(report.dissector.map((d) => d.filter)).size} with dissector differences; ` +
        `${new Set(report.engine.map((d) => d.filter)).size} with engine differences; invalid: ${report.invalid.filter((i) => i.status === 'same message').length}/${INVALID.length} same message. ` +
        `Compile time median ${summary.compileMs.median?.toFixed(3)} ms, max ${summary.compileMs.max?.toFixed(3)} ms. Report: ${file}`,
    );
  });
});

function fieldIdOf(index: number): string {
  return fieldByIndex(index).id;
}

function symmetricDifference(a: number[], b: number[]): number[] {
  const sa = new Set(a);
  const sb = new Set(b);
  return [...a.filter((x) => !sb.has(x)), ...b.filter((x) => !sa.has(x))];
}

function sameList(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function short(list: number[]): string {
  return list.length > 12 ? `${list.slice(0, 12).join(',')},… (${list.length})` : list.join(',');
}
