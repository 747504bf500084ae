/**
 * TCP stream numbering and sequence analysis (and UDP stream numbering) on crafted conversations. Every
 * expected row below is what tshark 4.0 printed for the same packets
 * (`tshark -2 -o tcp.desegment_tcp_streams:FALSE -T fields -E occurrence=f`), and the tree snippets are
 * from `tshark -2 -V`. Times are in milliseconds from the first frame.
 */
import { describe, expect, it } from 'vitest';
import { CaptureSession, type TreeNode } from '../../../src/core/session';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { registerProtocols } from '../../../src/core/protocols/index';
import { LinkType } from '../../../src/core/capture/link-types';
import {
  BYTES_PER_STREAM,
  MAX_UNACKED_SEGMENTS,
  TcpAnalysisFlag,
  completenessText,
  tcpAnalysisOf,
  tcpFrameFlags,
  tcpFrameStreams,
  tcpRelativeSeq,
  tcpStreamCount,
  tcpStreamEndpoints,
  tcpStreamFrameRange,
  tcpStreamFrames,
} from '../../../src/core/analysis/tcp-analysis';
import { udpStreamCount, udpStreamFrames } from '../../../src/core/analysis/udp-streams';
import { FrameBuilder, ETHERTYPE_IPV4, ETHERTYPE_IPV6, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../../fixtures/forge/packets';
import { MemoryPcapWriter } from '../../fixtures/forge/pcap-writer';
import { ipv4, ipv6, mac } from '../../fixtures/forge/addresses';
import { dissectSequence } from '../../helpers/dissect';

const S = 2;
const A = 16;
const F = 1;
const R = 4;
const P = 8;

interface Seg {
  /** Milliseconds from the capture's start. */
  t: number;
  from: 'c' | 's';
  flags: number;
  seq: number;
  ack?: number;
  /** The window field as sent (default 1000). */
  win?: number;
  /** Payload bytes. */
  len?: number;
  /** Window scale option (shift count). */
  ws?: number;
  sack?: [number, number][];
  /** Client port (default 40000); the server is port 7777, which no dissector claims. */
  cport?: number;
}

const C4 = { mac: mac('00:00:00:00:00:01'), ip: ipv4('10.0.0.1') };
const S4 = { mac: mac('00:00:00:00:00:02'), ip: ipv4('10.0.0.2') };
const C6 = { mac: mac('00:00:00:00:00:01'), ip: ipv6('2001:db8::1') };
const S6 = { mac: mac('00:00:00:00:00:02'), ip: ipv6('2001:db8::2') };
const START_MICROS = 1_700_000_000_000_000;

/** The segments as one frame each; a SYN carries an MSS option, as usual. */
function frames(segs: Seg[], v6 = false): Uint8Array[] {
  const f = new FrameBuilder();
  return segs.map((g) => {
    const [a, b] = g.from === 'c' ? (v6 ? [C6, S6] : [C4, S4]) : v6 ? [S6, C6] : [S4, C4];
    const cport = g.cport ?? 40000;
    f.reset().ethernet(b.mac, a.mac, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);
    if (v6) f.ipv6({ src: a.ip as Uint8Array, dst: b.ip as Uint8Array, next: IPPROTO_TCP });
    else f.ipv4({ src: a.ip as number, dst: b.ip as number, protocol: IPPROTO_TCP });
    let optionBytes: Uint8Array | undefined;
    if (g.sack) {
      // RFC 2018 §3: kind 5, length, then left and right edges.
      const o: number[] = [1, 1, 5, 2 + 8 * g.sack.length];
      for (const [l, r] of g.sack) for (const v of [l, r]) o.push(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
      optionBytes = Uint8Array.from(o);
    }
    const client = g.from === 'c';
    f.tcp({ srcPort: client ? cport : 7777, dstPort: client ? 7777 : cport, seq: g.seq, ack: g.ack ?? 0, flags: g.flags, window: g.win ?? 1000, windowScale: g.ws, mss: g.flags & S ? 1460 : undefined, optionBytes });
    if (g.len) f.fill(g.len, 0x61);
    return f.finish().slice();
  });
}

function pcap(segs: Seg[], v6 = false): Uint8Array {
  const w = new MemoryPcapWriter();
  frames(segs, v6).forEach((fr, i) => w.packet(START_MICROS + Math.round(segs[i].t * 1000), fr));
  return w.bytes();
}

async function open(bytes: Uint8Array): Promise<CaptureSession> {
  registerProtocols();
  return CaptureSession.open(MemorySource.of('tcp-analysis.pcap', bytes));
}

async function fieldRows(session: CaptureSession, ids: string[]): Promise<string[][]> {
  const rows: string[][] = [];
  await session.fields(ids, 1, session.frameCount, (_n, v) => rows.push([...v]));
  return rows;
}

/** A subtree as `tshark -V` prints it: four spaces a level, hidden items left out. */
function render(nodes: TreeNode[], depth = 0, out: string[] = []): string[] {
  for (const n of nodes) {
    if (n.hidden) continue;
    out.push(' '.repeat(4 * depth) + n.label);
    if (n.children) render(n.children, depth + 1, out);
  }
  return out;
}

/** The lines of the TCP tree of a frame from its [Timestamps] on. */
async function analysisLines(session: CaptureSession, frame: number): Promise<string[]> {
  const { tree } = await session.detail(frame);
  const tcp = tree.find((n) => n.field === 'tcp')!;
  const lines = render(tcp.children ?? [], 1).filter((l) => !l.startsWith('    TCP payload'));
  return lines.slice(lines.indexOf('    [Timestamps]'));
}

/** The client's initial sequence number is 1000, the server's 5000. */
const hs = (t = 0, ws?: number, sws?: number): Seg[] => [
  { t, from: 'c', flags: S, seq: 1000, win: 64240, ws },
  { t: t + 20, from: 's', flags: S | A, seq: 5000, ack: 1001, win: 65160, ws: sws },
  { t: t + 21, from: 'c', flags: A, seq: 1001, ack: 5001, win: 502 },
];
const BASE = ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.nxtseq', 'tcp.analysis.flags', '_ws.col.Info'];

interface Case {
  name: string;
  segs: Seg[];
  fields: string[];
  v6?: boolean;
  rows: string[][];
}

const CASES: Case[] = [
  {
    name: 'a handshake, data both ways and a close: relative numbers, scaled windows, RTTs, bytes in flight',
    segs: [...hs(0, 7, 8), { t: 22, from: 'c', flags: P | A, seq: 1001, ack: 5001, win: 502, len: 100 },
      { t: 42, from: 's', flags: A, seq: 5001, ack: 1101, win: 501 },
      { t: 43, from: 's', flags: A, seq: 5001, ack: 1101, win: 501, len: 1400 },
      { t: 44, from: 's', flags: P | A, seq: 6401, ack: 1101, win: 501, len: 600 },
      { t: 64, from: 'c', flags: A, seq: 1101, ack: 7001, win: 502 },
      { t: 70, from: 'c', flags: F | A, seq: 1101, ack: 7001, win: 502 },
      { t: 90, from: 's', flags: F | A, seq: 7001, ack: 1102, win: 501 },
      { t: 91, from: 'c', flags: A, seq: 1102, ack: 7002, win: 502 }],
    fields: ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.nxtseq', 'tcp.window_size', 'tcp.window_size_scalefactor', 'tcp.analysis.initial_rtt', 'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.bytes_in_flight', 'tcp.analysis.push_bytes_sent', 'tcp.completeness', 'tcp.time_delta', 'tcp.connection.fin_active', 'tcp.connection.fin_passive', '_ws.col.Info'],
    rows: [
      ["0","0","0","1","64240","","","","","","","31","0.000000000","","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 WS=128"],
      ["0","0","1","1","65160","","0.021000000","1","0.020000000","","","31","0.020000000","","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 WS=256"],
      ["0","1","1","1","64256","128","0.021000000","2","0.001000000","","","31","0.001000000","","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=64256 Len=0"],
      ["0","1","1","101","64256","128","0.021000000","","","100","100","31","0.001000000","","","40000 → 7777 [PSH, ACK] Seq=1 Ack=1 Win=64256 Len=100"],
      ["0","1","101","1","128256","256","0.021000000","4","0.020000000","","","31","0.020000000","","","7777 → 40000 [ACK] Seq=1 Ack=101 Win=128256 Len=0"],
      ["0","1","101","1401","128256","256","0.021000000","","","1400","1400","31","0.001000000","","","7777 → 40000 [ACK] Seq=1 Ack=101 Win=128256 Len=1400"],
      ["0","1401","101","2001","128256","256","0.021000000","","","2000","2000","31","0.001000000","","","7777 → 40000 [PSH, ACK] Seq=1401 Ack=101 Win=128256 Len=600"],
      ["0","101","2001","101","64256","128","0.021000000","7","0.020000000","","","31","0.020000000","","","40000 → 7777 [ACK] Seq=101 Ack=2001 Win=64256 Len=0"],
      ["0","101","2001","102","64256","128","","","","","","31","0.006000000","1","","40000 → 7777 [FIN, ACK] Seq=101 Ack=2001 Win=64256 Len=0"],
      ["0","2001","102","2002","128256","256","0.021000000","9","0.020000000","","","31","0.020000000","","1","7777 → 40000 [FIN, ACK] Seq=2001 Ack=102 Win=128256 Len=0"],
      ["0","102","2002","102","64256","128","0.021000000","10","0.001000000","","","31","0.001000000","","","40000 → 7777 [ACK] Seq=102 Ack=2002 Win=64256 Len=0"],
    ],
  },
  {
    name: 'a retransmission after the RTO, measured from the oldest unacknowledged segment',
    segs: [...hs(), { t: 30, from: 'c', flags: A, seq: 1001, ack: 5001, len: 100 }, { t: 31, from: 'c', flags: A, seq: 1101, ack: 5001, len: 100 },
      { t: 50, from: 's', flags: A, seq: 5001, ack: 1101 }, { t: 300, from: 'c', flags: A, seq: 1101, ack: 5001, len: 100 }],
    fields: [...BASE, 'tcp.analysis.retransmission', 'tcp.analysis.rto', 'tcp.analysis.rto_frame', 'tcp.analysis.bytes_in_flight'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","","","",""],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460","","","",""],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","","","",""],
      ["0","1","1","100","101","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=100","","","","100"],
      ["0","101","1","100","201","","40000 → 7777 [ACK] Seq=101 Ack=1 Win=1000 Len=100","","","","200"],
      ["0","1","101","0","1","","7777 → 40000 [ACK] Seq=1 Ack=101 Win=1000 Len=0","","","",""],
      ["0","101","1","100","201","1","[TCP Retransmission] 40000 → 7777 [ACK] Seq=101 Ack=1 Win=1000 Len=100","1","0.269000000","5","100"],
    ],
  },
  {
    name: 'a fast retransmission after two duplicate ACKs',
    segs: [...hs(), { t: 30, from: 'c', flags: A, seq: 1001, ack: 5001, len: 100 }, { t: 30.1, from: 'c', flags: A, seq: 1101, ack: 5001, len: 100 }, { t: 30.2, from: 'c', flags: A, seq: 1201, ack: 5001, len: 100 },
      { t: 50, from: 's', flags: A, seq: 5001, ack: 1101, sack: [[1201, 1301]] }, { t: 50.1, from: 's', flags: A, seq: 5001, ack: 1101, sack: [[1201, 1301]] }, { t: 50.2, from: 's', flags: A, seq: 5001, ack: 1101, sack: [[1201, 1301]] },
      { t: 51, from: 'c', flags: A, seq: 1101, ack: 5001, len: 100 }, { t: 71, from: 's', flags: A, seq: 5001, ack: 1301 }],
    fields: [...BASE, 'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.fast_retransmission', 'tcp.analysis.retransmission', 'tcp.analysis.bytes_in_flight', 'tcp.options.sack_le', 'tcp.analysis.acks_frame'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","","","","","","",""],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460","","","","","","","1"],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","","","","","","","2"],
      ["0","1","1","100","101","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=100","","","","","100","",""],
      ["0","101","1","100","201","","40000 → 7777 [ACK] Seq=101 Ack=1 Win=1000 Len=100","","","","","200","",""],
      ["0","201","1","100","301","","40000 → 7777 [ACK] Seq=201 Ack=1 Win=1000 Len=100","","","","","300","",""],
      ["0","1","101","0","1","","7777 → 40000 [ACK] Seq=1 Ack=101 Win=1000 Len=0 SLE=201 SRE=301","","","","","","201","4"],
      ["0","1","101","0","1","1","[TCP Dup ACK 7#1] 7777 → 40000 [ACK] Seq=1 Ack=101 Win=1000 Len=0 SLE=201 SRE=301","1","7","","","","201",""],
      ["0","1","101","0","1","1","[TCP Dup ACK 7#2] 7777 → 40000 [ACK] Seq=1 Ack=101 Win=1000 Len=0 SLE=201 SRE=301","2","7","","","","201",""],
      ["0","101","1","100","201","1","[TCP Fast Retransmission] 40000 → 7777 [ACK] Seq=101 Ack=1 Win=1000 Len=100","","","1","1","100","",""],
      ["0","1","301","0","1","","7777 → 40000 [ACK] Seq=1 Ack=301 Win=1000 Len=0","","","","","","","6"],
    ],
  },
  {
    name: 'spurious retransmission and out-of-order',
    segs: [...hs(), { t: 30, from: 'c', flags: A, seq: 1001, ack: 5001, len: 100 }, { t: 50, from: 's', flags: A, seq: 5001, ack: 1101 },
      { t: 60, from: 'c', flags: A, seq: 1101, ack: 5001, len: 100 }, { t: 60.5, from: 'c', flags: A, seq: 1001, ack: 5001, len: 100 },
      { t: 70, from: 'c', flags: A, seq: 1301, ack: 5001, len: 100 }, { t: 70.5, from: 'c', flags: A, seq: 1201, ack: 5001, len: 100 }],
    fields: [...BASE, 'tcp.analysis.spurious_retransmission', 'tcp.analysis.retransmission', 'tcp.analysis.out_of_order', 'tcp.analysis.lost_segment'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","","","",""],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460","","","",""],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","","","",""],
      ["0","1","1","100","101","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=100","","","",""],
      ["0","1","101","0","1","","7777 → 40000 [ACK] Seq=1 Ack=101 Win=1000 Len=0","","","",""],
      ["0","101","1","100","201","","40000 → 7777 [ACK] Seq=101 Ack=1 Win=1000 Len=100","","","",""],
      ["0","1","1","100","101","1","[TCP Spurious Retransmission] 40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=100","1","1","",""],
      ["0","301","1","100","401","1","[TCP Previous segment not captured] 40000 → 7777 [ACK] Seq=301 Ack=1 Win=1000 Len=100","","","","1"],
      ["0","201","1","100","301","1","[TCP Out-Of-Order] 40000 → 7777 [ACK] Seq=201 Ack=1 Win=1000 Len=100","","","1",""],
    ],
  },
  {
    name: 'a segment not captured, and an ACK of data never seen',
    segs: [...hs(), { t: 30, from: 'c', flags: A, seq: 1001, ack: 5001, len: 100 }, { t: 31, from: 'c', flags: A, seq: 1201, ack: 5001, len: 100 },
      { t: 50, from: 's', flags: A, seq: 5001, ack: 1301 }, { t: 60, from: 's', flags: A, seq: 5101, ack: 1301, len: 10 }, { t: 80, from: 'c', flags: A, seq: 1301, ack: 5111 }],
    fields: [...BASE, 'tcp.analysis.lost_segment', 'tcp.analysis.ack_lost_segment', 'tcp.analysis.bytes_in_flight'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","","",""],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460","","",""],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","","",""],
      ["0","1","1","100","101","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=100","","","100"],
      ["0","201","1","100","301","1","[TCP Previous segment not captured] 40000 → 7777 [ACK] Seq=201 Ack=1 Win=1000 Len=100","1","",""],
      ["0","1","301","0","1","1","[TCP ACKed unseen segment] 7777 → 40000 [ACK] Seq=1 Ack=301 Win=1000 Len=0","","1",""],
      ["0","101","301","10","111","1","[TCP Previous segment not captured] 7777 → 40000 [ACK] Seq=101 Ack=301 Win=1000 Len=10","1","",""],
      ["0","301","111","0","301","1","[TCP ACKed unseen segment] 40000 → 7777 [ACK] Seq=301 Ack=111 Win=1000 Len=0","","1",""],
    ],
  },
  {
    name: 'duplicate ACKs count until the ACK number changes',
    segs: [...hs(), { t: 30, from: 's', flags: P | A, seq: 5001, ack: 1001, len: 100 }, { t: 50, from: 'c', flags: A, seq: 1001, ack: 5101 }, { t: 51, from: 'c', flags: A, seq: 1001, ack: 5101 },
      { t: 52, from: 'c', flags: P | A, seq: 1001, ack: 5101, len: 10 }, { t: 53, from: 'c', flags: A, seq: 1011, ack: 5101 }, { t: 54, from: 'c', flags: A, seq: 1011, ack: 5101, win: 600 },
      { t: 55, from: 'c', flags: A, seq: 1011, ack: 5101, win: 600 }, { t: 60, from: 's', flags: P | A, seq: 5101, ack: 1011, len: 100 }, { t: 80, from: 'c', flags: A, seq: 1011, ack: 5201, win: 600 },
      { t: 81, from: 'c', flags: A, seq: 1011, ack: 5201, win: 600 }],
    fields: [...BASE, 'tcp.analysis.duplicate_ack', 'tcp.analysis.duplicate_ack_num', 'tcp.analysis.duplicate_ack_frame', 'tcp.analysis.window_update'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","","","",""],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460","","","",""],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","","","",""],
      ["0","1","1","100","101","","7777 → 40000 [PSH, ACK] Seq=1 Ack=1 Win=1000 Len=100","","","",""],
      ["0","1","101","0","1","","40000 → 7777 [ACK] Seq=1 Ack=101 Win=1000 Len=0","","","",""],
      ["0","1","101","0","1","1","[TCP Dup ACK 5#1] 40000 → 7777 [ACK] Seq=1 Ack=101 Win=1000 Len=0","1","1","5",""],
      ["0","1","101","10","11","","40000 → 7777 [PSH, ACK] Seq=1 Ack=101 Win=1000 Len=10","","","",""],
      ["0","11","101","0","11","1","[TCP Dup ACK 5#2] 40000 → 7777 [ACK] Seq=11 Ack=101 Win=1000 Len=0","1","2","5",""],
      ["0","11","101","0","11","1","[TCP Window Update] 40000 → 7777 [ACK] Seq=11 Ack=101 Win=600 Len=0","","","","1"],
      ["0","11","101","0","11","1","[TCP Dup ACK 5#3] 40000 → 7777 [ACK] Seq=11 Ack=101 Win=600 Len=0","1","3","5",""],
      ["0","101","11","100","201","","7777 → 40000 [PSH, ACK] Seq=101 Ack=11 Win=1000 Len=100","","","",""],
      ["0","11","201","0","11","","40000 → 7777 [ACK] Seq=11 Ack=201 Win=600 Len=0","","","",""],
      ["0","11","201","0","11","1","[TCP Dup ACK 12#1] 40000 → 7777 [ACK] Seq=11 Ack=201 Win=600 Len=0","1","1","12",""],
    ],
  },
  {
    name: 'zero window, zero-window probe and its ACK, window update, window full',
    segs: [...hs(0, 0, 0), { t: 30, from: 's', flags: A, seq: 5001, ack: 1001, len: 502 }, { t: 50, from: 'c', flags: A, seq: 1001, ack: 5503, win: 0 },
      { t: 60, from: 's', flags: A, seq: 5503, ack: 1001, len: 1 }, { t: 70, from: 'c', flags: A, seq: 1001, ack: 5503, win: 0 },
      { t: 300, from: 'c', flags: A, seq: 1001, ack: 5503, win: 800 }, { t: 320, from: 's', flags: A, seq: 5503, ack: 1001, len: 800 }],
    fields: [...BASE, 'tcp.window_size', 'tcp.window_size_scalefactor', 'tcp.analysis.zero_window', 'tcp.analysis.zero_window_probe', 'tcp.analysis.zero_window_probe_ack', 'tcp.analysis.window_update', 'tcp.analysis.window_full'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 WS=1","64240","","","","","",""],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 WS=1","65160","","","","","",""],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","502","1","","","","",""],
      ["0","1","1","502","503","1","[TCP Window Full] 7777 → 40000 [ACK] Seq=1 Ack=1 Win=1000 Len=502","1000","1","","","","","1"],
      ["0","1","503","0","1","1","[TCP ZeroWindow] 40000 → 7777 [ACK] Seq=1 Ack=503 Win=0 Len=0","0","1","1","","","",""],
      ["0","503","1","1","504","1","[TCP ZeroWindowProbe] 7777 → 40000 [ACK] Seq=503 Ack=1 Win=1000 Len=1","1000","1","","1","","",""],
      ["0","1","503","0","1","1","[TCP ZeroWindowProbeAck] [TCP ZeroWindow] 40000 → 7777 [ACK] Seq=1 Ack=503 Win=0 Len=0","0","1","1","","1","",""],
      ["0","1","503","0","1","1","[TCP Window Update] 40000 → 7777 [ACK] Seq=1 Ack=503 Win=800 Len=0","800","1","","","","1",""],
      ["0","503","1","800","1303","1","[TCP Window Full] 7777 → 40000 [ACK] Seq=503 Ack=1 Win=1000 Len=800","1000","1","","","","","1"],
    ],
  },
  {
    name: 'keep-alive and keep-alive ACK',
    segs: [...hs(), { t: 30, from: 'c', flags: A, seq: 1001, ack: 5001, len: 10 }, { t: 50, from: 's', flags: A, seq: 5001, ack: 1011 },
      { t: 10050, from: 'c', flags: A, seq: 1010, ack: 5001 }, { t: 10070, from: 's', flags: A, seq: 5001, ack: 1011 },
      { t: 20050, from: 'c', flags: A, seq: 1010, ack: 5001, len: 1 }, { t: 20070, from: 's', flags: A, seq: 5001, ack: 1011 }],
    fields: [...BASE, 'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack', 'tcp.time_delta', 'tcp.time_relative'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","","","0.000000000","0.000000000"],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460","","","0.020000000","0.020000000"],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","","","0.001000000","0.021000000"],
      ["0","1","1","10","11","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=10","","","0.009000000","0.030000000"],
      ["0","1","11","0","1","","7777 → 40000 [ACK] Seq=1 Ack=11 Win=1000 Len=0","","","0.020000000","0.050000000"],
      ["0","10","1","0","10","1","[TCP Keep-Alive] 40000 → 7777 [ACK] Seq=10 Ack=1 Win=1000 Len=0","1","","10.000000000","10.050000000"],
      ["0","1","11","0","1","1","[TCP Keep-Alive ACK] 7777 → 40000 [ACK] Seq=1 Ack=11 Win=1000 Len=0","","1","0.020000000","10.070000000"],
      ["0","10","1","1","11","1","[TCP Keep-Alive] 40000 → 7777 [ACK] Seq=10 Ack=1 Win=1000 Len=1","1","","9.980000000","20.050000000"],
      ["0","1","11","0","1","1","[TCP Keep-Alive ACK] 7777 → 40000 [ACK] Seq=1 Ack=11 Win=1000 Len=0","","1","0.020000000","20.070000000"],
    ],
  },
  {
    name: 'a SYN with a new sequence number after FIN or RST starts a new stream; the same one is a retransmission',
    segs: [...hs(), { t: 30, from: 'c', flags: F | A, seq: 1001, ack: 5001 }, { t: 50, from: 's', flags: F | A, seq: 5001, ack: 1002 }, { t: 51, from: 'c', flags: A, seq: 1002, ack: 5002 },
      { t: 100, from: 'c', flags: S, seq: 9000, win: 64240 }, { t: 120, from: 's', flags: S | A, seq: 7000, ack: 9001 }, { t: 121, from: 'c', flags: R, seq: 9001 },
      { t: 200, from: 'c', flags: S, seq: 9000, win: 64240 }, { t: 300, from: 'c', flags: S, seq: 12000, win: 64240 }],
    fields: [...BASE, 'tcp.analysis.reused_ports', 'tcp.analysis.retransmission', 'tcp.completeness', 'tcp.analysis.initial_rtt'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","","","23",""],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460","","","23","0.021000000"],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","","","23","0.021000000"],
      ["0","1","1","0","2","","40000 → 7777 [FIN, ACK] Seq=1 Ack=1 Win=1000 Len=0","","","23",""],
      ["0","1","2","0","2","","7777 → 40000 [FIN, ACK] Seq=1 Ack=2 Win=1000 Len=0","","","23","0.021000000"],
      ["0","2","2","0","2","","40000 → 7777 [ACK] Seq=2 Ack=2 Win=1000 Len=0","","","23","0.021000000"],
      ["1","0","0","0","1","1","[TCP Port numbers reused] 40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","1","","35",""],
      ["1","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0 MSS=1460","","","35",""],
      ["1","1","0","0","1","","40000 → 7777 [RST] Seq=1 Win=1000 Len=0","","","35",""],
      ["1","0","0","0","1","1","[TCP Retransmission] 40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","","1","35",""],
      ["2","0","0","0","1","1","[TCP Port numbers reused] 40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","1","","1",""],
    ],
  },
  {
    name: 'a SYN+ACK with another sequence number: flagged, and the relative numbers follow it from there',
    segs: [...hs(), { t: 30, from: 's', flags: P | A, seq: 5001, ack: 1001, len: 10 }, { t: 40, from: 's', flags: S | A, seq: 6000, ack: 1001 },
      { t: 41, from: 'c', flags: A, seq: 1001, ack: 6001 }, { t: 50, from: 's', flags: P | A, seq: 6001, ack: 1001, len: 10 }],
    fields: [...BASE, 'tcp.analysis.reused_ports', 'tcp.seq_raw'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","","1000"],
      ["0","0","1","0","1","1","[TCP Port numbers reused] 7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460","1","5000"],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","","1001"],
      ["0","1","1","10","11","","7777 → 40000 [PSH, ACK] Seq=1 Ack=1 Win=1000 Len=10","","5001"],
      ["0","0","1","0","1","1","[TCP Previous segment not captured] [TCP Port numbers reused] 7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0 MSS=1460","1","6000"],
      ["0","1","1","0","1","1","[TCP ACKed unseen segment] 40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=0","","1001"],
      ["0","1","1","10","11","","7777 → 40000 [PSH, ACK] Seq=1 Ack=1 Win=1000 Len=10","","6001"],
    ],
  },
  {
    name: 'sequence numbers that wrap around 2^32',
    segs: [{ t: 0, from: 'c', flags: S, seq: 4294967000, win: 64240 }, { t: 20, from: 's', flags: S | A, seq: 4294967200, ack: 4294967001 }, { t: 21, from: 'c', flags: A, seq: 4294967001, ack: 4294967201 },
      { t: 22, from: 'c', flags: A, seq: 4294967001, ack: 4294967201, len: 200 }, { t: 23, from: 'c', flags: P | A, seq: 4294967201, ack: 4294967201, len: 200 },
      { t: 43, from: 's', flags: A, seq: 4294967201, ack: 105, len: 200 }, { t: 44, from: 'c', flags: A, seq: 105, ack: 105 }],
    fields: [...BASE, 'tcp.seq_raw', 'tcp.analysis.bytes_in_flight', 'tcp.analysis.acks_frame'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","4294967000","",""],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=1000 Len=0 MSS=1460","4294967200","","1"],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=0","4294967001","","2"],
      ["0","1","1","200","201","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=200","4294967001","200",""],
      ["0","201","1","200","401","","40000 → 7777 [PSH, ACK] Seq=201 Ack=1 Win=1000 Len=200","4294967201","400",""],
      ["0","1","401","200","201","","7777 → 40000 [ACK] Seq=1 Ack=401 Win=1000 Len=200","4294967201","200","5"],
      ["0","401","201","0","401","","40000 → 7777 [ACK] Seq=401 Ack=201 Win=1000 Len=0","105","","6"],
    ],
  },
  {
    name: 'window scaling: unknown without the handshake, none when a SYN has no option',
    segs: [{ t: 0, from: 'c', flags: A, seq: 1001, ack: 5001, win: 300, len: 10, cport: 40001 }, { t: 1, from: 's', flags: A, seq: 5001, ack: 1011, win: 300, cport: 40001 },
      { t: 10, from: 'c', flags: S, seq: 1000, win: 64240, ws: 5, cport: 40002 }, { t: 20, from: 's', flags: S | A, seq: 5000, ack: 1001, win: 65160, cport: 40002 },
      { t: 21, from: 'c', flags: A, seq: 1001, ack: 5001, win: 300, cport: 40002 }, { t: 22, from: 's', flags: A, seq: 5001, ack: 1001, win: 300, cport: 40002 },
      { t: 30, from: 'c', flags: S, seq: 1000, win: 64240, ws: 5, cport: 40003 }, { t: 40, from: 's', flags: S | A, seq: 5000, ack: 1001, win: 65160, ws: 2, cport: 40003 },
      { t: 41, from: 'c', flags: A, seq: 1001, ack: 5001, win: 300, cport: 40003 }, { t: 42, from: 's', flags: A, seq: 5001, ack: 1001, win: 300, cport: 40003 }],
    fields: ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.window_size_value', 'tcp.window_size', 'tcp.window_size_scalefactor', 'tcp.completeness'],
    rows: [
      ["0","1","1","300","300","-1","4"],
      ["0","1","11","300","300","-1","12"],
      ["1","0","0","64240","64240","","7"],
      ["1","0","1","65160","65160","","7"],
      ["1","1","1","300","300","-2","7"],
      ["1","1","1","300","300","-2","7"],
      ["2","0","0","64240","64240","","7"],
      ["2","0","1","65160","65160","","7"],
      ["2","1","1","300","9600","32","7"],
      ["2","1","1","300","1200","4","7"],
    ],
  },
  {
    name: 'bytes in flight less what SACK blocks cover; a FIN is not in flight',
    segs: [...hs(), { t: 30, from: 'c', flags: A, seq: 1001, ack: 5001, len: 100 }, { t: 31, from: 'c', flags: A, seq: 1101, ack: 5001, len: 100 }, { t: 32, from: 'c', flags: A, seq: 1201, ack: 5001, len: 100 },
      { t: 50, from: 's', flags: A, seq: 5001, ack: 1001, sack: [[1101, 1301]] }, { t: 51, from: 'c', flags: A, seq: 1301, ack: 5001, len: 100 },
      { t: 60, from: 's', flags: A, seq: 5001, ack: 1401 }, { t: 61, from: 'c', flags: P | F | A, seq: 1401, ack: 5001, len: 50 }],
    fields: [...BASE, 'tcp.analysis.bytes_in_flight', 'tcp.analysis.push_bytes_sent'],
    rows: [
      ["0","0","0","0","1","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460","",""],
      ["0","0","1","0","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460","",""],
      ["0","1","1","0","1","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=502 Len=0","",""],
      ["0","1","1","100","101","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=1000 Len=100","100","100"],
      ["0","101","1","100","201","","40000 → 7777 [ACK] Seq=101 Ack=1 Win=1000 Len=100","200","200"],
      ["0","201","1","100","301","","40000 → 7777 [ACK] Seq=201 Ack=1 Win=1000 Len=100","300","300"],
      ["0","1","1","0","1","1","[TCP Window Update] 7777 → 40000 [ACK] Seq=1 Ack=1 Win=1000 Len=0 SLE=101 SRE=301","",""],
      ["0","301","1","100","401","","40000 → 7777 [ACK] Seq=301 Ack=1 Win=1000 Len=100","200","400"],
      ["0","1","401","0","1","","7777 → 40000 [ACK] Seq=1 Ack=401 Win=1000 Len=0","",""],
      ["0","401","1","50","452","","40000 → 7777 [FIN, PSH, ACK] Seq=401 Ack=1 Win=1000 Len=50","50","450"],
    ],
  },
  {
    name: 'an IPv6 stream',
    v6: true,
    segs: [...hs(0, 1, 1), { t: 22, from: 'c', flags: P | A, seq: 1001, ack: 5001, win: 502, len: 30 }, { t: 42, from: 's', flags: A, seq: 5001, ack: 1031, win: 501 }],
    fields: ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.window_size', 'tcp.analysis.acks_frame', 'tcp.analysis.bytes_in_flight', '_ws.col.Info'],
    rows: [
      ["0","0","0","64240","","","40000 → 7777 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 WS=2"],
      ["0","0","1","65160","1","","7777 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 WS=2"],
      ["0","1","1","1004","2","","40000 → 7777 [ACK] Seq=1 Ack=1 Win=1004 Len=0"],
      ["0","1","1","1004","","30","40000 → 7777 [PSH, ACK] Seq=1 Ack=1 Win=1004 Len=30"],
      ["0","1","31","1002","4","","7777 → 40000 [ACK] Seq=1 Ack=31 Win=1002 Len=0"],
    ],
  },
];

