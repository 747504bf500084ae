import { describe, expect, it } from 'vitest';
import { registerProtocols, dissectFrame } from '../../../src/core/protocols/index';
import { PacketInfo } from '../../../src/core/dissect/packet-info';
import { ProtoTree } from '../../../src/core/dissect/proto-tree';
import { buildTree, CaptureSession, type TreeNode } from '../../../src/core/session';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { LinkType } from '../../../src/core/capture/link-types';
import {
  DEFAULT_REASSEMBLY_OPTIONS,
  IpReassembly,
  MAX_FRAGMENTS_PER_DATAGRAM,
  type ReassemblyOptions,
} from '../../../src/core/analysis/ip-reassembly';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6, FrameBuilder, IPPROTO_ICMP, IPPROTO_UDP } from '../../fixtures/forge/packets';
import { ipv4, ipv6, mac } from '../../fixtures/forge/addresses';
import { PcapWriter } from '../../fixtures/forge/pcap-writer';
import { dissectSequence } from '../../helpers/dissect';

/**
 * IP reassembly on crafted fragment sequences. Expected values are what tshark 4.0 -2 (ip.defragment and
 * ipv6.defragment on) shows for the same packets, written out as pcaps and checked by hand.
 */

const GW = mac('00:50:56:00:00:02');
const HOST = mac('00:50:56:00:00:01');
const SRC = ipv4('10.0.0.1');
const DST = ipv4('10.0.0.2');
const SRC6 = ipv6('2001:db8::1');
const DST6 = ipv6('2001:db8::2');
const f = new FrameBuilder();

/** A UDP datagram (header and data, checksum over the IPv4 pseudo-header), to be cut into fragments. */
function udpDatagram(dataLength: number, fill = (i: number) => i & 0xff): Uint8Array {
  f.reset().ipv4({ src: SRC, dst: DST, protocol: IPPROTO_UDP }).udp(1000, 2000);
  for (let i = 0; i < dataLength; i++) f.u8(fill(i));
  return f.finish().slice(20);
}

/** An Ethernet frame with one IPv4 fragment: `data` at byte `offset` of datagram `id`. */
function frag4(data: Uint8Array, offset: number, more: boolean, id = 0x1234, protocol = IPPROTO_UDP): Uint8Array {
  f.reset().ethernet(GW, HOST, ETHERTYPE_IPV4).ipv4({ src: SRC, dst: DST, protocol, id, moreFragments: more, fragmentOffset: offset });
  return f.bytes(data).finish().slice();
}

/** An Ethernet frame with an IPv6 Fragment header (RFC 8200 §4.5) and `data` at byte `offset`. */
function frag6(data: Uint8Array, offset: number, more: boolean, ident = 0x1234, next = IPPROTO_UDP): Uint8Array {
  f.reset().ethernet(GW, HOST, ETHERTYPE_IPV6).ipv6({ src: SRC6, dst: DST6, next: 44 });
  f.u8(next).u8(0).u16((offset & 0xfff8) | (more ? 1 : 0)).u32(ident);
  return f.bytes(data).finish().slice();
}

interface Dissected {
  info: string;
  protocol: string;
  protocols: string;
  all: TreeNode[];
  sources: { name: string; bytes: Uint8Array }[];
  value(id: string): string | undefined;
  every(id: string): TreeNode[];
  get(id: string): TreeNode;
}

/**
 * Dissects frames as a session does — a first pass in order, then each frame with the full tree — with the
 * reassembly state made from `options` and frame i stamped at `times[i]` seconds (default: i ms).
 */
function run(frames: Uint8Array[], options: Partial<ReassemblyOptions> = {}, times?: number[]): { frames: Dissected[]; state: IpReassembly } {
  registerProtocols();
  const pinfo = new PacketInfo();
  const state = new IpReassembly({ ...DEFAULT_REASSEMBLY_OPTIONS, ...options });
  pinfo.state.of('ip-reassembly', () => state);
  pinfo.state.frameCount = frames.length;
  const tree = new ProtoTree();
  const once = (bytes: Uint8Array, i: number, full: boolean) => {
    tree.reset(full, full ? null : new Uint8Array(0));
    const t = times ? times[i] : i / 1000;
    const secs = Math.floor(t);
    const ts = { secs: 0, nsecs: 0 };
    dissectFrame({ number: i + 1, data: bytes, origLen: bytes.length, tsSecs: 1700000000 + secs, tsNsecs: Math.round((t - secs) * 1e9), relative: ts, delta: ts, linkType: LinkType.ETHERNET, iface: 0 }, pinfo, tree);
  };
  pinfo.firstPass = true;
  frames.forEach((b, i) => once(b, i, false));
  pinfo.firstPass = false;
  const out = frames.map((b, i) => {
    once(b, i, true);
    const all: TreeNode[] = [];
    const walk = (ns: TreeNode[]) => {
      for (const n of ns) {
        all.push(n);
        if (n.children) walk(n.children);
      }
    };
    walk(buildTree(tree));
    const every = (id: string) => all.filter((n) => n.field === id);
    return {
      info: pinfo.info,
      protocol: pinfo.protocol,
      protocols: String(all.find((n) => n.field === 'frame.protocols')?.value ?? ''),
      all,
      sources: tree.sources.map((s) => ({ name: s.name, bytes: s.bytes.slice() })),
      value: (id: string) => all.find((n) => n.field === id)?.value,
      every,
      get(id: string) {
        const n = all.find((x) => x.field === id);
        if (!n) throw new Error(`no ${id}`);
        return n;
      },
    };
  });
  return { frames: out, state };
}

