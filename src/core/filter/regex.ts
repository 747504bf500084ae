import { FilterError, type Span } from './errors';

/**
 * `matches` / `~` patterns. Wireshark compiles them with PCRE2, case-insensitively; Fathom runs them with
 * JavaScript's RegExp after translating the PCRE syntax that differs, and refuses what RegExp cannot do or
 * what could backtrack catastrophically (JS regexes cannot be interrupted, and a filter runs over every frame).
 *
 * PCRE2 vs JS RegExp, and what Fathom does:
 * - case: PCRE2_CASELESS by default (as tshark); `(?i)` / `(?-i)` / `(?s)` / `(?m)` / `(?x)` at the very start
 *   set flags. Inline flags elsewhere (`a(?i)b`, `(?i:…)`) are refused (Node 20 has no modifier groups).
 * - `.` does not match "\n" in PCRE2 but in JS it also skips "\r", U+2028 and U+2029: translated to `[^\n]`.
 * - `$` in PCRE2 also matches before a final newline: translated to `(?=\n?$)` (multiline mode unchanged).
 * - `\A`, `\z`, `\Z`, `\h`, `\H`, `\R`, `\e`, `\Q…\E`, `\x{…}`, POSIX classes `[[:alpha:]]`, `(?P<n>…)`,
 *   `(?P=n)` and `(?#…)` comments are translated.
 * - Refused: possessive quantifiers (`a*+`), atomic groups `(?>…)`, recursion `(?R)` `(?1)`, conditionals,
 *   `\K`, `\G`, `\p{…}`, backtracking verbs `(*…)` — JS has no equivalent with the same meaning.
 * - Byte fields (frame, tcp.payload) are matched as one character per byte (Latin-1); non-ASCII characters
 *   of the pattern are matched as their UTF-8 bytes there, as PCRE2 does on bytes. Caseless matching of
 *   non-ASCII letters follows JS (PCRE2 in the C locale folds ASCII only).
 * - Catastrophic backtracking: a quantified group containing an unbounded quantifier (`(a+)+`, `(\w*\s?)*`),
 *   an unbounded repetition of alternatives that can start alike (`(a|ab)*`), and three or more unbounded
 *   repeats that can take the same characters in a row (`.*a.*b.*c`) are refused with an explanation; PCRE2
 *   would stop such a match at its match limit, JS would hang the worker.
 */

export interface CompiledRegex {
  /** Tests a text value (string fields). */
  testText(subject: string): boolean;
  /** Tests a byte value given as one character per byte (Latin-1). */
  testBytes(subject: string): boolean;
  /** The two engines, for tests: JS RegExp (backtracking) and the linear-time matcher (null if unusable). */
  readonly engines: { text: RegExp; bytes: RegExp; linearText: { test(s: string): boolean } | null; linearBytes: { test(s: string): boolean } | null };
}

const MAX_REGEX_NESTING = 64;
/**
 * Values longer than this are matched by the linear-time matcher (when the pattern has no back reference):
 * the refusals above keep backtracking polynomial, but n² over a 64 KiB reassembled payload is still too slow.
 */
export const LINEAR_MATCH_ABOVE = 4096;

export function compileRegex(pattern: string, span: Span): CompiledRegex {
  const fail = (msg: string): never => {
    throw new FilterError(msg, span.start, span.end);
  };
  let flags = { i: true, s: false, m: false, x: false };
  let body = pattern;
  const lead = /^\(\?([a-z]*)(?:-([a-z]*))?\)/.exec(body);
  if (lead) {
    if (/[^ismx]/.test(lead[1] + (lead[2] ?? ''))) fail(`Regex compilation error: unsupported inline option in "${lead[0]}".`);
    for (const f of lead[1]) flags = { ...flags, [f]: true };
    for (const f of lead[2] ?? '') flags = { ...flags, [f]: false };
    body = body.slice(lead[0].length);
  }
  const text = translate(body, flags, false, fail);
  checkBacktracking(text.tree, fail);
  const bytes = translate(body, flags, true, fail);
  const f = (flags.i ? 'i' : '') + (flags.m ? 'm' : '') + (flags.s ? 's' : '');
  let textRe: RegExp;
  let bytesRe: RegExp;
  try {
    textRe = new RegExp(text.text, f);
    bytesRe = new RegExp(bytes.text, f);
  } catch (e) {
    return fail(`Regex compilation error: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}.`);
  }
  // The linear-time matchers are built on first need (most values are short).
  let textVm: LinearMatcher | null | undefined;
  let bytesVm: LinearMatcher | null | undefined;
  const linearText = () => (textVm === undefined ? (textVm = LinearMatcher.build(text.tree, f)) : textVm);
  const linearBytes = () => (bytesVm === undefined ? (bytesVm = LinearMatcher.build(bytes.tree, f)) : bytesVm);
  return {
    testText: (v) => {
      const vm = v.length > LINEAR_MATCH_ABOVE ? linearText() : null;
      return vm ? vm.test(v) : textRe.test(v);
    },
    testBytes: (v) => {
      const vm = v.length > LINEAR_MATCH_ABOVE ? linearBytes() : null;
      return vm ? vm.test(v) : bytesRe.test(v);
    },
    get engines() {
      return { text: textRe, bytes: bytesRe, linearText: linearText(), linearBytes: linearBytes() };
    },
  };
}