describe('TCP analysis on crafted conversations (as tshark -2)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const session = await open(pcap(c.segs, c.v6));
      const rows = await fieldRows(session, c.fields);
      // Compared field by field so a failure names the frame and the field.
      const got = rows.map((r, i) => Object.fromEntries(c.fields.map((f, k) => [`#${i + 1} ${f}`, r[k]])));
      const want = c.rows.map((r, i) => Object.fromEntries(c.fields.map((f, k) => [`#${i + 1} ${f}`, r[k]])));
      expect(got).toEqual(want);
    });
  }
});

describe('payloads of resent segments', () => {
  const caseNamed = (start: string) => CASES.find((c) => c.name.startsWith(start))!;
  const D = 'eth:ethertype:ip:tcp:data';
  const T = 'eth:ethertype:ip:tcp';

  it('are not handed on after a retransmission, spurious retransmission or out-of-order segment', async () => {
    const session = await open(pcap(caseNamed('spurious retransmission').segs));
    expect((await fieldRows(session, ['frame.protocols'])).map((r) => r[0])).toEqual([T, T, T, D, T, D, T, D, T]);
  });

  it('are handed on after a fast retransmission (as tshark 4.0 does)', async () => {
    const session = await open(pcap(caseNamed('a fast retransmission').segs));
    expect((await fieldRows(session, ['frame.protocols'])).map((r) => r[0])).toEqual([T, T, T, D, D, D, T, T, T, D, T]);
  });
});

