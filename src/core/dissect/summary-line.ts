import { encodeUtf8, writeDecimal } from './column-text';
import { formatRelativeTime } from './format';
import type { PacketInfo } from './packet-info';
import type { Timestamp } from './proto-tree';

/** A byte buffer that packet-list lines are written into; its owner decides what to do when it fills. */
export interface ByteSink {
  /** The buffer, valid from 0 to `used`; `room` may replace it. */
  buf: Uint8Array;
  used: number;
  /** Makes sure `bytes` more fit after `used` (by writing out what is there, or growing). */
  room(bytes: number): void;
}

const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * Writes one packet-list line as `fathom list` prints it (DESIGN.md §4): No., Time (seconds since the first
 * frame, 6 decimals), Source, Destination, Protocol, Length and Info, tab-separated, then a newline. The
 * columns are copied from the dissection's state, byte by byte: no string is made for the line, nor for the
 * numbers or Info in it (address texts come from their caches).
 */
export function writeSummaryLine(sink: ByteSink, frame: number, relative: Timestamp, origLen: number, pinfo: PacketInfo): void {
  const source = pinfo.sourceColumn();
  const destination = pinfo.destinationColumn();
  const protocol = pinfo.protocol;
  const info = pinfo.infoText;
  // Numbers take at most 16 bytes, the time 2 × 16 and its point and sign; each UTF-16 unit at most 3.
  sink.room(96 + 3 * (source.length + destination.length + protocol.length) + info.length);
  const out = sink.buf;
  let at = writeDecimal(frame, out, sink.used);
  out[at++] = TAB;
  at = writeRelativeTime(relative, out, at);
  out[at++] = TAB;
  at = encodeUtf8(source, out, at);
  out[at++] = TAB;
  at = encodeUtf8(destination, out, at);
  out[at++] = TAB;
  at = encodeUtf8(protocol, out, at);
  out[at++] = TAB;
  at = writeDecimal(origLen, out, at);
  out[at++] = TAB;
  const bytes = info.bytes;
  for (let i = 0, n = info.length; i < n; i++) out[at++] = bytes[i];
  out[at++] = NEWLINE;
  sink.used = at;
}

/** `formatRelativeTime(t, 6)` written as bytes: whole seconds, a point, microseconds truncated. */
function writeRelativeTime(t: Timestamp, out: Uint8Array, at: number): number {
  const { secs, nsecs } = t;
  if (secs < 0 || nsecs < 0 || nsecs >= 1e9 || !Number.isInteger(secs)) return encodeUtf8(formatRelativeTime(t, 6), out, at);
  at = writeDecimal(secs, out, at);
  // 1,000,000 + µs is seven digits, the microseconds zero-padded after a 1: the 1 becomes the point.
  const end = writeDecimal(1_000_000 + Math.floor(nsecs / 1000), out, at);
  out[at] = 0x2e;
  return end;
}
