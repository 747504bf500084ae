/**
 * Hostile and broken files (DESIGN.md §7). Each case checks the contract of the readers:
 * (a) nothing but CaptureError escapes, and only when no frame at all can be read;
 * (b) every readable frame is kept, with the right bytes;
 * (c) the warning names the frame and/or the byte offset.
 */
import { describe, expect, it } from 'vitest';
import { CaptureError, openCapture, type Capture } from '../../../src/core/capture/open-capture';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { MAX_INTERFACES, MAX_WARNINGS } from '../../../src/core/capture/capture-types';
import { CaptureSession } from '../../../src/core/session';
import { hexBytes } from '../../helpers/dissect';
import { PcapngWriter, concat, counting, pcapFile, pcapHeader, pcapRecord } from '../../fixtures/capture-writer';

/** Opens hostile bytes; any error other than CaptureError fails the test. */
async function read(bytes: Uint8Array, windowBytes?: number): Promise<Capture | CaptureError> {
  try {
    return await openCapture(MemorySource.of('bad', bytes), { windowBytes });
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureError);
    return e as CaptureError;
  }
}

/** Opens bytes that hold readable frames: it must not throw, whatever the window size. */
async function readFrames(bytes: Uint8Array): Promise<Capture> {
  const cap = await read(bytes);
  if (cap instanceof CaptureError) throw new Error(`expected frames, got ${cap.message}`);
  // The window size must not change what is read.
  for (const w of [13, 100]) {
    const again = await read(bytes, w);
    expect(again).not.toBeInstanceOf(CaptureError);
    const c = again as Capture;
    expect([c.index.count, Array.from(c.index.offset), c.warnings]).toEqual([cap.index.count, Array.from(cap.index.offset), cap.warnings]);
  }
  return cap;
}

async function refused(bytes: Uint8Array): Promise<string> {
  const r = await read(bytes);
  expect(r).toBeInstanceOf(CaptureError);
  return (r as CaptureError).message;
}

async function frameData(cap: Capture): Promise<Uint8Array[]> {
  const out = [];
  for (let i = 0; i < cap.index.count; i++) out.push(await cap.source.read(cap.index.offset[i], cap.index.capLen[i]));
  return out;
}

/** A deterministic stream of bytes that look random. */
function noise(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    b[i] = s & 0xff;
  }
  return b;
}

const ETH_IPV4 = 'ffffffffffff 001122334455 0800';
const UDP_FRAME = hexBytes(`${ETH_IPV4} 4500001c 00010000 4011 0000 0a000001 0a000002  0035 0035 0008 0000`);
const F = counting(60);