describe('the [Timestamps] and [SEQ/ACK analysis] trees', () => {
  const caseNamed = (start: string) => CASES.find((c) => c.name.startsWith(start))!;

  it('a retransmission with its RTO', async () => {
    const session = await open(pcap(caseNamed('a retransmission').segs));
    expect(await analysisLines(session, 7)).toEqual([
      '    [Timestamps]',
      '        [Time since first frame in this TCP stream: 0.300000000 seconds]',
      '        [Time since previous frame in this TCP stream: 0.250000000 seconds]',
      '    [SEQ/ACK analysis]',
      '        [iRTT: 0.021000000 seconds]',
      '        [Bytes in flight: 100]',
      '        [Bytes sent since last PSH flag: 300]',
      '        [TCP Analysis Flags]',
      '            [Expert Info (Note/Sequence): This frame is a (suspected) retransmission]',
      '                [This frame is a (suspected) retransmission]',
      '                [Severity level: Note]',
      '                [Group: Sequence]',
      '            [The RTO for this segment was: 0.269000000 seconds]',
      '            [RTO based on delta from frame: 5]',
    ]);
  });

  it('a duplicate ACK and a fast retransmission', async () => {
    const session = await open(pcap(caseNamed('a fast retransmission').segs));
    expect((await analysisLines(session, 8)).slice(3)).toEqual([
      '    [SEQ/ACK analysis]',
      '        [iRTT: 0.021000000 seconds]',
      '        [TCP Analysis Flags]',
      '            [This is a TCP duplicate ack]',
      '        [Duplicate ACK #: 1]',
      '        [Duplicate to the ACK in frame: 7]',
      '            [Expert Info (Note/Sequence): Duplicate ACK (#1)]',
      '                [Duplicate ACK (#1)]',
      '                [Severity level: Note]',
      '                [Group: Sequence]',
    ]);
    expect((await analysisLines(session, 10)).slice(3)).toEqual([
      '    [SEQ/ACK analysis]',
      '        [iRTT: 0.021000000 seconds]',
      '        [Bytes in flight: 100]',
      '        [Bytes sent since last PSH flag: 400]',
      '        [TCP Analysis Flags]',
      '            [Expert Info (Note/Sequence): This frame is a (suspected) fast retransmission]',
      '                [This frame is a (suspected) fast retransmission]',
      '                [Severity level: Note]',
      '                [Group: Sequence]',
      '            [Expert Info (Note/Sequence): This frame is a (suspected) retransmission]',
      '                [This frame is a (suspected) retransmission]',
      '                [Severity level: Note]',
      '                [Group: Sequence]',
    ]);
  });

  it('stream index, completeness and an unknown window scale', async () => {
    const session = await open(pcap(caseNamed('window scaling').segs));
    const { tree } = await session.detail(1);
    const lines = render(tree.find((n) => n.field === 'tcp')!.children ?? [], 1).filter((l) => !l.startsWith('    TCP payload'));
    expect(lines).toContain('    [Stream index: 0]');
    expect(lines).toContain('    [Conversation completeness: Incomplete (4)]');
    expect(lines).toContain('    [Window size scaling factor: -1 (unknown)]');
    expect(lines.slice(lines.indexOf('    [SEQ/ACK analysis]'))).toEqual(['    [SEQ/ACK analysis]', '        [Bytes in flight: 10]', '        [Bytes sent since last PSH flag: 10]']);
  });

  it('names completeness values as Wireshark does', () => {
    expect(completenessText(1)).toBe('Incomplete, SYN_SENT (1)');
    expect(completenessText(3)).toBe('Incomplete, CLIENT_ESTABLISHED (3)');
    expect(completenessText(7)).toBe('Incomplete, ESTABLISHED (7)');
    expect(completenessText(15)).toBe('Incomplete, DATA (15)');
    expect(completenessText(31)).toBe('Complete, WITH_DATA (31)');
    expect(completenessText(39)).toBe('Complete, NO_DATA (39)');
    expect(completenessText(12)).toBe('Incomplete (12)');
  });
});

