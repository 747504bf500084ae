import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../core/capture/byte-source';

/** A capture file read through a Node file handle, window by window. */
export class NodeFileSource implements ByteSource {
  private constructor(
    private readonly fh: FileHandle,
    readonly name: string,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<NodeFileSource> {
    const st = await stat(path);
    if (st.isDirectory()) throw new Error(`${path} is a directory`);
    return new NodeFileSource(await open(path, 'r'), basename(path), st.size);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buf = new Uint8Array(Math.max(0, Math.min(length, this.size - offset)));
    const got = await this.readInto(offset, length, buf);
    return got === buf.length ? buf : buf.subarray(0, got);
  }

  /** Reads [offset, offset + length), clipped to the file and to `into`, into `into`; returns the bytes read. */
  async readInto(offset: number, length: number, into: Uint8Array): Promise<number> {
    const n = Math.max(0, Math.min(length, this.size - offset, into.length));
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh.read(into, got, n - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
