import { fieldById, type FieldInfo } from '../dissect/field-registry';
import type { RegKind } from './values';
import type { ProtoTree } from '../dissect/proto-tree';
import type { CmpOp, Selection, TExpr, VExpr } from './ir';
import { NUM_BOOL, NUM_PLAIN, NUM_U32, Register, pushOccurrence, type EvalContext } from './registers';
import type { CompiledRegex } from './regex';

/**
 * Stage 4: code generation. Turns the typed program into JavaScript closures over preallocated registers
 * (no eval, so it runs under any Content-Security-Policy). A test is `(ctx) => boolean`; a value expression
 * refills its register from the frame's proto tree. Semantics follow Wireshark's filter engine:
 * - a relation holds if some pair of values satisfies it; with `all` (and for `!=`) every pair must, and
 *   both sides must have values (a frame without the field fails `ip.addr != X`);
 * - arithmetic and functions apply to every value (every pair for binary operators);
 * - a slice that does not fit in a value yields nothing for that value.
 */

export type Test = (ctx: EvalContext) => boolean;

export interface Value {
  reg: Register;
  /** Refills `reg` for the current frame (no-op for constants and references). */
  fill: (ctx: EvalContext) => void;
}

export interface Program {
  test: Test;
  /** Registers of ${…} references, by slot, filled from the selected frame. */
  refRegs: Register[];
}

const NOOP = (): void => {};

export function generate(t: TExpr, refCount: number): Program {
  const refRegs: Register[] = [];
  for (let i = 0; i < refCount; i++) refRegs.push(new Register('num'));
  const g = new Generator(refRegs);
  return { test: g.test(t), refRegs };
}

class Generator {
  constructor(private readonly refRegs: Register[]) {}

  test(t: TExpr): Test {
    switch (t.op) {
      case 'const': {
        const v = t.value;
        return () => v;
      }
      case 'and': {
        const items = t.items.map((x) => this.test(x));
        return (c) => {
          for (let i = 0; i < items.length; i++) if (!items[i](c)) return false;
          return true;
        };
      }
      case 'or': {
        const items = t.items.map((x) => this.test(x));
        return (c) => {
          for (let i = 0; i < items.length; i++) if (items[i](c)) return true;
          return false;
        };
      }
      case 'xor': {
        const items = t.items.map((x) => this.test(x));
        return (c) => {
          let odd = false;
          for (let i = 0; i < items.length; i++) if (items[i](c)) odd = !odd;
          return odd;
        };
      }
      case 'not': {
        const inner = this.test(t.item);
        return (c) => !inner(c);
      }
      case 'exists':
        return this.exists(t.value);
      case 'nonzero': {
        const v = this.value(t.value);
        return (c) => {
          v.fill(c);
          return anyNonZero(v.reg);
        };
      }
      case 'cmp':
        return this.compare(t.cmp, t.all, t.left, t.right);
      case 'contains':
        return this.contains(t.all, t.left, t.right);
      case 'matches':
        return this.matches(t.all, t.left, t.regex);
      case 'in':
        return this.membership(t);
    }
  }

  private exists(v: VExpr): Test {
    if (v.op === 'field' && !v.layers) {
      // The common case (`tcp`, `dns.flags.response`): scan for the field, no values needed.
      const idx = v.field.index;
      return (c) => {
        const hf = c.header;
        if (hf) return hf.has(idx);
        const t = c.tree;
        const fi = t.fieldIdx;
        for (let i = 0, n = t.count; i < n; i++) if (fi[i] === idx) return true;
        return false;
      };
    }
    const val = this.value(v);
    return (c) => {
      val.fill(c);
      return val.reg.n > 0;
    };
  }

  // ---- values -------------------------------------------------------------------------------------------

