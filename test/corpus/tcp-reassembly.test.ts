/**
 * TCP reassembly against tshark 4.0: DNS over TCP (RFC 7766 §8: a 2-byte length, then the message) cut into
 * segments every way that matters — a PDU over two and three segments, a segment ending one PDU, holding a
 * whole one and starting a third, a split length field, a retransmission, a lost segment, a PDU the capture
 * never completes, both directions, IPv6, sequence numbers wrapping past 2^32. tshark reassembles them with its
 * DNS dissector; Fathom has no DNS dissector yet, so this suite registers a stand-in on port 53 that frames
 * PDUs the same way through `dissectPdus`. Every TCP reassembly field must then agree, occurrence by
 * occurrence, and so must whether Info ends in "[TCP segment of a reassembled PDU]".
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { haveTshark, tshark } from './corpus-env';
import { tables } from '../../src/core/dissect/dissector-tables';
import { dissectPdus } from '../../src/core/dissect/pdus';
import { registerProtocols } from '../../src/core/protocols/index';
import { CaptureSession, type TreeNode } from '../../src/core/session';
import { MemorySource } from '../../src/core/capture/byte-source';
import { FrameBuilder, ETHERTYPE_IPV4, ETHERTYPE_IPV6, IPPROTO_TCP } from '../fixtures/forge/packets';
import { MemoryPcapWriter } from '../fixtures/forge/pcap-writer';
import { ByteWriter } from '../fixtures/forge/byte-writer';
import { ipv4, ipv6, mac } from '../fixtures/forge/addresses';
import { writeDnsMessage, DNS_A, DNS_FLAGS_QUERY, DNS_FLAGS_RESPONSE } from '../fixtures/forge/dns';

const FIELDS = ['tcp.len', 'tcp.reassembled_in', 'tcp.segment', 'tcp.segment.count', 'tcp.reassembled.length', 'tcp.segment_data'];
const SUFFIX = '[TCP segment of a reassembled PDU]';

/** DNS over TCP as far as framing goes: the PDUs' fields are tshark's business, their boundaries ours. */
const dnsFraming = {
  abbrev: 'dns-framing',
  dissect: dissectPdusOf,
};
function dissectPdusOf(view: Parameters<typeof dissectPdus>[0], pinfo: Parameters<typeof dissectPdus>[1], tree: Parameters<typeof dissectPdus>[2]): number {
  return dissectPdus(view, pinfo, tree, 2, (v, o) => v.u16(o) + 2, (pdu, p) => {
    p.setProtocol('DNS');
    pdu.ensure(0, pdu.length);
  });
}

/** A DNS message over TCP (length-prefixed) asking for `name`. */
function dnsPdu(id: number, name: string, response = false): Uint8Array {
  const w = new ByteWriter(4096);
  w.u16(0);
  writeDnsMessage(w, {
    id,
    flags: response ? DNS_FLAGS_RESPONSE : DNS_FLAGS_QUERY,
    questions: [{ name, type: DNS_A }],
    answers: response ? [{ name, type: DNS_A, ttl: 60, data: ipv4('192.0.2.1') }] : [],
  });
  const b = w.copy();
  b[0] = (b.length - 2) >> 8;
  b[1] = (b.length - 2) & 255;
  return b;
}

interface Seg {
  /** 'c' client → server, 's' server → client. */
  from: 'c' | 's';
  /** Offsets into that direction's byte stream. */
  from_: number;
  to: number;
}

interface Case {
  name: string;
  client: Uint8Array;
  server?: Uint8Array;
  segs: Seg[];
  v6?: boolean;
  /** Client's initial sequence number (default 1000). */
  isn?: number;
}

const c = (a: number, b: number): Seg => ({ from: 'c', from_: a, to: b });
const s = (a: number, b: number): Seg => ({ from: 's', from_: a, to: b });

const q1 = dnsPdu(1, `${'a'.repeat(40)}.example.com`);
const q2 = dnsPdu(2, 'b.example.com');
const q3 = dnsPdu(3, `${'c'.repeat(50)}.example.org`);
const r1 = dnsPdu(1, `${'a'.repeat(40)}.example.com`, true);
const cat = (...p: Uint8Array[]) => {
  const out = new Uint8Array(p.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of p) {
    out.set(x, at);
    at += x.length;
  }
  return out;
};
const Q = cat(q1, q2, q3);
const L1 = q1.length;
const L2 = q2.length;

