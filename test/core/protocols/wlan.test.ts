import { describe, expect, it } from 'vitest';
import { dissectBytes, hexBytes } from '../../helpers/dissect';
import { LinkType } from '../../../src/core/capture/link-types';

// Expected values are what `tshark -n` (4.0) shows for the same bytes.
const A1 = '000102030405';
const A2 = '101112131415';
const A3 = '202122232425';
const A4 = '303132333435';
/** IPv4, protocol 253, 8 payload bytes (28 bytes). */
const IP28 = '4500001c 0001 0000 40fd 65e2 0a000001 0a000002 3132333435363738';
const wlan = (hex: string) => dissectBytes(hexBytes(hex), LinkType.IEEE802_11);

describe('wlan', () => {
  it('decodes a QoS data frame to the DS: header fields, addresses by DS bits, LLC payload', () => {
    const d = wlan(`8801 2c00 ${A1} ${A2} ${A3} 1000 0600 aaaa03 000000 0800 ${IP28}`);
    expect(d.get('wlan')).toMatchObject({ offset: 0, length: 26, label: 'IEEE 802.11 QoS Data, Flags: .......T' });
    expect(d.get('wlan.fc.type_subtype')).toMatchObject({ offset: 0, value: '0x0028', label: 'Type/Subtype: QoS Data (0x0028)' });
    expect(d.get('wlan.fc')).toMatchObject({ offset: 0, length: 2, value: '0x8801', label: 'Frame Control Field: 0x8801' });
    expect(d.get('wlan.fc.type').label).toBe('.... 10.. = Type: Data frame (2)');
    expect(d.get('wlan.fc.subtype').label).toBe('1000 .... = Subtype: 8');
    expect(d.get('wlan.fc.ds').label).toBe('.... ..01 = DS status: Frame from STA to DS via an AP (To DS: 1 From DS: 0) (0x1)');
    expect(d.get('wlan.fc.tods')).toMatchObject({ value: '1', hidden: true });
    expect(d.get('wlan.duration')).toMatchObject({ offset: 2, length: 2, value: '44', label: '.000 0000 0010 1100 = Duration: 44 microseconds' });
    expect(d.get('wlan.ra')).toMatchObject({ offset: 4, value: '00:01:02:03:04:05' });
    expect(d.get('wlan.ta')).toMatchObject({ offset: 10, value: '10:11:12:13:14:15' });
    expect(d.get('wlan.da')).toMatchObject({ offset: 16, value: '20:21:22:23:24:25' });
    expect(d.get('wlan.sa')).toMatchObject({ offset: 10 });
    expect(d.get('wlan.bssid')).toMatchObject({ offset: 4 });
    expect(d.get('wlan.staa')).toMatchObject({ offset: 10 });
    expect(d.every('wlan.addr').map((n) => n.offset)).toEqual([4, 10, 16]);
    expect(d.get('wlan.seq')).toMatchObject({ offset: 22, length: 2, value: '1', label: '0000 0000 0001 .... = Sequence number: 1' });
    expect(d.get('wlan.frag').label).toBe('.... .... .... 0000 = Fragment number: 0');
    expect(d.get('wlan.qos')).toMatchObject({ offset: 24, value: '0x0006' });
    expect(d.get('wlan.qos.priority')).toMatchObject({ generated: true, label: '[.... .... .... .110 = Priority: Voice (Voice) (6)]' });
    expect(d.get('wlan.qos.txop_dur_req').label).toBe('0000 0000 .... .... = TXOP Duration Requested: 0 (no TXOP requested)');
    expect(d.protocols).toBe('wlan:llc:ip:data');
    expect(d.source).toBe('10.0.0.1');
  });

  it('sets Protocol, Info and the MAC columns for frames nothing else decodes', () => {
    const d = wlan(`4801 2c00 ${A1} ${A2} ${A3} 1000`);
    expect(d.protocol).toBe('802.11');
    expect(d.info).toBe('Null function (No data), SN=1, FN=0, Flags=.......T');
    expect(d.source).toBe('10:11:12:13:14:15');
    expect(d.destination).toBe('20:21:22:23:24:25');
    expect(d.protocols).toBe('wlan');
  });

  it('spells out all flags and uses the fourth address in WDS frames', () => {
    const d = wlan(`08ff 2c00 ${A1} ${A2} ${A3} 1000 ${A4} 12345600 00112233445566778899aabb deadbeef`);
    expect(d.info).toBe('Data, SN=1, FN=0, Flags=opmPRMFT');
    expect(d.get('wlan.sa')).toMatchObject({ offset: 24, value: '30:31:32:33:34:35' });
    expect(d.has('wlan.fc.retry.expert')).toBe(true);
    // Protected, no extended IV: WEP.
    expect(d.get('wlan.wep.iv')).toMatchObject({ offset: 30, length: 3, value: '0x123456' });
    expect(d.get('wlan.wep.icv')).toMatchObject({ label: 'WEP ICV: 0xdeadbeef (not verified)' });
    expect(d.protocols).toBe('wlan:data');
  });

  it('tells TKIP from CCMP by the extended IV', () => {
    const tkip = wlan(`0842 0000 ${A1} ${A2} ${A3} d001 0121002000000000 435a51d08f7d731c`);
    expect(tkip.value('wlan.tkip.extiv')).toBe('0x000000000100');
    const ccmp = wlan(`0842 0000 ${A1} ${A2} ${A3} d001 0102002012345678 435a51d08f7d731c`);
    expect(ccmp.get('wlan.ccmp.extiv')).toMatchObject({ offset: 24, length: 8, value: '0x785634120201' });
    expect(ccmp.value('wlan.wep.key')).toBe('0');
    expect(ccmp.protocols).toBe('wlan:data');
  });

  it('decodes control frames with their own column texts', () => {
    const ack = wlan(`d400 0000 ${A1}`);
    expect(ack.info).toBe('Acknowledgement, Flags=........');
    expect(ack.destination).toBe('00:01:02:03:04:05 (RA)');
    expect(ack.source).toBe('');
    const rts = wlan(`b400 0000 ${A1} ${A2}`);
    expect(rts.source).toBe('10:11:12:13:14:15 (TA)');
    const pspoll = wlan(`a400 01c0 ${A1} ${A2}`);
    expect(pspoll.get('wlan.aid').label).toBe('..00 0000 0000 0001 = Association ID: 1');
    expect(pspoll.destination).toBe('00:01:02:03:04:05 (BSSID)');
    const ba = wlan(`9400 0000 ${A1} ${A2} 0500 1000 ffffffffffffffff`);
    expect(ba.get('wlan.ba.control.ba_type').label).toBe('.... .... ...0 010. = BA Type: Compressed BlockAck (0x2)');
    expect(ba.get('wlan.ba.bm')).toMatchObject({ offset: 20, length: 8 });
  });

  it('decodes a beacon: fixed parameters, elements, Info with BI and SSID', () => {
    const d = wlan(
      `8000 0000 ffffffffffff ${A2} ${A2} 1000 0102030405060708 6400 3104` +
        ' 0005 5445534c41 0108 82848b960c183048 0301 0b 0504 00010000 2a01 00 3204 1224606c dd09 00032f 0101000e0000 c803 010203',
    );
    expect(d.info).toBe('Beacon frame, SN=1, FN=0, Flags=........, BI=100, SSID="TESLA"');
    expect(d.get('wlan.mgt')).toMatchObject({ offset: 24, label: 'IEEE 802.11 Wireless Management' });
    expect(d.get('wlan.fixed.all').label).toBe('Fixed parameters (12 bytes)');
    expect(d.get('wlan.fixed.timestamp').value).toBe('578437695752307201');
    expect(d.get('wlan.fixed.beacon')).toMatchObject({ value: '100', label: 'Beacon Interval: 0.102400 [Seconds]' });
    expect(d.get('wlan.fixed.capabilities.ess').label).toBe('.... .... .... ...1 = ESS capabilities: Transmitter is an AP');
    expect(d.get('wlan.tagged.all').label).toBe('Tagged parameters (51 bytes)');
    const tags = d.every('wlan.tag').map((n) => n.label);
    expect(tags).toEqual([
      'Tag: SSID parameter set: "TESLA"',
      'Tag: Supported Rates 1(B), 2(B), 5.5(B), 11(B), 6, 12, 24, 36, [Mbit/sec]',
      'Tag: DS Parameter set: Current Channel: 11',
      'Tag: Traffic Indication Map (TIM): DTIM 0 of 1 bitmap',
      'Tag: ERP Information',
      'Tag: Extended Supported Rates 9, 18, 48, 54, [Mbit/sec]',
      'Tag: Vendor Specific: Global Sun Technology, Inc.',
      'Tag: Unknown (200): Undecoded',
    ]);
    expect(d.get('wlan.ssid')).toMatchObject({ offset: 38, length: 5, value: '5445534c41', label: 'SSID: "TESLA"' });
    expect(d.every('wlan.supported_rates')[0].label).toBe('Supported Rates: 1(B) (0x82)');
    expect(d.get('wlan.tag.oui')).toMatchObject({ value: '815', label: 'OUI: 00:03:2f (Global Sun Technology' });
    expect(d.get('wlan.tag.vendor.data')).toMatchObject({ offset: 76, length: 6, value: '0101000e0000' });
    expect(d.has('wlan.tag.data.undecoded')).toBe(true);
    expect(d.get('wlan.tag.data')).toMatchObject({ value: '010203' });
    expect(d.protocols).toBe('wlan');
    expect(d.source).toBe('10:11:12:13:14:15');
    expect(d.destination).toBe('ff:ff:ff:ff:ff:ff');
  });

  it('names management frames in Info', () => {
    expect(wlan(`b000 0000 ${A1} ${A2} ${A1} 1000 0000 0100 0000`).info).toBe('Authentication, SN=1, FN=0, Flags=........');
    const probe = wlan(`4000 0000 ffffffffffff ${A2} ffffffffffff 1000 0000 0104 02040b16`);
    expect(probe.info).toBe('Probe Request, SN=1, FN=0, Flags=........, SSID=Wildcard (Broadcast)');
    expect(probe.get('wlan.tag').label).toBe('Tag: SSID parameter set: Wildcard SSID');
    const deauth = wlan(`c000 0000 ${A1} ${A2} ${A1} 1000 0300`);
    expect(deauth.get('wlan.fixed.reason_code').label).toBe('Reason code: Deauthenticated because sending STA is leaving (or has left) the BSS (0x0003)');
  });

  it('keeps a malformed element from reading into the next one', () => {
    const d = wlan(`8000 0000 ffffffffffff ${A2} ${A2} 1000 0102030405060708 6400 0100 dd03 123456 2a01 04`);
    expect(d.has('_ws.malformed')).toBe(true);
    expect(d.every('wlan.tag').map((n) => n.label)).toEqual(['Tag: Vendor Specific: (null)']);
  });
});
