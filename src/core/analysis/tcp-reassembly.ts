import { defineFields } from '../dissect/field-registry';
import { ByteView, NO_BYTES } from '../dissect/byte-view';
import type { CaptureState } from '../dissect/capture-state';
import type { PacketInfo } from '../dissect/packet-info';
import type { ProtoTree } from '../dissect/proto-tree';
import { formatBytes } from '../dissect/format';
import { dispatchPayload, TcpFlag, type TcpSegment } from '../protocols/tcp';

/**
 * TCP reassembly for the protocols above TCP (Wireshark's "Allow subdissector to reassemble TCP streams", on
 * by default): a PDU that spans segments is dissected once, in the frame whose segment completes it, over a
 * "Reassembled TCP" data source; the other segments show "[Reassembled PDU in frame: N]" and their share as
 * "TCP segment data", and Info says "[TCP segment of a reassembled PDU]" when nothing in the frame was handed
 * on.
 *
 * The protocol above asks for it: handed a payload while `pinfo.canDesegment`, it calls
 * `pinfo.desegment(offset, more)` — "the PDU starting at `offset` needs `more` bytes past what you gave me"
 * (or DESEGMENT_ONE_MORE_SEGMENT when it cannot tell yet) — usually through `dissectPdus` (dissect/pdus.ts).
 *
 * Behaviour follows tshark 4.0 with its default preferences, as observed:
 * - Segments are taken in sequence order as they arrive (no out-of-order reassembly, tcp.reassemble_out_of_order
 *   off). A segment that leaves a gap inside a PDU joins it, but the PDU can then never complete: its segments
 *   keep "TCP segment data" with no "Reassembled PDU in frame". Data after the PDU's end starts afresh.
 * - Retransmitted and out-of-order segments are held back before they get here (tcp-analysis.ts,
 *   tcp.no_subdissector_on_error); a segment that repeats bytes already taken contributes only its new bytes.
 * - Bytes after a completed PDU in the same segment are handed on again: whole PDUs there are dissected from
 *   the frame itself, and a PDU that starts there and runs on starts the next reassembly.
 * - Only payloads wholly captured and lying in the frame's own bytes are reassembled (a segment inside a
 *   reassembled IP datagram is handed on as it stands).
 *
 * State: the first pass (frames in order) keeps a copy of the bytes of each PDU still being put together,
 * and records every piece — frame, where in the frame, length, which PDU — in typed arrays, in frame order.
 * Nothing is kept of a completed PDU but its pieces: a later pass that dissects the completing frame gets the
 * earlier frames' bytes through `pinfo.otherFrame`, which the session fills beforehand (`framesNeeded`).
 * Limits (documented trade-offs): a PDU longer than MAX_PDU_BYTES, or one that would take the bytes held for
 * unfinished PDUs over MAX_PENDING_BYTES, is not reassembled — its start is shown as segment data.
 */

/** Longest PDU put together. Wireshark sets no limit; 16 MiB covers TLS records, HTTP messages and SMB reads. */
export const MAX_PDU_BYTES = 16 * 1024 * 1024;
/** Bytes held at once for PDUs not yet complete, over all streams (a million half-sent requests cannot exhaust memory). */
export const MAX_PENDING_BYTES = 64 * 1024 * 1024;

export const fields = defineFields('tcp', {
  segmentData: { id: 'tcp.segment_data', name: 'TCP segment data', type: 'bytes' },
  reassembledIn: { id: 'tcp.reassembled_in', name: 'Reassembled PDU in frame', type: 'framenum' },
  segments: { id: 'tcp.segments', name: 'Reassembled TCP Segments', type: 'none' },
  segment: { id: 'tcp.segment', name: 'TCP Segment', type: 'framenum' },
  segmentCount: { id: 'tcp.segment.count', name: 'Segment count', type: 'uint32', base: 'dec' },
  reassembledLength: { id: 'tcp.reassembled.length', name: 'Reassembled TCP length', type: 'uint32', base: 'dec' },
  reassembledData: { id: 'tcp.reassembled.data', name: 'Reassembled TCP Data', type: 'bytes' },
});