  value(v: VExpr): Value {
    switch (v.op) {
      case 'const': {
        const reg = new Register(v.rk);
        const k = v.value;
        if (k.rk === 'num') reg.pushNum(k.n);
        else if (k.rk === 'big') reg.pushBig(k.b);
        else if (k.rk === 'str') reg.pushStr(k.s);
        else if (k.rk === 'bytes') reg.pushBytes(k.bytes, 0, k.bytes.length);
        else reg.pushTime(k.secs, k.nsecs);
        return { reg, fill: NOOP };
      }
      case 'ref': {
        const reg = new Register(v.rk);
        this.refRegs[v.slot] = reg;
        return { reg, fill: NOOP };
      }
      case 'field':
      case 'raw':
        return fieldValue(v);
      case 'slice':
        return this.slice(v.base, v.ranges);
      case 'bytes':
        return this.asBytes(v.base);
      case 'tobig': {
        const base = this.value(v.base);
        const reg = new Register('big');
        return {
          reg,
          fill: (c) => {
            base.fill(c);
            reg.clear();
            for (let i = 0; i < base.reg.n; i++) reg.pushBig(BigInt(Math.trunc(base.reg.num[i])));
          },
        };
      }
      case 'call': {
        const args = v.args.map((a) => this.value(a));
        const regs = args.map((a) => a.reg);
        const reg = new Register(v.rk);
        const { fn } = v;
        return {
          reg,
          fill: (c) => {
            for (let i = 0; i < args.length; i++) args[i].fill(c);
            reg.clear();
            fn.run(c, regs, v.args, reg);
          },
        };
      }
      case 'arith':
        return this.arith(v);
      case 'neg': {
        const base = this.value(v.operand);
        const reg = new Register(v.rk);
        return {
          reg,
          fill: (c) => {
            base.fill(c);
            reg.clear();
            const b = base.reg;
            for (let i = 0; i < b.n; i++) {
              if (reg.kind === 'num') reg.pushNum(-b.num[i]);
              else if (reg.kind === 'big') reg.pushBig(-b.big[i]);
              else if (reg.kind === 'time') reg.pushTime(-b.secs[i], -b.nsecs[i]);
            }
          },
        };
      }
    }
  }

  private slice(baseExpr: VExpr, ranges: Selection[]): Value {
    const base = this.value(baseExpr);
    const reg = new Register('bytes');
    const one = ranges.length === 1 ? ranges[0] : null;
    return {
      reg,
      fill: (c) => {
        base.fill(c);
        reg.clear();
        const b = base.reg;
        for (let i = 0; i < b.n; i++) {
          const s = b.s[i];
          const len = b.e[i] - s;
          if (one) {
            const from = one.from < 0 ? len + one.from : one.from;
            const end = one.length === null ? len : from + one.length;
            if (from < 0 || from > len || end > len) continue;
            reg.pushBytes(b.buf[i], s + from, s + end);
            continue;
          }
          // Joined slices ([0:2,5]): the parts are concatenated into the register's arena.
          let total = 0;
          let fits = true;
          for (const r of ranges) {
            const from = r.from < 0 ? len + r.from : r.from;
            const end = r.length === null ? len : from + r.length;
            if (from < 0 || from > len || end > len) fits = false;
            else total += end - from;
          }
          if (!fits) continue;
          const { buf, at } = reg.allocBytes(total);
          let w = at;
          for (const r of ranges) {
            const from = r.from < 0 ? len + r.from : r.from;
            const end = r.length === null ? len : from + r.length;
            buf.set(b.buf[i].subarray(s + from, s + end), w);
            w += end - from;
          }
        }
      },
    };
  }

  private asBytes(baseExpr: VExpr): Value {
    const base = this.value(baseExpr);
    const reg = new Register('bytes');
    return {
      reg,
      fill: (c) => {
        base.fill(c);
        reg.clear();
        const b = base.reg;
        for (let i = 0; i < b.n; i++) {
          switch (b.kind) {
            case 'bytes':
              reg.pushBytes(b.buf[i], b.s[i], b.e[i]);
              break;
            case 'str':
              pushUtf8(reg, b.str[i]);
              break;
            case 'num': {
              // An IPv4 address (or other 32-bit value) as its four bytes, network order.
              const v = b.num[i] >>> 0;
              const { buf, at } = reg.allocBytes(4);
              buf[at] = v >>> 24;
              buf[at + 1] = (v >>> 16) & 255;
              buf[at + 2] = (v >>> 8) & 255;
              buf[at + 3] = v & 255;
              break;
            }
            case 'big': {
              const { buf, at } = reg.allocBytes(8);
              let v = BigInt.asUintN(64, b.big[i]);
              for (let k = 7; k >= 0; k--) {
                buf[at + k] = Number(v & 255n);
                v >>= 8n;
              }
              break;
            }
            default:
              break;
          }
        }
      },
    };
  }

