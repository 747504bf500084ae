import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, mkdtempSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The shared real-world captures beside the project (absent in a user's clone: the suites then skip). */
export const CAPTURES_DIR = fileURLToPath(new URL('../../../shared/captures/', import.meta.url));
export const haveCaptures = existsSync(CAPTURES_DIR);
export const haveTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;

export function corpusFiles(): string[] {
  if (!haveCaptures) return [];
  return readdirSync(CAPTURES_DIR)
    .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/i.test(f))
    .sort();
}

/** tshark preferences that make its output stable and comparable (the same as shared/captures/oracle.sh). */
export const TSHARK_PREFS = [
  '-o', 'tcp.relative_sequence_numbers:TRUE',
  '-o', 'tcp.analyze_sequence_numbers:TRUE',
  '-o', 'tcp.desegment_tcp_streams:TRUE',
  '-o', 'tcp.calculate_timestamps:TRUE',
  '-o', 'tcp.check_checksum:FALSE',
  '-o', 'udp.check_checksum:FALSE',
  '-o', 'ip.check_checksum:FALSE',
  '-o', 'ip.defragment:TRUE',
  '-o', 'ipv6.defragment:TRUE',
];

const cfg = mkdtempSync(join(tmpdir(), 'fathom-tshark-'));
const env = { ...process.env, HOME: cfg, XDG_CONFIG_HOME: cfg, WIRESHARK_CONFIG_DIR: cfg, LC_ALL: 'C.UTF-8', TZ: 'UTC' };

/** Runs tshark on a corpus file (or a file at an absolute path) with the stable preferences; returns stdout. */
export function tshark(file: string, args: string[]): string {
  return execFileSync('tshark', ['-r', isAbsolute(file) ? file : join(CAPTURES_DIR, file), '-n', '-2', ...TSHARK_PREFS, ...args], {
    env,
    maxBuffer: 512 << 20,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** `tshark -T fields` rows (header dropped) as arrays of strings. */
export function tsharkFields(file: string, fields: string[], filter?: string): string[][] {
  const args = ['-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f'];
  for (const f of fields) args.push('-e', f);
  if (filter) args.push('-Y', filter);
  const out = tshark(file, args);
  return out
    .split('\n')
    .filter((l, i, a) => l.length > 0 || i < a.length - 1)
    .map((l) => l.split('\t'));
}