/** A small syntax tree of the pattern, enough to reason about backtracking. */
type Node =
  /** One character; `src` is its JS source (`a`, `[a-z]`, `\\d`), used by the linear-time matcher. */
  | { t: 'set'; set: CharSet; src: string }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'group'; item: Node }
  | { t: 'repeat'; item: Node; min: number; max: number }
  /** A zero-width test (`^`, `$`, `\\b`, lookarounds) with its JS source. */
  | { t: 'assert'; src: string }
  /** A back reference: only a backtracking matcher can do it. */
  | { t: 'backref'; src: string }
  | { t: 'empty' };

/** A set of characters: 256 bits for Latin-1 plus one flag for everything above. */
class CharSet {
  bits = new Uint32Array(8);
  high = false;

  static all(): CharSet {
    const s = new CharSet();
    s.bits.fill(0xffffffff);
    s.high = true;
    return s;
  }

  add(lo: number, hi = lo): void {
    for (let c = lo; c <= Math.min(hi, 255); c++) this.bits[c >> 5] |= 1 << (c & 31);
    if (hi > 255) this.high = true;
  }

  addSet(o: CharSet): void {
    for (let i = 0; i < 8; i++) this.bits[i] |= o.bits[i];
    this.high ||= o.high;
  }

  invert(): void {
    for (let i = 0; i < 8; i++) this.bits[i] = ~this.bits[i];
    this.high = true;
  }

  overlaps(o: CharSet): boolean {
    for (let i = 0; i < 8; i++) if (this.bits[i] & o.bits[i]) return true;
    return this.high && o.high;
  }

  subsetOf(o: CharSet): boolean {
    for (let i = 0; i < 8; i++) if ((this.bits[i] & ~o.bits[i]) !== 0) return false;
    return !this.high || o.high;
  }

  caseless(): void {
    for (let c = 65; c <= 90; c++) {
      const has = (x: number) => (this.bits[x >> 5] >>> (x & 31)) & 1;
      if (has(c) || has(c + 32)) {
        this.add(c);
        this.add(c + 32);
      }
    }
  }
}

function classEscape(ch: string): CharSet | null {
  const s = new CharSet();
  switch (ch.toLowerCase()) {
    case 'd':
      s.add(48, 57);
      break;
    case 'w':
      s.add(48, 57);
      s.add(65, 90);
      s.add(97, 122);
      s.add(95);
      break;
    case 's':
      s.add(9, 13);
      s.add(32);
      break;
    case 'h':
      s.add(9);
      s.add(32);
      s.add(160);
      break;
    default:
      return null;
  }
  if (ch !== ch.toLowerCase()) s.invert();
  return s;
}

const POSIX: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\v\\f\\r ',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\x00-\\x1f\\x7f',
  print: ' -~',
  graph: '!-~',
  ascii: '\\x00-\\x7f',
};

const POSIX_SETS: Record<string, [number, number][]> = {
  alpha: [[65, 90], [97, 122]],
  digit: [[48, 57]],
  alnum: [[48, 57], [65, 90], [97, 122]],
  upper: [[65, 90]],
  lower: [[97, 122]],
  space: [[9, 13], [32, 32]],
  blank: [[9, 9], [32, 32]],
  punct: [[33, 47], [58, 64], [91, 96], [123, 126]],
  xdigit: [[48, 57], [65, 70], [97, 102]],
  word: [[48, 57], [65, 90], [97, 122], [95, 95]],
  cntrl: [[0, 31], [127, 127]],
  print: [[32, 126]],
  graph: [[33, 126]],
  ascii: [[0, 127]],
};

