import { CaptureSession, type SessionOptions } from '../../src/core/session';
import type { ByteSource } from '../../src/core/capture/byte-source';
import { CONVERSATION_TYPES } from '../../src/core/analysis/conversations';
import { compileFilter } from '../../src/core/filter/index';

/**
 * Everything a first pass leaves behind, as later passes show it: per frame the stream numbers, the TCP
 * numbers and analysis results, the stream times and the columns (Info carries the analysis prefixes);
 * then the header fields, every conversation table, and the list rows (those two have shortcuts of their
 * own). Two sessions that agree here left the same state and show the same rows and fields.
 */
const STATE_FIELDS = [
  'frame.number',
  'frame.protocols',
  'tcp.stream',
  'tcp.seq',
  'tcp.ack',
  'tcp.nxtseq',
  'tcp.window_size',
  'tcp.window_size_scalefactor',
  'tcp.completeness',
  'tcp.analysis.flags',
  'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.time_relative',
  'tcp.time_delta',
  'udp.stream',
  'udp.time_relative',
  'udp.time_delta',
  '_ws.col.Source',
  '_ws.col.Destination',
  '_ws.col.Protocol',
  '_ws.col.Info',
];

/** Fields the plain-frame filter path records (so `fathom fields` with only these takes it). */
const HEADER_FIELDS = [
  'frame', 'frame.number', 'frame.len', 'frame.cap_len', 'frame.time', 'frame.time_epoch', 'frame.time_relative', 'frame.time_delta', 'eth', 'eth.dst', 'eth.src', 'eth.addr', 'eth.type',
  'eth.dst.lg', 'eth.dst.ig', 'eth.src.lg', 'eth.src.ig', 'eth.lg', 'eth.ig',
  'ip', 'ip.len', 'ip.id', 'ip.ttl', 'ip.proto', 'ip.src', 'ip.dst', 'ip.addr', 'ip.version', 'ip.hdr_len', 'ip.dsfield',
  'ip.dsfield.dscp', 'ip.dsfield.ecn', 'ip.flags', 'ip.flags.rb', 'ip.flags.df', 'ip.flags.mf', 'ip.frag_offset',
  'ip.checksum', 'ip.checksum.status',
  'ipv6', 'ipv6.plen', 'ipv6.nxt', 'ipv6.src', 'ipv6.dst', 'ipv6.addr', 'ipv6.version', 'ipv6.tclass', 'ipv6.tclass.dscp',
  'ipv6.tclass.ecn', 'ipv6.flow', 'ipv6.hlim',
  'tcp', 'tcp.srcport', 'tcp.dstport', 'tcp.port', 'tcp.len', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.hdr_len', 'tcp.flags',
  'tcp.flags.res', 'tcp.flags.ae', 'tcp.flags.cwr', 'tcp.flags.ece', 'tcp.flags.urg', 'tcp.flags.ack', 'tcp.flags.push',
  'tcp.flags.reset', 'tcp.flags.syn', 'tcp.flags.fin', 'tcp.window_size_value', 'tcp.checksum', 'tcp.urgent_pointer',
  'udp', 'udp.srcport', 'udp.dstport', 'udp.port', 'udp.length', 'udp.checksum', 'udp.checksum.status',
  'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code',
];

/**
 * The outcome of a first pass, list rows and header fields over the capture `open` gives, with or without the
 * plain-frame shortcuts (and any other session options: the first pass while reading, small windows).
 */
export async function firstPassOutcome(open: () => Promise<ByteSource & { close?: () => Promise<void> }>, plainFrames: boolean, options: SessionOptions = {}): Promise<string[]> {
  const source = await open();
  try {
    const session = await CaptureSession.open(source, { ...options, plainFrames });
    const out: string[] = [];
    await session.fields(STATE_FIELDS, 1, session.frameCount, (_n, values) => {
      out.push(values.join('\t'));
    });
    // Header fields alone take the fields shortcut.
    await session.fields(HEADER_FIELDS, 1, session.frameCount, (_n, values) => {
      out.push(values.join('\t'));
    });
    for (const type of CONVERSATION_TYPES) out.push(`${type} ${JSON.stringify(await session.conversations(type))}`);
    // List rows take their own shortcut: each row with the frame's expert severity (the row's colour).
    await session.list(1, session.frameCount, (row, pinfo) => {
      out.push(`${JSON.stringify(row)} severity ${pinfo.expertSeverity}`);
    });
    return out;
  } finally {
    await source.close?.();
  }
}

/**
 * Filters that read only what the plain-frame filter path records (analysis/plain-frames.ts), each kind of
 * use once: values, sets, slices of fields and of protocols, protocol bytes, layers, functions.
 */
