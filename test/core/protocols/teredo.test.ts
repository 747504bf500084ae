import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';

// Ethernet + IPv4 (UDP, 10.0.0.1 → 10.0.0.2) + UDP 3544 → 40000, then the Teredo payload.
const udp = (payload: string) => {
  const p = hexBytes(payload);
  const ipLen = (20 + 8 + p.length).toString(16).padStart(4, '0');
  const udpLen = (8 + p.length).toString(16).padStart(4, '0');
  return hexBytes(`ffffffffffff 001122334455 0800 4500 ${ipLen} 0001 0000 4011 0000 0a000001 0a000002 0dd8 9c40 ${udpLen} 0000 ${payload}`);
};
// An IPv6 header with "no next header" (59) and no payload, from a Teredo address to a global one.
const IPV6_NONXT = '60000000 0000 3b 15 20010000cb00712180003fbfc6339b37 20010db8486000000000000000000080';

describe('teredo', () => {
  it('decodes the origin indication (complemented port and address) and hands the rest to IPv6', () => {
    const d = dissectBytes(udp(`0000 63bf 39cc9b37 ${IPV6_NONXT}`));
    expect(d.protocols).toBe('eth:ethertype:ip:udp:teredo:ipv6');
    expect(d.value('teredo.orig.port')).toBe(String(0x63bf ^ 0xffff));
    expect(d.value('teredo.orig.addr')).toBe('198.51.100.200');
    expect(d.get('teredo.orig')).toMatchObject({ offset: 42, length: 8 });
    expect(d.value('ipv6.src')).toBe('2001:0:cb00:7121:8000:3fbf:c633:9b37');
    expect(d.info).toBe('IPv6 no next header');
  });

  it('decodes the authentication indicator with its nonce', () => {
    const d = dissectBytes(udp(`0001 00 00 0102030405060708 00 ${IPV6_NONXT}`));
    expect(d.value('teredo.auth.idlen')).toBe('0');
    expect(d.value('teredo.auth.nonce')).toBe('0102030405060708');
    expect(d.value('teredo.auth.conf')).toBe('00');
    expect(d.has('ipv6')).toBe(true);
  });

  it('leaves a payload that is not IPv6 to the data dissector', () => {
    const d = dissectBytes(udp('48656c6c6f'));
    expect(d.protocols).toBe('eth:ethertype:ip:udp:data');
  });
});
