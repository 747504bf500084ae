import type { RangeElement } from './ast';
import { FilterError } from './errors';

/**
 * Stage 1: the scanner. Turns filter text into tokens, following the lexical rules of Wireshark 4.0's display
 * filter scanner: words (field names or unparsed literals, which semcheck tells apart), `.field`, quoted and
 * raw strings with C escapes, character constants, address and byte-string shapes (IPv6, IPv4/CIDR,
 * aa:bb:cc), slice brackets `[…]` scanned as one unit, layers `#n` / `#[…]`, field references `${…}`, and
 * operators. Keywords (`and`, `eq`, …) stay words; the parser recognises them, lowercase only, as tshark does.
 */

export type TokenKind = 'word' | 'dotfield' | 'string' | 'char' | 'literal' | 'range' | 'layer' | 'ref' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for messages). */
  text: string;
  start: number;
  end: number;
  /** string: the value as bytes (escapes may produce any byte). */
  bytes?: Uint8Array;
  /** string: the value as text (UTF-8 decoded when valid, else Latin-1). */
  value?: string;
  raw?: boolean;
  /** char: the code. */
  code?: number;
  /** range / layer: the elements. */
  ranges?: RangeElement[];
  /** ref: the field name inside ${…}. */
  name?: string;
  nameStart?: number;
}

/** Operators, longest first so that `===` wins over `==`. */
const PUNCT = ['===', '!==', '==', '!=', '~=', '>=', '<=', '&&', '||', '^^', '..', '>', '<', '!', '~', '(', ')', '{', '}', ',', '+', '-', '*', '/', '%', '&', '=', '@', ':', '.', ']'];

