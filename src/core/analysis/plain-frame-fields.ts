import type { Taps } from '../dissect/taps';
import type { FieldValue, Timestamp } from '../dissect/proto-tree';
import { setTimeDiff } from '../dissect/format';
import { FRAME_NO_TIMESTAMP, type FrameIndexColumns } from '../capture/frame-index';
import { fieldCount, type FieldInfo } from '../dissect/field-registry';
import { NUM_PLAIN, Register, pushOccurrence, type HeaderFields } from '../filter/registers';
import { regKind } from '../filter/values';
import { fields as frameFields } from '../protocols/frame';
import { fields as ethFields } from '../protocols/eth';
import { fields as ipFields } from '../protocols/ip';
import { fields as ipv6Fields } from '../protocols/ipv6';
import { fields as icmpFields } from '../protocols/icmp';
import { fields as icmpv6Fields } from '../protocols/icmpv6';
import { fields as tcpFields } from '../protocols/tcp';
import { fields as udpFields } from '../protocols/udp';
import { ETHER_HEADER, ETHERTYPE_ARP, IPV4_HEADER, IPV6_HEADER, UDP_HEADER, plainHeaders, readHeaderOnlyFrame } from './plain-frames';

// The header fields of plain frames (see plain-frames.ts) as a display filter or `fathom fields` reads them,
// straight from the bytes; test/core/analysis/plain-frames.test.ts compares them with the dissectors' values.

/**
 * The fields `PlainFrameFields` reads, all from the headers of a plain frame (and the frame's times from the
 * index): a filter (or `fields`) that reads only these can be run on such frames without their dissectors.
 * (The order is its slot order.)
 */
const FILTER_FIELDS: readonly FieldInfo[] = [
  frameFields.frame, frameFields.number, frameFields.len, frameFields.capLen,
  frameFields.time, frameFields.timeEpoch, frameFields.timeRelative, frameFields.timeDelta,
  ethFields.eth, ethFields.dst, ethFields.src, ethFields.addr, ethFields.type,
  ethFields.dstLg, ethFields.dstIg, ethFields.srcLg, ethFields.srcIg, ethFields.lg, ethFields.ig,
  ipFields.ip, ipFields.len, ipFields.id, ipFields.ttl, ipFields.proto, ipFields.src, ipFields.dst, ipFields.addr,
  ipFields.version, ipFields.hdrLen, ipFields.dsfield, ipFields.dscp, ipFields.ecn,
  ipFields.flags, ipFields.flagRb, ipFields.flagDf, ipFields.flagMf, ipFields.fragOffset, ipFields.checksum, ipFields.checksumStatus,
  ipv6Fields.ipv6, ipv6Fields.plen, ipv6Fields.nxt, ipv6Fields.src, ipv6Fields.dst, ipv6Fields.addr,
  ipv6Fields.version, ipv6Fields.tclass, ipv6Fields.dscp, ipv6Fields.ecn, ipv6Fields.flow, ipv6Fields.hlim,
  tcpFields.tcp, tcpFields.srcport, tcpFields.dstport, tcpFields.port,
  tcpFields.len, tcpFields.seqRaw, tcpFields.ackRaw, tcpFields.hdrLen, tcpFields.flags,
  tcpFields.flagRes, tcpFields.flagAe, tcpFields.flagCwr, tcpFields.flagEce, tcpFields.flagUrg, tcpFields.flagAck,
  tcpFields.flagPush, tcpFields.flagReset, tcpFields.flagSyn, tcpFields.flagFin,
  tcpFields.windowSizeValue, tcpFields.checksum, tcpFields.urgentPointer,
  udpFields.udp, udpFields.srcport, udpFields.dstport, udpFields.port, udpFields.length,
  udpFields.checksum, udpFields.checksumStatus,
  icmpFields.type, icmpFields.code, icmpv6Fields.type, icmpv6Fields.code,
];

let coveredMask: Uint8Array | null = null;
let coveredAnswer = false;