describe('frames dissected without a capture index (dissectSequence, 1 ms apart)', () => {
  it('numbers the stream, makes numbers relative and times the handshake', () => {
    const segs: Seg[] = [...hs(0, 7, 7), { t: 3, from: 'c', flags: P | A, seq: 1001, ack: 5001, win: 502, len: 10 }, { t: 4, from: 's', flags: A, seq: 5001, ack: 1011, win: 501 }];
    const d = dissectSequence(frames(segs), LinkType.ETHERNET);
    expect(d.map((x) => x.value('tcp.stream'))).toEqual(['0', '0', '0', '0', '0']);
    expect(d.map((x) => x.value('tcp.seq'))).toEqual(['0', '0', '1', '1', '1']);
    expect(d.map((x) => x.value('tcp.ack'))).toEqual(['0', '1', '1', '1', '11']);
    // Frame i+1 is stamped at i ms: the SYN at 0, the handshake's ACK at 2 ms.
    expect(d[2].value('tcp.analysis.initial_rtt')).toBe('0.002000000');
    expect(d[4].value('tcp.analysis.acks_frame')).toBe('4');
    expect(d[4].value('tcp.analysis.ack_rtt')).toBe('0.001000000');
    expect(d[4].value('tcp.time_delta')).toBe('0.001000000');
    expect(d[4].value('tcp.window_size')).toBe('64128');
    expect(d[3].info).toBe('40000 → 7777 [PSH, ACK] Seq=1 Ack=1 Win=64256 Len=10');
  });
});

