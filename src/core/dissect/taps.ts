import type { PacketInfo } from './packet-info';
import { NO_BYTES, type ByteView } from './byte-view';

/**
 * Taps: protocols report what statistics and views need (conversations, endpoints, follow stream) as they
 * dissect, the way Wireshark's tap_queue_packet does. A protocol checks `taps.listening(name)` first, so no
 * record is built when nobody listens; listeners read the record during the call and must not keep it.
 */
export type TapListener<T> = (record: T, pinfo: PacketInfo) => void;

/** What the address-and-port taps carry (eth, ip, ipv6, tcp, udp). */
export interface AddressTapRecord {
  /** Address kind (AddrKind) and the bytes where each address sits. */
  kind: number;
  data: Uint8Array;
  srcAt: number;
  dstAt: number;
  /** Ports for tcp/udp, else 0. */
  srcPort: number;
  dstPort: number;
  /** tcp.stream / udp.stream where known, else -1. */
  stream: number;
}

export class Taps {
  private readonly listeners = new Map<string, TapListener<unknown>[]>();

  /** The list `listening` found last, so the `emit` that follows it (same name) needs no second lookup. */
  private lastName = '';
  private lastList: TapListener<unknown>[] | undefined = undefined;

  /** Whether anyone listens to any tap. */
  get active(): boolean {
    return this.listeners.size !== 0;
  }

  listening(name: string): boolean {
    // Most passes (list rows, filters) have no listener at all: answer without a lookup then.
    if (this.listeners.size === 0) return false;
    const l = this.listeners.get(name);
    this.lastName = name;
    this.lastList = l;
    return l !== undefined;
  }

  /** Adds a listener; returns the function that removes it. */
  on<T>(name: string, fn: TapListener<T>): () => void {
    const list = this.listeners.get(name) ?? [];
    list.push(fn as TapListener<unknown>);
    this.listeners.set(name, list);
    this.lastName = '';
    return () => {
      const l = this.listeners.get(name);
      if (!l) return;
      const i = l.indexOf(fn as TapListener<unknown>);
      if (i >= 0) l.splice(i, 1);
      if (l.length === 0) this.listeners.delete(name);
      this.lastName = '';
    };
  }

  emit<T>(name: string, record: T, pinfo: PacketInfo): void {
    const l = name === this.lastName ? this.lastList : this.listeners.get(name);
    if (l) for (let i = 0; i < l.length; i++) l[i](record, pinfo);
  }
}

/**
 * What the follow taps carry ('tcp.follow', 'udp.follow'): the transport's payload as captured and, for TCP,
 * the numbers that put it in order. Emitted for every segment or datagram outside an ICMP error.
 */
export interface PayloadTapRecord {
  payload: ByteView;
  /** tcp.stream / udp.stream where known, else -1. */
  stream: number;
  /** TCP only: tcp.seq and tcp.ack as shown (relative when the analysis makes them so), the flags, tcp.len. */
  seq: number;
  ack: number;
  flags: number;
  segLen: number;
}

// One record object per kind: a record lives only while its emit runs, so it is refilled, never allocated.
// Its bytes are let go after the emit: they are a read window, which must not outlive its frames.
const NO_VIEW = null as unknown as ByteView;
const addressRecord: AddressTapRecord = { kind: 0, data: NO_BYTES, srcAt: 0, dstAt: 0, srcPort: 0, dstPort: 0, stream: -1 };
const payloadRecord: PayloadTapRecord = { payload: NO_VIEW, stream: -1, seq: 0, ack: 0, flags: 0, segLen: 0 };

/**
 * Reports a layer's addresses (at `srcOffset`/`dstOffset` of `view`) to the `name` tap. Layers quoted in an
 * ICMP error are not reported: Wireshark's statistics skip error packets.
 */
export function tapAddresses(pinfo: PacketInfo, name: string, kind: number, view: ByteView, srcOffset: number, dstOffset: number): void {
  tapAddressesAt(pinfo, name, kind, view.data, view.start + srcOffset, view.start + dstOffset);
}

/** `tapAddresses` with the addresses' positions in `data` itself (the plain-frame path has no views). */
export function tapAddressesAt(pinfo: PacketInfo, name: string, kind: number, data: Uint8Array, srcAt: number, dstAt: number): void {
  if (pinfo.inErrorPacket || !pinfo.taps.listening(name)) return;
  const r = addressRecord;
  r.kind = kind;
  r.data = data;
  r.srcAt = srcAt;
  r.dstAt = dstAt;
  r.srcPort = 0;
  r.dstPort = 0;
  r.stream = -1;
  pinfo.taps.emit(name, r, pinfo);
  r.data = NO_BYTES;
}

/** Reports a transport layer: the packet's current source and destination (network, else link layer) and ports. */
export function tapTransport(pinfo: PacketInfo, name: string, srcPort: number, dstPort: number, stream: number): void {
  if (pinfo.inErrorPacket || !pinfo.taps.listening(name)) return;
  const src = pinfo.netSrc.kind !== 0 ? pinfo.netSrc : pinfo.dlSrc;
  const dst = pinfo.netDst.kind !== 0 ? pinfo.netDst : pinfo.dlDst;
  // Both addresses come from one layer, so they share `data`; a mixed pair (never seen) is not reported.
  if (dst.data !== src.data || dst.kind !== src.kind) return;
  const r = addressRecord;
  r.kind = src.kind;
  r.data = src.data;
  r.srcAt = src.at;
  r.dstAt = dst.at;
  r.srcPort = srcPort;
  r.dstPort = dstPort;
  r.stream = stream;
  pinfo.taps.emit(name, r, pinfo);
  r.data = NO_BYTES;
}

/** Reports a transport payload to a follow tap. */
export function tapPayload(pinfo: PacketInfo, name: string, payload: ByteView, stream: number, seq = 0, ack = 0, flags = 0, segLen = payload.length): void {
  if (pinfo.inErrorPacket || !pinfo.taps.listening(name)) return;
  const r = payloadRecord;
  r.payload = payload;
  r.stream = stream;
  r.seq = seq;
  r.ack = ack;
  r.flags = flags;
  r.segLen = segLen;
  pinfo.taps.emit(name, r, pinfo);
  r.payload = NO_VIEW;
}
