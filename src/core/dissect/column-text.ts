/**
 * A column's text held as UTF-8 bytes. Protocols append pieces and numbers to it without making a string
 * per piece, and the packet list copies the bytes straight into its output, with no string for the row or
 * the numbers in it. `toString()` makes the string when someone asks for one (the detail pane, JSON rows).
 */
export class ColumnText {
  private buf = new Uint8Array(256);
  /** Bytes in use. */
  length = 0;
  /** The text as a string, made on first request since the last change. */
  private text: string | null = '';

  /** The bytes; valid up to `length`, and only until the next change. */
  get bytes(): Uint8Array {
    return this.buf;
  }

  clear(): void {
    this.length = 0;
    this.text = '';
  }

  /** Cuts the text back to its first `length` bytes. */
  truncate(length: number): void {
    if (length >= this.length) return;
    this.length = length;
    this.text = null;
  }

  append(s: string): this {
    if (s.length === 0) return this;
    this.room(3 * s.length);
    this.length = encodeUtf8(s, this.buf, this.length);
    this.text = null;
    return this;
  }

  /** A non-negative integer in decimal (up to 2^53). */
  appendUint(n: number): this {
    this.room(16);
    this.length = writeDecimal(n, this.buf, this.length);
    this.text = null;
    return this;
  }

  /** An integer in decimal, with a minus sign when negative. */
  appendInt(n: number): this {
    if (n < 0) {
      this.room(1);
      this.buf[this.length++] = 0x2d;
      n = -n;
    }
    return this.appendUint(n);
  }

  /** Puts `s` in at byte `at` (a position this text handed out, so never inside a character). Returns its byte length. */
  insert(at: number, s: string): number {
    const tail = this.length - at;
    this.room(3 * s.length);
    const end = encodeUtf8(s, this.buf, this.length);
    const added = end - this.length;
    // Encoded after the end, then rotated into place: the tail moves right, the new text comes before it.
    const piece = this.buf.slice(this.length, end);
    this.buf.copyWithin(at + added, at, at + tail);
    this.buf.set(piece, at);
    this.length = end;
    this.text = null;
    return added;
  }

  toString(): string {
    this.text ??= decoder.decode(this.buf.subarray(0, this.length));
    return this.text;
  }

  private room(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }
}

const decoder = new TextDecoder();

/**
 * Writes `s` as UTF-8 at `at` in `out` (room for 3 bytes per UTF-16 unit assumed) and returns the end.
 * An unpaired surrogate becomes U+FFFD, as TextEncoder makes it.
 */
export function encodeUtf8(s: string, out: Uint8Array, at: number): number {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
    } else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          out[at++] = 0xf0 | (cp >> 18);
          out[at++] = 0x80 | ((cp >> 12) & 0x3f);
          out[at++] = 0x80 | ((cp >> 6) & 0x3f);
          out[at++] = 0x80 | (cp & 0x3f);
          i++;
          continue;
        }
        c = 0xfffd;
      }
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

/** "00" to "99" as pairs of ASCII digits: numbers are written two digits a step. */
const DIGIT_PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGIT_PAIRS[2 * i] = 0x30 + Math.floor(i / 10);
  DIGIT_PAIRS[2 * i + 1] = 0x30 + (i % 10);
}

function decimalDigits(n: number): number {
  if (n < 100000) return n < 100 ? (n < 10 ? 1 : 2) : n < 1000 ? 3 : n < 10000 ? 4 : 5;
  if (n < 10000000000) return n < 10000000 ? (n < 1000000 ? 6 : 7) : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
  let digits = 11;
  for (let p = 1e11; p <= n && digits < 16; p *= 10) digits++;
  return digits;
}

/** Writes a non-negative integer (up to 2^53) in decimal at `at` (room for 16 bytes assumed); returns the end. */
export function writeDecimal(n: number, out: Uint8Array, at: number): number {
  const end = at + decimalDigits(n);
  let i = end;
  // Past 32 bits, floating-point steps until the rest fits the integer ones.
  while (n >= 4294967296) {
    const q = Math.floor(n / 10);
    out[--i] = 0x30 + (n - q * 10);
    n = q;
  }
  let v = n >>> 0;
  while (v >= 100) {
    const q = (v / 100) >>> 0;
    const pair = (v - q * 100) << 1;
    out[--i] = DIGIT_PAIRS[pair + 1];
    out[--i] = DIGIT_PAIRS[pair];
    v = q;
  }
  if (v >= 10) {
    out[--i] = DIGIT_PAIRS[(v << 1) + 1];
    out[--i] = DIGIT_PAIRS[v << 1];
  } else {
    out[--i] = 0x30 + v;
  }
  return end;
}
