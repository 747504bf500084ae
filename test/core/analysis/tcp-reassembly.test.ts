/**
 * TCP reassembly through the API a protocol above TCP uses (`dissectPdus`, `pinfo.desegment`), with a small
 * length-prefixed protocol registered on port 7777 for the test: a PDU is a 2-byte big-endian length then
 * that many bytes (the framing of DNS over TCP, RFC 7766 §8). Expected values are what tshark 4.0 shows for
 * DNS over TCP cut the same way (`tshark -2 -T fields`), which test/corpus/tcp-reassembly.test.ts checks
 * against tshark itself.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../../../src/core/dissect/dissector-tables';
import { defineFields } from '../../../src/core/dissect/field-registry';
import { dissectPdus, DESEGMENT_ONE_MORE_SEGMENT } from '../../../src/core/dissect/pdus';
import type { ByteView } from '../../../src/core/dissect/byte-view';
import type { PacketInfo } from '../../../src/core/dissect/packet-info';
import type { ProtoTree } from '../../../src/core/dissect/proto-tree';
import { registerProtocols } from '../../../src/core/protocols/index';
import { FrameBuilder, ETHERTYPE_IPV4, IPPROTO_TCP } from '../../fixtures/forge/packets';
import { ipv4, mac } from '../../fixtures/forge/addresses';
import { dissectSequence, type Dissected } from '../../helpers/dissect';
import { MAX_PDU_BYTES, tcpReassemblyOf } from '../../../src/core/analysis/tcp-reassembly';
import { MemoryPcapWriter } from '../../fixtures/forge/pcap-writer';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { CaptureSession } from '../../../src/core/session';
import { compileFilter } from '../../../src/core/filter/index';

const toyFields = defineFields('toy', {
  toy: { id: 'toy', name: 'Toy PDU protocol', type: 'protocol' },
  length: { id: 'toy.length', name: 'Length', type: 'uint16', base: 'dec' },
  body: { id: 'toy.body', name: 'Body', type: 'bytes' },
});

function toyPdu(pdu: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
  // The first PDU of a frame replaces TCP's Info; later ones add to it.
  if (pinfo.protocol !== 'TOY') pinfo.setInfo('');
  pinfo.setProtocol('TOY');
  const n = pdu.u16(0);
  pinfo.appendInfoSep(', ', `Toy PDU of ${n} bytes`);
  tree.open(toyFields.toy, pdu, 0, pdu.length, null);
  tree.add(toyFields.length, pdu, 0, 2, n);
  tree.add(toyFields.body, pdu, 2, n, pdu.bytes(2, n));
  tree.close();
}

const toy = {
  abbrev: 'toy',
  dissect: (view: ByteView, pinfo: PacketInfo, tree: ProtoTree) => {
    return dissectPdus(view, pinfo, tree, 2, (v, o) => v.u16(o) + 2, toyPdu);
  },
};

/** A protocol that cannot tell its length from a header: a PDU is everything up to and including "\n". */
const lines = {
  abbrev: 'toylines',
  dissect: (view: ByteView, pinfo: PacketInfo, tree: ProtoTree) => {
    let start = 0;
    pinfo.setInfo('');
    for (let i = 0; i < view.length; i++) {
      if (view.u8(i) !== 0x0a) continue;
      pinfo.setProtocol('TOYLINES');
      pinfo.appendInfoSep(', ', `line of ${i + 1 - start} bytes`);
      tree.add(toyFields.body, view, start, i + 1 - start, view.bytes(start, i + 1 - start));
      start = i + 1;
    }
    if (start < view.length && pinfo.canDesegment) pinfo.desegment(start, DESEGMENT_ONE_MORE_SEGMENT);
    return view.length;
  },
};

/**
 * Header lines that may fold (a line starting with a space continues the one before, RFC 5322 §2.2.3): a line
 * is whole only once the first byte of the next line shows it does not continue — after the segment it is in.
 */
