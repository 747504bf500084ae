/**
 * Differential test against tshark: for every TCP and UDP stream of every capture in ../shared/captures,
 * `fathom follow --format raw` must print what `tshark -q -z follow,tcp|udp,raw,N` prints, byte for byte
 * (header lines, chunk order and direction, missing-bytes markers). For the first stream with data of each
 * capture the ascii and hex formats are compared too.
 *
 * tshark runs once per capture with one `-z follow` per stream (it prints them in reverse order).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CaptureSession } from '../../src/core/session';
import { NodeFileSource } from '../../src/cli/node-file-source';
import { registerProtocols } from '../../src/core/protocols/index';
import { FollowTextFormatter, followFooter, followHeader, type FollowFormat, type FollowProto } from '../../src/core/analysis/follow-stream';
import { tcpStreamCount } from '../../src/core/analysis/tcp-analysis';
import { udpStreamCount } from '../../src/core/analysis/udp-streams';
import { CAPTURES_DIR, corpusFiles, haveCaptures, haveTshark, tshark } from './corpus-env';

/** Accepted differences: [file, proto, stream, reason]. Keep this short; each entry needs a checkable reason. */
const KNOWN_DIFFERENCES: [string, FollowProto, number, string][] = [];

/** At most this many streams of one protocol per tshark run (its per-frame work grows with the listeners). */
const BATCH = 500;

async function ours(session: CaptureSession, proto: FollowProto, stream: number, format: Exclude<FollowFormat, 'json'>): Promise<string> {
  const f = await session.follow(proto, stream);
  let s = followHeader(f.summary, format);
  const fmt = new FollowTextFormatter(format);
  await f.chunks((c) => {
    s += fmt.chunk(c);
  });
  return s + followFooter();
}

/** tshark's follow blocks, by "proto,stream". */
function theirs(file: string, proto: FollowProto, streams: number[], format = 'raw'): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < streams.length; i += BATCH) {
    const args = ['-q'];
    for (const s of streams.slice(i, i + BATCH)) args.push('-z', `follow,${proto},${format},${s}`);
    const text = tshark(file, args);
    const sep = '===================================================================\n';
    // Each block: "\n" + sep + "Follow: …" … + sep.
    for (const block of text.split('\n' + sep + 'Follow: ').slice(1)) {
      const body = 'Follow: ' + block;
      const end = body.indexOf(sep);
      const full = '\n' + sep + body.slice(0, end + sep.length);
      const m = /\nFilter: \w+\.stream eq (\d+)\n/.exec(full);
      if (m) out.set(Number(m[1]), full);
    }
  }
  return out;
}

interface Tally {
  streams: number;
  agree: number;
  samples: string[];
}
const tallies = new Map<string, Tally>();
const known: string[] = [];
let chunksCompared = 0;

function tally(name: string): Tally {
  let t = tallies.get(name);
  if (!t) tallies.set(name, (t = { streams: 0, agree: 0, samples: [] }));
  return t;
}

/** Where two outputs first differ, for the report. */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = a.slice(0, i).split('\n').length;
  return `line ${line}: fathom ${JSON.stringify(a.slice(i, i + 60))} tshark ${JSON.stringify(b.slice(i, i + 60))}`;
}

describe.skipIf(!haveCaptures || !haveTshark)('corpus: fathom follow agrees with tshark -z follow', () => {
  registerProtocols();

  for (const file of corpusFiles()) {
    it(file, async () => {
      const src = await NodeFileSource.open(join(CAPTURES_DIR, file));
      const session = await CaptureSession.open(src);
      await session.ensureFirstPass();
      const state = (session as unknown as { pinfo: { state: Parameters<typeof tcpStreamCount>[0] } }).pinfo.state;
      for (const proto of ['tcp', 'udp'] as const) {
        const count = proto === 'tcp' ? tcpStreamCount(state) : udpStreamCount(state);
        const streams = Array.from({ length: count }, (_, i) => i);
        // One stream past the end: both must print empty nodes.
        streams.push(count);
        const expected = theirs(file, proto, streams);
        const t = tally(`${proto},raw`);
        let detailed = false;
        for (const s of streams) {
          const want = expected.get(s);
          const got = await ours(session, proto, s, 'raw');
          const excuse = KNOWN_DIFFERENCES.find(([f, p, n]) => f === file && p === proto && n === s);
          if (want !== got && excuse) {
            known.push(`${file} ${proto} ${s}: ${excuse[3]}`);
            continue;
          }
          t.streams++;
          chunksCompared += got.split('\n').length - 8;
          if (want === got) t.agree++;
          else if (t.samples.length < 10) t.samples.push(`${file} ${proto} stream ${s}: ${want === undefined ? 'tshark printed nothing' : firstDifference(got, want)}`);
          // ascii and hex of the first stream that has data.
          if (!detailed && want !== undefined && got.split('\n').length > 8) {
            detailed = true;
            for (const format of ['ascii', 'hex'] as const) {
              const tf = tally(`${proto},${format}`);
              const w = theirs(file, proto, [s], format).get(s);
              const g = await ours(session, proto, s, format);
              tf.streams++;
              if (w === g) tf.agree++;
              else if (tf.samples.length < 10) tf.samples.push(`${file} ${proto} stream ${s}: ${w === undefined ? 'tshark printed nothing' : firstDifference(g, w)}`);
            }
          }
        }
      }
      await src.close();
    });
  }

  afterAll(() => {
    const lines: string[] = [];
    const failing: string[] = [];
    for (const [name, t] of [...tallies].sort()) {
      lines.push(`${name.padEnd(12)} ${t.agree}/${t.streams} streams identical`);
      if (t.agree !== t.streams) failing.push(`${name}: ${t.streams - t.agree} streams differ\n    ${t.samples.join('\n    ')}`);
    }
    console.log(`corpus follow (${chunksCompared} raw chunks compared):\n${lines.join('\n')}`);
    if (known.length) console.log(`known differences (${known.length}):\n${known.join('\n')}`);
    expect(failing, 'streams that differ from tshark').toEqual([]);
  });
});
