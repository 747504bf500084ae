import { defineFields, type FieldInfo } from '../dissect/field-registry';
import { tables, findDissector, callDissector } from '../dissect/dissector-tables';
import { addExpert, defineExperts } from '../dissect/expert';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { hex } from '../dissect/format';
import { LinkType } from '../capture/link-types';
import { dissect as dissectData } from './data';

/**
 * Radiotap capture header (LINKTYPE_IEEE802_11_RADIOTAP 127; https://www.radiotap.org): version, pad,
 * length and one or more 32-bit "present" bitmaps, then the fields the bitmaps announce, each aligned to its
 * natural size from the start of the header, all little-endian. After it comes the 802.11 frame, preceded in
 * Wireshark's tree by the "802.11 radio information" summary (wlan_radio) this file also builds.
 */

const presentTfs = ['Present', 'Absent'] as const;
/** VHT bandwidth codes of the radiotap VHT field (radiotap.org/fields/VHT). */
const vhtBandwidths: Record<number, string> = {
  0: '20 MHz', 1: '40 MHz', 2: '20 MHz lower', 3: '20 MHz upper', 4: '80 MHz', 5: '40 MHz lower', 6: '40 MHz upper',
  7: '20 MHz, channel 1/4', 8: '20 MHz, channel 2/4', 9: '20 MHz, channel 3/4', 10: '20 MHz, channel 4/4', 11: '160 MHz',
  12: '80 MHz lower', 13: '80 MHz upper', 14: '40 MHz, channel 1/4', 15: '40 MHz, channel 2/4', 16: '40 MHz, channel 3/4',
  17: '40 MHz, channel 4/4', 18: '20 MHz, channel 1/8', 19: '20 MHz, channel 2/8', 20: '20 MHz, channel 3/8',
  21: '20 MHz, channel 4/8', 22: '20 MHz, channel 5/8', 23: '20 MHz, channel 6/8', 24: '20 MHz, channel 7/8',
  25: '20 MHz, channel 8/8',
};
/** Modulation and coding of VHT MCS 0-9 (IEEE 802.11-2020 Table 21-30 ff.). */
const vhtModulations = ['BPSK 1/2', 'QPSK 1/2', 'QPSK 3/4', '16-QAM 1/2', '16-QAM 3/4', '64-QAM 2/3', '64-QAM 3/4', '64-QAM 5/6', '256-QAM 3/4', '256-QAM 5/6'];
const BITS_PER_SUBCARRIER = [1, 2, 2, 4, 4, 6, 6, 6, 8, 8];
const CODING_RATE = [1 / 2, 1 / 2, 3 / 4, 1 / 2, 3 / 4, 2 / 3, 3 / 4, 5 / 6, 3 / 4, 5 / 6];

/** One entry per present bit of the radiotap namespace: field key, alignment and size of its data. */
interface BitSpec {
  readonly align: number;
  readonly size: number;
}
const BIT_LAYOUT: readonly (BitSpec | undefined)[] = [
  { align: 8, size: 8 }, // 0 TSFT
  { align: 1, size: 1 }, // 1 Flags
  { align: 1, size: 1 }, // 2 Rate
  { align: 2, size: 4 }, // 3 Channel
  { align: 1, size: 2 }, // 4 FHSS
  { align: 1, size: 1 }, // 5 dBm antenna signal
  { align: 1, size: 1 }, // 6 dBm antenna noise
  { align: 2, size: 2 }, // 7 Lock quality
  { align: 2, size: 2 }, // 8 TX attenuation
  { align: 2, size: 2 }, // 9 dB TX attenuation
  { align: 1, size: 1 }, // 10 dBm TX power
  { align: 1, size: 1 }, // 11 Antenna
  { align: 1, size: 1 }, // 12 dB antenna signal
  { align: 1, size: 1 }, // 13 dB antenna noise
  { align: 2, size: 2 }, // 14 RX flags
  { align: 2, size: 2 }, // 15 TX flags
  { align: 1, size: 1 }, // 16 RTS retries
  { align: 1, size: 1 }, // 17 data retries
  { align: 4, size: 8 }, // 18 XChannel
  { align: 1, size: 3 }, // 19 MCS
  { align: 4, size: 8 }, // 20 A-MPDU status
  { align: 2, size: 12 }, // 21 VHT
  { align: 8, size: 12 }, // 22 timestamp
  { align: 2, size: 12 }, // 23 HE
  { align: 2, size: 12 }, // 24 HE-MU
  { align: 2, size: 6 }, // 25 HE-MU-other-user
  { align: 1, size: 1 }, // 26 0-length PSDU
  { align: 2, size: 4 }, // 27 L-SIG
];

const channelFlagSpecs = [
  ['700mhz', '700 MHz spectrum', 0x0001],
  ['800mhz', '800 MHz spectrum', 0x0002],
  ['900mhz', '900 MHz spectrum', 0x0004],
  ['turbo', 'Turbo', 0x0010],
  ['cck', 'Complementary Code Keying (CCK)', 0x0020],
  ['ofdm', 'Orthogonal Frequency-Division Multiplexing (OFDM)', 0x0040],
  ['2ghz', '2 GHz spectrum', 0x0080],
  ['5ghz', '5 GHz spectrum', 0x0100],
  ['passive', 'Passive', 0x0200],
  ['dynamic', 'Dynamic CCK-OFDM', 0x0400],
  ['gfsk', 'Gaussian Frequency Shift Keying (GFSK)', 0x0800],
  ['gsm', 'GSM (900MHz)', 0x1000],
  ['sturbo', 'Static Turbo', 0x2000],
  ['half', 'Half Rate Channel (10MHz Channel Width)', 0x4000],
  ['quarter', 'Quarter Rate Channel (5MHz Channel Width)', 0x8000],
] as const;
const xchannelFlagSpecs = [
  ['radiotap.xchannel.flags.turbo', 'Turbo', 0x10],
  ['radiotap.xchannel.flags.cck', 'Complementary Code Keying (CCK)', 0x20],
  ['radiotap.xchannel.flags.ofdm', 'Orthogonal Frequency-Division Multiplexing (OFDM)', 0x40],
  ['radiotap.xchannel.flags.2ghz', '2 GHz spectrum', 0x80],
  ['radiotap.xchannel.flags.5ghz', '5 GHz spectrum', 0x100],
  ['radiotap.channel.xtype.passive', 'Passive', 0x200],
  ['radiotap.xchannel.flags.dynamic', 'Dynamic CCK-OFDM', 0x400],
  ['radiotap.xchannel.flags.gfsk', 'Gaussian Frequency Shift Keying (GFSK)', 0x800],
  ['radiotap.xchannel.flags.gsm', 'GSM (900MHz)', 0x1000],
  ['radiotap.xchannel.flags.sturbo', 'Static Turbo', 0x2000],
  ['radiotap.xchannel.flags.half', 'Half Rate Channel (10MHz Channel Width)', 0x4000],
  ['radiotap.xchannel.flags.quarter', 'Quarter Rate Channel (5MHz Channel Width)', 0x8000],
  ['radiotap.xchannel.flags.ht20', 'HT Channel (20MHz Channel Width)', 0x10000],
  ['radiotap.xchannel.flags.ht40u', 'HT Channel (40MHz Channel Width with Extension channel above)', 0x20000],
  ['radiotap.xchannel.flags.ht40d', 'HT Channel (40MHz Channel Width with Extension channel below)', 0x40000],
] as const;
const presentBitSpecs = [
  ['tsft', 'TSFT', 0], ['flags', 'Flags', 1], ['rate', 'Rate', 2], ['channel', 'Channel', 3], ['fhss', 'FHSS', 4],
  ['dbm_antsignal', 'dBm Antenna Signal', 5], ['dbm_antnoise', 'dBm Antenna Noise', 6], ['lock_quality', 'Lock Quality', 7],
  ['tx_attenuation', 'TX Attenuation', 8], ['db_tx_attenuation', 'dB TX Attenuation', 9], ['dbm_tx_power', 'dBm TX Power', 10],
  ['antenna', 'Antenna', 11], ['db_antsignal', 'dB Antenna Signal', 12], ['db_antnoise', 'dB Antenna Noise', 13],
  ['rxflags', 'RX flags', 14], ['txflags', 'TX flags', 15], ['data_retries', 'data retries', 17], ['xchannel', 'Channel+', 18],
  ['mcs', 'MCS information', 19], ['ampdu', 'A-MPDU Status', 20], ['vht', 'VHT information', 21], ['timestamp', 'frame timestamp', 22],
  ['he', 'HE information', 23], ['he_mu', 'HE-MU information', 24], ['0_length.psdu', '0 Length PSDU', 26], ['l_sig', 'L-SIG', 27],
  ['tlv', 'TLVs', 28], ['rtap_ns', 'Radiotap NS next', 29], ['vendor_ns', 'Vendor NS next', 30], ['ext', 'Ext', 31],
] as const;

