/**
 * Follow Stream on crafted TCP and UDP sequences. Every expected raw output below is what
 * `tshark -2 -q -z follow,tcp,raw,0` (tshark 4.0) printed for the same packets: retransmissions dropped,
 * overlaps trimmed, out-of-order segments placed, acknowledged gaps marked (with the marker's NUL byte),
 * unacknowledged gaps left open, truncated segments shown as captured.
 */
import { describe, expect, it } from 'vitest';
import { CaptureSession } from '../../../src/core/session';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { registerProtocols } from '../../../src/core/protocols/index';
import {
  FollowTextFormatter,
  base64,
  followFooter,
  followHeader,
  followJsonChunk,
  followJsonHead,
  followJsonTail,
  MAX_PENDING_FRAGMENTS,
  type FollowFormat,
  type FollowProto,
} from '../../../src/core/analysis/follow-stream';
import { FrameBuilder, ETHERTYPE_IPV4, IPPROTO_TCP, IPPROTO_UDP, SYN, ACK, PSH, FIN } from '../../fixtures/forge/packets';
import { MemoryPcapWriter } from '../../fixtures/forge/pcap-writer';
import { ipv4, ipv6, mac } from '../../fixtures/forge/addresses';

const C = { mac: mac('00:00:00:00:00:01'), ip: ipv4('10.0.0.1'), port: 40000 };
const S = { mac: mac('00:00:00:00:00:02'), ip: ipv4('10.0.0.2'), port: 80 };
const ISN_C = 1000;
const ISN_S = 5000;

interface Seg {
  from: 'c' | 's';
  seq: number;
  ack: number;
  flags: number;
  data?: string;
  /** Capture only this many bytes of the frame (a snapshot length). */
  snap?: number;
}

function tcpCapture(segs: Seg[]): Uint8Array {
  const w = new MemoryPcapWriter();
  const f = new FrameBuilder();
  segs.forEach((g, i) => {
    const [a, b] = g.from === 'c' ? [C, S] : [S, C];
    f.reset().ethernet(b.mac, a.mac, ETHERTYPE_IPV4).ipv4({ src: a.ip, dst: b.ip, protocol: IPPROTO_TCP });
    f.tcp({ srcPort: a.port, dstPort: b.port, seq: g.seq, ack: g.ack, flags: g.flags, window: 65535 });
    if (g.data) f.ascii(g.data);
    const frame = f.finish(60).slice();
    w.packet(1_700_000_000_000_000 + i * 1000, g.snap ? frame.subarray(0, g.snap) : frame, frame.length);
  });
  return w.bytes();
}

const handshake: Seg[] = [
  { from: 'c', seq: ISN_C, ack: 0, flags: SYN },
  { from: 's', seq: ISN_S, ack: ISN_C + 1, flags: SYN | ACK },
  { from: 'c', seq: ISN_C + 1, ack: ISN_S + 1, flags: ACK },
];
/** A client segment at relative offset `off` of its stream, acknowledging `ack` bytes of the server's. */
const c = (off: number, ack: number, data?: string, flags = ACK | PSH): Seg => ({ from: 'c', seq: ISN_C + 1 + off, ack: ISN_S + 1 + ack, flags, data });
const s = (off: number, ack: number, data?: string, flags = ACK | PSH): Seg => ({ from: 's', seq: ISN_S + 1 + off, ack: ISN_C + 1 + ack, flags, data });

async function open(bytes: Uint8Array): Promise<CaptureSession> {
  registerProtocols();
  return CaptureSession.open(MemorySource.of('follow.pcap', bytes));
}

async function render(session: CaptureSession, proto: FollowProto, stream: number, format: Exclude<FollowFormat, 'json'>): Promise<string> {
  const f = await session.follow(proto, stream);
  let out = followHeader(f.summary, format);
  const fmt = new FollowTextFormatter(format);
  await f.chunks((ch) => {
    out += fmt.chunk(ch);
  });
  return out + followFooter();
}

/** tshark's raw layout around the given chunk lines. */
function raw(nodes: [string, string], ...lines: string[]): string {
  const sep = '===================================================================';
  return `\n${sep}\nFollow: tcp,raw\nFilter: tcp.stream eq 0\nNode 0: ${nodes[0]}\nNode 1: ${nodes[1]}\n${lines.map((l) => l + '\n').join('')}${sep}\n`;
}
const NODES: [string, string] = ['10.0.0.1:40000', '10.0.0.2:80'];
const hexOf = (t: string) => Array.from(t, (ch) => ch.charCodeAt(0).toString(16).padStart(2, '0')).join('');
/** "[N bytes missing in capture file]" and its NUL, as raw hex. */
const missing = (n: number) => hexOf(`[${n} bytes missing in capture file]`) + '00';

