// The engine the workers expose, exercised directly (no worker): the same calls the pool makes.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createEngine, filterFor, runs, severityLevel } from '../../src/core/engine-api';
import { chunkRanges, concatFrames, framesOfChunk } from '../../src/engine-client/bitset';
import { Channel, isSuperseded, SupersededError } from '../../src/engine-client/channel';
import { poolSize } from '../../src/engine-client/pool';
import { fieldById } from '../../src/core/dissect/field-registry';

const sample = () => new Blob([readFileSync('public/samples/intro-web.pcap')]);

describe('engine', () => {
  it('opens, lists rows with colours, and dissects a frame with its bytes', async () => {
    const e = createEngine();
    const progress: string[] = [];
    const r = await e.open(sample(), 'intro-web.pcap', (p) => progress.push(p.phase));
    expect(r.frames).toBeGreaterThan(10);
    expect(r.partial).toBe(false);
    const rows = await e.rows(Uint32Array.from([3, 1, 2]), true);
    expect(rows.map((x) => x.number)).toEqual([3, 1, 2]);
    expect(rows[1].protocol).toBe('ARP');
    expect(rows[1].color).toBeGreaterThanOrEqual(0);
    const d = await e.detail(9);
    expect(d.sources[0].bytes.length).toBeGreaterThan(14);
    const eth = d.tree.find((n) => n.field === 'eth')!;
    expect(eth.filter).toBe('eth');
    expect(eth.children!.find((c) => c.field === 'eth.src')!.filter).toMatch(/^eth\.src == ([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(d.fields['ip.src']).toEqual({ name: 'Source Address', type: 'IPv4 address' });
  });

  it('holds an open while paused, until it is resumed as many times; reads after the open never wait', async () => {
    const e = createEngine();
    const tick = () => new Promise((r) => setTimeout(r, 30));
    e.pauseOpen();
    e.pauseOpen();
    let opened = false;
    const open = e.open(sample(), 'intro-web.pcap').then((r) => ((opened = true), r));
    await tick();
    expect(opened).toBe(false);
    e.resumeOpen();
    await tick();
    expect(opened).toBe(false);
    e.resumeOpen();
    expect((await open).frames).toBeGreaterThan(10);
    // A resume too many is ignored; a pause after the open does not hold the second-pass work.
    e.resumeOpen();
    e.pauseOpen();
    expect((await e.rows(Uint32Array.from([1, 2]), false)).map((x) => x.number)).toEqual([1, 2]);
    expect(await e.filter('arp', 1, 5)).toBeInstanceOf(Uint8Array);
    e.resumeOpen();
  });

  it('previews the first slice of a capture', async () => {
    const e = createEngine();
    const r = await e.preview(sample(), 'intro-web.pcap', 2000);
    expect(r.partial).toBe(true);
    expect(r.frames).toBeGreaterThan(0);
    expect((await e.rows(Uint32Array.from([1]), false))[0].number).toBe(1);
  });

  it('checks and runs filters over ranges, and sorts', async () => {
    const e = createEngine();
    const { frames } = await e.open(sample(), 'intro-web.pcap');
    expect(e.checkFilter('ip.src = 1.2.3.4')).toMatchObject({ valid: false, error: { start: 7, end: 8 } });
    expect(e.checkFilter('udp')).toMatchObject({ valid: true, fields: ['udp'] });
    const parts: Uint32Array[] = [];
    for (const [first, last] of chunkRanges(frames, 16)) parts.push(framesOfChunk(await e.filter('arp', first, last), first, last));
    expect(Array.from(concatFrames(parts))).toEqual([1, 2]);
    const order = await e.sortOrder('length', null, true);
    expect(order.length).toBe(frames);
    const lens = (await e.rows(order.subarray(0, 3), false)).map((x) => x.length);
    expect(lens[0]).toBeGreaterThanOrEqual(lens[1]);
    const byProto = await e.sortOrder('protocol', Uint32Array.from([9, 1, 3]), false);
    // ARP (1) < TCP (9) < UDP (3)
    expect(Array.from(byProto)).toEqual([1, 9, 3]);
    expect(e.fieldCatalog().some((f) => f.id === 'ip.src')).toBe(true);
    expect(e.filterWords().some((w) => w.word === 'contains')).toBe(true);
  });

  it('refuses a non-capture with a CaptureError', async () => {
    const e = createEngine();
    await expect(e.open(new Blob(['just some text, not a capture']), 'notes.txt')).rejects.toMatchObject({ name: 'CaptureError' });
  });
});

describe('engine helpers', () => {
  it('builds filters for tree items', () => {
    expect(filterFor(fieldById('ip.src'), { field: 'ip.src', value: '10.0.0.1' })).toBe('ip.src == 10.0.0.1');
    expect(filterFor(fieldById('ip'), { field: 'ip' })).toBe('ip');
    expect(filterFor(fieldById('frame.protocols'), { field: 'frame.protocols', value: 'eth:"x"' })).toBe('frame.protocols == "eth:\\"x\\""');
    expect(filterFor(fieldById('data.data'), { field: 'data.data', value: '0a0b0c' })).toBe('data.data == 0a:0b:0c');
    expect(filterFor(undefined, { field: 'x' })).toBe('');
  });
  it('groups frames into runs and maps severities', () => {
    expect(runs([1, 2, 3, 7, 8, 10])).toEqual([
      [1, 3],
      [7, 8],
      [10, 10],
    ]);
    expect(severityLevel(0x00800000)).toBe(5);
    expect(severityLevel(0x00600000)).toBe(4);
    expect(severityLevel(0)).toBe(0);
  });
  it('turns bitsets into frame lists', () => {
    const bits = new Uint8Array([0b10000001, 0b00000010]);
    expect(Array.from(framesOfChunk(bits, 1, 16))).toEqual([1, 8, 10]);
    expect(Array.from(framesOfChunk(bits, 1, 9))).toEqual([1, 8]);
    expect(chunkRanges(20, 10)).toEqual([
      [1, 8],
      [9, 16],
      [17, 20],
    ]);
  });
  it('turns a chunk of a filter into its frame numbers as it arrives, and joins the chunks', () => {
    // Frames 9..28 (20 frames): 9, 16, 17, 28 pass; bits past frame 28 are ignored.
    const chunk = new Uint8Array([0b10000001, 0b00000001, 0b11111000]);
    expect(Array.from(framesOfChunk(chunk, 9, 28))).toEqual([9, 16, 17, 28]);
    expect(Array.from(framesOfChunk(new Uint8Array(0), 1, 8))).toEqual([]);
    expect(Array.from(concatFrames([Uint32Array.from([1, 2]), new Uint32Array(0), Uint32Array.from([9])]))).toEqual([1, 2, 9]);
  });
  it('supersedes older requests', async () => {
    const ch = new Channel();
    const slow = ch.run(() => new Promise((r) => setTimeout(() => r('old'), 10)));
    const fast = ch.run(async () => 'new');
    await expect(fast).resolves.toBe('new');
    await expect(slow).rejects.toBeInstanceOf(SupersededError);
    expect(isSuperseded(new SupersededError())).toBe(true);
  });
  it('sizes the pool from the cores', () => {
    expect(poolSize(2)).toBe(2);
    expect(poolSize(16)).toBe(4);
    expect(poolSize(undefined)).toBe(2);
  });
});