/** A PDU being put together in the first pass (one per flow at most). */
interface Pending {
  pdu: number;
  /** Raw sequence number of the PDU's first byte, and of the next byte expected. */
  startSeq: number;
  nextSeq: number;
  /** Bytes the PDU needs in all, or -1: "one more segment". */
  need: number;
  /** Copy of the bytes taken so far (first `length` bytes of `bytes`); empty once a gap broke the PDU. */
  bytes: Uint8Array;
  length: number;
  /** A segment was missing: the PDU can never complete, its remaining segments are only marked. */
  broken: boolean;
}

const NO_REQUEST = -1;
/** `pieceNext` of a retransmitted segment's data noted beside a PDU, not part of it. */
const RESENT = -2;

/** Sequence number of the payload's first byte (a SYN takes one of its own, RFC 9293 §3.4). */
function payloadSeq(seg: TcpSegment): number {
  return seg.flags & TcpFlag.SYN ? (seg.seq + 1) >>> 0 : seg.seq;
}

export interface TcpReassemblyOptions {
  maxPduBytes: number;
  maxPendingBytes: number;
}

export class TcpReassembly {
  /** The limits (MAX_PDU_BYTES, MAX_PENDING_BYTES unless a test sets smaller ones before the first pass). */
  readonly options: TcpReassemblyOptions = { maxPduBytes: MAX_PDU_BYTES, maxPendingBytes: MAX_PENDING_BYTES };
  // PDUs, by number in the order they started.
  private pduCount = 0;
  private pduFlow = new Int32Array(64);
  /** Frame that completes the PDU, 0 while (or if forever) incomplete. */
  private pduDone = new Uint32Array(64);
  /** Reassembled length (may be less than its pieces hold when the protocol said the PDU ends earlier). */
  private pduLength = new Uint32Array(64);
  private pduFirst = new Int32Array(64);
  private pduLast = new Int32Array(64);

  // Pieces, in the order the first pass met them (so by frame number).
  private pieceCount = 0;
  private pieceFrame = new Uint32Array(64);
  /** Offset of the piece within the segment's payload, and within the frame's bytes. */
  private pieceAt = new Uint32Array(64);
  private pieceFrameOffset = new Uint32Array(64);
  private pieceLength = new Uint32Array(64);
  private piecePdu = new Uint32Array(64);
  /** Next piece of the same PDU, or -1. */
  private pieceNext = new Int32Array(64);

  /** Completed PDUs in completion order (so by completing frame). */
  private doneCount = 0;
  private donePdu = new Uint32Array(64);

  private readonly pending = new Map<number, Pending>();
  private pendingBytes = 0;

  get pduTotal(): number {
    return this.pduCount;
  }

  /** Bytes held now for PDUs not yet complete. */
  get pendingByteCount(): number {
    return this.pendingBytes;
  }

  // --- first pass -----------------------------------------------------------------------------------------

  /** Hands on one segment's payload in the first pass, following and recording the reassembly. */
  firstPass(flow: number, seg: TcpSegment, payload: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
    const len = payload.length;
    // Most captures have no PDU being put together most of the time: skip the lookup then.
    const p = this.pending.size === 0 ? undefined : this.pending.get(flow);
    const seq = payloadSeq(seg);
    let used = 0;
    if (p) {
      const d = (seq - p.nextSeq) | 0;
      if (d <= 0 && d + len > 0) {
        used = this.extend(flow, p, seg, payload, -d, pinfo, tree);
      } else if (d <= 0) {
        // Only bytes the PDU has already: nothing new for anyone.
        return;
      } else {
        // A gap. Within a PDU of known length the segment still joins it, which can then never complete.
        const toEnd = p.need >= 0 && !p.broken ? ((p.startSeq + p.need - seq) | 0) : 0;
        if (toEnd > 0) {
          this.breakOff(p);
          used = Math.min(len, toEnd);
          this.addPiece(pinfo.frame, 0, payload.sourceOffset, used, p.pdu);
          p.nextSeq = (seq + used) >>> 0;
          if (used === toEnd) this.drop(flow, p);
        } else {
          this.drop(flow, p);
        }
      }
    }
    if (used < len) this.startFresh(flow, seg, payload, used, pinfo, tree);
  }