/** UDP datagrams and ICMP errors quoting UDP or TCP, from 10.0.0.1; frame i at i ms. */
function mixedCapture(): Uint8Array {
  const w = new MemoryPcapWriter();
  const f = new FrameBuilder();
  const [a, b, c] = [ipv4('10.0.0.1'), ipv4('10.0.0.2'), ipv4('10.0.0.3')];
  const m1 = mac('00:00:00:00:00:01');
  const m2 = mac('00:00:00:00:00:02');
  const udp = (src: number, dst: number, sp: number, dp: number, data: string) => f.ipv4({ src, dst, protocol: IPPROTO_UDP }).udp(sp, dp).ascii(data);
  const syn = (src: number, dst: number, sp: number) => f.ipv4({ src, dst, protocol: IPPROTO_TCP }).tcp({ srcPort: sp, dstPort: 80, seq: 100, ack: 0, flags: S, window: 1000 });
  // RFC 792: destination unreachable (type 3) quoting the offending datagram.
  const unreachable = (from: number, to: number, code: number, quote: () => void) => {
    f.ipv4({ src: from, dst: to, protocol: IPPROTO_ICMP }).icmp(3, code);
    quote();
  };
  const steps: (() => void)[] = [
    () => udp(a, b, 1111, 4444, 'abc'),
    () => unreachable(b, a, 3, () => udp(a, b, 1111, 4444, 'abc')),
    () => unreachable(c, a, 3, () => udp(a, c, 2222, 4444, 'abc')),
    () => udp(a, c, 2222, 4444, 'abc'),
    () => udp(a, c, 2222, 4444, ''),
    () => udp(c, a, 4444, 2222, 'xyz'),
    () => syn(a, b, 3333),
    () => unreachable(b, a, 13, () => syn(a, b, 3333)),
    () => unreachable(c, a, 13, () => syn(a, c, 4444)),
    () => syn(a, c, 4444),
    () => syn(a, b, 5555),
  ];
  steps.forEach((step, i) => {
    f.reset().ethernet(m2, m1, ETHERTYPE_IPV4);
    step();
    w.packet(START_MICROS + i * 1000, f.finish().slice());
  });
  return w.bytes();
}

