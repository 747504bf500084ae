import type { ArithOp, Comparison, LayerNode, SetElement, TestNode, ValueNode } from './ast';
import { spanOf } from './ast';
import { FilterError, type Span } from './errors';
import { scan, showChar, type Token } from './scanner';

/**
 * Stage 2: the parser. A recursive-descent parser for Wireshark 4.0's display-filter grammar, with its
 * precedence (lowest first): `or`/`||`, `xor`/`^^` (an extension from later Wireshark), `and`/`&&`,
 * `not`/`!`, relations (`== != === !== ~= > >= < <= contains matches ~ in`, chained like `a < b < c`), then
 * arithmetic: `&`, `+ -`, `* / %`, unary minus, slices `[…]` and layers `#n`. Parentheses group tests; braces
 * `{…}` group arithmetic.
 *
 * Hostile input: nesting is bounded (MAX_NESTING levels of parentheses, braces, calls and sets) so a
 * 10,000-deep filter gets a clear error instead of a stack overflow; chains of `and`/`or`/`xor` are kept
 * n-ary, and runs of `not`/`-` are folded, so long filters never build deep trees.
 */

export const MAX_NESTING = 256;
/** Longest chain of binary arithmetic operators (each adds a level to the tree the later stages walk). */
export const MAX_ARITH_CHAIN = 1000;

const COMPARISONS: Record<string, Comparison> = {
  '==': 'eq',
  eq: 'eq',
  '!=': 'ne',
  ne: 'ne',
  '===': 'all_eq',
  all_eq: 'all_eq',
  '!==': 'any_ne',
  any_ne: 'any_ne',
  '~=': 'any_ne',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
};

function comparisonOf(t: Token): Comparison | undefined {
  if (t.kind !== 'word' && t.kind !== 'punct') return undefined;
  return Object.hasOwn(COMPARISONS, t.text) ? COMPARISONS[t.text] : undefined;
}

/** Words that are never field names or literals. */
const KEYWORDS = new Set(['and', 'or', 'xor', 'not', 'eq', 'ne', 'all_eq', 'any_ne', 'gt', 'ge', 'lt', 'le', 'contains', 'matches', 'in', 'any', 'all']);

export function parse(text: string): TestNode {
  return new Parser(scan(text)).parseFilter();
}

class Parser {
  private i = 0;
  private nesting = 0;

  constructor(private readonly toks: Token[]) {}

