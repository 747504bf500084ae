/** Buffered stdout: printing a million lines one write at a time would dominate the run. */
export class Output {
  /** Lines not yet written, each ending in a newline (one growing string: cheaper than an array and a join). */
  private pending = '';
  private closed = false;

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
    this.pending += s + '\n';
    if (this.pending.length >= 1 << 16) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.stream.write(this.pending);
    this.pending = '';
  }

  /** Flushes and waits for the stream to drain. */
  async end(): Promise<void> {
    this.flush();
    if (this.stream.writableNeedDrain) await new Promise((r) => this.stream.once('drain', r));
  }
}
