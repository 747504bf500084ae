/**
 * What a session keeps after a pass over every frame: its index and state, never the windows of the file it
 * read (a module-level scratch object that kept the last frame's view held a whole window: 8 MiB for a Node
 * file, 32 MiB in a browser). Checked with weak references to every window a source handed out.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateMixedCapture } from '../../bench/generate';
import type { ByteSource } from '../../src/core/capture/byte-source';
import { CaptureSession } from '../../src/core/session';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A source that hands out a fresh copy for every read and remembers each weakly. */
class WatchedSource implements ByteSource {
  readonly handedOut: WeakRef<ArrayBuffer>[] = [];
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {}
  get size(): number {
    return this.bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const copy = this.bytes.slice(offset, Math.min(this.size, offset + length));
    this.handedOut.push(new WeakRef(copy.buffer));
    return copy;
  }
  /** Windows still reachable after a full collection: [which read, its size]. */
  async alive(): Promise<[number, number][]> {
    // WeakRef targets stay alive until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    const out: [number, number][] = [];
    this.handedOut.forEach((w, i) => {
      const buffer = w.deref();
      if (buffer) out.push([i, buffer.byteLength]);
    });
    return out;
  }
}

function mixedCapture(frames: number): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-memory-'));
  try {
    const path = join(dir, 'mixed.pcap');
    generateMixedCapture(path, frames, 'session-memory');
    return new Uint8Array(readFileSync(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('session memory', () => {
  const bytes = mixedCapture(4_000);

  it.each([
    ['while reading', true],
    ['after reading', false],
  ])('keeps no window of the file after the first pass (%s) or a list of every frame', async (_how, fused) => {
    const source = new WatchedSource('mixed.pcap', bytes);
    const session = await CaptureSession.open(source, { firstPassWhileReading: fused, windowBytes: 64 << 10 });
    await session.ensureFirstPass();
    expect(source.handedOut.length).toBeGreaterThan(10);
    expect(await source.alive()).toEqual([]);
    let rows = 0;
    await session.list(1, session.frameCount, () => void rows++);
    expect(rows).toBe(4_000);
    expect(await source.alive()).toEqual([]);
  });
});
