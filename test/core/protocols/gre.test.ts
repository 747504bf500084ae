import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';

const ETH = '001122334455 66778899aabb 0800';
/** An inner IPv4/UDP datagram 10.0.0.1:1234 → 10.0.0.2:5555 with no payload. */
const INNER = '4500001c 00010000 40110000 0a000001 0a000002 04d2 15b3 0008 0000';

/** Ethernet + IPv4 (protocol 47) around a GRE packet given as hex. */
function greFrame(greHex: string): Uint8Array {
  const gre = hexBytes(greHex);
  const total = (20 + gre.length).toString(16).padStart(4, '0');
  const head = hexBytes(`${ETH} 45 00 ${total} 0001 0000 40 2f 0000 0a010101 0a010102`);
  const out = new Uint8Array(head.length + gre.length);
  out.set(head);
  out.set(gre, head.length);
  return out;
}

// Frame 16 of pptp-gre-bigendian.pcap: enhanced GRE (PPTP) carrying an LCP Configure-Request.
const PPTP_LCP = `0800209f6b72 000000000000 0800 4500 0050 03bc 0000 802f 20ad 0a01010b 0a01010a
  3001 880b 0030 0000 00000000 ff03 c021 0100002c 0506021952cf 0702 0802 0d0306 11040 64e 1317 0129f76a9077f1472c835247f271d656070000000c`;

describe('gre', () => {
  it('decodes enhanced GRE (PPTP) with its key halves and hands PPP on', () => {
    const d = dissectBytes(hexBytes(PPTP_LCP));
    expect(d.protocols).toBe('eth:ethertype:ip:gre:ppp:lcp');
    expect(d.protocol).toBe('PPP LCP');
    expect(d.info).toBe('Configuration Request');
    expect(d.get('gre')).toMatchObject({ offset: 34, length: 12, label: 'Generic Routing Encapsulation (PPP)' });
    expect(d.get('gre.flags_and_version')).toMatchObject({ offset: 34, length: 2, value: '0x3001', label: 'Flags and Version: 0x3001' });
    expect(d.get('gre.flags.checksum').label).toBe('0... .... .... .... = Checksum Bit: No');
    expect(d.get('gre.flags.key')).toMatchObject({ value: '1', label: '..1. .... .... .... = Key Bit: Yes' });
    expect(d.get('gre.flags.sequence_number').value).toBe('1');
    expect(d.get('gre.flags.recursion_control').label).toBe('.... .000 .... .... = Recursion control: 0');
    expect(d.get('gre.flags.ack').label).toBe('.... .... 0... .... = Acknowledgment: No');
    expect(d.get('gre.flags.reserved').label).toBe('.... .... .000 0... = Flags (Reserved): 0');
    expect(d.get('gre.flags.version').label).toBe('.... .... .... .001 = Version: Enhanced GRE (1)');
    expect(d.get('gre.proto')).toMatchObject({ offset: 36, value: '0x880b', label: 'Protocol Type: PPP (0x880b)' });
    expect(d.get('gre.key.payload_length')).toMatchObject({ offset: 38, length: 2, value: '48' });
    expect(d.get('gre.key.call_id')).toMatchObject({ offset: 40, length: 2, value: '0' });
    expect(d.has('gre.key')).toBe(false);
    expect(d.get('gre.sequence_number')).toMatchObject({ offset: 42, length: 4, value: '0' });
    expect(d.value('ppp.protocol')).toBe('0xc021');
  });

  it('verifies the RFC 2784 checksum and shows key and sequence number of version 0', () => {
    const good = dissectBytes(greFrame(`b000 0800 940f 0000 0000002a 00000007 ${INNER}`));
    expect(good.get('gre.checksum')).toMatchObject({ value: '0x940f', label: 'Checksum: 0x940f [correct]' });
    expect(good.value('gre.checksum.status')).toBe('1');
    expect(good.value('gre.offset')).toBe('0');
    expect(good.get('gre.key')).toMatchObject({ value: '0x0000002a', label: 'Key: 0x0000002a' });
    expect(good.value('gre.sequence_number')).toBe('7');
    expect(good.get('gre.flags.reserved').label).toBe('.... .... 0000 0... = Flags (Reserved): 0');
    expect(good.has('gre.flags.ack')).toBe(false);
    expect(good.protocols).toBe('eth:ethertype:ip:gre:ip:udp');
    expect(good.get('gre').label).toBe('Generic Routing Encapsulation (IP)');

    const bad = dissectBytes(greFrame(`b000 0800 1234 0000 0000002a 00000007 ${INNER}`));
    expect(bad.get('gre.checksum').label).toBe('Checksum: 0x1234 incorrect, should be 0x940f');
    expect(bad.value('gre.checksum.status')).toBe('0');
    expect(bad.value('_ws.expert.message')).toBe('Incorrect GRE Checksum [should be 0x940f]');
    expect(bad.has('gre.checksum.incorrect')).toBe(true);
  });

  it('leaves the checksum field unverified when only the routing bit brings it in', () => {
    const d = dissectBytes(greFrame(`4000 0800 0000 0000 0001 00 04 0a000001 0000 0000 ${INNER}`));
    expect(d.get('gre.checksum').label).toBe('Checksum: 0x0000 [unverified]');
    expect(d.every('gre.routing')).toHaveLength(2);
    expect(d.value('gre.routing.information')).toBe('0a000001');
    expect(d.get('gre').length).toBe(20);
    expect(d.protocols).toBe('eth:ethertype:ip:gre:ip:udp');
  });

  it('shows the acknowledgment number of version 1', () => {
    const d = dissectBytes(greFrame('3081 880b 0004 0011 00000009 00000008 ff03 c021 01000004'));
    expect(d.get('gre.flags.ack').label).toBe('.... .... 1... .... = Acknowledgment: Yes');
    expect(d.value('gre.key.call_id')).toBe('17');
    expect(d.get('gre.ack_number')).toMatchObject({ offset: 46, length: 4, value: '8' });
  });

  it('puts an unknown payload type inside the GRE item as data', () => {
    const d = dissectBytes(greFrame('0000 1234 aabbcc'));
    expect(d.protocol).toBe('GRE');
    expect(d.info).toBe('Encapsulated 0x1234 (unknown)');
    expect(d.get('gre').label).toBe('Generic Routing Encapsulation (0x1234 - unknown)');
    expect(d.get('gre.proto').label).toBe('Protocol Type: Unknown (0x1234)');
    expect(d.get('gre').children?.some((n) => n.field === 'data')).toBe(true);
    expect(d.protocols).toBe('eth:ethertype:ip:gre:data');

    const keepalive = dissectBytes(greFrame('0000 0000'));
    expect(keepalive.info).toBe('Encapsulated Possible GRE keepalive packet');
    expect(keepalive.protocols).toBe('eth:ethertype:ip:gre');
  });

  it('keeps "Encapsulated PPP" in Info when the PPP inside is cut short', () => {
    const d = dissectBytes(greFrame('1001 880b 00000009'));
    expect(d.info).toBe('Encapsulated PPP[Malformed Packet]');
    expect(d.protocol).toBe('GRE');
    expect(d.protocols).toBe('eth:ethertype:ip:gre:ppp');
  });
});
