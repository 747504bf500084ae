import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';
import { tables, heuristics } from '../../../src/core/dissect/dissector-tables';
import { PortType } from '../../../src/core/dissect/packet-info';

const ETH = '001122334455 66778899aabb 0800';

/** Ethernet + IPv4 (protocol 17) whose total length covers `udpHex`. */
function udpFrame(udpHex: string): Uint8Array {
  const udp = hexBytes(udpHex);
  const total = (20 + udp.length).toString(16).padStart(4, '0');
  const head = hexBytes(`${ETH} 45 00 ${total} 0001 0000 40 11 0000 0a000001 0a000002`);
  const out = new Uint8Array(head.length + udp.length);
  out.set(head);
  out.set(udp, head.length);
  return out;
}

// Frame 1 of dns-query-response.pcapng: a DNS query for wireshark.org, 1060 → 53.
const DNS_QUERY = `00055d21994c 0016ce6e8b24 0800 4500 003b 1f27 0000 8011 67c1 c0a80072 cd982517
  0424 0035 0027 036d 180f01000001000000000000 09776972657368 61726b 036f7267 00 0001 0001`;

describe('udp', () => {
  it('decodes the header with ids, values, offsets and the Info tshark shows', () => {
    const d = dissectBytes(hexBytes(DNS_QUERY));
    expect(d.get('udp')).toMatchObject({ offset: 34, length: 8, label: 'User Datagram Protocol, Src Port: 1060, Dst Port: 53' });
    expect(d.get('udp.srcport')).toMatchObject({ offset: 34, length: 2, value: '1060' });
    expect(d.get('udp.dstport')).toMatchObject({ offset: 36, length: 2, value: '53' });
    expect(d.every('udp.port').map((n) => [n.value, n.hidden])).toEqual([['1060', true], ['53', true]]);
    expect(d.get('udp.length')).toMatchObject({ offset: 38, length: 2, value: '39', label: 'Length: 39' });
    expect(d.get('udp.checksum')).toMatchObject({ offset: 40, length: 2, value: '0x036d', label: 'Checksum: 0x036d [unverified]' });
    expect(d.get('udp.checksum.status')).toMatchObject({ value: '2', label: '[Checksum Status: Unverified]' });
    expect(d.get('udp.payload')).toMatchObject({ offset: 42, length: 31, label: 'UDP payload (31 bytes)' });
    expect(d.protocol).toBe('UDP');
    expect(d.pinfo.portType).toBe(PortType.UDP);
    expect([d.pinfo.srcPort, d.pinfo.dstPort]).toEqual([1060, 53]);
    // No DNS dissector is registered in this test: the payload is data.
    if (!tables.udpPort.get(53)) {
      expect(d.info).toBe('1060 → 53 Len=31');
      expect(d.protocols).toBe('eth:ethertype:ip:udp:data');
    }
  });

  it('shows a zero checksum as not present', () => {
    const d = dissectBytes(udpFrame('04d2 15b3 000c 0000 41424344'));
    expect(d.get('udp.checksum')).toMatchObject({ label: 'Checksum: 0x0000 [zero-value ignored]' });
    expect(d.get('udp.checksum').children?.[0]).toMatchObject({ field: 'udp.checksum.status', value: '3', label: '[Checksum Status: Not present]' });
  });

  it('calls a zero checksum over IPv6 illegal (RFC 8200 §8.1)', () => {
    const d = dissectBytes(
      hexBytes(`${ETH.replace('0800', '86dd')} 60000000 000c 11 40 ${'00'.repeat(15)}01 ${'00'.repeat(15)}02 04d2 15b3 000c 0000 41424344`),
    );
    expect(d.info).toBe('1234 → 5555 Len=4 [ILLEGAL CHECKSUM (0)]');
    expect(d.get('udp.checksum').label).toBe('Checksum: 0x0000 [zero-value illegal]');
    expect(d.value('udp.checksum.status')).toBe('4');
    expect(d.has('udp.checksum.zero')).toBe(true);
  });

  it('reports a length below the header size and stops', () => {
    const d = dissectBytes(udpFrame('04d2 15b3 0004 0000 41424344'));
    expect(d.info).toBe('1234 → 5555 [BAD UDP LENGTH 4 < 8]');
    expect(d.get('udp.length').label).toBe('Length: 4 (bogus, must be >= 8)');
    expect(d.value('_ws.expert.message')).toBe('Bad length value 4 < 8');
    expect(d.has('udp.length.bad')).toBe(true);
    expect(d.has('udp.checksum')).toBe(false);
    expect(d.protocols).toBe('eth:ethertype:ip:udp');
  });

  it('reports a length past the IP payload and still shows what is there', () => {
    const d = dissectBytes(udpFrame('04d2 15b3 0010 0000 41424344'));
    expect(d.info).toBe('1234 → 5555 [BAD UDP LENGTH 16 > IP PAYLOAD LENGTH] Len=8');
    expect(d.get('udp.length').label).toBe('Length: 16 (bogus, payload length 12)');
    expect(d.value('_ws.expert.message')).toBe('Bad length value 16 > IP payload length');
    expect(d.value('udp.payload')).toBe('41424344');
  });

  it('uses the UDP length, not the IP payload, for the payload', () => {
    const d = dissectBytes(udpFrame('04d2 15b3 000a 0000 41424344'));
    expect(d.info).toBe('1234 → 5555 Len=2');
    expect(d.get('udp.payload')).toMatchObject({ length: 2, value: '4142', label: 'UDP payload (2 bytes)' });
    expect(d.get('data.data')).toMatchObject({ value: '4142' });
  });

  it('tries the lower port, then the higher, then the heuristics', () => {
    const calls: string[] = [];
    tables.udpPort.add(6001, { abbrev: 'lowudp', dissect: (v) => (calls.push('low'), v.length) });
    tables.udpPort.add(50001, { abbrev: 'highudp', dissect: (v) => (calls.push('high'), v.length) });
    tables.udpPort.add(6002, { abbrev: 'rejects', dissect: () => 0 });
    heuristics.udp.add('heurudp', (v) => v.length > 0 && v.u8(0) === 0x99);
    expect(dissectBytes(udpFrame('c351 1771 000c 0000 41424344')).protocols).toBe('eth:ethertype:ip:udp:lowudp');
    expect(dissectBytes(udpFrame('1772 c351 000c 0000 41424344')).protocols).toBe('eth:ethertype:ip:udp:highudp');
    expect(calls).toEqual(['low', 'high']);
    expect(dissectBytes(udpFrame('c3a0 c3a1 000c 0000 99424344')).protocols).toBe('eth:ethertype:ip:udp:heurudp');
    expect(dissectBytes(udpFrame('c3a0 c3a1 000c 0000 41424344')).protocols).toBe('eth:ethertype:ip:udp:data');
  });

  it('marks a header cut short as malformed', () => {
    const d = dissectBytes(udpFrame('04d2 15b3 00'));
    expect(d.has('_ws.malformed')).toBe(true);
    expect(d.value('udp.srcport')).toBe('1234');
  });
});