/** Operators by first character, longest first. */
const PUNCT_BY_CHAR = new Map<string, string[]>();
for (const op of PUNCT) {
  const list = PUNCT_BY_CHAR.get(op[0]) ?? [];
  list.push(op);
  PUNCT_BY_CHAR.set(op[0], list);
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Characters of a word segment: letters, digits, `_` and `-` (`frame.len-1` is one word, as in tshark). */
const isSegChar = (c: number) => isAlpha(c) || isDigit(c) || c === 95 || c === 45;
const isWordStart = (c: number) => isAlpha(c) || isDigit(c) || c === 95;
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Printable form of a character for "was unexpected" messages. */
export function showChar(s: string): string {
  const c = s.codePointAt(0) ?? 0;
  if (c < 32 || c === 127) return `\\x${c.toString(16).padStart(2, '0')}`;
  if (c >= 0xd800 && c <= 0xdfff) return `\\u${c.toString(16).toUpperCase()}`;
  return s;
}

export function scan(text: string): Token[] {
  return new Scanner(text).run();
}

class Scanner {
  private pos = 0;
  private readonly out: Token[] = [];

  constructor(private readonly s: string) {}

  run(): Token[] {
    const s = this.s;
    while (true) {
      while (this.pos < s.length && isSpace(s.charCodeAt(this.pos))) this.pos++;
      if (this.pos >= s.length) break;
      this.token();
    }
    this.out.push({ kind: 'eof', text: '', start: s.length, end: s.length });
    return this.out;
  }

  private push(kind: TokenKind, start: number, end: number, extra?: Partial<Token>): void {
    this.out.push({ kind, text: this.s.slice(start, end), start, end, ...extra });
    this.pos = end;
  }

  private token(): void {
    const s = this.s;
    const p = this.pos;
    const c = s.charCodeAt(p);
    if (c === 34 /* " */) return this.string(p, p + 1, false);
    if ((c === 114 || c === 82) && s.charCodeAt(p + 1) === 34) return this.string(p, p + 2, true);
    if (c === 39 /* ' */) return this.charConst(p);
    if (c === 91 /* [ */) {
      const { ranges, end } = this.rangeList(p);
      return this.push('range', p, end, { ranges });
    }
    if (c === 35 /* # */) return this.layer(p);
    if (c === 36 /* $ */ && s.charCodeAt(p + 1) === 123) return this.ref(p);
    if (c === 46 /* . */ && p + 1 < s.length && isSegChar(s.charCodeAt(p + 1)) && s.charCodeAt(p + 1) !== 45) {
      const end = this.wordEnd(p + 1);
      return this.push('dotfield', p, end);
    }
    if (isWordStart(c) || c === 58 /* : */) {
      const wordEnd = isWordStart(c) ? this.wordEnd(p) : p;
      const litEnd = Math.max(this.ipv6End(p), this.ipv4CidrEnd(p), this.colonBytesEnd(p));
      if (litEnd > wordEnd) return this.push('literal', p, litEnd);
      if (wordEnd > p) return this.push('word', p, wordEnd);
    }
    // tshark scans ":" followed by hex digits (":2", ":00") as one token, which no rule accepts.
    if (c === 58 && isHex(s.charCodeAt(p + 1))) {
      let i = p + 1;
      while (i < s.length && isSegChar(s.charCodeAt(i))) i++;
      return this.push('punct', p, i);
    }
    const candidates = PUNCT_BY_CHAR.get(s[p]);
    if (candidates) for (const op of candidates) if (s.startsWith(op, p)) return this.push('punct', p, p + op.length);
    // Any other character: a one-character token the parser reports as unexpected.
    const cp = s.codePointAt(p) ?? 0;
    this.push('punct', p, p + (cp > 0xffff ? 2 : 1));
  }

  /** End of a dotted word starting at p: segments of [A-Za-z0-9_-] joined by single dots. */
  private wordEnd(p: number): number {
    const s = this.s;
    let i = p;
    while (i < s.length && isSegChar(s.charCodeAt(i))) i++;
    while (s.charCodeAt(i) === 46 && i + 1 < s.length && isSegChar(s.charCodeAt(i + 1))) {
      i++;
      while (i < s.length && isSegChar(s.charCodeAt(i))) i++;
    }
    return i;
  }

  /** Longest IPv6 address (with optional /prefix) at p, or p. */
  private ipv6End(p: number): number {
    const s = this.s;
    let i = p;
    let colons = 0;
    // Longest IPv6 text is 45 characters; a longer run cannot be one address.
    while (i < s.length && i - p < 46) {
      const c = s.charCodeAt(i);
      if (c === 58) colons++;
      else if (!isHex(c) && c !== 46) break;
      i++;
    }
    if (colons < 2) return p;
    for (let end = i; end > p + 1; end--) {
      if (parseIPv6(s.slice(p, end))) return this.prefixEnd(end, 3);
    }
    return p;
  }

  private ipv4CidrEnd(p: number): number {
    const s = this.s;
    // Four groups of 1–3 digits separated by dots, then "/" and 1–2 digits.
    let i = p;
    for (let g = 0; g < 4; g++) {
      const start = i;
      while (i < s.length && i - start < 3 && isDigit(s.charCodeAt(i))) i++;
      if (i === start) return p;
      if (g < 3) {
        if (s.charCodeAt(i) !== 46) return p;
        i++;
      }
    }
    if (s.charCodeAt(i) !== 47) return p;
    const end = this.prefixEnd(i, 2);
    return end > i ? end : p;
  }

  /** `aa:bb(:cc)*` — a byte string written with colons (MAC addresses included). */
  private colonBytesEnd(p: number): number {
    const s = this.s;
    if (!(isHex(s.charCodeAt(p)) && isHex(s.charCodeAt(p + 1)) && s.charCodeAt(p + 2) === 58)) return p;
    let i = p + 2;
    while (s.charCodeAt(i) === 58 && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) i += 3;
    // A hex digit right after the last pair means it was not a byte string (e.g. "aa:bbb").
    return i > p + 2 && !isSegChar(s.charCodeAt(i)) ? i : p;
  }

  private prefixEnd(end: number, maxDigits: number): number {
    const s = this.s;
    if (s.charCodeAt(end) !== 47) return end;
    let i = end + 1;
    while (i < s.length && isDigit(s.charCodeAt(i)) && i - end <= maxDigits) i++;
    return i > end + 1 ? i : end;
  }

  private string(start: number, bodyStart: number, raw: boolean): void {
    const s = this.s;
    const bytes: number[] = [];
    let i = bodyStart;
    const addText = (t: string) => {
      for (const b of utf8.encode(t)) bytes.push(b);
    };
    while (true) {
      if (i >= s.length) throw new FilterError('The final quote was missing from a quoted string.', s.length, s.length + 1);
      const c = s.charCodeAt(i);
      if (c === 34) break;
      if (c !== 92 /* \ */) {
        // Copy a run of plain characters at once (surrogate pairs stay together).
        let j = i + 1;
        while (j < s.length && s.charCodeAt(j) !== 34 && s.charCodeAt(j) !== 92) j++;
        addText(s.slice(i, j));
        i = j;
        continue;
      }
      if (raw) {
        // Raw strings keep the backslash; it only stops a following quote from ending the string.
        if (i + 1 >= s.length) throw new FilterError('The final quote was missing from a quoted string.', s.length, s.length + 1);
        addText(s.slice(i, i + 2));
        i += 2;
        continue;
      }
      const { value, end, isByte } = escape(s, i);
      if (isByte) bytes.push(value);
      else addText(String.fromCodePoint(value));
      i = end;
    }
    const arr = Uint8Array.from(bytes);
    this.push('string', start, i + 1, { bytes: arr, value: decodeText(arr), raw });
  }

  private charConst(p: number): void {
    const s = this.s;
    const close = s.indexOf("'", p + 1 + (s.charCodeAt(p + 1) === 92 ? 2 : 0));
    if (close < 0) throw new FilterError('The final quote was missing from a character constant.', s.length, s.length + 1);
    const body = s.slice(p + 1, close);
    let code: number;
    if (body.charCodeAt(0) === 92) {
      const e = escape(s, p + 1);
      if (e.end !== close) throw new FilterError(`${s.slice(p, close + 1)} is too long to be a valid character constant.`, p, close + 1);
      code = e.value;
    } else {
      const cp = body.codePointAt(0);
      if (cp === undefined || body.length !== (cp > 0xffff ? 2 : 1)) {
        throw new FilterError(`${s.slice(p, close + 1)} is too long to be a valid character constant.`, p, close + 1);
      }
      code = cp;
    }
    if (code > 255) throw new FilterError(`${s.slice(p, close + 1)} is too long to be a valid character constant.`, p, close + 1);
    this.push('char', p, close + 1, { code });
  }

  /** `[…]`: comma-separated slice ranges, scanned as one unit like tshark's range state. */
  private rangeList(p: number): { ranges: RangeElement[]; end: number } {
    const s = this.s;
    const close = s.indexOf(']', p + 1);
    const end = close < 0 ? s.length : close;
    const ranges: RangeElement[] = [];
    let i = p + 1;
    while (true) {
      let j = i;
      while (j < end && s.charCodeAt(j) !== 44) j++;
      let a = i;
      let b = j;
      while (a < b && isSpace(s.charCodeAt(a))) a++;
      while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
      if (a === b) {
        // "[]" or "[1,]": the next character (',' or ']') is what tshark reports.
        if (close < 0 && j >= s.length) throw new FilterError('The right bracket was missing from a slice.', s.length, s.length + 1);
        throw new FilterError(`"${s[j] ?? ''}" was unexpected in this context.`, j, j + 1);
      }
      ranges.push(parseRangeElement(s.slice(a, b), a));
      if (j >= end) break;
      i = j + 1;
    }
    if (close < 0) throw new FilterError('The right bracket was missing from a slice.', s.length, s.length + 1);
    return { ranges, end: close + 1 };
  }

  private layer(p: number): void {
    const s = this.s;
    const c = s.charCodeAt(p + 1);
    if (c === 91) {
      const { ranges, end } = this.rangeList(p + 1);
      return this.push('layer', p, end, { ranges });
    }
    if (isDigit(c)) {
      let i = p + 1;
      while (i < s.length && isDigit(s.charCodeAt(i))) i++;
      const el = parseRangeElement(s.slice(p + 1, i), p + 1);
      return this.push('layer', p, i, { ranges: [el] });
    }
    if (p + 1 >= s.length) throw new FilterError('Unexpected end of filter expression.', s.length, s.length);
    throw new FilterError(`Expected digit or "[", not "${showChar(s[p + 1])}"`, p + 1, p + 2);
  }

  /** `${field}` — a reference to a field of the selected frame. */
  private ref(p: number): void {
    const s = this.s;
    let i = p + 2;
    while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    const nameStart = i;
    const nameEnd = isWordStart(s.charCodeAt(i)) ? this.wordEnd(i) : i;
    let j = nameEnd;
    while (j < s.length && isSpace(s.charCodeAt(j))) j++;
    if (nameEnd === nameStart) {
      if (i >= s.length) throw new FilterError('Unexpected end of filter expression.', s.length, s.length);
      throw new FilterError(`"${showChar(s[i])}" was unexpected in this context.`, i, i + 1);
    }
    if (s.charCodeAt(j) !== 125) {
      if (j >= s.length) throw new FilterError('Unexpected end of filter expression.', s.length, s.length);
      throw new FilterError(`"${showChar(s[j])}" was unexpected in this context.`, j, j + 1);
    }
    this.push('ref', p, j + 1, { name: s.slice(nameStart, nameEnd), nameStart });
  }
}

const INT_MAX = 0x7fffffff;

function rangeNumber(text: string, at: number): number {
  const n = Number(text);
  if (!Number.isFinite(n) || Math.abs(n) > INT_MAX) throw new FilterError(`"${text}" causes an integer overflow.`, at, at + text.length);
  return n;
}

/** One slice element: `i:j` (start, length), `i-j` (first, last), `i`, `i:`, `:j`, `:`. */
export function parseRangeElement(text: string, at: number): RangeElement {
  const span = { start: at, end: at + text.length };
  const compact = text.replace(/\s+/g, '');
  const num = '([+-]?\\d+)';
  let m = new RegExp(`^${num}?:${num}?$`).exec(compact);
  if (m) {
    const from = m[1] !== undefined ? rangeNumber(m[1], at) : 0;
    if (m[2] === undefined) return { text, from, length: null, ...span };
    const length = rangeNumber(m[2], at + text.indexOf(':') + 1);
    if (length <= 0) throw new FilterError(`Range ${compact} isn't valid because length ${length} isn't positive`, span.start, span.end);
    return { text, from, length, ...span };
  }
  m = new RegExp(`^${num}-${num}$`).exec(compact);
  if (m) {
    const from = rangeNumber(m[1], at);
    const to = rangeNumber(m[2], at);
    if ((from < 0) !== (to < 0)) throw new FilterError(`Range ${compact} isn't valid because ${from} and ${to} have different signs`, span.start, span.end);
    if (from >= to) throw new FilterError(`Range ${compact} isn't valid because ${from} is greater or equal than ${to}`, span.start, span.end);
    return { text, from, length: to - from + 1, ...span };
  }
  m = new RegExp(`^${num}$`).exec(compact);
  if (m) return { text, from: rangeNumber(m[1], at), length: 1, ...span };
  if (/^[+-]?[A-Za-z0-9_]+$/.test(compact)) throw new FilterError(`"${text}" is not a valid number.`, span.start, span.end);
  throw new FilterError(`"${text}" is not a valid range.`, span.start, span.end);
}

/** A C escape at s[i] === '\\': its value, where it ends, and whether it denotes a raw byte. */
function escape(s: string, i: number): { value: number; end: number; isByte: boolean } {
  const c = s[i + 1];
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34, "'": 39 };
  if (c !== undefined && c in simple) return { value: simple[c], end: i + 2, isByte: true };
  if (c === 'x') {
    let j = i + 2;
    while (j < i + 4 && isHex(s.charCodeAt(j))) j++;
    if (j === i + 2) throw new FilterError('\\x is not a valid character escape sequence', i, i + 2);
    return { value: parseInt(s.slice(i + 2, j), 16), end: j, isByte: true };
  }
  if (c !== undefined && c >= '0' && c <= '7') {
    let j = i + 1;
    while (j < i + 4 && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 55) j++;
    const v = parseInt(s.slice(i + 1, j), 8);
    if (v > 255) throw new FilterError(`${s.slice(i, j)} is larger than 255.`, i, j);
    return { value: v, end: j, isByte: true };
  }
  if (c === 'u' || c === 'U') {
    const n = c === 'u' ? 4 : 8;
    const digits = s.slice(i + 2, i + 2 + n);
    const v = digits.length === n && /^[0-9A-Fa-f]+$/.test(digits) ? parseInt(digits, 16) : -1;
    // C's rules for universal character names: no surrogates, nothing past U+10FFFF, and below U+00A0 only $ @ `.
    const ok = v >= 0 && v <= 0x10ffff && !(v >= 0xd800 && v <= 0xdfff) && (v >= 0xa0 || v === 0x24 || v === 0x40 || v === 0x60);
    if (!ok) throw new FilterError(`${s.slice(i, i + 2 + digits.length)} is not a valid universal character name`, i, i + 2 + digits.length);
    return { value: v, end: i + 2 + n, isByte: false };
  }
  const shown = c === undefined ? '' : s.slice(i + 1, i + 1 + ((s.codePointAt(i + 1) ?? 0) > 0xffff ? 2 : 1));
  throw new FilterError(`\\${shown} is not a valid character escape sequence`, i, i + 1 + shown.length);
}

