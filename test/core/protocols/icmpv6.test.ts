import { describe, expect, it } from 'vitest';
import { dissectBytes, dissectSequence, hexBytes } from '../../helpers/dissect';

const ETH6 = '333300000001 001122334455 86dd';
const S = '20010db8000000000000000000000001'; // 2001:db8::1
const D = '20010db8000000000000000000000002'; // 2001:db8::2
const R = 'fe800000000000000000000000000001'; // fe80::1

const hex2 = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');
const len = (h: string) => h.replace(/[^0-9a-f]/gi, '').length / 2;

/** Ethernet + IPv6 (next header ICMPv6) around an ICMPv6 message whose checksum was computed for src/dst. */
function icmp6(msg: string, src = S, dst = D, hlim = 64): Uint8Array {
  return hexBytes(`${ETH6} 60000000 ${hex2(len(msg), 2)} 3a ${hex2(hlim, 1)} ${src} ${dst} ${msg}`);
}

// Echo request 2001:db8::1 → ::2 and its reply ::2 → ::1: id 0x1234, seq 1, data "abcd".
const REQUEST = '80 00 4d48 1234 0001 61626364';
const REPLY = '81 00 4c48 1234 0001 61626364';
// The UDP datagram 2001:db8::2:5353 → 2001:db8::1:53 quoted in the error messages below.
const INNER = `60000000 0010 11 40 ${D} ${S} 14e9 0035 0010 0000 6162636465666768`;