  private arith(v: Extract<VExpr, { op: 'arith' }>): Value {
    const l = this.value(v.left);
    const r = this.value(v.right);
    const reg = new Register(v.rk);
    const op = v.aop;
    const isFloat = v.ft === 'float' || v.ft === 'double';
    return {
      reg,
      fill: (c) => {
        l.fill(c);
        r.fill(c);
        reg.clear();
        const a = l.reg;
        const b = r.reg;
        for (let i = 0; i < a.n; i++) {
          for (let j = 0; j < b.n; j++) {
            switch (reg.kind) {
              case 'num': {
                const x = a.num[i];
                const y = b.num[j];
                if ((op === '/' || op === '%') && y === 0) break;
                reg.pushNum(
                  op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? (isFloat ? x / y : Math.trunc(x / y)) : op === '%' ? x % y : bitAnd(x, y),
                );
                break;
              }
              case 'big': {
                const x = a.big[i];
                const y = b.big[j];
                if ((op === '/' || op === '%') && y === 0n) break;
                reg.pushBig(op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : op === '%' ? x % y : x & y);
                break;
              }
              case 'time': {
                const sign = op === '-' ? -1 : 1;
                let secs = a.secs[i] + sign * b.secs[j];
                let nsecs = a.nsecs[i] + sign * b.nsecs[j];
                if (nsecs >= 1e9) {
                  secs++;
                  nsecs -= 1e9;
                } else if (nsecs < 0 && secs > 0) {
                  secs--;
                  nsecs += 1e9;
                } else if (nsecs > 0 && secs < 0) {
                  secs++;
                  nsecs -= 1e9;
                }
                reg.pushTime(secs, nsecs);
                break;
              }
              case 'bytes': {
                // Bitwise and of byte strings, byte by byte over the shorter length.
                const n = Math.min(a.e[i] - a.s[i], b.e[j] - b.s[j]);
                const { buf, at } = reg.allocBytes(n);
                for (let k = 0; k < n; k++) buf[at + k] = a.buf[i][a.s[i] + k] & b.buf[j][b.s[j] + k];
                break;
              }
              default:
                break;
            }
          }
        }
      },
    };
  }

  // ---- relations ----------------------------------------------------------------------------------------

  private compare(op: CmpOp, all: boolean, le: VExpr, re: VExpr): Test {
    const l = this.value(le);
    const r = this.value(re);
    const cmp = comparator(op, le, re);
    const a = l.reg;
    const b = r.reg;
    return (c) => {
      l.fill(c);
      if (a.n === 0) return false;
      r.fill(c);
      if (b.n === 0) return false;
      if (all) {
        for (let i = 0; i < a.n; i++) for (let j = 0; j < b.n; j++) if (!cmp(a, i, b, j)) return false;
        return true;
      }
      for (let i = 0; i < a.n; i++) for (let j = 0; j < b.n; j++) if (cmp(a, i, b, j)) return true;
      return false;
    };
  }

  private contains(all: boolean, le: VExpr, re: VExpr): Test {
    const l = this.value(le);
    const r = this.value(re);
    const a = l.reg;
    const b = r.reg;
    const has = a.kind === 'str' ? (i: number, j: number) => a.str[i].includes(b.str[j]) : (i: number, j: number) => bytesContain(a.buf[i], a.s[i], a.e[i], b.buf[j], b.s[j], b.e[j]);
    return (c) => {
      l.fill(c);
      if (a.n === 0) return false;
      r.fill(c);
      if (b.n === 0) return false;
      for (let i = 0; i < a.n; i++) {
        let found = false;
        for (let j = 0; j < b.n && !found; j++) found = has(i, j);
        if (found && !all) return true;
        if (!found && all) return false;
      }
      return all;
    };
  }

