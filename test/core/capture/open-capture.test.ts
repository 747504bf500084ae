import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { CaptureError, MAX_CAPTURE_BYTES, openCapture, type Capture, type OpenOptions, type ReadProgress } from '../../../src/core/capture/open-capture';
import { BlobSource, MemorySource, type ByteSource } from '../../../src/core/capture/byte-source';
import { FrameIndex } from '../../../src/core/capture/frame-index';
import { PcapngWriter, counting, pcapFile } from '../../fixtures/capture-writer';
import { ReadIntoMemory } from '../../helpers/read-into-source';

function indexRows(cap: Capture) {
  const ix = cap.index;
  const rows = [];
  for (let i = 0; i < ix.count; i++) rows.push([ix.offset[i], ix.capLen[i], ix.origLen[i], ix.tsSec[i], ix.tsNsec[i], ix.iface[i], ix.flags[i]]);
  return rows;
}

/** Everything a reader produces, for comparing two ways of reading the same file. */
function summary(cap: Capture) {
  return { format: cap.format, compressed: cap.compressed, interfaces: cap.interfaces, rows: indexRows(cap), comments: [...cap.comments], warnings: cap.warnings };
}

const open = (bytes: Uint8Array, options?: OpenOptions) => openCapture(MemorySource.of('t', bytes), options);

function samplePcap(frames = 50): Uint8Array {
  return pcapFile(Array.from({ length: frames }, (_, i) => ({ sec: 100 + i, frac: i * 1000, data: counting(20 + ((i * 37) % 300), i) })));
}

function samplePcapng(): Uint8Array {
  const w = new PcapngWriter().shb().idb({ linkType: 1, name: 'a' }).idb({ linkType: 101, tsresol: 9 });
  for (let i = 0; i < 40; i++) w.epb({ iface: i % 2, ts: BigInt(i) * 1_000_003n, data: counting(10 + ((i * 53) % 400), i), comments: i % 7 ? [] : [`c${i}`] });
  return w.shb({ littleEndian: false }).idb().spb({ data: counting(99) }).bytes();
}

/** A source that fails when asked for bytes at or after `failAt`. */
class FailingSource implements ByteSource {
  readonly name = 'failing';
  constructor(
    private readonly bytes: Uint8Array,
    private readonly failAt: number,
  ) {}
  get size() {
    return this.bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset + length > this.failAt) throw new Error('disk on fire');
    return this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
  }
}

