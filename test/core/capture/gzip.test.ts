import { describe, expect, it, vi } from 'vitest';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { CaptureError, openCapture, type Capture } from '../../../src/core/capture/open-capture';
import { MemorySource, type ByteSource } from '../../../src/core/capture/byte-source';
import { gunzip, isGzip } from '../../../src/core/capture/gzip';
import { crc32, gunzipBytes } from '../../../src/core/capture/inflate';
import { hexBytes } from '../../helpers/dissect';
import { PcapngWriter, concat, counting, pcapFile } from '../../fixtures/capture-writer';

function indexRows(cap: Capture) {
  const ix = cap.index;
  const rows = [];
  for (let i = 0; i < ix.count; i++) rows.push([ix.offset[i], ix.capLen[i], ix.origLen[i], ix.tsSec[i], ix.tsNsec[i], ix.iface[i], ix.flags[i]]);
  return rows;
}

const open = (name: string, bytes: Uint8Array) => openCapture(MemorySource.of(name, bytes));
const gz = (b: Uint8Array, level = 6) => new Uint8Array(gzipSync(b, { level }));

/** 300 frames of varied sizes: enough compressed data that cutting it leaves some frames out. */
function bigPcap(): Uint8Array {
  let seed = 7;
  const noise = (n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    return b;
  };
  return pcapFile(Array.from({ length: 300 }, (_, i) => ({ sec: 1000 + i, frac: i, data: i % 3 ? noise(60 + (i % 500)) : counting(100) })));
}

// RFC 1952 member by hand: ID1 ID2, CM 8 (deflate), FLG 0, MTIME 0, XFL 0, OS 255; one stored block
// (RFC 1951 §3.2.4: BFINAL 1, BTYPE 00, then LEN 3, NLEN ~3) holding "abc"; CRC32 0x352441c2; ISIZE 3.
const ABC_GZ = hexBytes('1f8b 08 00 00000000 00 ff  01 0300 fcff 616263  c2412435 03000000');