/** Whether every field of a filter's `wanted` mask is one `PlainFrameFields` reads (remembered per mask). */
export function plainFilterCovers(wanted: Uint8Array): boolean {
  if (wanted === coveredMask) return coveredAnswer;
  const ok = new Uint8Array(wanted.length);
  for (const f of FILTER_FIELDS) if (f.index < ok.length) ok[f.index] = 1;
  let answer = true;
  for (let i = 0; i < wanted.length; i++) if (wanted[i] === 1 && ok[i] !== 1) answer = false;
  coveredMask = wanted;
  coveredAnswer = answer;
  return answer;
}

/** Slots of FILTER_FIELDS in `PlainFrameFields`, in the list's order. */
const enum Slot {
  Frame, Number, Len, CapLen,
  Time, TimeEpoch, TimeRelative, TimeDelta,
  Eth, EthDst, EthSrc, EthAddr, EthType,
  EthDstLg, EthDstIg, EthSrcLg, EthSrcIg, EthLg, EthIg,
  Ip, IpLen, IpId, IpTtl, IpProto, IpSrc, IpDst, IpAddr,
  IpVersion, IpHdrLen, IpDsfield, IpDscp, IpEcn, IpFlags, IpFlagRb, IpFlagDf, IpFlagMf, IpFragOffset, IpChecksum, IpChecksumStatus,
  Ipv6, Ipv6Plen, Ipv6Nxt, Ipv6Src, Ipv6Dst, Ipv6Addr,
  Ipv6Version, Ipv6Tclass, Ipv6Dscp, Ipv6Ecn, Ipv6Flow, Ipv6Hlim,
  Tcp, TcpSrcport, TcpDstport, TcpPort,
  TcpLen, TcpSeqRaw, TcpAckRaw, TcpHdrLen, TcpFlags,
  TcpFlagRes, TcpFlagAe, TcpFlagCwr, TcpFlagEce, TcpFlagUrg, TcpFlagAck, TcpFlagPush, TcpFlagReset, TcpFlagSyn, TcpFlagFin,
  TcpWindowSizeValue, TcpChecksum, TcpUrgentPointer,
  Udp, UdpSrcport, UdpDstport, UdpPort, UdpLength, UdpChecksum, UdpChecksumStatus,
  IcmpType, IcmpCode, Icmpv6Type, Icmpv6Code,
}

let slotByField: Int8Array | null = null;
function slotsByField(): Int8Array {
  if (slotByField === null || slotByField.length < fieldCount()) {
    slotByField = new Int8Array(fieldCount()).fill(-1);
    FILTER_FIELDS.forEach((f, slot) => (slotByField![f.index] = slot));
  }
  return slotByField;
}

/**
 * The header fields of a plain frame as a display filter reads them, straight from the bytes: no item is
 * recorded, no view made. Values, positions and data ends are those the dissectors would record,
 * occurrences in the same order; a filter whose `wanted` mask `plainFilterCovers` accepts runs on it through
 * `CompiledFilter.matchesHeader`, and `fields` prints `firstValue`s.
 */
export class PlainFrameFields implements HeaderFields {
  private d: Uint8Array = new Uint8Array(0);
  private at = 0;
  private capLen = 0;
  private origLen = 0;
  private frame = 0;
  /** The network layer: IPv4 (4), IPv6 (6), or none (0: ARP). */
  private net = 4;
  private proto = 0;
  /** The IP and transport headers' offsets from the frame's start, and the bytes IP gives the transport. */
  private ip = 0;
  private tr = 0;
  private tlen = 0;
  private readonly slots = slotsByField();
  /** The capture's index, for the frame's times; none until `useIndex`. */
  private index: FrameIndexColumns | null = null;
  private readonly time = { secs: 0, nsecs: 0 };

  /** The index whose frames `accept` is given: frame.time* come from its columns. */
  useIndex(index: FrameIndexColumns): void {
    this.index = index;
  }