/**
 * Translates PCRE syntax to JS syntax and builds the analysis tree in one pass.
 */
function translate(src: string, flags: { i: boolean; s: boolean; m: boolean; x: boolean }, bytesMode: boolean, fail: (m: string) => never): { text: string; tree: Node } {
  let pos = 0;
  let depth = 0;
  const unsupported = (what: string): never => fail(`Regex compilation error: ${what} is not supported (JavaScript regular expressions have no equivalent).`);

  const single = (c: number): CharSet => {
    const s = new CharSet();
    s.add(c);
    if (flags.i) s.caseless();
    return s;
  };
  const escapeChar = (c: number): string => {
    const ch = String.fromCodePoint(c);
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0xff)) return '\\x' + c.toString(16).padStart(2, '0');
    return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? '\\' + ch : ch;
  };
  /** A literal character; on bytes, a non-ASCII one is its UTF-8 bytes (as PCRE2 sees it without UTF). */
  const literal = (c: number): { text: string; node: Node } => {
    if (!bytesMode || c < 0x80) {
      const text = escapeChar(c);
      return { text, node: { t: 'set', set: single(c), src: text } };
    }
    const items: Node[] = Array.from(new TextEncoder().encode(String.fromCodePoint(c)), (b) => ({ t: 'set', set: single(b), src: escapeChar(b) }) as Node);
    return { text: '(?:' + items.map((n) => (n as { src: string }).src).join('') + ')', node: { t: 'seq', items } };
  };

  const parseAlt = (): { text: string; node: Node } => {
    const branches: { text: string; node: Node }[] = [parseSeq()];
    while (src[pos] === '|') {
      pos++;
      branches.push(parseSeq());
    }
    if (branches.length === 1) return branches[0];
    return { text: branches.map((b) => b.text).join('|'), node: { t: 'alt', items: branches.map((b) => b.node) } };
  };

  const parseSeq = (): { text: string; node: Node } => {
    let text = '';
    const items: Node[] = [];
    while (pos < src.length && src[pos] !== '|' && src[pos] !== ')') {
      const atom = parseAtom();
      if (!atom) continue;
      const q = parseQuantifier();
      if (q) {
        items.push({ t: 'repeat', item: atom.node, min: q.min, max: q.max });
        text += atom.text + q.text;
      } else {
        items.push(atom.node);
        text += atom.text;
      }
    }
    return { text, node: items.length === 1 ? items[0] : items.length === 0 ? { t: 'empty' } : { t: 'seq', items } };
  };

  const parseQuantifier = (): { text: string; min: number; max: number } | null => {
    const c = src[pos];
    let min: number, max: number, text: string;
    if (c === '*' || c === '+' || c === '?') {
      pos++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
      text = c;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(pos));
      if (!m) return null;
      pos += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      text = m[0];
    } else {
      return null;
    }
    if (src[pos] === '+') unsupported('a possessive quantifier');
    if (src[pos] === '?') {
      pos++;
      text += '?';
    }
    return { text, min, max };
  };

  const parseAtom = (): { text: string; node: Node } | null => {
    const c = src[pos];
    if (flags.x && /\s/.test(c)) {
      pos++;
      return null;
    }
    if (flags.x && c === '#') {
      while (pos < src.length && src[pos] !== '\n') pos++;
      return null;
    }
    if (c === '(') return parseGroup();
    if (c === '[') return parseClass();
    if (c === '\\') return parseEscape();
    pos++;
    if (c === '.') {
      const text = flags.s ? '[\\s\\S]' : '[^\\n]';
      return { text, node: { t: 'set', set: dotSet(flags.s), src: text } };
    }
    if (c === '^') return { text: '^', node: { t: 'assert', src: '^' } };
    if (c === '$') {
      const text = flags.m ? '$' : '(?=\\n?$)';
      return { text, node: { t: 'assert', src: text } };
    }
    if (c === '*' || c === '+' || c === '?') fail('Regex compilation error: quantifier does not follow a repeatable item.');
    const cp = src.codePointAt(pos - 1)!;
    if (cp > 0xffff) {
      // Outside the u flag a JS regex sees the two UTF-16 halves, as the matcher does.
      pos++;
      const hi = src.charCodeAt(pos - 2);
      const lo = src.charCodeAt(pos - 1);
      if (bytesMode) return literal(cp);
      const items: Node[] = [hi, lo].map((u) => ({ t: 'set', set: single(u), src: '\\u' + u.toString(16) }) as Node);
      return { text: '(?:\\u' + hi.toString(16) + '\\u' + lo.toString(16) + ')', node: { t: 'seq', items } };
    }
    return literal(cp);
  };

  const parseGroup = (): { text: string; node: Node } | null => {
    const rest = src.slice(pos);
    if (rest.startsWith('(?#')) {
      const end = src.indexOf(')', pos);
      if (end < 0) fail('Regex compilation error: missing ) at end of comment.');
      pos = end + 1;
      return null;
    }
    if (rest.startsWith('(*')) unsupported('a backtracking control verb');
    if (++depth > MAX_REGEX_NESTING) fail(`Regex compilation error: groups nested more than ${MAX_REGEX_NESTING} deep.`);
    let open = '(';
    let lookaround = false;
    if (rest.startsWith('(?')) {
      const m = /^\(\?(?::|=|!|<=|<!|P?<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)')/.exec(rest);
      if (m) {
        lookaround = /^\(\?(=|!|<=|<!)/.test(m[0]);
        const name = m[1] ?? m[2];
        open = name ? `(?<${name}>` : m[0];
        pos += m[0].length;
      } else {
        const back = /^\(\?P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest);
        if (back) {
          pos += back[0].length;
          depth--;
          return { text: `\\k<${back[1]}>`, node: { t: 'backref', src: `\\k<${back[1]}>` } };
        }
        if (rest.startsWith('(?>')) unsupported('an atomic group');
        if (/^\(\?(R|[+-]?\d|&|P>)/.test(rest)) unsupported('a recursive pattern');
        if (rest.startsWith('(?(')) unsupported('a conditional group');
        if (/^\(\?[a-zA-Z-]*[:)]/.test(rest)) unsupported('an inline option inside the pattern');
        fail('Regex compilation error: unrecognized character after (? or (?-.');
      }
    } else {
      pos++;
    }
    const inner = parseAlt();
    if (src[pos] !== ')') fail('Regex compilation error: missing closing parenthesis.');
    pos++;
    depth--;
    const text = open + inner.text + ')';
    return { text, node: lookaround ? { t: 'assert', src: text } : { t: 'group', item: inner.node } };
  };

  const parseClass = (): { text: string; node: Node } => {
    const start = pos;
    pos++;
    const set = new CharSet();
    let text = '[';
    let negate = false;
    if (src[pos] === '^') {
      negate = true;
      text += '^';
      pos++;
    }
    let first = true;
    while (pos < src.length && (src[pos] !== ']' || first)) {
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(pos));
      if (posix) {
        if (posix[1] || !(posix[2] in POSIX)) fail(`Regex compilation error: unknown POSIX class name "${posix[2]}".`);
        text += POSIX[posix[2]];
        for (const [lo, hi] of POSIX_SETS[posix[2]]) set.add(lo, hi);
        pos += posix[0].length;
        continue;
      }
      let lo: number;
      let loText: string;
      if (src[pos] === '\\') {
        const e = classMember();
        if (e.set) {
          set.addSet(e.set);
          text += e.text;
          continue;
        }
        lo = e.code!;
        loText = e.text;
      } else {
        lo = src.codePointAt(pos)!;
        loText = src[pos] === '[' ? '\\[' : String.fromCodePoint(lo);
        pos += lo > 0xffff ? 2 : 1;
      }
      if (bytesMode && lo >= 0x80) {
        // Without UTF, PCRE2 sees a non-ASCII character in a class as its separate UTF-8 bytes.
        for (const b of new TextEncoder().encode(String.fromCodePoint(lo))) {
          set.add(b);
          text += escapeChar(b);
        }
        if (src[pos] === '-' && src[pos + 1] !== ']' && pos + 1 < src.length) text += '\\-';
        continue;
      }
      if (src[pos] === '-' && src[pos + 1] !== ']' && pos + 1 < src.length) {
        pos++;
        let hi: number;
        let hiText: string;
        if (src[pos] === '\\') {
          const e = classMember();
          if (e.set) fail('Regex compilation error: invalid range in character class.');
          hi = e.code!;
          hiText = e.text;
        } else {
          hi = src.codePointAt(pos)!;
          hiText = String.fromCodePoint(hi);
          pos += hi > 0xffff ? 2 : 1;
        }
        if (hi < lo) fail('Regex compilation error: range out of order in character class.');
        set.add(lo, hi);
        text += loText + '-' + hiText;
      } else {
        set.add(lo);
        text += loText;
      }
    }
    if (src[pos] !== ']') {
      pos = start;
      fail('Regex compilation error: missing terminating ] for character class.');
    }
    pos++;
    if (flags.i) set.caseless();
    if (negate) set.invert();
    return { text: text + ']', node: { t: 'set', set, src: text + ']' } };
  };

  /** An escape inside a class: a single code or a class like \d. */
  const classMember = (): { text: string; code?: number; set?: CharSet } => {
    const e = parseEscape();
    if (e.code !== undefined) return { text: e.text, code: e.code };
    if (e.node.t === 'set') return { text: e.text, set: e.node.set };
    if (e.node.t === 'assert' && e.text === '\\b') return { text: '\\x08', code: 8 };
    return fail('Regex compilation error: invalid escape sequence in character class.');
  };

  const parseEscape = (): { text: string; node: Node; code?: number } => {
    const c = src[pos + 1];
    if (c === undefined) fail('Regex compilation error: \\ at end of pattern.');
    pos += 2;
    const code = (v: number, text: string) => ({ text, code: v, node: { t: 'set', set: single(v), src: text } as Node });
    const assert = (text: string) => ({ text, node: { t: 'assert', src: text } as Node });
    switch (c) {
      case 'A':
        return assert('(?<![\\s\\S])');
      case 'z':
        return assert('(?![\\s\\S])');
      case 'Z':
        return assert('(?=\\n?(?![\\s\\S]))');
      case 'b':
      case 'B':
        return assert('\\' + c);
      case 'h':
      case 'H': {
        const set = classEscape(c)!;
        const text = c === 'h' ? '[\\t \\xa0]' : '[^\\t \\xa0]';
        return { text, node: { t: 'set', set, src: text } };
      }
      case 'R': {
        const nl = (v: number, t: string): Node => ({ t: 'set', set: single(v), src: t });
        const vertical = new CharSet();
        for (const v of [10, 11, 12, 13, 0x85]) vertical.add(v);
        return {
          text: '(?:\\r\\n|[\\n\\v\\f\\r\\x85])',
          node: { t: 'alt', items: [{ t: 'seq', items: [nl(13, '\\r'), nl(10, '\\n')] }, { t: 'set', set: vertical, src: '[\\n\\v\\f\\r\\x85]' }] },
        };
      }
      case 'e':
        return code(0x1b, '\\x1b');
      case 'a':
        return code(7, '\\x07');
      case 'Q': {
        const end = src.indexOf('\\E', pos);
        const lit = src.slice(pos, end < 0 ? src.length : end);
        pos = end < 0 ? src.length : end + 2;
        const parts = Array.from(lit, (ch) => literal(ch.codePointAt(0)!));
        return { text: '(?:' + parts.map((p) => p.text).join('') + ')', node: { t: 'seq', items: parts.map((p) => p.node) } };
      }
      case 'E':
        return { text: '', node: { t: 'empty' } as Node };
      case 'x': {
        const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(src.slice(pos));
        if (braced) {
          pos += braced[0].length;
          const v = parseInt(braced[1], 16);
          if (v > 0xffff) unsupported('a code point above U+FFFF in \\x{…}');
          if (bytesMode && v > 0xff) return { ...literal(v), code: undefined };
          return code(v, v <= 0xff ? '\\x' + v.toString(16).padStart(2, '0') : '\\u' + v.toString(16).padStart(4, '0'));
        }
        const m = /^[0-9a-fA-F]{1,2}/.exec(src.slice(pos));
        const v = m ? parseInt(m[0], 16) : 0;
        pos += m ? m[0].length : 0;
        return code(v, '\\x' + v.toString(16).padStart(2, '0'));
      }
      case 'K':
      case 'G':
      case 'p':
      case 'P':
      case 'X':
      case 'C':
        return unsupported(`\\${c}`);
      default:
        break;
    }
    const set = classEscape(c);
    if (set) return { text: '\\' + c, node: { t: 'set', set, src: '\\' + c } };
    if (/[1-9]/.test(c)) {
      // A back reference: it can match anything.
      let text = '\\' + c;
      while (/[0-9]/.test(src[pos] ?? '')) text += src[pos++];
      return { text, node: { t: 'backref', src: text } };
    }
    if (c === '0') {
      const m = /^[0-7]{0,2}/.exec(src.slice(pos))!;
      pos += m[0].length;
      const v = parseInt('0' + m[0], 8);
      return code(v, '\\x' + v.toString(16).padStart(2, '0'));
    }
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11 };
    if (c in simple) return code(simple[c], '\\' + c);
    if (c === 'c') {
      const l = src[pos++] ?? '@';
      return code(l.toUpperCase().charCodeAt(0) ^ 0x40, '\\c' + l);
    }
    if (/[A-Za-z0-9]/.test(c)) fail(`Regex compilation error: unrecognized character follows \\ (\\${c}).`);
    // Any other escaped character is itself.
    const cp = src.codePointAt(pos - 1)!;
    return code(cp, /[\\^$.*+?()[\]{}|/-]/.test(c) ? '\\' + c : c);
  };

  const out = parseAlt();
  if (pos < src.length) {
    // Only an unmatched ")" stops the top level early.
    fail('Regex compilation error: unmatched closing parenthesis.');
  }
  return { text: out.text, tree: out.node };
}