const labels = (d: Dissected, id: string) => d.every(id).map((n) => n.label);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('IPv4 reassembly', () => {
  registerProtocols();
  const dgram = udpDatagram(40); // 48 bytes: UDP header and 40 data bytes
  const [a, b, c] = [dgram.subarray(0, 16), dgram.subarray(16, 32), dgram.subarray(32)];

  it('reassembles fragments in order and dissects the datagram in the last frame', () => {
    const [f1, f2, f3] = run([frag4(a, 0, true), frag4(b, 16, true), frag4(c, 32, false)]).frames;
    expect(f1.info).toBe('Fragmented IP protocol (proto=UDP 17, off=0, ID=1234) [Reassembled in #3]');
    expect(f1.protocol).toBe('IPv4');
    expect(f1.protocols).toBe('eth:ethertype:ip:data');
    expect(f1.get('ip.reassembled_in')).toMatchObject({ value: '3', label: '[Reassembled IPv4 in frame: 3]', offset: 14, length: 0, source: 0 });
    expect(f2.info).toBe('Fragmented IP protocol (proto=UDP 17, off=16, ID=1234) [Reassembled in #3]');
    expect(f3.protocols).toBe('eth:ethertype:ip:udp:data');
    expect(f3.protocol).toBe('UDP');
    expect(f3.info).toBe('1000 → 2000 Len=40');
    expect(f3.every('ip.reassembled_in')).toEqual([]);
    expect(f3.get('ip.fragments')).toMatchObject({ label: '[3 IPv4 Fragments (48 bytes): #1(16), #2(16), #3(16)]', offset: 0, length: 48, source: 1 });
    expect(labels(f3, 'ip.fragment')).toEqual(['[Frame: 1, payload: 0-15 (16 bytes)]', '[Frame: 2, payload: 16-31 (16 bytes)]', '[Frame: 3, payload: 32-47 (16 bytes)]']);
    expect(f3.every('ip.fragment').map((n) => [n.value, n.offset, n.length, n.source])).toEqual([['1', 0, 16, 1], ['2', 16, 16, 1], ['3', 32, 16, 1]]);
    expect(f3.value('ip.fragment.count')).toBe('3');
    expect(f3.value('ip.reassembled.length')).toBe('48');
    expect(f3.get('ip.reassembled.data')).toMatchObject({ value: hex(dgram), label: `[Reassembled IPv4 data: ${hex(dgram.subarray(0, 36))}…]`, offset: 0, length: 48, source: 1 });
    // The reassembled bytes are a second data source; UDP's items point into it.
    expect(f3.sources).toHaveLength(1);
    expect(f3.sources[0].name).toBe('Reassembled IPv4 (48 bytes)');
    expect(Array.from(f3.sources[0].bytes)).toEqual(Array.from(dgram));
    expect(f3.get('udp')).toMatchObject({ offset: 0, length: 8, source: 1 });
    expect(f3.get('udp.checksum.status').value).not.toBe('0');
    expect(f3.value('data.len')).toBe('40');
  });

  it('reassembles fragments out of order in the frame that completes them', () => {
    const [f1, f2, f3] = run([frag4(c, 32, false), frag4(a, 0, true), frag4(b, 16, true)]).frames;
    expect(f1.info).toBe('Fragmented IP protocol (proto=UDP 17, off=32, ID=1234) [Reassembled in #3]');
    expect(f2.info).toBe('Fragmented IP protocol (proto=UDP 17, off=0, ID=1234) [Reassembled in #3]');
    expect(f3.info).toBe('1000 → 2000 Len=40');
    expect(f3.get('ip.fragments').label).toBe('[3 IPv4 Fragments (48 bytes): #2(16), #3(16), #1(16)]');
  });

  it('counts a duplicate fragment as an overlap with the same data', () => {
    const [f1, f2, , f4] = run([frag4(a, 0, true), frag4(a, 0, true), frag4(b, 16, true), frag4(c, 32, false)]).frames;
    expect(f1.value('ip.reassembled_in')).toBe('4');
    expect(f2.value('ip.reassembled_in')).toBe('4');
    expect(f4.value('ip.fragment.count')).toBe('4');
    expect(f4.value('ip.fragment.overlap')).toBe('1');
    expect(f4.every('ip.fragment.overlap.conflict')).toEqual([]);
    expect(f4.every('ip.fragment')[1].children?.map((n) => n.label)).toEqual(['[Fragment overlap: True]']);
    expect(f4.info).toBe('1000 → 2000 Len=40');
  });

  it('flags an overlap with the same data (ip.fragment.overlap) and keeps the first bytes', () => {
    const [, , f3] = run([frag4(a, 0, true), frag4(dgram.subarray(8, 32), 8, true), frag4(c, 32, false)]).frames;
    expect(f3.value('ip.fragment.overlap')).toBe('1');
    expect(f3.every('ip.fragment.overlap.conflict')).toEqual([]);
    expect(f3.every('ip.fragment.error')).toEqual([]);
    expect(Array.from(f3.sources[0].bytes)).toEqual(Array.from(dgram));
  });

  it('flags an overlap with different data as a conflict; the bytes laid down first win (teardrop)', () => {
    const bad = new Uint8Array(24).fill(0xee);
    const [, , f3] = run([frag4(a, 0, true), frag4(bad, 8, true), frag4(c, 32, false)]).frames;
    expect(f3.value('ip.fragment.overlap')).toBe('1');
    expect(f3.value('ip.fragment.overlap.conflict')).toBe('1');
    // A fragment with conflicting data is listed as ip.fragment.error (Wireshark's "Defragmentation error").
    expect(f3.get('ip.fragment.error')).toMatchObject({ value: '2', label: '[Frame: 2, payload: 8-31 (24 bytes)]' });
    expect(f3.get('ip.fragment.error').children?.map((n) => n.label)).toEqual(['[Fragment overlap: True]', '[Conflicting data in fragment overlap: True]']);
    const expected = Uint8Array.from(dgram);
    expected.fill(0xee, 16, 32); // bytes 8–15 came from the first fragment; 16–31 only the second one has
    expect(Array.from(f3.sources[0].bytes)).toEqual(Array.from(expected));
  });

  it('keeps the first tail: a later one ending elsewhere is a multiple tail', () => {
    const [f1, f2, f3, f4] = run([frag4(a, 0, true), frag4(c, 32, false), frag4(c.subarray(0, 8), 32, false), frag4(b, 16, true)]).frames;
    for (const d of [f1, f2, f3]) expect(d.value('ip.reassembled_in')).toBe('4');
    expect(f4.value('ip.reassembled.length')).toBe('48');
    expect(f4.value('ip.fragment.multipletails')).toBe('1');
    expect(f4.value('ip.fragment.error')).toBe('3');
    expect(f4.get('ip.fragments').label).toBe('[4 IPv4 Fragments (48 bytes): #1(16), #4(16), #2(16), #3(8)]');
    expect(f4.get('ip.fragment.error').children?.map((n) => n.label)).toEqual(['[Fragment overlap: True]', '[Multiple tail fragments found: True]']);
  });

  it('cuts a fragment that runs past the end and flags it too long', () => {
    // Teardrop: 36 bytes at 0 (MF), then a last fragment of 4 bytes at 24 — the datagram is 28 bytes.
    const zeros = new Uint8Array(36);
    zeros.set(dgram.subarray(0, 8));
    const [f1, f2] = run([frag4(zeros, 0, true, 0xf2), frag4(Uint8Array.of(0x7c, 0xab, 0x4e, 0xe5), 24, false, 0xf2)]).frames;
    expect(f1.info).toBe('Fragmented IP protocol (proto=UDP 17, off=0, ID=00f2) [Reassembled in #2]');
    expect(f2.value('ip.reassembled.length')).toBe('28');
    expect(f2.get('ip.fragments').label).toBe('[2 IPv4 Fragments (28 bytes): #1(36), #2(4)]');
    expect(f2.get('ip.fragment.error')).toMatchObject({ value: '1', label: '[Frame: 1, payload: 0-35 (36 bytes)]', length: 28 });
    expect(f2.value('ip.fragment.toolongfragment')).toBe('1');
    expect(f2.value('ip.fragment.overlap.conflict')).toBe('1');
    expect(f2.sources[0].bytes.length).toBe(28);
    expect(f2.protocols).toBe('eth:ethertype:ip:udp:data');
  });

  it('flags a datagram over 65,535 bytes (ping of death) and still dissects it', () => {
    const ping = new FrameBuilder(80000);
    ping.reset().ipv4({ src: SRC, dst: DST, protocol: IPPROTO_ICMP }).icmp(8, 0, 0x11ab0001).fill(66592, 0x58);
    const payload = ping.finish().slice(20); // 66,600 bytes of ICMP
    const frames: Uint8Array[] = [];
    for (let off = 0; off < payload.length; off += 1480) frames.push(frag4(payload.subarray(off, Math.min(off + 1480, payload.length)), off, off + 1480 < payload.length, 0x7e57, IPPROTO_ICMP));
    const out = run(frames).frames;
    const last = out[out.length - 1];
    expect(frames).toHaveLength(45);
    expect(out[0].info).toBe('Fragmented IP protocol (proto=ICMP 1, off=0, ID=7e57) [Reassembled in #45]');
    expect(last.value('ip.reassembled.length')).toBe('66600');
    expect(last.value('ip.fragment.count')).toBe('45');
    expect(last.every('ip.fragment.toolongfragment')).toEqual([]);
    expect(last.get('ip.fragments').label.length).toBe(239 + 2); // Wireshark cuts labels at 239 characters
    expect(last.get('_ws.malformed.reassembly').label).toBe('[Reassembled IPv4 datagram is 66620 bytes, longer than the 65535 its length field allows (ping of death)]');
    expect(last.protocols).toBe('eth:ethertype:ip:icmp:data');
    expect(last.info).toMatch(/^Echo \(ping\) request/);
  });

  it('leaves fragments that never complete as fragments, without "Reassembled in"', () => {
    const { frames, state } = run([frag4(a, 0, true), frag4(c, 32, false)]);
    expect(frames[0].info).toBe('Fragmented IP protocol (proto=UDP 17, off=0, ID=1234)');
    expect(frames[1].info).toBe('Fragmented IP protocol (proto=UDP 17, off=32, ID=1234)');
    expect(frames[0].every('ip.reassembled_in')).toEqual([]);
    expect(frames[0].protocols).toBe('eth:ethertype:ip:data');
    // After the first pass the incomplete datagram's copies are released.
    expect(state.pendingCount).toBe(0);
    expect(state.pendingByteCount).toBe(0);
  });

  it('joins a fragment with the same ID minutes later to the incomplete datagram (no time-out, as tshark 4.0)', () => {
    const frames = [frag4(a, 0, true), frag4(a, 0, true), frag4(b, 16, true), frag4(c, 32, false)];
    const { frames: out } = run(frames, {}, [0, 600, 600.1, 600.2]);
    expect(out[0].value('ip.reassembled_in')).toBe('4');
    expect(out[3].value('ip.fragment.count')).toBe('4');
    expect(out[3].value('ip.fragment.overlap')).toBe('1');
  });

  it('with a time-out, abandons an incomplete datagram and starts afresh', () => {
    const frames = [frag4(a, 0, true), frag4(a, 0, true), frag4(b, 16, true), frag4(c, 32, false)];
    const { frames: out, state } = run(frames, { timeoutSeconds: 30 }, [0, 600, 600.1, 600.2]);
    expect(out[0].info).toBe('Fragmented IP protocol (proto=UDP 17, off=0, ID=1234)');
    expect(out[1].value('ip.reassembled_in')).toBe('4');
    expect(out[3].value('ip.fragment.count')).toBe('3');
    expect(out[3].every('ip.fragment.overlap')).toEqual([]);
    expect(state.pendingCount).toBe(0);
  });

  it('starts a new datagram when a completed ID is used again', () => {
    const rest = dgram.subarray(16);
    const out = run([frag4(a, 0, true), frag4(rest, 16, false), frag4(a, 0, true), frag4(rest, 16, false)]).frames;
    expect(out.map((d) => d.value('ip.reassembled_in') ?? '')).toEqual(['2', '', '4', '']);
    expect(out[3].get('ip.fragments').label).toBe('[2 IPv4 Fragments (48 bytes): #3(16), #4(32)]');
  });

  it('treats IDs as opaque keys: wraparound from 0xffff to 0 and interleaved datagrams do not mix', () => {
    const rest = dgram.subarray(16);
    const out = run([frag4(a, 0, true, 0xffff), frag4(a, 0, true, 0x0000), frag4(rest, 16, false, 0x0000), frag4(rest, 16, false, 0xffff)]).frames;
    expect(out.map((d) => d.value('ip.reassembled_in') ?? '')).toEqual(['4', '3', '', '']);
    expect(out[2].value('ip.fragment.count')).toBe('2');
    expect(out[3].value('ip.fragment.count')).toBe('2');
    expect(out[2].every('ip.fragment.overlap')).toEqual([]);
  });

  it('keys datagrams by protocol as well', () => {
    const out = run([frag4(a, 0, true, 7, IPPROTO_UDP), frag4(dgram.subarray(16), 16, false, 7, 6)]).frames;
    expect(out[0].info).toBe('Fragmented IP protocol (proto=UDP 17, off=0, ID=0007)');
    expect(out[1].info).toBe('Fragmented IP protocol (proto=TCP 6, off=16, ID=0007)');
  });

  it('dissects a first fragment that is not all captured as it stands, like tshark', () => {
    const first = frag4(dgram.subarray(0, 32), 0, true);
    const cut = first.subarray(0, 14 + 20 + 12);
    registerProtocols();
    const pinfo = new PacketInfo();
    const tree = new ProtoTree();
    pinfo.firstPass = true;
    tree.reset(true);
    dissectFrame({ number: 1, data: cut, origLen: first.length, tsSecs: 0, tsNsecs: 0, relative: { secs: 0, nsecs: 0 }, delta: { secs: 0, nsecs: 0 }, linkType: LinkType.ETHERNET, iface: 0 }, pinfo, tree);
    expect(pinfo.layers.join(':')).toBe('eth:ethertype:ip:udp:data');
    expect(pinfo.fragmented).toBe(true);
  });

  it('hands nothing on for an empty payload', () => {
    const [d] = run([frag4(new Uint8Array(0), 0, true)]).frames;
    expect(d.protocols).toBe('eth:ethertype:ip');
    expect(d.info).toBe('');
  });

  it('reassembles inside reassembly (IP in IP, each fragmented), as tshark does', () => {
    const inner = (data: Uint8Array, off: number, more: boolean) => {
      f.reset().ipv4({ src: ipv4('192.168.0.1'), dst: ipv4('192.168.0.2'), protocol: IPPROTO_UDP, id: 0x55, moreFragments: more, fragmentOffset: off });
      return f.bytes(data).finish().slice();
    };
    const i1 = inner(dgram.subarray(0, 24), 0, true);
    const i2 = inner(dgram.subarray(24), 24, false);
    const outer = (p: Uint8Array, id: number) => [frag4(p.subarray(0, 16), 0, true, id, 4), frag4(p.subarray(16), 16, false, id, 4)];
    const out = run([...outer(i1, 0x101), ...outer(i2, 0x102)]).frames;
    expect(out.map((d) => d.info)).toEqual([
      'Fragmented IP protocol (proto=IPIP 4, off=0, ID=0101) [Reassembled in #2]',
      'Fragmented IP protocol (proto=UDP 17, off=0, ID=0055) [Reassembled in #4]',
      'Fragmented IP protocol (proto=IPIP 4, off=0, ID=0102) [Reassembled in #4]',
      '1000 → 2000 Len=40',
    ]);
    expect(out[3].protocols).toBe('eth:ethertype:ip:ip:udp:data');
    expect(out[3].sources.map((s) => s.name)).toEqual(['Reassembled IPv4 (44 bytes)', 'Reassembled IPv4 (48 bytes)']);
    expect(out[3].get('udp').source).toBe(2);
  });

  it('bounds reassemblies per frame', () => {
    const inner = (data: Uint8Array, off: number, more: boolean) => {
      f.reset().ipv4({ src: ipv4('192.168.0.1'), dst: ipv4('192.168.0.2'), protocol: IPPROTO_UDP, id: 0x55, moreFragments: more, fragmentOffset: off });
      return f.bytes(data).finish().slice();
    };
    const i1 = inner(dgram.subarray(0, 24), 0, true);
    const i2 = inner(dgram.subarray(24), 24, false);
    const outer = (p: Uint8Array, id: number) => [frag4(p.subarray(0, 16), 0, true, id, 4), frag4(p.subarray(16), 16, false, id, 4)];
    const out = run([...outer(i1, 0x101), ...outer(i2, 0x102)], { maxPerFrame: 1 }).frames;
    // The inner fragments are not reassembled: the first one is dissected as it stands, the last shown as data.
    expect(out[1].protocols).toBe('eth:ethertype:ip:ip:udp:data');
    expect(out[3].protocols).toBe('eth:ethertype:ip:ip:data');
    expect(out[3].info).toBe('Fragmented IP protocol (proto=UDP 17, off=24, ID=0055)');
    expect(out[3].get('_ws.unreassembled.expert').label).toContain('more than 1 reassemblies in one frame');
  });
});

