import { describe, expect, it } from 'vitest';
import { dissectBytes, dissectSequence, hexBytes } from '../../helpers/dissect';

// Expected values are what `tshark -2 -n` (4.0) shows for the same bytes.
const ETH = 'ffffffffffff 001122334455 0800';
/** IPv4 headers (20 bytes, protocol ICMP, TTL 64) between 10.0.0.1 and 10.0.0.2; total length in the name. */
const IP_1_TO_2_44 = '4500002c 0001 0000 4001 66ce 0a000001 0a000002';
const IP_2_TO_1_44 = '4500002c 0001 0000 4001 66ce 0a000002 0a000001';
const PAYLOAD = '6162636465666768696a6b6c6d6e6f70'; // "abcdefghijklmnop"
const echoRequest = hexBytes(`${ETH} ${IP_1_TO_2_44} 08 00 b4b2 0001 0001 ${PAYLOAD}`);
const echoReply = hexBytes(`${ETH} ${IP_2_TO_1_44} 00 00 bcb2 0001 0001 ${PAYLOAD}`);
/** The UDP datagram 10.0.0.1:12594 → 10.0.0.2:13108 quoted by the errors below (IP header + 8 bytes). */
const QUOTED_UDP = '4500001c 0001 0000 4011 66ce 0a000001 0a000002 3132333435363738';