function dotSet(dotAll: boolean): CharSet {
  const s = CharSet.all();
  if (!dotAll) s.bits[0] &= ~(1 << 10);
  return s;
}

/** Characters that can start a match of n (approximate: may include too many, never too few). */
function firstSet(n: Node): { set: CharSet; nullable: boolean } {
  switch (n.t) {
    case 'set':
      return { set: n.set, nullable: false };
    case 'empty':
    case 'assert':
      return { set: new CharSet(), nullable: true };
    case 'backref':
      return { set: CharSet.all(), nullable: true };
    case 'group':
      return firstSet(n.item);
    case 'repeat': {
      const f = firstSet(n.item);
      return { set: f.set, nullable: n.min === 0 || f.nullable };
    }
    case 'alt': {
      const set = new CharSet();
      let nullable = false;
      for (const it of n.items) {
        const f = firstSet(it);
        set.addSet(f.set);
        nullable ||= f.nullable;
      }
      return { set, nullable };
    }
    case 'seq': {
      const set = new CharSet();
      for (const it of n.items) {
        const f = firstSet(it);
        set.addSet(f.set);
        if (!f.nullable) return { set, nullable: false };
      }
      return { set, nullable: true };
    }
  }
}

/** All characters n can consume anywhere. */
function anySet(n: Node): CharSet {
  switch (n.t) {
    case 'set':
      return n.set;
    case 'empty':
    case 'assert':
      return new CharSet();
    case 'backref':
      return CharSet.all();
    case 'group':
      return anySet(n.item);
    case 'repeat':
      return anySet(n.item);
    case 'alt':
    case 'seq': {
      const s = new CharSet();
      for (const it of n.items) s.addSet(anySet(it));
      return s;
    }
  }
}

