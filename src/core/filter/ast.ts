import type { Span } from './errors';

/**
 * The syntax tree the parser produces: what was written, with spans, before any field lookup or typing.
 * Words that could be a field or a literal (`ip.src`, `GET`, `10.0.0.1`) stay `word` until semcheck
 * knows which side of which comparison they are on, as in Wireshark.
 */

/** One element of a slice or layer range: `[i:j]` start+length, `[i-j]` start..end, `[i]`, `[i:]`, `[:j]`. */
export interface RangeElement extends Span {
  /** Text as written (for messages). */
  text: string;
  /** First byte (negative counts from the end). */
  from: number;
  /** Number of bytes, or `null` to the end. For `i-j` the parser stores j - i + 1. */
  length: number | null;
}

export type Comparison = 'eq' | 'ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le';
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&';

/** Value-like entities (what Wireshark's grammar calls an entity or arithmetic expression). */
export type ValueNode =
  | { kind: 'word'; text: string; span: Span; layer?: LayerNode }
  /** `.ip.src`: must be a field. */
  | { kind: 'dotfield'; text: string; span: Span; layer?: LayerNode }
  | { kind: 'string'; bytes: Uint8Array; text: string; raw: boolean; span: Span }
  | { kind: 'char'; code: number; span: Span }
  /** Address or byte-string literal the scanner recognised by its shape (IPv6, CIDR, aa:bb:cc). */
  | { kind: 'literal'; text: string; span: Span }
  | { kind: 'ref'; name: string; span: Span; nameSpan: Span }
  | { kind: 'raw'; name: string; span: Span; nameSpan: Span; layer?: LayerNode }
  | { kind: 'slice'; operand: ValueNode; ranges: RangeElement[]; span: Span; rangeSpan: Span }
  | { kind: 'call'; name: string; nameSpan: Span; args: ValueNode[]; span: Span }
  | { kind: 'arith'; op: ArithOp; left: ValueNode; right: ValueNode; span: Span; opSpan: Span; braced?: boolean }
  | { kind: 'neg'; operand: ValueNode; span: Span; opSpan: Span };

export interface LayerNode {
  ranges: RangeElement[];
  span: Span;
}

export interface SetElement {
  low: ValueNode;
  /** Present for `low..high`. */
  high?: ValueNode;
}

export type TestNode =
  | { kind: 'exists'; value: ValueNode; span: Span }
  | {
      kind: 'compare';
      op: Comparison;
      /** `any` / `all` written in front of the relation (Wireshark 4.0 quantifiers). */
      quantifier: 'any' | 'all' | null;
      left: ValueNode;
      right: ValueNode;
      opText: string;
      opSpan: Span;
      span: Span;
    }
  | { kind: 'contains'; quantifier: 'any' | 'all' | null; left: ValueNode; right: ValueNode; opSpan: Span; span: Span }
  | { kind: 'matches'; quantifier: 'any' | 'all' | null; left: ValueNode; right: ValueNode; opSpan: Span; span: Span }
  | { kind: 'in'; quantifier: 'any' | 'all' | null; negated: boolean; left: ValueNode; set: SetElement[]; opSpan: Span; span: Span }
  | { kind: 'and' | 'or' | 'xor'; items: TestNode[]; span: Span }
  | { kind: 'not'; item: TestNode; span: Span }
  /** The empty filter: every frame. */
  | { kind: 'true'; span: Span };

export function spanOf(a: Span, b: Span): Span {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}