describe('UDP streams, and segments quoted in ICMP errors', () => {
  it('numbers UDP and quoted TCP/UDP streams by the quoted addresses, as tshark does', async () => {
    const session = await open(mixedCapture());
    const rows = await fieldRows(session, ['udp.stream', 'udp.time_delta', 'udp.time_relative', 'tcp.stream', 'tcp.seq', 'tcp.time_delta']);
    expect(rows).toEqual([
      ['0', '0.000000000', '0.000000000', '', '', ''],
      ['0', '', '', '', '', ''],
      ['1', '', '', '', '', ''],
      ['1', '0.001000000', '0.001000000', '', '', ''],
      // An empty datagram shows no times and does not count for them.
      ['1', '', '', '', '', ''],
      ['1', '0.002000000', '0.003000000', '', '', ''],
      ['', '', '', '0', '0', '0.000000000'],
      // Quoted segments keep their raw sequence numbers.
      ['', '', '', '0', '100', '0.001000000'],
      ['', '', '', '1', '100', '0.000000000'],
      ['', '', '', '1', '0', '0.001000000'],
      ['', '', '', '2', '0', '0.000000000'],
    ]);
    expect(udpStreamCount(session['pinfo'].state)).toBe(2);
    expect(udpStreamFrames(session['pinfo'].state, 1)).toEqual({ frames: Uint32Array.from([3, 4, 6]), directions: Uint8Array.from([0, 0, 1]) });
  });
});