  /** Adds the new bytes of a segment (from `skip`) to the pending PDU; returns the payload bytes now accounted for. */
  private extend(flow: number, p: Pending, seg: TcpSegment, payload: ByteView, skip: number, pinfo: PacketInfo, tree: ProtoTree): number {
    const avail = payload.length - skip;
    const take = p.need < 0 ? avail : Math.min(avail, p.need - p.length);
    this.addPiece(pinfo.frame, skip, payload.sourceOffset + skip, take, p.pdu);
    p.nextSeq = (p.nextSeq + take) >>> 0;
    if (p.broken) {
      if (p.need >= 0 && ((p.startSeq + p.need - p.nextSeq) | 0) <= 0) this.drop(flow, p);
      return skip + take;
    }
    if (p.length + take > this.options.maxPduBytes || this.pendingBytes + take > this.options.maxPendingBytes) {
      // Over the limits: the PDU is given up (its pieces stay marked, never reassembled).
      this.drop(flow, p);
      return skip + take;
    }
    this.append(p, payload, skip, take);
    if (p.need >= 0 && p.length < p.need) return skip + take;

    // Complete (or "one more segment" arrived): hand the PDU on and see whether it is really whole.
    const bytes = p.bytes;
    this.drop(flow, p);
    this.markDone(p.pdu, pinfo.frame, p.length);
    const offset = handOn(this.pduView(bytes, p.length, tree), pinfo, tree, seg, true);
    const more = requestedMore;
    if (offset === NO_REQUEST) return skip + take;
    if (offset <= 0) {
      // Still short (its header only now tells the whole length, say): keep collecting, from this segment too.
      this.unmarkDone(p.pdu);
      p.need = more < 0 ? -1 : p.length + more;
      p.bytes = bytes;
      this.hold(flow, p);
      const used = skip + take;
      return used < payload.length && p.need >= 0 ? this.extend(flow, p, seg, payload, used, pinfo, tree) : used;
    }
    // The PDU ended `offset` bytes in and another starts there. When those bytes all came with this segment
    // they are handed on afresh (below); bytes of earlier segments past the end are not shown again.
    const extra = p.length - offset;
    this.pduLength[p.pdu] = offset;
    if (extra > take) return skip + take;
    if (extra === take) this.removeLastPiece(p.pdu);
    else this.pieceLength[this.pieceCount - 1] -= extra;
    return skip + take - extra;
  }

  /** Hands on the payload from `at`; if the protocol asks for more, a new PDU starts there. */
  private startFresh(flow: number, seg: TcpSegment, payload: ByteView, at: number, pinfo: PacketInfo, tree: ProtoTree): void {
    const view = at === 0 ? payload : payload.sub(at);
    const offset = handOn(view, pinfo, tree, seg, true);
    const more = requestedMore;
    if (offset === NO_REQUEST || offset < 0 || offset >= view.length) return;
    const have = view.length - offset;
    const need = more < 0 ? -1 : have + more;
    if (need > this.options.maxPduBytes || have > this.options.maxPduBytes || this.pendingBytes + have > this.options.maxPendingBytes) return;
    const pdu = this.newPdu(flow);
    this.addPiece(pinfo.frame, at + offset, payload.sourceOffset + at + offset, have, pdu);
    const startSeq = (payloadSeq(seg) + at + offset) >>> 0;
    const p: Pending = { pdu, startSeq, nextSeq: (startSeq + have) >>> 0, need, bytes: new Uint8Array(Math.max(64, need > 0 ? need : 2 * have)), length: 0, broken: false };
    this.hold(flow, p);
    this.append(p, view, offset, have);
  }

  private hold(flow: number, p: Pending): void {
    this.pending.set(flow, p);
    this.pendingBytes += p.bytes.length;
  }

  /** Ends a pending PDU's time in the table and lets go of its bytes. */
  private drop(flow: number, p: Pending): void {
    this.pending.delete(flow);
    this.pendingBytes -= p.bytes.length;
    p.bytes = NO_BYTES;
  }

  /** A segment went missing: the PDU can never complete, so its bytes are no longer needed. */
  private breakOff(p: Pending): void {
    this.pendingBytes -= p.bytes.length;
    p.bytes = NO_BYTES;
    p.broken = true;
  }

