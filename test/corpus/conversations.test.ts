/**
 * Differential test against tshark: for every capture in ../shared/captures and every type (eth, ip, ipv6,
 * tcp, udp), Fathom's conversations must agree with `tshark -q -z conv,TYPE` and its endpoints with
 * `tshark -q -z endpoints,TYPE`: the same rows, and every number in them.
 *
 * tshark prints conversation bytes with SI units once they reach 10,000 ("12 kB" is 12,000–12,999 bytes): a
 * value is then compared as what tshark can say. Times are compared as tshark prints them (relative start
 * to 9 decimals, duration to 4). Rows are paired by A, B (and ports); several rows with the same ends (a TCP
 * port pair reused) are paired in order of their start.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CaptureSession } from '../../src/core/session';
import { NodeFileSource } from '../../src/cli/node-file-source';
import { registerProtocols } from '../../src/core/protocols/index';
import { compileFilter } from '../../src/core/filter/index';
import { CONVERSATION_TYPES, type Conversation, type ConversationType } from '../../src/core/analysis/conversations';
import type { Endpoint } from '../../src/core/analysis/endpoints';
import { CAPTURES_DIR, corpusFiles, haveCaptures, haveTshark, tshark } from './corpus-env';

const TITLES: Record<ConversationType, string> = { eth: 'Ethernet', ip: 'IPv4', ipv6: 'IPv6', tcp: 'TCP', udp: 'UDP' };

/**
 * Accepted differences: [file, type, reason]. Rows of that file and type are reported, not counted.
 * Keep this short and honest; each entry needs a reason a reader can check.
 */
const KNOWN_DIFFERENCES: [string, ConversationType, string][] = [];

interface TsharkConv {
  a: string;
  aPort?: number;
  b: string;
  bPort?: number;
  packetsBA: number;
  bytesBA: string;
  packetsAB: number;
  bytesAB: string;
  packets: number;
  bytes: string;
  relStart: string;
  duration: string;
}

interface TsharkEndpoint {
  address: string;
  port?: number;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

/** "addr:port" → [addr, port]; IPv6 addresses have colons of their own, the port follows the last one. */
function splitPort(s: string): [string, number] {
  const i = s.lastIndexOf(':');
  return [s.slice(0, i), Number(s.slice(i + 1))];
}

/** The section of tshark's -z output titled `title` with the given filter line. */
function section(out: string, title: string, filter = '<No Filter>'): string[] {
  const lines = out.split('\n');
  const at = lines.findIndex((l, i) => l === title && lines[i + 1] === `Filter:${filter}`);
  if (at < 0) throw new Error(`tshark printed no "${title}" section for ${filter}`);
  const rows: string[] = [];
  for (let i = at + 1; i < lines.length && !lines[i].startsWith('====='); i++) rows.push(lines[i]);
  return rows;
}

function parseConversations(out: string, type: ConversationType, filter?: string): TsharkConv[] {
  const ports = type === 'tcp' || type === 'udp';
  const rows: TsharkConv[] = [];
  const re = /^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+ \S+)\s+(\d+)\s+(\d+ \S+)\s+(\d+)\s+(\d+ \S+)\s+(-?\d+\.\d+)\s+(-?\d+\.\d+)\s*$/;
  for (const line of section(out, `${TITLES[type]} Conversations`, filter)) {
    const m = re.exec(line);
    if (!m) continue;
    const row: TsharkConv = {
      a: m[1],
      b: m[2],
      packetsBA: Number(m[3]),
      bytesBA: m[4],
      packetsAB: Number(m[5]),
      bytesAB: m[6],
      packets: Number(m[7]),
      bytes: m[8],
      relStart: m[9],
      duration: m[10],
    };
    if (ports) {
      [row.a, row.aPort] = splitPort(row.a);
      [row.b, row.bPort] = splitPort(row.b);
    }
    rows.push(row);
  }
  return rows;
}

function parseEndpoints(out: string, type: ConversationType): TsharkEndpoint[] {
  const ports = type === 'tcp' || type === 'udp';
  const rows: TsharkEndpoint[] = [];
  for (const line of section(out, `${TITLES[type]} Endpoints`)) {
    const f = line.trim().split(/\s+/);
    if (f.length !== (ports ? 8 : 7) || !/^\d+$/.test(f[f.length - 1])) continue;
    const n = f.slice(ports ? 2 : 1).map(Number);
    const row: TsharkEndpoint = { address: f[0], packets: n[0], bytes: n[1], txPackets: n[2], txBytes: n[3], rxPackets: n[4], rxBytes: n[5] };
    if (ports) row.port = Number(f[1]);
    rows.push(row);
  }
  return rows;
}