describe('bad input: not a capture', () => {
  it('refuses an empty file', async () => {
    expect(await refused(new Uint8Array(0))).toBe('bad: the file is empty');
  });

  it('refuses a text file, saying it looks like text', async () => {
    expect(await refused(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: example.com\r\n\r\n'))).toBe(
      'bad: not a capture file (no pcap or pcapng magic number at byte 0; it looks like text)',
    );
  });

  it('refuses a file shorter than a pcap header', async () => {
    expect(await refused(pcapHeader().subarray(0, 10))).toBe('bad: no frame could be read: pcap: the file header is 10 bytes, it needs 24; no frame can be read');
  });

  it('refuses a pcapng section header with a broken byte-order magic', async () => {
    const b = new PcapngWriter().shb().idb().epb({ data: F }).bytes();
    b[8] = 0x99;
    expect(await refused(b)).toBe('bad: no frame could be read: pcapng: the section header block at byte 0 has no valid byte-order magic; the rest of the file is not read');
  });
});

describe('bad input: pcap', () => {
  it('keeps the frames before a record that claims caplen 0xffffffff', async () => {
    const file = concat(pcapFile([{ sec: 1, data: F }, { sec: 2, data: F }]), pcapRecord({ sec: 3, data: F, capLen: 0xffffffff }), pcapRecord({ sec: 4, data: F }));
    const cap = await readFrames(file);
    expect(await frameData(cap)).toEqual([F, F]);
    expect(cap.warnings).toEqual([
      { offset: 176, message: 'pcap: the record of frame 3 at byte 176 claims 4294967295 captured bytes, more than the maximum of 262144; the rest of the file is not read' },
    ]);
  });

  it('refuses a file whose first record claims caplen 0xffffffff, naming the byte', async () => {
    expect(await refused(pcapFile([{ sec: 1, data: F, capLen: 0xffffffff }]))).toMatch(/^bad: no frame could be read: pcap: the record of frame 1 at byte 24 claims 4294967295/);
  });

  it('keeps frames with more bytes than the snapshot length, and warns', async () => {
    const cap = await readFrames(pcapFile([{ sec: 1, data: counting(60) }, { sec: 2, data: counting(100) }, { sec: 3, data: counting(64) }], { snapLen: 64 }));
    expect(cap.index.count).toBe(3);
    expect(cap.warnings).toEqual([{ offset: 100, frame: 2, message: "pcap: frame 2 at byte 100 has 100 captured bytes, more than the file's snapshot length 64" }]);
  });

  it('keeps the frames before a truncated last record', async () => {
    const whole = pcapFile([{ sec: 1, data: F }, { sec: 2, data: F }, { sec: 3, data: F }]);
    const cap = await readFrames(whole.subarray(0, whole.length - 1));
    expect(await frameData(cap)).toEqual([F, F]);
    expect(cap.warnings).toEqual([{ offset: 176, message: 'pcap: the file ends in the middle of frame 3: its record at byte 176 needs 76 bytes, only 75 remain; the partial frame is not loaded' }]);
    const inHeader = await readFrames(whole.subarray(0, 176 + 5));
    expect(inHeader.warnings[0].message).toBe(
      'pcap: the file ends in the middle of frame 3: its record at byte 176 needs 16 bytes, only 5 remain (not even the 16-byte record header); the partial frame is not loaded',
    );
  });

  it('stops quickly on 1 MB of random bytes behind a valid header', async () => {
    const t0 = performance.now();
    const r = await read(concat(pcapHeader(), noise(1 << 20)));
    expect(performance.now() - t0).toBeLessThan(1000);
    // Whatever the noise says, reading stops at the first absurd record and says where.
    const message = r instanceof CaptureError ? r.message : r.warnings.at(-1)!.message;
    expect(message).toMatch(/pcap: the record of frame \d+ at byte \d+ claims \d+ captured bytes, more than the maximum/);
  });

  it('reads a huge number of tiny frames in linear time', async () => {
    const time = async (n: number) => {
      const file = concat(pcapHeader(), new Uint8Array(n * 16)); // n records of 0 bytes, all at time 0
      const t0 = performance.now();
      const cap = (await read(file)) as Capture;
      expect(cap.index.count).toBe(n);
      expect(cap.warnings).toEqual([]);
      return performance.now() - t0;
    };
    await time(10_000); // warm up
    const small = await time(100_000);
    const big = await time(400_000);
    expect(big).toBeLessThan(3000);
    // Four times the frames: far less than sixteen times the time (a quadratic reader would show it).
    expect(big).toBeLessThan(Math.max(small * 10, 200));
  });
});

describe('bad input: pcapng', () => {
  const good = () => new PcapngWriter().shb().idb().epb({ data: F, ts: 1n });
  // SHB 28 + IDB 20 + EPB 92: the second EPB starts at byte 140.
  const SECOND = 140;

  it('stops at a block whose length is not a multiple of 4', async () => {
    const cap = await readFrames(good().epb({ data: F, totalLength: 93, trailingLength: 93 }).epb({ data: F }).bytes());
    expect(await frameData(cap)).toEqual([F]);
    expect(cap.warnings).toEqual([
      { offset: SECOND, message: `pcapng: the block at byte ${SECOND} (type 0x00000006) has length 93, which is not a multiple of 4; the rest of the file is not read` },
    ]);
  });

  it('keeps the frames before a block that runs past the end of the file', async () => {
    const cap = await readFrames(good().epb({ data: F }).bytes().subarray(0, SECOND + 50));
    expect(await frameData(cap)).toEqual([F]);
    expect(cap.warnings).toEqual([
      { offset: SECOND, message: `pcapng: the file ends inside the block at byte ${SECOND} (type 0x00000006, it claims 92 bytes, 50 remain); frame 2 is not loaded` },
    ]);
  });

  it('skips a packet block whose caplen is 0xffffffff and reads on', async () => {
    // 0xffffffff rounded up to a multiple of 4 wraps to 0 in 32-bit arithmetic: once a 4 GB frame got in.
    const cap = await readFrames(good().epb({ data: F, capLen: 0xffffffff }).epb({ data: counting(8) }).bytes());
    expect(await frameData(cap)).toEqual([F, counting(8)]);
    expect(cap.warnings).toEqual([
      { offset: SECOND, message: `pcapng: the enhanced packet block at byte ${SECOND} says 4294967295 captured bytes, but the block has room for 60; skipped (it would have been frame 2)` },
    ]);
  });

  it('skips packet blocks that are too short, name no interface, or overflow, and reads on', async () => {
    const cap = await readFrames(
      good()
        .generic(6, new Uint8Array(4)) // a 16-byte EPB
        .epb({ data: F, iface: 9 })
        .opb({ data: F, capLen: 61 })
        .epb({ data: counting(3) })
        .bytes(),
    );
    expect(await frameData(cap)).toEqual([F, counting(3)]);
    expect(cap.warnings.map((w) => [w.offset, w.message])).toEqual([
      [SECOND, `pcapng: the enhanced packet block at byte ${SECOND} is 16 bytes, less than the minimum 32; skipped (it would have been frame 2)`],
      [SECOND + 16, `pcapng: the enhanced packet block at byte ${SECOND + 16} names interface 9, which its section does not describe; skipped (it would have been frame 2)`],
      [SECOND + 108, `pcapng: the packet block at byte ${SECOND + 108} says 61 captured bytes, but the block has room for 60; skipped (it would have been frame 2)`],
    ]);
  });

  it('reads on past a trailing length that differs, and says so', async () => {
    const cap = await readFrames(good().epb({ data: counting(4), trailingLength: 96 }).epb({ data: counting(5) }).bytes());
    expect(cap.index.count).toBe(3);
    expect(cap.warnings).toEqual([{ offset: SECOND, message: `pcapng: the block at byte ${SECOND} (type 0x00000006) ends with length 96, not 36 as it starts; read with 36` }]);
  });

  it('keeps an SPB whose block is too small for its captured length, with what it holds', async () => {
    const cap = await readFrames(new PcapngWriter().shb().idb({ snapLen: 0 }).spb({ data: counting(20), origLen: 60 }).bytes());
    expect(await frameData(cap)).toEqual([counting(20)]);
    expect(cap.warnings).toEqual([
      { offset: 48, frame: 1, message: 'pcapng: the simple packet block at byte 48 (frame 1) should hold 60 bytes of its 60-byte packet but has room for 20; the frame keeps 20' },
    ]);
  });

  it('keeps local interface numbers right after a broken interface block', async () => {
    const cap = await readFrames(
      new PcapngWriter()
        .shb()
        .generic(1, new Uint8Array(0)) // a 12-byte IDB: interface 0, unusable
        .idb({ linkType: 101 }) // interface 1
        .epb({ iface: 1, data: counting(7) })
        .epb({ iface: 0, data: counting(8) })
        .bytes(),
    );
    expect(await frameData(cap)).toEqual([counting(7)]);
    expect(cap.interfaces.map((i) => i.linkType)).toEqual([101]);
    expect(cap.warnings.map((w) => w.message)).toEqual([
      'pcapng: the interface description block at byte 28 (interface 0 of its section) is 12 bytes, less than the minimum 20; its packets are skipped',
      'pcapng: the enhanced packet block at byte 100 names interface 0, which its section does not describe; skipped (it would have been frame 2)',
    ]);
  });

  it('stops at stray bytes too short for a block', async () => {
    const cap = await readFrames(concat(good().bytes(), hexBytes('010203040506')));
    expect(cap.index.count).toBe(1);
    expect(cap.warnings).toEqual([{ offset: SECOND, message: `pcapng: 6 stray bytes at the end of the file (byte ${SECOND}), too short for a block` }]);
  });

  it('does not choke on absurd time resolutions', async () => {
    const cap = await readFrames(
      new PcapngWriter()
        .shb()
        .idb({ tsresol: 127 })
        .idb({ tsresol: 0xff })
        .epb({ iface: 0, ts: 0xffffffffffffffffn, data: F })
        .epb({ iface: 1, ts: 0xffffffffffffffffn, data: F })
        .bytes(),
    );
    expect(Array.from(cap.index.tsSec)).toEqual([0, 0]);
    expect(cap.index.tsNsec[0]).toBe(0);
  });

  it('stops quickly on 1 MB of random bytes after a section header', async () => {
    const t0 = performance.now();
    const r = await read(concat(new PcapngWriter().shb().idb().bytes(), noise(1 << 20, 7)));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r).toBeInstanceOf(CaptureError);
    expect((r as CaptureError).message).toMatch(/at byte 48 /);
  });

  it('bounds the warnings a damaged file can produce', async () => {
    const w = good();
    for (let i = 0; i < 300; i++) w.epb({ data: counting(4), trailingLength: 8 });
    const cap = await readFrames(w.bytes());
    expect(cap.index.count).toBe(301);
    expect(cap.warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(cap.warnings.at(-1)!.message).toBe('200 more warnings like the ones above are not listed');
  });

  it(`keeps at most ${MAX_INTERFACES} interfaces`, async () => {
    const w = new PcapngWriter().shb();
    for (let i = 0; i <= MAX_INTERFACES; i++) w.idb({ linkType: 1 });
    const cap = (await read(w.epb({ iface: 5, data: F }).epb({ iface: MAX_INTERFACES, data: F }).bytes())) as Capture;
    expect(cap.interfaces).toHaveLength(MAX_INTERFACES);
    expect(cap.index.count).toBe(1);
    expect(cap.warnings.map((x) => x.message)).toEqual([
      `pcapng: the interface description block at byte ${28 + 20 * MAX_INTERFACES} would be interface ${MAX_INTERFACES + 1}; Fathom keeps at most ${MAX_INTERFACES} and skips its packets`,
      expect.stringMatching(/names interface 65536, which its section does not describe/),
    ]);
  });

  it('reads a huge number of tiny blocks in linear time', async () => {
    const w = new PcapngWriter().shb().idb();
    for (let i = 0; i < 50_000; i++) w.epb({ data: new Uint8Array(0), ts: BigInt(i) }).generic(0x7fff0000, new Uint8Array(0));
    const file = w.bytes();
    const t0 = performance.now();
    const cap = (await read(file)) as Capture;
    expect(cap.index.count).toBe(50_000);
    expect(cap.warnings).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('bad input: through the session', () => {
  it('lists frames of an unknown link type as data, with a warning', async () => {
    const session = await CaptureSession.open(MemorySource.of('user0.pcap', pcapFile([{ sec: 1, data: UDP_FRAME }], { linkType: 147 })));
    expect(session.capture.warnings).toEqual([{ offset: 20, message: 'link type 147 (the file header, byte 20) is not supported; its frames are shown as data' }]);
    const rows: string[][] = [];
    await session.fields(['frame.number', 'frame.protocols', 'data.len'], 1, 1, (_n, v) => rows.push([...v]));
    expect(rows).toEqual([['1', 'data', String(UDP_FRAME.length)]]);
  });

  it('marks frames shorter than their headers claim, and decodes the frames after them', async () => {
    const cut = UDP_FRAME.subarray(0, 20); // Ethernet + 6 bytes of IPv4
    const session = await CaptureSession.open(
      MemorySource.of(
        'short.pcap',
        pcapFile([
          { sec: 1, data: cut, origLen: UDP_FRAME.length }, // snapped by the capture: "Packet size limited"
          { sec: 2, data: cut }, // really this short on the wire: malformed
          { sec: 3, data: UDP_FRAME },
        ]),
      ),
    );
    const rows: string[][] = [];
    await session.fields(['frame.number', '_ws.col.Info', 'ip.src'], 1, 3, (_n, v) => rows.push([...v]));
    expect(rows[0][1]).toContain('[Packet size limited during capture]');
    expect(rows[1][1]).toContain('[Malformed Packet]');
    expect(rows[2]).toEqual(['3', '53 → 53 Len=0', '10.0.0.1']);
    const short = (await session.detail(1)).tree.map((n) => n.field);
    expect(short).toContain('_ws.short');
    const malformed = (await session.detail(2)).tree.find((n) => n.field === '_ws.malformed');
    expect(malformed?.label).toBe('[Malformed Packet: IPv4]');
  });

  it('reports an IPv4 header length below 20, and decodes the frames after it', async () => {
    const bogus = hexBytes(`${ETH_IPV4} 4200001c 00010000 4011 0000 0a000001 0a000002  0035 0035 0008 0000`);
    const session = await CaptureSession.open(MemorySource.of('ihl.pcap', pcapFile([{ sec: 1, data: bogus }, { sec: 2, data: UDP_FRAME }])));
    const rows: string[][] = [];
    await session.fields(['_ws.col.Protocol', '_ws.col.Info'], 1, 2, (_n, v) => rows.push([...v]));
    expect(rows).toEqual([
      ['IPv4', 'Bogus IP header length (8, must be at least 20)'],
      ['UDP', '53 → 53 Len=0'],
    ]);
  });
});
