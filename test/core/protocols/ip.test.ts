import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';

const ETH = 'ffffffffffff 001122334455 0800';

describe('ip', () => {
  it('decodes a UDP-carrying header with ids, values and offsets', () => {
    const d = dissectBytes(hexBytes(`${ETH} 45 b8 001c a912 4000 40 fd 0000 0a000001 c0a80102  0035 0035 0008 0000`));
    expect(d.value('ip.version')).toBe('4');
    expect(d.value('ip.hdr_len')).toBe('20');
    expect(d.value('ip.dsfield')).toBe('0xb8');
    expect(d.value('ip.dsfield.dscp')).toBe('46');
    expect(d.get('ip.dsfield.dscp').label).toBe('1011 10.. = Differentiated Services Codepoint: Expedited Forwarding (46)');
    expect(d.value('ip.len')).toBe('28');
    expect(d.value('ip.id')).toBe('0xa912');
    expect(d.value('ip.flags')).toBe('0x02');
    expect(d.value('ip.flags.df')).toBe('1');
    expect(d.value('ip.ttl')).toBe('64');
    expect(d.value('ip.src')).toBe('10.0.0.1');
    expect(d.get('ip.src')).toMatchObject({ offset: 26, length: 4 });
    expect(d.get('ip.dst')).toMatchObject({ offset: 30, length: 4, value: '192.168.1.2' });
    expect(d.every('ip.addr').map((n) => n.value)).toEqual(['10.0.0.1', '192.168.1.2']);
    expect(d.get('ip').label).toBe('Internet Protocol Version 4, Src: 10.0.0.1, Dst: 192.168.1.2');
    expect(d.source).toBe('10.0.0.1');
    expect(d.info).toBe('Unknown (253)');
  });

  it('reports a header length below 20 the way Wireshark does', () => {
    const d = dissectBytes(hexBytes(`${ETH} 42 00 001c 0001 0000 40 11 0000 0a000001 0a000002 0035003500080000`));
    expect(d.protocol).toBe('IPv4');
    expect(d.info).toBe('Bogus IP header length (8, must be at least 20)');
    expect(d.has('ip.bogus_header_length')).toBe(true);
    expect(d.protocols).toBe('eth:ethertype:ip');
  });

  it('reports a bogus version', () => {
    const d = dissectBytes(hexBytes(`${ETH} 55 00 001c 0001 0000 40 11 0000 0a000001 0a000002 0035003500080000`));
    expect(d.info).toBe('Bogus IPv4 version (5, must be 4)');
    expect(d.value('ip.version')).toBe('5');
  });

  it('labels fragments and does not dissect their payload', () => {
    const d = dissectBytes(hexBytes(`${ETH} 45 00 001c 0001 0005 40 fd 0000 0a000001 0a000002 0035003500080000`));
    expect(d.info).toBe('Fragmented IP protocol (proto=Unknown 253, off=40, ID=0001)');
    expect(d.value('ip.frag_offset')).toBe('5');
    expect(d.protocols).toBe('eth:ethertype:ip:data');
  });

  it('marks a header cut short as malformed and keeps the frame', () => {
    const d = dissectBytes(hexBytes(`${ETH} 45 00 001c 0001 0000 40`));
    expect(d.has('_ws.malformed')).toBe(true);
    expect(d.info.endsWith('[Malformed Packet]')).toBe(true);
  });
});
