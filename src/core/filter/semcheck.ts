import { fieldById, isIntegerType, type FieldInfo, type FieldType } from '../dissect/field-registry';
import type { ArithOp, LayerNode, RangeElement, TestNode, ValueNode } from './ast';
import { FilterError, type FilterWarning, type Span } from './errors';
import { literalSpan, lookupFunction, sourceText, type ArgView } from './functions';
import type { Selection, TExpr, VExpr } from './ir';
import { compileRegex } from './regex';
import { canSlice, fromChar, fromString, fromUnparsed, ftName, regKind, typeName, type Const } from './values';

/**
 * Stage 3: semantic check. Resolves words to fields (or, beside a field, to literals of that field's type),
 * converts literals, checks that the two sides of a relation can be compared, and makes Wireshark's implicit
 * conversions explicit (a field compared with a slice is seen as bytes; a 32-bit value next to a 64-bit one
 * is widened). Produces the typed program (ir.ts) and the set of fields dissection must record.
 *
 * The rules and messages follow tshark 4.0: the left side of a relation must be a field or function; a
 * constant on the left of arithmetic is refused; `!=` means "all not equal"; sets take only fields on the
 * left; len()/count()/string() take only fields.
 */

export interface CheckedFilter {
  test: TExpr;
  /** Registry indices of every field the filter reads (protocol fields included for layers). */
  fields: Set<number>;
  /** Fields read from the selected frame through ${…}, by slot. */
  refs: FieldInfo[];
  warnings: FilterWarning[];
}

/** Deprecated protocol names Wireshark still accepts, and their replacement. */
const ALIASES: readonly [string, string][] = [
  ['ssl', 'tls'],
  ['bootp', 'dhcp'],
];

/** A field by name, following the deprecated aliases (ssl.* → tls.*, bootp.* → dhcp.*). */
export function resolveFieldName(name: string): { field: FieldInfo; alias?: [string, string] } | undefined {
  const f = fieldById(name);
  if (f) return { field: f };
  for (const [old, now] of ALIASES) {
    if (name === old || name.startsWith(old + '.')) {
      const g = fieldById(now + name.slice(old.length));
      if (g) return { field: g, alias: [old, now] };
    }
  }
  return undefined;
}

interface Expect {
  ft: FieldType;
  /** The field whose value strings and true/false strings literals may name. */
  field?: FieldInfo;
}

type Role = 'lhs' | 'rhs';

function fail(message: string, span: Span): never {
  throw new FilterError(message, span.start, span.end);
}

const INTEGER_ARITH: ReadonlySet<ArithOp> = new Set(['+', '-', '*', '/', '%', '&']);

export function semcheck(ast: TestNode): CheckedFilter {
  const c = new Checker();
  const test = c.test(ast);
  return { test, fields: c.fields, refs: c.refs, warnings: c.warnings };
}

class Checker {
  readonly fields = new Set<number>();
  readonly refs: FieldInfo[] = [];
  readonly warnings: FilterWarning[] = [];

  test(n: TestNode): TExpr {
    switch (n.kind) {
      case 'true':
        return { op: 'const', value: true };
      case 'and':
      case 'or':
      case 'xor':
        return { op: n.kind, items: n.items.map((it) => this.test(it)) };
      case 'not':
        return { op: 'not', item: this.test(n.item) };
      case 'exists':
        return this.exists(n.value);
      case 'compare':
        return this.compare(n);
      case 'contains':
        return this.contains(n);
      case 'matches':
        return this.matches(n);
      case 'in':
        return this.membership(n);
    }
  }

  // ---- fields -------------------------------------------------------------------------------------------

  private field(name: string, span: Span): FieldInfo | undefined {
    const r = resolveFieldName(name);
    if (!r) return undefined;
    if (r.alias) {
      const [old, now] = r.alias;
      this.warnings.push({
        message: `"${old}" is deprecated and may not be supported in future versions; use "${now}" (here: ${r.field.id}).`,
        start: span.start,
        end: span.start + name.length,
      });
    }
    this.fields.add(r.field.index);
    return r.field;
  }