describe('openCapture', () => {
  it('detects each format by its magic, whatever the file is called', async () => {
    expect((await open(samplePcap())).format).toBe('pcap');
    expect((await open(pcapFile([{ sec: 1, data: counting(4) }], { nanoseconds: true }))).format).toBe('pcap-nsec');
    expect((await open(samplePcapng())).format).toBe('pcapng');
    const gz = await open(new Uint8Array(gzipSync(samplePcapng())));
    expect([gz.format, gz.compressed]).toEqual(['pcapng', true]);
  });

  it('refuses files it cannot read at all', async () => {
    await expect(open(new Uint8Array(0))).rejects.toThrow(new CaptureError('t: the file is empty'));
    await expect(open(counting(64))).rejects.toThrow(new CaptureError('t: not a capture file (no pcap or pcapng magic number at byte 0)'));
    const huge: ByteSource = { name: 'huge', size: MAX_CAPTURE_BYTES + 1, read: async () => new Uint8Array(0) };
    await expect(openCapture(huge)).rejects.toThrow(/larger than the 4294967296-byte maximum/);
    await expect(openCapture(new FailingSource(samplePcap(), 0))).rejects.toThrow(new CaptureError('failing: cannot read the file (disk on fire)'));
  });

  it('gives the same result for any window size, and for records larger than the window', async () => {
    // A 262144-byte pcap record (the largest allowed) and a 1 MiB pcapng block between small ones.
    const pcap = pcapFile([{ sec: 1, data: counting(10) }, { sec: 2, data: counting(262144) }, { sec: 3, data: counting(10) }], { snapLen: 262144 });
    const ng = new PcapngWriter().shb().idb().epb({ data: counting(10) }).epb({ data: counting(1 << 20) }).epb({ data: counting(10) }).bytes();
    for (const file of [pcap, ng, samplePcap(), samplePcapng()]) {
      const whole = summary(await open(file));
      expect(whole.warnings).toEqual([]);
      for (const w of [1, 7, 64, 4096, 100000]) expect(summary(await open(file, { windowBytes: w }))).toEqual(whole);
    }
  });

  it('gives the same result from a Blob, from memory, and from memory in odd chunks', async () => {
    for (const file of [samplePcap(), samplePcapng(), new Uint8Array(gzipSync(samplePcap()))]) {
      const mem = summary(await openCapture(MemorySource.of('f', file), { windowBytes: 1000 }));
      const blob = summary(await openCapture(new BlobSource(new Blob([file as Uint8Array<ArrayBuffer>]), 'f'), { windowBytes: 1000 }));
      expect(blob).toEqual(mem);
      const chunks = [];
      for (let at = 0, k = 1; at < file.length; at += k, k = (k * 3 + 1) % 97 || 1) chunks.push(file.subarray(at, at + k));
      expect(summary(await openCapture(new MemorySource('f', chunks), { windowBytes: 1000 }))).toEqual(mem);
    }
  });

  it('reads a source that reads into its buffers (a Node file) the same way, in two reused buffers', async () => {
    const pcap = pcapFile([{ sec: 1, data: counting(10) }, { sec: 2, data: counting(262144) }, { sec: 3, data: counting(10) }], { snapLen: 262144 });
    const cut = samplePcap(200).subarray(0, 200 * 100);
    for (const file of [pcap, samplePcap(200), samplePcapng(), cut]) {
      const whole = summary(await open(file));
      for (const w of [7, 4096, 100000, undefined]) {
        const src = new ReadIntoMemory('t', file);
        expect(summary(await openCapture(src, { windowBytes: w }))).toEqual(whole);
        expect(src.inFlight).toBe(0);
      }
    }
    // The head is read on its own; every window then goes to one of two buffers.
    const src = new ReadIntoMemory('t', samplePcap(200));
    await openCapture(src, { windowBytes: 4096 });
    expect(src.buffers.size).toBe(3);
  });

  it('leaves no read in flight when loading is cancelled', async () => {
    const src = new ReadIntoMemory('t', samplePcap(200));
    let calls = 0;
    const cap = await openCapture(src, { windowBytes: 4096, onProgress: () => ++calls < 2 });
    expect(src.inFlight).toBe(0);
    expect(cap.warnings.at(-1)!.message).toMatch(/^loading cancelled at byte \d+ after \d+ frames$/);
  });

  it('reports progress and can be cancelled, keeping the frames read so far', async () => {
    const file = samplePcap(200);
    const seen: ReadProgress[] = [];
    const all = await open(file, { windowBytes: 4096, onProgress: (p) => void seen.push(p) });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.at(-1)).toEqual({ bytesRead: file.length, totalBytes: file.length, frames: 200 });
    for (let i = 1; i < seen.length; i++) expect(seen[i].bytesRead).toBeGreaterThan(seen[i - 1].bytesRead);

    let calls = 0;
    const cut = await open(file, { windowBytes: 4096, onProgress: () => ++calls < 3 });
    expect(calls).toBe(3);
    expect(cut.index.count).toBe(seen[2].frames);
    expect(indexRows(cut)).toEqual(indexRows(all).slice(0, seen[2].frames));
    expect(cut.warnings).toEqual([{ offset: seen[2].bytesRead, message: `loading cancelled at byte ${seen[2].bytesRead} after ${seen[2].frames} frames` }]);

    // Cancelling when everything is read already cancels nothing.
    const late = await open(file, { onProgress: () => false });
    expect(late.index.count).toBe(200);
    expect(late.warnings).toEqual([]);
  });

  it('keeps the frames read before the source fails', async () => {
    const file = samplePcap(200);
    const cap = await openCapture(new FailingSource(file, 9000), { windowBytes: 4096 });
    expect(cap.index.count).toBeGreaterThan(10);
    expect(indexRows(cap)).toEqual(indexRows(await open(file)).slice(0, cap.index.count));
    const w = cap.warnings.at(-1)!;
    expect(w.message).toBe(`reading the file failed at byte ${w.offset} (disk on fire); the rest of the file is not read`);
  });

  it('does not loop forever on a source that returns less than asked', async () => {
    const file = samplePcap(3);
    const stingy: ByteSource = { name: 'stingy', size: file.length, read: async (o, n) => file.subarray(o, o + Math.min(n, 10)) };
    await expect(openCapture(stingy)).rejects.toThrow(/reading stalled at byte 0 \(the source returned 10 of 33554432 bytes\)/);
  });

  it('names the interface whose link type has no dissector', async () => {
    const cap = await open(new PcapngWriter().shb().idb({ linkType: 1 }).idb({ linkType: 147, name: 'user0' }).epb({ iface: 1, data: counting(8) }).bytes());
    expect(cap.index.count).toBe(1);
    expect(cap.warnings).toEqual([{ offset: 48, message: 'link type 147 (interface 1 (user0), described at byte 48) is not supported; its frames are shown as data' }]);
  });

  it('FrameIndex grows from any size, including after trim() left it empty', () => {
    const ix = new FrameIndex();
    ix.trim();
    expect(ix.offset.length).toBe(0);
    const numbers = [];
    for (let i = 0; i < 5000; i++) numbers.push(ix.push(i * 10, 1, 2, i, 5, 0));
    expect(numbers).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1));
    ix.trim();
    expect([ix.count, ix.offset.length, ix.tsSec[4999], ix.offset[1234]]).toEqual([5000, 5000, 4999, 12340]);
    expect(ix.bytesPerFrame()).toBe(27);
  });

  it('FrameIndex holds every offset of the largest capture it opens (32 bits)', () => {
    const ix = new FrameIndex();
    const last = MAX_CAPTURE_BYTES - 1;
    ix.push(last - 70_000, 60, 60, 1, 0, 0);
    ix.push(last, 1, 1, 2, 0, 0);
    expect([ix.offset[0], ix.offset[1]]).toEqual([last - 70_000, last]);
  });
});