function bitFields<T extends readonly (readonly [string, string, number])[]>(
  idOf: (key: string) => string,
  specs: T,
  bits: number,
  maskOf: (n: number) => number,
  tfsOf?: (key: string) => readonly [string, string] | undefined,
): Record<string, { id: string; name: string; type: 'boolean'; base: number; mask: number; tfs?: readonly [string, string] }> {
  const out: Record<string, { id: string; name: string; type: 'boolean'; base: number; mask: number; tfs?: readonly [string, string] }> = {};
  for (const [key, name, n] of specs) {
    const tfs = tfsOf?.(key);
    out[key] = { id: idOf(key), name, type: 'boolean', base: bits, mask: maskOf(n), ...(tfs ? { tfs } : {}) };
  }
  return out;
}

export const fields = defineFields('radiotap', {
  radiotap: { id: 'radiotap', name: 'IEEE 802.11 Radiotap Capture header', type: 'protocol' },
  version: { id: 'radiotap.version', name: 'Header revision', type: 'uint8', base: 'dec' },
  pad: { id: 'radiotap.pad', name: 'Header pad', type: 'uint8', base: 'dec' },
  length: { id: 'radiotap.length', name: 'Header length', type: 'uint16', base: 'dec' },
  present: { id: 'radiotap.present', name: 'Present flags', type: 'none' },
  presentWord: { id: 'radiotap.present.word', name: 'Present flags word', type: 'uint32', base: 'hex' },
  flags: { id: 'radiotap.flags', name: 'Flags', type: 'uint8', base: 'hex' },
  flagCfp: { id: 'radiotap.flags.cfp', name: 'CFP', type: 'boolean', base: 8, mask: 0x01 },
  flagPreamble: { id: 'radiotap.flags.preamble', name: 'Preamble', type: 'boolean', base: 8, mask: 0x02, tfs: ['Short', 'Long'] },
  flagWep: { id: 'radiotap.flags.wep', name: 'WEP', type: 'boolean', base: 8, mask: 0x04 },
  flagFrag: { id: 'radiotap.flags.frag', name: 'Fragmentation', type: 'boolean', base: 8, mask: 0x08 },
  flagFcs: { id: 'radiotap.flags.fcs', name: 'FCS at end', type: 'boolean', base: 8, mask: 0x10 },
  flagDatapad: { id: 'radiotap.flags.datapad', name: 'Data Pad', type: 'boolean', base: 8, mask: 0x20 },
  flagBadfcs: { id: 'radiotap.flags.badfcs', name: 'Bad FCS', type: 'boolean', base: 8, mask: 0x40 },
  flagShortgi: { id: 'radiotap.flags.shortgi', name: 'Short GI', type: 'boolean', base: 8, mask: 0x80 },
  mactime: { id: 'radiotap.mactime', name: 'MAC timestamp', type: 'uint64', base: 'dec' },
  quality: { id: 'radiotap.quality', name: 'Signal Quality', type: 'uint16', base: 'dec' },
  channelFreq: { id: 'radiotap.channel.freq', name: 'Channel frequency', type: 'uint32', base: 'dec' },
  channelFlags: { id: 'radiotap.channel.flags', name: 'Channel flags', type: 'uint16', base: 'hex' },
  rxflags: { id: 'radiotap.rxflags', name: 'RX flags', type: 'uint16', base: 'hex' },
  rxBadplcp: { id: 'radiotap.rxflags.badplcp', name: 'Bad PLCP', type: 'boolean', base: 24, mask: 0x0002 },
  txflags: { id: 'radiotap.txflags', name: 'TX flags', type: 'uint16', base: 'hex' },
  txFail: { id: 'radiotap.rxflags.fail', name: 'Fail', type: 'boolean', base: 24, mask: 0x0001 },
  txCts: { id: 'radiotap.rxflags.cts', name: 'CTS', type: 'boolean', base: 24, mask: 0x0002 },
  txRts: { id: 'radiotap.rxflags.rts', name: 'RTS/CTS', type: 'boolean', base: 24, mask: 0x0004 },
  txNoack: { id: 'radiotap.rxflags.noack', name: 'No ACK', type: 'boolean', base: 24, mask: 0x0008 },
  txNoseqno: { id: 'radiotap.rxflags.noseqno', name: 'Has Seqnum', type: 'boolean', base: 24, mask: 0x0010 },
  txOrder: { id: 'radiotap.rxflags.order', name: 'Order', type: 'boolean', base: 24, mask: 0x0020 },
  xchannelChannel: { id: 'radiotap.xchannel.channel', name: 'Channel number', type: 'uint32', base: 'dec' },
  xchannelFreq: { id: 'radiotap.xchannel.freq', name: 'Channel frequency', type: 'uint32', base: 'dec' },
  xchannelFlags: { id: 'radiotap.xchannel.flags', name: 'Channel flags', type: 'uint32', base: 'hex' },
  fhssHopset: { id: 'radiotap.fhss.hopset', name: 'FHSS Hop Set', type: 'uint8', base: 'dec' },
  fhssPattern: { id: 'radiotap.fhss.pattern', name: 'FHSS Pattern', type: 'uint8', base: 'dec' },
  datarate: { id: 'radiotap.datarate', name: 'Data rate (Mb/s)', type: 'float' },
  antenna: { id: 'radiotap.antenna', name: 'Antenna', type: 'uint32', base: 'dec' },
  dbmAntsignal: { id: 'radiotap.dbm_antsignal', name: 'Antenna signal', type: 'int8', base: 'dec', unit: ' dBm' },
  dbAntsignal: { id: 'radiotap.db_antsignal', name: 'dB antenna signal', type: 'uint8', base: 'dec', unit: ' dB' },
  dbmAntnoise: { id: 'radiotap.dbm_antnoise', name: 'Antenna noise', type: 'int8', base: 'dec', unit: ' dBm' },
  dbAntnoise: { id: 'radiotap.db_antnoise', name: 'dB antenna noise', type: 'uint8', base: 'dec', unit: ' dB' },
  txattenuation: { id: 'radiotap.txattenuation', name: 'TX attenuation', type: 'uint16', base: 'dec' },
  dbTxattenuation: { id: 'radiotap.db_txattenuation', name: 'dB TX attenuation', type: 'uint16', base: 'dec', unit: ' dB' },
  txpower: { id: 'radiotap.txpower', name: 'Transmit power', type: 'int8', base: 'dec', unit: ' dBm' },
  dataRetries: { id: 'radiotap.data_retries', name: 'data retries', type: 'uint8', base: 'dec' },
  mcs: { id: 'radiotap.mcs', name: 'MCS information', type: 'none' },
  mcsKnown: { id: 'radiotap.mcs.known', name: 'Known MCS information', type: 'uint8', base: 'hex' },
  mcsHaveBw: { id: 'radiotap.mcs.have_bw', name: 'Bandwidth', type: 'boolean', base: 8, mask: 0x01, tfs: presentTfs },
  mcsHaveIndex: { id: 'radiotap.mcs.have_index', name: 'MCS index', type: 'boolean', base: 8, mask: 0x02, tfs: presentTfs },
  mcsHaveGi: { id: 'radiotap.mcs.have_gi', name: 'Guard interval', type: 'boolean', base: 8, mask: 0x04, tfs: presentTfs },
  mcsHaveFormat: { id: 'radiotap.mcs.have_format', name: 'Format', type: 'boolean', base: 8, mask: 0x08, tfs: presentTfs },
  mcsHaveFec: { id: 'radiotap.mcs.have_fec', name: 'FEC type', type: 'boolean', base: 8, mask: 0x10, tfs: presentTfs },
  mcsHaveStbc: { id: 'radiotap.mcs.have_stbc', name: 'STBC streams', type: 'boolean', base: 8, mask: 0x20, tfs: presentTfs },
  mcsHaveNess: { id: 'radiotap.mcs.have_ness', name: 'Number of extension spatial streams', type: 'boolean', base: 8, mask: 0x40, tfs: presentTfs },
  mcsNessBit1: { id: 'radiotap.mcs.ness_bit1', name: 'Number of extension spatial streams bit 1', type: 'uint8', base: 'dec', mask: 0x80 },
  mcsBw: { id: 'radiotap.mcs.bw', name: 'Bandwidth', type: 'uint8', base: 'dec', mask: 0x03, vals: { 0: '20 MHz', 1: '40 MHz', 2: '20 MHz lower', 3: '20 MHz upper' } },
  mcsGi: { id: 'radiotap.mcs.gi', name: 'Guard interval', type: 'uint8', base: 'dec', mask: 0x04, vals: { 0: 'long', 1: 'short' } },
  mcsFormat: { id: 'radiotap.mcs.format', name: 'Format', type: 'uint8', base: 'dec', mask: 0x08, vals: { 0: 'mixed', 1: 'greenfield' } },
  mcsFec: { id: 'radiotap.mcs.fec', name: 'FEC type', type: 'uint8', base: 'dec', mask: 0x10, vals: { 0: 'BCC', 1: 'LDPC' } },
  mcsStbc: { id: 'radiotap.mcs.stbc', name: 'STBC streams', type: 'uint8', base: 'dec', mask: 0x60 },
  mcsNessBit0: { id: 'radiotap.mcs.ness_bit0', name: 'Number of extension spatial streams bit 0', type: 'uint8', base: 'dec', mask: 0x80 },
  mcsIndex: { id: 'radiotap.mcs.index', name: 'MCS index', type: 'uint8', base: 'dec' },
  ampdu: { id: 'radiotap.ampdu', name: 'A-MPDU status', type: 'none' },
  ampduReference: { id: 'radiotap.ampdu.reference', name: 'A-MPDU reference number', type: 'uint32', base: 'dec' },
  ampduFlags: { id: 'radiotap.ampdu.flags', name: 'A-MPDU flags', type: 'uint16', base: 'hex' },
  ampduReportZerolen: { id: 'radiotap.ampdu.flags.report_zerolen', name: 'Driver reports 0-length subframes in this A-MPDU', type: 'boolean', base: 16, mask: 0x0001 },
  ampduIsZerolen: { id: 'radiotap.ampdu.flags.is_zerolen', name: 'This is a 0-length subframe', type: 'boolean', base: 16, mask: 0x0002 },
  ampduLastknown: { id: 'radiotap.ampdu.flags.lastknown', name: 'Last subframe of this A-MPDU is known', type: 'boolean', base: 16, mask: 0x0004 },
  ampduLast: { id: 'radiotap.ampdu.flags.last', name: 'This is the last subframe of this A-MPDU', type: 'boolean', base: 16, mask: 0x0008 },
  ampduDelimCrcError: { id: 'radiotap.ampdu.flags.delim_crc_error', name: 'Delimiter CRC error on this subframe', type: 'boolean', base: 16, mask: 0x0010 },
  ampduEof: { id: 'radiotap.ampdu.flags.eof', name: 'EOF on this subframe', type: 'boolean', base: 16, mask: 0x0040 },
  ampduEofKnown: { id: 'radiotap.ampdu.flags.eof_known', name: 'EOF of this A-MPDU is known', type: 'boolean', base: 16, mask: 0x0080 },
  ampduDelimCrc: { id: 'radiotap.ampdu.delim_crc', name: 'A-MPDU subframe delimiter CRC', type: 'uint8', base: 'hex' },
  vht: { id: 'radiotap.vht', name: 'VHT information', type: 'none' },
  vhtKnown: { id: 'radiotap.vht.known', name: 'Known VHT information', type: 'uint8', base: 'hex' },
  vhtHaveStbc: { id: 'radiotap.vht.have_stbc', name: 'STBC', type: 'boolean', base: 16, mask: 0x0001, tfs: presentTfs },
  vhtHaveTxopPs: { id: 'radiotap.vht.have_txop_ps', name: 'TXOP_PS_NOT_ALLOWED', type: 'boolean', base: 16, mask: 0x0002, tfs: presentTfs },
  vhtHaveGi: { id: 'radiotap.vht.have_gi', name: 'Guard interval', type: 'boolean', base: 16, mask: 0x0004, tfs: presentTfs },
  vhtHaveSgiNsymDa: { id: 'radiotap.vht.have_sgi_nsym_da', name: 'SGI Nsym disambiguation', type: 'boolean', base: 16, mask: 0x0008, tfs: presentTfs },
  // Wireshark uses this one id for the "known" bit and for the flag itself.
  vhtLdpcExtra: { id: 'radiotap.vht.ldpc_extra', name: 'LDPC extra OFDM symbol', type: 'boolean', base: 16, mask: 0x0010, tfs: presentTfs },
  vhtHaveBeamformed: { id: 'radiotap.vht.have_beamformed', name: 'Beamformed', type: 'boolean', base: 16, mask: 0x0020, tfs: presentTfs },
  vhtHaveGid: { id: 'radiotap.mcs.have_gid', name: 'Group ID', type: 'boolean', base: 16, mask: 0x0080, tfs: presentTfs },
  vhtHavePaid: { id: 'radiotap.mcs.have_paid', name: 'Partial AID', type: 'boolean', base: 16, mask: 0x0100, tfs: presentTfs },
  vhtStbc: { id: 'radiotap.vht.stbc', name: 'STBC', type: 'boolean', base: 8, mask: 0x01, tfs: ['On', 'Off'] },
  vhtTxopPs: { id: 'radiotap.vht.txop_ps', name: 'TXOP_PS_NOT_ALLOWED', type: 'boolean', base: 8, mask: 0x02 },
  vhtGi: { id: 'radiotap.vht.gi', name: 'Guard interval', type: 'uint8', base: 'dec', mask: 0x04, vals: { 0: 'long', 1: 'short' } },
  vhtSgiNsymDa: { id: 'radiotap.vht.sgi_nsym_da', name: 'SGI Nsym disambiguation', type: 'boolean', base: 8, mask: 0x08 },
  vhtBeamformed: { id: 'radiotap.vht.beamformed', name: 'Beamformed', type: 'boolean', base: 8, mask: 0x20 },
  vhtBw: { id: 'radiotap.vht.bw', name: 'Bandwidth', type: 'uint8', base: 'dec', vals: vhtBandwidths },
  vhtUser: { id: 'radiotap.vht.user', name: 'User', type: 'none' },
  vhtGid: { id: 'radiotap.vht.gid', name: 'Group Id', type: 'uint8', base: 'dec' },
  vhtPaid: { id: 'radiotap.vht.paid', name: 'Partial AID', type: 'uint16', base: 'dec' },
  timestamp: { id: 'radiotap.timestamp', name: 'timestamp information', type: 'none' },
  timestampTs: { id: 'radiotap.timestamp.ts', name: 'timestamp', type: 'uint64', base: 'dec' },
  vendorNamespace: { id: 'radiotap.vendor_namespace', name: 'Vendor namespace', type: 'bytes' },
  vendorOui: { id: 'radiotap.vendor_oui', name: 'Vendor OUI', type: 'uint24', base: 'dec' },
  vendorSubns: { id: 'radiotap.vendor_subns', name: 'Vendor sub namespace', type: 'uint8', base: 'dec' },
  vendorDataLen: { id: 'radiotap.vendor_data_len', name: 'Vendor data length', type: 'uint16', base: 'dec' },
});