  private matches(all: boolean, le: VExpr, re: CompiledRegex): Test {
    const l = this.value(le);
    const a = l.reg;
    const test = a.kind === 'str' ? (i: number) => re.testText(a.str[i]) : (i: number) => re.testBytes(latin1(a.buf[i], a.s[i], a.e[i]));
    return (c) => {
      l.fill(c);
      if (a.n === 0) return false;
      for (let i = 0; i < a.n; i++) {
        const m = test(i);
        if (m && !all) return true;
        if (!m && all) return false;
      }
      return all;
    };
  }

  private membership(t: Extract<TExpr, { op: 'in' }>): Test {
    const l = this.value(t.left);
    const a = l.reg;
    // Plain constants go to a hash set (one lookup per value, however large the set); ranges, prefixes and
    // fields are tested one by one.
    const hashKind = a.kind === 'num' || a.kind === 'str' || a.kind === 'big';
    const hashed = new Set<number | string | bigint>();
    const rest = t.items.filter((it) => {
      if (!hashKind || it.high || it.low.op !== 'const' || prefixBits(it.low) !== undefined) return true;
      const k = it.low.value;
      if (k.rk === 'num') hashed.add(k.n);
      else if (k.rk === 'str') hashed.add(k.s);
      else if (k.rk === 'big') hashed.add(k.b);
      else return true;
      return false;
    });
    const items = rest.map((it) => {
      const low = this.value(it.low);
      const high = it.high ? this.value(it.high) : null;
      return {
        low,
        high,
        eq: comparator('eq', t.left, it.low),
        ge: comparator('ge', t.left, it.low),
        le: high ? comparator('le', t.left, it.high!) : null,
      };
    });
    const inSet = (i: number): boolean => {
      if (hashed.size) {
        const v = a.kind === 'num' ? a.num[i] : a.kind === 'str' ? a.str[i] : a.big[i];
        if (hashed.has(v)) return true;
      }
      for (const it of items) {
        const lo = it.low.reg;
        if (it.high) {
          const hi = it.high.reg;
          let geLow = false;
          for (let j = 0; j < lo.n && !geLow; j++) geLow = it.ge(a, i, lo, j);
          if (!geLow) continue;
          for (let j = 0; j < hi.n; j++) if (it.le!(a, i, hi, j)) return true;
          continue;
        }
        for (let j = 0; j < lo.n; j++) if (it.eq(a, i, lo, j)) return true;
      }
      return false;
    };
    return (c) => {
      l.fill(c);
      if (a.n === 0) return false;
      for (const it of items) {
        it.low.fill(c);
        it.high?.fill(c);
      }
      for (let i = 0; i < a.n; i++) {
        const m = inSet(i);
        if (m && !t.all) return true;
        if (!m && t.all) return false;
      }
      return t.all;
    };
  }
}

/** A reader of every value of one field (for ${field} references). */
export function fieldReader(f: FieldInfo, rk: RegKind): Value {
  return fieldValue({ op: 'field', ft: f.type, rk, field: f, layers: null });
}