  private layers(layer: LayerNode | undefined, f: FieldInfo): Selection[] | null {
    if (!layer) return null;
    // The layer of an occurrence is counted from its protocol's items, so those must be recorded too.
    const proto = fieldById(f.protocol);
    if (proto) this.fields.add(proto.index);
    return layer.ranges.map(selection);
  }

  private fieldExpr(f: FieldInfo, layer: LayerNode | undefined): VExpr {
    return { op: 'field', ft: f.type, rk: regKind(f.type), field: f, layers: this.layers(layer, f) };
  }

  /**
   * The typed form of a node that is not a bare literal (a field, slice, call, reference, or arithmetic on
   * them), or null for a literal. Throws for names that must be fields and are not.
   */
  private entity(n: ValueNode, role: Role, expect?: Expect): VExpr | null {
    switch (n.kind) {
      case 'word': {
        const f = this.field(n.text, n.span);
        if (f) return this.fieldExpr(f, n.layer);
        if (n.layer) fail(`${n.text} is neither a field nor a protocol name.`, n.span);
        return null;
      }
      case 'dotfield': {
        const f = this.field(n.text, n.span);
        if (!f) fail(`"${n.text}" is not a valid protocol or protocol field.`, n.span);
        return this.fieldExpr(f, n.layer);
      }
      case 'string':
      case 'char':
      case 'literal':
        return null;
      case 'ref': {
        const f = this.field(n.name, n.nameSpan);
        if (!f) fail(`macro '${n.name}' does not exist`, n.span);
        this.fields.delete(f.index);
        let slot = this.refs.indexOf(f);
        if (slot < 0) slot = this.refs.push(f) - 1;
        return { op: 'ref', ft: f.type, rk: regKind(f.type), field: f, slot };
      }
      case 'raw': {
        const f = this.field(n.name, n.nameSpan);
        if (!f) fail(`"${n.name}" is not a valid protocol or protocol field.`, n.nameSpan);
        return { op: 'raw', ft: 'bytes', rk: 'bytes', field: f, layers: this.layers(n.layer, f) };
      }
      case 'slice':
        return this.slice(n, role);
      case 'call':
        return this.call(n);
      case 'arith':
        return this.arith(n, role, expect);
      case 'neg':
        return this.negate(n, role, expect);
    }
  }

  private slice(n: Extract<ValueNode, { kind: 'slice' }>, role: Role): VExpr {
    const base = this.entity(n.operand, role);
    if (!base) fail(`"${sourceText(n.operand)}" cannot be sliced.`, n.operand.span);
    if (!canSlice(base.ft) && base.op !== 'slice' && base.op !== 'raw') {
      fail(`"${nameOf(n.operand)}" is a ${typeName(base.ft)} and cannot be sliced into a sequence of bytes.`, n.operand.span);
    }
    const bytes: VExpr = base.rk === 'bytes' ? base : { op: 'bytes', ft: 'bytes', rk: 'bytes', base };
    return { op: 'slice', ft: 'bytes', rk: 'bytes', base: bytes, ranges: n.ranges.map(selection) };
  }

  private call(n: Extract<ValueNode, { kind: 'call' }>): VExpr {
    const fn = lookupFunction(n.name);
    if (!fn) fail(`Function '${n.name}' does not exist`, n.nameSpan);
    if (n.args.length < fn.minArgs) fail(`Function ${n.name} needs at least ${fn.minArgs} arguments.`, n.nameSpan);
    if (n.args.length > fn.maxArgs) fail(`Function ${n.name} can only accept ${fn.maxArgs} arguments.`, n.nameSpan);
    const views: ArgView[] = n.args.map((a) => {
      const expr = this.entity(a, 'lhs');
      const isField = (a.kind === 'word' || a.kind === 'dotfield' || a.kind === 'raw') && expr !== null;
      return { node: a, span: a.kind === 'call' ? a.nameSpan : a.span, expr, isField };
    });
    const typed = fn.check(views, { convert: (node, ft) => this.constant(node, { ft }) }, { nameSpan: n.nameSpan, span: n.span });
    return { op: 'call', ft: typed.ft, rk: typed.rk, fn, args: typed.args };
  }