  /**
   * Takes frame `frame` (`capLen` bytes at `at` in `d`) if no tap listens and it is a plain frame whose
   * payload no dissector claims, the same Ethernet and IP headers with an ICMP message that quotes no packet
   * instead of TCP or UDP (its header fields are those minus the transport's), or an ARP
   * message over Ethernet (only the frame's and Ethernet's); false (then dissect it) otherwise.
   */
  accept(d: Uint8Array, at: number, capLen: number, origLen: number, frame: number, linkType: number, taps: Taps): boolean {
    if (taps.active) return false;
    const net = readHeaderOnlyFrame(d, at, capLen, origLen, linkType);
    if (net < 0) return false;
    this.net = net;
    if (net === 0) {
      // Ethernet's fields only: ARP's are its own (arp.src.proto_ipv4, not ip.src).
      this.proto = 0;
    } else {
      const h = plainHeaders;
      this.proto = h.proto;
      this.ip = h.n - at;
      this.tr = h.t - at;
      this.tlen = h.tlen;
    }
    this.d = d;
    this.at = at;
    this.capLen = capLen;
    this.origLen = origLen;
    this.frame = frame;
    return true;
  }

  /** Drops the reference to the last frame's buffer. */
  release(): void {
    this.d = new Uint8Array(0);
  }

  has(field: number): boolean {
    const slot = field < this.slots.length ? this.slots[field] : -1;
    if (slot < Slot.Time) return slot >= 0;
    // A record without a time stamp (a pcapng Simple Packet Block) has no frame.time or frame.time_epoch.
    if (slot < Slot.Eth) return this.index !== null && (slot >= Slot.TimeRelative || (this.index.flags[this.frame - 1] & FRAME_NO_TIMESTAMP) === 0);
    if (slot < Slot.Ip) return true;
    // IPv6 records ip.version too (6), so that "ip.version == 6" matches, as Wireshark does.
    if (slot === Slot.IpVersion) return this.net !== 0;
    if (slot < Slot.Ipv6) return this.net === 4;
    if (slot < Slot.Tcp) return this.net === 6;
    if (slot < Slot.Udp) return this.proto === 6;
    if (slot < Slot.IcmpType) return this.proto === 17;
    // Only echoes (ICMP) and messages that quote no packet (ICMPv6) are accepted: their type and code.
    if (slot < Slot.Icmpv6Type) return this.proto === 1;
    return this.proto === 58;
  }

