import { canReadInto, type ByteSource } from './byte-source';
import { gunzip, isGzip } from './gzip';
import { FrameIndex } from './frame-index';
import { PcapParser, isPcap } from './pcap';
import { PcapngParser, isPcapng } from './pcapng';
import { isKnownLinkType as isKnownLink } from './link-types';
import type { CaptureFormat, CaptureInterface, CaptureParser, CaptureSink, CaptureWarning } from './capture-types';

/** Largest capture we open: frame offsets fit 32 bits (the index is 27 bytes a frame; bytes stay in the source). */
export const MAX_CAPTURE_BYTES = 4 * 1024 ** 3;
/**
 * Bytes read at a time. A browser reads a File through its own process at a cost per read: on the bench
 * capture (791 MB) in Chromium, 32 MiB windows opened it in 1.2-1.6 s against 1.5-1.7 s with 8 MiB. A Node
 * file (a source that can read into a buffer) reads cheaply into two reused buffers: 8 MiB there.
 */
const WINDOW = 32 << 20;
const FILE_WINDOW = 8 << 20;

export interface Capture extends CaptureSink {
  /** The bytes frames point into (the inflated stream for gzip). */
  source: ByteSource;
  format: CaptureFormat;
  compressed: boolean;
  fileSize: number;
}

export class CaptureError extends Error {}

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
  frames: number;
}

export interface OpenOptions {
  /** Called after each window is parsed; return false to cancel (the frames read so far are kept). */
  onProgress?: (p: ReadProgress) => boolean | void;
  windowBytes?: number;
  /**
   * Called after each window with the frames first..last it added to the index, all of whose bytes lie in
   * `data` (which starts at byte `dataOffset` of the source): a pass over the frames can run as they are
   * read, without reading the file again. `capture` is the index and interfaces so far.
   */
  onFrames?: (capture: CaptureSink, data: Uint8Array, dataOffset: number, first: number, last: number) => void;
}

/**
 * Reads a capture's records into a columnar index, window by window. Bad input never throws out of here
 * except as CaptureError, and only when no frame at all can be read: otherwise every frame read before the
 * problem is kept and the problem is a warning that names the byte offset (and the frame, where known).
 */