function hasUnbounded(n: Node): boolean {
  switch (n.t) {
    case 'repeat':
      return n.max === Infinity || n.max > 16 || hasUnbounded(n.item);
    case 'group':
      return hasUnbounded(n.item);
    case 'alt':
    case 'seq':
      return n.items.some(hasUnbounded);
    case 'backref':
      return true;
    default:
      return false;
  }
}

/** Whether n can match texts of different lengths (`a?`, `a|bc`). */
function isVariable(n: Node): boolean {
  switch (n.t) {
    case 'repeat':
      return n.min !== n.max || isVariable(n.item);
    case 'group':
      return isVariable(n.item);
    case 'seq':
      return n.items.some(isVariable);
    case 'alt':
      return n.items.some(isVariable) || new Set(n.items.map(fixedLength)).size > 1;
    case 'backref':
      return true;
    default:
      return false;
  }
}

function fixedLength(n: Node): number {
  switch (n.t) {
    case 'set':
      return 1;
    case 'repeat':
      return n.min * fixedLength(n.item);
    case 'group':
      return fixedLength(n.item);
    case 'seq':
      return n.items.reduce((a, b) => a + fixedLength(b), 0);
    case 'alt':
      return n.items.length ? fixedLength(n.items[0]) : 0;
    default:
      return 0;
  }
}

