import type { ByteSource, ReadIntoSource } from '../../src/core/capture/byte-source';

/**
 * Bytes in memory behind the interface of a Node file: `readInto` fills the caller's buffer a timer tick
 * later (so reads really overlap the work done meanwhile), and the source records the buffers it filled and
 * how many reads are in flight, so tests can check buffer reuse and that no read outlives its caller.
 */
export class ReadIntoMemory implements ByteSource, ReadIntoSource {
  readonly buffers = new Set<ArrayBufferLike>();
  inFlight = 0;

  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {}

  get size(): number {
    return this.bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(Math.max(0, Math.min(length, this.size - offset)));
    return out.subarray(0, await this.readInto(offset, length, out));
  }

  async readInto(offset: number, length: number, into: Uint8Array): Promise<number> {
    this.inFlight++;
    try {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const got = this.bytes.subarray(offset, Math.min(this.size, offset + length, offset + into.length));
      into.set(got);
      this.buffers.add(into.buffer);
      return got.length;
    } finally {
      this.inFlight--;
    }
  }
}