describe('what other parts read', () => {
  it('streams: count, endpoints, frames with directions, flags, relative numbers', async () => {
    const segs = CASES.find((c) => c.name.startsWith('a SYN with a new sequence number'))!.segs;
    const session = await open(pcap(segs));
    await session.ensureFirstPass();
    const state = session['pinfo'].state;
    expect(tcpStreamCount(state)).toBe(3);
    expect(tcpStreamEndpoints(state, 1)).toEqual({ family: 'ipv4', addressA: '10.0.0.1', portA: 40000, addressB: '10.0.0.2', portB: 7777 });
    expect(tcpStreamFrameRange(state, 0)).toEqual({ first: 1, last: 6 });
    expect(tcpStreamFrames(state, 1)).toEqual({ frames: Uint32Array.from([7, 8, 9, 10]), directions: Uint8Array.from([0, 1, 0, 0]) });
    expect(tcpFrameFlags(state, 7)).toBe(TcpAnalysisFlag.REUSED_PORTS);
    expect(tcpFrameFlags(state, 10)).toBe(TcpAnalysisFlag.RETRANSMISSION);
    expect(tcpFrameFlags(state, 3)).toBe(0);
    expect(tcpRelativeSeq(state, 1, 1, 7001, 9)).toBe(1);
    const all = tcpFrameStreams(state);
    expect(Array.from(all.streams.subarray(1))).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2]);
    expect(Array.from(all.directions.subarray(1))).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
  });

  it('streams of an IPv6 conversation', async () => {
    const c = CASES.find((x) => x.v6)!;
    const session = await open(pcap(c.segs, true));
    await session.ensureFirstPass();
    expect(tcpStreamEndpoints(session['pinfo'].state, 0)).toEqual({ family: 'ipv6', addressA: '2001:db8::1', portA: 40000, addressB: '2001:db8::2', portB: 7777 });
  });
});