  push(field: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    if (!this.has(field)) return;
    const d = this.d;
    const ip = this.ip;
    const tr = this.tr;
    const n = this.at + ip;
    switch (this.slots[field]) {
      case Slot.Frame:
        return this.put(reg, null, 0, this.capLen, this.capLen, raw, numMode, whole);
      case Slot.Number:
        return this.put(reg, this.frame, 0, 0, this.capLen, raw, numMode, whole);
      case Slot.Len:
        return this.put(reg, this.origLen, 0, 0, this.capLen, raw, numMode, whole);
      case Slot.CapLen:
        return this.put(reg, this.capLen, 0, 0, this.capLen, raw, numMode, whole);
      case Slot.Time:
      case Slot.TimeEpoch:
      case Slot.TimeRelative:
      case Slot.TimeDelta:
        return this.put(reg, this.timeOf(this.slots[field]), 0, 0, this.capLen, raw, numMode, whole);
      case Slot.Eth:
        return this.put(reg, null, 0, ETHER_HEADER, this.capLen, raw, numMode, whole);
      case Slot.EthDst:
        return this.putBytes(reg, 0, 6, raw, numMode, whole);
      case Slot.EthSrc:
        return this.putBytes(reg, 6, 6, raw, numMode, whole);
      case Slot.EthAddr:
        this.putBytes(reg, 0, 6, raw, numMode, whole);
        return this.putBytes(reg, 6, 6, raw, numMode, whole);
      case Slot.EthType:
        return this.put(reg, this.net === 6 ? 0x86dd : this.net === 4 ? 0x0800 : ETHERTYPE_ARP, 12, 2, this.capLen, raw, numMode, whole);
      // The LG and IG bits of each address (dst, then src for eth.lg and eth.ig), over its first 3 bytes.
      case Slot.EthDstLg:
        return this.putAddressBit(reg, 0, 2, raw, numMode, whole);
      case Slot.EthDstIg:
        return this.putAddressBit(reg, 0, 1, raw, numMode, whole);
      case Slot.EthSrcLg:
        return this.putAddressBit(reg, 6, 2, raw, numMode, whole);
      case Slot.EthSrcIg:
        return this.putAddressBit(reg, 6, 1, raw, numMode, whole);
      case Slot.EthLg:
        this.putAddressBit(reg, 0, 2, raw, numMode, whole);
        return this.putAddressBit(reg, 6, 2, raw, numMode, whole);
      case Slot.EthIg:
        this.putAddressBit(reg, 0, 1, raw, numMode, whole);
        return this.putAddressBit(reg, 6, 1, raw, numMode, whole);
      case Slot.Ip:
        return this.put(reg, null, ip, IPV4_HEADER, this.capLen, raw, numMode, whole);
      case Slot.IpLen:
        return this.put(reg, this.tlen + IPV4_HEADER, ip + 2, 2, this.capLen, raw, numMode, whole);
      case Slot.IpId:
        return this.put(reg, (d[n + 4] << 8) | d[n + 5], ip + 4, 2, this.capLen, raw, numMode, whole);
      case Slot.IpTtl:
        return this.put(reg, d[n + 8], ip + 8, 1, this.capLen, raw, numMode, whole);
      case Slot.IpProto:
        return this.put(reg, this.proto, ip + 9, 1, this.capLen, raw, numMode, whole);
      case Slot.IpSrc:
        return this.put(reg, u32(d, n + 12), ip + 12, 4, this.capLen, raw, numMode, whole);
      case Slot.IpDst:
        return this.put(reg, u32(d, n + 16), ip + 16, 4, this.capLen, raw, numMode, whole);
      case Slot.IpAddr:
        this.put(reg, u32(d, n + 12), ip + 12, 4, this.capLen, raw, numMode, whole);
        return this.put(reg, u32(d, n + 16), ip + 16, 4, this.capLen, raw, numMode, whole);
      case Slot.Ipv6:
        return this.put(reg, null, ip, IPV6_HEADER, this.capLen, raw, numMode, whole);
      case Slot.Ipv6Plen:
        return this.put(reg, this.tlen, ip + 4, 2, this.capLen, raw, numMode, whole);
      case Slot.Ipv6Nxt:
        return this.put(reg, this.proto, ip + 6, 1, this.capLen, raw, numMode, whole);
      case Slot.Ipv6Src:
        return this.putBytes(reg, ip + 8, 16, raw, numMode, whole);
      case Slot.Ipv6Dst:
        return this.putBytes(reg, ip + 24, 16, raw, numMode, whole);
      case Slot.Ipv6Addr:
        this.putBytes(reg, ip + 8, 16, raw, numMode, whole);
        return this.putBytes(reg, ip + 24, 16, raw, numMode, whole);
      case Slot.Tcp:
        return this.put(reg, null, tr, (d[this.at + tr + 12] >> 4) * 4, tr + this.tlen, raw, numMode, whole);
      case Slot.Udp:
        return this.put(reg, null, tr, UDP_HEADER, tr + this.tlen, raw, numMode, whole);
      case Slot.TcpSrcport:
      case Slot.UdpSrcport:
        return this.putPort(reg, tr, raw, numMode, whole);
      case Slot.TcpDstport:
      case Slot.UdpDstport:
        return this.putPort(reg, tr + 2, raw, numMode, whole);
      case Slot.TcpPort:
      case Slot.UdpPort:
        this.putPort(reg, tr, raw, numMode, whole);
        return this.putPort(reg, tr + 2, raw, numMode, whole);
      case Slot.UdpLength:
        return this.putPort(reg, tr + 4, raw, numMode, whole);
      default: {
        const slot = this.slots[field];
        if (slot < Slot.Ipv6) return this.pushIpv4HeaderField(slot, reg, raw, numMode, whole);
        if (slot < Slot.Tcp) return this.pushIpv6HeaderField(slot, reg, raw, numMode, whole);
        if (slot < Slot.Udp) return this.pushTcpHeaderField(slot, reg, raw, numMode, whole);
        if (slot < Slot.IcmpType) return this.pushUdpChecksum(slot, reg, raw, numMode, whole);
        // icmp.type / icmpv6.type, then the code: the message's first two bytes.
        const second = slot === Slot.IcmpCode || slot === Slot.Icmpv6Code ? 1 : 0;
        return this.put(reg, this.d[this.at + this.tr + second], this.tr + second, 1, this.tr + this.tlen, raw, numMode, whole);
      }
    }
  }