const folded = {
  abbrev: 'toyfold',
  dissect: (view: ByteView, pinfo: PacketInfo, tree: ProtoTree) => {
    let start = 0;
    for (;;) {
      let end = -1;
      for (let i = start; i + 1 < view.length; i++) {
        if (view.u8(i) === 0x0a && view.u8(i + 1) !== 0x20) {
          end = i + 1;
          break;
        }
      }
      if (end < 0 && start < view.length && !pinfo.canDesegment) end = view.length; // a PDU ends with its data
      if (end < 0) {
        if (pinfo.canDesegment) pinfo.desegment(start, DESEGMENT_ONE_MORE_SEGMENT);
        return view.length;
      }
      pinfo.setProtocol('TOYFOLD');
      tree.add(toyFields.body, view, start, end - start, view.bytes(start, end - start));
      start = end;
    }
  },
};

beforeAll(() => {
  registerProtocols();
  tables.tcpPort.add(7777, toy);
  tables.tcpPort.add(7778, lines);
  tables.tcpPort.add(7779, folded);
});

const CLIENT = { mac: mac('00:00:00:00:00:01'), ip: ipv4('10.0.0.1') };
const SERVER = { mac: mac('00:00:00:00:00:02'), ip: ipv4('10.0.0.2') };
const SYN = 2;
const ACK = 16;
const PSH = 8;

/** A connection to `port`: handshake (client ISN 1000, server 5000), then the client sends `chunks` in order. */
function connection(port: number, chunks: { seq: number; data: Uint8Array }[]): Uint8Array[] {
  const f = new FrameBuilder();
  const frame = (from: typeof CLIENT, to: typeof CLIENT, sport: number, dport: number, seq: number, ack: number, flags: number, data?: Uint8Array) => {
    f.reset().ethernet(to.mac, from.mac, ETHERTYPE_IPV4).ipv4({ src: from.ip, dst: to.ip, protocol: IPPROTO_TCP });
    f.tcp({ srcPort: sport, dstPort: dport, seq, ack, flags, window: 65535 });
    if (data) f.bytes(data);
    return f.finish().slice();
  };
  return [
    frame(CLIENT, SERVER, 40000, port, 1000, 0, SYN),
    frame(SERVER, CLIENT, port, 40000, 5000, 1001, SYN | ACK),
    frame(CLIENT, SERVER, 40000, port, 1001, 5001, ACK),
    ...chunks.map((c) => frame(CLIENT, SERVER, 40000, port, 1001 + c.seq, 5001, PSH | ACK, c.data)),
  ];
}