function decodeText(b: Uint8Array): string {
  try {
    return strictUtf8.decode(b);
  } catch {
    let t = '';
    for (let i = 0; i < b.length; i++) t += String.fromCharCode(b[i]);
    return t;
  }
}

/** Parses IPv6 text (RFC 4291 §2.2, with an embedded IPv4 tail allowed); null if invalid. */
export function parseIPv6(text: string): Uint8Array | null {
  if (text.length < 2 || text.length > 45) return null;
  let head = text;
  let v4: number[] | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) >= 0) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.slice(lastColon + 1));
    if (!m) return null;
    v4 = m.slice(1, 5).map(Number);
    if (v4.some((x) => x > 255)) return null;
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = head.indexOf('::');
  if (dbl >= 0 && head.indexOf('::', dbl + 1) >= 0) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const gs = part.split(':');
    const out: number[] = [];
    for (const g of gs) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let groups: number[];
  if (dbl >= 0) {
    const a = parseGroups(head.slice(0, dbl));
    const b = parseGroups(head.slice(dbl + 2));
    if (!a || !b || a.length + b.length > 7) return null;
    groups = [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  } else {
    const g = parseGroups(head);
    if (!g || g.length !== 8) return null;
    groups = g;
  }
  const out = new Uint8Array(16);
  for (let k = 0; k < 8; k++) {
    out[2 * k] = groups[k] >> 8;
    out[2 * k + 1] = groups[k] & 255;
  }
  if (v4) out.set(v4, 12);
  return out;
}
