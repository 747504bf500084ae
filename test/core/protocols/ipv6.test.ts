import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';
import { LinkType } from '../../../src/core/capture/link-types';
import { MAX_EXT_HEADERS, MAX_LAYERS } from '../../../src/core/protocols/ipv6';

const ETH6 = '333300000001 001122334455 86dd';
const ETH4 = '333300000001 001122334455 0800';
const S = '20010db8000000000000000000000001'; // 2001:db8::1
const D = '20010db8000000000000000000000002'; // 2001:db8::2
/** ICMPv6 echo request 2001:db8::1 → 2001:db8::2, id 0x1234 seq 1, data "abcd" (checksum for those addresses). */
const ECHO = '8000 4d48 1234 0001 61626364';

const hex2 = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, '0');
const len = (h: string) => h.replace(/[^0-9a-f]/gi, '').length / 2;

/** An IPv6 header (RFC 8200 §3) in front of `payload`; payload length computed unless given. */
function ipv6(nxt: number, payload: string, o: { plen?: number; hlim?: number; src?: string; dst?: string; first?: string } = {}): string {
  const first = o.first ?? '60000000';
  return `${first} ${hex2(o.plen ?? len(payload), 2)} ${hex2(nxt, 1)} ${hex2(o.hlim ?? 64, 1)} ${o.src ?? S} ${o.dst ?? D} ${payload}`;
}

