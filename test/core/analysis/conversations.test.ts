/**
 * Conversations on a crafted capture whose expected rows were read off `tshark -q -z conv,…` (tshark 4.0):
 * A is the first sender, a header quoted in an ICMP error counts nowhere, both layers of an IP-in-IP tunnel
 * count, a host talking to itself counts A → B, and a display filter limits the frames.
 */
import { describe, expect, it } from 'vitest';
import { CaptureSession } from '../../../src/core/session';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { compileFilter } from '../../../src/core/filter/index';
import { registerProtocols } from '../../../src/core/protocols/index';
import { conversationCells, conversationHeader, conversationJson, type Conversation } from '../../../src/core/analysis/conversations';
import { FrameBuilder, ETHERTYPE_IPV4, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, SYN, ACK } from '../../fixtures/forge/packets';
import { MemoryPcapWriter } from '../../fixtures/forge/pcap-writer';
import { ipv4, mac } from '../../fixtures/forge/addresses';

const M1 = mac('00:00:00:00:00:01');
const M2 = mac('00:00:00:00:00:02');
const T0 = 1_700_000_000_000_000;

/** Six frames: UDP query, ICMP error quoting it, IP-in-IP SYN and SYN/ACK, a loopback datagram, the UDP reply. */
function conversationCapture(): Uint8Array {
  const w = new MemoryPcapWriter();
  const f = new FrameBuilder();
  const put = (us: number) => w.packet(T0 + us, f.finish(60).slice());
  f.reset().ethernet(M2, M1, ETHERTYPE_IPV4).ipv4({ src: ipv4('10.0.0.1'), dst: ipv4('10.0.0.2'), protocol: IPPROTO_UDP }).udp(5000, 53).ascii('q');
  put(0);
  // ICMP port unreachable (RFC 792) quoting a header whose addresses appear nowhere else.
  f.reset().ethernet(M1, M2, ETHERTYPE_IPV4).ipv4({ src: ipv4('10.0.0.2'), dst: ipv4('10.0.0.1'), protocol: IPPROTO_ICMP }).icmp(3, 3, 0);
  f.ipv4({ src: ipv4('10.0.0.1'), dst: ipv4('10.0.0.9'), protocol: IPPROTO_UDP }).udp(5000, 53).ascii('q');
  put(2000);
  // IP in IP (RFC 2003).
  f.reset().ethernet(M2, M1, ETHERTYPE_IPV4).ipv4({ src: ipv4('192.168.0.1'), dst: ipv4('192.168.0.2'), protocol: 4 });
  f.ipv4({ src: ipv4('10.1.1.1'), dst: ipv4('10.2.2.2'), protocol: IPPROTO_TCP }).tcp({ srcPort: 1234, dstPort: 80, seq: 1, ack: 0, flags: SYN, window: 1000 });
  put(10_000);
  f.reset().ethernet(M1, M2, ETHERTYPE_IPV4).ipv4({ src: ipv4('192.168.0.2'), dst: ipv4('192.168.0.1'), protocol: 4 });
  f.ipv4({ src: ipv4('10.2.2.2'), dst: ipv4('10.1.1.1'), protocol: IPPROTO_TCP }).tcp({ srcPort: 80, dstPort: 1234, seq: 9, ack: 2, flags: SYN | ACK, window: 1000 });
  put(20_000);
  f.reset().ethernet(M1, M1, ETHERTYPE_IPV4).ipv4({ src: ipv4('127.0.0.1'), dst: ipv4('127.0.0.1'), protocol: IPPROTO_UDP }).udp(7, 7).ascii('loop');
  put(1_020_000);
  f.reset().ethernet(M1, M2, ETHERTYPE_IPV4).ipv4({ src: ipv4('10.0.0.2'), dst: ipv4('10.0.0.1'), protocol: IPPROTO_UDP }).udp(53, 5000).ascii('answer-answer');
  put(1_500_000);
  return w.bytes();
}

async function open(bytes: Uint8Array): Promise<CaptureSession> {
  registerProtocols();
  return CaptureSession.open(MemorySource.of('conv.pcap', bytes));
}

