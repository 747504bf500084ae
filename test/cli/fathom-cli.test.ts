/**
 * The `fathom` command-line contract of DESIGN.md §4: outputs, exit codes and error wording, run as a real
 * process on capture files written here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { build } from 'esbuild';
import { hexBytes } from '../helpers/dissect';

const dir = mkdtempSync(join(tmpdir(), 'fathom-cli-'));
const cli = join(dir, 'fathom.mjs');

function pcap(frames: Uint8Array[], opts: { truncateLast?: number } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const head = new DataView(new ArrayBuffer(24));
  head.setUint32(0, 0xa1b2c3d4, true);
  head.setUint16(4, 2, true);
  head.setUint16(6, 4, true);
  head.setUint32(16, 65535, true);
  head.setUint32(20, 1, true);
  parts.push(new Uint8Array(head.buffer));
  frames.forEach((f, i) => {
    const rec = new DataView(new ArrayBuffer(16));
    rec.setUint32(0, 1700000000 + i, true);
    rec.setUint32(4, 250000 * i, true);
    rec.setUint32(8, f.length, true);
    rec.setUint32(12, f.length, true);
    parts.push(new Uint8Array(rec.buffer), f);
  });
  const total = parts.reduce((n, p) => n + p.length, 0) - (opts.truncateLast ?? 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    const take = Math.min(p.length, total - o);
    out.set(p.subarray(0, take), o);
    o += take;
  }
  return out;
}

const UDP = hexBytes('ffffffffffff 001122334455 0800 4500 001c 0001 0000 4011 0000 0a000001 0a000002 0035 0035 0008 0000');
const SHORT_IP = hexBytes('ffffffffffff 001122334455 0800 4500 001c 0001 0000 40');

function write(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  await build({ entryPoints: ['src/cli/main.ts'], outfile: cli, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
});

describe('fathom CLI', () => {
  it('info prints the capture facts as JSON', () => {
    const f = write('two.pcap', pcap([UDP, UDP]));
    const r = run('info', f);
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info).toMatchObject({ format: 'pcap', packets: 2, bytes: 2 * UDP.length, linkTypes: [{ linkType: 1, name: 'Ethernet' }] });
    expect(info.firstTime).toBe(1700000000);
    expect(info.lastTime).toBeCloseTo(1700000001.25, 6);
    expect(info.warnings).toEqual([]);
  });

  it('list prints one tab-separated line per frame with the seven columns', () => {
    const f = write('list.pcap', pcap([UDP, UDP]));
    const r = run('list', f);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const cols = lines[1].split('\t');
    expect(cols.slice(0, 4)).toEqual(['2', '1.250000', '10.0.0.1', '10.0.0.2']);
    expect(cols[5]).toBe(String(UDP.length));
    expect(cols).toHaveLength(7);
  });

  it('list --json gives the same rows as objects', () => {
    const f = write('json.pcap', pcap([UDP]));
    const rows = JSON.parse(run('list', f, '--json').stdout);
    expect(rows).toEqual([expect.objectContaining({ number: 1, time: '0.000000', source: '10.0.0.1', destination: '10.0.0.2', length: UDP.length })]);
  });

  it('fields prints a header and tshark-formatted values, empty where absent', () => {
    const f = write('fields.pcap', pcap([UDP]));
    const r = run('fields', f, '-e', 'frame.number', '-e', 'ip.src', '-e', 'eth.type', '-e', 'ip.flags.df', '-e', 'arp.opcode_not_here_either_way');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^fathom: Some fields aren't valid/);
    const ok = run('fields', f, '-e', 'frame.number', '-e', 'ip.src', '-e', 'eth.type', '-e', 'frame.time_epoch');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('frame.number\tip.src\teth.type\tframe.time_epoch\n1\t10.0.0.1\t0x0800\t1700000000.000000000\n');
  });

  it('tree prints the detail tree, and --json its nodes with offsets', () => {
    const f = write('tree.pcap', pcap([UDP]));
    const text = run('tree', f, '1');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2\n    0100 .... = Version: 4');
    const nodes = JSON.parse(run('tree', f, '1', '--json').stdout);
    const ip = nodes.find((n: { field: string }) => n.field === 'ip');
    const src = ip.children.find((n: { field: string }) => n.field === 'ip.src');
    expect(src).toMatchObject({ value: '10.0.0.1', offset: 26, length: 4 });
    expect(run('tree', f, '9').status).toBe(2);
  });

  it('keeps every readable frame of a truncated file and warns on stderr with the byte offset', () => {
    const f = write('cut.pcap', pcap([UDP, SHORT_IP, UDP], { truncateLast: 5 }));
    const r = run('list', f);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/\[Malformed Packet\]$/);
    expect(r.stderr).toMatch(/^fathom: warning: .*frame 3.*byte \d+/m);
  });

  it('exits 1 with "fathom: …" for unreadable input and 2 for bad usage', () => {
    const text = write('notes.txt', 'hello, this is not a capture\n');
    const r1 = run('info', text);
    expect(r1.status).toBe(1);
    expect(r1.stderr).toMatch(/^fathom: .*not a capture file/);
    expect(run('info', join(dir, 'missing.pcap')).status).toBe(1);
    expect(run('info', write('empty.pcap', new Uint8Array(0))).status).toBe(1);
    expect(run('frobnicate').status).toBe(2);
    expect(run('list').status).toBe(2);
    expect(run('fields', write('x.pcap', pcap([UDP]))).status).toBe(2);
  });
});
