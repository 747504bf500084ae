import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';

const ETH = '001122334455 66778899aabb 0800';
/** Enhanced GRE (PPTP) header with key (payload length 6, call ID 17) and sequence number 9. */
const GRE_V1 = '3001 880b 0006 0011 00000009';
/** An inner IPv4/UDP datagram 10.0.0.1:1234 → 10.0.0.2:5555 with no payload. */
const INNER = '4500001c 00010000 40110000 0a000001 0a000002 04d2 15b3 0008 0000';

/** Ethernet + IPv4 + enhanced GRE around a PPP frame given as hex. */
function pppFrame(pppHex: string): Uint8Array {
  const gre = hexBytes(`${GRE_V1} ${pppHex}`);
  const total = (20 + gre.length).toString(16).padStart(4, '0');
  const head = hexBytes(`${ETH} 45 00 ${total} 0001 0000 40 2f 0000 0a010101 0a010102`);
  const out = new Uint8Array(head.length + gre.length);
  out.set(head);
  out.set(gre, head.length);
  return out;
}

describe('ppp', () => {
  it('reads address, control and protocol, then hands IPv4 to ip', () => {
    const d = dissectBytes(pppFrame(`ff03 0021 ${INNER}`));
    expect(d.get('ppp')).toMatchObject({ offset: 46, length: 4, label: 'Point-to-Point Protocol' });
    expect(d.get('ppp.address')).toMatchObject({ offset: 46, length: 1, value: '0xff', label: 'Address: 0xff' });
    expect(d.get('ppp.control')).toMatchObject({ offset: 47, length: 1, value: '0x03', label: 'Control: 0x03' });
    expect(d.get('ppp.protocol')).toMatchObject({ offset: 48, length: 2, value: '0x0021', label: 'Protocol: Internet Protocol version 4 (0x0021)' });
    expect(d.protocols).toBe('eth:ethertype:ip:gre:ppp:ip:udp');
  });

  it('accepts compressed address/control and a one-byte protocol field', () => {
    const acfc = dissectBytes(pppFrame(`0021 ${INNER}`));
    expect(acfc.has('ppp.address')).toBe(false);
    expect(acfc.get('ppp.protocol')).toMatchObject({ offset: 46, length: 2, value: '0x0021' });
    expect(acfc.protocols).toBe('eth:ethertype:ip:gre:ppp:ip:udp');

    const pfc = dissectBytes(pppFrame(`21 ${INNER}`));
    expect(pfc.get('ppp')).toMatchObject({ offset: 46, length: 1 });
    expect(pfc.get('ppp.protocol')).toMatchObject({ offset: 46, length: 1, value: '0x0021' });
    expect(pfc.protocols).toBe('eth:ethertype:ip:gre:ppp:ip:udp');
  });

  it('names a protocol it cannot decode in the columns and shows the rest as data', () => {
    const padding = dissectBytes(pppFrame('ff03 0001 01000004'));
    expect(padding.protocol).toBe('0x0001');
    expect(padding.info).toBe('PPP Padding Protocol (0x0001)');
    expect(padding.protocols).toBe('eth:ethertype:ip:gre:ppp:data');

    const unknown = dissectBytes(pppFrame('ff03 1234 01000004'));
    expect(unknown.protocol).toBe('0x1234');
    expect(unknown.info).toBe('PPP Unknown (0x1234)');
    expect(unknown.get('ppp.protocol').label).toBe('Protocol: Unknown (0x1234)');
  });

  it('decodes the header of LCP, IPCP, CCP and IPv6CP packets', () => {
    const lcp = dissectBytes(pppFrame('ff03 c021 0100 0008 01040000'));
    expect(lcp.protocol).toBe('PPP LCP');
    expect(lcp.info).toBe('Configuration Request');
    expect(lcp.protocols).toBe('eth:ethertype:ip:gre:ppp:lcp');
    expect(lcp.get('lcp')).toMatchObject({ offset: 50, length: 8, label: 'PPP Link Control Protocol' });
    expect(lcp.get('ppp.code')).toMatchObject({ value: '1', label: 'Code: Configuration Request (1)' });
    expect(lcp.get('ppp.identifier').label).toBe('Identifier: 0 (0x00)');
    expect(lcp.get('ppp.length')).toMatchObject({ offset: 52, length: 2, value: '8' });
    expect(lcp.get('_ws.text')).toMatchObject({ label: 'Options: (4 bytes)', offset: 54, length: 4 });

    const ipcp = dissectBytes(pppFrame('ff03 8021 0200 0004'));
    expect([ipcp.protocol, ipcp.info, ipcp.protocols]).toEqual(['PPP IPCP', 'Configuration Ack', 'eth:ethertype:ip:gre:ppp:ipcp']);
    const ccp = dissectBytes(pppFrame('ff03 80fd 0e00 0004'));
    expect([ccp.protocol, ccp.info, ccp.protocols]).toEqual(['PPP CCP', 'Reset Request', 'eth:ethertype:ip:gre:ppp:ccp']);
    const ipv6cp = dissectBytes(pppFrame('ff03 8057 0e00 0004'));
    expect([ipv6cp.protocol, ipv6cp.info]).toEqual(['PPP IPV6CP', 'Unknown']);
    expect(ipv6cp.get('ppp.code').label).toBe('Code: Unknown (14)');
  });

  it('decodes the bodies of LCP echo, identification, time-remaining and rejects', () => {
    const echo = dissectBytes(pppFrame('ff03 c021 0900 000c 01020304 aabbccdd'));
    expect(echo.info).toBe('Echo Request');
    expect(echo.get('lcp.magic_number')).toMatchObject({ offset: 54, value: '0x01020304' });
    expect(echo.value('lcp.data')).toBe('aabbccdd');

    const ident = dissectBytes(pppFrame('ff03 c021 0c00 000b 01020304 414243'));
    expect(ident.value('lcp.message')).toBe('ABC');
    const remaining = dissectBytes(pppFrame('ff03 c021 0d00 000f 01020304 0000003c 414243'));
    expect(remaining.get('lcp.secs_remaining').label).toBe('Seconds Remaining: 60 seconds');

    const term = dissectBytes(pppFrame('ff03 c021 0500 0006 aabb'));
    expect(term.get('ppp.data')).toMatchObject({ value: 'aabb', label: 'Data: aabb' });
    const codeReject = dissectBytes(pppFrame('ff03 c021 0700 0008 00000000'));
    expect(codeReject.get('ppp.data').label).toBe('Rejected Packet (4 bytes): 00000000');
    const protoReject = dissectBytes(pppFrame('ff03 c021 0800 0008 80fd 0000'));
    expect(protoReject.get('lcp.rej_proto').label).toBe('Rejected Protocol: Compression Control Protocol (0x80fd)');
    expect(protoReject.protocols).toBe('eth:ethertype:ip:gre:ppp:lcp:data');
  });

  it('names compressed datagrams', () => {
    const d = dissectBytes(pppFrame('ff03 00fd 0100 0004'));
    expect([d.protocol, d.info, d.protocols]).toEqual(['PPP Comp', 'Compressed data', 'eth:ethertype:ip:gre:ppp:comp_data']);
    expect(d.get('comp_data').label).toBe('PPP Compressed Datagram');
  });

  it('marks a frame that ends after the address as malformed PPP', () => {
    const d = dissectBytes(pppFrame('ff'));
    expect(d.protocol).toBe('PPP');
    expect(d.info).toBe('Encapsulated PPP[Malformed Packet]');
    expect(d.value('ppp.address')).toBe('0xff');
    expect(d.has('ppp.protocol')).toBe(false);
  });
});
