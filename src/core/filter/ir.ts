import type { FieldInfo, FieldType } from '../dissect/field-registry';
import type { ArithOp } from './ast';
import type { FunctionDef } from './functions';
import type { CompiledRegex } from './regex';
import type { Const, RegKind } from './values';

/**
 * The typed program semcheck hands to codegen: fields resolved in the registry, literals converted to the
 * type they are compared with, implicit conversions made explicit. Every value expression says its field
 * type (`ft`, for messages and formatting) and how its values are held at run time (`rk`).
 */

/** Layer or slice selection: 1-based layers / 0-based bytes, negative from the end, `length` null = to the end. */
export interface Selection {
  from: number;
  length: number | null;
}

export type VExpr =
  /** Every occurrence of a field (optionally only in some layers of its protocol). */
  | {
      op: 'field';
      ft: FieldType;
      rk: RegKind;
      field: FieldInfo;
      layers: Selection[] | null;
      /**
       * A protocol searched by contains/matches: its bytes run to the end of the data it was given (payload
       * included). Elsewhere (==, slices, len) a protocol's bytes are those its item covers, as in tshark.
       */
      wholeTvb?: boolean;
    }
  /** `@field`: the bytes an occurrence covers in the packet. */
  | { op: 'raw'; ft: 'bytes'; rk: 'bytes'; field: FieldInfo; layers: Selection[] | null }
  /** `${field}`: the values of a field in the selected frame. */
  | { op: 'ref'; ft: FieldType; rk: RegKind; field: FieldInfo; slot: number }
  | { op: 'const'; ft: FieldType; rk: RegKind; value: Const; /** A negated constant of an unsigned type (never equal to a field value). */ unsignedNegative?: boolean }
  | { op: 'slice'; ft: 'bytes'; rk: 'bytes'; base: VExpr; ranges: Selection[] }
  /** A value seen as its bytes (an IPv4 address as 4 bytes, a string as UTF-8) to compare with a slice. */
  | { op: 'bytes'; ft: 'bytes'; rk: 'bytes'; base: VExpr }
  /** A number widened to a 64-bit integer. */
  | { op: 'tobig'; ft: FieldType; rk: 'big'; base: VExpr }
  | { op: 'call'; ft: FieldType; rk: RegKind; fn: FunctionDef; args: VExpr[] }
  | { op: 'arith'; ft: FieldType; rk: RegKind; aop: ArithOp; left: VExpr; right: VExpr }
  | { op: 'neg'; ft: FieldType; rk: RegKind; operand: VExpr };

export type CmpOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export type TExpr =
  | { op: 'exists'; value: VExpr }
  /** An arithmetic or boolean-function value used as a test: true if some value is non-zero. */
  | { op: 'nonzero'; value: VExpr }
  /** `all`: every pair must satisfy the comparison (and both sides exist); otherwise one pair suffices. */
  | { op: 'cmp'; cmp: CmpOp; all: boolean; left: VExpr; right: VExpr }
  | { op: 'contains'; all: boolean; left: VExpr; right: VExpr }
  | { op: 'matches'; all: boolean; left: VExpr; regex: CompiledRegex }
  | { op: 'in'; all: boolean; left: VExpr; items: { low: VExpr; high?: VExpr }[] }
  | { op: 'and' | 'or' | 'xor'; items: TExpr[] }
  | { op: 'not'; item: TExpr }
  | { op: 'const'; value: boolean };