/** Per-user VHT fields: radiotap.vht.mcs.0 … .3 and their siblings. */
const vhtUserFields = [0, 1, 2, 3].map((u) =>
  defineFields('radiotap', {
    mcs: { id: `radiotap.vht.mcs.${u}`, name: `MCS index ${u}`, type: 'uint8', base: 'dec', mask: 0xf0 },
    nss: { id: `radiotap.vht.nss.${u}`, name: `Spatial streams ${u}`, type: 'uint8', base: 'dec', mask: 0x0f },
    nsts: { id: `radiotap.vht.nsts.${u}`, name: `Space-time streams ${u}`, type: 'uint8', base: 'dec' },
    coding: { id: `radiotap.vht.coding.${u}`, name: `Coding ${u}`, type: 'uint8', base: 'dec', mask: 1 << u, vals: { 0: 'BCC', 1: 'LDPC' } },
    datarate: { id: `radiotap.vht.datarate.${u}`, name: `Data rate (Mb/s) ${u}`, type: 'float' },
  }),
);

const channelFlagFields = defineFields(
  'radiotap',
  bitFields((k) => `radiotap.channel.flags.${k}`, channelFlagSpecs, 16, (m) => m),
);
const xchannelFlagFields = defineFields(
  'radiotap',
  bitFields((k) => k, xchannelFlagSpecs, 24, (m) => m),
);
const presentFields = defineFields(
  'radiotap',
  bitFields((k) => `radiotap.present.${k}`, presentBitSpecs, 32, (n) => 2 ** n, (k) => (k === 'rtap_ns' || k === 'vendor_ns' ? undefined : presentTfs)),
);

export const radioExperts = defineExperts('wlan_radio', {
  assumedShortPreamble: { id: 'wlan_radio.assumed.short_preamble', summary: 'No preamble length information was available, assuming short preamble.', severity: 'warn', group: 'assumption' },
  assumedNonGreenfield: { id: 'wlan_radio.assumed.non_greenfield', summary: 'No plcp type information was available, assuming non greenfield.', severity: 'warn', group: 'assumption' },
  assumedNoStbc: { id: 'wlan_radio.assumed.no_stbc', summary: 'No stbc information was available, assuming no stbc.', severity: 'warn', group: 'assumption' },
  assumedNoExtensionStreams: { id: 'wlan_radio.assumed.no_extension_streams', summary: 'No extension stream information was available, assuming no extension streams.', severity: 'warn', group: 'assumption' },
  assumedBccFec: { id: 'wlan_radio.assumed.bcc_fec', summary: 'No fec type information was available, assuming bcc fec.', severity: 'warn', group: 'assumption' },
});

/** Wireshark names this one field without the "wlan_radio." prefix. */
export const radioVhtExtraFields = defineFields('wlan_radio_11ac', {
  txopPsNotAllowed: { id: 'wlan_radio_11ac.txop_ps_not_allowed', name: 'TXOP_PS_NOT_ALLOWED', type: 'boolean' },
});

export const experts = defineExperts('radiotap', {
  dataPastHeader: { id: 'radiotap.data_past_header', summary: 'Radiotap data goes past the end of the radiotap header', severity: 'error', group: 'malformed' },
});