const WHY = ' It could take exponential time on some packets (catastrophic backtracking); rewrite it without nested or overlapping repetition.';

function checkBacktracking(root: Node, fail: (m: string) => never): void {
  const visit = (n: Node): void => {
    switch (n.t) {
      case 'repeat': {
        if (n.max > 1) {
          if (hasUnbounded(n.item)) fail('Regex refused: a repeated group contains another unbounded repetition (like "(a+)+").' + WHY);
          if (n.max > 16 && isVariable(n.item)) fail('Regex refused: a group repeated many times can match texts of different lengths (like "(a?){25}").' + WHY);
          if (n.max === Infinity) checkAltOverlap(n.item, fail);
        }
        visit(n.item);
        return;
      }
      case 'group':
        visit(n.item);
        return;
      case 'alt':
        n.items.forEach(visit);
        return;
      case 'seq':
        checkSequence(n.items, fail);
        n.items.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(root);
}

/** `(a|ab)*`: alternatives under an unbounded repeat that can begin with the same character. */
function checkAltOverlap(n: Node, fail: (m: string) => never): void {
  let cur = n;
  while (cur.t === 'group') cur = cur.item;
  if (cur.t !== 'alt') return;
  const firsts = cur.items.map((it) => firstSet(it));
  for (let i = 0; i < firsts.length; i++) {
    for (let j = i + 1; j < firsts.length; j++) {
      if (firsts[i].nullable || firsts[j].nullable || firsts[i].set.overlaps(firsts[j].set)) {
        fail('Regex refused: a repeated group has alternatives that can match the same text (like "(a|ab)*").' + WHY);
      }
    }
  }
}

/** `.*a.*b.*c`: three or more unbounded repeats in a row that can all take the same characters. */
function checkSequence(items: Node[], fail: (m: string) => never): void {
  let run: CharSet | null = null;
  let degree = 0;
  for (const it of items) {
    const unbounded = it.t === 'repeat' && it.max === Infinity;
    const chars = anySet(it);
    if (unbounded) {
      if (run && chars.overlaps(run)) {
        degree++;
        run.addSet(chars);
      } else {
        run = new CharSet();
        run.addSet(chars);
        degree = 1;
      }
      if (degree >= 3) fail('Regex refused: three or more unbounded repetitions in a row can take the same characters (like ".*a.*b.*c").' + WHY);
    } else if (run && !chars.subsetOf(run)) {
      run = null;
      degree = 0;
    }
  }
}

// ---- linear-time matching -------------------------------------------------------------------------------

const CHAR = 0;
const SPLIT = 1;
const JMP = 2;
const ASSERT = 3;
const MATCH = 4;
const MAX_PROGRAM = 20_000;

/**
 * A Thompson-NFA ("Pike VM") matcher: time linear in the value's length whatever the pattern. Each character
 * class keeps JS semantics by testing the atom's own JS regex (tabulated for codes below 256); assertions
 * run as sticky JS regexes at the position. Patterns with back references cannot be built.
 */
class LinearMatcher {
  private constructor(
    private readonly op: Uint8Array,
    private readonly a: Int32Array,
    private readonly b: Int32Array,
    private readonly tests: ((c: number) => boolean)[],
    private readonly asserts: RegExp[],
  ) {}

  static build(tree: Node, flags: string): LinearMatcher | null {
    const op: number[] = [];
    const a: number[] = [];
    const b: number[] = [];
    const tests: ((c: number) => boolean)[] = [];
    const asserts: RegExp[] = [];
    const atomFlags = flags.includes('i') ? 'i' : '';
    const testCache = new Map<string, (c: number) => boolean>();
    const emit = (o: number, x = 0, y = 0): number => {
      op.push(o);
      a.push(x);
      b.push(y);
      tests.push(ALWAYS_FALSE);
      asserts.push(NEVER);
      if (op.length > MAX_PROGRAM) throw new TooBig();
      return op.length - 1;
    };
    const charTest = (src: string): ((c: number) => boolean) => {
      let t = testCache.get(src);
      if (!t) {
        const re = new RegExp(`^(?:${src})$`, atomFlags);
        const table = new Uint8Array(256);
        for (let c = 0; c < 256; c++) table[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
        t = (c: number) => (c < 256 ? table[c] === 1 : re.test(String.fromCharCode(c)));
        testCache.set(src, t);
      }
      return t;
    };
    const gen = (n: Node): void => {
      switch (n.t) {
        case 'set': {
          const i = emit(CHAR, 0);
          tests[i] = charTest(n.src);
          a[i] = i + 1;
          return;
        }
        case 'empty':
          return;
        case 'assert': {
          const i = emit(ASSERT, 0);
          asserts[i] = new RegExp(n.src, flags + 'y');
          a[i] = i + 1;
          return;
        }
        case 'backref':
          throw new TooBig();
        case 'group':
          gen(n.item);
          return;
        case 'seq':
          for (const it of n.items) gen(it);
          return;
        case 'alt': {
          const jumps: number[] = [];
          for (let k = 0; k < n.items.length; k++) {
            if (k < n.items.length - 1) {
              const split = emit(SPLIT, 0, 0);
              a[split] = split + 1;
              gen(n.items[k]);
              jumps.push(emit(JMP, 0));
              b[split] = op.length;
            } else {
              gen(n.items[k]);
            }
          }
          for (const j of jumps) a[j] = op.length;
          return;
        }
        case 'repeat': {
          for (let k = 0; k < n.min; k++) gen(n.item);
          if (n.max === Infinity) {
            const split = emit(SPLIT, 0, 0);
            a[split] = split + 1;
            gen(n.item);
            emit(JMP, split);
            b[split] = op.length;
            return;
          }
          const splits: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            const split = emit(SPLIT, 0, 0);
            a[split] = split + 1;
            splits.push(split);
            gen(n.item);
          }
          for (const sp of splits) b[sp] = op.length;
          return;
        }
      }
    };
    try {
      gen(tree);
      emit(MATCH);
    } catch (e) {
      if (e instanceof TooBig) return null;
      throw e;
    }
    return new LinearMatcher(Uint8Array.from(op), Int32Array.from(a), Int32Array.from(b), tests, asserts);
  }

  /** Whether the pattern matches anywhere in s. */
  test(s: string): boolean {
    const n = this.op.length;
    let cur = new Int32Array(n);
    let next = new Int32Array(n);
    const mark = new Int32Array(n).fill(-1);
    const stack = new Int32Array(n * 2 + 2);
    let curLen = 0;
    let nextLen = 0;
    let gen = 0;
    // Follows jumps, splits and assertions from pc at position pos; adds the character steps to `list`.
    const add = (list: Int32Array, len: number, pc0: number, pos: number): number => {
      let sp = 0;
      stack[sp++] = pc0;
      while (sp > 0) {
        const pc = stack[--sp];
        if (mark[pc] === gen) continue;
        mark[pc] = gen;
        switch (this.op[pc]) {
          case JMP:
            stack[sp++] = this.a[pc];
            break;
          case SPLIT:
            stack[sp++] = this.b[pc];
            stack[sp++] = this.a[pc];
            break;
          case ASSERT: {
            const re = this.asserts[pc];
            re.lastIndex = pos;
            if (re.test(s)) stack[sp++] = this.a[pc];
            break;
          }
          case MATCH:
            return -1;
          default:
            list[len++] = pc;
        }
      }
      return len;
    };
    for (let pos = 0; ; pos++) {
      // Threads carried over are already marked for this position; a new one starts here (search anywhere).
      curLen = add(cur, curLen, 0, pos);
      if (curLen < 0) return true;
      if (pos >= s.length) return false;
      const c = s.charCodeAt(pos);
      gen++;
      nextLen = 0;
      for (let k = 0; k < curLen; k++) {
        const pc = cur[k];
        if (this.tests[pc](c)) {
          nextLen = add(next, nextLen, this.a[pc], pos + 1);
          if (nextLen < 0) return true;
        }
      }
      const t = cur;
      cur = next;
      next = t;
      curLen = nextLen;
    }
  }
}

class TooBig extends Error {}
const ALWAYS_FALSE = (): boolean => false;
const NEVER = /(?!)/y;
