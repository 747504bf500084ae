import { isIntegerType, type FieldInfo, type FieldType } from '../dissect/field-registry';
import { formatFieldValue, formatIPv4 } from '../dissect/format';
import type { ValueNode } from './ast';
import { FilterError, type Span } from './errors';
import type { VExpr } from './ir';
import type { EvalContext, Register } from './registers';
import type { RegKind } from './values';

/**
 * Display-filter functions. tshark 4.0 has len, count, lower, upper, string, max, min and abs, each with its
 * own rules for what it accepts (mostly fields only) and its own messages; Fathom adds ip_rfc1918,
 * ip_linklocal, ip_multicast and ip_ula, which test addresses (true when any value is in the range).
 */

/** An argument as semcheck saw it: its syntax, and its typed form if it is not a bare literal. */
export interface ArgView {
  node: ValueNode;
  /** Where messages about the argument point (a nested call: its name). */
  span: Span;
  /** null for literals (their type comes from the function's other arguments). */
  expr: VExpr | null;
  /** The argument is a field or protocol (possibly with a layer), not an expression. */
  isField: boolean;
}

export interface CheckApi {
  /** Converts a literal argument to a type, with tshark's messages on failure. */
  convert(node: ValueNode, ft: FieldType): VExpr;
}

export interface CallSite {
  nameSpan: Span;
  span: Span;
}

export interface FunctionDef {
  name: string;
  minArgs: number;
  maxArgs: number;
  /** Boolean functions may stand alone as a test. */
  testable: boolean;
  check(args: ArgView[], api: CheckApi, site: CallSite): { ft: FieldType; rk: RegKind; args: VExpr[]; field?: FieldInfo };
  run(ctx: EvalContext, args: readonly Register[], argExprs: readonly VExpr[], out: Register): void;
}

function fail(message: string, span: Span): never {
  throw new FilterError(message, span.start, span.end);
}

function onlyFields(name: string, args: ArgView[]): VExpr[] {
  for (const a of args) if (!a.isField || !a.expr) fail(`Only fields can be used as parameter for ${name}()`, a.span);
  return args.map((a) => a.expr!);
}

const utf8 = new TextEncoder();

/** Byte length of a value as len() reports it. */
function lengthOf(r: Register, i: number, ft: FieldType): number {
  switch (r.kind) {
    case 'bytes':
      return r.e[i] - r.s[i];
    case 'str': {
      const s = r.str[i];
      // ASCII strings are their own length; others need their UTF-8 size.
      for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) > 127) return utf8.encode(s).length;
      return s.length;
    }
    case 'big':
      return 8;
    case 'time':
      return 8;
    default:
      if (ft === 'ipv4') return 4;
      if (ft === 'boolean' || ft === 'char') return 1;
      if (ft === 'float') return 4;
      if (ft === 'double') return 8;
      return { uint8: 1, int8: 1, uint16: 2, int16: 2, uint24: 3, int24: 3, uint32: 4, int32: 4, uint40: 5, uint48: 6, framenum: 4 }[ft as string] ?? 0;
  }
}

const len: FunctionDef = {
  name: 'len',
  minArgs: 1,
  maxArgs: 1,
  testable: false,
  check(args) {
    return { ft: 'uint32', rk: 'num', args: onlyFields('len', args) };
  },
  run(_ctx, [a], [ae], out) {
    for (let i = 0; i < a.n; i++) out.pushNum(lengthOf(a, i, ae.ft));
  },
};

const count: FunctionDef = {
  name: 'count',
  minArgs: 1,
  maxArgs: 1,
  testable: false,
  check(args) {
    return { ft: 'uint32', rk: 'num', args: onlyFields('count', args) };
  },
  run(_ctx, [a], _e, out) {
    out.pushNum(a.n);
  },
};

function caseFunction(name: 'lower' | 'upper'): FunctionDef {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    testable: false,
    check(args) {
      const a = args[0];
      if (!a.isField || !a.expr || a.expr.rk !== 'str') fail(`Only string type fields can be used as parameter for ${name}()`, a.span);
      return { ft: a.expr.ft, rk: 'str', args: [a.expr] };
    },
    run(_ctx, [a], _e, out) {
      for (let i = 0; i < a.n; i++) out.pushStr(name === 'lower' ? a.str[i].toLowerCase() : a.str[i].toUpperCase());
    },
  };
}

