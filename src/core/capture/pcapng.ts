import { FRAME_HAS_COMMENT } from './frame-index';
import { MAX_BLOCK_SIZE, type CaptureFormat, type CaptureParser, type CaptureSink } from './capture-types';

/** pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each `type, length, body, length`. */
const SHB = 0x0a0d0d0a;
const IDB = 0x00000001;
const OPB = 0x00000002; // obsolete Packet Block
const SPB = 0x00000003;
const EPB = 0x00000006;
const BOM = 0x1a2b3c4d;

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
  /** Timestamp units per second: 10^n or 2^n. */
  unitsPerSec: number;
  offsetSec: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class PcapngParser implements CaptureParser {
  readonly format: CaptureFormat = 'pcapng';
  needBytes = 0;
  stopped = false;
  private little = true;
  private sectionSeen = false;
  /** Interfaces of the current section, mapped to global interface numbers. */
  private sectionIfaces: number[] = [];
  private ifaceTime: IfaceTime[] = [];

  constructor(private readonly sink: CaptureSink) {}

  feed(data: Uint8Array, base: number, atEnd: boolean): number {
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let pos = 0;
    this.needBytes = 0;
    while (pos + 12 <= data.length) {
      const at = base + pos;
      let type = dv.getUint32(pos, this.little);
      if (type === SHB || dv.getUint32(pos, !this.little) === SHB) {
        // A new section may switch byte order; the byte-order magic tells.
        if (pos + 12 > data.length) break;
        const bomLE = dv.getUint32(pos + 8, true);
        if (bomLE === BOM) this.little = true;
        else if (dv.getUint32(pos + 8, false) === BOM) this.little = false;
        else return this.fail(at, `pcapng: section header at byte ${at} has an unknown byte-order magic`, pos);
        type = SHB;
      } else if (!this.sectionSeen) {
        return this.fail(at, `pcapng: the file does not start with a section header block`, pos);
      }
      const total = dv.getUint32(pos + 4, this.little);
      if (total < 12 || total % 4 !== 0) {
        return this.fail(at, `pcapng: block at byte ${at} has length ${total}, which is ${total < 12 ? 'less than 12' : 'not a multiple of 4'}; the rest of the file is not read`, pos);
      }
      if (total > MAX_BLOCK_SIZE) {
        return this.fail(at, `pcapng: block at byte ${at} claims ${total} bytes, more than the maximum of ${MAX_BLOCK_SIZE}; the rest of the file is not read`, pos);
      }
      if (pos + total > data.length) {
        if (atEnd) {
          this.fail(at, `pcapng: the file ends inside a block at byte ${at} (it claims ${total} bytes, ${data.length - pos} remain)${type === EPB || type === SPB || type === OPB ? `; frame ${this.sink.index.count + 1} is not loaded` : ''}`, pos);
          return data.length;
        }
        this.needBytes = total;
        return pos;
      }
      if (dv.getUint32(pos + total - 4, this.little) !== total) {
        this.sink.warnings.push({ offset: at, message: `pcapng: block at byte ${at}: trailing length differs from leading length ${total}` });
      }
      this.block(type, dv, data, pos, total, base);
      pos += total;
    }
    if (pos < data.length) {
      if (atEnd) {
        this.fail(base + pos, `pcapng: ${data.length - pos} stray bytes at the end of the file (byte ${base + pos}), too short for a block`, pos);
        return data.length;
      }
      this.needBytes = 12;
    }
    return pos;
  }

  private block(type: number, dv: DataView, data: Uint8Array, pos: number, total: number, base: number): void {
    const at = base + pos;
    switch (type) {
      case SHB:
        this.sectionSeen = true;
        this.sectionIfaces = [];
        return;
      case IDB: {
        if (total < 20) return this.warn(at, `pcapng: interface block at byte ${at} is too short`);
        const linkType = dv.getUint16(pos + 8, this.little);
        const snapLen = dv.getUint32(pos + 12, this.little);
        const iface = { linkType, snapLen, name: undefined as string | undefined, description: undefined as string | undefined };
        const time: IfaceTime = { unitsPerSec: 1e6, offsetSec: 0 };
        this.options(dv, data, pos + 16, pos + total - 4, (code, o, len) => {
          if (code === IF_NAME) iface.name = utf8.decode(data.subarray(o, o + len));
          else if (code === IF_DESCRIPTION) iface.description = utf8.decode(data.subarray(o, o + len));
          else if (code === IF_TSRESOL && len >= 1) {
            const r = data[o];
            time.unitsPerSec = r & 0x80 ? 2 ** (r & 0x7f) : 10 ** (r & 0x7f);
          } else if (code === IF_TSOFFSET && len >= 8) {
            time.offsetSec = Number(dv.getBigInt64(o, this.little));
          }
        });
        this.sectionIfaces.push(this.sink.interfaces.length);
        this.sink.interfaces.push(iface);
        this.ifaceTime.push(time);
        return;
      }
      case EPB:
      case OPB: {
        if (total < 32) return this.warn(at, `pcapng: packet block at byte ${at} is too short (${total} bytes)`);
        const local = type === EPB ? dv.getUint32(pos + 8, this.little) : dv.getUint16(pos + 8, this.little);
        const capLen = dv.getUint32(pos + 20, this.little);
        const origLen = dv.getUint32(pos + 24, this.little);
        const dataStart = pos + 28;
        const optStart = dataStart + ((capLen + 3) & ~3);
        if (optStart > pos + total - 4) {
          return this.warn(at, `pcapng: packet block at byte ${at} says ${capLen} captured bytes, more than the block holds; block skipped`);
        }
        const iface = this.sectionIfaces[local];
        if (iface === undefined) {
          return this.warn(at, `pcapng: packet block at byte ${at} names interface ${local}, which is not defined; block skipped`);
        }
        const t = this.ifaceTime[iface];
        const [sec, nsec] = splitTimestamp(dv.getUint32(pos + 12, this.little), dv.getUint32(pos + 16, this.little), t.unitsPerSec);
        const frame = this.sink.index.push(base + dataStart, capLen, origLen, sec + t.offsetSec, nsec, iface);
        this.options(dv, data, optStart, pos + total - 4, (code, o, len) => {
          if (code === OPT_COMMENT) this.addComment(frame, utf8.decode(data.subarray(o, o + len)));
        });
        return;
      }
      case SPB: {
        if (total < 16) return this.warn(at, `pcapng: simple packet block at byte ${at} is too short`);
        const iface = this.sectionIfaces[0];
        if (iface === undefined) return this.warn(at, `pcapng: simple packet block at byte ${at} comes before any interface; block skipped`);
        const origLen = dv.getUint32(pos + 8, this.little);
        const snap = this.sink.interfaces[iface].snapLen;
        let capLen = Math.min(origLen, total - 16);
        if (snap > 0) capLen = Math.min(capLen, snap);
        // SPBs carry no timestamp.
        this.sink.index.push(base + pos + 12, capLen, origLen, 0, 0, iface);
        return;
      }
      default:
        // NRB, ISB, DSB, custom and unknown blocks carry nothing a frame needs.
        return;
    }
  }

  /** Walks an options list: code(2) length(2) value padded to 4, until opt_endofopt or the end. */
  private options(dv: DataView, data: Uint8Array, start: number, end: number, each: (code: number, valueAt: number, len: number) => void): void {
    let o = start;
    while (o + 4 <= end) {
      const code = dv.getUint16(o, this.little);
      const len = dv.getUint16(o + 2, this.little);
      if (code === OPT_END) return;
      if (o + 4 + len > end) return;
      each(code, o + 4, len);
      o += 4 + ((len + 3) & ~3);
    }
    void data;
  }

  private addComment(frame: number, text: string): void {
    const list = this.sink.comments.get(frame);
    if (list) list.push(text);
    else this.sink.comments.set(frame, [text]);
    this.sink.index.flags[frame - 1] |= FRAME_HAS_COMMENT;
  }

  private warn(offset: number, message: string): void {
    this.sink.warnings.push({ offset, message });
  }

  private fail(offset: number, message: string, consumed: number): number {
    this.sink.warnings.push({ offset, message });
    this.stopped = true;
    return consumed;
  }
}