export async function openCapture(src: ByteSource, options: OpenOptions = {}): Promise<Capture> {
  const warnings: CaptureWarning[] = [];
  if (src.size === 0) throw new CaptureError(`${src.name}: the file is empty`);
  if (src.size > MAX_CAPTURE_BYTES) {
    throw new CaptureError(`${src.name}: ${src.size} bytes is larger than the ${MAX_CAPTURE_BYTES}-byte maximum Fathom opens`);
  }
  let source = src;
  let compressed = false;
  let head = await readOrThrow(src, 0, 16);
  if (isGzip(head)) {
    const res = await gunzip(src, MAX_CAPTURE_BYTES);
    source = res.source;
    compressed = true;
    if (res.error) warnings.push({ offset: 0, message: `gzip: ${res.error}` });
    if (source.size === 0) throw new CaptureError(`${src.name}: the gzip stream holds no data${res.error ? ` (${res.error})` : ''}`);
    head = await source.read(0, 16);
  }
  const sink: CaptureSink = { index: new FrameIndex(), interfaces: [], comments: new Map(), warnings };
  let parser: CaptureParser;
  if (isPcapng(head)) parser = new PcapngParser(sink);
  else if (isPcap(head)) parser = new PcapParser(sink);
  else {
    const what = looksLikeText(head) ? '; it looks like text' : '';
    throw new CaptureError(`${src.name}: not a capture file (no pcap or pcapng magic number at byte 0${compressed ? ' of the decompressed data' : ''}${what})`);
  }

  const windowBytes = Math.max(1, Math.floor(options.windowBytes ?? (canReadInto(source) ? FILE_WINDOW : WINDOW)));
  const readWindow = windowReader(source);
  /** Where the window being read starts, and how many bytes it asks for. */
  let pos = 0;
  let want = windowBytes;
  /** Why reading ended before the end of the file, if it did. */
  let stopReason: string | undefined;
  const stop = (offset: number, message: string) => {
    warnings.push({ offset, message });
    stopReason = message;
  };
  let pending: Promise<Uint8Array> | null = pos < source.size ? readWindow(pos, want) : null;
  while (pending) {
    let data: Uint8Array;
    try {
      data = await pending;
    } catch (e) {
      stop(pos, `reading the file failed at byte ${pos} (${errorText(e)}); the rest of the file is not read`);
      break;
    }
    pending = null;
    const dataOffset = pos;
    const asked = want;
    const atEnd = pos + data.length >= source.size;
    const indexed = sink.index.count;
    let used: number;
    try {
      used = parser.feed(data, pos, atEnd);
    } catch (e) {
      // A reader bug must not lose the frames already indexed.
      stop(pos, `internal error while reading near byte ${pos} (${errorText(e)}); the rest of the file is not read`);
      break;
    }
    pos += used;
    if (used === 0 && !parser.stopped) {
      if (atEnd) break;
      // Nothing consumed: the parser needs a bigger window. If it already had as much as it asked for, or
      // the source gave less than asked, it would ask again forever: stop instead.
      if (parser.needBytes <= data.length || data.length < asked) {
        stop(pos, `reading stalled at byte ${pos} (the source returned ${data.length} of ${asked} bytes); the rest of the file is not read`);
        break;
      }
    }
    // A record larger than the window: offer a window that holds it.
    want = parser.needBytes > windowBytes ? parser.needBytes : windowBytes;
    // The next window is read while this one's frames are handed on, so the disk and the pass overlap.
    if (pos < source.size && !parser.stopped) {
      pending = readWindow(pos, want);
      // Not awaited if loading is cancelled below: keep a failed read from being reported as unhandled.
      pending.catch(() => {});
    }
    if (options.onFrames && sink.index.count > indexed) options.onFrames(sink, data, dataOffset, indexed + 1, sink.index.count);
    if (options.onProgress?.({ bytesRead: pos, totalBytes: source.size, frames: sink.index.count }) === false) {
      if (pending) {
        warnings.push({ offset: pos, message: `loading cancelled at byte ${pos} after ${sink.index.count} frames` });
        // Let the read finish before returning: the caller may reuse the source at once.
        await pending.catch(() => {});
      }
      break;
    }
  }
  // A parser that stops pushes its reason as the last warning.
  if (parser.stopped && stopReason === undefined) stopReason = warnings[warnings.length - 1]?.message;
  for (let i = 0; i < sink.interfaces.length; i++) {
    const iface = sink.interfaces[i];
    if (isKnownLink(iface.linkType)) continue;
    const where = parser.format === 'pcapng' ? `interface ${i}${iface.name ? ` (${iface.name})` : ''}, described at byte ${iface.offset ?? 0}` : `the file header, byte ${iface.offset ?? 0}`;
    warnings.push({ offset: iface.offset ?? 0, message: `link type ${iface.linkType} (${where}) is not supported; its frames are shown as data` });
  }
  if (sink.droppedWarnings) {
    warnings.push({ offset: pos, message: `${sink.droppedWarnings} more warnings like the ones above are not listed` });
  }
  sink.index.trim();
  if (sink.index.count === 0 && stopReason !== undefined) {
    throw new CaptureError(`${src.name}: no frame could be read: ${stopReason}`);
  }
  return { ...sink, source, format: parser.format, compressed, fileSize: src.size };
}

/**
 * Reads windows of a source. A source that reads into our buffers gets two, used in turn and grown when a
 * window asks for more: the window being handed on and the one being read never share one, and a pass over
 * a big file allocates (and zero-fills) no fresh buffer per window. Other sources allocate their own.
 */
function windowReader(source: ByteSource): (offset: number, length: number) => Promise<Uint8Array> {
  if (!canReadInto(source)) return (offset, length) => source.read(offset, length);
  const buffers = [new Uint8Array(0), new Uint8Array(0)];
  let which = 0;
  return async (offset, length) => {
    which ^= 1;
    const size = Math.max(0, Math.min(length, source.size - offset));
    if (buffers[which].length < size) buffers[which] = new Uint8Array(size);
    const buf = buffers[which];
    const got = await source.readInto(offset, size, buf);
    return buf.subarray(0, got);
  };
}

async function readOrThrow(src: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  try {
    return await src.read(offset, length);
  } catch (e) {
    throw new CaptureError(`${src.name}: cannot read the file (${errorText(e)})`);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function looksLikeText(head: Uint8Array): boolean {
  for (const b of head) if (b < 9 || (b > 13 && b < 32)) return false;
  return head.length > 0;
}

export type { CaptureInterface, CaptureWarning, CaptureFormat };