  private append(p: Pending, view: ByteView, from: number, n: number): void {
    if (p.length + n > p.bytes.length) {
      const grown = new Uint8Array(Math.min(this.options.maxPduBytes, Math.max(p.length + n, 2 * p.bytes.length)));
      grown.set(p.bytes.subarray(0, p.length));
      this.pendingBytes += grown.length - p.bytes.length;
      p.bytes = grown;
    }
    p.bytes.set(view.bytes(from, n), p.length);
    p.length += n;
  }

  private newPdu(flow: number): number {
    const i = this.pduCount++;
    if (i === this.pduFlow.length) {
      this.pduFlow = grow(this.pduFlow);
      this.pduDone = grow(this.pduDone);
      this.pduLength = grow(this.pduLength);
      this.pduFirst = grow(this.pduFirst);
      this.pduLast = grow(this.pduLast);
    }
    this.pduFlow[i] = flow;
    this.pduDone[i] = 0;
    this.pduLength[i] = 0;
    this.pduFirst[i] = -1;
    this.pduLast[i] = -1;
    return i;
  }

  /** Records a piece of `pdu` (linked into its list unless `link` is false); returns its index. */
  private addPiece(frame: number, at: number, frameOffset: number, length: number, pdu: number, link = true): number {
    const last = this.pduLast[pdu];
    if (link && last >= 0 && this.pieceFrame[last] === frame && this.pieceAt[last] + this.pieceLength[last] === at) {
      // More of the same segment (the PDU's header only told its length once part of it was in).
      this.pieceLength[last] += length;
      return last;
    }
    const i = this.pieceCount++;
    if (i === this.pieceFrame.length) {
      this.pieceFrame = grow(this.pieceFrame);
      this.pieceAt = grow(this.pieceAt);
      this.pieceFrameOffset = grow(this.pieceFrameOffset);
      this.pieceLength = grow(this.pieceLength);
      this.piecePdu = grow(this.piecePdu);
      this.pieceNext = grow(this.pieceNext);
    }
    this.pieceFrame[i] = frame;
    this.pieceAt[i] = at;
    this.pieceFrameOffset[i] = frameOffset;
    this.pieceLength[i] = length;
    this.piecePdu[i] = pdu;
    this.pieceNext[i] = -1;
    if (!link) return i;
    if (this.pduLast[pdu] >= 0) this.pieceNext[this.pduLast[pdu]] = i;
    else this.pduFirst[pdu] = i;
    this.pduLast[pdu] = i;
    return i;
  }

  /** Takes back the piece just added to `pdu` (it turned out to hold none of the PDU's bytes). */
  private removeLastPiece(pdu: number): void {
    const k = --this.pieceCount;
    let prev = -1;
    for (let i = this.pduFirst[pdu]; i >= 0 && i !== k; i = this.pieceNext[i]) prev = i;
    if (prev >= 0) this.pieceNext[prev] = -1;
    else this.pduFirst[pdu] = -1;
    this.pduLast[pdu] = prev;
  }

  private markDone(pdu: number, frame: number, length: number): void {
    this.pduDone[pdu] = frame;
    this.pduLength[pdu] = length;
    if (this.doneCount === this.donePdu.length) this.donePdu = grow(this.donePdu);
    this.donePdu[this.doneCount++] = pdu;
  }

  private unmarkDone(pdu: number): void {
    this.pduDone[pdu] = 0;
    this.pduLength[pdu] = 0;
    this.doneCount--;
  }

  /**
   * A segment held back from the protocols above (a retransmission): when it repeats bytes of the PDU being
   * put together, Wireshark still shows its data as "TCP segment data", so it is noted (outside the PDU).
   */
  firstPassHeld(flow: number, seg: TcpSegment, payload: ByteView, pinfo: PacketInfo): void {
    const p = this.pending.get(flow);
    if (!p) return;
    const seq = payloadSeq(seg);
    if (((seq - p.startSeq) | 0) < 0 || ((seq - p.nextSeq) | 0) >= 0) return;
    const i = this.addPiece(pinfo.frame, 0, payload.sourceOffset, payload.length, p.pdu, false);
    this.pieceNext[i] = RESENT;
  }