  /**
   * The rest of an IPv6 header as ipv6.ts records it: version, traffic class and its two parts (items over
   * the first 4 bytes), flow label and hop limit.
   */
  private pushIpv6HeaderField(slot: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    const ip = this.ip;
    const word = u32(this.d, this.at + ip);
    const tclass = (word >>> 20) & 0xff;
    const end = this.capLen;
    switch (slot) {
      case Slot.Ipv6Version:
        return this.put(reg, word >>> 28, ip, 1, end, raw, numMode, whole);
      case Slot.Ipv6Tclass:
        return this.put(reg, tclass, ip, 4, end, raw, numMode, whole);
      case Slot.Ipv6Dscp:
        return this.put(reg, tclass >> 2, ip, 4, end, raw, numMode, whole);
      case Slot.Ipv6Ecn:
        return this.put(reg, tclass & 3, ip, 4, end, raw, numMode, whole);
      case Slot.Ipv6Flow:
        return this.put(reg, word & 0xfffff, ip + 1, 3, end, raw, numMode, whole);
      case Slot.Ipv6Hlim:
        return this.put(reg, this.d[this.at + ip + 7], ip + 7, 1, end, raw, numMode, whole);
    }
  }

  /**
   * udp.checksum and its generated status as udp.ts records them: 2 (not verified), or for a zero checksum
   * 3 (none computed, over IPv4) or 4 (illegal, over IPv6).
   */
  private pushUdpChecksum(slot: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    const tr = this.tr;
    if (slot === Slot.UdpChecksum) return this.putPort(reg, tr + 6, raw, numMode, whole);
    const p = this.at + tr + 6;
    const zero = this.d[p] === 0 && this.d[p + 1] === 0;
    this.put(reg, zero ? (this.net === 6 ? 4 : 3) : 2, tr + 6, 0, tr + this.tlen, raw, numMode, whole);
  }

  /**
   * The rest of a plain IPv4 header as ip.ts records it (no options, so the header is 20 bytes): the version
   * (IPv6's too, which records ip.version as well), the header length, the DS field and its two parts, the
   * flags (the three bits, then each as a boolean), the fragment offset, and the checksum with its generated
   * status (2: not verified).
   */
  private pushIpv4HeaderField(slot: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    const d = this.d;
    const ip = this.ip;
    const n = this.at + ip;
    const end = this.capLen;
    const ds = d[n + 1];
    const fragWord = (d[n + 6] << 8) | d[n + 7];
    const flags = fragWord >> 13;
    switch (slot) {
      case Slot.IpVersion:
        return this.put(reg, this.net, ip, 1, end, raw, numMode, whole);
      case Slot.IpHdrLen:
        return this.put(reg, IPV4_HEADER, ip, 1, end, raw, numMode, whole);
      case Slot.IpDsfield:
        return this.put(reg, ds, ip + 1, 1, end, raw, numMode, whole);
      case Slot.IpDscp:
        return this.put(reg, ds >> 2, ip + 1, 1, end, raw, numMode, whole);
      case Slot.IpEcn:
        return this.put(reg, ds & 3, ip + 1, 1, end, raw, numMode, whole);
      case Slot.IpFlags:
        return this.put(reg, flags, ip + 6, 1, end, raw, numMode, whole);
      case Slot.IpFlagRb:
        return this.put(reg, (flags & 4) !== 0, ip + 6, 1, end, raw, numMode, whole);
      case Slot.IpFlagDf:
        return this.put(reg, (flags & 2) !== 0, ip + 6, 1, end, raw, numMode, whole);
      case Slot.IpFlagMf:
        return this.put(reg, (flags & 1) !== 0, ip + 6, 1, end, raw, numMode, whole);
      case Slot.IpFragOffset:
        return this.put(reg, fragWord & 0x1fff, ip + 6, 2, end, raw, numMode, whole);
      case Slot.IpChecksum:
        return this.put(reg, (d[n + 10] << 8) | d[n + 11], ip + 10, 2, end, raw, numMode, whole);
      case Slot.IpChecksumStatus:
        return this.put(reg, 2, ip + 10, 2, end, raw, numMode, whole);
    }
  }

