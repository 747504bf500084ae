import { describe, expect, it } from 'vitest';
import { openCapture, type Capture } from '../../../src/core/capture/open-capture';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { LinkType } from '../../../src/core/capture/link-types';
import { hexBytes } from '../../helpers/dissect';
import { counting, pcapFile, pcapHeader, pcapRecord } from '../../fixtures/capture-writer';

/** The index as plain rows, for toEqual. */
function indexRows(cap: Capture) {
  const ix = cap.index;
  const rows = [];
  for (let i = 0; i < ix.count; i++) {
    rows.push({ offset: ix.offset[i], capLen: ix.capLen[i], origLen: ix.origLen[i], sec: ix.tsSec[i], nsec: ix.tsNsec[i], iface: ix.iface[i], flags: ix.flags[i] });
  }
  return rows;
}

const open = (bytes: Uint8Array, windowBytes?: number) => openCapture(MemorySource.of('t.pcap', bytes), { windowBytes });

// draft-ietf-opsawg-pcap §4/§5, little endian, microseconds. Checked with tshark 4.0: frame 1 is
// 1700000000.123456000, 60 bytes on the wire, 4 captured; frame 2 is 1700000001.999999000, 2 bytes.
const LE_USEC = hexBytes(`
  d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000   # magic, v2.4, reserved, snaplen 65535, Ethernet
  00f15365 40e20100 04000000 3c000000 deadbeef             # 1700000000 s, 123456 µs, caplen 4, len 60
  01f15365 3f420f00 02000000 02000000 cafe                 # 1700000001 s, 999999 µs, caplen 2, len 2
`);

// The same layout big endian with the nanosecond magic and Linux SLL (113). tshark: 1700000000.999999999.
const BE_NSEC = hexBytes(`
  a1b23c4d 0002 0004 00000000 00000000 00000100 00000071
  6553f100 3b9ac9ff 00000003 00000003 010203
`);

describe('capture writer (pcap)', () => {
  it('writes the file header field by field', () => {
    expect(pcapHeader()).toEqual(hexBytes('d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000'));
    expect(pcapHeader({ littleEndian: false, nanoseconds: true, snapLen: 65535, linkType: 113 })).toEqual(
      hexBytes('a1b23c4d 0002 0004 00000000 00000000 0000ffff 00000071'),
    );
  });

  it('writes a record header then the unpadded data', () => {
    expect(pcapRecord({ sec: 0x01020304, frac: 5, data: hexBytes('aabbcc'), origLen: 60 })).toEqual(hexBytes('04030201 05000000 03000000 3c000000 aabbcc'));
    expect(pcapRecord({ sec: 1, data: hexBytes('aa'), capLen: 0xffffffff }, false)).toEqual(hexBytes('00000001 00000000 ffffffff 00000001 aa'));
  });

  it('round-trips the hand-written files', () => {
    expect(
      pcapFile(
        [
          { sec: 1700000000, frac: 123456, data: hexBytes('deadbeef'), origLen: 60 },
          { sec: 1700000001, frac: 999999, data: hexBytes('cafe') },
        ],
        { snapLen: 65535 },
      ),
    ).toEqual(LE_USEC);
    expect(pcapFile([{ sec: 1700000000, frac: 999999999, data: hexBytes('010203') }], { littleEndian: false, nanoseconds: true, snapLen: 256, linkType: 113 })).toEqual(BE_NSEC);
  });
});

