import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { Output } from '../../src/cli/output';

/** A stdout stand-in that keeps what it is given (and checks nothing it was given changes afterwards). */
class Sink extends EventEmitter {
  readonly chunks: Uint8Array[] = [];
  readonly copies: Buffer[] = [];
  writableNeedDrain = false;
  write(chunk: Uint8Array): boolean {
    this.chunks.push(chunk);
    this.copies.push(Buffer.from(chunk));
    return true;
  }
}

describe('Output', () => {
  it('writes every line as UTF-8, across buffer boundaries, without reusing a buffer it handed out', async () => {
    const sink = new Sink();
    const out = new Output(sink as unknown as NodeJS.WriteStream);
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(`${i}\t37443 → 53 Len=${i}\t${i % 7 === 0 ? 'π 😀' : 'ascii'}`);
    lines.push('x'.repeat(3 << 20), 'lone \ud800 surrogate', '');
    for (const l of lines) out.line(l);
    await out.end();
    const written = Buffer.concat(sink.chunks);
    expect(written.equals(Buffer.from(lines.join('\n') + '\n', 'utf8'))).toBe(true);
    expect(sink.chunks.length).toBeGreaterThan(2);
    // Each chunk still holds what it held when written: the stream may keep it until it is sent.
    sink.chunks.forEach((c, i) => expect(Buffer.from(c).equals(sink.copies[i])).toBe(true));
  });
});