/** tshark's byte counts: exact below 10,000, then truncated to whole kB, MB … (SI). */
function tsharkBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let u = 0;
  let v = n;
  while (u < units.length - 1 && Math.floor(v / 1000) >= 10) {
    v = Math.floor(v / 1000);
    u++;
  }
  return `${v} ${units[u]}`;
}

function convKey(c: { a: string; aPort?: number; b: string; bPort?: number }): string {
  return `${c.a}|${c.aPort ?? ''}|${c.b}|${c.bPort ?? ''}`;
}

interface Tally {
  rows: number;
  agree: number;
  samples: string[];
}
const tallies = new Map<string, Tally>();
const known: string[] = [];

function tally(name: string): Tally {
  let t = tallies.get(name);
  if (!t) tallies.set(name, (t = { rows: 0, agree: 0, samples: [] }));
  return t;
}

/** Pairs our rows with tshark's and counts the rows whose every number agrees. */
function compareConversations(file: string, type: ConversationType, ours: Conversation[], theirs: TsharkConv[], label = `conv,${type}`): void {
  const t = tally(label);
  const excuse = KNOWN_DIFFERENCES.find(([f, ty]) => f === file && ty === type);
  const byKey = new Map<string, Conversation[]>();
  for (const c of ours) {
    const k = convKey(c);
    byKey.set(k, [...(byKey.get(k) ?? []), c]);
  }
  const theirsByKey = new Map<string, TsharkConv[]>();
  for (const c of theirs) {
    const k = convKey(c);
    theirsByKey.set(k, [...(theirsByKey.get(k) ?? []), c]);
  }
  const problems: string[] = [];
  const keys = new Set([...byKey.keys(), ...theirsByKey.keys()]);
  for (const k of keys) {
    const o = (byKey.get(k) ?? []).slice().sort((x, y) => x.relStart - y.relStart);
    const th = (theirsByKey.get(k) ?? []).slice().sort((x, y) => Number(x.relStart) - Number(y.relStart));
    for (let i = 0; i < Math.max(o.length, th.length); i++) {
      const a = o[i];
      const b = th[i];
      if (!a || !b) {
        problems.push(`${file} ${label} ${k}: ${a ? 'only fathom has it' : 'only tshark has it'}`);
        continue;
      }
      const diffs: string[] = [];
      const same = (what: string, x: string | number, y: string | number) => {
        if (String(x) !== String(y)) diffs.push(`${what} fathom ${x} tshark ${y}`);
      };
      same('packets', a.packets, b.packets);
      same('packetsAB', a.packetsAB, b.packetsAB);
      same('packetsBA', a.packetsBA, b.packetsBA);
      same('bytes', tsharkBytes(a.bytes), b.bytes);
      same('bytesAB', tsharkBytes(a.bytesAB), b.bytesAB);
      same('bytesBA', tsharkBytes(a.bytesBA), b.bytesBA);
      same('relStart', a.relStart.toFixed(9), b.relStart);
      // tshark subtracts two second counts as doubles; allow its last printed digit to differ by one.
      if (Math.abs(Number(a.duration.toFixed(4)) - Number(b.duration)) > 0.00011) same('duration', a.duration.toFixed(4), b.duration);
      if (diffs.length) problems.push(`${file} ${label} ${k}: ${diffs.join(', ')}`);
    }
  }
  const rows = Math.max(ours.length, theirs.length);
  if (excuse && problems.length) {
    known.push(...problems.map((p) => `${p} — ${excuse[2]}`));
    return;
  }
  t.rows += rows;
  t.agree += rows - Math.min(rows, problems.length);
  t.samples.push(...problems.slice(0, Math.max(0, 8 - t.samples.length)));
  compareOrder(file, label, ours.map(convKey), theirs.map(convKey), ours);
}