const CASES: [string, Seg[], string[], [string, string]?][] = [
  ['in order, both ways', [...handshake, c(0, 0, 'hello'), s(0, 5, 'HI THERE'), c(5, 8, ' world'), s(8, 11, '!')], [hexOf('hello'), '\t' + hexOf('HI THERE'), hexOf(' world'), '\t21']],
  ['retransmissions dropped', [...handshake, c(0, 0, 'hello'), c(0, 0, 'hello'), s(0, 5, 'ok'), c(5, 2, 'abc'), c(5, 2, 'abc'), s(2, 8, 'x')], [hexOf('hello'), '\t' + hexOf('ok'), hexOf('abc'), '\t78']],
  ['an overlapping retransmission adds only its new bytes', [...handshake, c(0, 0, 'hello'), c(3, 0, 'lo world'), s(0, 11, 'ok')], [hexOf('hello'), hexOf(' world'), '\t' + hexOf('ok')]],
  ['an out-of-order segment waits for its place', [...handshake, c(5, 0, ' world'), c(0, 0, 'hello'), s(0, 11, 'ok')], [hexOf('hello'), hexOf(' world'), '\t' + hexOf('ok')]],
  ['three segments in reverse order', [...handshake, c(10, 0, 'CCCCC'), c(5, 0, 'BBBBB'), c(0, 0, 'AAAAA'), s(0, 15, 'ok')], [hexOf('AAAAA'), hexOf('BBBBB'), hexOf('CCCCC'), '\t' + hexOf('ok')]],
  ['a waiting fragment overlapped by the segment that fills the hole', [...handshake, c(5, 0, 'BBBBBCCC'), c(0, 0, 'AAAAAAA'), s(0, 13, 'ok')], [hexOf('AAAAAAA'), hexOf('BBBCCC'), '\t' + hexOf('ok')]],
  ['an acknowledged gap is marked', [...handshake, c(0, 0, 'hello'), c(10, 0, 'WORLD'), s(0, 15, 'ok'), c(15, 2, 'more')], [hexOf('hello'), missing(5), hexOf('WORLD'), '\t' + hexOf('ok'), hexOf('more')]],
  ['an unacknowledged gap stays open', [...handshake, c(0, 0, 'hello'), c(10, 0, 'WORLD'), s(0, 5, 'ok'), c(15, 2, 'more')], [hexOf('hello'), '\t' + hexOf('ok')]],
  ['two gaps closed by one acknowledgment', [...handshake, c(0, 0, 'aa'), c(6, 0, 'cc'), c(10, 0, 'ee'), s(0, 12, 'ok'), c(12, 2, 'ff'), s(2, 14, 'k')], ['6161', missing(4), '6363', missing(2), '6565', '\t' + hexOf('ok'), '6666', '\t6b']],
  ['a segment cut short by the snapshot length', [...handshake, { ...c(0, 0, 'truncated-payload'), snap: 60 }, s(0, 17, 'ok'), c(17, 2, 'next')], [hexOf('trunca'), '\t' + hexOf('ok'), hexOf('next')]],
  ['no handshake: the first segment names the client', [c(100, 50, 'abc'), s(50, 103, 'def'), c(103, 53, 'ghi')], [hexOf('abc'), '\t' + hexOf('def'), hexOf('ghi')]],
  ['the server speaks first', [s(0, 0, 'banner\r\n'), c(0, 8, 'USER x\r\n'), s(8, 8, '331\r\n')], [hexOf('banner\r\n'), '\t' + hexOf('USER x\r\n'), hexOf('331\r\n')], ['10.0.0.2:80', '10.0.0.1:40000']],
  ['FIN with data', [...handshake, c(0, 0, 'bye', ACK | PSH | FIN), s(0, 4, 'ok', ACK | FIN), c(4, 3, undefined, ACK)], [hexOf('bye'), '\t' + hexOf('ok')]],
];