describe('IPv4 reassembly limits', () => {
  registerProtocols();
  const dgram = udpDatagram(40);
  const [a, b, c] = [dgram.subarray(0, 16), dgram.subarray(16, 32), dgram.subarray(32)];

  it('documents its limits', () => {
    expect(MAX_FRAGMENTS_PER_DATAGRAM).toBe(8192);
    expect(DEFAULT_REASSEMBLY_OPTIONS.timeoutSeconds).toBe(0);
  });

  it('refuses fragments beyond the per-datagram limit and says so', () => {
    const out = run([frag4(a, 0, true), frag4(a, 0, true), frag4(b, 16, true), frag4(c, 32, false)], { maxFragmentsPerDatagram: 2 }).frames;
    expect(out[2].get('_ws.unreassembled.expert').label).toContain('its datagram has 2 fragments already');
    expect(out[2].info).toBe('Fragmented IP protocol (proto=UDP 17, off=16, ID=1234)');
    expect(out[0].every('ip.reassembled_in')).toEqual([]);
  });

  it('evicts the oldest incomplete datagram when too many are pending', () => {
    const rest = dgram.subarray(16);
    const out = run([frag4(a, 0, true, 1), frag4(a, 0, true, 2), frag4(a, 0, true, 3), frag4(rest, 16, false, 1), frag4(rest, 16, false, 3)], { maxPendingDatagrams: 2 }).frames;
    // Datagram 1 was evicted by datagram 3, so its tail starts a new datagram that never completes.
    expect(out.map((d) => d.value('ip.reassembled_in') ?? '')).toEqual(['', '', '5', '', '']);
    expect(out[4].value('ip.fragment.count')).toBe('2');
  });

  it('evicts the oldest incomplete datagrams to stay within the pending bytes, and refuses what cannot fit', () => {
    // 16 + 16 bytes pending; the 8-byte tail of datagram 2 needs room: datagram 1 goes. A 48-byte fragment never fits.
    const { frames: out, state } = run([frag4(a, 0, true, 1), frag4(a, 0, true, 2), frag4(dgram.subarray(16, 24), 16, false, 2), frag4(dgram, 0, true, 3)], { maxPendingBytes: 32 });
    expect(out[0].every('ip.reassembled_in')).toEqual([]);
    expect(out[1].value('ip.reassembled_in')).toBe('3');
    expect(out[3].get('_ws.unreassembled.expert').label).toContain('incomplete datagrams hold 32 bytes already');
    expect(state.pendingByteCount).toBe(0);
  });

  it('keeps completed datagrams within the budget; beyond it, lists the fragments and says why there is no payload', () => {
    const rest = dgram.subarray(16);
    const { frames: out, state } = run([frag4(a, 0, true, 1), frag4(rest, 16, false, 1), frag4(a, 0, true, 2), frag4(rest, 16, false, 2)], { keptBytes: 60 });
    expect(state.keptByteCount).toBe(48);
    expect(out[1].info).toBe('1000 → 2000 Len=40');
    expect(out[2].value('ip.reassembled_in')).toBe('4');
    const over = out[3];
    expect(over.info).toBe('Fragmented IP protocol (proto=UDP 17, off=16, ID=0002)');
    expect(over.protocols).toBe('eth:ethertype:ip:data');
    expect(over.value('ip.fragment.count')).toBe('2');
    expect(over.get('_ws.unreassembled.expert').label).toContain('were not kept');
    expect(over.sources).toEqual([]);
  });
});