describe('icmp', () => {
  it('decodes an echo request with ids, values, offsets and the Info of tshark -2', () => {
    const [d] = dissectSequence([echoRequest, echoReply]);
    expect(d.get('icmp')).toMatchObject({ offset: 34, length: 24, label: 'Internet Control Message Protocol' });
    expect(d.get('icmp.type')).toMatchObject({ offset: 34, length: 1, value: '8', label: 'Type: 8 (Echo (ping) request)' });
    expect(d.get('icmp.code')).toMatchObject({ offset: 35, length: 1, value: '0', label: 'Code: 0' });
    expect(d.get('icmp.checksum')).toMatchObject({ offset: 36, length: 2, value: '0xb4b2', label: 'Checksum: 0xb4b2 [correct]' });
    expect(d.get('icmp.checksum.status')).toMatchObject({ value: '1', label: '[Checksum Status: Good]' });
    expect(d.get('icmp.ident')).toMatchObject({ offset: 38, length: 2, value: '1', label: 'Identifier (BE): 1 (0x0001)' });
    expect(d.get('icmp.ident_le')).toMatchObject({ offset: 38, length: 2, value: '256', label: 'Identifier (LE): 256 (0x0100)' });
    expect(d.get('icmp.seq')).toMatchObject({ offset: 40, length: 2, value: '1' });
    expect(d.get('icmp.seq_le')).toMatchObject({ offset: 40, length: 2, value: '256', label: 'Sequence Number (LE): 256 (0x0100)' });
    expect(d.get('icmp.resp_in')).toMatchObject({ value: '2', label: '[Response frame: 2]', offset: 34, length: 0 });
    expect(d.get('data.data')).toMatchObject({ offset: 42, length: 16, value: PAYLOAD });
    expect(d.protocol).toBe('ICMP');
    expect(d.info).toBe('Echo (ping) request  id=0x0001, seq=1/256, ttl=64 (reply in 2)');
    expect(d.protocols).toBe('eth:ethertype:ip:icmp:data');
    expect(d.source).toBe('10.0.0.1');
  });

  it('links the reply to its request with the response time', () => {
    const [, d] = dissectSequence([echoRequest, echoReply]);
    expect(d.get('icmp.type').label).toBe('Type: 0 (Echo (ping) reply)');
    expect(d.get('icmp.resp_to')).toMatchObject({ value: '1', label: '[Request frame: 1]' });
    // Frames of the sequence are 1 ms apart.
    expect(d.get('icmp.resptime')).toMatchObject({ value: '1', label: '[Response time: 1.000 ms]' });
    expect(d.info).toBe('Echo (ping) reply    id=0x0001, seq=1/256, ttl=64 (request in 1)');
  });

  it('says when a request got no reply, and does not link a reply with other data', () => {
    const otherData = hexBytes(`${ETH} ${IP_2_TO_1_44} 00 00 2c2a 0001 0001 ${'7a'.repeat(16)}`);
    const [req, rep] = dissectSequence([echoRequest, otherData]);
    expect(req.info).toBe('Echo (ping) request  id=0x0001, seq=1/256, ttl=64 (no response found!)');
    const noResp = req.get('icmp.no_resp');
    expect(noResp).toMatchObject({ label: '[No response seen]', generated: true });
    expect(noResp.children?.[0].label).toContain('Expert Info (Warning/Sequence): No response seen to ICMP request');
    expect(req.has('icmp.resp_not_found')).toBe(true);
    expect(rep.info).toBe('Echo (ping) reply    id=0x0001, seq=1/256, ttl=64');
    expect(rep.has('icmp.resp_to')).toBe(false);
  });

  it('answers the latest unanswered request, and a repeated reply answers nothing', () => {
    const frames = dissectSequence([echoRequest, echoRequest, echoReply, echoReply]);
    expect(frames.map((f) => f.info.slice(f.info.lastIndexOf('('))).slice(0, 2)).toEqual(['(no response found!)', '(reply in 3)']);
    expect(frames[2].value('icmp.resp_to')).toBe('2');
    expect(frames[3].has('icmp.resp_to')).toBe(false);
  });

  it('shows a send time found at the start of the payload', () => {
    // Payload starts with a big-endian timeval: 1700000000 s, 1000 µs (the sequence starts at 1700000000 s).
    const withTime = hexBytes(`${ETH} 45000028 0001 0000 4001 66d2 0a000001 0a000002 08 00 aacf 0001 0002 6553f100 000003e8 78797a77`);
    const [, d] = dissectSequence([echoRequest, withTime]);
    expect(d.get('icmp.data_time')).toMatchObject({ offset: 42, length: 8, value: 'Nov 14, 2023 22:13:20.001000000 UTC' });
    // The frame is stamped 1 ms after the start, so 0 ms after the payload's time.
    expect(d.get('icmp.data_time_relative')).toMatchObject({ value: '0.000000000', generated: true });
    expect(d.get('data.data')).toMatchObject({ offset: 50, length: 4 });
  });

  it('verifies the checksum and reports a bad one', () => {
    // ipv4-bogus-header-len.pcap: an unknown type with a wrong checksum.
    const d = dissectBytes(
      hexBytes(`000000000002 000000000001 0800 4503 0000 252c 0000 0001 0001 76b590c2 88ff7374 617465ff 000000ff ${'00'.repeat(18)}`),
    );
    expect(d.get('icmp.type').label).toBe('Type: 97 (Unknown ICMP (obsolete or malformed?))');
    expect(d.get('icmp.code').label).toBe('Code: 116');
    const cks = d.get('icmp.checksum');
    expect(cks).toMatchObject({ value: '0x65ff', label: 'Checksum: 0x65ff incorrect, should be 0x9d8c' });
    expect(cks.children?.[0].label).toContain('Bad checksum [should be 0x9d8c]');
    expect(d.has('icmp.checksum_bad')).toBe(true);
    expect(d.value('icmp.checksum.status')).toBe('0');
    expect(d.info).toBe('Unknown ICMP (obsolete or malformed?)');
    expect(d.protocols).toBe('eth:ethertype:ip:icmp');
  });

  it('cannot verify the checksum of a message cut by the snapshot length', () => {
    const d = dissectBytes(echoRequest.subarray(0, 44), undefined, { origLen: echoRequest.length });
    expect(d.get('icmp.checksum').label).toBe('Checksum: 0xb4b2 [unverified] [fragmented datagram]');
    expect(d.value('icmp.checksum.status')).toBe('2');
  });

  it('dissects the datagram quoted by an error without touching the columns', () => {
    const d = dissectBytes(hexBytes(`${ETH} 45000038 0001 0000 4001 aec2 c0000201 0a000001 03 03 2c28 00000000 ${QUOTED_UDP}`));
    expect(d.get('icmp.code').label).toBe('Code: 3 (Port unreachable)');
    expect(d.get('icmp.unused')).toMatchObject({ offset: 38, length: 4, value: '00000000' });
    expect(d.info).toBe('Destination unreachable (Port unreachable)');
    expect(d.protocol).toBe('ICMP');
    expect(d.source).toBe('192.0.2.1');
    expect(d.destination).toBe('10.0.0.1');
    // The quoted IP header sits inside the ICMP tree.
    const inner = d.every('ip')[1];
    expect(inner.offset).toBe(42);
    expect(d.get('icmp').children?.some((n) => n === inner)).toBe(true);
    expect(d.every('ip.src').map((n) => n.value)).toEqual(['192.0.2.1', '10.0.0.1']);
    expect(d.protocols.startsWith('eth:ethertype:ip:icmp:ip')).toBe(true);
    expect(d.pinfo.inErrorPacket).toBe(false);
  });

  it('leaves the checksum of a quoted ICMP message unverified', () => {
    const d = dissectBytes(
      hexBytes(`${ETH} 45000038 0001 0000 4001 65c6 0a0000fe 0a000001 05 01 f0fb 0a000003 4500001c 0001 0000 4001 68d8 0a000001 04040404 08 00 f7fe 0001 0000`),
    );
    expect(d.get('icmp.redir_gw')).toMatchObject({ offset: 38, length: 4, value: '10.0.0.3', label: 'Gateway Address: 10.0.0.3' });
    expect(d.info).toBe('Redirect             (Redirect for host)');
    const checksums = d.every('icmp.checksum');
    expect(checksums.map((n) => n.label)).toEqual(['Checksum: 0xf0fb [correct]', 'Checksum: 0xf7fe [unverified] [in ICMP error packet]']);
    // The quoted echo request is not tracked: no "no response" item for it.
    expect(d.has('icmp.no_resp')).toBe(false);
    expect(d.protocols).toBe('eth:ethertype:ip:icmp:ip:icmp');
  });

  it('ends a quote that is cut short quietly', () => {
    const d = dissectBytes(hexBytes(`${ETH} 4500001f 0001 0000 4001 aedb c0000201 0a000001 03 03 b7fc 00000000 450000`));
    expect(d.has('_ws.malformed')).toBe(false);
    expect(d.info).toBe('Destination unreachable (Port unreachable)');
    expect(d.every('ip')[1].label).toBe('Internet Protocol Version 4');
  });

  it('shows the RFC 4884 length of the original datagram', () => {
    const d = dissectBytes(hexBytes(`${ETH} 45000038 0001 0000 4001 65c6 0a0000fe 0a000001 0b 00 2424 00 07 0000 ${QUOTED_UDP}`));
    expect(d.info).toBe('Time-to-live exceeded (Time to live exceeded in transit)');
    expect(d.every('icmp.unused').map((n) => [n.offset, n.length])).toEqual([
      [38, 1],
      [40, 2],
    ]);
    expect(d.get('icmp.length')).toMatchObject({ offset: 39, length: 1, value: '7' });
    expect(d.get('icmp.length.original_datagram')).toMatchObject({ value: '28', label: '[Length of original datagram: 28]' });
  });

  it('shows the next-hop MTU of a fragmentation-needed error', () => {
    const d = dissectBytes(hexBytes(`${ETH} 45000038 0001 0000 4001 aec2 c0000201 0a000001 03 04 264b 0000 05dc ${QUOTED_UDP}`));
    expect(d.info).toBe('Destination unreachable (Fragmentation needed)');
    expect(d.get('icmp.unused')).toMatchObject({ offset: 38, length: 2 });
    expect(d.get('icmp.mtu')).toMatchObject({ offset: 40, length: 2, value: '1500' });
  });

  it('decodes MPLS label stack extensions after a 128-byte quote (RFC 4950)', () => {
    const quote = QUOTED_UDP + '00'.repeat(100);
    const d = dissectBytes(hexBytes(`${ETH} 450000a8 0001 0000 4001 6556 0a0000fe 0a000001 0b 00 240b 00 20 0000 ${quote} 2000 9deb 0008 01 01 00064105`));
    expect(d.value('icmp.length.original_datagram')).toBe('128');
    expect(d.get('icmp.ext')).toMatchObject({ offset: 170, length: 12, label: 'ICMP Multi-Part Extensions' });
    expect(d.get('icmp.ext.version')).toMatchObject({ value: '2' });
    expect(d.get('icmp.ext.checksum').label).toBe('Checksum: 0x9deb [correct]');
    expect(d.get('icmp.ext.class').label).toBe('Class: MPLS Label Stack Class (1)');
    expect(d.get('icmp.mpls.label')).toMatchObject({ offset: 178, length: 3, value: '100', label: '0000 0000 0000 0110 0100 .... = Label: 100' });
    expect(d.value('icmp.mpls.s')).toBe('1');
    expect(d.value('icmp.mpls.ttl')).toBe('5');
  });

  it('decodes timestamp and address mask messages', () => {
    const ts = dissectBytes(hexBytes(`${ETH} 45000028 0001 0000 4001 66d2 0a000001 0a000002 0d 00 15f4 0005 0006 0037dcc9 00000000 00000000`));
    expect(ts.info).toBe('Timestamp request    id=0x0005, seq=6/1536, ttl=64');
    expect(ts.get('icmp.originate_timestamp')).toMatchObject({ offset: 42, length: 4, value: '3661001', label: 'Originate Timestamp: 3661001 (1 hour, 1 minute, 1.001 seconds after midnight UTC)' });
    expect(ts.get('icmp.receive_timestamp').label).toBe('Receive Timestamp: 0 (0 seconds after midnight UTC)');
    expect(ts.has('icmp.resp_in')).toBe(false);
    const mask = dissectBytes(hexBytes(`${ETH} 45000020 0001 0000 4001 66da 0a000002 0a000001 12 00 eeef 0007 0008 ffffff00`));
    expect(mask.info).toBe('Address mask reply   id=0x0007, seq=8/2048, ttl=64');
    expect(mask.get('icmp.address_mask')).toMatchObject({ offset: 42, length: 4, value: '255.255.255.0' });
  });

  it('marks a redirect that quotes nothing as malformed ICMP', () => {
    const d = dissectBytes(hexBytes(`${ETH} 4500001c 0001 0000 4001 66d0 0a000002 0a000001 05 00 faff 00000000`));
    expect(d.get('_ws.malformed').label).toBe('[Malformed Packet: ICMP]');
    expect(d.info).toBe('Redirect             (Redirect for network)[Malformed Packet]');
  });
});