  parseFilter(): TestNode {
    if (this.peek().kind === 'eof') return { kind: 'true', span: { start: 0, end: 0 } };
    const t = this.parseOr();
    if (this.peek().kind !== 'eof') this.unexpected(this.peek());
    return t;
  }

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }

  private next(): Token {
    const t = this.toks[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.text === p;
  }

  private isWord(t: Token, w: string): boolean {
    return t.kind === 'word' && t.text === w;
  }

  private unexpected(t: Token): never {
    if (t.kind === 'eof') throw new FilterError('Unexpected end of filter expression.', t.start, t.end);
    if (t.kind === 'layer') throw new FilterError('"#" was unexpected in this context.', t.start, t.start + 1);
    const shown = t.kind === 'punct' ? showChar(t.text) : t.text;
    throw new FilterError(`"${shown}" was unexpected in this context.`, t.start, t.end);
  }

  private expectPunct(p: string): Token {
    const t = this.peek();
    if (!this.isPunct(t, p)) this.unexpected(t);
    return this.next();
  }

  private enter(t: Token): void {
    if (++this.nesting > MAX_NESTING) {
      throw new FilterError(`The filter is nested too deeply (more than ${MAX_NESTING} levels of parentheses, braces, sets or function calls).`, t.start, t.end);
    }
  }

  private leave(): void {
    this.nesting--;
  }

  private parseOr(): TestNode {
    return this.parseChain('or', ['or', '||'], () => this.parseXor());
  }

  private parseXor(): TestNode {
    return this.parseChain('xor', ['xor', '^^'], () => this.parseAnd());
  }

  private parseAnd(): TestNode {
    return this.parseChain('and', ['and', '&&'], () => this.parseNot());
  }

  private parseChain(kind: 'and' | 'or' | 'xor', ops: string[], sub: () => TestNode): TestNode {
    const first = sub();
    let items: TestNode[] | null = null;
    while (true) {
      const t = this.peek();
      const isOp = (t.kind === 'word' || t.kind === 'punct') && ops.includes(t.text);
      if (!isOp) break;
      this.next();
      (items ??= [first]).push(sub());
    }
    if (!items) return first;
    return { kind, items, span: spanOf(items[0].span, items[items.length - 1].span) };
  }

  private parseNot(): TestNode {
    // A run of negations is folded here rather than recursed into, so "!!!!…" of any length is safe.
    let count = 0;
    let first: Token | null = null;
    while (this.isWord(this.peek(), 'not') || this.isPunct(this.peek(), '!')) {
      first ??= this.peek();
      this.next();
      count++;
    }
    const item = this.parseRelation();
    if (count === 0 || !first) return item;
    const span = spanOf(first, item.span);
    if (count % 2 === 1) return { kind: 'not', item, span };
    return { kind: 'not', item: { kind: 'not', item, span }, span };
  }

  private parseRelation(): TestNode {
    const t = this.peek();
    if (this.isPunct(t, '(')) {
      this.enter(t);
      this.next();
      const inner = this.parseOr();
      const close = this.expectPunct(')');
      this.leave();
      // Keep the parentheses in the span (errors about the group underline all of it).
      return { ...inner, span: { start: t.start, end: close.end } } as TestNode;
    }
    let quantifier: 'any' | 'all' | null = null;
    let quantTok: Token | null = null;
    if (this.isWord(t, 'any') || this.isWord(t, 'all')) {
      quantifier = t.text as 'any' | 'all';
      quantTok = this.next();
    }
    const left = this.parseArith();
    const op = this.peek();
    const start = quantTok ? quantTok.start : left.span.start;
    if (comparisonOf(op)) {
      const items: TestNode[] = [];
      let lhs = left;
      while (true) {
        const o = this.peek();
        const cmp = comparisonOf(o);
        if (!cmp) break;
        this.next();
        const right = this.parseArith();
        items.push({
          kind: 'compare',
          op: cmp,
          quantifier,
          left: lhs,
          right,
          opText: o.text,
          opSpan: { start: o.start, end: o.end },
          span: { start: items.length ? lhs.span.start : start, end: right.span.end },
        });
        lhs = right;
      }
      if (items.length === 1) return items[0];
      return { kind: 'and', items, span: spanOf(items[0].span, items[items.length - 1].span) };
    }
    if (this.isWord(op, 'contains') || this.isWord(op, 'matches') || this.isPunct(op, '~')) {
      this.next();
      if (this.isPunct(this.peek(), '{')) this.unexpected(this.peek());
      const right = this.parseUnary();
      const kind = op.text === 'contains' ? 'contains' : 'matches';
      return { kind, quantifier, left, right, opSpan: { start: op.start, end: op.end }, span: { start, end: right.span.end } };
    }
    const negatedIn = this.isWord(op, 'not') && this.isWord(this.peek(1), 'in');
    if (this.isWord(op, 'in') || negatedIn) {
      this.next();
      if (negatedIn) this.next();
      const open = this.peek();
      if (!this.isPunct(open, '{')) this.unexpected(open);
      this.enter(open);
      this.next();
      const set: SetElement[] = [];
      while (true) {
        const low = this.parseArith();
        let high: ValueNode | undefined;
        if (this.isPunct(this.peek(), '..')) {
          this.next();
          high = this.parseArith();
        }
        set.push({ low, high });
        if (this.isPunct(this.peek(), ',')) {
          this.next();
          continue;
        }
        break;
      }
      const close = this.expectPunct('}');
      this.leave();
      return { kind: 'in', quantifier, negated: negatedIn, left, set, opSpan: { start: op.start, end: op.end }, span: { start, end: close.end } };
    }
    if (quantifier) this.unexpected(op);
    return { kind: 'exists', value: left, span: left.span };
  }

  /** Arithmetic, lowest precedence first: `&`, then `+ -`, then `* / %`. */
  private parseArith(): ValueNode {
    return this.parseBinary(0);
  }

  private static readonly LEVELS: ArithOp[][] = [['&'], ['+', '-'], ['*', '/', '%']];

  private parseBinary(level: number): ValueNode {
    if (level === Parser.LEVELS.length) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    let chain = 0;
    while (true) {
      const t = this.peek();
      if (!(t.kind === 'punct' && (Parser.LEVELS[level] as string[]).includes(t.text))) break;
      if (++chain > MAX_ARITH_CHAIN) throw new FilterError(`The arithmetic expression is too long (more than ${MAX_ARITH_CHAIN} operators).`, t.start, t.end);
      this.next();
      const right = this.parseBinary(level + 1);
      left = { kind: 'arith', op: t.text as ArithOp, left, right, span: spanOf(left.span, right.span), opSpan: { start: t.start, end: t.end } };
    }
    return left;
  }

  private parseUnary(): ValueNode {
    // Runs of unary minus are counted, not recursed into; two minuses cancel.
    const minus: Token[] = [];
    while (this.isPunct(this.peek(), '-')) minus.push(this.next());
    let v = this.parsePostfix();
    if (minus.length % 2 === 1) {
      const m = minus[minus.length - 1];
      v = { kind: 'neg', operand: v, span: spanOf(minus[0], v.span), opSpan: { start: m.start, end: m.end } };
    }
    return v;
  }

  private parsePostfix(): ValueNode {
    let v = this.parsePrimary();
    let depth = 0;
    while (this.peek().kind === 'range') {
      const r = this.next();
      if (++depth > MAX_NESTING) throw new FilterError(`Too many slices in a row (more than ${MAX_NESTING}).`, r.start, r.end);
      v = { kind: 'slice', operand: v, ranges: r.ranges!, span: spanOf(v.span, r), rangeSpan: { start: r.start, end: r.end } };
    }
    return v;
  }

  private layer(): LayerNode | undefined {
    const t = this.peek();
    if (t.kind !== 'layer') return undefined;
    this.next();
    return { ranges: t.ranges!, span: { start: t.start, end: t.end } };
  }

  private parsePrimary(): ValueNode {
    const t = this.peek();
    const span: Span = { start: t.start, end: t.end };
    switch (t.kind) {
      case 'word': {
        if (KEYWORDS.has(t.text)) this.unexpected(t);
        this.next();
        if (this.isPunct(this.peek(), '(')) return this.parseCall(t);
        const layer = this.layer();
        return layer ? { kind: 'word', text: t.text, span: spanOf(span, layer.span), layer } : { kind: 'word', text: t.text, span };
      }
      case 'dotfield': {
        this.next();
        const layer = this.layer();
        const text = t.text.slice(1);
        return layer ? { kind: 'dotfield', text, span: spanOf(span, layer.span), layer } : { kind: 'dotfield', text, span };
      }
      case 'string':
        this.next();
        return { kind: 'string', bytes: t.bytes!, text: t.value!, raw: !!t.raw, span };
      case 'char':
        this.next();
        return { kind: 'char', code: t.code!, span };
      case 'literal':
        this.next();
        return { kind: 'literal', text: t.text, span };
      case 'ref':
        this.next();
        return { kind: 'ref', name: t.name!, span, nameSpan: { start: t.nameStart!, end: t.nameStart! + t.name!.length } };
      case 'punct':
        if (t.text === '{') {
          this.enter(t);
          this.next();
          const inner = this.parseArith();
          const close = this.expectPunct('}');
          this.leave();
          return { ...wrapBraced(inner), span: { start: t.start, end: close.end } };
        }
        if (t.text === '@') {
          this.next();
          const f = this.peek();
          if (f.kind !== 'word' && f.kind !== 'dotfield') this.unexpected(f);
          if (f.kind === 'word' && KEYWORDS.has(f.text)) this.unexpected(f);
          this.next();
          const name = f.kind === 'dotfield' ? f.text.slice(1) : f.text;
          const layer = this.layer();
          return { kind: 'raw', name, nameSpan: { start: f.start, end: f.end }, span: { start: t.start, end: layer ? layer.span.end : f.end }, layer };
        }
        return this.unexpected(t);
      default:
        return this.unexpected(t);
    }
  }

  private parseCall(name: Token): ValueNode {
    const open = this.peek();
    this.enter(open);
    this.next();
    const args: ValueNode[] = [];
    if (!this.isPunct(this.peek(), ')')) {
      while (true) {
        args.push(this.parseArith());
        if (this.isPunct(this.peek(), ',')) {
          this.next();
          continue;
        }
        break;
      }
    }
    const close = this.expectPunct(')');
    this.leave();
    return { kind: 'call', name: name.text, nameSpan: { start: name.start, end: name.end }, args, span: { start: name.start, end: close.end } };
  }
}

/** Marks an arithmetic node as written in braces (a plain value in braces stays itself). */
function wrapBraced(v: ValueNode): ValueNode {
  return v.kind === 'arith' ? { ...v, braced: true } : v;
}