/** The numbers tshark prints: A, B, frames/bytes B→A, A→B, total, relative start, duration. */
function brief(c: Conversation): string {
  const a = c.aPort === undefined ? c.a : `${c.a}:${c.aPort}`;
  const b = c.bPort === undefined ? c.b : `${c.b}:${c.bPort}`;
  return `${a} <-> ${b} ${c.packetsBA} ${c.bytesBA} ${c.packetsAB} ${c.bytesAB} ${c.packets} ${c.bytes} ${c.relStart.toFixed(9)} ${c.duration.toFixed(4)}`;
}

describe('conversations', () => {
  it('counts every layer once, A first, as tshark -z conv does', async () => {
    const s = await open(conversationCapture());
    expect((await s.conversations('eth')).map(brief)).toEqual([
      '00:00:00:00:00:01 <-> 00:00:00:00:00:02 3 205 2 134 5 339 0.000000000 1.5000',
      '00:00:00:00:00:01 <-> 00:00:00:00:00:01 0 0 1 60 1 60 1.020000000 0.0000',
    ]);
    expect((await s.conversations('ip')).map(brief)).toEqual([
      '10.0.0.1 <-> 10.0.0.2 2 131 1 60 3 191 0.000000000 1.5000',
      '192.168.0.1 <-> 192.168.0.2 1 74 1 74 2 148 0.010000000 0.0100',
      '10.1.1.1 <-> 10.2.2.2 1 74 1 74 2 148 0.010000000 0.0100',
      '127.0.0.1 <-> 127.0.0.1 0 0 1 60 1 60 1.020000000 0.0000',
    ]);
    expect((await s.conversations('tcp')).map(brief)).toEqual(['10.1.1.1:1234 <-> 10.2.2.2:80 1 74 1 74 2 148 0.010000000 0.0100']);
    expect((await s.conversations('udp')).map(brief)).toEqual([
      '10.0.0.1:5000 <-> 10.0.0.2:53 1 60 1 60 2 120 0.000000000 1.5000',
      '127.0.0.1:7 <-> 127.0.0.1:7 0 0 1 60 1 60 1.020000000 0.0000',
    ]);
    expect(await s.conversations('ipv6')).toEqual([]);
  });

  it('gathers the same tables by a later walk when the first pass was told not to', async () => {
    const bytes = conversationCapture();
    const gathered = await open(bytes);
    registerProtocols();
    const later = await CaptureSession.open(MemorySource.of('conv.pcap', bytes), { conversations: false });
    for (const type of ['eth', 'ip', 'ipv6', 'tcp', 'udp'] as const) {
      const want = await gathered.conversations(type);
      expect(want.length).toBeGreaterThan(type === 'ipv6' ? -1 : 0);
      expect(await later.conversations(type)).toEqual(want);
      expect(await later.endpoints(type)).toEqual(await gathered.endpoints(type));
    }
    // One walk gathered every type, and its tables are kept.
    expect(await later.conversationTable('udp')).toBe(await later.conversationTable('udp'));
  });

  it('gathers only the types asked for in the first pass, and the others by a walk, all the same', async () => {
    const bytes = conversationCapture();
    const gathered = await open(bytes);
    registerProtocols();
    const some = await CaptureSession.open(MemorySource.of('conv.pcap', bytes), { conversations: ['tcp', 'ip'] });
    const tcpTable = await some.conversationTable('tcp');
    for (const type of ['tcp', 'ip', 'eth', 'udp', 'ipv6'] as const) expect(await some.conversations(type)).toEqual(await gathered.conversations(type));
    // The walk that gathered eth, udp and ipv6 keeps them; its tcp table is the first pass's again.
    expect(await some.conversationTable('eth')).toBe(await some.conversationTable('eth'));
    expect((await some.conversationTable('tcp')).conversations()).toEqual(tcpTable.conversations());
  });

  it('gives stream numbers, frames and rates', async () => {
    const s = await open(conversationCapture());
    const [udp, loop] = await s.conversations('udp');
    expect(udp).toMatchObject({ stream: 0, firstFrame: 1, lastFrame: 6, bpsAB: 320, bpsBA: 320 });
    // 5 ms or less: Wireshark shows no rate. (udp.stream 1 is the header quoted in the ICMP error.)
    expect(loop).toMatchObject({ stream: 2, bpsAB: null, bpsBA: null });
    const [tcp] = await s.conversations('tcp');
    expect(tcp).toMatchObject({ stream: 0, aPort: 1234, bPort: 80, bpsAB: 59200 });
  });

  it('limits the frames by a display filter (tshark -z conv,TYPE,FILTER)', async () => {
    const s = await open(conversationCapture());
    // The ICMP error holds a quoted UDP header, so it passes "udp": its outer IP header counts.
    expect((await s.conversations('ip', compileFilter('udp'))).map(brief)).toEqual([
      '10.0.0.1 <-> 10.0.0.2 2 131 1 60 3 191 0.000000000 1.5000',
      '127.0.0.1 <-> 127.0.0.1 0 0 1 60 1 60 1.020000000 0.0000',
    ]);
    expect((await s.conversations('eth', compileFilter('!icmp'))).map(brief)).toEqual([
      '00:00:00:00:00:01 <-> 00:00:00:00:00:02 2 134 2 134 4 268 0.000000000 1.5000',
      '00:00:00:00:00:01 <-> 00:00:00:00:00:01 0 0 1 60 1 60 1.020000000 0.0000',
    ]);
    // The capture-wide table is untouched by a filtered one.
    expect(await s.conversations('ip')).toHaveLength(4);
    expect(await s.conversations('tcp', compileFilter('frame.number > 100'))).toEqual([]);
  });

  it('prints the CLI table and the DESIGN.md JSON shape', async () => {
    const s = await open(conversationCapture());
    const [tcp] = await s.conversations('tcp');
    expect(conversationHeader('tcp')).toEqual([
      'Address A', 'Port A', 'Address B', 'Port B', 'Packets', 'Bytes', 'Packets A → B', 'Bytes A → B', 'Packets B → A', 'Bytes B → A',
      'Rel Start', 'Duration', 'Bits/s A → B', 'Bits/s B → A',
    ]);
    expect(conversationCells('tcp', tcp)).toEqual(['10.1.1.1', '1234', '10.2.2.2', '80', '2', '148', '1', '74', '1', '74', '0.010000000', '0.0100', '59200', '59200']);
    const [, , , loop] = await s.conversations('ip');
    expect(conversationCells('ip', loop).slice(-2)).toEqual(['', '']);
    const json = conversationJson('tcp', tcp);
    expect(Object.keys(json).slice(0, 12)).toEqual(['a', 'aPort', 'b', 'bPort', 'packets', 'bytes', 'packetsAB', 'bytesAB', 'packetsBA', 'bytesBA', 'relStart', 'duration']);
    expect(Object.keys(conversationJson('ip', loop))).not.toContain('aPort');
  });

  it('tells TCP conversations apart by stream when a port pair is reused', async () => {
    const w = new MemoryPcapWriter();
    const f = new FrameBuilder();
    const seg = (from: 1 | 2, flags: number, seq: number, ack: number, us: number) => {
      const [src, dst, sp, dp] = from === 1 ? ['10.0.0.1', '10.0.0.2', 3333, 80] : ['10.0.0.2', '10.0.0.1', 80, 3333];
      f.reset().ethernet(M2, M1, ETHERTYPE_IPV4).ipv4({ src: ipv4(src as string), dst: ipv4(dst as string), protocol: IPPROTO_TCP });
      f.tcp({ srcPort: sp as number, dstPort: dp as number, seq, ack, flags, window: 1000 });
      w.packet(T0 + us, f.finish(60).slice());
    };
    // A connection refused (SYN, RST/ACK), then the same port pair again: a new tcp.stream.
    seg(1, SYN, 100, 0, 0);
    seg(2, 0x14, 0, 101, 1000);
    seg(1, SYN, 900, 0, 2_000_000);
    const s = await open(w.bytes());
    const rows = await s.conversations('tcp');
    expect(rows.map((r) => [r.stream, r.packets, r.firstFrame])).toEqual([
      [0, 2, 1],
      [1, 1, 3],
    ]);
    // Endpoints are per address and port: the streams add up.
    expect((await s.endpoints('tcp')).map((e) => [e.address, e.port, e.txPackets, e.rxPackets])).toEqual([
      ['10.0.0.1', 3333, 2, 1],
      ['10.0.0.2', 80, 1, 2],
    ]);
  });
});