export const HEADER_FILTERS = [
  'tcp.port == 443 && ip.src == 192.168.0.0/16',
  'ip.addr == 10.0.0.1 || ipv6.addr == ::1',
  'ip.src != ip.dst',
  'ip.ttl < 64 && ip.proto == 6',
  'ip.len == 40 || ip.id == 0',
  'eth.addr == ff:ff:ff:ff:ff:ff',
  'eth.src[0:3] == 00:1a:2b',
  'eth.type == 0x86dd',
  'eth.type == 0x0806 && !ip && !ipv6',
  'eth[12:2] == 08:00',
  'ip[0] == 0x45',
  'ipv6.nxt == 17 && ipv6.plen > 100',
  'ipv6.src[0:2] == fe:80',
  'count(ipv6.src) == 1',
  'udp.port in {53, 67..68, 123}',
  'udp.length > 100 && udp.srcport > 1024',
  'tcp.dstport == 80 && tcp contains "GET"',
  'udp contains 00:01',
  'tcp[13] & 0x02',
  'tcp && !udp',
  'udp',
  'frame.len > 1000 && frame.cap_len == frame.len',
  'frame.number <= 100 || frame contains "HTTP"',
  'ip.src#1 == 192.168.1.35',
  'ip.addr#[-1] == 8.8.8.8',
  'count(ip.addr) == 2 && len(eth.src) == 6',
  'tcp.srcport > tcp.dstport',
  'any tcp.port == 53 || all udp.port == 53',
  '@ip.src == c0:a8:01:23 || @tcp.dstport == 01:bb',
  'ip[12:4] == @ip.dst || eth.addr#2 == ff:ff:ff:ff:ff:ff',
  'tcp.port != 443 && ipv6.addr != fe80::/10',
  'string(frame.number) matches "^1[0-9]$" && frame.len - frame.cap_len == 0',
  'ipv6 contains 00:00:00 || ip contains 0a:00 || eth[6:6] == eth.src',
  'max(tcp.port) > 50000 || min(udp.port) < 100 || ip.ttl in {1..32, 255}',
  // Ethernet padding is no part of the transport's data: these see it only if a data end is wrong.
  'tcp contains 00:00:00:00:00:00:00 || udp contains 00:00:00:00:00:00:00',
  // The TCP header's own fields: flags (booleans and the whole), lengths, raw numbers, window, checksum.
  'tcp.flags.syn == 1 && tcp.flags.ack == 0',
  'tcp.flags == 0x012 || tcp.flags & 0x029 == 0x029',
  'tcp.flags.reset == True || tcp.flags.push == 1 || tcp.flags.urg || tcp.flags.cwr == 1 || tcp.flags.ece == 1 || tcp.flags.ae == 1 || tcp.flags.res == 1',
  'tcp.flags.fin && !tcp.flags.ack',
  'tcp.len > 0 && tcp.hdr_len == 32',
  'tcp.len == 0 && tcp.window_size_value == 0',
  'tcp.len in {1..100} || tcp.flags.syn == tcp.flags.fin',
  'tcp.seq_raw > 2147483648 || tcp.ack_raw == 0',
  'tcp.checksum == 0 || tcp.urgent_pointer != 0',
  '@tcp.flags == 50:02 || @tcp.hdr_len == 80 || @tcp.window_size_value == ff:ff',
  'string(tcp.len) == "0" || string(tcp.hdr_len) == "20"',
  // The LG and IG bits of the Ethernet addresses (eth.lg and eth.ig occur for both).
  'eth.dst.ig == 1 || eth.src.lg == 1',
  'eth.ig == 1 && eth.lg == 0 || all eth.lg == 0 && eth.src.ig == 0 && eth.dst.lg == 0',
  '@eth.dst.ig == ff:ff:ff || eth.ig#2 == 1 || count(eth.lg) != 2',
  // The frame's times: since the first frame, since the previous one, and the arrival time.
  'frame.time_relative > 1.5 || frame.time_delta > 0.01',
  'frame.time_delta == 0 && frame.number > 1',
  'frame.time >= "2020-01-01 00:00:00" && frame.time_epoch > 1577836800',
  // The rest of the IPv4 header: version, lengths, DS field, flags, fragment offset, checksum and its status.
  'ip.flags.df == 1 && ip.dsfield.dscp == 0',
  'ip.flags == 0x02 || ip.frag_offset > 0 || ip.flags.mf == 1 || ip.flags.rb',
  'ip.version == 4 && ip.hdr_len == 20 && ip.dsfield.ecn != 3',
  'ip.version == 6 || @ip.version == 45',
  'ip.checksum.status == 2 && ip.checksum != 0',
  '@ip.checksum.status == @ip.checksum || @ip.flags == 40 || ip.dsfield == 0x00 || @ip.frag_offset == 00:00',
  // The rest of the IPv6 header, and the UDP checksum with its status.
  'ipv6.hlim == 255 || ipv6.flow != 0 || ipv6.tclass.dscp == 46',
  'ipv6.version == 6 && ipv6.tclass == 0 && ipv6.tclass.ecn == 0',
  '@ipv6.tclass == 60:00:00:00 || @ipv6.flow contains 00',
  'udp.checksum == 0 || udp.checksum.status != 2',
  'udp.checksum.status == 3 || @udp.checksum == 00:00 || len(@udp.checksum.status) > 0',
  // ICMP echoes and ICMPv6 messages that quote no packet: type and code.
  'icmp.type == 8 || icmp.code != 0 || icmpv6.type in {128..136} || icmpv6.code == 0',
  '@icmp.type == 00 || @icmpv6.code == 00 && icmpv6.type != 135',
  // tcp.len is generated: no bytes of its own.
  'len(@tcp.len) > 0 || @tcp.seq_raw contains 00',
];

/** Which frames each filter keeps, with or without the plain-frame shortcuts: one bitset a filter, as text. */
export async function filterOutcome(open: () => Promise<ByteSource & { close?: () => Promise<void> }>, plainFrames: boolean, filters: readonly string[]): Promise<string[]> {
  const source = await open();
  try {
    const session = await CaptureSession.open(source, { plainFrames });
    const out: string[] = [];
    for (const text of filters) {
      const bits = await session.filter(compileFilter(text), 1, session.frameCount);
      out.push(`${text}: ${Buffer.from(bits).toString('hex')}`);
    }
    return out;
  } finally {
    await source.close?.();
  }
}