/** Toy PDUs: 2-byte length, then `n` bytes of `fill`. */
function pdu(n: number, fill: number): Uint8Array {
  const b = new Uint8Array(n + 2).fill(fill);
  b[0] = n >> 8;
  b[1] = n & 255;
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cuts `stream` at the given offsets into chunks with their sequence offsets. */
function cut(stream: Uint8Array, ...at: number[]): { seq: number; data: Uint8Array }[] {
  const edges = [0, ...at, stream.length];
  return edges.slice(0, -1).map((a, i) => ({ seq: a, data: stream.subarray(a, edges[i + 1]) }));
}

const every = (d: Dissected, id: string) => d.every(id).map((n) => n.value).join(',');

describe('TCP reassembly for a length-prefixed protocol', () => {
  const p1 = pdu(70, 0x61);
  const p2 = pdu(31, 0x62);
  const p3 = pdu(80, 0x63);
  const stream = concat(p1, p2, p3);

  it('dissects a PDU split over two segments once, in the frame that completes it', () => {
    const d = dissectSequence(connection(7777, cut(stream, 10, 10 + 62 + 33 + 5)));
    // Frame 4: the first 10 bytes of PDU 1.
    expect(d[3].value('tcp.reassembled_in')).toBe('5');
    expect(d[3].value('tcp.segment_data')).toBe('00466161616161616161');
    expect(d[3].protocol).toBe('TCP');
    expect(d[3].info).toBe('40000 → 7777 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=10 [TCP segment of a reassembled PDU]');
    expect(d[3].protocols).toBe('eth:ethertype:ip:tcp');
    expect(d[3].has('toy')).toBe(false);
    // Frame 5: the rest of PDU 1, all of PDU 2, the first 5 bytes of PDU 3.
    expect(every(d[4], 'tcp.segment')).toBe('4,5');
    expect(d[4].value('tcp.segment.count')).toBe('2');
    expect(d[4].value('tcp.reassembled.length')).toBe('72');
    expect(every(d[4], 'tcp.reassembled_in')).toBe('6');
    expect(d[4].every('tcp.segment_data').map((n) => n.length)).toEqual([62, 5]);
    expect(every(d[4], 'toy.length')).toBe('70,31');
    expect(d[4].protocols).toBe('eth:ethertype:ip:tcp:toy:toy');
    expect(d[4].info).toBe('Toy PDU of 70 bytes, Toy PDU of 31 bytes');
    // Frame 6 completes PDU 3.
    expect(every(d[5], 'tcp.segment')).toBe('5,6');
    expect(d[5].value('tcp.reassembled.length')).toBe('82');
    expect(d[5].has('tcp.reassembled_in')).toBe(false);
    expect(every(d[5], 'toy.length')).toBe('80');
  });

  it('draws the reassembled segments like Wireshark, over a "Reassembled TCP" data source', () => {
    const d = dissectSequence(connection(7777, cut(stream, 10, 10 + 62 + 33 + 5)))[4];
    const segs = d.get('tcp.segments');
    expect(segs.label).toBe('[2 Reassembled TCP Segments (72 bytes): #4(10), #5(62)]');
    expect(segs.source).toBe(1);
    expect(segs.children!.map((c) => c.label)).toEqual([
      '[Frame: 4, payload: 0-9 (10 bytes)]',
      '[Frame: 5, payload: 10-71 (62 bytes)]',
      '[Segment count: 2]',
      '[Reassembled TCP length: 72]',
      `[Reassembled TCP Data: 0046${'61'.repeat(34)}…]`,
    ]);
    expect(segs.children![1]).toMatchObject({ offset: 10, length: 62, source: 1 });
    // The PDU's items point into the reassembled bytes; PDU 2's into the frame (after the TCP header).
    const [first, second] = d.every('toy.length');
    expect(first).toMatchObject({ source: 1, offset: 0 });
    expect(second).toMatchObject({ source: 0, offset: 14 + 20 + 20 + 62 });
    // The TCP tree: the completing piece's data, then the next PDU's start with where it is reassembled.
    const tcp = d.get('tcp');
    expect(tcp.children!.slice(-3).map((c) => c.label)).toEqual(['TCP segment data (62 bytes)', '[Reassembled PDU in frame: 6]', 'TCP segment data (5 bytes)']);
  });

  it('puts a PDU together from three segments, skipping a retransmitted one', () => {
    const c = cut(p1, 10, 20);
    const d = dissectSequence(connection(7777, [c[0], c[1], c[1], c[2], { seq: 72, data: p2 }]));
    expect(d.slice(3).map((x) => x.value('tcp.reassembled_in') ?? '')).toEqual(['7', '7', '', '', '']);
    expect(d[5].info).toBe('[TCP Retransmission] 40000 → 7777 [PSH, ACK] Seq=11 Ack=1 Win=65535 Len=10');
    expect(every(d[6], 'tcp.segment')).toBe('4,5,7');
    expect(d[6].value('tcp.reassembled.length')).toBe('72');
    expect(every(d[7], 'toy.length')).toBe('31');
    expect(d[7].has('tcp.segments')).toBe(false);
  });

  it('leaves a PDU with a missing segment unfinished and starts afresh after its end', () => {
    const d = dissectSequence(connection(7777, [{ seq: 0, data: p1.subarray(0, 10) }, { seq: 20, data: p1.subarray(20) }, { seq: 72, data: p2 }]));
    expect(d[3].has('tcp.reassembled_in')).toBe(false);
    expect(d[3].info).toMatch(/Len=10 \[TCP segment of a reassembled PDU\]$/);
    expect(d[4].value('tcp.segment_data')?.length).toBe(52 * 2);
    expect(d[4].info).toMatch(/^\[TCP Previous segment not captured\] .* \[TCP segment of a reassembled PDU\]$/);
    expect(every(d[5], 'toy.length')).toBe('31');
  });

  it('keeps the start of a PDU the capture never completes as segment data', () => {
    const d = dissectSequence(connection(7777, cut(p1.subarray(0, 20), 10)));
    expect(d[3].has('tcp.reassembled_in')).toBe(false);
    expect(d[4].has('tcp.reassembled_in')).toBe(false);
    expect(d[4].info).toMatch(/\[TCP segment of a reassembled PDU\]$/);
  });

  it('reassembles when even the length field is split', () => {
    const d = dissectSequence(connection(7777, [{ seq: 0, data: p1 }, { seq: 72, data: p2.subarray(0, 1) }, { seq: 73, data: p2.subarray(1) }]));
    expect(every(d[3], 'toy.length')).toBe('70');
    expect(d[4].value('tcp.reassembled_in')).toBe('6');
    expect(every(d[5], 'tcp.segment')).toBe('5,6');
    expect(every(d[5], 'toy.length')).toBe('31');
  });

  it('follows a protocol that asks for one more segment at a time', () => {
    const text = new TextEncoder().encode('first line\nsecond li');
    const more = new TextEncoder().encode('ne goes on\nthird');
    const d = dissectSequence(connection(7778, [{ seq: 0, data: text }, { seq: text.length, data: more }]));
    expect(d[3].info).toBe('line of 11 bytes');
    expect(d[3].value('tcp.reassembled_in')).toBe('5');
    expect(d[3].every('tcp.segment_data').map((n) => n.length)).toEqual([9]);
    // Frame 5 completes "second line goes on\n" (9 + 11 bytes); "third" waits for a segment that never comes.
    expect(every(d[4], 'tcp.segment')).toBe('4,5');
    expect(d[4].value('tcp.reassembled.length')).toBe('20');
    expect(d[4].info).toBe('line of 20 bytes');
    expect(d[4].every('tcp.segment_data').map((n) => n.length)).toEqual([11, 5]);
  });

  it('dissects a PDU found whole only when a later segment came, in that segment\'s frame', () => {
    const enc = (t: string) => new TextEncoder().encode(t);
    const chunks = ['a: 1\n', 'b: 2\n', 'c'];
    let at = 0;
    const d = dissectSequence(connection(7779, chunks.map((t) => ({ seq: (at += t.length) - t.length, data: enc(t) }))));
    // "a: 1\n" is known to end only when "b" arrives (frame 5), which holds none of its bytes.
    expect(d[3].value('tcp.reassembled_in')).toBe('5');
    expect(every(d[4], 'tcp.segment')).toBe('4');
    expect(d[4].value('tcp.reassembled.length')).toBe('5');
    expect(d[4].every('toy.body').map((n) => n.value)).toEqual(['613a20310a']);
    expect(d[4].value('tcp.reassembled_in')).toBe('6');
    expect(every(d[5], 'tcp.segment')).toBe('5');
    expect(d[5].every('toy.body').map((n) => n.value)).toEqual(['623a20320a']);
    expect(d[5].info).not.toMatch(/reassembled PDU\]$/);
  });

  it('hands a payload on as it stands when the segment has no analysed stream (a lone dissection)', () => {
    const frames = connection(7777, cut(stream, 10));
    const d = dissectSequence([frames[3]]);
    // Without the handshake the stream is still numbered and analysed, so the reassembly applies.
    expect(d[0].value('tcp.reassembled_in')).toBeUndefined();
    expect(d[0].info).toMatch(/\[TCP segment of a reassembled PDU\]$/);
  });
});

