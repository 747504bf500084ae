import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';
import { LinkType } from '../../../src/core/capture/link-types';

// Expected values are what `tshark -n` (4.0) shows for the same bytes.
const zeros = (n: number) => '00'.repeat(n);
/** IPv4, protocol 253, 8 payload bytes (28 bytes). */
const IP28 = '4500001c 0001 0000 40fd 65e2 0a000001 0a000002 3132333435363738';

describe('sll', () => {
  it('decodes a v1 header with an Ethernet address, and pads like Ethernet', () => {
    // 16 + 28 = 44 bytes, zero padding to 60, then a 2-byte trailer.
    const d = dissectBytes(hexBytes(`0004 0001 0006 001122334455 0000 0800 ${IP28} ${zeros(16)} abcd`), LinkType.LINUX_SLL);
    expect(d.get('sll')).toMatchObject({ offset: 0, length: 16, label: 'Linux cooked capture v1' });
    expect(d.get('sll.pkttype')).toMatchObject({ offset: 0, length: 2, value: '4', label: 'Packet type: Sent by us (4)' });
    expect(d.get('sll.hatype')).toMatchObject({ offset: 2, length: 2, value: '1', label: 'Link-layer address type: Ethernet (1)' });
    expect(d.get('sll.halen')).toMatchObject({ offset: 4, length: 2, value: '6' });
    expect(d.get('sll.src.eth')).toMatchObject({ offset: 6, length: 6, value: '00:11:22:33:44:55' });
    expect(d.get('sll.unused')).toMatchObject({ offset: 12, length: 2, value: '0000' });
    expect(d.get('sll.etype')).toMatchObject({ offset: 14, length: 2, value: '0x0800', label: 'Protocol: IPv4 (0x0800)' });
    expect(d.get('eth.padding')).toMatchObject({ offset: 44, length: 16 });
    expect(d.get('sll.trailer')).toMatchObject({ offset: 60, length: 2, value: 'abcd' });
    expect(d.protocols).toBe('sll:ethertype:ip:data');
    expect(d.source).toBe('10.0.0.1');
  });

  it('puts the packet type in Info and the link-layer address in the Source column', () => {
    const d = dissectBytes(hexBytes(`0000 0001 0006 001122334455 0000 1234 ${zeros(8)}`), LinkType.LINUX_SLL);
    expect(d.info).toBe('Unicast to us');
    expect(d.protocol).toBe('0x1234');
    expect(d.source).toBe('00:11:22:33:44:55');
    expect(d.destination).toBe('');
  });

  it('shows 4-byte addresses as IPv4 and others as bytes', () => {
    const v4 = dissectBytes(hexBytes(`0000 0001 0004 0a000001 00000000 1234 ${zeros(8)}`), LinkType.LINUX_SLL);
    expect(v4.get('sll.src.ipv4')).toMatchObject({ offset: 6, length: 4, value: '10.0.0.1' });
    expect(v4.get('sll.unused')).toMatchObject({ offset: 10, length: 4 });
    expect(v4.source).toBe('10.0.0.1');
    const other = dissectBytes(hexBytes(`0000 0001 000a 0011223344556677 1234 ${zeros(8)}`), LinkType.LINUX_SLL);
    expect(other.get('sll.src.other')).toMatchObject({ offset: 6, length: 8, value: '0011223344556677' });
    expect(other.has('sll.unused')).toBe(false);
    expect(other.source).toBe('');
  });

  it('dispatches Linux protocol codes through the sll.ltype table (0x0004: LLC)', () => {
    const d = dissectBytes(hexBytes(`0000 0321 0006 001122334455 0000 0004 aaaa03 000000 1234 ${zeros(4)}`), LinkType.LINUX_SLL);
    expect(d.get('sll.ltype')).toMatchObject({ value: '0x0004', label: 'Protocol: 802.2 LLC (0x0004)' });
    expect(d.get('sll.hatype').label).toBe('Link-layer address type: IEEE 802.11 (801)');
    expect(d.protocols).toBe('sll:llc:data');
    const unknown = dissectBytes(hexBytes(`0000 0001 0006 001122334455 0000 0005 ${zeros(8)}`), LinkType.LINUX_SLL);
    expect(unknown.get('sll.ltype').label).toBe('Protocol: Unknown (0x0005)');
    expect(unknown.protocols).toBe('sll:data');
    expect(unknown.protocol).toBe('SLL');
  });

  it('decodes a v2 header', () => {
    const d = dissectBytes(hexBytes(`0800 0000 00000002 0304 00 06 000000000000 0000 ${IP28}`), LinkType.LINUX_SLL2);
    expect(d.get('sll')).toMatchObject({ offset: 0, length: 20, label: 'Linux cooked capture v2' });
    expect(d.get('sll.etype')).toMatchObject({ offset: 0, length: 2, value: '0x0800' });
    expect(d.get('sll.ifindex')).toMatchObject({ offset: 4, length: 4, value: '2' });
    expect(d.get('sll.hatype')).toMatchObject({ offset: 8, length: 2, label: 'Link-layer address type: Loopback (772)' });
    expect(d.get('sll.pkttype')).toMatchObject({ offset: 10, length: 1, value: '0' });
    expect(d.get('sll.halen')).toMatchObject({ offset: 11, length: 1, value: '6' });
    expect(d.get('sll.src.eth')).toMatchObject({ offset: 12, length: 6 });
    expect(d.get('sll.unused')).toMatchObject({ offset: 18, length: 2 });
    expect(d.get('sll').children?.map((n) => n.field)).toEqual(['sll.etype', 'sll.ifindex', 'sll.hatype', 'sll.pkttype', 'sll.halen', 'sll.src.eth', 'sll.unused']);
    expect(d.protocols).toBe('sll:ethertype:ip:data');
  });

  it('names a v2 packet type in Info from type and address length together, as Wireshark 4.0 does', () => {
    const d = dissectBytes(hexBytes(`1234 0000 00000002 0001 04 06 001122334455 0000 ${zeros(8)}`), LinkType.LINUX_SLL2);
    expect(d.get('sll.pkttype').label).toBe('Packet type: Sent by us (4)');
    expect(d.info).toBe('Unknown (1030)');
  });
});