/** The values of a field (or `@field`'s bytes) in the current frame, optionally only in some layers. */
function fieldValue(v: Extract<VExpr, { op: 'field' | 'raw' }>): Value {
  const reg = new Register(v.rk);
  const idx = v.field.index;
  const raw = v.op === 'raw';
  const layers = v.layers;
  const layerProto = layers ? fieldById(v.field.protocol) : undefined;
  const protoIdx = layerProto ? layerProto.index : -1;
  // IPv4 values are read as unsigned; booleans as 0/1 even if a dissector stored the masked bits.
  const numMode = v.ft === 'ipv4' ? NUM_U32 : v.ft === 'boolean' ? NUM_BOOL : NUM_PLAIN;
  const isProto = v.op === 'field' && v.ft === 'protocol' && v.wholeTvb === true;
  return {
    reg,
    fill: (c) => {
      reg.clear();
      const hf = c.header;
      if (hf) {
        // Header fields occur in one layer of their protocol at most: layer 1 of 1.
        if (!layers || inLayers(1, 1, layers)) hf.push(idx, reg, raw, numMode, isProto);
        return;
      }
      const t = c.tree;
      const fi = t.fieldIdx;
      const n = t.count;
      if (!layers) {
        for (let i = 0; i < n; i++) if (fi[i] === idx) pushItem(reg, t, i, c, raw, numMode, isProto);
        return;
      }
      // Layer of an occurrence = how many items of its protocol came before it (its own included).
      let total = 0;
      for (let i = 0; i < n; i++) if (fi[i] === protoIdx) total++;
      let layer = protoIdx < 0 ? 1 : 0;
      for (let i = 0; i < n; i++) {
        if (fi[i] === protoIdx) layer++;
        if (fi[i] === idx && inLayers(layer, total, layers)) pushItem(reg, t, i, c, raw, numMode, isProto);
      }
    },
  };
}

function inLayers(layer: number, total: number, sel: Selection[]): boolean {
  for (const s of sel) {
    const from = s.from < 0 ? total + 1 + s.from : s.from;
    const to = s.length === null ? Infinity : from + s.length - 1;
    if (layer >= from && layer <= to) return true;
  }
  return false;
}

const EMPTY = new Uint8Array(0);

function pushItem(reg: Register, t: ProtoTree, i: number, c: EvalContext, raw: boolean, numMode: number, proto: boolean): void {
  const v = t.values[i];
  if (reg.kind !== 'bytes' || (!raw && (v instanceof Uint8Array || typeof v === 'bigint'))) {
    pushOccurrence(reg, v, EMPTY, 0, 0, -1, 0, raw, numMode, proto);
    return;
  }
  const src = c.sources[t.source[i]] ?? EMPTY;
  pushOccurrence(reg, v, src, t.offset[i], t.length[i], t.viewEnd[i], src.length, raw, numMode, proto);
}

/** Bitwise and of two non-negative integers of up to 53 bits (JS `&` works on 32). */
function bitAnd(x: number, y: number): number {
  if (x >= 0 && y >= 0 && x <= 0xffffffff && y <= 0xffffffff) return (x & y) >>> 0;
  const hi = (Math.floor(x / 4294967296) & Math.floor(y / 4294967296)) >>> 0;
  return hi * 4294967296 + ((x >>> 0) & (y >>> 0)) >>> 0;
}

function pushUtf8(reg: Register, s: string): void {
  let ascii = true;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) > 127) ascii = false;
  if (ascii) {
    const { buf, at } = reg.allocBytes(s.length);
    for (let k = 0; k < s.length; k++) buf[at + k] = s.charCodeAt(k);
    return;
  }
  const b = new TextEncoder().encode(s);
  const { buf, at } = reg.allocBytes(b.length);
  buf.set(b, at);
}

function anyNonZero(r: Register): boolean {
  for (let i = 0; i < r.n; i++) {
    switch (r.kind) {
      case 'num':
        if (r.num[i] !== 0) return true;
        break;
      case 'big':
        if (r.big[i] !== 0n) return true;
        break;
      case 'str':
        if (r.str[i].length > 0) return true;
        break;
      case 'time':
        if (r.secs[i] !== 0 || r.nsecs[i] !== 0) return true;
        break;
      case 'bytes':
        for (let k = r.s[i]; k < r.e[i]; k++) if (r.buf[i][k] !== 0) return true;
        break;
      default:
        return true;
    }
  }
  return false;
}

type Cmp = (a: Register, i: number, b: Register, j: number) => boolean;