describe('IpReassembly table', () => {
  const bytes = (n: number, v = 1) => new Uint8Array(n).fill(v);

  it('holds at most the pending-datagram limit however many fragments never complete, oldest out first', () => {
    const st = new IpReassembly({ ...DEFAULT_REASSEMBLY_OPTIONS, maxPendingDatagrams: 1000 });
    for (let i = 0; i < 20_000; i++) st.add(`k${i}`, i + 1, i / 1000, 0, true, bytes(16));
    expect(st.pendingCount).toBe(1000);
    expect(st.pendingByteCount).toBe(16_000);
    // The newest 1000 are the ones left: the tail of datagram 19999 completes it, that of datagram 0 does not.
    expect(st.add('k19999', 20_001, 20, 16, false, bytes(8)) & 1).toBe(1);
    expect(st.add('k0', 20_002, 20, 16, false, bytes(8)) & 1).toBe(0);
    st.releasePending();
    expect(st.pendingCount).toBe(0);
    expect(st.pendingByteCount).toBe(0);
  });

  it('holds at most the pending-bytes limit', () => {
    const st = new IpReassembly({ ...DEFAULT_REASSEMBLY_OPTIONS, maxPendingBytes: 10_000 });
    for (let i = 0; i < 5_000; i++) st.add(`k${i}`, i + 1, 0, 0, true, bytes(1000));
    expect(st.pendingByteCount).toBeLessThanOrEqual(10_000);
    expect(st.pendingCount).toBe(10);
  });

  it('expires datagrams older than the time-out as time goes on', () => {
    const st = new IpReassembly({ ...DEFAULT_REASSEMBLY_OPTIONS, timeoutSeconds: 60 });
    st.add('a', 1, 0, 0, true, bytes(16));
    st.add('b', 2, 30, 0, true, bytes(16));
    expect(st.pendingCount).toBe(2);
    st.add('c', 3, 70, 0, true, bytes(16)); // 'a' is 70 s old
    expect(st.pendingCount).toBe(2);
    expect(st.add('b', 4, 80, 16, false, bytes(8)) & 1).toBe(1); // 'b' is 50 s old: still there
    expect(st.add('a', 5, 80, 16, false, bytes(8)) & 1).toBe(0);
  });

  it('keeps completed bytes in chunks and hands each datagram its own', () => {
    const st = new IpReassembly();
    const r1 = st.add('x', 1, 0, 0, true, bytes(16, 1));
    const r2 = st.add('x', 2, 0, 16, false, bytes(8, 2));
    const r3 = st.add('y', 3, 0, 0, true, bytes(8, 3));
    const r4 = st.add('y', 4, 0, 8, false, bytes(8, 4));
    expect([r1 & 1, r2 & 1, r3 & 1, r4 & 1]).toEqual([0, 1, 0, 1]);
    expect(Array.from(st.bytesOf(r2 >> 1)!)).toEqual([...Array(16).fill(1), ...Array(8).fill(2)]);
    expect(Array.from(st.bytesOf(r4 >> 1)!)).toEqual([...Array(8).fill(3), ...Array(8).fill(4)]);
    expect(st.keptByteCount).toBe(40);
    expect(st.completedIn(r1 >> 1)).toBe(2);
  });
});