describe('bounded reassembly', () => {
  it('gives up a PDU that grows past its limit (MAX_PDU_BYTES) and lets go of its bytes', () => {
    // A line that never ends: the "lines" protocol asks for one more segment, again and again.
    const limit = 50_000;
    const segment = new Uint8Array(1000).fill(0x78);
    const count = 80;
    const frames = connection(
      7778,
      Array.from({ length: count }, (_, i) => ({ seq: i * segment.length, data: segment })),
    );
    const d = dissectSequence(frames, undefined, (pinfo) => (tcpReassemblyOf(pinfo.state).options.maxPduBytes = limit));
    expect(d).toHaveLength(count + 3);
    const st = tcpReassemblyOf(d[0].pinfo.state);
    expect(st.options.maxPduBytes).toBe(limit);
    // Given up at 50 segments; the next 30 start a new PDU that the capture ends before completing.
    expect(st.pendingByteCount).toBeLessThan(2 * limit);
    expect(d.some((x) => x.has('tcp.reassembled_in') || x.has('tcp.segments'))).toBe(false);
    // Every segment is still listed, as the data of a PDU never put together.
    expect(d.slice(3).every((x) => /\[TCP segment of a reassembled PDU\]$/.test(x.info))).toBe(true);
    expect(MAX_PDU_BYTES).toBe(16 * 1024 * 1024);
  });

  it('survives sequence numbers that jump anywhere', () => {
    const chunks = Array.from({ length: 200 }, (_, i) => ({ seq: (i * 2654435761) >>> 0, data: pdu(40, i & 255).subarray(0, 20) }));
    const d = dissectSequence(connection(7777, chunks));
    expect(d).toHaveLength(203);
    expect(d.filter((x) => x.has('tcp.segments')).length).toBeLessThan(5);
  });
});