describe('follow TCP stream (as tshark -z follow,tcp,raw)', () => {
  for (const [name, segs, lines, nodes] of CASES) {
    it(name, async () => {
      const session = await open(tcpCapture(segs));
      expect(await render(session, 'tcp', 0, 'raw')).toBe(raw(nodes ?? NODES, ...lines));
    });
  }

  it('prints empty nodes for a stream that does not exist', async () => {
    const session = await open(tcpCapture([...handshake]));
    expect(await render(session, 'tcp', 7, 'raw')).toBe(raw([':0', ':0']).replace('eq 0', 'eq 7'));
  });

  it('counts bytes, chunks and turns each way', async () => {
    const session = await open(tcpCapture([...handshake, c(0, 0, 'hello'), c(10, 0, 'WORLD'), s(0, 15, 'ok'), c(15, 2, 'more')]));
    const f = await session.follow('tcp', 0);
    expect(f.summary).toMatchObject({
      client: '10.0.0.1:40000',
      server: '10.0.0.2:80',
      clientChunks: 4,
      serverChunks: 1,
      clientBytes: 5 + 34 + 5 + 4,
      serverBytes: 2,
      turns: 2,
      chunks: 5,
      filter: 'tcp.stream eq 0',
    });
    const frames: number[] = [];
    const gaps: boolean[] = [];
    await f.chunks((ch) => {
      frames.push(ch.frame);
      gaps.push(ch.gap);
    });
    // The marker belongs to the frame whose acknowledgment revealed the gap.
    expect(frames).toEqual([4, 6, 5, 6, 7]);
    expect(gaps).toEqual([false, true, false, false, false]);
  });

  it('formats ascii and hex as tshark does', async () => {
    const session = await open(tcpCapture([...handshake, c(0, 0, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'), s(0, 27, 'HTTP/1.1 200 OK\r\n\tbody\x01\xff end of it')]));
    const ascii = await render(session, 'tcp', 0, 'ascii');
    expect(ascii.split('\n').slice(6).join('\n')).toBe('27\nGET / HTTP/1.1\r\nHost: x\r\n\r\n\n\t34\nHTTP/1.1 200 OK\r\n.body.. end of it\n===================================================================\n');
    const hex = await render(session, 'tcp', 0, 'hex');
    expect(hex.split('\n').slice(6, 11)).toEqual([
      '00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HT TP/1.1..',
      '00000010  48 6f 73 74 3a 20 78 0d  0a 0d 0a                 Host: x. ...',
      '\t00000000  48 54 54 50 2f 31 2e 31  20 32 30 30 20 4f 4b 0d  HTTP/1.1  200 OK.',
      '\t00000010  0a 09 62 6f 64 79 01 ff  20 65 6e 64 20 6f 66 20  ..body..  end of',
      '\t00000020  69 74                                             it',
    ]);
  });

  it('writes the DESIGN.md JSON shape', async () => {
    const session = await open(tcpCapture([...handshake, c(0, 0, 'hi'), s(0, 2, 'yo')]));
    const f = await session.follow('tcp', 0);
    let json = followJsonHead(f.summary);
    let first = true;
    await f.chunks((ch) => {
      json += followJsonChunk(ch, first);
      first = false;
    });
    json += followJsonTail();
    const o = JSON.parse(json);
    expect(o).toMatchObject({ proto: 'tcp', stream: 0, client: '10.0.0.1:40000', server: '10.0.0.2:80', turns: 1 });
    expect(o.chunks).toEqual([
      { dir: 'c2s', frame: 4, data: 'aGk=' },
      { dir: 's2c', frame: 5, data: 'eW8=' },
    ]);
  });

  it('walks a window of chunks and stops when asked', async () => {
    const segs = [...handshake];
    for (let i = 0; i < 10; i++) segs.push(c(i, 0, String(i)));
    const session = await open(tcpCapture(segs));
    const f = await session.follow('tcp', 0);
    const seen: number[] = [];
    await f.chunks((ch) => {
      seen.push(ch.index);
      return ch.index < 5;
    }, 3);
    expect(seen).toEqual([3, 4, 5]);
  });

  it(`keeps at most ${MAX_PENDING_FRAGMENTS} fragments waiting per side`, async () => {
    const segs = [...handshake, c(0, 0, 'a')];
    // A hole at offset 1 that is never filled nor acknowledged, then more fragments than the bound.
    for (let i = 0; i < MAX_PENDING_FRAGMENTS + 10; i++) segs.push(c(2 + i, 0, 'x'));
    const session = await open(tcpCapture(segs));
    const f = await session.follow('tcp', 0);
    expect(f.summary.chunks).toBe(1);
  });
});

describe('follow UDP stream (as tshark -z follow,udp,raw)', () => {
  it('shows each non-empty datagram, empty ones not at all', async () => {
    const w = new MemoryPcapWriter();
    const f = new FrameBuilder();
    const udp = (from: 'c' | 's', data: string, i: number) => {
      const [a, b] = from === 'c' ? [C, S] : [S, C];
      f.reset().ethernet(b.mac, a.mac, ETHERTYPE_IPV4).ipv4({ src: a.ip, dst: b.ip, protocol: IPPROTO_UDP }).udp(a === C ? 5353 : 53, a === C ? 53 : 5353);
      if (data) f.ascii(data);
      w.packet(1_700_000_000_000_000 + i * 1000, f.finish(60).slice());
    };
    // An empty datagram first: it does not even name the nodes.
    udp('s', '', 0);
    udp('c', 'query', 1);
    udp('s', 'answer', 2);
    udp('c', '', 3);
    udp('s', 'x', 4);
    const session = await open(w.bytes());
    const text = await render(session, 'udp', 0, 'raw');
    expect(text.split('\n').slice(2)).toEqual([
      'Follow: udp,raw',
      'Filter: udp.stream eq 0',
      'Node 0: 10.0.0.1:5353',
      'Node 1: 10.0.0.2:53',
      hexOf('query'),
      '\t' + hexOf('answer'),
      '\t78',
      '===================================================================',
      '',
    ]);
  });
});

describe('follow a stream inside a tunnel', () => {
  it('takes every UDP layer of the stream\'s frames, as tshark does (Teredo: UDP in IPv6 in UDP)', async () => {
    const w = new MemoryPcapWriter();
    const f = new FrameBuilder();
    const a6 = ipv6('2001:0:4136:e378:8000:63bf:3fff:fdd2');
    const b6 = ipv6('2001:0:4136:e378:8000:63bf:3fff:fdd3');
    const inner = (sp: number, dp: number, data: string, i: number, back = false) => {
      f.reset().ethernet(S.mac, C.mac, ETHERTYPE_IPV4).ipv4({ src: C.ip, dst: S.ip, protocol: IPPROTO_UDP }).udp(3544, 3544);
      f.ipv6({ src: back ? b6 : a6, dst: back ? a6 : b6, next: IPPROTO_UDP }).udp(sp, dp).ascii(data);
      w.packet(1_700_000_000_000_000 + i * 1000, f.finish(60).slice());
    };
    // Inner streams 1 (frames 1 and 3) and 2 (frame 2) share the outer stream 0: the outer stream's links do
    // not lead from frame 3 to frame 1, so the stream's frames are found by looking at all between them.
    inner(1000, 2000, 'first-A', 0);
    inner(1111, 2222, 'only-B', 1);
    inner(2000, 1000, 'reply-A', 2, true);
    const session = await open(w.bytes());
    const text = await render(session, 'udp', 1, 'raw');
    const outer = (src: Uint8Array, dst: Uint8Array, sp: number, dp: number, data: string, cks: string) =>
      '60000000000f1140' + hex6(src) + hex6(dst) + sp.toString(16).padStart(4, '0') + dp.toString(16).padStart(4, '0') + '000f' + cks + hexOf(data);
    // Both UDP layers of a frame go to the follow; the nodes are the packet's innermost addresses and ports.
    expect(text.split('\n').slice(4, 10)).toEqual([
      'Node 0: [2001:0:4136:e378:8000:63bf:3fff:fdd2]:1000',
      'Node 1: [2001:0:4136:e378:8000:63bf:3fff:fdd3]:2000',
      outer(a6, b6, 1000, 2000, 'first-A', '9988'),
      hexOf('first-A'),
      '\t' + outer(b6, a6, 2000, 1000, 'reply-A', '8a93'),
      '\t' + hexOf('reply-A'),
    ]);
  });
});

function hex6(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

describe('base64', () => {
  it('pads as RFC 4648 §4 says', () => {
    const b = (t: string) => base64(Uint8Array.from(t, (ch) => ch.charCodeAt(0)));
    expect([b(''), b('f'), b('fo'), b('foo'), b('foob'), b('fooba'), b('foobar')]).toEqual(['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy']);
  });
});
