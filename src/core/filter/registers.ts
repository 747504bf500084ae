import type { FieldValue, ProtoTree, Timestamp } from '../dissect/proto-tree';
import type { RegKind } from './values';

const CAP = 4;
const NO_F64 = new Float64Array(0);
const NO_I32 = new Int32Array(0);
const NO_U8 = new Uint8Array(0);

/**
 * Run-time storage of a compiled filter. Each value expression owns one register, allocated when the filter
 * is compiled and refilled for every frame, so evaluating a frame allocates nothing beyond values that must
 * be computed (lower(), regex input of byte fields). Byte values are held as (buffer, start, end) triples
 * pointing into the packet, never copied; bytes that have to be made (an IPv4 address as bytes, `&` on
 * slices) go to the register's arena.
 */
export class Register {
  n = 0;
  num: Float64Array = NO_F64;
  big: bigint[] = [];
  str: string[] = [];
  buf: Uint8Array[] = [];
  s: Int32Array = NO_I32;
  e: Int32Array = NO_I32;
  secs: Float64Array = NO_F64;
  nsecs: Float64Array = NO_F64;
  /** Scratch bytes for values made during evaluation. */
  private arena: Uint8Array = NO_U8;
  private arenaUsed = 0;

  constructor(readonly kind: RegKind) {
    // Only the columns of the register's kind are allocated (a filter may hold thousands of registers).
    if (kind === 'num' || kind === 'none') this.num = new Float64Array(CAP);
    if (kind === 'bytes') {
      this.s = new Int32Array(CAP);
      this.e = new Int32Array(CAP);
    }
    if (kind === 'time') {
      this.secs = new Float64Array(CAP);
      this.nsecs = new Float64Array(CAP);
    }
  }

  clear(): void {
    this.n = 0;
    this.arenaUsed = 0;
    if (this.kind === 'str') this.str.length = 0;
    if (this.kind === 'bytes') this.buf.length = 0;
    if (this.kind === 'big') this.big.length = 0;
  }

  private cap = CAP;

  private room(): number {
    const i = this.n;
    if (i === this.cap) this.grow();
    this.n = i + 1;
    return i;
  }

  private grow(): void {
    const m = this.cap * 2;
    const more = <T extends Float64Array | Int32Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    if (this.kind === 'num' || this.kind === 'none') this.num = more(this.num, new Float64Array(m));
    if (this.kind === 'bytes') {
      this.s = more(this.s, new Int32Array(m));
      this.e = more(this.e, new Int32Array(m));
    }
    if (this.kind === 'time') {
      this.secs = more(this.secs, new Float64Array(m));
      this.nsecs = more(this.nsecs, new Float64Array(m));
    }
    this.cap = m;
  }

  pushNum(v: number): void {
    this.num[this.room()] = v;
  }

  pushBig(v: bigint): void {
    this.big[this.room()] = v;
  }

  pushStr(v: string): void {
    this.str[this.room()] = v;
  }

  pushBytes(buf: Uint8Array, start: number, end: number): void {
    const i = this.room();
    this.buf[i] = buf;
    this.s[i] = start;
    this.e[i] = end;
  }

  pushTime(secs: number, nsecs: number): void {
    const i = this.room();
    this.secs[i] = secs;
    this.nsecs[i] = nsecs;
  }

  /** Reserves n bytes in the arena and pushes them as a value; returns the buffer and offset to write at. */
  allocBytes(n: number): { buf: Uint8Array; at: number } {
    if (this.arenaUsed + n > this.arena.length) {
      // Values already pushed keep pointing at the old arena, which stays alive through them.
      this.arena = new Uint8Array(Math.max(n, 64, this.arena.length * 2));
      this.arenaUsed = 0;
    }
    const at = this.arenaUsed;
    this.arenaUsed += n;
    this.pushBytes(this.arena, at, at + n);
    return { buf: this.arena, at };
  }

