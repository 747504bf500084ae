import type { ByteSource } from './byte-source';
import { gunzip, isGzip } from './gzip';
import { FrameIndex } from './frame-index';
import { PcapParser, isPcap } from './pcap';
import { PcapngParser, isPcapng } from './pcapng';
import { isKnownLinkType as isKnownLink } from './link-types';
import type { CaptureFormat, CaptureInterface, CaptureParser, CaptureSink, CaptureWarning } from './capture-types';

/** Largest capture we open (the index is ~31 bytes a frame; bytes stay in the source). */
export const MAX_CAPTURE_BYTES = 4 * 1024 ** 3;
const WINDOW = 8 << 20;

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
}

/** Reads a capture's records into a columnar index, window by window. Throws CaptureError only when no frame can be read. */
export async function openCapture(src: ByteSource, options: OpenOptions = {}): Promise<Capture> {
  const warnings: CaptureWarning[] = [];
  if (src.size === 0) throw new CaptureError(`${src.name}: the file is empty`);
  if (src.size > MAX_CAPTURE_BYTES) {
    throw new CaptureError(`${src.name}: ${src.size} bytes is larger than the ${MAX_CAPTURE_BYTES}-byte maximum Fathom opens`);
  }
  let source = src;
  let compressed = false;
  let head = await src.read(0, 16);
  if (isGzip(head)) {
    const res = await gunzip(src, MAX_CAPTURE_BYTES);
    source = res.source;
    compressed = true;
    if (res.error) warnings.push({ offset: 0, message: `gzip: ${res.error}` });
    head = await source.read(0, 16);
    if (source.size === 0) throw new CaptureError(`${src.name}: the gzip stream holds no data${res.error ? ` (${res.error})` : ''}`);
  }
  const sink: CaptureSink = { index: new FrameIndex(), interfaces: [], comments: new Map(), warnings };
  let parser: CaptureParser;
  if (isPcapng(head)) parser = new PcapngParser(sink);
  else if (isPcap(head)) parser = new PcapParser(sink);
  else throw new CaptureError(`${src.name}: not a capture file (no pcap or pcapng magic at byte 0${looksLikeText(head) ? '; it looks like text' : ''})`);

  const windowBytes = options.windowBytes ?? WINDOW;
  let pos = 0;
  let want = windowBytes;
  while (pos < source.size && !parser.stopped) {
    const data = await source.read(pos, want);
    const atEnd = pos + data.length >= source.size;
    const used = parser.feed(data, pos, atEnd);
    pos += used;
    // A record larger than the window: offer a window that holds it.
    want = parser.needBytes > windowBytes ? parser.needBytes : windowBytes;
    if (used === 0 && atEnd) break;
    if (options.onProgress?.({ bytesRead: pos, totalBytes: source.size, frames: sink.index.count }) === false) {
      warnings.push({ offset: pos, message: `loading cancelled after ${sink.index.count} frames` });
      break;
    }
  }
  for (const iface of sink.interfaces) {
    if (!isKnownLink(iface.linkType)) {
      warnings.push({ offset: 0, message: `link type ${iface.linkType} is not supported; its frames are shown as data` });
    }
  }
  sink.index.trim();
  if (sink.index.count === 0 && warnings.length > 0 && parser.stopped) {
    throw new CaptureError(`${src.name}: no frame could be read: ${warnings[warnings.length - 1].message}`);
  }
  return { ...sink, source, format: parser.format, compressed, fileSize: src.size };
}

function looksLikeText(head: Uint8Array): boolean {
  for (const b of head) if (b < 9 || (b > 13 && b < 32)) return false;
  return head.length > 0;
}

export type { CaptureInterface, CaptureWarning, CaptureFormat };
