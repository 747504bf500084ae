import { describe, expect, it } from 'vitest';
import { openCapture, type Capture } from '../../../src/core/capture/open-capture';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { FRAME_HAS_COMMENT, FRAME_NO_TIMESTAMP } from '../../../src/core/capture/frame-index';
import { splitTimestamp } from '../../../src/core/capture/pcapng';
import { CaptureSession } from '../../../src/core/session';
import { hexBytes } from '../../helpers/dissect';
import { BlockType, PcapngWriter, counting } from '../../fixtures/capture-writer';

function indexRows(cap: Capture) {
  const ix = cap.index;
  const rows = [];
  for (let i = 0; i < ix.count; i++) {
    rows.push({ offset: ix.offset[i], capLen: ix.capLen[i], origLen: ix.origLen[i], sec: ix.tsSec[i], nsec: ix.tsNsec[i], iface: ix.iface[i], flags: ix.flags[i] });
  }
  return rows;
}

const open = (bytes: Uint8Array, windowBytes?: number) => openCapture(MemorySource.of('t.pcapng', bytes), { windowBytes });

/**
 * Two sections by hand (draft-ietf-opsawg-pcapng §4.1–§4.3). Checked with tshark 4.0:
 *   1  1700000000.123456789  len 60  cap 5   comment "hi"  encap 1 (Ethernet)
 *   2  1700000000.000001000  len 20  cap 20                encap 7 (raw IP), ip.dst 10.0.0.2
 */
const TWO_SECTIONS = hexBytes(`
  # Section 1, little endian. SHB: type, length 28, byte-order magic, version 1.0, section length -1, length.
  0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000
  # IDB (40 bytes): Ethernet, reserved, snaplen 0; if_name "eth0"; if_tsresol 9 (ns); opt_endofopt.
  01000000 28000000 0100 0000 00000000 0200 0400 65746830 0900 0100 09000000 0000 0000 28000000
  # EPB (52 bytes) at byte 68: interface 0, ts 0x17979cfe:3d85cd15 ns, caplen 5, len 60, data + 3 pad,
  # opt_comment "hi" (+2 pad), opt_endofopt.
  06000000 34000000 00000000 fe9c9717 15cd853d 05000000 3c000000 0102030405 000000 0100 0200 6869 0000 0000 0000 34000000
  # Section 2 at byte 120, big endian.
  0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c
  # IDB (20 bytes): link type 101 (raw IP), snaplen 0, no options (µs timestamps).
  00000001 00000014 0065 0000 00000000 00000014
  # EPB (52 bytes) at byte 168: interface 0, ts 0x00060a24:181e4001 µs, caplen 20, len 20, an IPv4 header.
  00000006 00000034 00000000 00060a24 181e4001 00000014 00000014 45000014 00010000 40ff0000 0a000001 0a000002 00000034
`);

describe('capture writer (pcapng)', () => {
  it('writes the hand-checked blocks', () => {
    const w = new PcapngWriter()
      .shb()
      .idb({ linkType: 1, snapLen: 0, name: 'eth0', tsresol: 9 })
      .epb({ iface: 0, ts: 1_700_000_000_123_456_789n, data: hexBytes('0102030405'), origLen: 60, comments: ['hi'] })
      .shb({ littleEndian: false })
      .idb({ linkType: 101 })
      .epb({ ts: 1_700_000_000_000_001n, data: hexBytes('45000014 00010000 40ff0000 0a000001 0a000002') });
    expect(w.bytes()).toEqual(TWO_SECTIONS);
  });

  it('writes SPB, OPB, NRB, ISB, custom blocks and if_tsoffset as the spec lays them out', () => {
    const w = new PcapngWriter();
    expect(w.spb({ data: hexBytes('aabbcc'), origLen: 60 }).bytes()).toEqual(hexBytes('03000000 14000000 3c000000 aabbcc00 14000000'));
    expect(new PcapngWriter().opb({ iface: 1, drops: 2, ts: 0x100000002n, data: hexBytes('aa') }).bytes()).toEqual(
      hexBytes('02000000 24000000 0100 0200 01000000 02000000 01000000 01000000 aa000000 24000000'),
    );
    // nrb_record_ipv4 (type 1, length 4 + "a.b\\0" = 8), nrb_record_end.
    expect(new PcapngWriter().nrb([{ type: 1, address: hexBytes('0a000001'), names: ['a.b'] }]).bytes()).toEqual(
      hexBytes('04000000 1c000000 0100 0800 0a000001 612e6200 0000 0000 1c000000'),
    );
    // isb_ifrecv (code 4, 8 bytes), opt_endofopt.
    expect(new PcapngWriter().isb({ iface: 0, ts: 5n, ifRecv: 10n }).bytes()).toEqual(
      hexBytes('05000000 28000000 00000000 00000000 05000000 0400 0800 0a00000000000000 0000 0000 28000000'),
    );
    expect(new PcapngWriter().custom({ type: BlockType.CUSTOM_NOCOPY, pen: 32473, data: hexBytes('0102030405') }).bytes()).toEqual(
      hexBytes('ad0b0040 18000000 d97e0000 0102030405000000 18000000'),
    );
    // if_tsoffset (code 14) is a signed 64-bit number of seconds.
    expect(new PcapngWriter().idb({ linkType: 1, snapLen: 0, tsoffset: -5n }).bytes()).toEqual(
      hexBytes('01000000 24000000 0100 0000 00000000 0e00 0800 fbffffffffffffff 0000 0000 24000000'),
    );
  });
});