describe('ipv6', () => {
  it('decodes the fixed header with ids, values, offsets and labels as Wireshark does', () => {
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(58, ECHO, { first: '6b9abcde' })}`));
    expect(d.value('ipv6.version')).toBe('6');
    expect(d.get('ipv6.version')).toMatchObject({ offset: 14, length: 1, label: '0110 .... = Version: 6' });
    expect(d.get('ip.version')).toMatchObject({ value: '6', hidden: true });
    expect(d.get('ipv6.tclass')).toMatchObject({ value: '0x000000b9', offset: 14, length: 4 });
    expect(d.get('ipv6.tclass').label).toMatch(/^\.\.\.\. 1011 1001 \.\.\.\. \.\.\.\. \.\.\.\. \.\.\.\. \.\.\.\. = Traffic Class: 0xb9 \(DSCP: /);
    expect(d.value('ipv6.tclass.dscp')).toBe('46');
    expect(d.get('ipv6.tclass.dscp').label).toBe('.... 1011 10.. .... .... .... .... .... = Differentiated Services Codepoint: Expedited Forwarding (46)');
    expect(d.value('ipv6.tclass.ecn')).toBe('1');
    expect(d.get('ipv6.flow')).toMatchObject({ value: '0x0abcde', offset: 15, length: 3, label: '.... 1010 1011 1100 1101 1110 = Flow Label: 0xabcde' });
    expect(d.get('ipv6.plen')).toMatchObject({ value: '12', offset: 18, length: 2 });
    expect(d.get('ipv6.nxt')).toMatchObject({ value: '58', label: 'Next Header: ICMPv6 (58)' });
    expect(d.value('ipv6.hlim')).toBe('64');
    expect(d.get('ipv6.src')).toMatchObject({ value: '2001:db8::1', offset: 22, length: 16 });
    expect(d.get('ipv6.dst')).toMatchObject({ value: '2001:db8::2', offset: 38, length: 16 });
    expect(d.every('ipv6.addr').map((n) => [n.value, n.hidden])).toEqual([['2001:db8::1', true], ['2001:db8::2', true]]);
    expect(d.every('ipv6.host').map((n) => n.value)).toEqual(['2001:db8::1', '2001:db8::2']);
    expect(d.value('ipv6.src_host')).toBe('2001:db8::1');
    expect(d.get('ipv6')).toMatchObject({ offset: 14, length: 40, label: 'Internet Protocol Version 6, Src: 2001:db8::1, Dst: 2001:db8::2' });
    expect(d.source).toBe('2001:db8::1');
    expect(d.destination).toBe('2001:db8::2');
    expect(d.protocols).toBe('eth:ethertype:ipv6:icmpv6:data');
    expect(d.pinfo.ipProto).toBe(58);
  });

  it('rejects a bogus version so the link layer shows the ethertype and data', () => {
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(58, ECHO, { first: '00000000' })}`));
    expect(d.protocols).toBe('eth:ethertype:data');
    expect(d.protocol).toBe('0x86dd');
    expect(d.get('ipv6.version')).toMatchObject({ value: '0', label: '0000 .... = Version: 0' });
    expect(d.has('ipv6.bogus_ipv6_version')).toBe(true);
    expect(d.get('_ws.expert.message').value).toBe('Bogus IPv6 version');
    expect(d.has('ipv6.src')).toBe(false);
    expect(d.source).toBe('00:11:22:33:44:55');
  });

  it('reports a header shorter than 40 bytes and ends malformed', () => {
    const bytes = hexBytes(`${ETH6} 60000000 000c 3a 40 ${S} 20010db80000`);
    const d = dissectBytes(bytes);
    expect(d.protocol).toBe('IPv6');
    expect(d.info).toBe('Invalid IPv6 header (30 bytes, need exactly 40)[Malformed Packet]');
    expect(d.has('ipv6.invalid_header')).toBe(true);
    expect(d.has('_ws.malformed')).toBe(true);
    expect(d.protocols).toBe('eth:ethertype:ipv6');
  });

  it('decodes Hop-by-Hop options: Pad1, PadN, Router Alert, Jumbo Payload', () => {
    // next header 58, length 1 (16 bytes): Pad1 | PadN len 0 | RA len 2 value 1 | Jumbo len 4 65536 | Pad1
    const hbh = '3a 01  00  01 00  05 02 0001  c2 04 00010000  00';
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(0, `${hbh} ${ECHO}`)}`));
    expect(d.protocols).toBe('eth:ethertype:ipv6:ipv6.hopopts:icmpv6:data');
    expect(d.get('ipv6.hopopts')).toMatchObject({ offset: 54, length: 16, label: 'IPv6 Hop-by-Hop Option' });
    expect(d.value('ipv6.hopopts.nxt')).toBe('58');
    expect(d.get('ipv6.hopopts.len_oct')).toMatchObject({ value: '16', generated: true, label: '[Length: 16 bytes]' });
    expect(d.every('ipv6.opt').map((n) => n.label)).toEqual(['Pad1', 'PadN', 'Router Alert', 'Jumbo Payload', 'Pad1']);
    expect(d.every('ipv6.opt.type').map((n) => n.value)).toEqual(['0x00', '0x01', '0x05', '0xc2', '0x00']);
    expect(d.every('ipv6.opt.type.action').map((n) => n.value)).toEqual(['0', '0', '3']);
    expect(d.get('ipv6.opt.padn').label).toBe('PadN: <none>');
    expect(d.get('ipv6.opt.router_alert')).toMatchObject({ value: '1', offset: 61, length: 2, label: 'Router Alert: RSVP (1)' });
    expect(d.get('ipv6.opt.jumbo')).toMatchObject({ value: '65536', offset: 65 });
    // A Jumbo option with a non-zero payload length is a protocol error (RFC 2675 §3).
    expect(d.has('ipv6.opt.jumbo.prohibited')).toBe(true);
    expect(d.get('ipv6').length).toBe(56);
    expect(d.value('icmpv6.checksum.status')).toBe('1');
  });

  it('flags an option in the wrong header and a Hop-by-Hop header that is not first', () => {
    // Destination Options (next: Hop-by-Hop) with a Router Alert, then Hop-by-Hop with PadN 4.
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(60, `00 00 05 02 0000 0000  3a 00 01 04 00000000 ${ECHO}`)}`));
    expect(d.protocols).toBe('eth:ethertype:ipv6:ipv6.dstopts:ipv6.hopopts:icmpv6:data');
    expect(d.get('ipv6.opt.header_mismatch')).toBeTruthy();
    expect(d.all.find((n) => n.field === 'ipv6.opt.header_mismatch')?.label).toBe('[Router Alert must use a hop-by-hop options header]');
    expect(d.has('ipv6.hopopts.not_first')).toBe(true);
  });

  it('follows a type 0 routing header to the final destination for the ICMPv6 checksum', () => {
    // Routing: next 60, len 4, type 0, segments left 1, reserved, 2001:db8::a, 2001:db8::b; then Destination Options.
    const rt = `3c 04 00 01 00000000 20010db800000000000000000000000a 20010db800000000000000000000000b`;
    const dst = '3a 00 01 04 00000000';
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(43, `${rt} ${dst} 8000 4d3f 1234 0001 61626364`)}`));
    expect(d.protocols).toBe('eth:ethertype:ipv6:ipv6.routing:ipv6.dstopts:icmpv6:data');
    expect(d.get('ipv6.routing')).toMatchObject({ offset: 54, length: 40, label: 'Routing Header for IPv6 (Source Route)' });
    expect(d.get('ipv6.routing.type').label).toBe('Type: Source Route (0)');
    expect(d.has('ipv6.routing.deprecated')).toBe(true);
    expect(d.value('ipv6.routing.segleft')).toBe('1');
    expect(d.every('ipv6.routing.src.addr').map((n) => n.label)).toEqual(['Address[1]: 2001:db8::a', 'Address[2]: 2001:db8::b']);
    expect(d.get('ipv6.dstopts')).toMatchObject({ offset: 94, length: 8 });
    expect(d.get('ipv6.opt.padn').value).toBe('00000000');
    // Checksum computed with 2001:db8::b as destination (RFC 8200 §8.1) verifies.
    expect(d.value('icmpv6.checksum.status')).toBe('1');
    expect(d.destination).toBe('2001:db8::2');
  });

  it('decodes a Segment Routing header; Segment List[0] is the final destination', () => {
    const srh = `3a 04 04 01 01 00 0000 20010db800000000000000000000000c 20010db800000000000000000000000d`;
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(43, `${srh} 8000 4d3e 1234 0001 61626364`)}`));
    expect(d.get('ipv6.routing').label).toBe('Routing Header for IPv6 (Segment Routing)');
    expect(d.value('ipv6.routing.srh.last_entry')).toBe('1');
    expect(d.value('ipv6.routing.srh.tag')).toBe('0000');
    expect(d.every('ipv6.routing.srh.addr').map((n) => n.label)).toEqual(['Address[0]: 2001:db8::c', 'Address[1]: 2001:db8::d']);
    expect(d.value('icmpv6.checksum.status')).toBe('1');
  });

  it('decodes a type 2 routing header (Mobile IPv6 home address)', () => {
    const rt = `3a 02 02 01 00000000 20010db8000000000000000000000099`;
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(43, `${rt} ${ECHO}`)}`));
    expect(d.get('ipv6.routing.mipv6.home_address')).toMatchObject({ value: '2001:db8::99', label: 'Address[1]: 2001:db8::99' });
    // The echo's checksum was made for 2001:db8::2, but the final destination is the home address.
    expect(d.value('icmpv6.checksum.status')).toBe('0');
  });

  it('shows a fragment that is not reassembled as data with the fragment Info, first or later (as tshark -2 with defragmenting on)', () => {
    const later = dissectBytes(hexBytes(`${ETH6} ${ipv6(44, '3a 00 0321 deadbeef 68656c6c6f20776f726c642031323334')}`));
    expect(later.protocols).toBe('eth:ethertype:ipv6:ipv6.fraghdr:data');
    expect(later.protocol).toBe('IPv6');
    expect(later.info).toBe('IPv6 fragment (off=800 more=y ident=0xdeadbeef nxt=58)');
    expect(later.get('ipv6.fraghdr.offset')).toMatchObject({ value: '100', label: '0000 0011 0010 0... = Offset: 100 (800 bytes)' });
    expect(later.get('ipv6.fraghdr.more')).toMatchObject({ value: '1', label: '.... .... .... ...1 = More Fragments: Yes' });
    expect(later.value('ipv6.fraghdr.ident')).toBe('0xdeadbeef');
    expect(later.get('ipv6').length).toBe(40);
    expect(later.value('data.len')).toBe('16');

    const first = dissectBytes(hexBytes(`${ETH6} ${ipv6(44, `3a 00 0001 cde00817 ${ECHO}`)}`));
    expect(first.protocols).toBe('eth:ethertype:ipv6:ipv6.fraghdr:data');
    expect(first.info).toBe('IPv6 fragment (off=0 more=y ident=0xcde00817 nxt=58)');
    expect(first.get('ipv6').length).toBe(40);
  });

  it('names an unknown next header and "no next header" as tshark does', () => {
    const unknown = dissectBytes(hexBytes(`${ETH6} ${ipv6(253, '6162636465666768')}`));
    expect(unknown.info).toBe('Unknown IP Protocol: Unknown (253)');
    expect(unknown.protocols).toBe('eth:ethertype:ipv6:data');
    const egp = dissectBytes(hexBytes(`${ETH6} ${ipv6(8, '61626364')}`));
    expect(egp.info).toBe('Unknown IP Protocol: EGP (8)');
    const none = dissectBytes(hexBytes(`${ETH6} ${ipv6(0, '3b 00 01 04 00000000')}`));
    expect(none.info).toBe('IPv6 no next header');
    expect(none.protocols).toBe('eth:ethertype:ipv6:ipv6.hopopts');
  });

  it('stops a chain of 1,000 extension headers at its bound without recursing', () => {
    const hdr = '3c 00 01 04 00000000';
    const chain = hdr.repeat(999) + '3a 00 01 04 00000000';
    const t0 = Date.now();
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(60, `${chain} ${ECHO}`)}`));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(d.protocols.split(':').filter((p) => p === 'ipv6.dstopts')).toHaveLength(MAX_EXT_HEADERS);
    expect(d.has('ipv6.ext_header_limit')).toBe(true);
    expect(d.protocols.endsWith(':data')).toBe(true);
    expect(d.has('_ws.malformed')).toBe(false);
  });

  it('bounds IPv6-in-IPv6 nesting instead of recursing without end', () => {
    // 300 IPv6 headers each announcing another IPv6 header (next header 41), lengths from the inside out.
    let pkt = '';
    for (let i = 0; i < 300; i++) pkt = ipv6(41, pkt);
    const d = dissectBytes(hexBytes(`${ETH6} ${pkt}`));
    expect(d.has('ipv6.nesting_limit')).toBe(true);
    expect(d.protocols.split(':').length).toBeLessThanOrEqual(MAX_LAYERS + 1);
    expect(d.has('_ws.malformed')).toBe(false);
  });

  it('warns when the payload length exceeds the frame, and notes a zero payload length', () => {
    const long = dissectBytes(hexBytes(`${ETH6} ${ipv6(58, ECHO, { plen: 100 })}`));
    expect(long.all.find((n) => n.field === 'ipv6.plen_exceeds_framing')?.label).toBe('[IPv6 payload length exceeds framing length (12 bytes)]');
    expect(long.value('icmpv6.checksum.status')).toBe('1');
    const zero = dissectBytes(hexBytes(`${ETH6} ${ipv6(58, ECHO, { plen: 0 })}`));
    expect(zero.has('ipv6.plen_zero')).toBe(true);
    expect(zero.has('_ws.malformed')).toBe(true);
  });

  it('hands only the payload on, so the link layer sees what follows as trailer', () => {
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(58, `${ECHO} aabbccdd`, { plen: 12 })}`));
    expect(d.value('data.len')).toBe('4');
    expect(d.value('icmpv6.checksum.status')).toBe('1');
  });

  it('carries IPv6 in IPv4 (6in4, protocol 41) and shows the inner addresses', () => {
    const inner = ipv6(58, '8000 469f 18dc 0000 61626364', { src: '20010db8000000010000000000000001', dst: '20010db8000000010000000000000002' });
    const ip4 = `45 00 ${hex2(20 + len(inner), 2)} 0009 0000 ff 29 0000 0a000001 0a000002`;
    const d = dissectBytes(hexBytes(`${ETH4} ${ip4} ${inner}`));
    expect(d.protocols).toBe('eth:ethertype:ip:ipv6:icmpv6:data');
    expect(d.source).toBe('2001:db8:0:1::1');
    expect(d.info).toBe('Echo (ping) request id=0x18dc, seq=0, hop limit=64 (no response found!)');
  });

  it('is registered for raw IPv6 captures (link type 229)', () => {
    const d = dissectBytes(hexBytes(ipv6(58, ECHO)), LinkType.IPV6);
    expect(d.protocols).toBe('ipv6:icmpv6:data');
  });

  it('shows what 6to4, Teredo and SLAAC addresses embed', () => {
    const sixToFour = '2002c000020100050000000000000001'; // 2002:c000:201:5::1
    const teredo = '200100004136e378800063bf3ffffdd2'; // server 65.54.227.120, client 192.0.2.45:40000
    const d = dissectBytes(hexBytes(`${ETH6} ${ipv6(59, '', { src: sixToFour, dst: teredo })}`));
    expect(d.get('ipv6.src_6to4_gw_ipv4')).toMatchObject({ value: '192.0.2.1', offset: 24, length: 4, generated: true });
    expect(d.value('ipv6.src_6to4_sla_id')).toBe('5');
    expect(d.get('ipv6.6to4_gw_ipv4').hidden).toBe(true);
    expect(d.value('ipv6.dst_ts_ipv4')).toBe('65.54.227.120');
    expect(d.value('ipv6.dst_tc_port')).toBe('40000');
    expect(d.value('ipv6.dst_tc_ipv4')).toBe('192.0.2.45');
    const slaac = dissectBytes(hexBytes(`${ETH6} ${ipv6(59, '', { src: 'fe80000000000000020c29fffe1fa755' })}`));
    expect(slaac.get('ipv6.src_slaac_mac')).toMatchObject({ value: '00:0c:29:1f:a7:55', offset: 30, length: 8, label: '[Source SLAAC MAC: 00:0c:29:1f:a7:55]' });
    expect(slaac.has('ipv6.dst_slaac_mac')).toBe(false);
  });
});