function order(op: CmpOp, d: number): boolean {
  switch (op) {
    case 'eq':
      return d === 0;
    case 'ne':
      return d !== 0;
    case 'lt':
      return d < 0;
    case 'le':
      return d <= 0;
    case 'gt':
      return d > 0;
    case 'ge':
      return d >= 0;
  }
}

/** A pair comparator for the kind of the two sides; address constants with a prefix compare masked. */
function comparator(op: CmpOp, le: VExpr, re: VExpr): Cmp {
  const bits = prefixBits(re) ?? prefixBits(le);
  switch (le.rk) {
    case 'num': {
      if (bits !== undefined && bits < 32) {
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        return (a, i, b, j) => {
          const x = (a.num[i] & mask) >>> 0;
          const y = (b.num[j] & mask) >>> 0;
          return order(op, x === y ? 0 : x < y ? -1 : 1);
        };
      }
      switch (op) {
        case 'eq':
          return (a, i, b, j) => a.num[i] === b.num[j];
        case 'ne':
          return (a, i, b, j) => a.num[i] !== b.num[j];
        case 'lt':
          return (a, i, b, j) => a.num[i] < b.num[j];
        case 'le':
          return (a, i, b, j) => a.num[i] <= b.num[j];
        case 'gt':
          return (a, i, b, j) => a.num[i] > b.num[j];
        case 'ge':
          return (a, i, b, j) => a.num[i] >= b.num[j];
      }
      break;
    }
    case 'big':
      return (a, i, b, j) => order(op, a.big[i] === b.big[j] ? 0 : a.big[i] < b.big[j] ? -1 : 1);
    case 'str':
      return (a, i, b, j) => order(op, a.str[i] === b.str[j] ? 0 : a.str[i] < b.str[j] ? -1 : 1);
    case 'time':
      return (a, i, b, j) => order(op, a.secs[i] - b.secs[j] || a.nsecs[i] - b.nsecs[j]);
    case 'bytes':
      if (bits !== undefined && bits < 128) return (a, i, b, j) => order(op, comparePrefix(a.buf[i], a.s[i], a.e[i], b.buf[j], b.s[j], b.e[j], bits));
      return (a, i, b, j) => order(op, compareBytes(a.buf[i], a.s[i], a.e[i], b.buf[j], b.s[j], b.e[j]));
    default:
      break;
  }
  return () => false;
}

function prefixBits(v: VExpr): number | undefined {
  if (v.op !== 'const') return undefined;
  const k = v.value;
  return (k.rk === 'num' || k.rk === 'bytes') && k.bits !== undefined ? k.bits : undefined;
}

function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const n = Math.min(la, lb);
  for (let k = 0; k < n; k++) {
    const d = a[as + k] - b[bs + k];
    if (d !== 0) return d;
  }
  return la - lb;
}

/** Compares the first `bits` bits (IPv6 with a prefix length). */
function comparePrefix(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number, bits: number): number {
  const full = bits >> 3;
  const rest = bits & 7;
  if (ae - as < full + (rest ? 1 : 0) || be - bs < full + (rest ? 1 : 0)) return compareBytes(a, as, ae, b, bs, be);
  for (let k = 0; k < full; k++) {
    const d = a[as + k] - b[bs + k];
    if (d !== 0) return d;
  }
  if (rest) {
    const mask = (0xff << (8 - rest)) & 0xff;
    return (a[as + full] & mask) - (b[bs + full] & mask);
  }
  return 0;
}

function bytesContain(h: Uint8Array, hs: number, he: number, n: Uint8Array, ns: number, ne: number): boolean {
  const nl = ne - ns;
  if (nl === 0) return true;
  const first = n[ns];
  const last = he - nl;
  outer: for (let i = hs; i <= last; i++) {
    if (h[i] !== first) continue;
    for (let k = 1; k < nl; k++) if (h[i + k] !== n[ns + k]) continue outer;
    return true;
  }
  return false;
}

/** Bytes as a string of one character per byte, for regular expressions over byte fields. */
function latin1(b: Uint8Array, s: number, e: number): string {
  let out = '';
  for (let i = s; i < e; i += 4096) out += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  return out;
}