describe('IPv6 reassembly', () => {
  registerProtocols();
  const dgram = udpDatagram(40);
  const [a, b, c] = [dgram.subarray(0, 16), dgram.subarray(16, 32), dgram.subarray(32)];

  it('reassembles out of order and goes on with the next header in the reassembled bytes', () => {
    const [f1, f2, f3] = run([frag6(c, 32, false), frag6(a, 0, true), frag6(b, 16, true)]).frames;
    expect(f1.info).toBe('IPv6 fragment (off=32 more=n ident=0x00001234 nxt=17)');
    expect(f2.info).toBe('IPv6 fragment (off=0 more=y ident=0x00001234 nxt=17)');
    expect(f1.get('ipv6.reassembled.in')).toMatchObject({ value: '3', label: '[Reassembled IPv6 in frame: 3]', offset: 54, length: 0 });
    expect(f2.protocols).toBe('eth:ethertype:ipv6:ipv6.fraghdr:data');
    // The IPv6 item leaves out the Fragment header of a fragment shown as data …
    expect(f2.get('ipv6').length).toBe(40);
    // … and covers it in the frame that reassembles.
    expect(f3.get('ipv6').length).toBe(48);
    expect(f3.protocols).toBe('eth:ethertype:ipv6:ipv6.fraghdr:udp:data');
    expect(f3.get('ipv6.fragments')).toMatchObject({ label: '[3 IPv6 Fragments (48 bytes): #2(16), #3(16), #1(16)]', source: 1 });
    expect(f3.value('ipv6.fragments')).toBeUndefined(); // FT_NONE
    expect(f3.value('ipv6.fragment.count')).toBe('3');
    expect(f3.value('ipv6.reassembled.length')).toBe('48');
    expect(f3.sources[0].name).toBe('Reassembled IPv6 (48 bytes)');
  });

  it('flags a reassembled payload over 65,535 bytes (RFC 8200 §4.5)', () => {
    const big = new Uint8Array(66_000).fill(0x41);
    big.set(dgram.subarray(0, 8));
    const frames: Uint8Array[] = [];
    for (let off = 0; off < big.length; off += 1448) frames.push(frag6(big.subarray(off, Math.min(off + 1448, big.length)), off, off + 1448 < big.length, 0x99));
    const out = run(frames).frames;
    const last = out[out.length - 1];
    expect(last.value('ipv6.reassembled.length')).toBe('66000');
    expect(last.get('_ws.malformed.reassembly').label).toBe('[Reassembled IPv6 payload is 66000 bytes, longer than the 65535 its length field allows (ping of death)]');
    expect(out[0].value('ipv6.reassembled.in')).toBe(String(frames.length));
  });

  it('flags overlapping IPv6 fragments with conflicting data', () => {
    const [, , f3] = run([frag6(a, 0, true), frag6(new Uint8Array(24).fill(0xee), 8, true), frag6(c, 32, false)]).frames;
    expect(f3.value('ipv6.fragment.overlap')).toBe('1');
    expect(f3.value('ipv6.fragment.overlap.conflict')).toBe('1');
    expect(f3.value('ipv6.fragment.error')).toBe('2');
  });

  it('keys IPv6 fragments by addresses and identification only: the completing frame names the next header', () => {
    const [f1, f2] = run([frag6(a, 0, true, 5, IPPROTO_UDP), frag6(dgram.subarray(16), 16, false, 5, 6)]).frames;
    expect(f1.value('ipv6.reassembled.in')).toBe('2');
    expect(f2.protocols).toBe('eth:ethertype:ipv6:ipv6.fraghdr:tcp');
  });

  it('does not reassemble an atomic fragment (offset 0, M = 0, RFC 6946)', () => {
    const [d] = run([frag6(dgram, 0, false)]).frames;
    expect(d.protocols).toBe('eth:ethertype:ipv6:ipv6.fraghdr:udp:data');
    expect(d.every('ipv6.fragments')).toEqual([]);
  });

  it('shows a fragment that is not all captured as data', () => {
    registerProtocols();
    const first = frag6(dgram.subarray(0, 32), 0, true);
    const pinfo = new PacketInfo();
    const tree = new ProtoTree();
    pinfo.firstPass = true;
    tree.reset(true);
    dissectFrame({ number: 1, data: first.subarray(0, 70), origLen: first.length, tsSecs: 0, tsNsecs: 0, relative: { secs: 0, nsecs: 0 }, delta: { secs: 0, nsecs: 0 }, linkType: LinkType.ETHERNET, iface: 0 }, pinfo, tree);
    expect(pinfo.layers.join(':')).toBe('eth:ethertype:ipv6:ipv6.fraghdr:data');
    expect(pinfo.info).toBe('IPv6 fragment (off=0 more=y ident=0x00001234 nxt=17)');
  });

  it('without reassembly (defragment off), dissects a first fragment and shows later ones as data', () => {
    const [f1, f2] = run([frag6(a, 0, true), frag6(dgram.subarray(16), 16, false)], { defragment: false }).frames;
    expect(f1.protocols).toBe('eth:ethertype:ipv6:ipv6.fraghdr:udp:data');
    expect(f2.info).toBe('IPv6 fragment (off=16 more=n ident=0x00001234 nxt=17)');
    const [g1] = run([frag4(a, 0, true), frag4(dgram.subarray(16), 16, false)], { defragment: false }).frames;
    expect(g1.protocols).toBe('eth:ethertype:ip:udp:data');
  });
});

