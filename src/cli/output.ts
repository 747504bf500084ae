import type { ByteSink } from '../core/dissect/summary-line';

/** Bytes gathered before a write to stdout. */
const CHUNK = 1 << 20;

/**
 * Buffered stdout: a million lines written one at a time would dominate the run. Lines are encoded to UTF-8
 * straight into a byte buffer as they come; building one long string first and converting it when written
 * cost more than everything else `fathom list` does after the first pass.
 */
export class Output implements ByteSink {
  buf = new Uint8Array(CHUNK);
  used = 0;
  private closed = false;
  private readonly encoder = new TextEncoder();

  constructor(private readonly stream: NodeJS.WriteStream = process.stdout) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      // A reader that went away (| head) is not an error of ours.
      if (e.code === 'EPIPE') {
        this.closed = true;
        process.exit(0);
      }
      throw e;
    });
  }

  line(s: string): void {
    if (this.closed) return;
    // UTF-8 needs at most 3 bytes per UTF-16 unit (a surrogate pair, 2 units, makes 4), and the newline.
    this.room(3 * s.length + 1);
    this.used += this.encoder.encodeInto(s, this.buf.subarray(this.used)).written;
    this.buf[this.used++] = 0x0a;
  }

  /** For writers of bytes (summary lines): makes sure `bytes` more fit in `buf` after `used`. */
  room(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    this.flush();
    if (bytes > this.buf.length) this.buf = new Uint8Array(bytes);
  }

  flush(): void {
    if (this.used === 0) return;
    // The stream may hold on to what it is given until it is written (a pipe): it gets this buffer, and
    // the next lines go into a new one.
    this.stream.write(this.buf.subarray(0, this.used));
    this.buf = new Uint8Array(CHUNK);
    this.used = 0;
  }

  /** Flushes and waits for the stream to drain. */
  async end(): Promise<void> {
    this.flush();
    if (this.stream.writableNeedDrain) await new Promise((r) => this.stream.once('drain', r));
  }
}
