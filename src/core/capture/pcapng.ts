import { FRAME_HAS_COMMENT, FRAME_NO_TIMESTAMP } from './frame-index';
import { MAX_BLOCK_SIZE, MAX_INTERFACES, addWarning, type CaptureFormat, type CaptureInterface, type CaptureParser, type CaptureSink } from './capture-types';

/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of sections, each a Section Header Block followed by other
 * blocks. Every block is `type(4) length(4) body length(4)` (§3.1) with the length counting the whole block
 * and a multiple of 4. A section fixes the byte order of its blocks (the SHB's byte-order magic says which)
 * and numbers its interfaces from 0; the index numbers interfaces across the whole file.
 */
const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const OPB = 0x00000002; // obsolete Packet Block (Appendix A)
const SPB = 0x00000003;
const EPB = 0x00000006;
const BOM = 0x1a2b3c4d;

/** §3.1: type and length before the body, the length again after it. */
const BLOCK_OVERHEAD = 12;
/** §4.1: BOM(4) major(2) minor(2) section length(8). */
const SHB_MIN = BLOCK_OVERHEAD + 16;
/** §4.2: link type(2) reserved(2) snaplen(4). */
const IDB_MIN = BLOCK_OVERHEAD + 8;
/** §4.3 / Appendix A: interface(4 or 2+2) timestamp(8) captured length(4) original length(4), then data. */
const PACKET_FIXED = 28;
const PACKET_MIN = PACKET_FIXED + 4;
/** §4.4: original length(4), then data. */
const SPB_MIN = BLOCK_OVERHEAD + 4;

const OPT_END = 0;
const OPT_COMMENT = 1;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

export function isPcapng(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x0a && head[1] === 0x0d && head[2] === 0x0d && head[3] === 0x0a;
}

interface IfaceTime {
  /** Timestamp units per second (if_tsresol, §4.2): 10^n or 2^n; 10^6 when the option is absent. */
  unitsPerSec: number;
  /** The same, exactly, for resolutions finer than a nanosecond (the division then needs 64-bit integers). */
  unitsBig: bigint | null;
  /** if_tsoffset: seconds added to every timestamp of the interface. */
  offsetSec: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class PcapngParser implements CaptureParser {
  readonly format: CaptureFormat = 'pcapng';
  needBytes = 0;
  stopped = false;
  private little = true;
  private sectionSeen = false;
  /** Interfaces of the current section, by local id, as global interface numbers (-1: unusable IDB). */
  private sectionIfaces: number[] = [];
  private ifaceTime: IfaceTime[] = [];
  /** Output of the last timestamp conversion (one reused object: the per-packet path allocates nothing). */
  private readonly ts = { outSec: 0, outNsec: 0 };

  constructor(private readonly sink: CaptureSink) {}

  feed(data: Uint8Array, base: number, atEnd: boolean): number {
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let pos = 0;
    this.needBytes = 0;
    while (pos + BLOCK_OVERHEAD <= data.length) {
      const at = base + pos;
      let type = dv.getUint32(pos, this.little);
      // The SHB type reads the same in both byte orders; a new section may switch the order.
      if (dv.getUint32(pos, true) === SHB) {
        if (dv.getUint32(pos + 8, true) === BOM) this.little = true;
        else if (dv.getUint32(pos + 8, false) === BOM) this.little = false;
        else return this.fail(at, `pcapng: the section header block at byte ${at} has no valid byte-order magic; the rest of the file is not read`, pos);
        type = SHB;
      } else if (!this.sectionSeen) {
        return this.fail(at, `pcapng: the file does not start with a section header block`, pos);
      }
      const total = dv.getUint32(pos + 4, this.little);
      if (total < BLOCK_OVERHEAD || total % 4 !== 0) {
        return this.fail(
          at,
          `pcapng: the block at byte ${at} (type 0x${hex32(type)}) has length ${total}, which is ` +
            `${total < BLOCK_OVERHEAD ? `less than ${BLOCK_OVERHEAD}` : 'not a multiple of 4'}; the rest of the file is not read`,
          pos,
        );
      }
      if (total > MAX_BLOCK_SIZE) {
        return this.fail(at, `pcapng: the block at byte ${at} (type 0x${hex32(type)}) claims ${total} bytes, more than the maximum of ${MAX_BLOCK_SIZE}; the rest of the file is not read`, pos);
      }
      if (pos + total > data.length) {
        if (atEnd) {
          const lost = type === EPB || type === SPB || type === OPB ? `; frame ${this.sink.index.count + 1} is not loaded` : '';
          this.fail(at, `pcapng: the file ends inside the block at byte ${at} (type 0x${hex32(type)}, it claims ${total} bytes, ${data.length - pos} remain)${lost}`, pos);
          return data.length;
        }
        this.needBytes = total;
        return pos;
      }
      const trailing = dv.getUint32(pos + total - 4, this.little);
      if (trailing !== total) {
        addWarning(this.sink, at, `pcapng: the block at byte ${at} (type 0x${hex32(type)}) ends with length ${trailing}, not ${total} as it starts; read with ${total}`);
      }
      this.block(type, dv, data, pos, total, at);
      pos += total;
    }
    if (pos < data.length) {
      if (atEnd) {
        this.fail(base + pos, `pcapng: ${data.length - pos} stray bytes at the end of the file (byte ${base + pos}), too short for a block`, pos);
        return data.length;
      }
      this.needBytes = BLOCK_OVERHEAD;
    }
    return pos;
  }

  private block(type: number, dv: DataView, data: Uint8Array, pos: number, total: number, at: number): void {
    switch (type) {
      case SHB:
        return this.sectionHeader(dv, pos, total, at);
      case IDB:
        return this.interfaceDescription(dv, data, pos, total, at);
      case EPB:
      case OPB:
        return this.packet(type, dv, data, pos, total, at);
      case SPB:
        return this.simplePacket(dv, pos, total, at);
      default:
        // NRB, ISB, DSB, custom (0x00000BAD, 0x40000BAD) and unknown blocks carry nothing the index needs;
        // §3.1 lets a reader skip any block it does not understand.
        return;
    }
  }

  /** §4.1 */
  private sectionHeader(dv: DataView, pos: number, total: number, at: number): void {
    this.sectionSeen = true;
    this.sectionIfaces = [];
    if (total < SHB_MIN) {
      addWarning(this.sink, at, `pcapng: the section header block at byte ${at} is ${total} bytes, less than the minimum ${SHB_MIN}`);
      return;
    }
    const major = dv.getUint16(pos + 12, this.little);
    if (major !== 1) {
      addWarning(this.sink, at, `pcapng: the section header block at byte ${at} says version ${major}.${dv.getUint16(pos + 14, this.little)}, expected 1.x; reading it as 1.0`);
    }
  }

  /** §4.2 */
  private interfaceDescription(dv: DataView, data: Uint8Array, pos: number, total: number, at: number): void {
    const local = this.sectionIfaces.length;
    if (total < IDB_MIN) {
      // Keep the local numbering of the section's later interfaces right.
      this.sectionIfaces.push(-1);
      addWarning(this.sink, at, `pcapng: the interface description block at byte ${at} (interface ${local} of its section) is ${total} bytes, less than the minimum ${IDB_MIN}; its packets are skipped`);
      return;
    }
    if (this.sink.interfaces.length >= MAX_INTERFACES) {
      this.sectionIfaces.push(-1);
      addWarning(this.sink, at, `pcapng: the interface description block at byte ${at} would be interface ${MAX_INTERFACES + 1}; Fathom keeps at most ${MAX_INTERFACES} and skips its packets`);
      return;
    }
    const iface: CaptureInterface = { linkType: dv.getUint16(pos + 8, this.little), snapLen: dv.getUint32(pos + 12, this.little), offset: at };
    const time: IfaceTime = { unitsPerSec: 1e6, unitsBig: null, offsetSec: 0 };
    let o = pos + IDB_MIN - 4;
    const end = pos + total - 4;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, this.little);
      const len = dv.getUint16(o + 2, this.little);
      if (code === OPT_END || o + 4 + len > end) break;
      const v = o + 4;
      if (code === IF_NAME) iface.name = utf8.decode(data.subarray(v, v + len));
      else if (code === IF_DESCRIPTION) iface.description = utf8.decode(data.subarray(v, v + len));
      else if (code === IF_TSRESOL && len >= 1) {
        // Bit 7 clear: 10^-n seconds; set: 2^-n seconds.
        const r = data[v];
        const exp = r & 0x7f;
        const units = r & 0x80 ? 1n << BigInt(exp) : 10n ** BigInt(exp);
        time.unitsPerSec = Number(units);
        time.unitsBig = units > 1_000_000_000n ? units : null;
      } else if (code === IF_TSOFFSET && len >= 8) {
        time.offsetSec = Number(dv.getBigInt64(v, this.little));
      }
      o = v + len + ((4 - (len & 3)) & 3);
    }
    this.sectionIfaces.push(this.sink.interfaces.length);
    this.sink.interfaces.push(iface);
    this.ifaceTime.push(time);
  }

  /** §4.3 Enhanced Packet Block, and Appendix A's obsolete Packet Block (16-bit interface id, then drops). */
  private packet(type: number, dv: DataView, data: Uint8Array, pos: number, total: number, at: number): void {
    const little = this.little;
    const next = this.sink.index.count + 1;
    const what = type === EPB ? 'enhanced packet block' : 'packet block';
    if (total < PACKET_MIN) {
      addWarning(this.sink, at, `pcapng: the ${what} at byte ${at} is ${total} bytes, less than the minimum ${PACKET_MIN}; skipped (it would have been frame ${next})`);
      return;
    }
    const local = type === EPB ? dv.getUint32(pos + 8, little) : dv.getUint16(pos + 8, little);
    const capLen = dv.getUint32(pos + 20, little);
    const origLen = dv.getUint32(pos + 24, little);
    // Compare before padding: rounding a length near 2^32 up to a multiple of 4 would wrap around.
    const room = total - PACKET_MIN;
    if (capLen > room) {
      addWarning(this.sink, at, `pcapng: the ${what} at byte ${at} says ${capLen} captured bytes, but the block has room for ${room}; skipped (it would have been frame ${next})`);
      return;
    }
    const iface = local < this.sectionIfaces.length ? this.sectionIfaces[local] : -1;
    if (iface < 0) {
      addWarning(this.sink, at, `pcapng: the ${what} at byte ${at} names interface ${local}, which its section does not describe; skipped (it would have been frame ${next})`);
      return;
    }
    const t = this.ifaceTime[iface];
    this.timestamp(dv.getUint32(pos + 12, little), dv.getUint32(pos + 16, little), t);
    const dataAt = pos + PACKET_FIXED;
    const frame = this.sink.index.push(at + PACKET_FIXED, capLen, origLen, this.ts.outSec + t.offsetSec, this.ts.outNsec, iface);
    // Options follow the padded data (§3.5); only comments matter to the index. Walked inline: no closure
    // or array per packet.
    let o = dataAt + capLen + ((4 - (capLen & 3)) & 3);
    const end = pos + total - 4;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, little);
      const len = dv.getUint16(o + 2, little);
      if (code === OPT_END || o + 4 + len > end) break;
      if (code === OPT_COMMENT) this.addComment(frame, utf8.decode(data.subarray(o + 4, o + 4 + len)));
      o += 4 + len + ((4 - (len & 3)) & 3);
    }
  }

  /**
   * §4.4: no interface id (always the section's interface 0), no timestamp, no captured length: that is the
   * smaller of the original length and the interface's snaplen (0 = no limit).
   */
  private simplePacket(dv: DataView, pos: number, total: number, at: number): void {
    const next = this.sink.index.count + 1;
    if (total < SPB_MIN) {
      addWarning(this.sink, at, `pcapng: the simple packet block at byte ${at} is ${total} bytes, less than the minimum ${SPB_MIN}; skipped (it would have been frame ${next})`);
      return;
    }
    const iface = this.sectionIfaces.length > 0 ? this.sectionIfaces[0] : -1;
    if (iface < 0) {
      addWarning(this.sink, at, `pcapng: the simple packet block at byte ${at} comes before its section describes interface 0; skipped (it would have been frame ${next})`);
      return;
    }
    const origLen = dv.getUint32(pos + 8, this.little);
    const snap = this.sink.interfaces[iface].snapLen;
    let capLen = snap > 0 && snap < origLen ? snap : origLen;
    const room = total - SPB_MIN;
    if (capLen > room) {
      addWarning(this.sink, at, `pcapng: the simple packet block at byte ${at} (frame ${next}) should hold ${capLen} bytes of its ${origLen}-byte packet but has room for ${room}; the frame keeps ${room}`, next);
      capLen = room;
    }
    const frame = this.sink.index.push(at + 12, capLen, origLen, 0, 0, iface);
    this.sink.index.flags[frame - 1] |= FRAME_NO_TIMESTAMP;
  }

  /** Converts a 64-bit timestamp in the interface's units into this.ts. */
  private timestamp(high: number, low: number, t: IfaceTime): void {
    if (t.unitsBig !== null) {
      const ts = (BigInt(high) << 32n) | BigInt(low);
      this.ts.outSec = Number(ts / t.unitsBig);
      this.ts.outNsec = Number(((ts % t.unitsBig) * 1_000_000_000n) / t.unitsBig);
      return;
    }
    splitInto(this.ts, high, low, t.unitsPerSec);
  }

  private addComment(frame: number, text: string): void {
    const list = this.sink.comments.get(frame);
    if (list) list.push(text);
    else this.sink.comments.set(frame, [text]);
    this.sink.index.flags[frame - 1] |= FRAME_HAS_COMMENT;
  }

  private fail(offset: number, message: string, consumed: number): number {
    // Always kept, even when the list is full: it says why reading stopped.
    this.sink.warnings.push({ offset, message });
    this.stopped = true;
    return consumed;
  }
}