describe('TCP reassembly in a capture session', () => {
  const p1 = pdu(3000, 0x61);
  const p2 = pdu(31, 0x62);
  const stream = concat(p1, p2);

  async function session(): Promise<CaptureSession> {
    const w = new MemoryPcapWriter();
    connection(7777, cut(stream, 1000, 2000, 3010)).forEach((f, i) => w.packet(1_700_000_000_000_000 + i * 1000, f));
    return CaptureSession.open(MemorySource.of('reassembly.pcap', w.bytes()));
  }

  it('dissects the completing frame from the earlier frames\' bytes in every kind of pass', async () => {
    const s = await session();
    const rows: string[] = [];
    await s.list(1, s.frameCount, (r) => rows.push(`${r.protocol} ${r.info}`));
    expect(rows.slice(3)).toEqual([
      'TCP 40000 → 7777 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=1000 [TCP segment of a reassembled PDU]',
      'TCP 40000 → 7777 [PSH, ACK] Seq=1001 Ack=1 Win=65535 Len=1000 [TCP segment of a reassembled PDU]',
      'TOY Toy PDU of 3000 bytes',
      'TOY Toy PDU of 31 bytes',
    ]);
    // The detail pane: the reassembled bytes are a data source of their own.
    const { tree, sources } = await s.detail(6);
    expect(sources.map((x) => x.name)).toEqual(['Frame (1064 bytes)', 'Reassembled TCP (3002 bytes)']);
    expect(sources[1].bytes).toEqual(p1);
    expect(tree.find((n) => n.field === 'tcp.segments')!.label).toBe('[3 Reassembled TCP Segments (3002 bytes): #4(1000), #5(1000), #6(1002)]');
    // Fields and filters see the PDU's fields in the completing frame only.
    const values: string[] = [];
    await s.fields(['toy.length', 'tcp.reassembled_in'], 1, s.frameCount, (_n, v) => values.push(v.join('/')));
    expect(values.slice(3)).toEqual(['/6', '/6', '3000/7', '31/']);
    const bits = await s.filter(compileFilter('toy.length == 3000'), 1, s.frameCount);
    expect(bits).toEqual(Uint8Array.of(0b100000));
    const part = await s.filter(compileFilter('toy.body contains 61:61'), 6, 6);
    expect(part).toEqual(Uint8Array.of(1));
  });
});
