import { defineFields, textField } from '../dissect/field-registry';
import type { PacketInfo } from '../dissect/packet-info';
import { NO_BYTES, type ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import type { CaptureState } from '../dissect/capture-state';
import type { UdpStreamHook } from '../protocols/udp';
import { EndpointPairTable, FrameClock, TRANSPORT_LINKS, TransportLinks, linkedFrames, relativeTime, transportLayerIndex } from './stream-table';
import { transportAddresses } from './tcp-analysis';

/**
 * udp.stream: UDP conversations numbered in the order their first datagram appears, as Wireshark numbers
 * them (one number per address-and-port pair for the whole capture: UDP has no connection to reuse), and
 * the [Timestamps] Wireshark shows with its default udp.calculate_timestamps (time since the stream's first
 * datagram and since its previous one).
 *
 * A datagram quoted in an ICMP error is numbered by the quoted header's addresses and counts as one of its
 * stream's frames for the times, but shows no times itself; an empty datagram is numbered but neither shows
 * nor counts for the times (as tshark 4.0 does).
 *
 * Memory: the pair table (about 33 bytes per stream, see stream-table.ts) and the last frame of each stream
 * (4 bytes); per frame only the shared one-byte transport link (stream-table.ts TransportLinks).
 */

export const fields = defineFields('udp', {
  stream: { id: 'udp.stream', name: 'Stream index', type: 'uint32', base: 'dec' },
  timeRelative: { id: 'udp.time_relative', name: 'Time since first frame', type: 'relative_time' },
  timeDelta: { id: 'udp.time_delta', name: 'Time since previous frame', type: 'relative_time' },
});

export class UdpStreams {
  readonly table = new EndpointPairTable();
  readonly clock: FrameClock;
  readonly links: TransportLinks;
  private last = new Uint32Array(64);
  private lastLayer = new Uint8Array(64);
  /** Streams whose first datagram was empty: the first one with a payload, where their times start. */
  private readonly firstTimed = new Map<number, number>();

  constructor(state: CaptureState) {
    this.clock = new FrameClock(state);
    this.links = state.of(TRANSPORT_LINKS, () => new TransportLinks(state.frameCount));
  }

  get streamCount(): number {
    return this.table.count;
  }

  /** Numbers a datagram (first pass: finds or adds its pair and links the frame); -1 without IP addresses. */
  /**
   * Numbers a datagram (first pass: finds or adds its pair). Datagrams with a payload (`timed`) also count
   * for the stream's times and are linked into its chain of frames; empty ones do not (as in tshark).
   * Returns -1 without IP addresses.
   */
  number(kind: number, data: Uint8Array, srcAt: number, dstAt: number, srcPort: number, dstPort: number, pinfo: PacketInfo, layer: number, timed: boolean): number {
    const t = this.table;
    let s = t.find(kind, data, srcAt, dstAt, srcPort, dstPort);
    if (!pinfo.firstPass) return s;
    let dir = t.lastDirection;
    if (s < 0) {
      s = t.add(kind, data, srcAt, dstAt, srcPort, dstPort, pinfo.frame, -1);
      dir = 0;
      if (s >= this.last.length) {
        const g = new Uint32Array(this.last.length * 2);
        g.set(this.last);
        this.last = g;
        const l = new Uint8Array(this.last.length);
        l.set(this.lastLayer);
        this.lastLayer = l;
      }
    }
    if (!timed) return s;
    const prev = this.last[s];
    if (prev === 0 && t.firstFrame(s) !== pinfo.frame) this.firstTimed.set(s, pinfo.frame);
    this.links.set(pinfo.frame, layer, prev === pinfo.frame ? 0 : prev, this.lastLayer[s], dir);
    this.last[s] = pinfo.frame;
    this.lastLayer[s] = layer;
    this.clock.setNow(pinfo.frame, pinfo.tsSecs, pinfo.tsNsecs);
    return s;
  }

  /** The first frame of a stream that counts for its times. */
  firstTimedFrame(s: number): number {
    return this.firstTimed.get(s) ?? this.table.firstFrame(s);
  }

  /** The last frame of a stream (with a payload). */
  lastFrameOf(s: number): number {
    return this.last[s];
  }

  /** The frames of a stream in order, with each one's direction (0: sent by side A). */
  frames(s: number): { frames: Uint32Array; directions: Uint8Array } {
    return linkedFrames(this.links, this.table.firstFrame(s), this.last[s], this.lastLayer[s]);
  }

  byteSize(): number {
    return this.table.byteSize() + this.last.byteLength + this.lastLayer.byteLength;
  }

  private compacted = false;

  /** After the first pass: trims the table and drops what only numbering needed. */
  /** Called by the session when the first pass ends (CaptureState.endFirstPass). */
  endFirstPass(): void {
    this.compact();
  }

  compact(): void {
    if (this.compacted) return;
    this.compacted = true;
    this.table.compact();
    this.links.compact();
    this.last = this.last.slice(0, this.table.count);
    this.lastLayer = this.lastLayer.slice(0, this.table.count);
  }
}

const STATE_NAME = 'udp.streams';

let cachedState: CaptureState | null = null;
let cachedStreams: UdpStreams | null = null;

/** The capture's UDP stream state. */
export function udpStreamsOf(state: CaptureState): UdpStreams {
  if (state === cachedState) return cachedStreams!;
  const u = state.of(STATE_NAME, () => new UdpStreams(state));
  cachedState = state;
  cachedStreams = u;
  return u;
}

/** Scratch for the datagram's addresses; `data` is let go after each use (it is the frame's read window). */
const addr = { kind: 0, data: NO_BYTES, srcAt: 0, dstAt: 0 };

export const udpStreamHook: UdpStreamHook = {
  addStreamItems(view: ByteView, pinfo: PacketInfo, tree: ProtoTree, srcPort: number, dstPort: number): number {
    if (!transportAddresses(view, pinfo, 17, addr)) return -1;
    const st = udpStreamsOf(pinfo.state);
    if (!pinfo.firstPass) st.compact();
    const layer = transportLayerIndex(pinfo.layers);
    // The payload as udp.ts takes it: up to the UDP length, or to the IP payload when that says less.
    const udpLen = view.u16(4);
    const end = !pinfo.inErrorPacket && udpLen > view.reportedLength ? view.reportedLength : udpLen;
    const timed = end > 8;
    const s = st.number(addr.kind, addr.data, addr.srcAt, addr.dstAt, srcPort, dstPort, pinfo, layer, timed);
    addr.data = NO_BYTES;
    if (s < 0 || pinfo.firstPass) return s;
    tree.addGenerated(fields.stream, view, 0, 0, s);
    const full = tree.full;
    if (timed && !pinfo.inErrorPacket && (full || tree.wants(fields.timeRelative) || tree.wants(fields.timeDelta))) {
      st.clock.setNow(pinfo.frame, pinfo.tsSecs, pinfo.tsNsecs);
      tree.open(textField, view, 0, 0, null, full ? 'Timestamps' : undefined, 1);
      tree.addGenerated(fields.timeRelative, view, 0, 0, relativeTime(st.clock.sinceFrame(st.firstTimedFrame(s))));
      const prev = st.links.previous(pinfo.frame, layer);
      tree.addGenerated(fields.timeDelta, view, 0, 0, relativeTime(prev > 0 ? st.clock.sinceFrame(prev) : 0));
      tree.close();
    }
    return s;
  },
};

/** Number of UDP streams (udp.stream runs from 0 to this − 1). */
export function udpStreamCount(state: CaptureState): number {
  return udpStreamsOf(state).streamCount;
}

/** The frames of a UDP stream in order, with each one's direction (0: sent by side A, the first sender). */
export function udpStreamFrames(state: CaptureState, stream: number): { frames: Uint32Array; directions: Uint8Array } {
  return udpStreamsOf(state).frames(stream);
}