  private arith(n: Extract<ValueNode, { kind: 'arith' }>, role: Role, expect?: Expect): VExpr {
    let left = this.entity(n.left, role, expect);
    let right: VExpr;
    if (left) {
      this.checkArith(left, n.op, n.left.span);
      right = this.entity(n.right, 'rhs', { ft: left.ft }) ?? this.constant(n.right, { ft: left.ft });
    } else {
      const rightEntity = this.entity(n.right, role, expect);
      // tshark refuses a constant on the left of arithmetic where a field is expected.
      if (role === 'lhs') fail('Constant arithmetic expression on the LHS is invalid.', literalSpan(n.left));
      const ft = rightEntity ? rightEntity.ft : expect?.ft;
      if (!ft) fail('Constant arithmetic expression on the LHS is invalid.', literalSpan(n.left));
      left = this.constant(n.left, { ft });
      this.checkArith(left, n.op, n.left.span);
      right = rightEntity ?? this.constant(n.right, { ft });
    }
    if (right.op !== 'const') {
      const [l, r] = this.unify(left, right, n.left, n.right);
      left = l;
      right = r;
    }
    if (left.op === 'const' && right.op === 'const') return foldArith(n.op, left, right, n.opSpan);
    return { op: 'arith', ft: left.ft, rk: left.rk, aop: n.op, left, right };
  }

  private checkArith(v: VExpr, op: ArithOp, span: Span): void {
    const ft = v.ft;
    const numeric = isIntegerType(ft) || ft === 'float' || ft === 'double';
    let ok: boolean;
    if (op === '&') ok = isIntegerType(ft) || v.rk === 'bytes';
    else if (ft === 'relative_time') ok = op === '+' || op === '-';
    else ok = numeric && INTEGER_ARITH.has(op);
    if (ft === 'boolean') ok = false;
    if (!ok) fail(`${ftName(ft)} cannot ${op}.`, span);
  }

  private negate(n: Extract<ValueNode, { kind: 'neg' }>, role: Role, expect?: Expect): VExpr {
    const inner = this.entity(n.operand, role, expect);
    if (inner) {
      if (!(isIntegerType(inner.ft) || inner.ft === 'float' || inner.ft === 'double' || inner.ft === 'relative_time') || inner.ft === 'boolean') {
        fail(`${ftName(inner.ft)} cannot -.`, n.operand.span);
      }
      return { op: 'neg', ft: inner.ft, rk: inner.rk, operand: inner };
    }
    if (role === 'lhs' || !expect) fail('Constant arithmetic expression on the LHS is invalid.', literalSpan(n.operand));
    const ft = expect.ft;
    const k = this.constant(n.operand, expect);
    if (k.op !== 'const') return { op: 'neg', ft, rk: k.rk, operand: k };
    const v = k.value;
    const unsigned = isIntegerType(ft) && (ft.startsWith('u') || ft === 'framenum' || ft === 'char');
    switch (v.rk) {
      case 'num':
        if (ft === 'boolean' || ft === 'ipv4') break;
        return { op: 'const', ft, rk: 'num', value: { rk: 'num', n: -v.n }, unsignedNegative: unsigned && v.n > 0 };
      case 'big':
        return { op: 'const', ft, rk: 'big', value: { rk: 'big', b: -v.b }, unsignedNegative: unsigned && v.b > 0n };
      case 'time':
        if (ft !== 'relative_time') break;
        return { op: 'const', ft, rk: 'time', value: { rk: 'time', secs: -v.secs, nsecs: -v.nsecs } };
      default:
        break;
    }
    return fail(`${ftName(ft)} cannot -.`, n.operand.span);
  }

  /** A literal (or constant expression) as a value of the expected type. */
  private constant(n: ValueNode, expect: Expect): VExpr {
    const { ft, field } = expect;
    const make = (value: Const): VExpr => ({ op: 'const', ft, rk: value.rk, value });
    switch (n.kind) {
      case 'word':
      case 'literal':
        return make(fromUnparsed(ft, n.text, n.span, field));
      case 'string':
        return make(fromString(ft, n.text, n.bytes, n.span, field));
      case 'char':
        return make(fromChar(ft, n.code, `'${showCharConst(n.code)}'`, n.span));
      default: {
        const e = this.entity(n, 'rhs', expect);
        if (!e) fail(`"${sourceText(n)}" is not a valid value here.`, n.span);
        return e;
      }
    }
  }

