import { MemorySource, type ByteSource } from './byte-source';
import { gunzipBytes } from './inflate';

/** RFC 1952 §2.3.1 member header: ID1 ID2. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

export interface GunzipResult {
  source: MemorySource;
  /** Set when the compressed stream ended early or was corrupt; what was inflated before that is kept. */
  error?: string;
}

const READ_SLICE = 4 << 20;

interface NativeRun {
  chunks: Uint8Array[];
  total: number;
  error?: string;
  limited: boolean;
}

/**
 * Inflates a gzip source into memory (a capture cannot be read at random offsets inside a deflate stream,
 * so the inflated bytes are kept).
 *
 * The platform's DecompressionStream does the work (browsers, workers, Node ≥ 18). When it fails on a file
 * that merely stops early, what it gave is everything there is. When it fails for another reason (a corrupt
 * byte, junk after the last member), it drops output it had pending and does not say where the damage is;
 * then the file is decoded again by Fathom's own careful decoder (inflate.ts), which keeps every byte
 * before the damage and names its offset. That slower path runs only for damaged files.
 */
export async function gunzip(src: ByteSource, maxBytes: number): Promise<GunzipResult> {
  const name = src.name.replace(/\.gz$/i, '');
  const native = typeof DecompressionStream === 'undefined' ? undefined : await inflateNative(src, maxBytes);
  if (native && (!native.error || native.limited || isTruncation(native.error))) {
    const error = native.error && !native.limited ? `the gzip stream ends early, after ${native.total} decompressed bytes (${native.error}); what came before is kept` : native.error;
    return { source: new MemorySource(name, native.chunks), error };
  }
  let input: Uint8Array;
  try {
    input = await src.read(0, src.size);
  } catch (e) {
    const why = `reading the compressed file again failed (${e instanceof Error ? e.message : String(e)})`;
    return { source: new MemorySource(name, native?.chunks ?? []), error: `the gzip stream could not be read to its end (${native?.error}) and ${why}; ${native?.total ?? 0} decompressed bytes are kept` };
  }
  // The platform's partial output is dropped before decoding again: the careful decoder keeps at least as
  // much (everything up to the damage), and holding both could double the memory used.
  if (native) native.chunks.length = 0;
  const own = gunzipBytes(input, maxBytes);
  const problems: string[] = [];
  if (own.error !== undefined) {
    problems.push(`the gzip stream is ${own.errorKind} at compressed byte ${own.errorAt} (${own.error}), after ${own.data.length} decompressed bytes; what came before is kept`);
  }
  if (own.limited) problems.push(`the decompressed capture exceeds the ${maxBytes}-byte limit or the memory available; the rest is not loaded`);
  problems.push(...own.notes);
  return { source: new MemorySource(name, [own.data]), error: problems.length ? problems.join('; ') : undefined };
}

/** Messages the platforms give for input that stops early (Node/zlib, Chromium, Firefox). */
function isTruncation(message: string): boolean {
  return /unexpected end|truncated|incomplete|ended prematurely/i.test(message);
}

async function inflateNative(src: ByteSource, maxBytes: number): Promise<NativeRun> {
  const run: NativeRun = { chunks: [], total: 0, limited: false };
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const pump = (async () => {
    for (let off = 0; off < src.size; off += READ_SLICE) {
      await writer.write((await src.read(off, READ_SLICE)) as Uint8Array<ArrayBuffer>);
    }
    await writer.close();
  })();
  // If reading the source fails, fail the stream so the reading side below ends instead of waiting forever.
  pump.catch((e: unknown) => writer.abort(e).catch(() => undefined));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (run.total + value.length > maxBytes) {
        run.limited = true;
        run.error = `the decompressed capture exceeds the ${maxBytes}-byte limit; the rest is not loaded`;
        await reader.cancel().catch(() => undefined);
        break;
      }
      run.total += value.length;
      run.chunks.push(value);
    }
  } catch (e) {
    run.error = e instanceof Error ? e.message : String(e);
  }
  return run;
}
