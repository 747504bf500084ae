import { MemorySource, type ByteSource } from './byte-source';

/** RFC 1952 member header: ID1 ID2 */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export interface GunzipResult {
  source: MemorySource;
  /** Set when the compressed stream ended early or was corrupt; what was inflated before that is kept. */
  error?: string;
}

const READ_SLICE = 4 << 20;

/**
 * Inflates a gzip source into memory with the platform's DecompressionStream (browsers, workers, Node ≥ 18).
 * A capture cannot be read at random offsets inside a deflate stream, so the inflated bytes are kept.
 */
export async function gunzip(src: ByteSource, maxBytes: number): Promise<GunzipResult> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let error: string | undefined;
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const pump = (async () => {
    for (let off = 0; off < src.size; off += READ_SLICE) {
      await writer.write((await src.read(off, READ_SLICE)) as Uint8Array<ArrayBuffer>);
    }
    await writer.close();
  })();
  pump.catch(() => undefined); // the reader side reports the failure
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        error = `decompressed capture exceeds the ${maxBytes}-byte limit; the rest is not loaded`;
        await reader.cancel();
        break;
      }
      chunks.push(value);
    }
  } catch (e) {
    error = `gzip stream is corrupt or truncated after ${total} decompressed bytes (${(e as Error).message})`;
  }
  return { source: new MemorySource(src.name.replace(/\.gz$/i, ''), chunks), error };
}
