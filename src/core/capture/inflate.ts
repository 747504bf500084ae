/**
 * A small, careful gzip decoder (RFC 1952 member framing, RFC 1951 inflate) used only to recover damaged
 * .gz captures. The platform's DecompressionStream is much faster and reads every good file; but when a
 * stream is corrupt part-way or has junk after its last member, it fails without saying where and drops
 * the output it had pending. This decoder stops at the exact bad byte with every byte inflated before it,
 * steps over multiple members, and ignores (with a warning) data after the last one, as gzip(1) does.
 *
 * Every read is bounds-checked, every loop is bounded by the input or the output limit, and nothing
 * recurses, so hostile input can only end the decoding early.
 */

export interface InflateResult {
  /** Everything inflated before the end or the first error. */
  data: Uint8Array;
  /** What went wrong, if anything (the output is still usable up to that point). */
  error?: string;
  /** Compressed byte offset of the problem. */
  errorAt?: number;
  /** 'truncated': the input stops early; 'corrupt': it holds something invalid. */
  errorKind?: 'truncated' | 'corrupt';
  /** Notes that do not lose data (CRC or length mismatch, ignored trailing bytes). */
  notes: string[];
  /** The output limit was reached. */
  limited: boolean;
}

class Truncated extends Error {}
class Corrupt extends Error {}
class Limit extends Error {}

/** RFC 1951 §3.2.5: base lengths and extra bits of length codes 257..285, base distances of codes 0..29. */
const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
/** §3.2.7: the order in which code length code lengths are sent. */
const CLEN_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A canonical Huffman code (§3.2.2) as a lookup table indexed by the next `maxLen` input bits (deflate
 * sends codes most significant bit first, so a code's table slots are its bit-reversal plus every pattern
 * of the bits after it). An entry is symbol << 4 | code length; 0 marks bits that start no code.
 */
class Huffman {
  readonly maxLen: number;
  readonly table: Uint16Array;

  constructor(lengths: Uint8Array) {
    const counts = new Uint16Array(16);
    let maxLen = 0;
    for (const l of lengths) {
      counts[l]++;
      if (l > maxLen) maxLen = l;
    }
    counts[0] = 0;
    let left = 1;
    for (let len = 1; len < 16; len++) {
      left = (left << 1) - counts[len];
      if (left < 0) throw new Corrupt('over-subscribed Huffman code');
    }
    // A code must use its whole code space, except a lone one-bit code or no code at all (§3.2.7: "one
    // distance code of one bit"; zlib accepts the same and nothing more).
    if (left > 0 && maxLen > 1) throw new Corrupt('incomplete Huffman code');
    this.maxLen = maxLen;
    this.table = new Uint16Array(1 << maxLen);
    // §3.2.2 step 2: the first code of each length.
    const next = new Uint16Array(16);
    for (let len = 1, code = 0; len < 16; len++) {
      code = (code + counts[len - 1]) << 1;
      next[len] = code;
    }
    for (let sym = 0; sym < lengths.length; sym++) {
      const len = lengths[sym];
      if (!len) continue;
      const code = next[len]++;
      let rev = 0;
      for (let b = 0; b < len; b++) rev |= ((code >> b) & 1) << (len - 1 - b);
      for (let k = rev; k < this.table.length; k += 1 << len) this.table[k] = (sym << 4) | len;
    }
  }
}

let fixedLit: Huffman | undefined;
let fixedDist: Huffman | undefined;

/** §3.2.6: the fixed codes. */
function fixedCodes(): [Huffman, Huffman] {
  if (!fixedLit || !fixedDist) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144);
    l.fill(9, 144, 256);
    l.fill(7, 256, 280);
    l.fill(8, 280, 288);
    fixedLit = new Huffman(l);
    // 32 five-bit codes make the code complete; codes 30 and 31 are rejected when they occur.
    fixedDist = new Huffman(new Uint8Array(32).fill(5));
  }
  return [fixedLit, fixedDist];
}

class Decoder {
  pos: number;
  private bitBuf = 0;
  private bitCnt = 0;
  /** Zero bits added past the end of the input so a table lookup can peek; never consumed as data. */
  private padBits = 0;
  out: Uint8Array;
  outLen = 0;

  constructor(
    private readonly input: Uint8Array,
    start: number,
    private readonly maxOut: number,
  ) {
    this.pos = start;
    this.out = new Uint8Array(Math.min(maxOut, Math.max(1 << 16, Math.min(input.length * 4, 1 << 28))));
  }