  /** Shows a held segment's data as the first pass noted it. */
  replayHeld(flow: number, seg: TcpSegment, payload: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
    if (!tree.recording || this.pieceCount === 0) return;
    const from = payload.sourceOffset;
    for (let k = this.firstPieceOf(pinfo.frame); k < this.pieceCount && this.pieceFrame[k] === pinfo.frame; k++) {
      if (this.pieceNext[k] !== RESENT || !this.isHere(k, flow, from, from + payload.length)) continue;
      tree.reopen(seg.item);
      this.showPieceData(k, payload, tree);
      tree.close();
    }
  }

  private showPieceData(k: number, payload: ByteView, tree: ProtoTree): void {
    const at = this.pieceAt[k];
    const n = this.pieceLength[k];
    const data = tree.wants(fields.segmentData) ? payload.bytes(at, n) : null;
    tree.add(fields.segmentData, payload, at, n, data, tree.full ? `TCP segment data (${n} byte${n === 1 ? '' : 's'})` : undefined);
  }

  // --- later passes -----------------------------------------------------------------------------------------

  /**
   * Hands on one segment's payload in a later pass, replaying what the first pass recorded: the pieces this
   * frame holds are shown (and a PDU this frame completes is put together and dissected); the bytes between
   * them are handed on as they stand.
   */
  replay(flow: number, seg: TcpSegment, payload: ByteView, pinfo: PacketInfo, tree: ProtoTree): void {
    const frame = pinfo.frame;
    const lo = this.firstPieceOf(frame);
    const from = payload.sourceOffset;
    const to = from + payload.length;
    let hi = lo;
    while (hi < this.pieceCount && this.pieceFrame[hi] === frame) hi++;
    let mine = 0;
    for (let k = lo; k < hi; k++) if (this.isMine(k, flow, from, to)) mine++;
    // A PDU whose protocol saw it was whole only when this segment came, with none of this segment's bytes.
    const before = this.pduCount === 0 ? -1 : this.completedBeforeHere(frame, flow);
    if (before >= 0) this.handOnPdu(before, payload, pinfo, tree, seg);
    if (mine === 0) {
      handOn(payload, pinfo, tree, seg, false);
      return;
    }
    // The pieces' items come first, inside TCP, in payload order.
    let handedOn = before >= 0;
    if (tree.recording) {
      tree.reopen(seg.item);
      for (let k = lo; k < hi; k++) {
        if (!this.isMine(k, flow, from, to)) continue;
        const pdu = this.piecePdu[k];
        const done = this.pduDone[pdu];
        if (done !== 0 && done !== frame) tree.addGenerated(fields.reassembledIn, payload, this.pieceAt[k], 0, done);
        this.showPieceData(k, payload, tree);
      }
      tree.close();
    }
    let pos = 0;
    for (let k = lo; k < hi; k++) {
      if (!this.isMine(k, flow, from, to)) continue;
      const at = this.pieceAt[k];
      if (at > pos) {
        handOn(payload.sub(pos, at - pos), pinfo, tree, seg, false);
        handedOn = true;
      }
      const pdu = this.piecePdu[k];
      if (this.pduDone[pdu] === frame && this.pduLast[pdu] === k && this.handOnPdu(pdu, payload, pinfo, tree, seg)) handedOn = true;
      pos = Math.max(pos, at + this.pieceLength[k]);
    }
    if (pos < payload.length) {
      handOn(payload.sub(pos), pinfo, tree, seg, false);
      handedOn = true;
    }
    if (!handedOn) pinfo.appendInfoSep(' ', '[TCP segment of a reassembled PDU]');
  }

  /** Puts PDU `pdu` together, draws its segments and hands it on; false when its bytes are not at hand. */
  private handOnPdu(pdu: number, payload: ByteView, pinfo: PacketInfo, tree: ProtoTree, seg: TcpSegment): boolean {
    const bytes = this.gather(pdu, payload, pinfo);
    if (!bytes) return false;
    const view = this.pduView(bytes, bytes.length, tree);
    if (tree.recording) this.showSegments(pdu, view, tree);
    handOn(view, pinfo, tree, seg, false);
    return true;
  }

