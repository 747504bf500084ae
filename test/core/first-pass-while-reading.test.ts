/**
 * The first pass run while the capture is read (SessionOptions.firstPassWhileReading): each window's frames
 * are dissected as they are indexed, with per-frame state growing as frames come, and the result must be the
 * state a first pass after the reading leaves — whatever the window size, over gzip, and when reading stops.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateMixedCapture } from '../../bench/generate';
import { MemorySource } from '../../src/core/capture/byte-source';
import { CaptureSession } from '../../src/core/session';
import { firstPassOutcome } from '../helpers/first-pass-ways';
import { ReadIntoMemory } from '../helpers/read-into-source';

/** 6,000 frames of the bench generator's mixed traffic, as bytes. */
function mixedCapture(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-fused-'));
  try {
    const path = join(dir, 'mixed.pcap');
    generateMixedCapture(path, 6_000, 'while-reading');
    return new Uint8Array(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('first pass while reading', () => {
  const bytes = mixedCapture();

  it('leaves the state a first pass after the reading leaves, for any window size and over gzip', async () => {
    const open = async () => MemorySource.of('mixed.pcap', bytes);
    const after = await firstPassOutcome(open, true);
    expect(after.length).toBeGreaterThan(3 * 6_000);
    for (const windowBytes of [1500, 65536, undefined]) {
      const during = await firstPassOutcome(open, true, { firstPassWhileReading: true, windowBytes });
      for (let i = 0; i < after.length; i++) if (during[i] !== after[i]) expect(`${windowBytes}: ${during[i]}`).toBe(`${windowBytes}: ${after[i]}`);
      expect(during.length).toBe(after.length);
    }
    // A Node file's way: windows read into two reused buffers, the next one while this one's frames are dissected.
    for (const windowBytes of [1500, 65536, undefined]) {
      const during = await firstPassOutcome(async () => new ReadIntoMemory('mixed.pcap', bytes), true, { firstPassWhileReading: true, windowBytes });
      for (let i = 0; i < after.length; i++) if (during[i] !== after[i]) expect(`into ${windowBytes}: ${during[i]}`).toBe(`into ${windowBytes}: ${after[i]}`);
      expect(during.length).toBe(after.length);
    }
    const gz = new Uint8Array(gzipSync(bytes));
    expect(await firstPassOutcome(async () => MemorySource.of('mixed.pcap.gz', gz), false, { firstPassWhileReading: true, windowBytes: 8192 })).toEqual(await firstPassOutcome(open, false));
  }, 60_000);

  it('reads a capture cut short to the same frames, state and warning as a later first pass does', async () => {
    const cut = bytes.subarray(0, bytes.length - 100);
    const open = async () => MemorySource.of('cut.pcap', cut);
    expect(await firstPassOutcome(open, true, { firstPassWhileReading: true, windowBytes: 20_000 })).toEqual(await firstPassOutcome(open, true));
    const during = await CaptureSession.open(MemorySource.of('cut.pcap', cut), { firstPassWhileReading: true });
    const after = await CaptureSession.open(MemorySource.of('cut.pcap', cut));
    expect(during.capture.warnings).toEqual(after.capture.warnings);
    expect(during.capture.warnings.length).toBeGreaterThan(0);
    expect(during.frameCount).toBe(after.frameCount);
    expect(during.frameCount).toBeGreaterThan(5_990);
  });

  it('covers the frames read before reading stopped, as a later first pass over them would', async () => {
    let windows = 0;
    const stopAfterThree = () => ++windows < 3;
    const during = await CaptureSession.open(MemorySource.of('m', bytes), { firstPassWhileReading: true, windowBytes: 100_000, onProgress: stopAfterThree });
    windows = 0;
    const after = await CaptureSession.open(MemorySource.of('m', bytes), { windowBytes: 100_000, onProgress: stopAfterThree });
    expect(during.frameCount).toBe(after.frameCount);
    expect(during.frameCount).toBeGreaterThan(100);
    expect(during.frameCount).toBeLessThan(6_000);
    const fields = ['frame.number', 'tcp.stream', 'tcp.seq', 'tcp.analysis.flags', 'tcp.analysis.bytes_in_flight', 'udp.stream', 'udp.time_delta', '_ws.col.Info'];
    const rows = async (s: CaptureSession) => {
      const out: string[] = [];
      await s.fields(fields, 1, s.frameCount, (_n, v) => out.push(v.join('\t')));
      return out;
    };
    expect(await rows(during)).toEqual(await rows(after));
    expect(during.plainFrameCount).toBe(after.plainFrameCount);
  });
});