  /** Buffers at least n bits (n ≤ 16, so the buffer stays below 2^24), padding with zeros past the end. */
  private need(n: number): void {
    while (this.bitCnt < n) {
      if (this.pos < this.input.length) this.bitBuf |= this.input[this.pos++] << this.bitCnt;
      else this.padBits += 8;
      this.bitCnt += 8;
    }
  }

  private consume(n: number): void {
    if (n > this.bitCnt - this.padBits) throw new Truncated('the compressed data ends early');
    this.bitBuf >>>= n;
    this.bitCnt -= n;
  }

  bits(n: number): number {
    this.need(n);
    const v = this.bitBuf & ((1 << n) - 1);
    this.consume(n);
    return v;
  }

  /** Goes to the next byte boundary, giving back whole bytes buffered ahead. */
  align(): void {
    this.pos -= (this.bitCnt - this.padBits) >> 3;
    this.bitBuf = 0;
    this.bitCnt = 0;
    this.padBits = 0;
  }

  private decode(h: Huffman): number {
    this.need(h.maxLen);
    const e = h.table[this.bitBuf & ((1 << h.maxLen) - 1)];
    if (e === 0) {
      if (this.padBits > 0) throw new Truncated('the compressed data ends early');
      throw new Corrupt('invalid Huffman code');
    }
    this.consume(e & 15);
    return e >> 4;
  }

  private room(n: number): void {
    if (this.outLen + n <= this.out.length) return;
    if (this.outLen + n > this.maxOut) throw new Limit();
    let size = this.out.length * 2;
    while (size < this.outLen + n) size *= 2;
    let next: Uint8Array;
    try {
      next = new Uint8Array(Math.min(size, this.maxOut));
    } catch {
      // The platform cannot hold more (a decompression bomb): stop with what fits.
      throw new Limit();
    }
    next.set(this.out.subarray(0, this.outLen));
    this.out = next;
  }