/**
 * Splits a 64-bit count of `unitsPerSec` units (given as high and low 32-bit words) into seconds and
 * nanoseconds without BigInt: long division in 16-bit steps keeps every intermediate below 2^53 for
 * resolutions up to nanoseconds.
 */
export function splitTimestamp(high: number, low: number, unitsPerSec: number): [number, number] {
  const d = unitsPerSec;
  if (d > 1e9 || !Number.isInteger(d)) {
    const ts = (BigInt(high) << 32n) | BigInt(low);
    const units = BigInt(Math.round(d));
    const sec = ts / units;
    const frac = ts % units;
    return [Number(sec), Number((frac * 1_000_000_000n) / units)];
  }
  const q1 = Math.floor(high / d);
  let r = high - q1 * d;
  let rest = r * 65536 + (low >>> 16);
  const q2 = Math.floor(rest / d);
  r = rest - q2 * d;
  rest = r * 65536 + (low & 0xffff);
  const q3 = Math.floor(rest / d);
  r = rest - q3 * d;
  const sec = q1 * 4294967296 + q2 * 65536 + q3;
  // Exact when the resolution divides a second into a power of ten; binary fractions round down to the nanosecond.
  return [sec, 1e9 % d === 0 ? r * (1e9 / d) : Math.floor((r / d) * 1e9)];
}