function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/**
 * Splits a 64-bit count of `unitsPerSec` units (given as high and low 32-bit words) into seconds and
 * nanoseconds, rounding the fraction down (as tshark does). Resolutions up to a nanosecond are done without
 * BigInt, by long division in 16-bit steps that keeps every intermediate below 2^53; finer ones use BigInt.
 */
export function splitTimestamp(high: number, low: number, unitsPerSec: number): [number, number] {
  const out = { outSec: 0, outNsec: 0 };
  if (unitsPerSec > 1e9 || !Number.isInteger(unitsPerSec) || unitsPerSec < 1) {
    const ts = (BigInt(high) << 32n) | BigInt(low);
    const units = BigInt(Math.max(1, Math.round(unitsPerSec)));
    return [Number(ts / units), Number(((ts % units) * 1_000_000_000n) / units)];
  }
  splitInto(out, high, low, unitsPerSec);
  return [out.outSec, out.outNsec];
}

/** The BigInt-free path of splitTimestamp for 1 ≤ d ≤ 10^9, writing into `out`. */
function splitInto(out: { outSec: number; outNsec: number }, high: number, low: number, d: number): void {
  const q1 = Math.floor(high / d);
  let r = high - q1 * d;
  let rest = r * 65536 + (low >>> 16);
  const q2 = Math.floor(rest / d);
  r = rest - q2 * d;
  rest = r * 65536 + (low & 0xffff);
  const q3 = Math.floor(rest / d);
  r = rest - q3 * d;
  out.outSec = q1 * 4294967296 + q2 * 65536 + q3;
  if (1e9 % d === 0) {
    // 10^-n and 2^-n up to n = 9: the fraction is a whole number of nanoseconds.
    out.outNsec = r * (1e9 / d);
  } else if (d % 512 === 0) {
    // 2^-n for n = 10…29: r·10^9/d = r·1953125 / (d/512), with r·1953125 < 2^50 exact and the division by a
    // power of two exact too, so the floor is the true one (a plain r/d·10^9 can round up across an integer).
    out.outNsec = Math.floor((r * 1953125) / (d / 512));
  } else {
    out.outNsec = Math.floor((r * 1e9) / d);
  }
}