  /** Copies all values of another register of the same kind (field references keep their own copy). */
  copyFrom(o: Register, copyBytes: boolean): void {
    this.clear();
    for (let i = 0; i < o.n; i++) {
      switch (this.kind) {
        case 'num':
          this.pushNum(o.num[i]);
          break;
        case 'big':
          this.pushBig(o.big[i]);
          break;
        case 'str':
          this.pushStr(o.str[i]);
          break;
        case 'time':
          this.pushTime(o.secs[i], o.nsecs[i]);
          break;
        case 'bytes':
          if (copyBytes) {
            const b = o.buf[i].slice(o.s[i], o.e[i]);
            this.pushBytes(b, 0, b.length);
          } else {
            this.pushBytes(o.buf[i], o.s[i], o.e[i]);
          }
          break;
        default:
          this.room();
      }
    }
  }
}

/** What a compiled filter reads while it runs over one frame. */
export interface EvalContext {
  tree: ProtoTree;
  /** Data sources by index (0 = the frame's bytes) for protocol bytes, slices and `@field`. */
  sources: readonly Uint8Array[];
  /** When set, the frame's fields come from here instead of `tree` (and `sources`). */
  header?: HeaderFields | null;
}

/**
 * The fields of one frame read straight from its bytes rather than recorded in a proto tree: what the
 * plain-frame shortcut (analysis/plain-frames.ts) offers filters that read only header fields. Each field
 * occurs in at most one layer of its protocol.
 */
export interface HeaderFields {
  /** Whether field `field` (a registry index) occurs in the frame. */
  has(field: number): boolean;
  /** Pushes every occurrence of field `field` into `reg`, in tree order, through `pushOccurrence`. */
  push(field: number, reg: Register, raw: boolean, numMode: number, wholeProtocol: boolean): void;
}

/** How a number value is read into a register: as stored, as an unsigned 32-bit IPv4 address, as 0/1. */
export const NUM_PLAIN = 0;
export const NUM_U32 = 1;
export const NUM_BOOL = 2;

/**
 * Pushes one occurrence of a field into `reg`: its value `v`, or (for `@field`, protocols and labels) the
 * bytes it covers in `src` — `length` bytes from `offset`, or for a protocol searched whole (`wholeProtocol`)
 * up to `viewEnd`, the end of the data its dissector was given — never past `limit`.
 */
export function pushOccurrence(reg: Register, v: FieldValue, src: Uint8Array, offset: number, length: number, viewEnd: number, limit: number, raw: boolean, numMode: number, wholeProtocol: boolean): void {
  switch (reg.kind) {
    case 'num':
      if (typeof v === 'number') reg.pushNum(numMode === NUM_PLAIN ? v : numMode === NUM_U32 ? v >>> 0 : v !== 0 ? 1 : 0);
      else if (typeof v === 'boolean') reg.pushNum(v ? 1 : 0);
      else if (typeof v === 'bigint') reg.pushNum(Number(v));
      return;
    case 'big':
      if (typeof v === 'bigint') reg.pushBig(v);
      else if (typeof v === 'number') reg.pushBig(BigInt(v));
      return;
    case 'str':
      if (typeof v === 'string') reg.pushStr(v);
      else if (v !== null && v !== undefined) reg.pushStr(String(v));
      return;
    case 'time':
      if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) reg.pushTime((v as Timestamp).secs, (v as Timestamp).nsecs);
      return;
    case 'bytes': {
      if (!raw && v instanceof Uint8Array) {
        reg.pushBytes(v, 0, v.length);
        return;
      }
      if (!raw && typeof v === 'bigint') {
        const { buf, at } = reg.allocBytes(8);
        let x = BigInt.asUintN(64, v);
        for (let k = 7; k >= 0; k--) {
          buf[at + k] = Number(x & 255n);
          x >>= 8n;
        }
        return;
      }
      // @field, protocols, labels: the bytes the item covers. A protocol searched by contains/matches: up
      // to the end of the data it was given (payload included, as tshark searches).
      const s = Math.min(offset, limit);
      const end = wholeProtocol ? Math.max(viewEnd, s + length) : s + Math.max(0, length);
      reg.pushBytes(src, s, Math.min(end, limit));
      return;
    }
    default:
      // Labels (FT_NONE) only exist.
      reg.pushNum(0);
  }
}