const phyNames: Record<number, string> = {
  1: '802.11 FHSS', 2: '802.11 IR', 3: '802.11 DSSS', 4: '802.11b (HR/DSSS)', 5: '802.11a (OFDM)', 6: '802.11g (ERP)', 7: '802.11n (HT)',
  8: '802.11ac (VHT)', 9: '802.11ad (DMG)', 10: '802.11ah (S1G)', 11: '802.11ax (HE)',
};
/** Bandwidth names of the radio summary (HT uses the first four). */
const radioBandwidths: Record<number, string> = {
  0: '20 MHz', 1: '40 MHz', 2: '20 MHz + 20 MHz lower', 3: '20 MHz + 20 MHz upper', 4: '80 MHz', 5: '40 MHz + 40 MHz lower',
  6: '40 MHz + 40 MHz upper', 7: '20 MHz, channel 1/4', 8: '20 MHz, channel 2/4', 9: '20 MHz, channel 3/4', 10: '20 MHz, channel 4/4',
  11: '160 MHz', 12: '80 MHz + 80 MHz lower', 13: '80 MHz + 80 MHz upper', 14: '40 MHz, channel 1/4', 15: '40 MHz, channel 2/4',
  16: '40 MHz, channel 3/4', 17: '40 MHz, channel 4/4', 18: '20 MHz, channel 1/8', 19: '20 MHz, channel 2/8', 20: '20 MHz, channel 3/8',
  21: '20 MHz, channel 4/8', 22: '20 MHz, channel 5/8', 23: '20 MHz, channel 6/8', 24: '20 MHz, channel 7/8', 25: '20 MHz, channel 8/8',
};

export const radioFields = defineFields('wlan_radio', {
  wlanRadio: { id: 'wlan_radio', name: '802.11 radio information', type: 'protocol' },
  phy: { id: 'wlan_radio.phy', name: 'PHY type', type: 'uint32', base: 'dec', vals: phyNames },
  turboType: { id: 'wlan_radio.11a.turbo_type', name: 'Turbo type', type: 'uint32', base: 'dec', vals: { 0: 'Non-turbo', 1: 'Turbo', 2: 'Dynamic turbo', 3: 'Static turbo' } },
  gMode: { id: 'wlan_radio.11g.mode', name: 'Proprietary mode', type: 'uint32', base: 'dec', vals: { 0: 'None', 1: 'Super G' } },
  mcsIndex: { id: 'wlan_radio.11n.mcs_index', name: 'MCS index', type: 'uint32', base: 'dec' },
  bandwidth: { id: 'wlan_radio.11n.bandwidth', name: 'Bandwidth', type: 'uint32', base: 'dec', vals: radioBandwidths },
  shortGi: { id: 'wlan_radio.11n.short_gi', name: 'Short GI', type: 'boolean' },
  greenfield: { id: 'wlan_radio.11n.greenfield', name: 'Greenfield', type: 'boolean' },
  fec: { id: 'wlan_radio.11n.fec', name: 'FEC', type: 'uint32', base: 'dec', vals: { 0: 'BEC', 1: 'LDPC' } },
  stbcStreams: { id: 'wlan_radio.11n.stbc_streams', name: 'Number of STBC streams', type: 'uint32', base: 'dec' },
  ness: { id: 'wlan_radio.11n.ness', name: 'Number of extension spatial streams', type: 'uint32', base: 'dec' },
  vhtStbc: { id: 'wlan_radio.11ac.stbc', name: 'STBC', type: 'boolean', tfs: ['On', 'Off'] },
  vhtShortGi: { id: 'wlan_radio.11ac.short_gi', name: 'Short GI', type: 'boolean' },
  vhtSgiNsym: { id: 'wlan_radio.11ac.short_gi_nsym_disambig', name: 'Short GI Nsym disambiguation', type: 'boolean' },
  vhtLdpcExtra: { id: 'wlan_radio.11ac.ldpc_extra_ofdm_symbol', name: 'LDPC extra OFDM symbol', type: 'boolean' },
  vhtBeamformed: { id: 'wlan_radio.11ac.beamformed', name: 'Beamformed', type: 'boolean' },
  vhtBandwidth: { id: 'wlan_radio.11ac.bandwidth', name: 'Bandwidth', type: 'uint32', base: 'dec', vals: radioBandwidths },
  vhtUser: { id: 'wlan_radio.11ac.user', name: 'User', type: 'none' },
  vhtNsts: { id: 'wlan_radio.11ac.nsts', name: 'Space-time streams', type: 'uint32', base: 'dec' },
  vhtMcs: { id: 'wlan_radio.11ac.mcs', name: 'MCS index', type: 'uint32', base: 'dec' },
  vhtNss: { id: 'wlan_radio.11ac.nss', name: 'Spatial streams', type: 'uint32', base: 'dec' },
  vhtFec: { id: 'wlan_radio.11ac.fec', name: 'FEC', type: 'uint32', base: 'dec', vals: { 0: 'BEC', 1: 'LDPC' } },
  vhtGid: { id: 'wlan_radio.11ac.gid', name: 'Group Id', type: 'uint32', base: 'dec' },
  vhtPaid: { id: 'wlan_radio.11ac.paid', name: 'Partial AID', type: 'uint16', base: 'dec' },
  shortPreamble: { id: 'wlan_radio.short_preamble', name: 'Short preamble', type: 'boolean' },
  dataRate: { id: 'wlan_radio.data_rate', name: 'Data rate', type: 'float' },
  channel: { id: 'wlan_radio.channel', name: 'Channel', type: 'uint32', base: 'dec' },
  frequency: { id: 'wlan_radio.frequency', name: 'Frequency', type: 'uint16', base: 'dec' },
  signalDb: { id: 'wlan_radio.signal_db', name: 'Signal strength (dB)', type: 'uint8', base: 'dec', unit: ' dB' },
  signalDbm: { id: 'wlan_radio.signal_dbm', name: 'Signal strength (dBm)', type: 'int8', base: 'dec', unit: ' dBm' },
  noiseDb: { id: 'wlan_radio.noise_db', name: 'Noise level (dB)', type: 'uint8', base: 'dec', unit: ' dB' },
  noiseDbm: { id: 'wlan_radio.noise_dbm', name: 'Noise level (dBm)', type: 'int8', base: 'dec', unit: ' dBm' },
  snr: { id: 'wlan_radio.snr', name: 'Signal/noise ratio (dB)', type: 'int32', base: 'dec', unit: ' dB' },
  timestamp: { id: 'wlan_radio.timestamp', name: 'TSF timestamp', type: 'uint64', base: 'dec' },
  lastPartOfAmpdu: { id: 'wlan_radio.last_part_of_an_ampdu', name: 'Last part of an A-MPDU', type: 'boolean', base: 32, mask: 0x1 },
  ampduDelimCrcError: { id: 'wlan_radio.a_mpdu_delim_crc_error', name: 'A-MPDU delimiter CRC error', type: 'boolean', base: 32, mask: 0x2 },
  ampduAggregateId: { id: 'wlan_radio.a_mpdu_aggregate_id', name: 'A-MPDU aggregate ID', type: 'uint32', base: 'dec' },
  duration: { id: 'wlan_radio.duration', name: 'Duration', type: 'uint32', base: 'dec' },
  preamble: { id: 'wlan_radio.preamble', name: 'Preamble', type: 'uint32', base: 'dec' },
  ifs: { id: 'wlan_radio.ifs', name: 'IFS', type: 'int64', base: 'dec' },
  startTsf: { id: 'wlan_radio.start_tsf', name: 'Start', type: 'uint64', base: 'dec' },
  endTsf: { id: 'wlan_radio.end_tsf', name: 'End', type: 'uint64', base: 'dec' },
});

const PHY_11B = 4;
const PHY_11A = 5;
const PHY_11G = 6;
const PHY_11N = 7;
const PHY_11AC = 8;
const PHY_FHSS = 1;

/** Capture-wide radio timing: the end of the previous timed frame, and each frame's gap to it. */
class RadioState {
  lastEnd: bigint | undefined = undefined;
  readonly ifsByFrame = new Map<number, number>();
}

/** What the radiotap fields say about the radio, for the wlan_radio summary (one object per call). */
class RadioInfo {
  tsft: bigint | undefined;
  flags = -1;
  rate = -1;
  freq = -1;
  chanFlags = -1;
  xchanFlags = -1;
  xchanChannel = -1;
  xchanFreq = -1;
  dbmSignal: number | undefined;
  dbmNoise: number | undefined;
  dbSignal: number | undefined;
  dbNoise: number | undefined;
  mcsKnown = -1;
  mcsFlags = 0;
  mcsIndex = 0;
  mcsRate = -1;
  ampduRef = -1;
  ampduFlags = 0;
  vht = false;
  vhtKnown = 0;
  vhtFlags = 0;
  vhtBw = 0;
  vhtRate = -1;
  /** Per user: MCS (high nibble) and NSS (low nibble) octet; 0 = no user. */
  vhtMcsNss = [0, 0, 0, 0];
  vhtCoding = 0;
  vhtGid = 0;
  vhtPaid = 0;