/** Types tshark 4.0 cannot turn into a string with string(). */
const NO_STRING: ReadonlySet<FieldType> = new Set(['string', 'stringz', 'absolute_time', 'relative_time', 'boolean', 'protocol', 'none', 'bytes']);

const string: FunctionDef = {
  name: 'string',
  minArgs: 1,
  maxArgs: 1,
  testable: false,
  check(args) {
    const [e] = onlyFields('string', args);
    if (NO_STRING.has(e.ft) || (e.op !== 'field' && e.op !== 'ref')) fail(`String conversion for field "${fieldName(e)}" is not supported`, args[0].span);
    return { ft: 'string', rk: 'str', args: [e] };
  },
  run(_ctx, [a], [ae], out) {
    // Numbers in decimal whatever the field's display base; addresses in their usual text form.
    const f = fieldOf(ae);
    for (let i = 0; i < a.n; i++) {
      switch (a.kind) {
        case 'num':
          out.pushStr(ae.ft === 'ipv4' ? formatIPv4(a.num[i]) : String(a.num[i]));
          break;
        case 'big':
          out.pushStr(String(a.big[i]));
          break;
        case 'bytes':
          out.pushStr(f ? formatFieldValue(f, a.buf[i].subarray(a.s[i], a.e[i])) : '');
          break;
        default:
          break;
      }
    }
  },
};

function fieldOf(e: VExpr): FieldInfo | undefined {
  return e.op === 'field' || e.op === 'ref' || e.op === 'raw' ? e.field : undefined;
}

function fieldName(e: VExpr): string {
  return fieldOf(e)?.id ?? '';
}

/** Kinds max() and min() can order. */
const ORDERABLE: ReadonlySet<RegKind> = new Set(['num', 'big', 'time', 'str']);

function extremeFunction(name: 'max' | 'min'): FunctionDef {
  return {
    name,
    minArgs: 1,
    maxArgs: Infinity,
    testable: false,
    check(args, api) {
      const typed = args.find((a) => a.expr);
      if (!typed) fail(`Argument '${sourceText(args[0].node)}' is not valid for ${name}()`, args[0].span);
      const ft = typed.expr!.ft;
      const out: VExpr[] = [];
      for (const a of args) {
        if (!a.expr) {
          try {
            out.push(api.convert(a.node, ft));
          } catch {
            fail(`Argument '${sourceText(a.node)}' is not valid for ${name}()`, a.span);
          }
          continue;
        }
        if (!ORDERABLE.has(a.expr.rk) || a.expr.rk !== typed.expr!.rk) fail(`Argument '${sourceText(a.node)}' is not valid for ${name}()`, a.span);
        out.push(a.expr);
      }
      return { ft, rk: typed.expr!.rk, args: out };
    },
    run(_ctx, args, _e, out) {
      const want = name === 'max' ? 1 : -1;
      let best = -1;
      let bestReg: Register | null = null;
      for (const r of args) {
        for (let i = 0; i < r.n; i++) {
          if (!bestReg || Math.sign(compareIn(r, i, bestReg, best)) === want) {
            bestReg = r;
            best = i;
          }
        }
      }
      if (!bestReg) return;
      switch (out.kind) {
        case 'num':
          out.pushNum(bestReg.num[best]);
          break;
        case 'big':
          out.pushBig(bestReg.big[best]);
          break;
        case 'str':
          out.pushStr(bestReg.str[best]);
          break;
        case 'time':
          out.pushTime(bestReg.secs[best], bestReg.nsecs[best]);
          break;
        default:
          break;
      }
    },
  };
}

function compareIn(a: Register, i: number, b: Register, j: number): number {
  switch (a.kind) {
    case 'num':
      return a.num[i] - b.num[j];
    case 'big':
      return a.big[i] < b.big[j] ? -1 : a.big[i] > b.big[j] ? 1 : 0;
    case 'str':
      return a.str[i] < b.str[j] ? -1 : a.str[i] > b.str[j] ? 1 : 0;
    case 'time':
      return a.secs[i] - b.secs[j] || a.nsecs[i] - b.nsecs[j];
    default:
      return 0;
  }
}

