import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { openCapture, type Capture } from '../../../src/core/capture/open-capture';
import { BlobSource, MemorySource } from '../../../src/core/capture/byte-source';
import { forEachFrameBytes, forEachFrameSpan, frameBytes } from '../../../src/core/frame-source';
import type { ByteSource } from '../../../src/core/capture/byte-source';
import { PcapngWriter, counting, pcapFile } from '../../fixtures/capture-writer';

/** Frame i (1-based) holds counting(len, i): its bytes say which frame they are. */
const LENGTHS = [5, 0, 300, 1, 4000, 17, 64, 2, 1500, 9];
const frameData = (i: number) => counting(LENGTHS[i - 1], i);
const PCAP = pcapFile(LENGTHS.map((_, k) => ({ sec: k, data: frameData(k + 1) })));
const PCAPNG = (() => {
  const w = new PcapngWriter().shb().idb();
  LENGTHS.forEach((_, k) => w.epb({ data: frameData(k + 1), comments: k % 2 ? ['x'] : [] }));
  return w.bytes();
})();

async function collect(cap: Capture, first: number, last: number, windowBytes?: number, stopAfter = Infinity) {
  const got: [number, number[]][] = [];
  await forEachFrameBytes(
    cap,
    first,
    last,
    (n, bytes) => {
      got.push([n, Array.from(bytes)]);
      return got.length < stopAfter;
    },
    windowBytes,
  );
  return got;
}

const expected = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, k) => [first + k, Array.from(frameData(first + k))]);

describe('frame source', () => {
  for (const [name, file] of [
    ['pcap', PCAP],
    ['pcapng', PCAPNG],
    ['gzipped pcap', new Uint8Array(gzipSync(PCAP))],
  ] as const) {
    it(`hands out the same bytes from memory and from a Blob (${name})`, async () => {
      const mem = await openCapture(MemorySource.of('m', file));
      const blob = await openCapture(new BlobSource(new Blob([file as Uint8Array<ArrayBuffer>]), 'b'));
      expect(mem.index.count).toBe(10);
      expect(await collect(mem, 1, 10)).toEqual(expected(1, 10));
      // Windows smaller than one frame, about one frame, and larger than the file.
      for (const w of [1, 100, 2000, 1 << 20, undefined]) expect(await collect(blob, 1, 10, w)).toEqual(expected(1, 10));
      expect(await collect(blob, 3, 7, 50)).toEqual(expected(3, 7));
      for (let n = 1; n <= 10; n++) {
        expect(await frameBytes(mem, n)).toEqual(frameData(n));
        expect(await frameBytes(blob, n)).toEqual(frameData(n));
      }
    });
  }

  it('stops when the callback returns false', async () => {
    const blob = await openCapture(new BlobSource(new Blob([PCAP as Uint8Array<ArrayBuffer>])));
    const mem = await openCapture(MemorySource.of('m', PCAP));
    expect(await collect(blob, 1, 10, 100, 3)).toEqual(expected(1, 3));
    expect(await collect(mem, 2, 10, undefined, 2)).toEqual(expected(2, 3));
  });

  it('clips the range to the frames that exist', async () => {
    const mem = await openCapture(MemorySource.of('m', PCAP));
    const blob = await openCapture(new BlobSource(new Blob([PCAP as Uint8Array<ArrayBuffer>])));
    for (const cap of [mem, blob]) {
      expect(await collect(cap, 0, 99)).toEqual(expected(1, 10));
      expect(await collect(cap, 8, 99)).toEqual(expected(8, 10));
      expect(await collect(cap, 5, 4)).toEqual([]);
    }
  });

  it('gives views, not copies, for frames in memory', async () => {
    const mem = await openCapture(MemorySource.of('m', PCAP));
    let shared = true;
    await forEachFrameBytes(mem, 1, 10, (_n, bytes) => void (shared &&= bytes.length === 0 || bytes.buffer === PCAP.buffer));
    expect(shared).toBe(true);
  });

  it('reads frames that straddle the chunks of an inflated stream', async () => {
    const chunks = [];
    for (let at = 0; at < PCAP.length; at += 7) chunks.push(PCAP.subarray(at, at + 7));
    const cap = await openCapture(new MemorySource('chunky', chunks));
    expect(await collect(cap, 1, 10)).toEqual(expected(1, 10));
  });

  it('reuses the read buffers of a source that reads into them, walk after walk, but never in two walks at once', async () => {
    /** A file-like source: reads into the caller's buffer, a turn of the event loop later. */
    class IntoSource implements ByteSource {
      readonly name = 'into';
      readonly size = PCAP.length;
      read(offset: number, length: number): Promise<Uint8Array> {
        return Promise.resolve(PCAP.slice(offset, offset + length));
      }
      async readInto(offset: number, length: number, into: Uint8Array): Promise<number> {
        await new Promise((r) => setTimeout(r, 0));
        const got = PCAP.subarray(offset, offset + length);
        into.set(got);
        return got.length;
      }
    }
    const cap = await openCapture(new IntoSource());
    const walk = async (buffers: Set<ArrayBufferLike>) => {
      const got: [number, number[]][] = [];
      await forEachFrameSpan(cap, 1, 10, (n, buf, at, length) => {
        buffers.add(buf.buffer);
        got.push([n, Array.from(buf.subarray(at, at + length))]);
      }, 2000);
      return got;
    };
    const first = new Set<ArrayBufferLike>();
    expect(await walk(first)).toEqual(expected(1, 10));
    const second = new Set<ArrayBufferLike>();
    expect(await walk(second)).toEqual(expected(1, 10));
    expect([...second].every((b) => first.has(b))).toBe(true);
    // Two walks at once: each has its own pair, and both see their frames' bytes.
    const a = new Set<ArrayBufferLike>();
    const b = new Set<ArrayBufferLike>();
    const [ga, gb] = await Promise.all([walk(a), walk(b)]);
    expect(ga).toEqual(expected(1, 10));
    expect(gb).toEqual(expected(1, 10));
    expect([...a].some((x) => b.has(x))).toBe(false);
  });

  it('refuses frame numbers outside the capture', async () => {
    const mem = await openCapture(MemorySource.of('m', PCAP));
    await expect(frameBytes(mem, 0)).rejects.toThrow(RangeError);
    await expect(frameBytes(mem, 11)).rejects.toThrow('frame 11 is not in the capture (1–10)');
    await expect(frameBytes(mem, 1.5)).rejects.toThrow(RangeError);
  });
});