describe('icmpv6', () => {
  it('decodes an echo request with its checksum verified over the pseudo-header', () => {
    const d = dissectBytes(icmp6(REQUEST));
    expect(d.protocol).toBe('ICMPv6');
    expect(d.get('icmpv6')).toMatchObject({ offset: 54, length: 12, label: 'Internet Control Message Protocol v6' });
    expect(d.get('icmpv6.type')).toMatchObject({ value: '128', offset: 54, length: 1, label: 'Type: Echo (ping) request (128)' });
    expect(d.get('icmpv6.code').label).toBe('Code: 0');
    expect(d.get('icmpv6.checksum')).toMatchObject({ value: '0x4d48', offset: 56, length: 2, label: 'Checksum: 0x4d48 [correct]' });
    expect(d.get('icmpv6.checksum.status')).toMatchObject({ value: '1', label: '[Checksum Status: Good]' });
    expect(d.get('icmpv6.echo.identifier')).toMatchObject({ value: '0x1234', offset: 58 });
    expect(d.get('icmpv6.echo.sequence_number')).toMatchObject({ value: '1', offset: 60 });
    expect(d.value('data.len')).toBe('4');
    expect(d.protocols).toBe('eth:ethertype:ipv6:icmpv6:data');
    // A single frame has nobody answering it.
    expect(d.info).toBe('Echo (ping) request id=0x1234, seq=1, hop limit=64 (no response found!)');
    expect(d.get('icmpv6.no_resp').label).toBe('[No response seen]');
    expect(d.get('_ws.expert.message').value).toBe('No response seen to ICMPv6 request in frame 1');
  });

  it('reports a bad checksum with the value it should have', () => {
    const d = dissectBytes(icmp6('80 00 5c59 1234 0001 61626364'));
    expect(d.get('icmpv6.checksum').label).toBe('Checksum: 0x5c59 incorrect, should be 0x4d48');
    expect(d.value('icmpv6.checksum.status')).toBe('0');
    expect(d.all.find((n) => n.field === 'icmpv6.checksum_bad.expert')?.label).toBe('[Bad checksum [should be 0x4d48]]');
  });

  it('pairs echo requests and replies across frames (two passes)', () => {
    const [req, rep, lone] = dissectSequence([icmp6(REQUEST), icmp6(REPLY, D, S), icmp6(REPLY, D, S)]);
    expect(req.info).toBe('Echo (ping) request id=0x1234, seq=1, hop limit=64 (reply in 2)');
    expect(req.get('icmpv6.resp_in')).toMatchObject({ value: '2', generated: true, label: '[Response In: 2]' });
    expect(req.has('icmpv6.no_resp')).toBe(false);
    expect(rep.info).toBe('Echo (ping) reply id=0x1234, seq=1, hop limit=64 (request in 1)');
    expect(rep.get('icmpv6.resp_to').value).toBe('1');
    expect(rep.get('icmpv6.resptime')).toMatchObject({ value: '1', label: '[Response Time: 1.000 ms]' });
    // A second reply to an answered request is not paired.
    expect(lone.info).toBe('Echo (ping) reply id=0x1234, seq=1, hop limit=64');
    expect(lone.has('icmpv6.resp_to')).toBe(false);
  });

  it('pairs a reply with the latest identical request, and only with matching content', () => {
    const other = '81 00 4b48 1234 0001 61626464'; // same id/seq, different data
    const frames = dissectSequence([icmp6(REQUEST), icmp6(REQUEST), icmp6(other, D, S), icmp6(REPLY, D, S)]);
    expect(frames[0].info).toMatch(/\(no response found!\)$/);
    expect(frames[1].info).toMatch(/\(reply in 4\)$/);
    expect(frames[2].has('icmpv6.resp_to')).toBe(false);
    expect(frames[3].info).toMatch(/\(request in 2\)$/);
  });

  it('does not pair requests sent to a multicast group', () => {
    const mc = 'ff020000000000000000000000000001';
    const [req] = dissectSequence([icmp6('80 00 7bff 1234 0001 61626364', S, mc)]);
    expect(req.info).toBe('Echo (ping) request id=0x1234, seq=1, hop limit=64 (multicast)');
    expect(req.has('icmpv6.no_resp')).toBe(false);
    expect(req.value('icmpv6.checksum.status')).toBe('1');
  });

  it('dissects the invoking packet of an error without touching columns or addresses', () => {
    const d = dissectBytes(icmp6(`01 04 2f83 00000000 ${INNER}`));
    expect(d.info).toBe('Destination Unreachable (Port unreachable)');
    expect(d.get('icmpv6.code').label).toBe('Code: 4 (Port unreachable)');
    expect(d.get('icmpv6.reserved').value).toBe('00000000');
    expect(d.protocols).toMatch(/^eth:ethertype:ipv6:icmpv6:ipv6:udp/);
    expect(d.every('ipv6.src').map((n) => n.value)).toEqual(['2001:db8::1', '2001:db8::2']);
    expect(d.source).toBe('2001:db8::1');
    expect(d.protocol).toBe('ICMPv6');
    expect(d.pinfo.inErrorPacket).toBe(false);
    // The quoted packet is usually cut short: no complaint about its payload length.
    expect(d.has('ipv6.plen_exceeds_framing')).toBe(false);
  });

  it('does not verify the checksum of a message quoted in an error', () => {
    const quoted = `60000000 000c 3a 40 ${D} ${S} 80 00 5f7a 0001 0002 61626364`;
    const d = dissectBytes(icmp6(`02 00 3246 00000500 ${quoted}`, R, D));
    expect(d.info).toBe('Packet Too Big');
    expect(d.value('icmpv6.mtu')).toBe('1280');
    expect(d.every('icmpv6.checksum.status').map((n) => n.value)).toEqual(['1', '2']);
    expect(d.every('icmpv6.checksum')[1].label).toBe('Checksum: 0x5f7a [unverified] [in ICMP error packet]');
    expect(d.protocols).toBe('eth:ethertype:ipv6:icmpv6:ipv6:icmpv6:data');
  });

  it('ends a truncated quoted packet quietly, restoring the error-packet flag', () => {
    const d = dissectBytes(icmp6(`01 00 042b 00000000 60000000 0010 11 40 20010db8000000000000000000000002 0000`));
    expect(d.info).toBe('Destination Unreachable (no route to destination)');
    expect(d.has('ipv6.invalid_header')).toBe(true);
    expect(d.has('_ws.malformed')).toBe(false);
    expect(d.pinfo.inErrorPacket).toBe(false);
    expect(d.protocols).toBe('eth:ethertype:ipv6:icmpv6:ipv6');
    // With nothing quoted at all the message itself is malformed, as in Wireshark.
    const empty = dissectBytes(icmp6('01 00 a348 00000000'));
    expect(empty.info).toBe('Destination Unreachable (no route to destination)[Malformed Packet]');
  });

  it('bounds errors quoting errors quoting errors', () => {
    // 600 levels of Destination Unreachable, each quoting an IPv6 packet carrying the next one.
    let msg = '';
    for (let i = 0; i < 600; i++) {
      const inner = `60000000 ${hex2(len(msg), 2)} 3a 40 ${D} ${S} ${msg}`;
      msg = `01 00 0000 00000000 ${inner}`;
    }
    const d = dissectBytes(icmp6(msg));
    expect(d.info).toBe('Destination Unreachable (no route to destination)');
    expect(d.has('ipv6.nesting_limit')).toBe(true);
    expect(d.pinfo.inErrorPacket).toBe(false);
    expect(d.source).toBe('2001:db8::1');
  });

  it('names error codes as tshark does', () => {
    expect(dissectBytes(icmp6(`03 01 0000 00000000 ${INNER}`)).info).toBe('Time Exceeded (fragment reassembly time exceeded)');
    expect(dissectBytes(icmp6(`03 05 0000 00000000 ${INNER}`)).info).toBe('Time Exceeded (Unknown (5))');
    expect(dissectBytes(icmp6(`01 09 0000 00000000 ${INNER}`)).info).toBe('Destination Unreachable (Unknown)');
    const pp = dissectBytes(icmp6(`04 01 0000 00000028 ${INNER}`));
    expect(pp.info).toBe('Parameter Problem (unrecognized Next Header type encountered)');
    expect(pp.value('icmpv6.pointer')).toBe('40');
  });

  it('decodes a Neighbor Solicitation with a source link-layer address option', () => {
    const src = 'fe80000000000000020c29fffe2f8031';
    const dst = 'ff0200000000000000000001ff000002';
    const d = dissectBytes(icmp6(`87 00 f987 00000000 ${D} 01 01 000c292f8031`, src, dst, 255));
    expect(d.info).toBe('Neighbor Solicitation for 2001:db8::2 from 00:0c:29:2f:80:31');
    expect(d.get('icmpv6.nd.ns.target_address')).toMatchObject({ value: '2001:db8::2', offset: 62, length: 16 });
    expect(d.get('icmpv6.opt')).toMatchObject({ offset: 78, length: 8, label: 'ICMPv6 Option (Source link-layer address : 00:0c:29:2f:80:31)' });
    expect(d.get('icmpv6.opt.type').label).toBe('Type: Source link-layer address (1)');
    expect(d.get('icmpv6.opt.length').label).toBe('Length: 1 (8 bytes)');
    expect(d.get('icmpv6.opt.linkaddr')).toMatchObject({ value: '00:0c:29:2f:80:31', offset: 80, length: 6, label: 'Link-layer address: 00:0c:29:2f:80:31' });
    expect(d.get('icmpv6.opt.src_linkaddr')).toMatchObject({ value: '00:0c:29:2f:80:31', hidden: true });
    expect(d.value('icmpv6.checksum.status')).toBe('1');
    expect(d.protocols).toBe('eth:ethertype:ipv6:icmpv6');
  });

  it('decodes Neighbor Advertisement flags and the target link-layer address', () => {
    const d = dissectBytes(icmp6(`88 00 bbf2 60000000 ${D} 02 01 000c291fa755`, D, S, 255));
    expect(d.info).toBe('Neighbor Advertisement 2001:db8::2 (sol, ovr) is at 00:0c:29:1f:a7:55');
    expect(d.get('icmpv6.nd.na.flag')).toMatchObject({ value: '0x60000000', label: 'Flags: 0x60000000, Solicited, Override' });
    expect(d.get('icmpv6.nd.na.flag.r').label).toBe('0... .... .... .... .... .... .... .... = Router: Not set');
    expect(d.get('icmpv6.nd.na.flag.s').value).toBe('1');
    expect(d.get('icmpv6.nd.na.flag.rsv').label).toBe('...0 0000 0000 0000 0000 0000 0000 0000 = Reserved: 0');
    expect(d.value('icmpv6.opt.target_linkaddr')).toBe('00:0c:29:1f:a7:55');
    const none = dissectBytes(icmp6(`88 00 ee7c 00000000 ${D}`, D, S, 255));
    expect(none.info).toBe('Neighbor Advertisement 2001:db8::2 (none)');
  });

  it('decodes a Router Advertisement with its options', () => {
    const opts = [
      '01 01 c20054f50000',
      '03 04 40 c0 00278d00 ffffffff 00000000 20010db8000000010000000000000000',
      '05 01 0000 000005dc',
      '19 03 0000 00000258 20010db8000000000000000000000053',
      '18 02 30 08 ffffffff 20010db800010000',
      '1f 03 0000 00000258 076578616d706c6503636f6d00 000000',
    ].join(' ');
    const d = dissectBytes(icmp6(`86 00 ec68 40 c8 0708 00007530 000003e8 ${opts}`, R, 'ff020000000000000000000000000001', 255));
    expect(d.info).toBe('Router Advertisement from c2:00:54:f5:00:00');
    expect(d.value('icmpv6.checksum.status')).toBe('1');
    expect(d.get('icmpv6.nd.ra.flag').label).toBe('Flags: 0xc8, Managed address configuration, Other configuration, Prf (Default Router Preference): High');
    expect(d.get('icmpv6.nd.ra.flag.prf').label).toBe('...0 1... = Prf (Default Router Preference): High (1)');
    expect(d.value('icmpv6.nd.ra.router_lifetime')).toBe('1800');
    expect(d.value('icmpv6.nd.ra.reachable_time')).toBe('30000');
    expect(d.every('icmpv6.opt').map((n) => n.label)).toEqual([
      'ICMPv6 Option (Source link-layer address : c2:00:54:f5:00:00)',
      'ICMPv6 Option (Prefix information : 2001:db8:0:1::/64)',
      'ICMPv6 Option (MTU : 1500)',
      'ICMPv6 Option (Recursive DNS Server 2001:db8::53)',
      'ICMPv6 Option (Route Information : High 2001:db8:1::/48)',
      'ICMPv6 Option (DNS Search List Option example.com)',
    ]);
    expect(d.get('icmpv6.opt.prefix.flag').label).toBe('Flag: 0xc0, On-link flag(L), Autonomous address-configuration flag(A)');
    expect(d.get('icmpv6.opt.prefix.valid_lifetime').label).toBe('Valid Lifetime: 2592000');
    expect(d.get('icmpv6.opt.prefix.preferred_lifetime').label).toBe('Preferred Lifetime: Infinity (4294967295)');
    expect(d.every('icmpv6.opt.prefix').map((n) => [n.value, n.length])).toEqual([['2001:db8:0:1::', 16], ['2001:db8:1::', 8]]);
    expect(d.value('icmpv6.opt.mtu')).toBe('1500');
    expect(d.value('icmpv6.opt.rdnss')).toBe('2001:db8::53');
    expect(d.get('icmpv6.opt.route_lifetime').label).toBe('Route Lifetime: Infinity (4294967295)');
    expect(d.get('icmpv6.opt.dnssl')).toMatchObject({ value: 'example.com', length: 13 });
    expect(d.get('icmpv6.opt.padding').length).toBe(3);
  });

  it('shows the redirected packet of a Redirect as IPv6, leaving the columns alone', () => {
    const redirected = `60000000 0010 11 40 ${D} ${S} 14e9 0035 0010 0000`;
    const msg = `89 00 9b81 00000000 fe800000000000000000000000000002 ${D} 02 01 00aabbccddee 04 07 000000000000 ${redirected}`;
    const d = dissectBytes(icmp6(msg, R, S, 255));
    expect(d.info).toBe('Redirect is at 00:aa:bb:cc:dd:ee');
    expect(d.value('icmpv6.nd.rd.target_address')).toBe('fe80::2');
    expect(d.value('icmpv6.rd.na.destination_address')).toBe('2001:db8::2');
    expect(d.get('icmpv6.opt.redirected_packet')).toMatchObject({ offset: 110, length: 48 });
    expect(d.protocols).toBe('eth:ethertype:ipv6:icmpv6:ipv6:udp');
    expect(d.source).toBe('fe80::1');
  });

  it('decodes MLDv2 reports and queries', () => {
    const rep = dissectBytes(icmp6('8f 00 5c13 0000 0001 04 00 0000 ff020000000000000000000000000002', 'fe80000000000000c00054fffef50000', 'ff020000000000000000000000000016', 1));
    expect(rep.info).toBe('Multicast Listener Report Message v2');
    expect(rep.value('icmpv6.checksum.status')).toBe('1');
    expect(rep.value('icmpv6.mldr.nb_mcast_records')).toBe('1');
    expect(rep.get('icmpv6.mldr.mar')).toMatchObject({ offset: 62, length: 20, label: 'Multicast Address Record Changed to exclude: ff02::2' });
    expect(rep.get('icmpv6.mldr.mar.record_type').label).toBe('Record Type: Changed to exclude (4)');
    const q = dissectBytes(icmp6(`82 00 29c4 2710 0000 ff050000000000000000000000000001 02 7d 0001 ${S}`, R, 'ff020000000000000000000000000001', 1));
    expect(q.info).toBe('Multicast Listener Query');
    expect(q.value('icmpv6.mld.maximum_response_code')).toBe('10000');
    expect(q.get('icmpv6.mld.flag.qrv').label).toBe(".... .010 = QRV (Querier's Robustness Variable): 2");
    expect(q.value('icmpv6.mld.source_address')).toBe('2001:db8::1');
  });

  it('stops at an option of length zero and flags it', () => {
    const d = dissectBytes(icmp6(`87 00 ee74 00000000 ${D} 01 00 000000000000`));
    expect(d.get('icmpv6.opt').label).toBe('ICMPv6 Option (Source link-layer address');
    expect(d.has('icmpv6.invalid_option_length')).toBe(true);
    expect(d.info).toBe('Neighbor Solicitation for 2001:db8::2');
  });

  it('shows an undefined type as undecoded data', () => {
    const d = dissectBytes(icmp6('c8 00 1781 61626364'));
    expect(d.info).toBe('Private experimentation');
    expect(d.has('icmpv6.undecoded.type')).toBe(true);
    expect(d.get('icmpv6.data')).toMatchObject({ value: '61626364', offset: 58, length: 4 });
  });

  it('marks a truncated echo as malformed after what it could read', () => {
    const d = dissectBytes(icmp6('81 00 0000 0001'));
    expect(d.info).toBe('Echo (ping) reply[Malformed Packet]');
    expect(d.value('icmpv6.echo.identifier')).toBe('0x0001');
  });
});