/** `fathom conv`/`endpoints` print rows in tshark's order: most packets first, ties as first seen. */
function compareOrder(file: string, label: string, ours: string[], theirs: string[], rows: { packets: number }[]): void {
  const t = tally('order');
  const sorted = ours.map((k, i) => ({ k, p: rows[i].packets })).sort((x, y) => y.p - x.p).map((x) => x.k);
  t.rows++;
  if (sorted.join('\n') === theirs.join('\n')) t.agree++;
  else if (t.samples.length < 8) t.samples.push(`${file} ${label}: fathom ${sorted.slice(0, 4).join(', ')} … tshark ${theirs.slice(0, 4).join(', ')} …`);
}

function compareEndpoints(file: string, type: ConversationType, ours: Endpoint[], theirs: TsharkEndpoint[]): void {
  const t = tally(`endpoints,${type}`);
  const excuse = KNOWN_DIFFERENCES.find(([f, ty]) => f === file && ty === type);
  const key = (e: { address: string; port?: number }) => `${e.address}|${e.port ?? ''}`;
  const mine = new Map(ours.map((e) => [key(e), e]));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const e of theirs) {
    const k = key(e);
    seen.add(k);
    const o = mine.get(k);
    if (!o) {
      problems.push(`${file} endpoints,${type} ${k}: only tshark has it`);
      continue;
    }
    const fields = ['packets', 'bytes', 'txPackets', 'txBytes', 'rxPackets', 'rxBytes'] as const;
    const diffs = fields.filter((f) => o[f] !== e[f]).map((f) => `${f} fathom ${o[f]} tshark ${e[f]}`);
    if (diffs.length) problems.push(`${file} endpoints,${type} ${k}: ${diffs.join(', ')}`);
  }
  for (const k of mine.keys()) if (!seen.has(k)) problems.push(`${file} endpoints,${type} ${k}: only fathom has it`);
  const rows = Math.max(ours.length, theirs.length);
  if (excuse && problems.length) {
    known.push(...problems.map((p) => `${p} — ${excuse[2]}`));
    return;
  }
  t.rows += rows;
  t.agree += rows - Math.min(rows, problems.length);
  t.samples.push(...problems.slice(0, Math.max(0, 8 - t.samples.length)));
  compareOrder(file, `endpoints,${type}`, ours.map(key), theirs.map(key), ours);
}

/** Filters tried with -Y / `-z conv,TYPE,FILTER` on every capture: each must give tshark's rows too. */
const FILTERS: [ConversationType, string][] = [
  ['ip', 'tcp'],
  ['tcp', 'tcp.len > 0'],
  ['eth', 'frame.len > 100'],
];

describe.skipIf(!haveCaptures || !haveTshark)('corpus: conversations and endpoints agree with tshark', () => {
  registerProtocols();

  for (const file of corpusFiles()) {
    it(file, async () => {
      const src = await NodeFileSource.open(join(CAPTURES_DIR, file));
      const session = await CaptureSession.open(src);
      const args: string[] = ['-q'];
      for (const t of CONVERSATION_TYPES) args.push('-z', `conv,${t}`, '-z', `endpoints,${t}`);
      for (const [t, f] of FILTERS) args.push('-z', `conv,${t},${f}`);
      const out = tshark(file, args);
      for (const type of CONVERSATION_TYPES) {
        compareConversations(file, type, await session.conversations(type), parseConversations(out, type));
        compareEndpoints(file, type, await session.endpoints(type), parseEndpoints(out, type));
      }
      for (const [type, f] of FILTERS) {
        const ours = await session.conversations(type, compileFilter(f));
        compareConversations(file, type, ours, parseConversations(out, type, f), `conv,${type},${f}`);
      }
      await src.close();
    });
  }

  afterAll(() => {
    const lines: string[] = [];
    const failing: string[] = [];
    for (const [name, t] of [...tallies].sort()) {
      lines.push(`${name.padEnd(28)} ${t.agree}/${t.rows} rows agree`);
      if (t.agree !== t.rows) failing.push(`${name}: ${t.rows - t.agree} rows differ\n    ${t.samples.join('\n    ')}`);
    }
    console.log(`corpus conversations and endpoints:\n${lines.join('\n')}`);
    if (known.length) console.log(`known differences (${known.length}):\n${known.slice(0, 50).join('\n')}`);
    expect(failing, 'rows that differ from tshark').toEqual([]);
  });
});