  // ---- relations ----------------------------------------------------------------------------------------

  /** The left side of a relation: a field or function (tshark refuses literals there). */
  private lhs(n: ValueNode, opText: string): VExpr {
    const e = this.entity(n, 'lhs');
    if (!e) fail(`Left side of "${opText}" expression must be a field or function, not ${shownLiteral(n)}.`, n.span);
    return e;
  }

  /** The right side, typed by the left. */
  private rhs(n: ValueNode, left: VExpr): VExpr {
    const expect: Expect = { ft: left.ft, field: valueStringsOf(left) };
    const e = this.entity(n, 'rhs', expect);
    if (!e) return this.constant(n, expect);
    return e;
  }

  /**
   * Makes two non-constant sides comparable: a slice compares as bytes with any field that has a byte form;
   * otherwise the types must belong to the same family (integers, strings, byte sequences …).
   */
  private unify(l: VExpr, r: VExpr, ln: ValueNode, rn: ValueNode): [VExpr, VExpr] {
    if (r.op === 'const' || l.op === 'const') return [l, r];
    const isSlice = (v: VExpr) => v.op === 'slice' || v.op === 'raw';
    if (isSlice(l) || isSlice(r)) {
      const asBytes = (v: VExpr, node: ValueNode): VExpr => {
        if (v.rk === 'bytes') return v;
        if (!canSlice(v.ft)) fail(`"${nameOf(node)}" is a ${typeName(v.ft)} and cannot be converted into a sequence of bytes.`, node.span);
        return { op: 'bytes', ft: 'bytes', rk: 'bytes', base: v };
      };
      return [asBytes(l, ln), asBytes(r, rn)];
    }
    if (family(l.ft) !== family(r.ft)) fail(`${nameOf(ln)} and ${nameOf(rn)} are not of compatible types.`, rn.span);
    if (l.rk === 'big' && r.rk === 'num') return [l, { op: 'tobig', ft: l.ft, rk: 'big', base: r }];
    if (l.rk === 'num' && r.rk === 'big') return [{ op: 'tobig', ft: r.ft, rk: 'big', base: l }, r];
    return [l, r];
  }

  private checkComparable(left: VExpr, leftNode: ValueNode, opText: string): void {
    if (left.rk === 'none') fail(`${nameOf(leftNode)} (type=${typeName(left.ft)}) cannot participate in ${opText} comparison.`, leftNode.span);
  }

  private compare(n: Extract<TestNode, { kind: 'compare' }>): TExpr {
    const left = this.lhs(n.left, n.opText);
    this.checkComparable(left, n.left, n.opText);
    const right0 = this.rhs(n.right, left);
    const [l, r] = this.unify(left, right0, n.left, n.right);
    const base: Record<typeof n.op, ['eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', boolean]> = {
      eq: ['eq', false],
      ne: ['ne', true],
      all_eq: ['eq', true],
      any_ne: ['ne', false],
      gt: ['gt', false],
      ge: ['ge', false],
      lt: ['lt', false],
      le: ['le', false],
    };
    const [cmp, defaultAll] = base[n.op];
    const all = n.quantifier ? n.quantifier === 'all' : defaultAll;
    if (neverEqual(l, r)) return { op: 'const', value: false };
    return { op: 'cmp', cmp, all, left: l, right: r };
  }

  private contains(n: Extract<TestNode, { kind: 'contains' }>): TExpr {
    const left = searchable(this.lhs(n.left, 'contains'));
    if (left.rk !== 'bytes' && left.rk !== 'str') {
      fail(`${nameOf(n.left)} (type=${typeName(left.ft)}) cannot participate in contains comparison.`, n.left.span);
    }
    const right0 = this.rhs(n.right, left);
    let [l, r] = this.unify(left, right0, n.left, n.right);
    // A string field searched for bytes of a slice (or the reverse) is searched as bytes.
    if (l.rk !== r.rk) {
      if (l.rk === 'str') l = { op: 'bytes', ft: 'bytes', rk: 'bytes', base: l };
      if (r.rk === 'str') r = { op: 'bytes', ft: 'bytes', rk: 'bytes', base: r };
    }
    if (l.rk !== r.rk) fail(`${nameOf(n.left)} and ${nameOf(n.right)} are not of compatible types.`, n.right.span);
    return { op: 'contains', all: n.quantifier === 'all', left: l, right: r };
  }

