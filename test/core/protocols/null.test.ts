import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';
import { LinkType } from '../../../src/core/capture/link-types';

// Expected values are what `tshark -n` (4.0) shows for the same bytes.
/** IPv4, protocol 253, 8 payload bytes (28 bytes). */
const IP28 = '4500001c 0001 0000 40fd 65e2 0a000001 0a000002 3132333435363738';

describe('null', () => {
  it('reads the family in either byte order', () => {
    for (const hdr of ['02000000', '00000002', '00020000']) {
      const d = dissectBytes(hexBytes(`${hdr} ${IP28}`), LinkType.NULL);
      expect(d.get('null')).toMatchObject({ offset: 0, length: 4, label: 'Null/Loopback' });
      expect(d.get('null.family')).toMatchObject({ offset: 0, length: 4, value: '2', label: 'Family: IP (2)' });
      expect(d.protocols).toBe('null:ip:data');
      expect(d.source).toBe('10.0.0.1');
    }
  });

  it('takes a value above 1500 as an ethertype', () => {
    const d = dissectBytes(hexBytes(`00000800 ${IP28}`), LinkType.NULL);
    expect(d.get('null.type')).toMatchObject({ offset: 0, length: 4, value: '0x0800', label: 'Type: IPv4 (0x0800)' });
    expect(d.protocols).toBe('null:ip:data');
    const odd = dissectBytes(hexBytes(`01020304 ${IP28}`), LinkType.NULL);
    expect(odd.value('null.type')).toBe('0x0304');
  });

  it('shows N/A columns for an unknown family', () => {
    const d = dissectBytes(hexBytes(`63000000 ${IP28}`), LinkType.NULL);
    expect(d.get('null.family').label).toBe('Family: Unknown (99)');
    expect(d.protocol).toBe('N/A');
    expect(d.info).toBe('Null/Loopback');
    expect(d.source).toBe('N/A');
    expect(d.destination).toBe('N/A');
    expect(d.protocols).toBe('null:data');
  });

  it('recognises the BSDs\u2019 AF_INET6 values', () => {
    for (const af of ['18000000', '1c000000', '1e000000']) {
      const d = dissectBytes(hexBytes(`${af} ${IP28}`), LinkType.NULL);
      expect(d.get('null.family').label).toMatch(/^Family: IPv6 \(\d+\)$/);
    }
  });

  it('reads LINKTYPE_LOOP in network byte order only', () => {
    const d = dissectBytes(hexBytes(`00000002 ${IP28}`), LinkType.LOOP);
    expect(d.value('null.family')).toBe('2');
    expect(d.protocols).toBe('null:ip:data');
    const swapped = dissectBytes(hexBytes(`02000000 ${IP28}`), LinkType.LOOP);
    expect(swapped.get('null.family').label).toBe('Family: Unknown (33554432)');
    const etype = dissectBytes(hexBytes(`00000800 ${IP28}`), LinkType.LOOP);
    expect(etype.get('null.family').label).toBe('Family: Unknown (2048)');
  });

  it('marks a frame shorter than the header as malformed', () => {
    const d = dissectBytes(hexBytes('020000'), LinkType.NULL);
    expect(d.has('_ws.malformed')).toBe(true);
    expect(d.has('null')).toBe(false);
  });
});