  reset(): void {
    this.tsft = undefined;
    this.flags = this.rate = this.freq = this.chanFlags = this.xchanFlags = this.xchanChannel = this.xchanFreq = -1;
    this.dbmSignal = this.dbmNoise = this.dbSignal = this.dbNoise = undefined;
    this.mcsKnown = -1;
    this.mcsFlags = this.mcsIndex = 0;
    this.mcsRate = -1;
    this.ampduRef = -1;
    this.ampduFlags = 0;
    this.vht = false;
    this.vhtKnown = this.vhtFlags = this.vhtBw = this.vhtCoding = this.vhtGid = this.vhtPaid = 0;
    this.vhtRate = -1;
    this.vhtMcsNss.fill(0);
  }
}

/** Reused for every frame: radiotap headers do not nest, so one summary object is enough. */
const radioScratch = new RadioInfo();
const newRadioState = (): RadioState => new RadioState();

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('WLAN');
  const full = tree.full;
  const version = view.u8(0);
  const hdrLen = view.u16le(2);
  pinfo.setInfo(`Radiotap Capture v${version}, Length ${hdrLen}`);
  const radio = radioScratch;
  radio.reset();
  const top = tree.open(fields.radiotap, view, 0, hdrLen, null);
  tree.add(fields.version, view, 0, 1, version);
  tree.add(fields.pad, view, 1, 1, view.u8(1));
  tree.add(fields.length, view, 2, 2, hdrLen);
  if (version !== 0 || hdrLen < 8) {
    if (full) tree.setLabel(top, `Radiotap Header v${version}, Length ${hdrLen} (invalid)`);
  } else {
    if (full) tree.setLabel(top, `Radiotap Header v${version}, Length ${hdrLen}`);
    view.ensure(0, hdrLen);
    if (!dissectFields(view.sub(0, hdrLen), radio, pinfo, tree) && full) tree.setLabel(top, `Radiotap Header v${version}, Length ${hdrLen} (malformed)`);
  }
  tree.close();

  const frame = view.sub(Math.min(hdrLen, view.length));
  pinfo.layers.push('wlan_radio');
  addRadioInformation(radio, frame.reportedLength, view, hdrLen, pinfo, tree);
  const fcs = radio.flags >= 0 && (radio.flags & 0x10) !== 0;
  const pad = radio.flags >= 0 && (radio.flags & 0x20) !== 0;
  const wlan = findDissector(`wlan_with${fcs ? '' : 'out'}fcs${pad ? '_datapad' : ''}`);
  if (wlan) callDissector(wlan, frame, pinfo, tree);
  else dissectData(frame, pinfo, tree);
  return view.length;
}

/**
 * The present bitmaps and the fields they announce. Returns false when the fields run past the header
 * length (Wireshark's "malformed" header: the fields that fit are still shown). Namespaces: bit 29 starts a
 * new radiotap bitmap, bit 30 a vendor one whose data (after a 6-octet OUI/sub-namespace/skip-length header)
 * is skipped.
 */
function dissectFields(hdr: ByteView, radio: RadioInfo, pinfo: PacketInfo, tree: ProtoTree): boolean {
  // Collect the bitmaps: each has bit 31 set when another follows.
  let wordsEnd = 4;
  do {
    hdr.ensure(wordsEnd, 4);
    wordsEnd += 4;
  } while (hdr.u32le(wordsEnd - 4) & 0x80000000);
  tree.open(fields.present, hdr, 4, wordsEnd - 4, null);
  let vendorNamespace = false;
  for (let w = 4; w < wordsEnd; w += 4) {
    const word = hdr.u32le(w);
    tree.open(fields.presentWord, hdr, w, 4, word);
    if (!vendorNamespace) for (const [key] of presentBitSpecs) tree.add(presentFields[key], hdr, w, 4, (word & presentFields[key].mask!) !== 0);
    tree.close();
    vendorNamespace = (word & 0x40000000) !== 0 ? true : (word & 0x20000000) !== 0 ? false : vendorNamespace;
  }
  // A first walk finds out whether the announced fields fit; Wireshark reports it under the bitmaps.
  const fits = walkFields(hdr, wordsEnd, undefined, undefined);
  if (!fits) addExpert(tree, pinfo, experts.dataPastHeader, hdr, 4, 0);
  tree.close();
  walkFields(hdr, wordsEnd, radio, tree);
  return fits;
}

/**
 * Walks the fields of each bitmap in order, aligned, adding them when given a tree; stops at the first one
 * that does not fit in the header, at TLVs, or at an unknown bit (whose size is unknown). Returns whether
 * everything fit.
 */
function walkFields(hdr: ByteView, wordsEnd: number, radio: RadioInfo | undefined, tree: ProtoTree | undefined): boolean {
  let o = wordsEnd;
  let inVendor = false;
  let nsIndex = 0;
  for (let w = 4; w < wordsEnd; w += 4) {
    const word = hdr.u32le(w);
    if (!inVendor && nsIndex === 0) {
      for (let bit = 0; bit <= 28; bit++) {
        if (!(word & (1 << bit))) continue;
        const spec = BIT_LAYOUT[bit];
        if (!spec) return true;
        o = (o + spec.align - 1) & ~(spec.align - 1);
        if (o + spec.size > hdr.length) return false;
        if (tree && radio) addField(hdr, bit, o, radio, tree);
        o += spec.size;
      }
    }
    if (word & 0x40000000) {
      // Vendor namespace header: OUI, sub-namespace, skip length (2-octet aligned).
      o = (o + 1) & ~1;
      if (o + 6 > hdr.length) return false;
      if (tree) {
        tree.add(fields.vendorOui, hdr, o, 3, hdr.u24(o));
        tree.add(fields.vendorSubns, hdr, o + 3, 1, hdr.u8(o + 3));
        tree.add(fields.vendorDataLen, hdr, o + 4, 2, hdr.u16le(o + 4));
      }
      o += 6 + hdr.u16le(o + 4);
      inVendor = true;
      nsIndex = 0;
    } else if (word & 0x20000000) {
      inVendor = false;
      nsIndex = 0;
    } else {
      nsIndex++;
    }
  }
  return o <= hdr.length;
}

/** "2412 [BG 1]": the channel number Wireshark derives from a frequency, by band. */
function channelOf(freq: number): { band: string; channel: number } | undefined {
  if (freq === 2484) return { band: 'BG', channel: 14 };
  if (freq >= 2412 && freq < 2484) return { band: 'BG', channel: Math.floor((freq - 2407) / 5) };
  if (freq >= 4910 && freq <= 4980) return { band: 'A', channel: Math.floor((freq - 4000) / 5) };
  if (freq > 5000 && freq < 5950) return { band: 'A', channel: Math.floor((freq - 5000) / 5) };
  if (freq > 5950 && freq <= 7125) return { band: 'A', channel: Math.floor((freq - 5950) / 5) };
  return undefined;
}

function flagNames(value: number, specs: readonly (readonly [string, string, number])[]): string {
  let s = '';
  for (const [, name, mask] of specs) if (value & mask) s += `, ${name}`;
  return s;
}

