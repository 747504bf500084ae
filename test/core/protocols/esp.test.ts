import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';

const ETH6 = '333300000001 001122334455 86dd';
const ETH4 = '333300000001 001122334455 0800';
const S = '20010db8000000000000000000000001';
const D = '20010db8000000000000000000000002';
const CIPHERTEXT = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe('esp', () => {
  it('shows SPI and sequence number and keeps the encrypted rest inside its item', () => {
    const d = dissectBytes(hexBytes(`${ETH6} 60000000 0028 32 40 ${S} ${D} 00001234 00000001 ${CIPHERTEXT}`));
    expect(d.protocols).toBe('eth:ethertype:ipv6:esp');
    expect(d.protocol).toBe('ESP');
    expect(d.info).toBe('ESP (SPI=0x00001234)');
    expect(d.get('esp')).toMatchObject({ offset: 54, length: 40, label: 'Encapsulating Security Payload' });
    expect(d.get('esp.spi')).toMatchObject({ value: '0x00001234', offset: 54, length: 4, label: 'ESP SPI: 0x00001234 (4660)' });
    expect(d.get('esp.sequence')).toMatchObject({ value: '1', offset: 58, length: 4, label: 'ESP Sequence: 1' });
    expect(d.has('data')).toBe(false);
    expect(d.pinfo.ipProto).toBe(50);
  });

  it('works after IPv4 and marks a header cut short as malformed', () => {
    const ok = dissectBytes(hexBytes(`${ETH4} 45 00 0030 0001 0000 40 32 0000 0a000001 0a000002 deadbeef 00000007 ${CIPHERTEXT.slice(0, 40)}`));
    expect(ok.protocols).toBe('eth:ethertype:ip:esp');
    expect(ok.info).toBe('ESP (SPI=0xdeadbeef)');
    const short = dissectBytes(hexBytes(`${ETH4} 45 00 0018 0001 0000 40 32 0000 0a000001 0a000002 00001234`));
    expect(short.protocol).toBe('ESP');
    expect(short.info).toBe('[Malformed Packet]');
    expect(short.value('esp.spi')).toBe('0x00001234');
  });
});
