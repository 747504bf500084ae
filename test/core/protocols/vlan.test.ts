import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';

// Expected values are what `tshark -n` (4.0) shows for the same bytes.
const ETH_HDR = 'ffffffffffff 001122334455';
const zeros = (n: number) => '00'.repeat(n);
/** IPv4, protocol 253, 8 payload bytes (28 bytes). */
const IP28 = '4500001c 0001 0000 40fd 65e2 0a000001 0a000002 3132333435363738';

describe('vlan', () => {
  it('decodes an 802.1Q tag: TCI fields, type, Info when the payload sets nothing', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 8100 a064 1234 deadbeef ${zeros(24)}`));
    expect(d.get('vlan')).toMatchObject({ offset: 14, length: 4, label: '802.1Q Virtual LAN, PRI: 5, DEI: 0, ID: 100' });
    expect(d.get('vlan.priority')).toMatchObject({ offset: 14, length: 2, value: '5', label: '101. .... .... .... = Priority: Voice, < 10ms latency and jitter (5)' });
    expect(d.get('vlan.dei')).toMatchObject({ value: '0', label: '...0 .... .... .... = DEI: Ineligible' });
    expect(d.get('vlan.id')).toMatchObject({ value: '100', label: '.... 0000 0110 0100 = ID: 100' });
    expect(d.get('vlan.etype')).toMatchObject({ offset: 16, length: 2, value: '0x1234', label: 'Type: Unknown (0x1234)' });
    expect(d.info).toBe('PRI: 5  DEI: 0  ID: 100');
    expect(d.protocol).toBe('0x1234');
    expect(d.protocols).toBe('eth:ethertype:vlan:ethertype:data');
  });

  it('passes the inner ethertype on and shows zero padding and the trailer in the tag', () => {
    // 14 + 4 + 28 = 46 bytes of headers and packet, 14 zero bytes up to 60, then 4 trailer bytes.
    const d = dissectBytes(hexBytes(`${ETH_HDR} 8100 0064 0800 ${IP28} ${zeros(14)} 11223344`));
    expect(d.protocols).toBe('eth:ethertype:vlan:ethertype:ip:data');
    expect(d.get('eth.padding')).toMatchObject({ offset: 46, length: 14 });
    expect(d.get('vlan.trailer')).toMatchObject({ offset: 60, length: 4, value: '11223344' });
    expect(d.get('vlan').children?.map((n) => n.field)).toEqual(['vlan.priority', 'vlan.dei', 'vlan.id', 'vlan.etype', 'eth.padding', 'vlan.trailer']);
    expect(d.has('eth.trailer')).toBe(false);
    expect(d.info).toBe('Unknown (253)');
  });

  it('takes everything after the packet as trailer when the padding is not zeros', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 8100 0064 0800 ${IP28} ${zeros(10)} 112233445566`));
    expect(d.has('eth.padding')).toBe(false);
    expect(d.get('vlan.trailer')).toMatchObject({ offset: 46, length: 16 });
    expect(d.has('eth.padding_bad')).toBe(true);
  });

  it('hands an 802.3 length inside the tag to LLC and keeps the trailer after it', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 8100 0064 0008 aaaa03 000000 1234 ${zeros(24)}`));
    expect(d.get('vlan.len')).toMatchObject({ offset: 16, length: 2, value: '8', label: 'Length: 8' });
    expect(d.protocols).toBe('eth:ethertype:vlan:llc');
    expect(d.get('vlan.trailer')).toMatchObject({ offset: 26, length: 24 });
  });

  it('stacks 802.1ad and 802.1Q tags (QinQ)', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 88a8 00c8 8100 07d1 1234 ${zeros(20)}`));
    expect(d.protocols).toBe('eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:data');
    expect(d.get('ieee8021ad')).toMatchObject({ offset: 14, length: 4, label: 'IEEE 802.1ad, ID: 200' });
    expect(d.get('ieee8021ad.priority')).toMatchObject({ offset: 14, length: 1, value: '0', label: '000. .... .... .... = Priority: 0' });
    expect(d.get('ieee8021ad.dei')).toMatchObject({ length: 1, label: '...0 .... .... .... = DEI: 0' });
    expect(d.get('ieee8021ad.id')).toMatchObject({ length: 2, value: '200' });
    expect(d.get('ieee8021ah.etype')).toMatchObject({ offset: 16, value: '0x8100', label: 'Type: 802.1Q Virtual LAN (0x8100)' });
    expect(d.value('vlan.id')).toBe('2001');
    expect(d.info).toBe('PRI: 0  DEI: 0  ID: 2001');
  });

  it('gives 802.1ad its own Info wording', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 88a8 e00a 1234 ${zeros(24)}`));
    expect(d.info).toBe('PRI: 7  DROP: 0 ID: 10');
    expect(d.protocols).toBe('eth:ethertype:ieee8021ad:ethertype:data');
  });

  it('treats the old QinQ type 0x9100 as a VLAN tag', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 9100 0064 1234 ${zeros(24)}`));
    expect(d.protocols).toBe('eth:ethertype:vlan:ethertype:data');
  });

  it('stops after 20 nested tags', () => {
    const tags = '81000001'.repeat(21);
    const d = dissectBytes(hexBytes(`${ETH_HDR} ${tags} 1234 ${zeros(8)}`));
    expect(d.every('vlan').length).toBe(21);
    expect(d.has('vlan.too_many_tags')).toBe(true);
    expect(d.protocols.endsWith(':vlan')).toBe(true);
    expect(d.info).toBe('PRI: 0  DEI: 0  ID: 1');
  });

  it('bounds nested 802.1ad tags too', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} ${'88a80001'.repeat(40)} 1234 ${zeros(8)}`));
    expect(d.every('ieee8021ad').length).toBe(21);
    expect(d.every('ieee8021ad.id').length).toBe(20);
  });

  it('marks a cut tag as malformed', () => {
    const d = dissectBytes(hexBytes(`${ETH_HDR} 8100 00`));
    expect(d.protocol).toBe('VLAN');
    expect(d.has('vlan')).toBe(false);
    expect(d.has('_ws.malformed')).toBe(true);
  });
});