describe('pcapng reader', () => {
  it('reads two sections of different byte order', async () => {
    const cap = await open(TWO_SECTIONS);
    expect(cap.format).toBe('pcapng');
    expect(cap.warnings).toEqual([]);
    expect(cap.interfaces).toEqual([
      { linkType: 1, snapLen: 0, name: 'eth0', offset: 28 },
      { linkType: 101, snapLen: 0, offset: 148 },
    ]);
    expect(indexRows(cap)).toEqual([
      { offset: 96, capLen: 5, origLen: 60, sec: 1700000000, nsec: 123456789, iface: 0, flags: FRAME_HAS_COMMENT },
      { offset: 196, capLen: 20, origLen: 20, sec: 1700000000, nsec: 1000, iface: 1, flags: 0 },
    ]);
    expect(cap.comments).toEqual(new Map([[1, ['hi']]]));
    expect(await cap.source.read(96, 5)).toEqual(hexBytes('0102030405'));
  });

  /**
   * Every block type, interfaces with different link types, resolutions and offsets, and a big-endian
   * second section. tshark 4.0 agrees on every frame's time_epoch, len and cap_len, except that it also
   * lists the two custom blocks as frames ("PCAPNG Custom Block"), which Fathom skips, and shows no time
   * for the SPB frames (Fathom: 0 with FRAME_NO_TIMESTAMP).
   */
  function everyBlock(): Uint8Array {
    const eth = (n: number) => counting(n, 0x10);
    return new PcapngWriter()
      .shb({ comment: 'section one', userAppl: 'fathom tests' })
      .idb({ linkType: 1, snapLen: 40, name: 'eth0', tsresol: 9 })
      .idb({ linkType: 101, snapLen: 100, tsresol: 0x80 | 20, tsoffset: 1000n })
      .idb({ linkType: 113, tsoffset: -5n, description: 'cooked' })
      .epb({ iface: 0, ts: 1_700_000_000_123_456_789n, data: eth(40), origLen: 60, comments: ['first comment', 'second'] })
      .epb({ iface: 1, ts: (1_600_000_000n << 20n) + 3n, data: eth(20), origLen: 120, flags: 1 })
      .epb({ iface: 2, ts: 1_700_000_001_500_000n, data: eth(40), origLen: 1514 })
      .spb({ data: eth(40), origLen: 60 })
      .nrb([{ type: 1, address: hexBytes('0a000001'), names: ['host.example'] }], { comment: 'names' })
      .isb({ iface: 0, ts: 5n, ifRecv: 10n, ifDrop: 0n })
      .custom({ type: BlockType.CUSTOM_COPY, data: hexBytes('010203') })
      .custom({ type: BlockType.CUSTOM_NOCOPY, data: hexBytes('0102030405') })
      .opb({ iface: 0, ts: 1_700_000_002_000_000_001n, data: eth(40), origLen: 61, comments: ['opb comment'] })
      .generic(0x0000000a, hexBytes('4b534c54 00000000')) // a Decryption Secrets Block with no secrets
      .generic(0x7fff0001, hexBytes('deadbeef')) // a block type nobody defined
      .shb({ littleEndian: false })
      .idb({ linkType: 1, snapLen: 65535 })
      .epb({ iface: 0, ts: 1_700_000_003_000_001n, data: eth(64), comments: ['big endian'] })
      .spb({ data: eth(42) })
      .bytes();
  }

  it('reads every block type', async () => {
    const cap = await open(everyBlock());
    expect(cap.warnings).toEqual([]);
    expect(cap.interfaces.map((i) => [i.linkType, i.snapLen, i.name, i.description])).toEqual([
      [1, 40, 'eth0', undefined],
      [101, 100, undefined, undefined],
      [113, 0, undefined, 'cooked'],
      [1, 65535, undefined, undefined],
    ]);
    const rows = indexRows(cap).map(({ capLen, origLen, sec, nsec, iface, flags }) => [capLen, origLen, sec, nsec, iface, flags]);
    expect(rows).toEqual([
      [40, 60, 1700000000, 123456789, 0, FRAME_HAS_COMMENT],
      // 2^-20 s units: 3 units = 2861.02 ns, rounded down; if_tsoffset adds 1000 s.
      [20, 120, 1600001000, 2861, 1, 0],
      // µs (no if_tsresol); if_tsoffset -5 s.
      [40, 1514, 1699999996, 500000000, 2, 0],
      // SPB: caplen = min(original length 60, snaplen 40 of interface 0); no timestamp.
      [40, 60, 0, 0, 0, FRAME_NO_TIMESTAMP],
      [40, 61, 1700000002, 1, 0, FRAME_HAS_COMMENT],
      [64, 64, 1700000003, 1000, 3, FRAME_HAS_COMMENT],
      // SPB in the big-endian section: its interface 0 is the file's interface 3.
      [42, 42, 0, 0, 3, FRAME_NO_TIMESTAMP],
    ]);
    expect(cap.comments).toEqual(
      new Map([
        [1, ['first comment', 'second']],
        [5, ['opb comment']],
        [6, ['big endian']],
      ]),
    );
    // Offsets point at the packet data: check the bytes of every frame.
    for (let i = 0; i < cap.index.count; i++) {
      const bytes = await cap.source.read(cap.index.offset[i], cap.index.capLen[i]);
      expect(bytes).toEqual(counting(cap.index.capLen[i], 0x10));
    }
  });

  it('takes an SPB captured length from the block when the interface has no snaplen', async () => {
    const cap = await open(new PcapngWriter().shb().idb({ snapLen: 0 }).spb({ data: counting(61) }).spb({ data: counting(3), origLen: 3 }).bytes());
    expect(indexRows(cap).map((r) => [r.offset, r.capLen, r.origLen])).toEqual([
      [28 + 20 + 12, 61, 61],
      [28 + 20 + 80 + 12, 3, 3],
    ]);
  });

  it('converts 10^-n and 2^-n resolutions exactly, rounding the fraction down like tshark', async () => {
    const d = counting(4);
    const cap = await open(
      new PcapngWriter()
        .shb()
        .idb({ tsresol: 0 }) // seconds
        .idb({ tsresol: 3 }) // milliseconds
        .idb({ tsresol: 0x80 | 9 }) // 1/512 s
        .idb({ tsresol: 0x80 | 29 }) // 1/2^29 s
        .idb({ tsresol: 0x80 | 32 }) // 1/2^32 s (finer than 1 ns: the BigInt path)
        .idb({ tsresol: 12 }) // picoseconds
        .epb({ iface: 0, ts: 1_700_000_000n, data: d })
        .epb({ iface: 1, ts: 1_700_000_000_999n, data: d })
        .epb({ iface: 2, ts: 1_700_000_000n * 512n + 511n, data: d })
        .epb({ iface: 3, ts: 1_700_000_000n * 2n ** 29n + 2n ** 29n - 1n, data: d })
        .epb({ iface: 4, ts: 1_700_000_000n * 2n ** 32n + 2n ** 31n, data: d })
        .epb({ iface: 5, ts: 12_345_678_901_234_567_890n, data: d })
        .bytes(),
    );
    expect(indexRows(cap).map((r) => [r.sec, r.nsec])).toEqual([
      [1700000000, 0],
      [1700000000, 999000000],
      [1700000000, 998046875], // 511/512 exactly (tshark: .998046875)
      [1700000000, 999999998], // (2^29-1)/2^29 = 0.99999999813… (tshark: .999999998)
      [1700000000, 500000000],
      // 12345678.901234567890 s. (tshark 4.0 prints .015790852 here: its 64-bit fraction × 10^9 overflows.)
      [12345678, 901234567],
    ]);
  });

  it('splitTimestamp agrees with BigInt arithmetic', () => {
    const cases: [bigint, number][] = [
      [0n, 1e6],
      [0xffffffffffffffffn, 1e9],
      [0xffffffffffffffffn, 1e6],
      [0x17979cfe3d85cd15n, 1e9],
      [(1n << 63n) + 12345n, 2 ** 29],
      [(1n << 40n) + 1023n, 1024],
      [987654321987654321n, 2 ** 20],
      [5n, 1],
    ];
    for (const [ts, units] of cases) {
      const u = BigInt(units);
      const expected: [number, number] = [Number(ts / u), Number(((ts % u) * 1_000_000_000n) / u)];
      expect(splitTimestamp(Number(ts >> 32n), Number(ts & 0xffffffffn), units)).toEqual(expected);
    }
  });

  it('skips NRB, ISB, custom and unknown blocks without warnings', async () => {
    const cap = await open(
      new PcapngWriter()
        .shb()
        .nrb([{ type: 2, address: new Uint8Array(16), names: ['v6.example', 'alias'] }])
        .custom({ type: BlockType.CUSTOM_COPY, data: counting(100) })
        .idb()
        .isb({ iface: 0, ts: 1n })
        .custom({ type: BlockType.CUSTOM_NOCOPY })
        .epb({ data: counting(10), ts: 2_000_000n })
        .bytes(),
    );
    expect(cap.warnings).toEqual([]);
    expect(indexRows(cap).map((r) => [r.capLen, r.sec])).toEqual([[10, 2]]);
  });

  it('numbers interfaces across sections and keeps each one\u2019s link type', async () => {
    const cap = await open(
      new PcapngWriter()
        .shb({ littleEndian: false })
        .idb({ linkType: 1 })
        .idb({ linkType: 228 })
        .epb({ iface: 1, data: counting(20) })
        .shb()
        .idb({ linkType: 113 })
        .epb({ iface: 0, data: counting(16) })
        .epb({ iface: 1, data: counting(16) }) // section 2 has one interface: skipped with a warning
        .bytes(),
    );
    expect(cap.interfaces.map((i) => i.linkType)).toEqual([1, 228, 113]);
    expect(Array.from(cap.index.iface)).toEqual([1, 2]);
    expect(cap.warnings).toEqual([{ offset: expect.any(Number), message: expect.stringMatching(/names interface 1, which its section does not describe; skipped \(it would have been frame 3\)/) }]);
  });

  it('gives the same index whatever the window size, including blocks larger than the window', async () => {
    const file = everyBlock();
    const whole = indexRows(await open(file));
    for (const w of [1, 4, 11, 12, 13, 28, 64, 100, 1000]) expect(indexRows(await open(file, w))).toEqual(whole);
  });

  it('shows packet comments as frame.comment through the session', async () => {
    const eth = hexBytes('ffffffffffff 001122334455 88b5 00000000');
    const bytes = new PcapngWriter()
      .shb()
      .idb()
      .epb({ data: eth, ts: 1_000_000n, comments: ['hello', 'world'] })
      .epb({ data: eth, ts: 2_000_000n })
      .opb({ data: eth, ts: 3_000_000n, comments: ['from an OPB'] })
      .bytes();
    const session = await CaptureSession.open(MemorySource.of('comments.pcapng', bytes));
    const got: string[][] = [];
    await session.fields(['frame.number', 'frame.comment'], 1, session.frameCount, (_n, v) => got.push([...v]));
    expect(got).toEqual([
      ['1', 'hello'],
      ['2', ''],
      ['3', 'from an OPB'],
    ]);
    const { tree } = await session.detail(1);
    const frame = tree.find((n) => n.field === 'frame')!;
    expect(frame.children!.filter((n) => n.field === 'frame.comment').map((n) => n.value)).toEqual(['hello', 'world']);
  });
});
