import { afterEach, describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';
import { tables } from '../../../src/core/dissect/dissector-tables';
import { PacketInfo, PortType } from '../../../src/core/dissect/packet-info';
import { ProtoTree } from '../../../src/core/dissect/proto-tree';
import { ByteView } from '../../../src/core/dissect/byte-view';
import { buildTree } from '../../../src/core/session';
import { dissect as dissectTcp, setTcpStateHook, fields as tcpFields, type TcpSegment } from '../../../src/core/protocols/tcp';

const ETH = '001122334455 66778899aabb 0800';

/** Ethernet + IPv4 (10.0.0.1 → 10.0.0.2, protocol 6) around a TCP segment given as hex. */
function tcpFrame(segmentHex: string): Uint8Array {
  const seg = hexBytes(segmentHex);
  const total = 20 + seg.length;
  const ip = hexBytes(`45 00 ${hex4(total)} 0001 0000 40 06 0000 0a000001 0a000002`);
  return concat(hexBytes(ETH), ip, seg);
}

/** A segment from port 1234 to 80 with seq 100, ack 200, window 4096; flags, options and payload in hex. */
function segment(flags: number, options = '', payload = '', urgent = 0): string {
  const opts = hexBytes(options);
  const words = 5 + Math.ceil(opts.length / 4);
  const padded = Array.from(opts, (b) => b.toString(16).padStart(2, '0')).join('') + '00'.repeat(words * 4 - 20 - opts.length);
  const offFlags = (words << 12) | flags;
  return `04d2 0050 00000064 000000c8 ${hex4(offFlags)} 1000 0000 ${hex4(urgent)} ${padded} ${payload}`;
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// Frame 1 of tcp-options.pcap: a SYN with MSS, SACK_PERM, timestamps, NOP, window scale.
const SYN = `0019e3e75d23 000bdb6358a6 0800 4500 003c a912 4000 4006 4d59 c0a80166 c101c140
  8ffd 0050 df91fdfb 00000000 a002 16d0 2a1c 0000 020405b4 0402 080affff54e900000000 01 030306 6199607c`;

describe('tcp', () => {
  afterEach(() => setTcpStateHook(null));

  it('decodes a SYN with its options, Info and offsets as tshark shows them', () => {
    const d = dissectBytes(hexBytes(SYN));
    expect(d.protocol).toBe('TCP');
    expect(d.protocols).toBe('eth:ethertype:ip:tcp');
    expect(d.info).toBe('36861 → 80 [SYN] Seq=3750886907 Win=5840 Len=0 MSS=1460 SACK_PERM TSval=4294923497 TSecr=0 WS=64');
    expect(d.get('tcp')).toMatchObject({ offset: 34, length: 40, label: 'Transmission Control Protocol, Src Port: 36861, Dst Port: 80, Seq: 3750886907, Len: 0' });
    expect(d.get('tcp.srcport')).toMatchObject({ offset: 34, length: 2, value: '36861' });
    expect(d.get('tcp.dstport')).toMatchObject({ offset: 36, length: 2, value: '80' });
    expect(d.every('tcp.port').map((n) => [n.value, n.hidden])).toEqual([['36861', true], ['80', true]]);
    expect(d.value('tcp.len')).toBe('0');
    expect(d.get('tcp.seq_raw')).toMatchObject({ offset: 38, length: 4, value: '3750886907' });
    expect(d.value('tcp.nxtseq')).toBe('3750886908');
    expect(d.value('tcp.ack_raw')).toBe('0');
    expect(d.get('tcp.hdr_len')).toMatchObject({ value: '40', label: '1010 .... = Header Length: 40 bytes (10)' });
    expect(d.get('tcp.flags')).toMatchObject({ offset: 46, length: 2, value: '0x0002', label: 'Flags: 0x002 (SYN)' });
    expect(d.get('tcp.flags.syn').label).toBe('.... .... ..1. = Syn: Set');
    expect(d.get('tcp.flags.res').label).toBe('000. .... .... = Reserved: Not set');
    expect(d.get('tcp.flags.ae').label).toBe('...0 .... .... = Accurate ECN: Not set');
    expect(d.get('tcp.flags.str')).toMatchObject({ value: '··········S·', label: '[TCP Flags: ··········S·]' });
    expect(d.value('_ws.expert.message')).toBe('Connection establish request (SYN): server port 80');
    expect(d.has('tcp.connection.syn')).toBe(true);
    expect(d.value('tcp.window_size_value')).toBe('5840');
    expect(d.value('tcp.window_size')).toBe('5840');
    expect(d.get('tcp.checksum')).toMatchObject({ value: '0x2a1c', label: 'Checksum: 0x2a1c [unverified]' });
    expect(d.value('tcp.checksum.status')).toBe('2');
    expect(d.get('tcp.options')).toMatchObject({
      offset: 54,
      length: 20,
      value: '020405b40402080affff54e90000000001030306',
      label: 'Options: (20 bytes), Maximum segment size, SACK permitted, Timestamps, No-Operation (NOP), Window scale',
    });
    expect(d.every('tcp.option_kind').map((n) => n.value)).toEqual(['2', '4', '8', '1', '3']);
    expect(d.get('tcp.options.mss')).toMatchObject({ offset: 54, length: 4, value: '020405b4', label: 'TCP Option - Maximum segment size: 1460 bytes' });
    expect(d.get('tcp.options.mss_val')).toMatchObject({ offset: 56, length: 2, value: '1460' });
    expect(d.get('tcp.option_kind').label).toBe('Kind: Maximum Segment Size (2)');
    expect(d.get('tcp.options.timestamp').label).toBe('TCP Option - Timestamps: TSval 4294923497, TSecr 0');
    expect(d.value('tcp.options.timestamp.tsval')).toBe('4294923497');
    expect(d.get('tcp.options.wscale').label).toBe('TCP Option - Window scale: 6 (multiply by 64)');
    expect(d.get('tcp.options.wscale.multiplier')).toMatchObject({ value: '64', generated: true, offset: 73, length: 1 });
    expect(d.has('tcp.payload')).toBe(false);
    expect(d.pinfo.portType).toBe(PortType.TCP);
    expect([d.pinfo.srcPort, d.pinfo.dstPort]).toEqual([36861, 80]);
  });

  it('names every flag in Wireshark order and adds the connection experts', () => {
    const d = dissectBytes(tcpFrame(segment(0xfff, '', '', 7)));
    expect(d.info).toBe('1234 → 80 [FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE, Reserved] Seq=100 Ack=200 Win=4096 Urg=7 Len=0');
    expect(d.get('tcp.flags')).toMatchObject({ value: '0x0fff', label: 'Flags: 0xfff (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE, Reserved)' });
    expect(d.value('tcp.flags.str')).toBe('RRRACEUAPRSF');
    expect(d.get('tcp.flags.res')).toMatchObject({ value: '1', label: '111. .... .... = Reserved: Set' });
    expect(d.value('tcp.flags.ae')).toBe('1');
    expect(d.has('tcp.connection.rst')).toBe(true);
    expect(d.has('tcp.connection.fin')).toBe(true);
    // SYN with ACK: the sender is the server.
    expect(d.every('_ws.expert.message').map((n) => n.value)).toContain('Connection establish acknowledge (SYN+ACK): server port 1234');
    // SYN and FIN together still take one sequence number in Wireshark's next-sequence count.
    expect(d.value('tcp.nxtseq')).toBe('101');
    expect(d.value('tcp.urgent_pointer')).toBe('7');
  });

  it('shows <None> and one reserved bit, and notes an ack or urgent pointer without its flag', () => {
    const d = dissectBytes(tcpFrame(segment(0x200, '', '', 5)));
    expect(d.info).toBe('1234 → 80 [Reserved] Seq=100 Win=4096 Len=0');
    expect(d.value('tcp.flags.str')).toBe('··R·········');
    expect(d.get('tcp.flags.res').label).toBe('001. .... .... = Reserved: Set');
    expect(d.has('tcp.ack.nonzero')).toBe(true);
    expect(d.has('tcp.urgent_pointer.non_zero')).toBe(true);
    expect(d.get('tcp.ack').children?.[0].label).toContain('Expert Info (Note/Protocol): The acknowledgment number field is nonzero while the ACK flag is not set');
    expect(dissectBytes(tcpFrame(segment(0))).info).toBe('1234 → 80 [<None>] Seq=100 Win=4096 Len=0');
  });

  it('decodes SACK blocks, counts them and recognises a D-SACK below the acknowledgment', () => {
    const d = dissectBytes(tcpFrame(segment(0x010, '0101 0512 00000300 00000400 00000500 00000600')));
    expect(d.info).toBe('1234 → 80 [ACK] Seq=100 Ack=200 Win=4096 Len=0 SLE=768 SRE=1024 SLE=1280 SRE=1536');
    expect(d.get('tcp.options.sack').label).toBe('TCP Option - SACK 768-1024 1280-1536');
    expect(d.every('tcp.options.sack_le').map((n) => n.value)).toEqual(['768', '1280']);
    expect(d.get('tcp.options.sack_re')).toMatchObject({ label: 'right edge = 1024', offset: 62, length: 4 });
    expect(d.value('tcp.options.sack.count')).toBe('2');
    expect(d.has('tcp.options.sack.dsack')).toBe(false);

    const dsack = dissectBytes(tcpFrame(segment(0x010, '0101 050a 00000001 00000002')));
    expect(dsack.value('tcp.options.sack.dsack_le')).toBe('1');
    expect(dsack.value('tcp.options.sack.dsack_re')).toBe('2');
    expect(dsack.has('tcp.options.sack.dsack')).toBe(true);
  });

  it('treats a SACK option without a whole block as malformed', () => {
    const d = dissectBytes(tcpFrame(segment(0x010, '0506 00000300')));
    expect(d.info).toBe('1234 → 80 [ACK] Seq=100 Ack=200 Win=4096 Len=0[Malformed Packet]');
    expect(d.value('tcp.options.sack.count')).toBe('0');
    expect(d.value('tcp.options.sack.dsack_le')).toBe('768');
    expect(d.get('tcp.options').label).toBe('Options: (8 bytes)');
    expect(d.has('_ws.malformed')).toBe(true);
  });

  it('reports option lengths that do not fit the way Wireshark does', () => {
    const tooShort = dissectBytes(tcpFrame(segment(0x010, '02010101')));
    expect(tooShort.get('_ws.text')).toMatchObject({ label: 'Maximum segment size (with too-short option length = 1 byte)', offset: 54, length: 2 });
    expect(tooShort.has('tcp.option.len.invalid')).toBe(true);
    expect(tooShort.has('tcp.options.nop')).toBe(false);

    const pastEnd = dissectBytes(tcpFrame(segment(0x010, '0101 0208 00000000')));
    expect(pastEnd.value('_ws.expert.message')).toBe('Maximum segment size (option length = 8 bytes says option goes past end of options)');
    expect(pastEnd.get('_ws.text')).toMatchObject({ offset: 56, length: 4 });
    expect(pastEnd.get('tcp.options').label).toBe('Options: (8 bytes), No-Operation (NOP), No-Operation (NOP)');

    const lengthByte = dissectBytes(tcpFrame(segment(0x010, '01010102')));
    expect(lengthByte.value('_ws.expert.message')).toBe('Maximum segment size (length byte past end of options)');

    const unknownZero = dissectBytes(tcpFrame(segment(0x010, '01010a00')));
    expect(unknownZero.value('_ws.expert.message')).toBe('Unknown (0x0a) (with too-short option length = 0 bytes)');

    const wrongFixed = dissectBytes(tcpFrame(segment(0x010, '080800000001 00000002')));
    expect(wrongFixed.get('tcp.options.timestamp').label).toBe('TCP Option - Timestamps');
    expect(wrongFixed.get('tcp.option_len').children?.[0].label).toContain('Expert Info (Note/Sequence): option length should be 10');
    expect(wrongFixed.info).toBe('1234 → 80 [ACK] Seq=100 Ack=200 Win=4096 Len=0');
  });

  it('shows zero padding as EOL options and flags non-zero bytes after the end of the list', () => {
    const d = dissectBytes(tcpFrame(segment(0x010, '00000001')));
    expect(d.every('tcp.options.eol')).toHaveLength(3);
    expect(d.get('tcp.non_zero_bytes_after_eol')).toBeDefined();
    expect(d.every('_ws.text').map((n) => [n.label, n.offset, n.length])).toEqual([['Non-zero header padding', 57, 1]]);
    expect(d.get('tcp.options').label).toBe('Options: (4 bytes), End of Option List (EOL), End of Option List (EOL), End of Option List (EOL)');
  });

  it('warns about four NOPs in a row, MSS outside a SYN, a SYN without MSS and a large window shift', () => {
    const nops = dissectBytes(tcpFrame(segment(0x010, '0101010101000000')));
    expect(nops.every('tcp.nop')).toHaveLength(1);
    expect(nops.every('tcp.options.nop')).toHaveLength(5);

    const mss = dissectBytes(tcpFrame(segment(0x010, '020405b4')));
    expect(mss.has('tcp.options.mss.present')).toBe(true);
    expect(mss.info).toBe('1234 → 80 [ACK] Seq=100 Ack=200 Win=4096 Len=0 MSS=1460');

    const syn = dissectBytes(tcpFrame(segment(0x002, '03031001')));
    expect(syn.has('tcp.options.mss.absent')).toBe(true);
    expect(syn.has('tcp.options.wscale.shift.invalid')).toBe(true);
    expect(syn.info).toBe('1234 → 80 [SYN] Seq=100 Win=4096 Len=0 WS=16384');
  });

  it('decodes echo, CC, MD5, user timeout, Fast Open, experimental and unknown options', () => {
    const d = dissectBytes(tcpFrame(segment(0x002, '0606 00000007 0b06 00000009 1c04 8005 2206 aabbccdd fe04 1234 6304 aabb 0000')));
    expect(d.info).toBe('1234 → 80 [SYN] Seq=100 Win=4096 Len=0 ECHO=7 CC=9 USER_TO=5 TFO=C ExID=1234');
    expect(d.get('tcp.options.echo').label).toBe('TCP Option - Echo: 7');
    expect(d.value('tcp.options.cc_value')).toBe('9');
    expect(d.get('tcp.options.user_to_granularity').label).toBe('1... .... .... .... = Granularity: Minutes');
    expect(d.get('tcp.options.user_to_val').label).toBe('.000 0000 0000 0101 = User Timeout: 5');
    expect(d.value('tcp.options.tfo.cookie')).toBe('aabbccdd');
    expect(d.has('tcp.analysis.tfo_syn')).toBe(true);
    expect(d.get('tcp.options.experimental').label).toBe('TCP Option - Experimental: Unknown');
    expect(d.get('tcp.options.experimental.exid').label).toBe('Experiment Identifier: Unknown (0x1234)');
    expect(d.get('tcp.options.unknown')).toMatchObject({ label: 'TCP Option - Unknown', value: '6304aabb' });
    expect(d.value('tcp.options.unknown.payload')).toBe('aabb');
    expect(d.get('tcp.options').label).toBe(
      'Options: (32 bytes), Echo, CC, User Timeout, TCP Fast Open, Experimental, Unknown (0x63), End of Option List (EOL), End of Option List (EOL)',
    );
    const md5 = dissectBytes(tcpFrame(segment(0x010, '1312 000102030405060708090a0b0c0d0e0f 0000')));
    expect(md5.value('tcp.options.md5.digest')).toBe('000102030405060708090a0b0c0d0e0f');
    expect(md5.info.endsWith(' MD5')).toBe(true);
  });

  it('stops after the header length when it is below 20 bytes', () => {
    const d = dissectBytes(tcpFrame('04d2 0050 00000064 000000c8 4010 1000 0000 0000 0000'));
    expect(d.info).toBe('1234 → 80 [ACK] Seq=100 Ack=200 Win=4096, bogus TCP header length (16, must be at least 20)');
    expect(d.value('_ws.expert.message')).toBe('Bogus TCP header length (16, must be at least 20)');
    expect(d.has('tcp.flags')).toBe(false);
    expect(d.value('tcp.len')).toBe('6');
  });

  it('names the ports in Info before a header cut short is reported malformed', () => {
    const d = dissectBytes(tcpFrame('04d2 0050 00000064 0000'));
    expect(d.info).toBe('1234 → 80[Malformed Packet]');
    expect(d.value('tcp.srcport')).toBe('1234');
  });

  it('shows the 8 bytes an ICMP error quotes without calling them malformed or taking the ports', () => {
    const pinfo = new PacketInfo();
    pinfo.inErrorPacket = true;
    const tree = new ProtoTree();
    tree.reset(true);
    // RFC 792: the error quotes the IP header and the first 8 bytes of the datagram, which claimed 40.
    const used = dissectTcp(ByteView.ofFrame(hexBytes('04d2 0050 00000064'), 40), pinfo, tree);
    expect(used).toBe(8);
    const [top] = buildTree(tree);
    expect(top.label).toBe('Transmission Control Protocol, Src Port: 1234, Dst Port: 80');
    expect(top.children?.map((n) => [n.field, n.value])).toEqual([
      ['tcp.srcport', '1234'],
      ['tcp.dstport', '80'],
      ['tcp.port', '1234'],
      ['tcp.port', '80'],
      ['tcp.seq', '100'],
    ]);
    expect(pinfo.srcPort).toBe(0);
  });

  it('hands the payload to the lower port first, then the higher, then shows data', () => {
    const calls: number[] = [];
    tables.tcpPort.add(7001, { abbrev: 'lowproto', dissect: (v) => (calls.push(7001), v.length) });
    tables.tcpPort.add(40001, { abbrev: 'highproto', dissect: (v) => (calls.push(40001), v.length) });
    const seg = (sp: number, dp: number) => tcpFrame(`${hex4(sp)} ${hex4(dp)} 00000064 000000c8 5018 1000 0000 0000 41424344`);
    const d = dissectBytes(seg(40001, 7001));
    expect(calls).toEqual([7001]);
    expect(d.protocols).toBe('eth:ethertype:ip:tcp:lowproto');
    expect(d.get('tcp.payload')).toMatchObject({ offset: 54, length: 4, value: '41424344', label: 'TCP payload (4 bytes)' });

    tables.tcpPort.add(7002, { abbrev: 'rejecting', dissect: () => 0 });
    expect(dissectBytes(seg(7002, 40001)).protocols).toBe('eth:ethertype:ip:tcp:highproto');

    const data = dissectBytes(seg(40999, 40998));
    expect(data.protocols).toBe('eth:ethertype:ip:tcp:data');
    expect(data.info).toBe('40999 → 40998 [PSH, ACK] Seq=100 Ack=200 Win=4096 Len=4');
  });

  it('lets a state module supply stream, relative numbers and the scaled window', () => {
    const seen: TcpSegment[] = [];
    setTcpStateHook({
      observe(seg) {
        seen.push(seg);
        seg.stream = 3;
        seg.relative = true;
        seg.seqShown = 1;
        seg.ackShown = 1;
        seg.nxtseqShown = 1;
        seg.sackBase = 0x2ff;
        seg.windowShown = seg.window * 64;
      },
      addStreamItems(seg, view, _pinfo, tree) {
        tree.addGenerated(tcpFields.len, view, 0, 0, seg.stream, '[stream marker]');
      },
      addFlagItems() {},
      addWindowItems() {},
      addAnalysis(_seg, _view, pinfo) {
        pinfo.prependInfo('[TCP Dup ACK 1#1] ');
      },
    });
    const d = dissectBytes(tcpFrame(segment(0x010, '0101 050a 00000300 00000400')));
    expect(seen[0]).toMatchObject({ srcPort: 1234, dstPort: 80, seq: 100, ack: 200, hdrLen: 32, flags: 0x10, window: 4096, payloadLen: 0, sackCount: 1 });
    expect(d.info).toBe('[TCP Dup ACK 1#1] 1234 → 80 [ACK] Seq=1 Ack=1 Win=262144 Len=0 SLE=1 SRE=257');
    expect(d.get('tcp.seq').label).toBe('Sequence Number: 1    (relative sequence number)');
    expect(d.value('tcp.seq_raw')).toBe('100');
    expect(d.get('tcp.ack').label).toBe('Acknowledgment Number: 1    (relative ack number)');
    expect(d.get('tcp.options.sack_le').label).toBe('left edge = 1 (relative)');
    expect(d.value('tcp.window_size')).toBe('262144');
    expect(d.every('tcp.len')[0].label).toBe('[stream marker]');
  });

  it('reads a whole SYN segment before the state module sees it', () => {
    let seen: { mss: number; wscale: number; ts: boolean; sackPerm: boolean } | undefined;
    setTcpStateHook({
      observe(seg) {
        seen = { mss: seg.mss, wscale: seg.wscaleShift, ts: seg.hasTimestamp, sackPerm: seg.sackPermitted };
      },
      addStreamItems() {},
      addFlagItems() {},
      addWindowItems() {},
      addAnalysis() {},
    });
    dissectBytes(hexBytes(SYN));
    expect(seen).toEqual({ mss: 1460, wscale: 6, ts: true, sackPerm: true });
  });
});