describe('data sources', () => {
  it('ProtoTree numbers extra data sources from 1 and forgets them at the next frame', () => {
    const t = new ProtoTree();
    t.reset(true);
    expect(t.addSource('Reassembled IPv4 (3 bytes)', Uint8Array.of(1, 2, 3))).toBe(1);
    expect(t.addSource('Reassembled IPv4 (1 byte)', Uint8Array.of(4))).toBe(2);
    expect(t.sources.map((s) => s.name)).toEqual(['Reassembled IPv4 (3 bytes)', 'Reassembled IPv4 (1 byte)']);
    t.reset(false);
    expect(t.sources).toEqual([]);
  });

  it('CaptureSession.detail returns the frame and the reassembled bytes as sources; filters see them', async () => {
    const dgram = udpDatagram(40);
    const w = PcapWriter.toMemory();
    w.packet(0, frag4(dgram.subarray(0, 24), 0, true));
    w.packet(1000, frag4(dgram.subarray(24), 24, false));
    const session = await CaptureSession.open(new MemorySource('frag.pcap', [w.bytes()]));
    const detail = await session.detail(2);
    expect(detail.sources.map((s) => s.name)).toEqual([`Frame (${14 + 20 + 24} bytes)`, 'Reassembled IPv4 (48 bytes)']);
    expect(Array.from(detail.sources[1].bytes)).toEqual(Array.from(dgram));
    expect(detail.row.info).toBe('1000 → 2000 Len=40');
    const values: string[][] = [];
    await session.fields(['ip.reassembled_in', 'ip.fragment.count', 'udp.length', '_ws.col.Info'], 1, 2, (_n, v) => values.push([...v]));
    expect(values).toEqual([
      ['2', '', '', 'Fragmented IP protocol (proto=UDP 17, off=0, ID=1234) [Reassembled in #2]'],
      ['', '2', '48', '1000 → 2000 Len=40'],
    ]);
  });
});

describe('dissectSequence (the shared helper) reassembles too', () => {
  it('reassembles two fragments', () => {
    const dgram = udpDatagram(8);
    const [d1, d2] = dissectSequence([frag4(dgram.subarray(0, 8), 0, true), frag4(dgram.subarray(8), 8, false)]);
    expect(d1.value('ip.reassembled_in')).toBe('2');
    expect(d2.protocols).toBe('eth:ethertype:ip:udp:data');
  });
});