const CASES: Case[] = [
  { name: 'a PDU over two segments, then one ending a PDU, holding one and starting a third', client: Q, segs: [c(0, 10), c(10, L1 + L2 + 5), c(L1 + L2 + 5, Q.length)] },
  { name: 'a PDU over three segments with a retransmission in the middle', client: Q, segs: [c(0, 10), c(10, 20), c(10, 20), c(20, L1), c(L1, L1 + L2), c(L1 + L2, Q.length)] },
  { name: 'a lost segment inside a PDU', client: Q, segs: [c(0, 10), c(20, L1), c(L1, L1 + L2), c(L1 + L2, Q.length)] },
  { name: 'a split length field', client: Q, segs: [c(0, L1), c(L1, L1 + 1), c(L1 + 1, Q.length)] },
  { name: 'a PDU the capture never completes', client: Q, segs: [c(0, 10), c(10, 20)] },
  { name: 'three whole PDUs in one segment', client: Q, segs: [c(0, Q.length)] },
  { name: 'both directions interleaved', client: Q, server: r1, segs: [c(0, 30), s(0, 20), c(30, L1 + 3), s(20, r1.length), c(L1 + 3, Q.length)] },
  { name: 'IPv6', client: Q, segs: [c(0, 7), c(7, 60), c(60, Q.length)], v6: true },
  { name: 'sequence numbers wrapping past 2^32 inside a PDU', client: Q, segs: [c(0, 40), c(40, 90), c(90, Q.length)], isn: 0xffffffd0 },
];

const CLIENT4 = ipv4('10.0.0.1');
const SERVER4 = ipv4('10.0.0.2');
const CLIENT6 = ipv6('2001:db8::1');
const SERVER6 = ipv6('2001:db8::2');
const MAC_C = mac('00:00:00:00:00:01');
const MAC_S = mac('00:00:00:00:00:02');

function capture(k: Case): Uint8Array {
  const f = new FrameBuilder();
  const w = new MemoryPcapWriter();
  const isn = k.isn ?? 1000;
  const sisn = 5000;
  let t = 1_700_000_000_000_000;
  const put = (from: 'c' | 's', seq: number, ack: number, flags: number, data?: Uint8Array) => {
    const client = from === 'c';
    f.reset().ethernet(client ? MAC_S : MAC_C, client ? MAC_C : MAC_S, k.v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
    if (k.v6) f.ipv6({ src: client ? CLIENT6 : SERVER6, dst: client ? SERVER6 : CLIENT6, next: IPPROTO_TCP });
    else f.ipv4({ src: client ? CLIENT4 : SERVER4, dst: client ? SERVER4 : CLIENT4, protocol: IPPROTO_TCP });
    f.tcp({ srcPort: client ? 40000 : 53, dstPort: client ? 53 : 40000, seq: seq >>> 0, ack: ack >>> 0, flags, window: 65535 });
    if (data) f.bytes(data);
    w.packet((t += 1000), f.finish().slice());
  };
  put('c', isn, 0, 2);
  put('s', sisn, isn + 1, 18);
  put('c', isn + 1, sisn + 1, 16);
  for (const g of k.segs) {
    const data = (g.from === 'c' ? k.client : k.server!).subarray(g.from_, g.to);
    if (g.from === 'c') put('c', isn + 1 + g.from_, sisn + 1, 24, data);
    else put('s', sisn + 1 + g.from_, isn + 1, 24, data);
  }
  return w.bytes();
}

/** Every occurrence of each field, comma-joined, as `tshark -E occurrence=a -E aggregator=,` prints it. */
function occurrences(tree: TreeNode[], id: string): string {
  const out: string[] = [];
  const walk = (ns: TreeNode[]) => {
    for (const n of ns) {
      if (n.field === id && n.value !== undefined) out.push(n.value);
      if (n.children) walk(n.children);
    }
  };
  walk(tree);
  return out.join(',');
}

describe.skipIf(!haveTshark)('TCP reassembly agrees with tshark (DNS over TCP framing)', () => {
  registerProtocols();
  tables.tcpPort.add(53, dnsFraming);
  const dir = mkdtempSync(join(tmpdir(), 'fathom-tcp-reassembly-'));

  for (const [i, k] of CASES.entries()) {
    it(k.name, async () => {
      const bytes = capture(k);
      const path = join(dir, `case-${i}.pcap`);
      writeFileSync(path, bytes);
      const args = ['-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,'];
      for (const f of [...FIELDS, '_ws.col.Info']) args.push('-e', f);
      const expected = tshark(path, args)
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => {
          const v = l.split('\t');
          return [...v.slice(0, FIELDS.length), String(v[FIELDS.length].endsWith(SUFFIX))];
        });
      const session = await CaptureSession.open(MemorySource.of(`case-${i}.pcap`, bytes));
      const actual: string[][] = [];
      for (let n = 1; n <= session.frameCount; n++) {
        const { tree, row } = await session.detail(n);
        actual.push([...FIELDS.map((f) => occurrences(tree, f)), String(row.info.endsWith(SUFFIX))]);
      }
      expect(actual).toEqual(expected);
    });
  }
});