describe('bounded state', () => {
  it('a SYN flood of many half-open streams costs a bounded amount per stream', async () => {
    const n = 60_000;
    const w = new MemoryPcapWriter();
    const f = new FrameBuilder();
    const m = mac('00:00:00:00:00:01');
    for (let i = 0; i < n; i++) {
      // A spoofed source per SYN (RFC 4987 §2): every one is a new stream.
      f.reset().ethernet(m, m, ETHERTYPE_IPV4).ipv4({ src: 0x0a000000 + i, dst: ipv4('192.0.2.1'), protocol: IPPROTO_TCP });
      f.tcp({ srcPort: 1024 + (i % 60000), dstPort: 80, seq: i * 7919, ack: 0, flags: S, window: 1024 });
      w.packet(START_MICROS + i, f.finish().slice());
    }
    const session = await open(w.bytes());
    await session.ensureFirstPass();
    const state = session['pinfo'].state;
    const an = tcpAnalysisOf(state);
    expect(an.streamCount).toBe(n);
    // During the first pass: the analysis state of every stream (and its one unacknowledged SYN).
    expect(an.byteSize() / n).toBeLessThan(2 * BYTES_PER_STREAM);
    // Afterwards only what dissections read stays (plus two bytes a frame for the per-frame column).
    an.compact();
    expect((an.byteSize() - 2 * (n + 1)) / n).toBeLessThan(64);
    const rows = await fieldRows(session, ['tcp.stream', 'tcp.completeness']);
    expect(rows[n - 1]).toEqual([String(n - 1), '1']);
  });

  it('a flow whose ACKs were not captured keeps at most MAX_UNACKED_SEGMENTS segments', async () => {
    const segs: Seg[] = [];
    for (let i = 0; i < MAX_UNACKED_SEGMENTS + 500; i++) segs.push({ t: i * 0.01, from: 'c', flags: A, seq: 1001 + i * 10, ack: 5001, len: 10 });
    const session = await open(pcap(segs));
    const rows = await fieldRows(session, ['tcp.analysis.bytes_in_flight']);
    expect(rows[0]).toEqual(['10']);
    expect(rows[MAX_UNACKED_SEGMENTS - 1]).toEqual([String(10 * MAX_UNACKED_SEGMENTS)]);
    // Past the limit nothing more is tracked, so the span stays where it was.
    expect(rows[MAX_UNACKED_SEGMENTS + 499]).toEqual([String(10 * MAX_UNACKED_SEGMENTS)]);
  });
});