  /** Inflates one deflate stream (§3.2.3); back-references may not reach before `memberStart`. */
  inflate(memberStart: number): void {
    for (;;) {
      const last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) this.stored();
      else if (type === 1) this.codes(...fixedCodes(), memberStart);
      else if (type === 2) this.codes(...this.dynamicCodes(), memberStart);
      else throw new Corrupt('invalid block type 3');
      if (last) return;
    }
  }

  /** §3.2.4 */
  private stored(): void {
    this.align();
    if (this.pos + 4 > this.input.length) throw new Truncated('the compressed data ends early');
    const len = this.input[this.pos] | (this.input[this.pos + 1] << 8);
    const nlen = this.input[this.pos + 2] | (this.input[this.pos + 3] << 8);
    if (len !== (~nlen & 0xffff)) throw new Corrupt('stored block length check failed');
    this.pos += 4;
    const avail = Math.min(len, this.input.length - this.pos);
    this.room(avail);
    this.out.set(this.input.subarray(this.pos, this.pos + avail), this.outLen);
    this.outLen += avail;
    this.pos += avail;
    if (avail < len) throw new Truncated('the compressed data ends early');
  }

  /** §3.2.7 */
  private dynamicCodes(): [Huffman, Huffman] {
    const nlen = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) throw new Corrupt('too many length or distance codes');
    const clen = new Uint8Array(19);
    for (let i = 0; i < ncode; i++) clen[CLEN_ORDER[i]] = this.bits(3);
    const clCode = new Huffman(clen);
    const lengths = new Uint8Array(nlen + ndist);
    let i = 0;
    while (i < nlen + ndist) {
      const sym = this.decode(clCode);
      if (sym < 16) {
        lengths[i++] = sym;
        continue;
      }
      let repeat: number;
      let value = 0;
      if (sym === 16) {
        if (i === 0) throw new Corrupt('repeat with no previous length');
        value = lengths[i - 1];
        repeat = 3 + this.bits(2);
      } else if (sym === 17) repeat = 3 + this.bits(3);
      else repeat = 11 + this.bits(7);
      if (i + repeat > nlen + ndist) throw new Corrupt('too many code lengths');
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[256] === 0) throw new Corrupt('no end-of-block code');
    return [new Huffman(lengths.subarray(0, nlen)), new Huffman(lengths.subarray(nlen))];
  }

  /** §3.2.5: literals, and length/distance pairs copied from the output. */
  private codes(lit: Huffman, dist: Huffman, memberStart: number): void {
    // The output and its length live in locals in this loop; `finally` publishes them, so output decoded
    // before an error is kept.
    let out = this.out;
    let n = this.outLen;
    try {
      for (;;) {
        const sym = this.decode(lit);
        if (sym < 256) {
          if (n === out.length) {
            this.outLen = n;
            this.room(1);
            out = this.out;
          }
          out[n++] = sym;
          continue;
        }
        if (sym === 256) return;
        const li = sym - 257;
        if (li >= 29) throw new Corrupt('invalid length code');
        const len = LENGTH_BASE[li] + this.bits(LENGTH_EXTRA[li]);
        const di = this.decode(dist);
        if (di >= 30) throw new Corrupt('invalid distance code');
        const d = DIST_BASE[di] + this.bits(DIST_EXTRA[di]);
        if (d > n - memberStart) throw new Corrupt('distance too far back');
        if (n + len > out.length) {
          this.outLen = n;
          this.room(len);
          out = this.out;
        }
        let from = n - d;
        if (d >= len) {
          out.copyWithin(n, from, from + len);
          n += len;
        } else {
          // Overlapping copy: each byte may be one this copy just wrote.
          for (let k = 0; k < len; k++) out[n++] = out[from++];
        }
      }
    } finally {
      this.outLen = n;
    }
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of RFC 1952 §8. */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;

/** Decodes every gzip member in `input` (RFC 1952 §2.2), keeping all output up to the first problem. */
export function gunzipBytes(input: Uint8Array, maxOut: number): InflateResult {
  const notes: string[] = [];
  const d = new Decoder(input, 0, maxOut);
  let member = 0;
  let errorAt: number | undefined;
  let error: string | undefined;
  let errorKind: InflateResult['errorKind'];
  let limited = false;
  const u32le = (p: number) => (input[p] | (input[p + 1] << 8) | (input[p + 2] << 16) | (input[p + 3] << 24)) >>> 0;
  try {
    while (d.pos < input.length) {
      const start = d.pos;
      if (member > 0) {
        // gzip(1) skips zero padding after a member and warns about (then ignores) anything else.
        let p = start;
        while (p < input.length && input[p] === 0) p++;
        if (p === input.length) break;
        if (input[p] !== 0x1f || input[p + 1] !== 0x8b) {
          notes.push(`${input.length - start} bytes after the gzip data (from byte ${start}) are not gzip and were ignored`);
          break;
        }
        d.pos = p;
      }
      const at = d.pos;
      // §2.3: ID1 ID2 CM FLG MTIME(4) XFL OS, then the optional fields FLG announces.
      if (at + 10 > input.length) throw new Truncated(`gzip member ${member + 1} header is cut short`);
      if (input[at] !== 0x1f || input[at + 1] !== 0x8b) throw new Corrupt('not gzip data');
      if (input[at + 2] !== 8) throw new Corrupt(`unknown compression method ${input[at + 2]}`);
      const flags = input[at + 3];
      if (flags & 0xe0) throw new Corrupt('reserved header flags are set');
      let p = at + 10;
      if (flags & FEXTRA) {
        if (p + 2 > input.length) throw new Truncated('gzip header is cut short');
        p += 2 + (input[p] | (input[p + 1] << 8));
      }
      if (flags & FNAME) while (p < input.length && input[p++] !== 0);
      if (flags & FCOMMENT) while (p < input.length && input[p++] !== 0);
      if (flags & FHCRC) p += 2;
      if (p >= input.length) throw new Truncated('gzip header is cut short');
      d.pos = p;
      const outStart = d.outLen;
      d.inflate(outStart);
      d.align();
      // §2.3.1: CRC32 and ISIZE (length mod 2^32) of the member's output.
      if (d.pos + 8 > input.length) {
        notes.push(`gzip member ${member + 1} ends without its CRC and length trailer`);
        d.pos = input.length;
        break;
      }
      const crc = u32le(d.pos);
      const isize = u32le(d.pos + 4);
      d.pos += 8;
      const produced = d.out.subarray(outStart, d.outLen);
      if (isize !== produced.length % 2 ** 32 || crc !== crc32(produced)) {
        notes.push(`gzip member ${member + 1} fails its CRC or length check; its data may be damaged`);
      }
      member++;
    }
  } catch (e) {
    if (e instanceof Limit) limited = true;
    else {
      // Truncated and Corrupt say what is wrong with the data; anything else is a bug here, which must not
      // cost the output decoded so far either.
      error = e instanceof Truncated || e instanceof Corrupt ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
      errorAt = d.pos;
      errorKind = e instanceof Truncated ? 'truncated' : 'corrupt';
    }
  }
  return { data: d.out.subarray(0, d.outLen), error, errorAt, errorKind, notes, limited };
}
