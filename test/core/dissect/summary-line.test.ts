/**
 * The packet list written as bytes (column-text.ts, summary-line.ts): the same text, byte for byte, as the
 * rows made of strings, for numbers of every size, characters of every UTF-8 length, Info fences, and the
 * frames of a mixed capture.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ColumnText, writeDecimal } from '../../../src/core/dissect/column-text';
import { PacketInfo } from '../../../src/core/dissect/packet-info';
import type { ByteSink } from '../../../src/core/dissect/summary-line';
import { CaptureSession, type ListRow } from '../../../src/core/session';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { NodeFileSource } from '../../../src/cli/node-file-source';
import { generateMixedCapture } from '../../../bench/generate';
import { pcapFile } from '../../fixtures/capture-writer';
import { hexBytes } from '../../helpers/dissect';

const utf8 = new TextDecoder();

/** A sink that grows (so a test sees every line) and counts how often it was asked for room. */
class GrowingSink implements ByteSink {
  buf = new Uint8Array(64);
  used = 0;
  room(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buf.length, this.used + bytes));
    grown.set(this.buf.subarray(0, this.used));
    this.buf = grown;
  }
  text(): string {
    return utf8.decode(this.buf.subarray(0, this.used));
  }
}

function tsv(r: ListRow): string {
  return `${r.number}\t${r.time}\t${r.source}\t${r.destination}\t${r.protocol}\t${r.length}\t${r.info}\n`;
}

/** Both ways over a whole capture: the byte lines, and the rows as strings joined with tabs. */
async function bothWays(session: CaptureSession): Promise<{ bytes: string; strings: string }> {
  const sink = new GrowingSink();
  await session.listLines(1, session.frameCount, sink);
  let strings = '';
  await session.list(1, session.frameCount, (r) => (strings += tsv(r)));
  return { bytes: sink.text(), strings };
}

describe('writeDecimal', () => {
  it('writes every size of number as String() does', () => {
    const out = new Uint8Array(32);
    const values = [0, 1, 9, 10, 99, 100, 999, 1000, 65535, 99999, 100000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 9999999999, 10000000000, 123456789012345, 2 ** 53 - 1];
    for (let p = 1; p < 1e16; p *= 10) values.push(p, p - 1, p + 1);
    for (const v of values) {
      const end = writeDecimal(v, out, 3);
      expect(utf8.decode(out.subarray(3, end))).toBe(String(v));
    }
  });
});

describe('ColumnText', () => {
  it('encodes text as TextEncoder does, lone surrogates included', () => {
    const t = new ColumnText();
    const pieces = ['37443 ', '→', ' 53', ' π', ' 😀', ' lone \ud800 high', ' lone \udc00 low', ' end \ud83d'];
    for (const p of pieces) t.append(p);
    const expected = new TextEncoder().encode(pieces.join(''));
    expect(t.bytes.subarray(0, t.length)).toEqual(expected);
    expect(t.toString()).toBe(utf8.decode(expected));
  });

  it('grows past its first buffer and keeps what it held', () => {
    const t = new ColumnText();
    const long = 'x'.repeat(1000);
    t.append('a').appendUint(4294967295).append(long).appendInt(-12).appendInt(7);
    expect(t.toString()).toBe(`a4294967295${long}-127`);
  });

  it('inserts, cuts back, and makes its string afresh after each change', () => {
    const t = new ColumnText();
    t.append('tail');
    expect(t.toString()).toBe('tail');
    expect(t.insert(0, '[→] ')).toBe(6);
    expect(t.toString()).toBe('[→] tail');
    t.insert(6, 'mid ');
    expect(t.toString()).toBe('[→] mid tail');
    t.truncate(6);
    expect(t.toString()).toBe('[→] ');
    t.clear();
    expect(t.toString()).toBe('');
    expect(t.length).toBe(0);
  });
});

describe('PacketInfo Info column', () => {
  it('keeps fenced text when a later layer sets Info, as with strings', () => {
    const p = new PacketInfo();
    p.setInfo('80 → 1234 [ACK]');
    p.prependInfoFenced('[TCP Retransmission] ');
    p.setInfo('HTTP/1.1 200 OK');
    expect(p.info).toBe('[TCP Retransmission] HTTP/1.1 200 OK');
    p.appendInfoSep(', ', 'more');
    p.prependInfo('→ ');
    expect(p.info).toBe('[TCP Retransmission] → HTTP/1.1 200 OK, more');
    p.setInfoFence();
    p.appendInfoSep(', ', 'after fence');
    expect(p.info).toBe('[TCP Retransmission] → HTTP/1.1 200 OK, moreafter fence');
    p.resetInfo()?.append('only ').appendUint(42);
    expect(p.info).toBe('[TCP Retransmission] → HTTP/1.1 200 OK, moreonly 42');
  });

  it('ignores writes inside a quoted packet and when the columns are off', () => {
    const p = new PacketInfo();
    p.setInfo('outer');
    p.inErrorPacket = true;
    expect(p.infoSink()).toBeNull();
    expect(p.resetInfo()).toBeNull();
    p.setInfo('inner');
    p.appendInfo(' inner');
    p.inErrorPacket = false;
    p.columns = false;
    p.prependInfoFenced('[x] ');
    expect(p.info).toBe('outer');
  });
});

describe('listLines', () => {
  it('writes the rows list gives, byte for byte, over 5,000 frames of mixed traffic', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fathom-lines-'));
    try {
      const path = join(dir, 'mixed.pcap');
      generateMixedCapture(path, 5_000, 'summary-lines');
      const session = await CaptureSession.open(await NodeFileSource.open(path));
      const { bytes, strings } = await bothWays(session);
      expect(bytes.split('\n').length).toBe(5_001);
      expect(bytes).toBe(strings);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('writes times before the first frame, and only the selected frames', async () => {
    const udp = hexBytes(`00 11 22 33 44 55 66 77 88 99 aa bb 08 00 45 00 00 1e 00 01 00 00 40 11 00 00 0a 00 00 01 0a 00 00 02 ab cd 00 35 00 0a 00 00 68 69`);
    const file = pcapFile([
      { sec: 100, frac: 250_000, data: udp },
      { sec: 99, frac: 999_999, data: udp },
      { sec: 12_345_678, frac: 5, data: udp },
    ]);
    const session = await CaptureSession.open(new MemorySource('times.pcap', [file]));
    const { bytes, strings } = await bothWays(session);
    expect(bytes).toBe(strings);
    expect(bytes.split('\n').map((l) => l.split('\t')[1])).toEqual(['0.000000', '-0.250001', '12345577.750005', undefined]);
    const sink = new GrowingSink();
    await session.listLines(1, 3, sink, Uint8Array.of(0b101));
    expect(sink.text().split('\n').map((l) => l.split('\t')[0])).toEqual(['1', '3', '']);
  });
});