describe('gzip', () => {
  it('detects gzip by its magic', () => {
    expect(isGzip(hexBytes('1f8b08'))).toBe(true);
    expect(isGzip(hexBytes('1f'))).toBe(false);
    expect(isGzip(hexBytes('d4c3b2a1'))).toBe(false);
  });

  it('decodes a hand-built stored-block member, on both paths', async () => {
    expect(crc32(new TextEncoder().encode('abc'))).toBe(0x352441c2);
    const own = gunzipBytes(ABC_GZ, 1 << 20);
    expect(new TextDecoder().decode(own.data)).toBe('abc');
    expect(own).toMatchObject({ error: undefined, notes: [], limited: false });
    const res = await gunzip(MemorySource.of('abc.gz', ABC_GZ), 1 << 20);
    expect(res.error).toBeUndefined();
    expect(res.source.name).toBe('abc');
    expect(new TextDecoder().decode(res.source.readSync(0, 3))).toBe('abc');
  });

  it('decodes what zlib writes at every level, with fixed and dynamic codes', () => {
    const samples = [new Uint8Array(0), counting(1), counting(70000), bigPcap(), new TextEncoder().encode('abcabcabcabcabcabc'.repeat(500))];
    for (const data of samples) {
      for (const level of [0, 1, 6, 9]) {
        for (const strategy of [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE]) {
          const r = gunzipBytes(new Uint8Array(gzipSync(data, { level, strategy })), 1 << 30);
          expect(r.error).toBeUndefined();
          expect(r.notes).toEqual([]);
          expect(Buffer.from(r.data).equals(Buffer.from(data))).toBe(true);
        }
      }
    }
  });

  it('keeps all a truncated stream can give, exactly as zlib does', () => {
    const z = gz(bigPcap());
    for (const cut of [5, 11, 12, 100, 1000, Math.floor(z.length / 2), z.length - 9, z.length - 8, z.length - 1]) {
      const r = gunzipBytes(z.subarray(0, cut), 1 << 30);
      const ref = gunzipSync(z.subarray(0, cut), { finishFlush: constants.Z_SYNC_FLUSH });
      expect(Buffer.from(r.data).equals(ref)).toBe(true);
      if (cut < z.length - 8) expect(r.error).toBeDefined();
      else if (cut < z.length) expect(r.notes[0]).toMatch(/ends without its CRC and length trailer/);
    }
  });

  it('respects the output limit', () => {
    const r = gunzipBytes(gz(counting(100000)), 5000);
    expect(r.limited).toBe(true);
    expect(r.data.length).toBeLessThanOrEqual(5000);
  });

  it('opens a gzipped pcap and a gzipped pcapng', async () => {
    const pcap = bigPcap();
    const plain = await open('x.pcap', pcap);
    const packed = await open('x.pcap.gz', gz(pcap));
    expect(packed.compressed).toBe(true);
    expect(packed.format).toBe('pcap');
    expect(packed.source.name).toBe('x.pcap');
    expect(packed.fileSize).toBeLessThan(pcap.length);
    expect(packed.warnings).toEqual([]);
    expect(indexRows(packed)).toEqual(indexRows(plain));

    const ng = new PcapngWriter().shb({ littleEndian: false }).idb({ tsresol: 9 }).epb({ data: counting(50), ts: 5_000_000_001n, comments: ['c'] }).bytes();
    const ngCap = await open('y.pcapng.gz', gz(ng));
    expect(ngCap).toMatchObject({ compressed: true, format: 'pcapng', warnings: [] });
    expect(indexRows(ngCap)).toEqual(indexRows(await open('y.pcapng', ng)));
    expect(ngCap.comments.get(1)).toEqual(['c']);
  });

  it('keeps the frames a truncated gzip stream holds, and warns', async () => {
    const pcap = bigPcap();
    const z = gz(pcap);
    const cut = z.subarray(0, Math.floor(z.length * 0.6));
    const inflated = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH });
    const expected = indexRows(await open('prefix.pcap', new Uint8Array(inflated).slice(0, inflated.length))).length;
    const cap = await open('cut.pcap.gz', cut);
    expect(expected).toBeGreaterThan(10);
    expect(cap.index.count).toBe(expected);
    expect(indexRows(cap)).toEqual(indexRows(await open('x.pcap', pcap)).slice(0, expected));
    expect(cap.warnings[0].message).toMatch(/^gzip: the gzip stream ends early, after \d+ decompressed bytes/);
    expect(cap.warnings[1].message).toMatch(new RegExp(`ends in the middle of frame ${expected + 1}`));
  });

  it('keeps every frame when junk follows the gzip member (tshark reads them all too)', async () => {
    const pcap = bigPcap();
    const cap = await open('junk.pcap.gz', concat(gz(pcap), new TextEncoder().encode('garbage!garbage!')));
    expect(indexRows(cap)).toEqual(indexRows(await open('x.pcap', pcap)));
    expect(cap.warnings).toEqual([{ offset: 0, message: expect.stringMatching(/^gzip: 16 bytes after the gzip data \(from byte \d+\) are not gzip and were ignored$/) }]);
  });

  it('keeps the frames before a corrupt block and names its offset', async () => {
    // Larger than one stored block (at most 65535 bytes).
    const pcap = pcapFile(Array.from({ length: 600 }, (_, i) => ({ sec: i, data: counting(200, i) })));
    // Level 0 writes stored blocks (RFC 1951 §3.2.4): header byte, LEN, NLEN, then LEN raw bytes. Break the
    // NLEN of the second block: everything in the first block survives, nothing after it can be trusted.
    const bad = gz(pcap, 0);
    const len1 = bad[11] | (bad[12] << 8);
    const second = 10 + 5 + len1;
    expect(bad[second] & 6).toBe(0); // BTYPE 00: stored
    bad[second + 3] ^= 0xff;
    const cap = await open('bad.pcap.gz', bad);
    const all = indexRows(await open('x.pcap', pcap));
    const whole = all.filter((r) => r[0] + r[1] <= len1).length;
    expect(whole).toBeGreaterThan(10);
    expect(indexRows(cap)).toEqual(all.slice(0, whole));
    expect(cap.warnings[0]).toEqual({
      offset: 0,
      // The offset is where the failing LEN/NLEN pair starts, just after the block header byte.
      message: `gzip: the gzip stream is corrupt at compressed byte ${second + 1} (stored block length check failed), after ${len1} decompressed bytes; what came before is kept`,
    });
    expect(cap.warnings[1].message).toMatch(new RegExp(`ends in the middle of frame ${whole + 1}`));
  });

  it('keeps every frame of a member whose CRC fails, and says the data may be damaged', async () => {
    const pcap = bigPcap();
    const bad = gz(pcap, 0);
    bad[10 + 5 + 1000] ^= 0x01; // one bit of packet data in the first stored block
    const cap = await open('crc.pcap.gz', bad);
    expect(cap.index.count).toBe(300);
    expect(cap.warnings).toEqual([{ offset: 0, message: 'gzip: gzip member 1 fails its CRC or length check; its data may be damaged' }]);
  });

  it('reads concatenated members as one stream', async () => {
    const pcap = bigPcap();
    const half = 24 + 16 + 100 + 7; // split inside a record: members need not end on record boundaries
    const cap = await open('two.pcap.gz', concat(gz(pcap.subarray(0, half)), gz(pcap.subarray(half))));
    expect(cap.warnings).toEqual([]);
    expect(indexRows(cap)).toEqual(indexRows(await open('x.pcap', pcap)));
  });

  it('works without the platform decompressor, with the same result', async () => {
    const pcap = bigPcap();
    const z = gz(pcap);
    vi.stubGlobal('DecompressionStream', undefined);
    try {
      const cap = await open('x.pcap.gz', z);
      expect(cap.warnings).toEqual([]);
      expect(indexRows(cap)).toEqual(indexRows(await open('x.pcap', pcap)));
      const cut = await open('cut.pcap.gz', z.subarray(0, 5000));
      expect(cut.warnings[0].message).toMatch(/^gzip: the gzip stream is truncated at compressed byte 5000 \(the compressed data ends early\)/);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('keeps what it inflated when reading the compressed file fails', async () => {
    // Incompressible frames, so the compressed file is larger than one 4 MiB read.
    let x = 1;
    const frame = () => Uint8Array.from({ length: 1000 }, () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24);
    const z = gz(pcapFile(Array.from({ length: 5000 }, (_, i) => ({ sec: i, data: frame() }))), 1);
    expect(z.length).toBeGreaterThan(4 << 20);
    const flaky: ByteSource = {
      name: 'flaky.pcap.gz',
      size: z.length,
      read: async (o, n) => {
        if (o + n > 4 << 20) throw new Error('network gone');
        return z.subarray(o, o + n);
      },
    };
    const cap = await openCapture(flaky);
    expect(cap.index.count).toBeGreaterThan(3000);
    expect(cap.index.count).toBeLessThan(5000);
    expect(cap.warnings[0].message).toMatch(/^gzip: the gzip stream could not be read to its end \(network gone\) and reading the compressed file again failed \(network gone\); \d+ decompressed bytes are kept$/);
  });

  it('refuses a gzip file that holds no capture', async () => {
    await expect(open('empty.gz', gz(new Uint8Array(0)))).rejects.toThrow(CaptureError);
    await expect(open('empty.gz', gz(new Uint8Array(0)))).rejects.toThrow(/the gzip stream holds no data/);
    await expect(open('text.gz', gz(new TextEncoder().encode('hello world, not a capture\n')))).rejects.toThrow(
      /not a capture file \(no pcap or pcapng magic number at byte 0 of the decompressed data; it looks like text\)/,
    );
    await expect(open('cut.gz', ABC_GZ.subarray(0, 6))).rejects.toThrow(CaptureError);
  });
});