  /** The PDU of `flow` completed in `frame` whose last piece is in an earlier frame, or -1. */
  private completedBeforeHere(frame: number, flow: number): number {
    let lo = 0;
    let hi = this.doneCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pduDone[this.donePdu[mid]] < frame) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.doneCount && this.pduDone[this.donePdu[i]] === frame; i++) {
      const pdu = this.donePdu[i];
      const last = this.pduLast[pdu];
      if (this.pduFlow[pdu] === flow && last >= 0 && this.pieceFrame[last] !== frame) return pdu;
    }
    return -1;
  }

  /** Whether piece k lies in this segment's payload (by flow and place) and belongs to a PDU (not RESENT). */
  private isMine(k: number, flow: number, from: number, to: number): boolean {
    return this.pieceNext[k] !== RESENT && this.isHere(k, flow, from, to);
  }

  private isHere(k: number, flow: number, from: number, to: number): boolean {
    const off = this.pieceFrameOffset[k];
    return this.pduFlow[this.piecePdu[k]] === flow && off >= from && off < to;
  }

  /** The index of the first piece of `frame` (or of the next frame with pieces). */
  private firstPieceOf(frame: number): number {
    let lo = 0;
    let hi = this.pieceCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pieceFrame[mid] < frame) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The PDU's bytes from its pieces: this frame's from the payload, the others' through `pinfo.otherFrame`. */
  private gather(pdu: number, payload: ByteView, pinfo: PacketInfo): Uint8Array | null {
    const length = this.pduLength[pdu];
    const out = new Uint8Array(length);
    let filled = 0;
    for (let k = this.pduFirst[pdu]; k >= 0 && filled < length; k = this.pieceNext[k]) {
      const n = Math.min(this.pieceLength[k], length - filled);
      const frame = this.pieceFrame[k];
      if (frame === pinfo.frame) {
        out.set(payload.bytes(this.pieceAt[k], n), filled);
      } else {
        const bytes = pinfo.otherFrame?.(frame);
        const off = this.pieceFrameOffset[k];
        if (!bytes || off + n > bytes.length) return null;
        out.set(bytes.subarray(off, off + n), filled);
      }
      filled += n;
    }
    return filled === length ? out : null;
  }

  private pduView(bytes: Uint8Array, length: number, tree: ProtoTree): ByteView {
    const source = tree.addSource(`Reassembled TCP (${length} byte${length === 1 ? '' : 's'})`, bytes.subarray(0, length));
    return new ByteView(bytes, 0, length, length, 0, source);
  }

  /** "[2 Reassembled TCP Segments (72 bytes): #4(10), #5(62)]" with one item per segment, as Wireshark draws it. */
  private showSegments(pdu: number, view: ByteView, tree: ProtoTree): void {
    const length = view.length;
    const full = tree.full;
    let count = 0;
    let label = '';
    let filled = 0;
    for (let k = this.pduFirst[pdu]; k >= 0 && filled < length; k = this.pieceNext[k]) {
      const n = Math.min(this.pieceLength[k], length - filled);
      if (full && label.length <= LABEL_MAX) label += `${count ? ', ' : ' '}#${this.pieceFrame[k]}(${n})`;
      filled += n;
      count++;
    }
    const title = full ? `[${`${count} Reassembled TCP Segments (${length} byte${length === 1 ? '' : 's'}):${label}`.slice(0, LABEL_MAX)}]` : undefined;
    tree.open(fields.segments, view, 0, length, null, title, 1);
    filled = 0;
    for (let k = this.pduFirst[pdu]; k >= 0 && filled < length; k = this.pieceNext[k]) {
      const n = Math.min(this.pieceLength[k], length - filled);
      const itemLabel = full ? `[Frame: ${this.pieceFrame[k]}, payload: ${filled}-${filled + n - 1} (${n} byte${n === 1 ? '' : 's'})]` : undefined;
      tree.addGenerated(fields.segment, view, filled, n, this.pieceFrame[k], itemLabel);
      filled += n;
    }
    tree.addGenerated(fields.segmentCount, view, 0, 0, count);
    tree.addGenerated(fields.reassembledLength, view, 0, 0, length);
    const data = tree.wants(fields.reassembledData) ? view.bytes(0, length) : null;
    tree.addGenerated(fields.reassembledData, view, 0, length, data, full ? `[Reassembled TCP Data: ${preview(view, length)}]` : undefined);
    tree.close();
  }

  /**
   * Frames whose bytes a later pass over frames first..last needs besides its own (earlier pieces of the PDUs
   * completed there), in increasing order, with their piece bytes in all.
   */
  framesNeeded(first: number, last: number): { frames: number[]; bytes: number } {
    const frames: number[] = [];
    let bytes = 0;
    // Completions are in frame order: find the first at or after `first`.
    let lo = 0;
    let hi = this.doneCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pduDone[this.donePdu[mid]] < first) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.doneCount; i++) {
      const pdu = this.donePdu[i];
      const done = this.pduDone[pdu];
      if (done > last) break;
      for (let k = this.pduFirst[pdu]; k >= 0; k = this.pieceNext[k]) {
        const f = this.pieceFrame[k];
        if (f === done) continue;
        frames.push(f);
        bytes += this.pieceLength[k];
      }
    }
    frames.sort((a, b) => a - b);
    let n = 0;
    for (let i = 0; i < frames.length; i++) if (i === 0 || frames[i] !== frames[i - 1]) frames[n++] = frames[i];
    frames.length = n;
    return { frames, bytes };
  }

  /** Bytes held for the state (pieces and PDUs), for memory accounting. */
  byteSize(): number {
    return this.pduFlow.length * 20 + this.pieceFrame.length * 24 + this.donePdu.length * 4 + this.pendingBytes;
  }
}