function addField(hdr: ByteView, bit: number, o: number, radio: RadioInfo, tree: ProtoTree): void {
  const full = tree.full;
  switch (bit) {
    case 0: {
      const tsf = hdr.u64le(o);
      radio.tsft = tsf;
      tree.add(fields.mactime, hdr, o, 8, tsf);
      return;
    }
    case 1: {
      const f = hdr.u8(o);
      radio.flags = f;
      tree.open(fields.flags, hdr, o, 1, f);
      for (let i = 0; i < FLAG_FIELDS.length; i++) tree.add(FLAG_FIELDS[i], hdr, o, 1, (f & (1 << i)) !== 0);
      tree.close();
      return;
    }
    case 2: {
      const r = hdr.u8(o);
      radio.rate = r / 2;
      tree.add(fields.datarate, hdr, o, 1, r / 2, full ? `Data Rate: ${(r / 2).toFixed(1)} Mb/s` : undefined);
      return;
    }
    case 3: {
      const freq = hdr.u16le(o);
      const cf = hdr.u16le(o + 2);
      radio.freq = freq;
      radio.chanFlags = cf;
      const ch = channelOf(freq);
      tree.add(fields.channelFreq, hdr, o, 2, freq, full ? `Channel frequency: ${freq}${ch ? ` [${ch.band} ${ch.channel}]` : ''}` : undefined);
      tree.open(fields.channelFlags, hdr, o + 2, 2, cf, full ? `Channel flags: 0x${hex(cf, 4)}${flagNames(cf, channelFlagSpecs)}` : undefined);
      for (const [key, , mask] of channelFlagSpecs) tree.add(channelFlagFields[key], hdr, o + 2, 2, (cf & mask) !== 0);
      tree.close();
      return;
    }
    case 4:
      tree.add(fields.fhssHopset, hdr, o, 1, hdr.u8(o));
      tree.add(fields.fhssPattern, hdr, o + 1, 1, hdr.u8(o + 1));
      return;
    case 5: {
      const v = (hdr.u8(o) << 24) >> 24;
      radio.dbmSignal = v;
      tree.add(fields.dbmAntsignal, hdr, o, 1, v);
      return;
    }
    case 6: {
      const v = (hdr.u8(o) << 24) >> 24;
      radio.dbmNoise = v;
      tree.add(fields.dbmAntnoise, hdr, o, 1, v);
      return;
    }
    case 7:
      tree.add(fields.quality, hdr, o, 2, hdr.u16le(o));
      return;
    case 8:
      tree.add(fields.txattenuation, hdr, o, 2, hdr.u16le(o));
      return;
    case 9:
      tree.add(fields.dbTxattenuation, hdr, o, 2, hdr.u16le(o));
      return;
    case 10:
      tree.add(fields.txpower, hdr, o, 1, (hdr.u8(o) << 24) >> 24);
      return;
    case 11:
      tree.add(fields.antenna, hdr, o, 1, hdr.u8(o));
      return;
    case 12:
      radio.dbSignal = hdr.u8(o);
      tree.add(fields.dbAntsignal, hdr, o, 1, radio.dbSignal);
      return;
    case 13:
      radio.dbNoise = hdr.u8(o);
      tree.add(fields.dbAntnoise, hdr, o, 1, radio.dbNoise);
      return;
    case 14: {
      const f = hdr.u16le(o);
      tree.open(fields.rxflags, hdr, o, 2, f, full ? `RX flags: 0x${hex(f, 4)}${f & 2 ? ', Bad PLCP' : ''}` : undefined);
      tree.add(fields.rxBadplcp, hdr, o, 2, (f & 2) !== 0);
      tree.close();
      return;
    }
    case 15: {
      const f = hdr.u16le(o);
      let names = '';
      if (full) for (let i = 0; i < TX_FLAG_FIELDS.length; i++) if (f & (1 << i)) names += `, ${TX_FLAG_FIELDS[i].name}`;
      tree.open(fields.txflags, hdr, o, 2, f, full ? `TX flags: 0x${hex(f, 4)}${names}` : undefined);
      for (let i = 0; i < TX_FLAG_FIELDS.length; i++) tree.add(TX_FLAG_FIELDS[i], hdr, o, 2, (f & (1 << i)) !== 0);
      tree.close();
      return;
    }
    case 17:
      tree.add(fields.dataRetries, hdr, o, 1, hdr.u8(o));
      return;
    case 18: {
      // XChannel: flags (4), frequency (2), channel (1), max power (1).
      const xf = hdr.u32le(o);
      radio.xchanFlags = xf;
      radio.xchanFreq = hdr.u16le(o + 4);
      radio.xchanChannel = hdr.u8(o + 6);
      tree.add(fields.xchannelChannel, hdr, o + 6, 1, radio.xchanChannel);
      tree.add(fields.xchannelFreq, hdr, o + 4, 2, radio.xchanFreq);
      tree.open(fields.xchannelFlags, hdr, o, 4, xf, full ? `Channel flags: 0x${hex(xf, 8)}${flagNames(xf, xchannelFlagSpecs)}` : undefined);
      for (const [key, , mask] of xchannelFlagSpecs) tree.add(xchannelFlagFields[key], hdr, o, 4, (xf & mask) !== 0);
      tree.close();
      return;
    }
    case 19:
      addMcs(hdr, o, radio, tree);
      return;
    case 20: {
      const ref = hdr.u32le(o);
      const f = hdr.u16le(o + 4);
      radio.ampduRef = ref;
      radio.ampduFlags = f;
      tree.open(fields.ampdu, hdr, o, 8, null);
      tree.add(fields.ampduReference, hdr, o, 4, ref);
      tree.open(fields.ampduFlags, hdr, o + 4, 2, f);
      for (const sf of AMPDU_FLAG_FIELDS) tree.add(sf, hdr, o + 4, 2, (f & sf.mask!) !== 0);
      tree.close();
      // The delimiter CRC value is meaningful when flag 0x20 ("delimiter CRC value known") is set.
      if (f & 0x20) tree.add(fields.ampduDelimCrc, hdr, o + 6, 1, hdr.u8(o + 6));
      tree.close();
      return;
    }
    case 21:
      addVht(hdr, o, radio, tree);
      return;
    case 22:
      tree.open(fields.timestamp, hdr, o, 12, null);
      tree.add(fields.timestampTs, hdr, o, 8, hdr.u64le(o));
      tree.close();
      return;
    default:
      // RTS retries, HE, HE-MU, 0-length PSDU, L-SIG: skipped.
      return;
  }
}

/** Data subcarriers by VHT bandwidth code: 20, 40, 80 or 160 MHz (§21.3.7.2). */
function vhtSubcarriers(bw: number): number {
  if (bw === 0) return 52;
  if (bw <= 3) return 108;
  if (bw <= 10) return 234;
  if (bw <= 25) return 468;
  return 0;
}

/** VHT data rate of one user: subcarriers × bits × coding rate × streams per 4 µs (3.6 µs short GI) symbol. */
function vhtRate(bw: number, mcs: number, nss: number, shortGi: boolean): number {
  const nsd = vhtSubcarriers(bw);
  if (!nsd || mcs > 9 || nss === 0) return -1;
  const bits = nsd * BITS_PER_SUBCARRIER[mcs] * CODING_RATE[mcs] * nss;
  return Math.round((bits / (shortGi ? 3.6 : 4)) * 10) / 10;
}

/** VHT field (radiotap.org/fields/VHT): known, flags, bandwidth, four users' MCS/NSS, coding, group id, AID. */
function addVht(hdr: ByteView, o: number, radio: RadioInfo, tree: ProtoTree): void {
  const full = tree.full;
  const known = hdr.u16le(o);
  const flags = hdr.u8(o + 2);
  const bw = hdr.u8(o + 3);
  const coding = hdr.u8(o + 8);
  radio.vht = true;
  radio.vhtKnown = known;
  radio.vhtFlags = flags;
  radio.vhtBw = bw;
  radio.vhtCoding = coding;
  radio.vhtGid = hdr.u8(o + 9);
  radio.vhtPaid = hdr.u16le(o + 10);
  tree.open(fields.vht, hdr, o, 12, null);
  // Wireshark's label shows the two octets as they appear, high-order first.
  tree.open(fields.vhtKnown, hdr, o, 2, hdr.u16(o) & 0xff, full ? `Known VHT information: 0x${hex(hdr.u16(o), 4)}` : undefined);
  tree.add(fields.vhtHaveStbc, hdr, o, 2, (known & 0x0001) !== 0);
  tree.add(fields.vhtHaveTxopPs, hdr, o, 2, (known & 0x0002) !== 0);
  tree.add(fields.vhtHaveGi, hdr, o, 2, (known & 0x0004) !== 0);
  tree.add(fields.vhtHaveSgiNsymDa, hdr, o, 2, (known & 0x0008) !== 0);
  tree.add(fields.vhtLdpcExtra, hdr, o, 2, (known & 0x0010) !== 0);
  tree.add(fields.vhtHaveBeamformed, hdr, o, 2, (known & 0x0020) !== 0);
  tree.add(fields.mcsHaveBw, hdr, o, 2, (known & 0x0040) !== 0, full ? `.... .... .${known & 0x40 ? 1 : 0}.. .... = Bandwidth: ${known & 0x40 ? 'Present' : 'Absent'}` : undefined);
  tree.add(fields.vhtHaveGid, hdr, o, 2, (known & 0x0080) !== 0);
  tree.add(fields.vhtHavePaid, hdr, o, 2, (known & 0x0100) !== 0);
  tree.close();
  const f = (bit: number) => (flags & bit) !== 0;
  if (known & 0x0001) tree.add(fields.vhtStbc, hdr, o + 2, 1, f(0x01));
  if (known & 0x0002) tree.add(fields.vhtTxopPs, hdr, o + 2, 1, f(0x02));
  if (known & 0x0004) tree.add(fields.vhtGi, hdr, o + 2, 1, (flags >> 2) & 1);
  if (known & 0x0008) tree.add(fields.vhtSgiNsymDa, hdr, o + 2, 1, f(0x08));
  if (known & 0x0010) tree.add(fields.vhtLdpcExtra, hdr, o + 2, 1, f(0x10), full ? `...${f(0x10) ? 1 : 0} .... = LDPC extra OFDM symbol: ${f(0x10) ? 'True' : 'False'}` : undefined);
  if (known & 0x0020) tree.add(fields.vhtBeamformed, hdr, o + 2, 1, f(0x20));
  if (known & 0x0040) tree.add(fields.vhtBw, hdr, o + 3, 1, bw);
  for (let u = 0; u < 4; u++) {
    const mn = hdr.u8(o + 4 + u);
    radio.vhtMcsNss[u] = mn;
    const nss = mn & 0x0f;
    if (nss === 0) continue;
    const mcs = mn >> 4;
    const uf = vhtUserFields[u];
    tree.open(fields.vhtUser, hdr, o + 4 + u, 5, null, full ? `User ${u}: MCS ${mcs}` : undefined);
    tree.add(uf.mcs, hdr, o + 4 + u, 1, mcs, full ? `${mcs.toString(2).padStart(4, '0')} .... = MCS index ${u}: ${mcs}${mcs <= 9 ? ` (${vhtModulations[mcs]})` : ''}` : undefined);
    tree.add(uf.nss, hdr, o + 4 + u, 1, nss);
    if (known & 0x0001) {
      const nsts = f(0x01) ? nss * 2 : nss;
      tree.addGenerated(uf.nsts, hdr, o + 4 + u, 1, nsts, full ? `[Space-time streams ${u}: ${nsts}]` : undefined);
    }
    tree.add(uf.coding, hdr, o + 8, 1, (coding >> u) & 1);
    if (known & 0x0044) {
      const rate = vhtRate(bw, mcs, nss, (known & 0x0004) !== 0 && f(0x04));
      if (rate > 0) {
        if (u === 0) radio.vhtRate = rate;
        tree.addGenerated(uf.datarate, hdr, o, 12, rate, full ? `[Data Rate: ${rate.toFixed(1)} Mb/s]` : undefined);
      }
    }
    tree.close();
  }
  if (known & 0x0080) tree.add(fields.vhtGid, hdr, o + 9, 1, radio.vhtGid);
  if (known & 0x0100) tree.add(fields.vhtPaid, hdr, o + 10, 2, radio.vhtPaid);
  tree.close();
}

