import { describe, expect, it } from 'vitest';
import { dissectBytes, dissectSequence, hexBytes } from '../../helpers/dissect';
import { LinkType } from '../../../src/core/capture/link-types';

// Expected values are what `tshark -n` (4.0) shows for the same bytes.
const ACK = 'd400 0000 000102030405';
const radiotap = (hex: string) => dissectBytes(hexBytes(hex), LinkType.IEEE802_11_RADIOTAP);

describe('radiotap', () => {
  it('decodes the header, the present bitmap and the common fields', () => {
    // TSFT, flags, rate, channel, dBm signal and noise, antenna (0x86f); 26-byte header with a pad octet.
    const d = radiotap(`00 00 1a 00 6f080000 0102030405060708 02 16 6c09a000 c4 a0 01 00 ${ACK}`);
    expect(d.get('radiotap')).toMatchObject({ offset: 0, length: 26, label: 'Radiotap Header v0, Length 26' });
    expect(d.get('radiotap.length')).toMatchObject({ offset: 2, length: 2, value: '26' });
    expect(d.get('radiotap.present.word')).toMatchObject({ offset: 4, length: 4, value: '0x0000086f' });
    expect(d.get('radiotap.present.tsft').label).toBe('.... .... .... .... .... .... .... ...1 = TSFT: Present');
    expect(d.get('radiotap.present.ext').label).toBe('0... .... .... .... .... .... .... .... = Ext: Absent');
    expect(d.get('radiotap.mactime')).toMatchObject({ offset: 8, length: 8, value: '578437695752307201' });
    expect(d.get('radiotap.flags.preamble').label).toBe('.... ..1. = Preamble: Short');
    expect(d.get('radiotap.datarate')).toMatchObject({ offset: 17, value: '11', label: 'Data Rate: 11.0 Mb/s' });
    expect(d.get('radiotap.channel.freq')).toMatchObject({ offset: 18, length: 2, value: '2412', label: 'Channel frequency: 2412 [BG 1]' });
    expect(d.get('radiotap.channel.flags')).toMatchObject({ offset: 20, value: '0x00a0', label: 'Channel flags: 0x00a0, Complementary Code Keying (CCK), 2 GHz spectrum' });
    expect(d.get('radiotap.dbm_antsignal')).toMatchObject({ offset: 22, value: '-60', label: 'Antenna signal: -60 dBm' });
    expect(d.get('radiotap.antenna')).toMatchObject({ offset: 24, value: '1' });
    expect(d.protocols).toBe('radiotap:wlan_radio:wlan');
    expect(d.protocol).toBe('802.11');
    expect(d.info).toBe('Acknowledgement, Flags=........');
  });

  it('summarises the radio in wlan_radio, with the 802.11b airtime', () => {
    const d = radiotap(`00 00 1a 00 6f080000 0102030405060708 02 16 6c09a000 c4 a0 01 00 ${ACK}`);
    expect(d.get('wlan_radio.phy').label).toBe('PHY type: 802.11b (HR/DSSS) (4)');
    expect(d.get('wlan_radio.short_preamble').label).toBe('Short preamble: True');
    expect(d.get('wlan_radio.data_rate').label).toBe('Data rate: 11.0 Mb/s');
    expect(d.value('wlan_radio.channel')).toBe('1');
    expect(d.get('wlan_radio.frequency').label).toBe('Frequency: 2412MHz');
    expect(d.get('wlan_radio.snr').label).toBe('Signal/noise ratio (dB): 36 dB');
    // 96 µs short preamble + 10 bytes at 11 Mb/s.
    expect(d.get('wlan_radio.duration')).toMatchObject({ value: '104', label: '[Duration: 104µs]' });
    expect(d.get('wlan_radio.preamble').label).toBe('[Preamble: 96µs]');
    expect(d.get('wlan_radio.start_tsf').label).toBe('[Start: 578437695752307097µs]');
  });

  it('gives an FCS flagged in radiotap to 802.11', () => {
    const d = radiotap(`00 00 09 00 02000000 10 ${ACK} 11223344`);
    expect(d.info).toBe('Acknowledgement, Flags=........C');
    expect(d.get('wlan.fcs')).toMatchObject({ offset: 19, length: 4, value: '0x44332211', label: 'Frame check sequence: 0x44332211 [unverified]' });
  });

  it('decodes HT (MCS) fields, their data rate and airtime', () => {
    // Flags (FCS), channel 5540 OFDM/5 GHz, MCS: bw/index/gi/format/fec known, 40 MHz, MCS 7.
    const d = radiotap(
      `00 00 12 00 0a000800 10 00 a4154001 1f 01 07 00 8801 2c00 000102030405 101112131415 202122232425 1000 0600 aaaa030000001234 0102030405060708 11223344`,
    );
    expect(d.get('radiotap.mcs.known').label).toBe('Known MCS information: 0x1f, Bandwidth, MCS index, Guard interval, Format, FEC type');
    expect(d.get('radiotap.mcs.bw').label).toBe('.... ..01 = Bandwidth: 40 MHz (1)');
    expect(d.value('radiotap.mcs.index')).toBe('7');
    expect(d.every('radiotap.datarate').map((n) => n.label)).toEqual(['[Data Rate: 135.0 Mb/s]']);
    expect(d.get('wlan_radio.phy').label).toBe('PHY type: 802.11n (HT) (7)');
    expect(d.get('wlan_radio.11n.fec').label).toBe('FEC: BEC (0)');
    // Mixed-format preamble 36 µs (one HT-LTF) plus one 4 µs symbol.
    expect(d.get('wlan_radio.duration').value).toBe('40');
    expect(d.get('wlan_radio.preamble').value).toBe('36');
    expect(d.protocols).toBe('radiotap:wlan_radio:wlan:llc:data');
    expect(d.has('wlan_radio.assumed.no_stbc')).toBe(true);
  });

  it('walks several present bitmaps', () => {
    // Word 0: flags + radiotap NS next + ext; word 1: dBm antenna signal + antenna.
    const d = radiotap(`00 00 10 00 020000a0 20080000 00 c4 01 00 ${ACK}`);
    expect(d.every('radiotap.present.word').map((n) => n.value)).toEqual(['0xa0000002', '0x00000820']);
    expect(d.get('radiotap.dbm_antsignal')).toMatchObject({ offset: 13, value: '-60' });
    expect(d.get('radiotap.antenna')).toMatchObject({ offset: 14, value: '1' });
  });

  it('reports fields that run past the header length', () => {
    const d = radiotap(`00 00 0a 00 01000000 0000 ${ACK}`);
    expect(d.get('radiotap').label).toBe('Radiotap Header v0, Length 10 (malformed)');
    expect(d.has('radiotap.data_past_header')).toBe(true);
  });

  it('records the gap between timed frames on the first pass', () => {
    const frame = (tsf: string) => hexBytes(`00 00 1a 00 6f080000 ${tsf} 02 16 6c09a000 c4 a0 01 00 ${ACK}`);
    const [, second] = dissectSequence([frame('e803000000000000'), frame('d007000000000000')], LinkType.IEEE802_11_RADIOTAP);
    // Start of the second (2000 − 104) minus end of the first (1000).
    expect(second.get('wlan_radio.ifs').label).toBe('[IFS: 896µs]');
  });
});
