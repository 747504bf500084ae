/**
 * Where capture bytes come from. Readers never need the whole file in one buffer: they ask a source for
 * windows of it. A Blob (browser File) and a Node file handle are read lazily; decompressed gzip data lives
 * in memory as a list of chunks.
 */
export interface ByteSource {
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /** Bytes [offset, offset + length) clipped to the end of the source. May return a view, never copies more. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A source that can read into a buffer the caller owns (a Node file): passes over many windows then reuse
 * two buffers instead of allocating (and zero-filling) a fresh one per window. Returns the bytes read (fewer
 * at the end of the source).
 */
export interface ReadIntoSource {
  readInto(offset: number, length: number, into: Uint8Array): Promise<number>;
}

export function canReadInto(source: unknown): source is ReadIntoSource {
  return typeof (source as Partial<ReadIntoSource>).readInto === 'function';
}

/** A source held in memory as one or more chunks (an ArrayBuffer, or gunzipped output). */
export class MemorySource implements ByteSource {
  readonly size: number;
  private readonly starts: number[] = [];

  constructor(
    readonly name: string,
    private readonly chunks: Uint8Array[],
  ) {
    let total = 0;
    for (const c of chunks) {
      this.starts.push(total);
      total += c.length;
    }
    this.size = total;
  }

  static of(name: string, bytes: Uint8Array | ArrayBuffer): MemorySource {
    return new MemorySource(name, [bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)]);
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    return Promise.resolve(this.readSync(offset, length));
  }

  readSync(offset: number, length: number): Uint8Array {
    const end = Math.min(this.size, offset + length);
    if (offset >= end) return new Uint8Array(0);
    let i = this.chunkAt(offset);
    const first = this.chunks[i];
    const within = offset - this.starts[i];
    // The common case: the window lies inside one chunk, so a view suffices.
    if (within + (end - offset) <= first.length) return first.subarray(within, within + (end - offset));
    const out = new Uint8Array(end - offset);
    let pos = 0;
    let from = within;
    while (pos < out.length) {
      const c = this.chunks[i++];
      const take = Math.min(c.length - from, out.length - pos);
      out.set(c.subarray(from, from + take), pos);
      pos += take;
      from = 0;
    }
    return out;
  }

  private chunkAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** A Blob or File, read slice by slice (works in browsers, workers and Node). */
export class BlobSource implements ByteSource {
  readonly size: number;
  constructor(
    private readonly blob: Blob,
    readonly name: string = (blob as { name?: string }).name ?? 'capture',
  ) {
    this.size = blob.size;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(this.size, offset + length);
    if (offset >= end) return new Uint8Array(0);
    return new Uint8Array(await this.blob.slice(offset, end).arrayBuffer());
  }
}