/** Sub-fields in bit order: the radiotap flags, TX flags, A-MPDU flags and MCS "known" bits. */
const FLAG_FIELDS: readonly FieldInfo[] = [fields.flagCfp, fields.flagPreamble, fields.flagWep, fields.flagFrag, fields.flagFcs, fields.flagDatapad, fields.flagBadfcs, fields.flagShortgi];
const TX_FLAG_FIELDS: readonly FieldInfo[] = [fields.txFail, fields.txCts, fields.txRts, fields.txNoack, fields.txNoseqno, fields.txOrder];
const AMPDU_FLAG_FIELDS: readonly FieldInfo[] = [fields.ampduReportZerolen, fields.ampduIsZerolen, fields.ampduLastknown, fields.ampduLast, fields.ampduDelimCrcError, fields.ampduEof, fields.ampduEofKnown];
const MCS_HAVE_FIELDS: readonly FieldInfo[] = [fields.mcsHaveBw, fields.mcsHaveIndex, fields.mcsHaveGi, fields.mcsHaveFormat, fields.mcsHaveFec, fields.mcsHaveStbc, fields.mcsHaveNess];

/** MCS field (radiotap.org/fields/MCS): known bits, flags, MCS index; and the HT data rate it implies. */
function addMcs(hdr: ByteView, o: number, radio: RadioInfo, tree: ProtoTree): void {
  const full = tree.full;
  const known = hdr.u8(o);
  const flags = hdr.u8(o + 1);
  const index = hdr.u8(o + 2);
  radio.mcsKnown = known;
  radio.mcsFlags = flags;
  radio.mcsIndex = index;
  tree.open(fields.mcs, hdr, o, 3, null);
  let names = '';
  if (full) for (let i = 0; i < MCS_HAVE_FIELDS.length; i++) if (known & (1 << i)) names += `, ${MCS_HAVE_FIELDS[i].name}`;
  tree.open(fields.mcsKnown, hdr, o, 1, known, full ? `Known MCS information: 0x${hex(known, 2)}${names}` : undefined);
  for (let i = 0; i < MCS_HAVE_FIELDS.length; i++) tree.add(MCS_HAVE_FIELDS[i], hdr, o, 1, (known & (1 << i)) !== 0);
  if (known & 0x40) tree.add(fields.mcsNessBit1, hdr, o, 1, known >> 7);
  tree.close();
  if (known & 0x01) tree.add(fields.mcsBw, hdr, o + 1, 1, flags & 3);
  if (known & 0x04) tree.add(fields.mcsGi, hdr, o + 1, 1, (flags >> 2) & 1);
  if (known & 0x08) tree.add(fields.mcsFormat, hdr, o + 1, 1, (flags >> 3) & 1);
  if (known & 0x10) tree.add(fields.mcsFec, hdr, o + 1, 1, (flags >> 4) & 1);
  if (known & 0x20) tree.add(fields.mcsStbc, hdr, o + 1, 1, (flags >> 5) & 3);
  if (known & 0x40) tree.add(fields.mcsNessBit0, hdr, o + 1, 1, flags >> 7);
  if (known & 0x02) tree.add(fields.mcsIndex, hdr, o + 2, 1, index);
  tree.close();
  if ((known & 0x07) === 0x07) {
    const rate = htRate(index, (flags & 3) === 1, (flags & 4) !== 0);
    if (rate > 0) {
      radio.mcsRate = rate;
      tree.addGenerated(fields.datarate, hdr, o, 3, rate, full ? `[Data Rate: ${rate.toFixed(1)} Mb/s]` : undefined);
    }
  }
}

/**
 * HT data rate of MCS 0-31 (IEEE 802.11-2020 §19.5): data subcarriers (52 at 20 MHz, 108 at 40 MHz) × coded
 * bits per subcarrier × coding rate × spatial streams, per 4 µs symbol (3.6 µs with the short guard interval).
 */
function htRate(mcs: number, is40: boolean, shortGi: boolean): number {
  if (mcs > 31) return -1;
  const streams = (mcs >> 3) + 1;
  const m = mcs & 7;
  const bitsPerSc = [1, 2, 2, 4, 4, 6, 6, 6][m];
  const coding = [1 / 2, 1 / 2, 3 / 4, 1 / 2, 3 / 4, 2 / 3, 3 / 4, 5 / 6][m];
  const bitsPerSymbol = (is40 ? 108 : 52) * bitsPerSc * coding * streams;
  return Math.round((bitsPerSymbol / (shortGi ? 3.6 : 4)) * 10) / 10;
}

/** The PHY the radiotap fields describe, as Wireshark classifies it (0 when unknown). */
function phyOf(radio: RadioInfo): number {
  if (radio.vht) return PHY_11AC;
  if (radio.mcsKnown >= 0) return PHY_11N;
  const f = radio.chanFlags;
  if (f >= 0) {
    const ghz2 = (f & 0x80) !== 0;
    const ofdm = (f & 0x40) !== 0;
    if (ghz2 && f & 0x20 && !ofdm) return PHY_11B;
    if (ghz2 && (ofdm || f & 0x400)) return PHY_11G;
    if (f & 0x100 && ofdm) return PHY_11A;
    if (ghz2 && f & 0x800) return PHY_FHSS;
  }
  // No usable channel flags: the band of a known channel frequency and the rate decide.
  const band = radio.rate > 0 && radio.freq > 0 ? channelOf(radio.freq)?.band : undefined;
  if (band === 'BG') return radio.rate === 1 || radio.rate === 2 || radio.rate === 5.5 || radio.rate === 11 ? PHY_11B : PHY_11G;
  if (band === 'A') return PHY_11A;
  return 0;
}

/** The "802.11 radio information" item: what is known of the PHY, rate, channel, signal and airtime. */
function addRadioInformation(radio: RadioInfo, frameLen: number, view: ByteView, hdrLen: number, pinfo: PacketInfo, tree: ProtoTree): void {
  const full = tree.full;
  const at = Math.min(hdrLen, view.length);
  tree.open(radioFields.wlanRadio, view, at, 0, null);
  const phy = phyOf(radio);
  const chanFlags = radio.chanFlags;
  if (phy) tree.add(radioFields.phy, view, at, 0, phy);
  if (phy === PHY_11B && radio.flags >= 0) tree.add(radioFields.shortPreamble, view, at, 0, (radio.flags & 2) !== 0);
  if (phy === PHY_11A && chanFlags >= 0 && chanFlags & 0x40 && !(chanFlags & 0xc000)) {
    tree.add(radioFields.turboType, view, at, 0, chanFlags & 0x2000 ? 3 : chanFlags & 0x10 ? 1 : 0);
  }
  if (phy === PHY_11G && chanFlags >= 0 && chanFlags & 0x80) tree.add(radioFields.gMode, view, at, 0, chanFlags & 0x10 ? 1 : 0);
  if (phy === PHY_11N) {
    const k = radio.mcsKnown;
    const fl = radio.mcsFlags;
    if (k & 0x02) tree.add(radioFields.mcsIndex, view, at, 0, radio.mcsIndex);
    if (k & 0x01) tree.add(radioFields.bandwidth, view, at, 0, fl & 3);
    if (k & 0x04) tree.add(radioFields.shortGi, view, at, 0, (fl & 4) !== 0);
    if (k & 0x08) tree.add(radioFields.greenfield, view, at, 0, (fl & 8) !== 0);
    if (k & 0x10) tree.add(radioFields.fec, view, at, 0, (fl >> 4) & 1);
    if (k & 0x20) tree.add(radioFields.stbcStreams, view, at, 0, (fl >> 5) & 3);
    if (k & 0x40) tree.add(radioFields.ness, view, at, 0, ((fl >> 7) & 1) | ((k >> 6) & 2));
  }
  if (phy === PHY_11AC) addVhtRadio(radio, view, at, tree);
  const rate = phy === PHY_11N ? radio.mcsRate : phy === PHY_11AC ? radio.vhtRate : radio.rate;
  if (rate > 0) tree.add(radioFields.dataRate, view, at, 0, rate, full ? `Data rate: ${rate.toFixed(1)} Mb/s` : undefined);
  const freq = radio.xchanFreq > 0 ? radio.xchanFreq : radio.freq;
  if (freq > 0) {
    const ch = radio.xchanChannel > 0 ? radio.xchanChannel : channelOf(freq)?.channel;
    if (ch !== undefined) tree.add(radioFields.channel, view, at, 0, ch);
    tree.add(radioFields.frequency, view, at, 0, freq, full ? `Frequency: ${freq}MHz` : undefined);
  }
  if (radio.dbSignal !== undefined) tree.add(radioFields.signalDb, view, at, 0, radio.dbSignal);
  if (radio.dbmSignal !== undefined) tree.add(radioFields.signalDbm, view, at, 0, radio.dbmSignal);
  if (radio.dbNoise !== undefined) tree.add(radioFields.noiseDb, view, at, 0, radio.dbNoise);
  if (radio.dbmNoise !== undefined) tree.add(radioFields.noiseDbm, view, at, 0, radio.dbmNoise);
  if (radio.dbmSignal !== undefined && radio.dbmNoise !== undefined) tree.add(radioFields.snr, view, at, 0, radio.dbmSignal - radio.dbmNoise);
  else if (radio.dbSignal !== undefined && radio.dbNoise !== undefined) tree.add(radioFields.snr, view, at, 0, radio.dbSignal - radio.dbNoise);
  if (radio.tsft !== undefined) tree.add(radioFields.timestamp, view, at, 0, radio.tsft);
  if (radio.ampduRef >= 0) {
    const f = radio.ampduFlags;
    tree.add(radioFields.lastPartOfAmpdu, view, at, 0, (f & 0x0c) === 0x0c);
    tree.add(radioFields.ampduDelimCrcError, view, at, 0, (f & 0x10) !== 0);
    tree.add(radioFields.ampduAggregateId, view, at, 0, radio.ampduRef);
  }
  addAirtime(radio, phy, rate, frameLen, view, at, pinfo, tree);
  tree.close();
}

