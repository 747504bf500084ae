import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';

const ETH6 = '333300000001 001122334455 86dd';
const ETH4 = '333300000001 001122334455 0800';
const S = '20010db8000000000000000000000001';
const D = '20010db8000000000000000000000002';
/** AH (RFC 4302 §2): next header, payload length 4 (24 bytes), reserved, SPI 0x1234, sequence 1, 12-byte ICV. */
const ah = (nxt: string) => `${nxt} 04 0000 00001234 00000001 000000000000000000000000`;

describe('ah', () => {
  it('is one link of the IPv6 header chain, drawn inside IPv6', () => {
    // AH, then an ICMPv6 echo request whose checksum is for 2001:db8::1 → ::2.
    const payload = `${ah('3a')} 80 00 5f7b 0001 0001 61626364`;
    const d = dissectBytes(hexBytes(`${ETH6} 60000000 0024 33 40 ${S} ${D} ${payload}`));
    expect(d.protocols).toBe('eth:ethertype:ipv6:ah:icmpv6:data');
    expect(d.get('ah')).toMatchObject({ offset: 54, length: 24, label: 'Authentication Header' });
    expect(d.get('ah.next_header').label).toBe('Next header: ICMPv6 (58)');
    expect(d.get('ah.length')).toMatchObject({ value: '4', label: 'Length: 4 (24 bytes)' });
    expect(d.value('ah.reserved')).toBe('0000');
    expect(d.get('ah.spi')).toMatchObject({ value: '0x00001234', offset: 58, length: 4, label: 'AH SPI: 0x00001234' });
    expect(d.get('ah.sequence')).toMatchObject({ value: '1', label: 'AH Sequence: 1' });
    expect(d.get('ah.icv')).toMatchObject({ offset: 66, length: 12, value: '000000000000000000000000' });
    // IPv6's item spans its header and the AH it walked through.
    expect(d.get('ipv6').length).toBe(64);
    expect(d.info).toBe('Echo (ping) request id=0x0001, seq=1, hop limit=64 (no response found!)');
    expect(d.value('icmpv6.checksum.status')).toBe('1');
  });

  it('keeps its Protocol column when IPv6 has no next header after it', () => {
    const d = dissectBytes(hexBytes(`${ETH6} 60000000 0018 33 40 ${S} ${D} ${ah('3b')}`));
    expect(d.protocol).toBe('AH');
    expect(d.info).toBe('IPv6 no next header');
    expect(d.protocols).toBe('eth:ethertype:ipv6:ah');
  });

  it('after IPv4, hands the payload on itself', () => {
    const payload = `${ah('fd')} 61626364`;
    const d = dissectBytes(hexBytes(`${ETH4} 45 00 0030 0001 0000 40 33 0000 0a000001 0a000002 ${payload}`));
    expect(d.protocols).toBe('eth:ethertype:ip:ah:data');
    expect(d.protocol).toBe('AH');
    expect(d.info).toBe('AH (SPI=0x00001234)');
    expect(d.value('data.len')).toBe('4');
  });

  it('shows a missing ICV when the header is too short for one', () => {
    const d = dissectBytes(hexBytes(`${ETH4} 45 00 0020 0001 0000 40 33 0000 0a000001 0a000002 fd 00 0000 00001234 00000001`));
    expect(d.get('ah.length').label).toBe('Length: 0 (8 bytes)');
    expect(d.get('ah.icv').label).toBe('AH ICV: <MISSING>');
  });
});