  private matches(n: Extract<TestNode, { kind: 'matches' }>): TExpr {
    const left = searchable(this.lhs(n.left, 'matches'));
    if (left.rk !== 'bytes' && left.rk !== 'str') {
      fail(`${nameOf(n.left)} (type=${typeName(left.ft)}) cannot participate in matches comparison.`, n.left.span);
    }
    if (n.right.kind !== 'string') fail('Matches requires a double quoted string on the right side.', n.right.span);
    const re = compileRegex(n.right.text, n.right.span);
    return { op: 'matches', all: n.quantifier === 'all', left, regex: re };
  }

  private membership(n: Extract<TestNode, { kind: 'in' }>): TExpr {
    const left = this.lhs(n.left, 'in');
    const fieldLike = left.op === 'field' || left.op === 'slice' || left.op === 'raw' || left.op === 'ref';
    if (!fieldLike) fail('Only a field may be tested for membership in a set.', n.left.kind === 'call' ? n.left.nameSpan : n.left.span);
    this.checkComparable(left, n.left, 'in');
    const items: { low: VExpr; high?: VExpr }[] = [];
    let l: VExpr = left;
    for (const el of n.set) {
      const typed = (node: ValueNode): VExpr => {
        const v = this.rhs(node, left);
        const [ul, ur] = this.unify(left, v, n.left, node);
        if (ul !== left) l = ul;
        return ur;
      };
      const low = typed(el.low);
      const high = el.high ? typed(el.high) : undefined;
      items.push({ low, high });
    }
    const test: TExpr = { op: 'in', all: n.quantifier === 'all', left: l, items };
    return n.negated ? { op: 'not', item: test } : test;
  }

  private exists(v: ValueNode): TExpr {
    switch (v.kind) {
      case 'word': {
        const f = this.field(v.text, v.span);
        if (!f) fail(`${v.text} is neither a field nor a protocol name.`, v.span);
        return { op: 'exists', value: this.fieldExpr(f, v.layer) };
      }
      case 'string':
        return fail(`"${v.text}" is neither a field nor a protocol name.`, v.span);
      case 'char':
      case 'literal':
        return fail(`${sourceText(v)} is neither a field nor a protocol name.`, v.span);
      case 'ref': {
        const f = fieldById(v.name);
        if (!f) fail(`macro '${v.name}' does not exist`, v.span);
        return fail(`${v.name} <${ftName(f.type)}> is neither a field nor a protocol name.`, v.nameSpan);
      }
      case 'call': {
        const fn = lookupFunction(v.name);
        const e = this.entity(v, 'lhs')!;
        if (!fn?.testable) fail('You cannot test whether a function is present.', v.nameSpan);
        return { op: 'nonzero', value: e };
      }
      case 'arith':
      case 'neg':
        return { op: 'nonzero', value: this.entity(v, 'lhs')! };
      default:
        return { op: 'exists', value: this.entity(v, 'lhs')! };
    }
  }
}

/** tshark searches a protocol's whole data (payload included) with contains/matches. */
function searchable(v: VExpr): VExpr {
  return v.op === 'field' && v.ft === 'protocol' ? { ...v, wholeTvb: true } : v;
}

function selection(r: RangeElement): Selection {
  return { from: r.from, length: r.length };
}

/** Type families whose members compare with each other. */
function family(ft: FieldType): string {
  if (ft === 'boolean' || ft === 'protocol') return ft;
  if (isIntegerType(ft) || ft === 'float' || ft === 'double') return 'number';
  switch (regKind(ft)) {
    case 'bytes':
      return ft === 'ipv6' ? 'ipv6' : 'bytes';
    case 'str':
      return 'string';
    default:
      return ft;
  }
}