describe('pcap reader', () => {
  it('reads a little-endian microsecond file', async () => {
    const cap = await open(LE_USEC);
    expect(cap.format).toBe('pcap');
    expect(cap.compressed).toBe(false);
    expect(cap.interfaces).toEqual([{ linkType: LinkType.ETHERNET, snapLen: 65535, offset: 20 }]);
    expect(cap.warnings).toEqual([]);
    expect(indexRows(cap)).toEqual([
      { offset: 40, capLen: 4, origLen: 60, sec: 1700000000, nsec: 123456000, iface: 0, flags: 0 },
      { offset: 60, capLen: 2, origLen: 2, sec: 1700000001, nsec: 999999000, iface: 0, flags: 0 },
    ]);
    await expect(cap.source.read(40, 4)).resolves.toEqual(hexBytes('deadbeef'));
  });

  it('reads a big-endian nanosecond file', async () => {
    const cap = await open(BE_NSEC);
    expect(cap.format).toBe('pcap-nsec');
    expect(cap.interfaces).toEqual([{ linkType: LinkType.LINUX_SLL, snapLen: 256, offset: 20 }]);
    expect(indexRows(cap)).toEqual([{ offset: 40, capLen: 3, origLen: 3, sec: 1700000000, nsec: 999999999, iface: 0, flags: 0 }]);
  });

  it('gives the same index for both byte orders and both magics', async () => {
    const records = [
      { sec: 10, frac: 1, data: counting(60) },
      { sec: 4000000000, frac: 999999, data: counting(1), origLen: 1514 },
      { sec: 0, frac: 0, data: new Uint8Array(0) },
    ];
    const le = indexRows(await open(pcapFile(records)));
    const be = indexRows(await open(pcapFile(records, { littleEndian: false })));
    expect(be).toEqual(le);
    expect(le.map((r) => [r.sec, r.nsec, r.capLen, r.origLen])).toEqual([
      [10, 1000, 60, 60],
      [4000000000, 999999000, 1, 1514],
      [0, 0, 0, 0],
    ]);
    const ns = indexRows(await open(pcapFile(records, { nanoseconds: true, littleEndian: false })));
    expect(ns.map((r) => r.nsec)).toEqual([1, 999999, 0]);
  });

  it('keeps an out-of-range fraction as written, like tshark (10.1500000000)', async () => {
    const cap = await open(pcapFile([{ sec: 10, frac: 1_500_000, data: counting(4) }]));
    expect(indexRows(cap)[0]).toMatchObject({ sec: 10, nsec: 1_500_000_000 });
  });

  it('takes the link type from the low 16 bits (the upper bits carry FCS information)', async () => {
    // §4: FCS length 4 in bits 28–31 and the F bit (26) set, link type 1.
    const cap = await open(pcapFile([{ sec: 1, data: counting(4) }], { linkType: 0x44000001 }));
    expect(cap.interfaces[0].linkType).toBe(1);
    const raw = await open(pcapFile([{ sec: 1, data: counting(4) }], { linkType: LinkType.IPV4, snapLen: 0 }));
    expect(raw.interfaces).toEqual([{ linkType: 228, snapLen: 0, offset: 20 }]);
    expect(raw.warnings).toEqual([]);
  });

  it('records the snapshot length and snapped frames', async () => {
    const cap = await open(pcapFile([{ sec: 1, data: counting(64), origLen: 1500 }], { snapLen: 64 }));
    expect(cap.interfaces[0].snapLen).toBe(64);
    expect(indexRows(cap)[0]).toMatchObject({ capLen: 64, origLen: 1500 });
    expect(cap.warnings).toEqual([]);
  });

  it('reads a header-only file as an empty capture', async () => {
    const cap = await open(pcapHeader());
    expect(cap.index.count).toBe(0);
    expect(cap.warnings).toEqual([]);
  });

  it('warns about a version other than 2.x but still reads', async () => {
    const cap = await open(pcapFile([{ sec: 1, data: counting(4) }], { versionMajor: 3 }));
    expect(cap.index.count).toBe(1);
    expect(cap.warnings).toEqual([{ offset: 4, message: expect.stringContaining('version 3.4, expected 2.x') }]);
  });

  it('gives the same index whatever the window size', async () => {
    const file = pcapFile(Array.from({ length: 20 }, (_, i) => ({ sec: i, frac: i * 7, data: counting(i * 13) })));
    const whole = indexRows(await open(file));
    expect(whole).toHaveLength(20);
    for (const w of [1, 2, 15, 16, 17, 23, 24, 25, 40, 100, 1000]) expect(indexRows(await open(file, w))).toEqual(whole);
  });
});