  /**
   * The TCP header's own fields as tcp.ts records them for a segment with a whole header: the segment length
   * (generated, no bytes), the raw sequence and acknowledgment numbers, the header length, the flags and each
   * flag (booleans), the window value, the checksum and the urgent pointer.
   */
  private pushTcpHeaderField(slot: number, reg: Register, raw: boolean, numMode: number, whole: boolean): void {
    const d = this.d;
    const tr = this.tr;
    const t = this.at + tr;
    const end = tr + this.tlen;
    const flags = ((d[t + 12] << 8) | d[t + 13]) & 0xfff;
    switch (slot) {
      case Slot.TcpLen:
        return this.put(reg, this.tlen - (d[t + 12] >> 4) * 4, tr, 0, end, raw, numMode, whole);
      case Slot.TcpSeqRaw:
        return this.put(reg, u32(d, t + 4), tr + 4, 4, end, raw, numMode, whole);
      case Slot.TcpAckRaw:
        return this.put(reg, u32(d, t + 8), tr + 8, 4, end, raw, numMode, whole);
      case Slot.TcpHdrLen:
        return this.put(reg, (d[t + 12] >> 4) * 4, tr + 12, 1, end, raw, numMode, whole);
      case Slot.TcpFlags:
        return this.put(reg, flags, tr + 12, 2, end, raw, numMode, whole);
      case Slot.TcpFlagRes:
      case Slot.TcpFlagAe:
        return this.put(reg, (flags & TCP_FLAG_MASKS[slot - Slot.TcpFlagRes]) !== 0, tr + 12, 1, end, raw, numMode, whole);
      case Slot.TcpFlagCwr:
      case Slot.TcpFlagEce:
      case Slot.TcpFlagUrg:
      case Slot.TcpFlagAck:
      case Slot.TcpFlagPush:
      case Slot.TcpFlagReset:
      case Slot.TcpFlagSyn:
      case Slot.TcpFlagFin:
        return this.put(reg, (flags & TCP_FLAG_MASKS[slot - Slot.TcpFlagRes]) !== 0, tr + 13, 1, end, raw, numMode, whole);
      case Slot.TcpWindowSizeValue:
        return this.putPort(reg, tr + 14, raw, numMode, whole);
      case Slot.TcpChecksum:
        return this.putPort(reg, tr + 16, raw, numMode, whole);
      case Slot.TcpUrgentPointer:
        return this.putPort(reg, tr + 18, raw, numMode, whole);
    }
  }