/** The VHT part of the radio summary. */
function addVhtRadio(radio: RadioInfo, view: ByteView, at: number, tree: ProtoTree): void {
  const k = radio.vhtKnown;
  const f = (bit: number) => (radio.vhtFlags & bit) !== 0;
  if (k & 0x0004) tree.add(radioFields.vhtShortGi, view, at, 0, f(0x04));
  if (k & 0x0040) tree.add(radioFields.vhtBandwidth, view, at, 0, radio.vhtBw);
  // These four are shown whether or not the "known" bits vouch for them.
  tree.add(radioFields.vhtStbc, view, at, 0, f(0x01));
  tree.add(radioVhtExtraFields.txopPsNotAllowed, view, at, 0, f(0x02));
  tree.add(radioFields.vhtSgiNsym, view, at, 0, f(0x08));
  tree.add(radioFields.vhtLdpcExtra, view, at, 0, f(0x10));
  if (k & 0x0020) tree.add(radioFields.vhtBeamformed, view, at, 0, f(0x20));
  for (let u = 0; u < 4; u++) {
    const mn = radio.vhtMcsNss[u];
    const nss = mn & 0x0f;
    if (nss === 0) continue;
    const mcs = mn >> 4;
    tree.open(radioFields.vhtUser, view, at, 0, null, tree.full ? `User ${u}: MCS ${mcs}` : undefined);
    tree.add(radioFields.vhtMcs, view, at, 0, mcs, tree.full ? `MCS index: ${mcs}${mcs <= 9 ? ` (${vhtModulations[mcs]})` : ''}` : undefined);
    tree.add(radioFields.vhtNss, view, at, 0, nss);
    tree.add(radioFields.vhtNsts, view, at, 0, f(0x01) ? nss * 2 : nss);
    tree.add(radioFields.vhtFec, view, at, 0, (radio.vhtCoding >> u) & 1);
    tree.close();
  }
  if (k & 0x0080) tree.add(radioFields.vhtGid, view, at, 0, radio.vhtGid);
  if (k & 0x0100) tree.add(radioFields.vhtPaid, view, at, 0, radio.vhtPaid);
}

/**
 * Airtime of the frame, as Wireshark estimates it: PLCP preamble and header, then the PSDU (the frame's
 * reported length) at the data rate. DSSS/CCK (IEEE 802.11-2020 §16.3.4): 192 µs long or 96 µs short
 * preamble. OFDM (§17.4.3): 20 µs, then 4 µs symbols carrying 16 service + 8·L + 6 tail bits. HT (§19.4.3):
 * the mixed (32 µs) or greenfield (24 µs) preamble plus 4 µs per HT-LTF, symbols of 4 µs (3.6 µs short GI,
 * rounded up to 4 µs in total); an A-MPDU subframe adds its 4-octet delimiter and padding. VHT airtime is not
 * computed.
 */
function addAirtime(radio: RadioInfo, phy: number, rate: number, frameLen: number, view: ByteView, at: number, pinfo: PacketInfo, tree: ProtoTree): void {
  if (rate <= 0) return;
  const full = tree.full;
  let preamble: number;
  let duration: number;
  const assumed: (typeof radioExperts)[keyof typeof radioExperts][] = [];
  if (phy === PHY_11B) {
    if (radio.flags < 0) return;
    preamble = radio.flags & 0x02 ? 96 : 192;
    duration = preamble + Math.ceil((frameLen * 8) / rate);
  } else if (phy === PHY_11A || phy === PHY_11G) {
    preamble = 20;
    duration = preamble + 4 * Math.ceil((16 + frameLen * 8 + 6) / (4 * rate));
  } else if (phy === PHY_11N) {
    const k = radio.mcsKnown;
    const fl = radio.mcsFlags;
    if ((k & 0x07) !== 0x07 || radio.mcsIndex > 31) return;
    const stbc = k & 0x20 ? (fl >> 5) & 3 : 0;
    if (!(k & 0x20)) assumed.push(radioExperts.assumedNoStbc);
    const ness = k & 0x40 ? ((fl >> 7) & 1) | ((k >> 6) & 2) : 0;
    if (!(k & 0x40)) assumed.push(radioExperts.assumedNoExtensionStreams);
    const greenfield = k & 0x08 ? (fl & 0x08) !== 0 : false;
    if (!(k & 0x08)) assumed.push(radioExperts.assumedNonGreenfield);
    const ldpc = k & 0x10 ? (fl & 0x10) !== 0 : false;
    if (!(k & 0x10)) assumed.push(radioExperts.assumedBccFec);
    const nsts = (radio.mcsIndex >> 3) + 1 + stbc;
    const ltf = [1, 2, 4, 4][Math.min(nsts, 4) - 1] + [0, 1, 2, 4][ness];
    preamble = greenfield ? 24 + 4 * (ltf - 1) : 32 + 4 * ltf;
    const bitsPerSymbol = htRate(radio.mcsIndex, (fl & 3) === 1, false) * 4;
    const encoders = Math.ceil(rate / 300);
    const length = radio.ampduRef >= 0 ? ((frameLen + 3) & ~3) + 4 : frameLen;
    let symbols = Math.ceil((8 * length + 16 + (ldpc ? 0 : 6 * encoders)) / bitsPerSymbol);
    if (stbc && symbols % 2) symbols++;
    const dataTime = fl & 0x04 ? 4 * Math.ceil((symbols * 3.6) / 4) : symbols * 4;
    duration = preamble + dataTime;
  } else {
    return;
  }
  tree.open(radioFields.duration, view, at, 0, duration, full ? `[Duration: ${duration}µs]` : undefined, 1);
  for (const ex of assumed) addExpert(tree, pinfo, ex, view, at, 0);
  tree.addGenerated(radioFields.preamble, view, at, 0, preamble, full ? `[Preamble: ${preamble}µs]` : undefined);
  if (radio.tsft !== undefined) {
    // Wireshark takes the TSF as the end of the frame.
    const end = radio.tsft;
    const start = end - BigInt(duration);
    // The gap since the previous timed frame ended: recorded on the first pass, in capture order.
    const st = pinfo.state.of('wlan_radio', newRadioState);
    if (pinfo.firstPass) {
      if (st.lastEnd !== undefined) st.ifsByFrame.set(pinfo.frame, Number(start - st.lastEnd));
      st.lastEnd = end;
    }
    const ifs = st.ifsByFrame.get(pinfo.frame);
    if (ifs !== undefined) tree.addGenerated(radioFields.ifs, view, at, 0, BigInt(ifs), full ? `[IFS: ${ifs}µs]` : undefined);
    tree.addGenerated(radioFields.startTsf, view, at, 0, start, full ? `[Start: ${start}µs]` : undefined);
    tree.addGenerated(radioFields.endTsf, view, at, 0, end, full ? `[End: ${end}µs]` : undefined);
  }
  tree.close();
}

export const handle = { abbrev: 'radiotap', dissect };

export function handoff(): void {
  tables.linkType.add(LinkType.IEEE802_11_RADIOTAP, handle);
}
