import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';
import { LinkType } from '../../../src/core/capture/link-types';

// Expected values are what `tshark -n` (4.0) shows for the same bytes.
/** IPv4, protocol 253, 8 payload bytes (28 bytes). */
const IP28 = '4500001c 0001 0000 40fd 65e2 0a000001 0a000002 3132333435363738';

describe('raw', () => {
  it('adds the "Raw packet data" item and hands IPv4 on by its version nibble', () => {
    const d = dissectBytes(hexBytes(IP28), LinkType.RAW);
    expect(d.get('raw')).toMatchObject({ offset: 0, length: 28, label: 'Raw packet data' });
    expect(d.protocols).toBe('raw:ip:data');
    expect(d.source).toBe('10.0.0.1');
    expect(d.destination).toBe('10.0.0.2');
  });

  it('leaves N/A columns and data for other versions', () => {
    const d = dissectBytes(hexBytes('1234567812345678123456781234567812345678'), LinkType.RAW);
    expect(d.protocol).toBe('N/A');
    expect(d.info).toBe('Raw packet data');
    expect(d.source).toBe('N/A');
    expect(d.protocols).toBe('raw:data');
  });

  it('needs 8 bytes before it looks at the version', () => {
    const d = dissectBytes(hexBytes('45000014000100'), LinkType.RAW);
    expect(d.has('_ws.malformed')).toBe(true);
    expect(d.protocols).toBe('raw');
    expect(d.info).toBe('Raw packet data[Malformed Packet]');
  });

  it('leaves LINKTYPE_IPV4 to the IPv4 dissector, with no raw item', () => {
    const d = dissectBytes(hexBytes(IP28), LinkType.IPV4);
    expect(d.has('raw')).toBe(false);
    expect(d.protocols).toBe('ip:data');
  });
});
