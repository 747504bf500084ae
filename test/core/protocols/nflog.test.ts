import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';
import { LinkType } from '../../../src/core/capture/link-types';

// Expected values are what `tshark -n` (4.0) shows for the same bytes.
/** IPv4, protocol 253, 8 payload bytes (28 bytes). */
const IP28 = '4500001c 0001 0000 40fd 65e2 0a000001 0a000002 3132333435363738';

describe('nflog', () => {
  it('decodes the header, the attributes and the payload', () => {
    const d = dissectBytes(
      hexBytes(
        `02 00 002a` +
          ' 0800 0100 0800 0300' + // packet header: hw protocol 0x0800, hook 3
          ' 0900 0a00 6162630000 000000' + // prefix "abc", padded to 12
          ' 0800 0500 00000002' + // out interface 2
          ' 0800 0b00 000003e8' + // uid 1000
          ' 1400 0300 0000000012345678 000000000001e240' + // timestamp
          ' 0800 0200 12345678' + // mark: no field of its own
          ` 2000 0900 ${IP28}`,
      ),
      LinkType.NFLOG,
    );
    expect(d.get('nflog.family')).toMatchObject({ offset: 0, length: 1, value: '2', label: 'Family: IPv4 (2)' });
    expect(d.get('nflog.version')).toMatchObject({ offset: 1, value: '0' });
    expect(d.get('nflog.res_id')).toMatchObject({ offset: 2, length: 2, value: '42' });
    const tlvs = d.every('nflog.tlv');
    expect(tlvs.map((n) => [n.offset, n.length])).toEqual([[4, 8], [12, 9], [24, 8], [32, 8], [40, 20], [60, 8], [68, 32]]);
    expect(tlvs[0].label).toBe('TLV Type: NFULA_PACKET_HDR (1), Length: 8');
    expect(d.get('nflog.tlv_type')).toMatchObject({ offset: 6, length: 2, value: '1', label: '.000 0000 0000 0001 = Type: NFULA_PACKET_HDR (1)' });
    expect(d.get('nflog.protocol')).toMatchObject({ offset: 8, length: 2, value: '0x0800', label: 'HW protocol: IPv4 (0x0800)' });
    expect(d.get('nflog.hook').label).toBe('Netfilter hook: Local out (3)');
    expect(d.get('nflog.prefix')).toMatchObject({ offset: 16, length: 5, value: 'abc' });
    expect(d.value('nflog.ifindex_outdev')).toBe('2');
    expect(d.value('nflog.uid')).toBe('1000');
    expect(d.get('nflog.timestamp').label).toBe('Timestamp: Sep  5, 1979 22:51:36.123456000 UTC');
    expect(d.get('nflog.tlv_value')).toMatchObject({ offset: 64, length: 4, value: '12345678' });
    expect(d.protocol).toBe('IPv4');
    expect(d.protocols).toBe('nflog:ip:data');
    expect(d.get('ip')).toMatchObject({ offset: 72 });
  });

  it('shows the payload as data for other families, with NFLOG columns', () => {
    const d = dissectBytes(hexBytes(`00 00 002a 2000 0900 ${IP28}`), LinkType.NFLOG);
    expect(d.protocol).toBe('NFLOG');
    expect(d.info).toBe('');
    expect(d.protocols).toBe('nflog:data');
  });

  it('stops at an attribute shorter than its header and rejects one past the end', () => {
    const short = dissectBytes(hexBytes('02 00 002a 0300 0b00 00000000'), LinkType.NFLOG);
    expect(short.has('nflog.tlv')).toBe(false);
    expect(short.has('_ws.malformed')).toBe(false);
    const long = dissectBytes(hexBytes(`02 00 002a 2400 0900 ${IP28}`), LinkType.NFLOG);
    expect(long.has('_ws.malformed')).toBe(true);
    expect(long.protocols).toBe('nflog');
  });
});