const abs: FunctionDef = {
  name: 'abs',
  minArgs: 1,
  maxArgs: 1,
  testable: false,
  check(args) {
    const a = args[0];
    if (!a.expr) fail('Constant arithmetic expression on the LHS is invalid.', literalSpan(a.node));
    const ok = isIntegerType(a.expr.ft) || a.expr.ft === 'float' || a.expr.ft === 'double' || a.expr.ft === 'relative_time';
    if (!ok || a.expr.ft === 'boolean') fail(`Argument '${sourceText(a.node)}' is not valid for abs()`, a.span);
    return { ft: a.expr.ft, rk: a.expr.rk, args: [a.expr] };
  },
  run(_ctx, [a], _e, out) {
    for (let i = 0; i < a.n; i++) {
      switch (a.kind) {
        case 'num':
          out.pushNum(Math.abs(a.num[i]));
          break;
        case 'big':
          out.pushBig(a.big[i] < 0n ? -a.big[i] : a.big[i]);
          break;
        case 'time':
          out.pushTime(Math.abs(a.secs[i]), Math.abs(a.nsecs[i]));
          break;
        default:
          break;
      }
    }
  },
};

/** A test of an address against fixed ranges, for IPv4 (a number) and IPv6 (16 bytes). */
function addressFunction(name: string, v4: (a: number) => boolean, v6: (b: Uint8Array, at: number) => boolean): FunctionDef {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    testable: true,
    check(args) {
      const a = args[0];
      if (!a.expr || (a.expr.ft !== 'ipv4' && a.expr.ft !== 'ipv6')) fail(`Only IPv4 or IPv6 address fields can be used as parameter for ${name}()`, a.span);
      return { ft: 'boolean', rk: 'num', args: [a.expr] };
    },
    run(_ctx, [a], _e, out) {
      for (let i = 0; i < a.n; i++) {
        if (a.kind === 'num') out.pushNum(v4(a.num[i] >>> 0) ? 1 : 0);
        else if (a.kind === 'bytes') out.pushNum(a.e[i] - a.s[i] === 16 && v6(a.buf[i], a.s[i]) ? 1 : 0);
      }
    },
  };
}

const inNet = (a: number, net: number, bits: number) => (bits === 0 ? true : a >>> (32 - bits) === net >>> (32 - bits));

const FUNCTIONS: Record<string, FunctionDef> = {
  len,
  count,
  lower: caseFunction('lower'),
  upper: caseFunction('upper'),
  string,
  max: extremeFunction('max'),
  min: extremeFunction('min'),
  abs,
  // RFC 1918 private IPv4 ranges.
  ip_rfc1918: addressFunction(
    'ip_rfc1918',
    (a) => inNet(a, 0x0a000000, 8) || inNet(a, 0xac100000, 12) || inNet(a, 0xc0a80000, 16),
    () => false,
  ),
  // IPv4 169.254/16 (RFC 3927), IPv6 fe80::/10 (RFC 4291 §2.5.6).
  ip_linklocal: addressFunction(
    'ip_linklocal',
    (a) => inNet(a, 0xa9fe0000, 16),
    (b, at) => b[at] === 0xfe && (b[at + 1] & 0xc0) === 0x80,
  ),
  // IPv4 224/4 (RFC 5771), IPv6 ff00::/8 (RFC 4291 §2.7).
  ip_multicast: addressFunction(
    'ip_multicast',
    (a) => inNet(a, 0xe0000000, 4),
    (b, at) => b[at] === 0xff,
  ),
  // IPv6 unique local addresses fc00::/7 (RFC 4193); no IPv4 address is one.
  ip_ula: addressFunction(
    'ip_ula',
    () => false,
    (b, at) => (b[at] & 0xfe) === 0xfc,
  ),
};

export function lookupFunction(name: string): FunctionDef | undefined {
  return Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
}

export function functionNames(): string[] {
  return Object.keys(FUNCTIONS);
}

/** The source form of a literal node for messages ('"a"', '80'). */
export function sourceText(n: ValueNode): string {
  switch (n.kind) {
    case 'word':
    case 'dotfield':
    case 'literal':
      return n.text;
    case 'string':
      return `"${n.text}"`;
    case 'char':
      return `'${String.fromCharCode(n.code)}'`;
    default:
      return '';
  }
}

/** The span of the innermost literal of a constant expression (tshark points there). */
export function literalSpan(n: ValueNode): Span {
  let cur = n;
  while (cur.kind === 'neg' || cur.kind === 'arith') cur = cur.kind === 'neg' ? cur.operand : cur.left;
  return cur.span;
}