/** Fields whose value strings literals on the other side may name. */
function valueStringsOf(v: VExpr): FieldInfo | undefined {
  return v.op === 'field' || v.op === 'ref' ? v.field : undefined;
}

/** A negative constant never equals, nor orders against, an unsigned field value (tshark finds no match). */
function neverEqual(l: VExpr, r: VExpr): boolean {
  const plain = (v: VExpr) => v.op === 'field' || v.op === 'ref';
  return (plain(l) && r.op === 'const' && !!r.unsignedNegative) || (plain(r) && l.op === 'const' && !!l.unsignedNegative);
}

function nameOf(n: ValueNode): string {
  switch (n.kind) {
    case 'word':
    case 'dotfield':
      return n.text;
    case 'raw':
      return '@' + n.name;
    case 'ref':
      return '${' + n.name + '}';
    case 'slice':
      return nameOf(n.operand);
    case 'call':
      return n.name;
    case 'string':
      return `"${n.text}"`;
    case 'char':
      return `'${showCharConst(n.code)}'`;
    case 'literal':
      return n.text;
    case 'arith':
    case 'neg':
      return nameOf(n.kind === 'arith' ? n.left : n.operand);
  }
}

function shownLiteral(n: ValueNode): string {
  return nameOf(n);
}

function showCharConst(code: number): string {
  if (code >= 32 && code < 127) return String.fromCharCode(code);
  return `\\x${code.toString(16).padStart(2, '0')}`;
}

function foldArith(op: ArithOp, l: Extract<VExpr, { op: 'const' }>, r: Extract<VExpr, { op: 'const' }>, opSpan: Span): VExpr {
  const a = l.value;
  const b = r.value;
  if (a.rk === 'num' && b.rk === 'num') {
    if ((op === '/' || op === '%') && b.n === 0) fail('Division by zero.', opSpan);
    const v = op === '+' ? a.n + b.n : op === '-' ? a.n - b.n : op === '*' ? a.n * b.n : op === '/' ? Math.trunc(a.n / b.n) : op === '%' ? a.n % b.n : Number(BigInt(a.n) & BigInt(b.n));
    const isFloat = l.ft === 'float' || l.ft === 'double';
    return { op: 'const', ft: l.ft, rk: 'num', value: { rk: 'num', n: isFloat && op === '/' ? a.n / b.n : v }, unsignedNegative: v < 0 && isIntegerType(l.ft) && l.ft.startsWith('u') };
  }
  if (a.rk === 'big' && b.rk === 'big') {
    if ((op === '/' || op === '%') && b.b === 0n) fail('Division by zero.', opSpan);
    const v = op === '+' ? a.b + b.b : op === '-' ? a.b - b.b : op === '*' ? a.b * b.b : op === '/' ? a.b / b.b : op === '%' ? a.b % b.b : a.b & b.b;
    return { op: 'const', ft: l.ft, rk: 'big', value: { rk: 'big', b: v }, unsignedNegative: v < 0n && l.ft.startsWith('u') };
  }
  if (a.rk === 'time' && b.rk === 'time' && (op === '+' || op === '-')) {
    const sign = op === '+' ? 1 : -1;
    let secs = a.secs + sign * b.secs;
    let nsecs = a.nsecs + sign * b.nsecs;
    if (nsecs >= 1e9) {
      secs++;
      nsecs -= 1e9;
    } else if (nsecs < 0 && secs > 0) {
      secs--;
      nsecs += 1e9;
    }
    return { op: 'const', ft: l.ft, rk: 'time', value: { rk: 'time', secs, nsecs } };
  }
  if (a.rk === 'bytes' && b.rk === 'bytes' && op === '&') {
    const out = new Uint8Array(Math.min(a.bytes.length, b.bytes.length));
    for (let i = 0; i < out.length; i++) out[i] = a.bytes[i] & b.bytes[i];
    return { op: 'const', ft: l.ft, rk: 'bytes', value: { rk: 'bytes', bytes: out } };
  }
  return fail(`${ftName(l.ft)} cannot ${op}.`, opSpan);
}
