/**
 * The first pass's plain-frame shortcut (src/core/analysis/plain-frames.ts) must leave exactly the state
 * the dissectors leave: the same stream numbers, TCP analysis, stream times, list rows and conversation
 * tables, over the bench generator's mixed traffic and over frames that must not take the shortcut.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMixedCapture } from '../../../bench/generate';
import { NodeFileSource } from '../../../src/cli/node-file-source';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { CaptureSession } from '../../../src/core/session';
import { HEADER_FILTERS, filterOutcome, firstPassOutcome } from '../../helpers/first-pass-ways';
import { VALID } from '../../corpus/filter-cases';
import { compileFilter } from '../../../src/core/filter/index';
import { plainFilterCovers } from '../../../src/core/analysis/plain-frame-fields';
import { registerProtocols } from '../../../src/core/protocols/index';
import { PcapngWriter, pcapFile, type PcapRecord } from '../../fixtures/capture-writer';
import { hexBytes } from '../../helpers/dissect';

/** Whether a filter reads only fields the filter shortcut records (the corpus suite's include fields of protocols not written yet). */
function shortcutCovers(text: string): boolean {
  registerProtocols();
  try {
    return plainFilterCovers(compileFilter(text).wanted);
  } catch {
    return false;
  }
}

/** Runs `test` on `frames` frames of the bench generator's mixed traffic (seed `seed`), in a temporary file. */
async function withMixedCapture(frames: number, seed: string, test: (open: () => Promise<NodeFileSource>) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fathom-plain-'));
  try {
    const path = join(dir, 'mixed.pcap');
    generateMixedCapture(path, frames, seed);
    await test(() => NodeFileSource.open(path));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('plain-frame shortcuts', () => {
  it('leaves the state the dissectors leave on 20,000 frames of mixed traffic', async () => {
    await withMixedCapture(20_000, 'plain-frames', async (open) => {
      const generic = await firstPassOutcome(open, false);
      const plain = await firstPassOutcome(open, true);
      expect(plain.length).toBe(3 * 20_000 + 5);
      // Compared row by row first, so a difference names its frame.
      for (let i = 0; i < generic.length; i++) if (plain[i] !== generic[i]) expect(plain[i]).toBe(generic[i]);
    });
  }, 60_000);

  it('keeps the same frames for every filter it can take, on 3,000 frames of mixed traffic', async () => {
    await withMixedCapture(3_000, 'plain-filters', async (open) => {
      // The header-only filters above, and the corpus suite's filters that read only such fields (over 300).
      const filters = [...HEADER_FILTERS, ...VALID.filter(shortcutCovers)];
      expect(filters.length).toBeGreaterThan(300);
      const generic = await filterOutcome(open, false, filters);
      const plain = await filterOutcome(open, true, filters);
      for (let i = 0; i < filters.length; i++) if (plain[i] !== generic[i]) expect(plain[i]).toBe(generic[i]);
    });
  }, 60_000);

  // Ethernet + IPv4 + TCP SYN from 10.0.0.1:40000 to 10.0.0.2:8080, with the IPv4 header's bytes swappable.
  const eth = '00 11 22 33 44 55 66 77 88 99 aa bb 08 00';
  const tcpSyn = '9c 40 1f 90 00 00 00 01 00 00 00 00 50 02 ff ff 00 00 00 00';
  const v4 = (first: string, total: number, frag = '00 00', ttl = '40', proto = '06', rest = '') =>
    `${first} 00 ${(total >> 8).toString(16).padStart(2, '0')} ${(total & 0xff).toString(16).padStart(2, '0')} 12 34 ${frag} ${ttl} ${proto} 00 00 0a 00 00 01 0a 00 00 02 ${rest}`;
  // [case, bytes, whether the first pass takes the shortcut for it]
  const frames: [string, string, boolean][] = [
    ['plain', `${eth} ${v4('45', 40)} ${tcpSyn}`, true],
    ['padded with zeros', `${eth} ${v4('45', 40)} ${tcpSyn} 00 00 00 00 00 00`, true],
    ['padded with other bytes (an expert item)', `${eth} ${v4('45', 40)} ${tcpSyn} 00 00 00 01 00 00`, true],
    ['from a group address (an expert item)', `00 11 22 33 44 55 67 77 88 99 aa bb 08 00 ${v4('45', 40)} ${tcpSyn}`, true],
    ['with TTL 3 (an expert item)', `${eth} ${v4('45', 40, '00 00', '03')} ${tcpSyn}`, true],
    ['to 224.0.0.9 (an expert item)', `${eth} ${v4('45', 40).replace('0a 00 00 02', 'e0 00 00 09')} ${tcpSyn}`, true],
    ['IPv4 options (IHL 6)', `${eth} ${v4('46', 44, '00 00', '40', '06', '01 01 01 00')} ${tcpSyn}`, false],
    ['fragment (MF)', `${eth} ${v4('45', 40, '20 00')} ${tcpSyn}`, false],
    ['total length 0 (TSO)', `${eth} ${v4('45', 0)} ${tcpSyn}`, false],
    ['total length past the frame', `${eth} ${v4('45', 60)} ${tcpSyn}`, false],
    ['TCP header length past the segment', `${eth} ${v4('45', 40)} 9c 40 1f 90 00 00 00 01 00 00 00 00 f0 02 ff ff 00 00 00 00`, false],
    ['UDP length past the datagram', `${eth} ${v4('45', 30, '00 00', '40', '11')} 9c 40 00 35 00 20 00 00 00 00`, false],
    ['UDP without a checksum', `${eth} ${v4('45', 30, '00 00', '40', '11')} 9c 40 9c 41 00 0a 00 00 00 00`, true],
    [
      'UDP over IPv6 with a zero checksum (an expert item), traffic class 0xab, flow label 0xcdef1',
      `00 11 22 33 44 55 66 77 88 99 aa bb 86 dd 6a bc de f1 00 0a 11 40 ${'fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01'} ${'fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 02'} 9c 40 9c 41 00 0a 00 00 00 00`,
      false,
    ],
    ['UDP to the Teredo port', `${eth} ${v4('45', 30, '00 00', '40', '11')} 9c 40 0d d8 00 0a 00 00 00 00`, false],
    ['bogus version', `${eth} ${v4('55', 40)} ${tcpSyn}`, false],
    ['VLAN tag', `00 11 22 33 44 55 66 77 88 99 aa bb 81 00 00 07 08 00 ${v4('45', 40)} ${tcpSyn}`, false],
    // ICMP: an echo's header fields are read from the bytes by filters (not by the first pass); an error
    // quotes a packet whose IP header adds occurrences of the IP fields, so it is dissected.
    ['ICMP echo request', `${eth} ${v4('45', 28, '00 00', '40', '01')} 08 00 00 00 12 34 00 01`, false],
    ['ICMP echo reply with TTL 3', `${eth} ${v4('45', 28, '00 00', '03', '01')} 00 00 00 00 12 34 00 01`, false],
    ['ICMP port unreachable quoting a segment', `${eth} ${v4('45', 56, '00 00', '40', '01')} 03 03 00 00 00 00 00 00 ${v4('45', 40)} ${tcpSyn.slice(0, 23)}`, false],
    ['ARP request (padded)', `ff ff ff ff ff ff 66 77 88 99 aa bb 08 06 00 01 08 00 06 04 00 01 66 77 88 99 aa bb 0a 00 00 01 00 00 00 00 00 00 0a 00 00 02 ${'00 '.repeat(18).trim()}`, false],
    ['ARP reply cut short', `00 11 22 33 44 55 66 77 88 99 aa bb 08 06 00 01 08 00 06 04 00 02 66 77 88 99`, false],
    // Neighbor discovery: options are walked; one that quotes a packet (Redirected Header) is dissected.
    [
      'ICMPv6 neighbor solicitation with a link-layer address option',
      `33 33 ff 00 00 02 66 77 88 99 aa bb 86 dd 60 00 00 00 00 20 3a ff fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01 ff 02 00 00 00 00 00 00 00 00 00 01 ff 00 00 02 87 00 00 00 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 02 01 01 66 77 88 99 aa bb`,
      false,
    ],
    [
      'ICMPv6 neighbor solicitation with a Redirected Header option',
      `33 33 ff 00 00 02 66 77 88 99 aa bb 86 dd 60 00 00 00 00 48 3a ff fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01 ff 02 00 00 00 00 00 00 00 00 00 01 ff 00 00 02 87 00 00 00 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 02 04 06 00 00 00 00 00 00 60 00 00 00 00 00 3b 40 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0a 0b 0b 0b 0b 0b 0b 0b 0b 0b 0b 0b 0b 0b 0b 0b 0b`,
      false,
    ],
    [
      'ICMPv6 neighbor solicitation with a zero-length option',
      `33 33 ff 00 00 02 66 77 88 99 aa bb 86 dd 60 00 00 00 00 20 3a ff fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01 ff 02 00 00 00 00 00 00 00 00 00 01 ff 00 00 02 87 00 00 00 00 00 00 00 fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 02 01 00 66 77 88 99 aa bb`,
      false,
    ],
    [
      'ICMPv6 echo request',
      `00 11 22 33 44 55 66 77 88 99 aa bb 86 dd 60 00 00 00 00 08 3a 40 ${'fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01'} ${'fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 02'} 80 00 00 00 12 34 00 01`,
      false,
    ],
  ];

  it.each(frames)('agrees on a frame %s', async (_name, hex) => {
    const bytes = hexBytes(hex);
    const records: PcapRecord[] = [
      { sec: 1, frac: 0, data: bytes },
      { sec: 1, frac: 5, data: bytes },
    ];
    const file = pcapFile(records);
    const open = async () => new MemorySource('edge.pcap', [file]);
    expect(await firstPassOutcome(open, true)).toEqual(await firstPassOutcome(open, false));
    expect(await filterOutcome(open, true, HEADER_FILTERS)).toEqual(await filterOutcome(open, false, HEADER_FILTERS));
  });

  it('agrees on the times of a record that has none (a Simple Packet Block) and of timed ones', async () => {
    const syn = hexBytes(`${eth} ${v4('45', 40)} ${tcpSyn}`);
    const file = new PcapngWriter().shb().idb().epb({ ts: 1_600_000_000_000_000n, data: syn }).spb({ data: syn }).epb({ ts: 1_600_000_002_500_000n, data: syn }).bytes();
    const open = async () => new MemorySource('spb.pcapng', [file]);
    expect(await firstPassOutcome(open, true)).toEqual(await firstPassOutcome(open, false));
    const timeFilters = ['frame.time', 'frame.time_epoch > 0', 'frame.time_relative > 1', 'frame.time_delta == 0'];
    expect(await filterOutcome(open, true, timeFilters)).toEqual(await filterOutcome(open, false, timeFilters));
    // The untimed record has no frame.time: the filter keeps frames 1 and 3.
    expect((await filterOutcome(open, true, ['frame.time']))[0]).toBe('frame.time: 05');
  });

  it('is taken by plain frames only', async () => {
    const records = frames.map(([, hex], i) => ({ sec: 1, frac: i, data: hexBytes(hex) }));
    const session = await CaptureSession.open(new MemorySource('edge.pcap', [pcapFile(records)]), { plainFrames: true });
    await session.ensureFirstPass();
    expect(session.plainFrameCount).toBe(frames.filter(([, , plain]) => plain).length);
  });
});