  /**
   * frame.time and frame.time_epoch (the arrival time), frame.time_relative (since the first frame) and
   * frame.time_delta (since the previous frame), as frame.ts records them from the record: in a scratch
   * object that registers copy.
   */
  private timeOf(slot: number): Timestamp {
    const { tsSec, tsNsec } = this.index!;
    const i = this.frame - 1;
    const t = this.time;
    if (slot === Slot.TimeRelative) return setTimeDiff(t, tsSec[i], tsNsec[i], tsSec[0], tsNsec[0]);
    if (slot === Slot.TimeDelta) return i > 0 ? setTimeDiff(t, tsSec[i], tsNsec[i], tsSec[i - 1], tsNsec[i - 1]) : setTimeDiff(t, 0, 0, 0, 0);
    t.secs = tsSec[i];
    t.nsecs = tsNsec[i];
    return t;
  }

  /**
   * The value of field `f`'s first occurrence as its dissector would record it (null for a protocol, which
   * has none), or undefined where it does not occur: what `fields` prints.
   */
  firstValue(f: FieldInfo): FieldValue | undefined {
    if (!this.has(f.index)) return undefined;
    if (f.type === 'protocol') return null;
    if (f.type === 'absolute_time' || f.type === 'relative_time') {
      const t = this.timeOf(this.slots[f.index]);
      return { secs: t.secs, nsecs: t.nsecs };
    }
    const reg = regKind(f.type) === 'bytes' ? this.scratchBytes : this.scratchNum;
    reg.clear();
    this.push(f.index, reg, false, NUM_PLAIN, false);
    if (reg.kind === 'bytes') return reg.buf[0].subarray(reg.s[0], reg.e[0]);
    // The dissectors record flags as booleans.
    return f.type === 'boolean' ? reg.num[0] !== 0 : reg.num[0];
  }

  private readonly scratchNum = new Register('num');
  private readonly scratchBytes = new Register('bytes');

  /** One occurrence: `length` bytes at `offset` from the frame's start, its data ending at `viewEnd`. */
  private put(reg: Register, value: number | boolean | Timestamp | null, offset: number, length: number, viewEnd: number, raw: boolean, numMode: number, whole: boolean): void {
    const at = this.at;
    pushOccurrence(reg, value, this.d, at + offset, length, at + viewEnd, at + this.capLen, raw, numMode, whole);
  }

  /** A 16-bit field of the transport header (ports, the UDP length): its data is the transport's. */
  private putPort(reg: Register, offset: number, raw: boolean, numMode: number, whole: boolean): void {
    const p = this.at + offset;
    this.put(reg, (this.d[p] << 8) | this.d[p + 1], offset, 2, this.tr + this.tlen, raw, numMode, whole);
  }

  /** A bit of the first byte of the Ethernet address at `offset` (2: LG, 1: IG), as eth.ts records it. */
  private putAddressBit(reg: Register, offset: number, bit: number, raw: boolean, numMode: number, whole: boolean): void {
    this.put(reg, (this.d[this.at + offset] & bit) !== 0, offset, 3, this.capLen, raw, numMode, whole);
  }

  /** An address whose value is its bytes: pushed from the frame without a view (a copy only for a non-bytes register). */
  private putBytes(reg: Register, offset: number, length: number, raw: boolean, numMode: number, whole: boolean): void {
    const at = this.at;
    const value = reg.kind === 'bytes' ? null : this.d.subarray(at + offset, at + offset + length);
    pushOccurrence(reg, value, this.d, at + offset, length, at + this.capLen, at + this.capLen, reg.kind === 'bytes' || raw, numMode, whole);
  }
}

/** The masks of tcp.flags.res, .ae, .cwr, .ece, .urg, .ack, .push, .reset, .syn and .fin, in slot order. */
const TCP_FLAG_MASKS = [tcpFields.flagRes, tcpFields.flagAe, tcpFields.flagCwr, tcpFields.flagEce, tcpFields.flagUrg, tcpFields.flagAck, tcpFields.flagPush, tcpFields.flagReset, tcpFields.flagSyn, tcpFields.flagFin].map((f) => f.mask ?? 0);

function u32(d: Uint8Array, p: number): number {
  return ((d[p] << 24) | (d[p + 1] << 16) | (d[p + 2] << 8) | d[p + 3]) >>> 0;
}
