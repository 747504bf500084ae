import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';

// Expected values are what `tshark -2 -n` (4.0) shows for the same bytes.
const DST = '000000000002';
const SRC = '000000000001';
/** IPv4, protocol 253, 8 payload bytes: 28 bytes, so an Ethernet II frame carrying it is 42 bytes long. */
const IP28 = '4500001c 0001 0000 40fd 65e2 0a000001 0a000002 3132333435363738';
const zeros = (n: number) => '00'.repeat(n);

describe('eth', () => {
  it('decodes an Ethernet II header with ids, values, offsets and columns', () => {
    const d = dissectBytes(hexBytes(`${DST} ${SRC} 1234 ${zeros(46)}`));
    expect(d.get('eth').label).toBe('Ethernet II, Src: 00:00:00:00:00:01, Dst: 00:00:00:00:00:02');
    expect(d.get('eth')).toMatchObject({ offset: 0, length: 14 });
    expect(d.get('eth.dst')).toMatchObject({ offset: 0, length: 6, value: '00:00:00:00:00:02', label: 'Destination: 00:00:00:00:00:02' });
    expect(d.get('eth.src')).toMatchObject({ offset: 6, length: 6, value: '00:00:00:00:00:01' });
    expect(d.every('eth.addr').map((n) => n.value)).toEqual(['00:00:00:00:00:02', '00:00:00:00:00:01']);
    expect(d.get('eth.dst.ig')).toMatchObject({ offset: 0, length: 3, value: '0', label: '.... ...0 .... .... .... .... = IG bit: Individual address (unicast)' });
    expect(d.get('eth.src.lg').label).toBe('.... ..0. .... .... .... .... = LG bit: Globally unique address (factory default)');
    expect(d.get('eth.type')).toMatchObject({ offset: 12, length: 2, value: '0x1234', label: 'Type: Unknown (0x1234)' });
    // No dissector for the ethertype: its number is the protocol, and Info keeps Ethernet's summary.
    expect(d.protocol).toBe('0x1234');
    expect(d.info).toBe('Ethernet II');
    expect(d.protocols).toBe('eth:ethertype:data');
    expect(d.source).toBe('00:00:00:00:00:01');
    expect(d.destination).toBe('00:00:00:00:00:02');
    expect(d.has('eth.padding')).toBe(false);
  });

  it('labels the group bit of a broadcast destination', () => {
    const d = dissectBytes(hexBytes(`ffffffffffff ${SRC} 0800 ${IP28} ${zeros(18)}`));
    expect(d.value('eth.dst.ig')).toBe('1');
    expect(d.value('eth.dst.lg')).toBe('1');
    expect(d.get('eth.dst.ig').label).toBe('.... ...1 .... .... .... .... = IG bit: Group address (multicast/broadcast)');
  });

  it('shows zero bytes up to the 60-byte minimum as padding', () => {
    const d = dissectBytes(hexBytes(`${DST} ${SRC} 0800 ${IP28} ${zeros(18)}`));
    expect(d.get('eth.padding')).toMatchObject({ offset: 42, length: 18, value: zeros(18) });
    expect(d.has('eth.trailer')).toBe(false);
    expect(d.has('eth.fcs')).toBe(false);
    // Padding belongs to the Ethernet tree, after the type.
    expect(d.get('eth').children?.map((n) => n.field)).toEqual(['eth.dst', 'eth.src', 'eth.type', 'eth.padding']);
    expect(d.info).toBe('Unknown (253)');
    expect(d.protocol).toBe('IPv4');
  });

  it('takes the last 4 bytes of a frame of 64 bytes or more as the FCS', () => {
    const d = dissectBytes(hexBytes(`${DST} ${SRC} 0800 ${IP28} ${zeros(18)} deadbeef`));
    expect(d.value('eth.padding')).toBe(zeros(18));
    expect(d.get('eth.fcs')).toMatchObject({ offset: 60, length: 4, value: '0xdeadbeef', label: 'Frame check sequence: 0xdeadbeef [unverified]' });
    expect(d.get('eth.fcs.status')).toMatchObject({ value: '2', label: '[FCS Status: Unverified]', generated: true });
    expect(d.has('eth.trailer')).toBe(false);
  });

  it('splits padding, trailer and FCS', () => {
    const d = dissectBytes(hexBytes(`${DST} ${SRC} 0800 ${IP28} ${zeros(18)} 010203040506 deadbeef`));
    expect(d.get('eth.padding')).toMatchObject({ offset: 42, length: 18 });
    expect(d.get('eth.trailer')).toMatchObject({ offset: 60, length: 6, value: '010203040506' });
    expect(d.get('eth.fcs')).toMatchObject({ offset: 66, length: 4, value: '0xdeadbeef' });
  });

  it('keeps a trailer too short for an FCS, and no FCS below 64 bytes', () => {
    const short = dissectBytes(hexBytes(`${DST} ${SRC} 0800 ${IP28} ${zeros(18)} aabbcc`));
    expect(short.value('eth.trailer')).toBe('aabbcc');
    expect(short.has('eth.fcs')).toBe(false);
    const oneByte = dissectBytes(hexBytes(`${DST} ${SRC} 0800 ${IP28} ${zeros(18)} aabbccddee`));
    expect(oneByte.value('eth.trailer')).toBe('aa');
    expect(oneByte.value('eth.fcs')).toBe('0xbbccddee');
  });

  it('calls non-zero padding a trailer, with a note', () => {
    const d = dissectBytes(hexBytes(`${DST} ${SRC} 0800 ${IP28} ${zeros(10)} ${'01'.repeat(8)}`));
    expect(d.has('eth.padding')).toBe(false);
    const trailer = d.get('eth.trailer');
    expect(trailer).toMatchObject({ offset: 42, length: 18, value: zeros(10) + '01'.repeat(8) });
    const expert = trailer.children?.[0];
    expect(expert?.field).toBe('_ws.expert');
    expect(expert?.label).toContain("Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.");
    expect(d.has('eth.padding_bad')).toBe(true);
  });

  it('does not look for padding in a frame shorter than 60 bytes', () => {
    const d = dissectBytes(hexBytes(`${DST} ${SRC} 0800 ${IP28} ${zeros(10)}`));
    expect(d.has('eth.padding')).toBe(false);
    expect(d.get('eth.trailer')).toMatchObject({ offset: 42, length: 10, value: zeros(10) });
    expect(d.has('eth.padding_bad')).toBe(false);
  });

  it('decodes an IEEE 802.3 length field and pads after the length it gives', () => {
    // Length 3: an LLC header (DSAP, SSAP, control) and nothing else, padded to 60 bytes.
    const d = dissectBytes(hexBytes(`0180c2000000 ${SRC} 0003 424203 ${zeros(43)}`));
    expect(d.get('eth').label).toBe('IEEE 802.3 Ethernet ');
    expect(d.get('eth.len')).toMatchObject({ offset: 12, length: 2, value: '3', label: 'Length: 3' });
    expect(d.has('eth.type')).toBe(false);
    expect(d.get('eth.padding')).toMatchObject({ offset: 17, length: 43 });
    expect(d.protocols.startsWith('eth:')).toBe(true);
  });

  it('flags an 802.3 length that runs past the frame, under the length', () => {
    const d = dissectBytes(hexBytes(`0180c2000000 ${SRC} 0040 424203 ${zeros(10)}`));
    const len = d.get('eth.len');
    expect(len.value).toBe('64');
    expect(len.children?.[0].label).toContain('Expert Info (Error/Malformed): Length field value goes past the end of the payload');
    expect(d.has('eth.len.past_end')).toBe(true);
  });

  it('warns about a group source address inside the source item', () => {
    const d = dissectBytes(hexBytes(`${DST} 010000000001 0800 ${IP28}`));
    const src = d.get('eth.src');
    expect(src.children?.map((n) => n.field)).toEqual(['_ws.expert', 'eth.addr', 'eth.src.lg', 'eth.lg', 'eth.src.ig', 'eth.ig']);
    expect(src.children?.[0].label).toContain('Expert Info (Warning/Protocol): Source MAC must not be a group address: IEEE 802.3-2002, Section 3.2.3(b)');
    expect(d.has('eth.src_not_group')).toBe(true);
    expect(d.value('eth.src.ig')).toBe('1');
  });

  it('reports a length/type that is neither', () => {
    const d = dissectBytes(hexBytes(`${DST} ${SRC} 05ff ${zeros(46)}`));
    expect(d.get('eth').label).toBe('Ethernet Unknown, Src: 00:00:00:00:00:01, Dst: 00:00:00:00:00:02');
    expect(d.get('eth.invalid_lentype')).toMatchObject({ value: '0x05ff', label: 'Invalid length/type: 0x05ff (1535)' });
    expect(d.has('eth.invalid_lentype.expert')).toBe(true);
    expect(d.protocol).toBe('Ethernet');
    expect(d.info).toBe('Ethernet Unknown: Invalid length/type: 0x05ff (1535)');
    expect(d.protocols).toBe('eth:data');
  });

  it('marks a frame shorter than the 14-byte header as malformed Ethernet', () => {
    const d = dissectBytes(hexBytes('ffffffffffff 00000000'));
    expect(d.has('eth')).toBe(false);
    expect(d.get('_ws.malformed').label).toBe('[Malformed Packet: Ethernet]');
    expect(d.protocol).toBe('Ethernet');
    expect(d.info).toBe('[Malformed Packet]');
    expect(d.protocols).toBe('eth');
    // The destination address is there, so its column is filled.
    expect(d.destination).toBe('ff:ff:ff:ff:ff:ff');
    expect(d.source).toBe('');
  });

  it('marks a header cut by the snapshot length as truncated, not malformed', () => {
    const d = dissectBytes(hexBytes('ffffffffffff 00000000'), undefined, { origLen: 60 });
    expect(d.has('_ws.short')).toBe(true);
    expect(d.has('_ws.malformed')).toBe(false);
    expect(d.get('_ws.short').label).toBe('[Packet size limited during capture: Ethernet truncated]');
  });
});