/** Wireshark's labels are cut at 239 characters (ITEM_LABEL_LENGTH). */
const LABEL_MAX = 239;
/** Bytes shown in a byte field's label before "…". */
const LABEL_BYTES = 36;

function preview(view: ByteView, n: number): string {
  const shown = Math.min(n, LABEL_BYTES);
  const s = formatBytes(view.bytes(0, shown));
  return n > shown ? s + '…' : s;
}

function grow<T extends Int32Array | Uint32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** The `more` of the last request handOn returned (kept apart so a request costs no allocation). */
let requestedMore = 0;

/**
 * Hands a payload (or a reassembled PDU) to the protocols above, allowing a reassembly request when `allow`;
 * returns the request's offset (NO_REQUEST when none), its length in `requestedMore`.
 */
function handOn(view: ByteView, pinfo: PacketInfo, tree: ProtoTree, seg: TcpSegment, allow: boolean): number {
  const saved = pinfo.canDesegment;
  pinfo.canDesegment = allow;
  pinfo.desegmentOffset = NO_REQUEST;
  pinfo.desegmentLength = 0;
  try {
    dispatchPayload(view, pinfo, tree, seg.srcPort, seg.dstPort);
    requestedMore = pinfo.desegmentLength;
    return allow ? pinfo.desegmentOffset : NO_REQUEST;
  } finally {
    pinfo.canDesegment = saved;
    pinfo.desegmentOffset = NO_REQUEST;
  }
}

const STATE_NAME = 'tcp.reassembly';

export function tcpReassemblyOf(state: CaptureState): TcpReassembly {
  return state.of(STATE_NAME, () => new TcpReassembly());
}

/**
 * Hands a segment's payload on, reassembling as recorded (`flow` = 2 × tcp.stream + direction, or -1 when
 * the segment has no analysed stream: then it goes straight up, as do payloads not wholly in the frame).
 */
export function deliverTcpPayload(flow: number, seg: TcpSegment, payload: ByteView, pinfo: PacketInfo, tree: ProtoTree, held = false): void {
  if (flow < 0 || payload.source !== 0 || payload.length !== payload.reportedLength) {
    if (!held) handOn(payload, pinfo, tree, seg, false);
    return;
  }
  const st = tcpReassemblyOf(pinfo.state);
  if (held) {
    if (pinfo.firstPass) st.firstPassHeld(flow, seg, payload, pinfo);
    else st.replayHeld(flow, seg, payload, pinfo, tree);
  } else if (pinfo.firstPass) {
    st.firstPass(flow, seg, payload, pinfo, tree);
  } else {
    st.replay(flow, seg, payload, pinfo, tree);
  }
}

/** The frames a later pass over first..last needs besides its own (see TcpReassembly.framesNeeded). */
export function tcpReassemblyNeeds(state: CaptureState, first: number, last: number): { frames: number[]; bytes: number } {
  return tcpReassemblyOf(state).framesNeeded(first, last);
}
