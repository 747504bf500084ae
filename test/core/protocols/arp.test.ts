import { describe, expect, it } from 'vitest';
import { dissectBytes, dissectSequence, hexBytes } from '../../helpers/dissect';

// Expected values are what `tshark -2 -n` (4.0) shows for the same bytes.
const BCAST = 'ffffffffffff';
const A = '001122334455';
const C = '00aabbccddee';
const ZERO = '000000000000';
/** Ethernet header + ARP fixed part for Ethernet/IPv4 with the given ethertype and opcode. */
const arp = (dst: string, src: string, op: string, etype = '0806') => `${dst} ${src} ${etype} 0001 0800 06 04 ${op}`;

describe('arp', () => {
  it('decodes a request with ids, values, offsets and columns', () => {
    const d = dissectBytes(hexBytes(`${arp(BCAST, A, '0001')} ${A} 0a000001 ${ZERO} 0a000002`));
    expect(d.get('arp')).toMatchObject({ offset: 14, length: 28, label: 'Address Resolution Protocol (request)' });
    expect(d.get('arp.hw.type')).toMatchObject({ offset: 14, length: 2, value: '1', label: 'Hardware type: Ethernet (1)' });
    expect(d.get('arp.proto.type')).toMatchObject({ offset: 16, length: 2, value: '0x0800', label: 'Protocol type: IPv4 (0x0800)' });
    expect(d.get('arp.hw.size')).toMatchObject({ offset: 18, length: 1, value: '6' });
    expect(d.get('arp.proto.size')).toMatchObject({ offset: 19, length: 1, value: '4' });
    expect(d.get('arp.opcode')).toMatchObject({ offset: 20, length: 2, value: '1', label: 'Opcode: request (1)' });
    expect(d.get('arp.src.hw_mac')).toMatchObject({ offset: 22, length: 6, value: '00:11:22:33:44:55', label: 'Sender MAC address: 00:11:22:33:44:55' });
    expect(d.get('arp.src.proto_ipv4')).toMatchObject({ offset: 28, length: 4, value: '10.0.0.1', label: 'Sender IP address: 10.0.0.1' });
    expect(d.get('arp.dst.hw_mac')).toMatchObject({ offset: 32, length: 6, value: '00:00:00:00:00:00' });
    expect(d.get('arp.dst.proto_ipv4')).toMatchObject({ offset: 38, length: 4, value: '10.0.0.2', label: 'Target IP address: 10.0.0.2' });
    expect(d.has('arp.isgratuitous')).toBe(false);
    expect(d.protocol).toBe('ARP');
    expect(d.info).toBe('Who has 10.0.0.2? Tell 10.0.0.1');
    expect(d.protocols).toBe('eth:ethertype:arp');
    // ARP sets no network addresses: the columns show the Ethernet ones.
    expect(d.source).toBe('00:11:22:33:44:55');
    expect(d.destination).toBe('ff:ff:ff:ff:ff:ff');
  });

  it('summarises a reply', () => {
    const d = dissectBytes(hexBytes(`${arp(A, C, '0002')} ${C} 0a000002 ${A} 0a000001`));
    expect(d.get('arp').label).toBe('Address Resolution Protocol (reply)');
    expect(d.info).toBe('10.0.0.2 is at 00:aa:bb:cc:dd:ee');
  });

  it('recognises an announcement (RFC 5227), marked gratuitous too', () => {
    const d = dissectBytes(hexBytes(`${arp(BCAST, A, '0001')} ${A} 0a000001 ${ZERO} 0a000001`));
    expect(d.get('arp').label).toBe('Address Resolution Protocol (ARP Announcement)');
    expect(d.get('arp.isgratuitous')).toMatchObject({ value: '1', label: '[Is gratuitous: True]', offset: 14, length: 0, generated: true });
    expect(d.value('arp.isannouncement')).toBe('1');
    expect(d.has('arp.isprobe')).toBe(false);
    expect(d.info).toBe('ARP Announcement for 10.0.0.1');
    // The generated flags come right after the opcode.
    expect(d.get('arp').children?.map((n) => n.field).slice(5, 8)).toEqual(['arp.isgratuitous', 'arp.isannouncement', 'arp.src.hw_mac']);
  });

  it('recognises gratuitous requests and replies to the broadcast address', () => {
    const req = dissectBytes(hexBytes(`${arp(BCAST, A, '0001')} ${A} 0a000001 ${BCAST} 0a000001`));
    expect(req.get('arp').label).toBe('Address Resolution Protocol (request/gratuitous ARP)');
    expect(req.info).toBe('Gratuitous ARP for 10.0.0.1 (Request)');
    expect(req.has('arp.isannouncement')).toBe(false);
    const rep = dissectBytes(hexBytes(`${arp(BCAST, A, '0002')} ${A} 0a000001 ${BCAST} 0a000001`));
    expect(rep.get('arp').label).toBe('Address Resolution Protocol (reply/gratuitous ARP)');
    expect(rep.info).toBe('Gratuitous ARP for 10.0.0.1 (Reply)');
    expect(rep.value('arp.isgratuitous')).toBe('1');
  });

  it('recognises a probe from 0.0.0.0', () => {
    const d = dissectBytes(hexBytes(`${arp(BCAST, A, '0001')} ${A} 00000000 ${ZERO} 0a000009`));
    expect(d.get('arp').label).toBe('Address Resolution Protocol (ARP Probe)');
    expect(d.value('arp.isprobe')).toBe('1');
    expect(d.info).toBe('Who has 10.0.0.9? (ARP Probe)');
    // Not a probe when the target hardware address is filled in.
    const notProbe = dissectBytes(hexBytes(`${arp(BCAST, A, '0001')} ${A} 00000000 ${C} 0a000009`));
    expect(notProbe.info).toBe('Who has 10.0.0.9? Tell 0.0.0.0');
  });

  it('decodes RARP (ethertype 0x8035) with its own column texts', () => {
    const req = dissectBytes(hexBytes(`${arp(BCAST, A, '0003', '8035')} ${A} 00000000 ${A} 00000000`));
    expect(req.protocol).toBe('RARP');
    expect(req.info).toBe('Who is 00:11:22:33:44:55? Tell 00:11:22:33:44:55');
    expect(req.get('arp').label).toBe('Address Resolution Protocol (reverse request)');
    expect(req.protocols).toBe('eth:ethertype:arp');
    const rep = dissectBytes(hexBytes(`${arp(A, C, '0004', '8035')} ${C} 0a000063 ${A} 0a000005`));
    expect(rep.protocol).toBe('RARP');
    expect(rep.info).toBe('00:11:22:33:44:55 is at 10.0.0.5');
  });

  it('names the other opcodes as Wireshark does', () => {
    const info = (op: string) => dissectBytes(hexBytes(`${arp(BCAST, A, op)} ${A} 0a030001 ${C} 0a030002`));
    expect([info('0005').protocol, info('0005').info]).toEqual(['DRARP', 'Who is 00:aa:bb:cc:dd:ee? Tell 00:11:22:33:44:55']);
    expect([info('0006').protocol, info('0006').info]).toEqual(['DRARP', '00:aa:bb:cc:dd:ee is at 10.3.0.2']);
    expect(info('0007').info).toBe('DRARP Error');
    expect(info('0007').get('arp.dst.drarp_error_status')).toMatchObject({ offset: 38, length: 1, value: '10', label: 'DRARP error status: Unknown (10)' });
    expect([info('0008').protocol, info('0008').info]).toEqual(['Inverse ARP', 'Who is 00:aa:bb:cc:dd:ee? Tell 00:11:22:33:44:55']);
    expect(info('0009').info).toBe('00:11:22:33:44:55 is at 10.3.0.1');
    expect(info('000a').info).toBe('ARP NAK');
    expect([info('000b').protocol, info('000b').info]).toEqual(['MARS', 'MARS request from 00:11:22:33:44:55 at 10.3.0.1']);
    expect(info('000f').info).toBe('MARS LEAVE from 00:11:22:33:44:55 at 10.3.0.1');
    expect([info('0017').protocol, info('0017').info]).toEqual(['MAPOS', 'MAPOS UNARP request from 00:11:22:33:44:55 at 10.3.0.1']);
    expect(info('0018').info).toBe('Experimental 1 ( opcode 24 )');
    expect(info('0000').info).toBe('Reserved opcode 0');
    expect(info('0000').get('arp').label).toBe('Address Resolution Protocol (reserved)');
    const unknown = info('0063');
    expect(unknown.protocol).toBe('ARP');
    expect(unknown.info).toBe('Unknown ARP opcode 0x0063');
    expect(unknown.get('arp').label).toBe('Address Resolution Protocol (opcode 0x0063)');
    expect(unknown.get('arp.opcode').label).toBe('Opcode: Unknown (99)');
  });

  it('uses the generic address fields when sizes are not Ethernet/IPv4', () => {
    const v6a = '20010db8000000000000000000000001';
    const v6b = '20010db8000000000000000000000002';
    const d = dissectBytes(hexBytes(`${BCAST} ${A} 0806 0006 86dd 06 10 0001 ${A} ${v6a} ${ZERO} ${v6b}`));
    expect(d.get('arp.hw.type').label).toBe('Hardware type: IEEE 802 (6)');
    expect(d.value('arp.src.hw_mac')).toBe('00:11:22:33:44:55');
    expect(d.get('arp.src.proto')).toMatchObject({ offset: 28, length: 16, value: v6a, label: `Sender protocol address: ${v6a}` });
    expect(d.get('arp.dst.proto')).toMatchObject({ offset: 50, length: 16, value: v6b });
    expect(d.info).toBe(`Who has ${v6b}? Tell ${v6a}`);
    const hw8 = dissectBytes(hexBytes(`${BCAST} ${A} 0806 0001 0800 08 04 0001 ${A}1122 0a030001 ${ZERO}0000 0a030002`));
    expect(hw8.get('arp.src.hw')).toMatchObject({ offset: 22, length: 8, value: '0011223344551122', label: 'Sender hardware address: 0011223344551122' });
    expect(hw8.has('arp.src.hw_mac')).toBe(false);
    expect(hw8.value('arp.src.proto_ipv4')).toBe('10.3.0.1');
    const none = dissectBytes(hexBytes(`${BCAST} ${A} 0806 0001 0800 00 00 0001`));
    expect(none.info).toBe('Who has <No address>? Tell <No address>');
    expect(none.has('arp.src.hw')).toBe(false);
  });

  it('stops a short packet after the opcode and marks it malformed', () => {
    const d = dissectBytes(hexBytes(`${arp(BCAST, A, '0001')} ${A} 0a000001 ${ZERO}`));
    expect(d.get('arp').label).toBe('Address Resolution Protocol');
    expect(d.get('arp').children?.map((n) => n.field)).toEqual(['arp.hw.type', 'arp.proto.type', 'arp.hw.size', 'arp.proto.size', 'arp.opcode']);
    expect(d.has('_ws.malformed')).toBe(true);
    expect(d.protocol).toBe('ARP');
    expect(d.info).toBe('[Malformed Packet]');
  });

  it('tells Ethernet how long it is, so the rest is padding or trailer', () => {
    const trailer = dissectBytes(hexBytes(`${arp(BCAST, A, '0001')} ${A} 0a000001 ${ZERO} 0a000002 aabbccdd`));
    expect(trailer.get('eth.trailer')).toMatchObject({ offset: 42, length: 4, value: 'aabbccdd' });
    const padded = dissectBytes(hexBytes(`${arp(BCAST, A, '0001')} ${A} 0a000001 ${ZERO} 0a000002 ${'00'.repeat(18)}`));
    expect(padded.get('eth.padding')).toMatchObject({ offset: 42, length: 18 });
  });

  describe('duplicate address detection', () => {
    const B = 'b07fb94ef09c';
    const D = 'dcf505750bcd';
    const M = '00e04d3c257b';
    // Two replies from M claiming both .153 and .157, each telling the other host (arp-spoof-duplicate-ip.pcap).
    const claim153 = `${arp(B, M, '0002')} ${M} 0a000099 ${B} 0a00009d`;
    const claim157 = `${arp(D, M, '0002')} ${M} 0a00009d ${D} 0a000099`;

    it('reports both conflicting claims of a spoofed reply, beside the ARP tree', () => {
      const [first, second, third, fourth] = dissectSequence([claim153, claim157, claim153, claim157].map(hexBytes));
      expect(first.info).toBe('10.0.0.153 is at 00:e0:4d:3c:25:7b');
      expect(first.has('arp.duplicate-address-frame')).toBe(false);

      expect(second.info).toBe('10.0.0.157 is at 00:e0:4d:3c:25:7b (duplicate use of 10.0.0.153 detected!)');
      const items = second.tree.filter((n) => n.label.startsWith('[Duplicate IP address detected'));
      expect(items.map((n) => n.label)).toEqual([
        '[Duplicate IP address detected for 10.0.0.157 (00:e0:4d:3c:25:7b) - also in use by b0:7f:b9:4e:f0:9c (frame 1)]',
        '[Duplicate IP address detected for 10.0.0.153 (dc:f5:05:75:0b:cd) - also in use by 00:e0:4d:3c:25:7b (frame 1)]',
      ]);
      expect(second.every('arp.duplicate-address-frame').map((n) => n.value)).toEqual(['1', '1']);
      expect(second.get('arp.duplicate-address-frame')).toMatchObject({ label: '[Frame showing earlier use of IP address: 1]', offset: 14, length: 0 });
      expect(second.value('arp.seconds-since-duplicate-address-frame')).toBe('0');
      expect(second.every('_ws.expert.message').map((n) => n.value)).toEqual(['Duplicate IP address configured (10.0.0.157)', 'Duplicate IP address configured (10.0.0.153)']);
      expect(second.has('arp.duplicate-address-detected')).toBe(true);

      // A conflict does not take the address over: the next claim by the first owner is no conflict.
      expect(third.has('arp.duplicate-address-frame')).toBe(false);
      expect(fourth.value('arp.duplicate-address-frame')).toBe('3');
    });

    it('checks requests by their sender only, and ignores 0.0.0.0 and zero MACs', () => {
      const frames = dissectSequence(
        [
          `${arp(BCAST, A, '0001')} ${A} 0a000001 ${ZERO} 0a000002`, // A owns .1
          `${arp(BCAST, C, '0001')} ${C} 00000000 ${ZERO} 0a000001`, // probe: claims nothing
          `${arp(BCAST, C, '0001')} ${C} 0a000005 ${ZERO} 0a000001`, // C owns .5; target not checked
          `${arp(BCAST, C, '0001')} ${C} 0a000001 ${ZERO} 0a000002`, // C claims .1: conflict
        ].map(hexBytes),
      );
      expect(frames.slice(0, 3).map((f) => f.has('arp.duplicate-address-frame'))).toEqual([false, false, false]);
      expect(frames[3].info).toBe('Who has 10.0.0.2? Tell 10.0.0.1 (duplicate use of 10.0.0.1 detected!)');
      expect(frames[3].value('arp.duplicate-address-frame')).toBe('1');
    });

    it("lets a reply's target check decide whether Info mentions a conflict", () => {
      const E = '0000000000ee';
      const frames = dissectSequence(
        [
          `${arp(C, A, '0002')} ${A} 0a010003 ${C} 0a010009`, // A owns .3, C owns .9
          `${arp(A, D, '0002')} ${D} 0a010003 ${E} 0a010019`, // D claims .3 (conflict); E claims .25 (fine)
          `${arp(BCAST, D, '0002')} ${D} 0a010003 ${BCAST} 0a010029`, // broadcast target: not checked
        ].map(hexBytes),
      );
      expect(frames[1].value('arp.duplicate-address-frame')).toBe('1');
      expect(frames[1].info).toBe('10.1.0.3 is at dc:f5:05:75:0b:cd');
      expect(frames[2].value('arp.duplicate-address-frame')).toBe('1');
      expect(frames[2].info).toBe('10.1.0.3 is at dc:f5:05:75:0b:cd (duplicate use of 10.1.0.3 detected!)');
    });
  });
});
