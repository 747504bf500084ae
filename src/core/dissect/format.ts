import { valueString, type FieldInfo } from './field-registry';
import type { FieldValue, Timestamp } from './proto-tree';

/** Text forms of field values, as tshark prints them (`-T fields`) and as the detail tree labels them. */

const HEX = '0123456789abcdef';

export function hex(n: number, digits: number): string {
  let s = (n >>> 0).toString(16);
  if (n > 0xffffffff) s = n.toString(16);
  while (s.length < digits) s = '0' + s;
  return s;
}

/** "0".."255", so dotted quads are put together from ready-made pieces. */
const DECIMAL_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
/** "00".."ff". */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => HEX[i >> 4] + HEX[i & 15]);

export function formatIPv4(v: number): string {
  return DECIMAL_BYTE[(v >>> 24) & 255] + '.' + DECIMAL_BYTE[(v >>> 16) & 255] + '.' + DECIMAL_BYTE[(v >>> 8) & 255] + '.' + DECIMAL_BYTE[v & 255];
}

export function formatEther(b: Uint8Array): string {
  if (b.length === 6) return formatEtherAt(b, 0);
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (i) s += ':';
    s += HEX_BYTE[b[i]];
  }
  return s;
}

/** The 6-byte MAC address at `d[i]`, without taking a view of it. */
export function formatEtherAt(d: Uint8Array, i: number): string {
  return HEX_BYTE[d[i]] + ':' + HEX_BYTE[d[i + 1]] + ':' + HEX_BYTE[d[i + 2]] + ':' + HEX_BYTE[d[i + 3]] + ':' + HEX_BYTE[d[i + 4]] + ':' + HEX_BYTE[d[i + 5]];
}

/** Plain lowercase hex with no separators (tshark's FT_BYTES form). */
export function formatBytes(b: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (i && sep) s += sep;
    s += HEX[b[i] >> 4] + HEX[b[i] & 15];
  }
  return s;
}

/** RFC 5952 text form: lowercase, leading zeros dropped, the longest run (≥ 2) of zero groups as "::". */
export function formatIPv6(b: Uint8Array): string {
  return formatIPv6At(b, 0);
}

/** `formatIPv6` of the 16 bytes at `d[i]`, without taking a view of them or making arrays. */
export function formatIPv6At(d: Uint8Array, i: number): string {
  if (group16(d, i, 0) === 0 && group16(d, i, 1) === 0 && group16(d, i, 2) === 0 && group16(d, i, 3) === 0 && group16(d, i, 4) === 0 && group16(d, i, 5) === 0xffff) {
    return `::ffff:${d[i + 12]}.${d[i + 13]}.${d[i + 14]}.${d[i + 15]}`;
  }
  // The first longest run of at least two zero groups becomes "::".
  let bestStart = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    if (group16(d, i, k) !== 0) {
      k++;
      continue;
    }
    let j = k;
    while (j < 8 && group16(d, i, j) === 0) j++;
    if (j - k > bestLen) {
      bestStart = k;
      bestLen = j - k;
    }
    k = j;
  }
  let s = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      s += '::';
      k += bestLen - 1;
      continue;
    }
    // A group right after "::" (or first) takes no separator.
    if (k > 0 && k !== bestStart + bestLen) s += ':';
    s += group16(d, i, k).toString(16);
  }
  return s;
}

/** Group k (0–7) of the IPv6 address at d[i]. */
function group16(d: Uint8Array, i: number, k: number): number {
  return (d[i + 2 * k] << 8) | d[i + 2 * k + 1];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** "Nov 19, 2009 00:16:10.049012000 UTC" — Wireshark's absolute time; Fathom always shows UTC. */
export function formatAbsoluteTime(t: Timestamp): string {
  const d = new Date(t.secs * 1000);
  if (Number.isNaN(d.getTime())) return 'Not representable';
  return (
    `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(t.nsecs, 9)} UTC`
  );
}

/** "1258589770.049012000" */
export function formatEpochTime(t: Timestamp): string {
  return `${t.secs}.${pad(t.nsecs, 9)}`;
}

/** "0.190688000", "-0.000001000" */
export function formatRelativeTime(t: Timestamp, decimals = 9): string {
  let { secs, nsecs } = t;
  let sign = '';
  if (secs < 0 || (secs === 0 && nsecs < 0)) {
    sign = '-';
    secs = -secs;
    nsecs = -nsecs;
    if (nsecs < 0) {
      secs -= 1;
      nsecs += 1e9;
    }
  }
  if (decimals === 6 && nsecs >= 0 && nsecs < 1e9) {
    // The packet list's form (microseconds, truncated): one number-to-text instead of padding and slicing.
    return sign + secs + '.' + String(1_000_000 + Math.floor(nsecs / 1000)).slice(1);
  }
  const frac = pad(nsecs, 9).slice(0, decimals);
  return decimals > 0 ? `${sign}${secs}.${frac}` : `${sign}${secs}`;
}

/** Difference a − b of two timestamps, normalised so 0 ≤ nsecs < 1e9 (or the negative mirror). */
export function timeDiff(aSecs: number, aNsecs: number, bSecs: number, bNsecs: number): Timestamp {
  return setTimeDiff({ secs: 0, nsecs: 0 }, aSecs, aNsecs, bSecs, bNsecs);
}

/** timeDiff into an existing object (the per-frame path reuses one). */
export function setTimeDiff(out: { secs: number; nsecs: number }, aSecs: number, aNsecs: number, bSecs: number, bNsecs: number): Timestamp {
  let secs = aSecs - bSecs;
  let nsecs = aNsecs - bNsecs;
  if (secs > 0 && nsecs < 0) {
    secs -= 1;
    nsecs += 1e9;
  } else if (secs < 0 && nsecs > 0) {
    secs += 1;
    nsecs -= 1e9;
  }
  out.secs = secs;
  out.nsecs = nsecs;
  return out;
}

function hexDigits(f: FieldInfo): number {
  return Math.max(2, Math.ceil((f.bits || 8) / 4));
}

/** An integer as its base says, without value string: "64", "0x0800", "0xa912 (43282)". */
export function formatInteger(f: FieldInfo, v: number | bigint): string {
  const n = typeof v === 'bigint' ? v : v;
  const h = () => '0x' + (typeof n === 'bigint' ? n.toString(16).padStart(hexDigits(f), '0') : hex(n, hexDigits(f)));
  switch (f.base) {
    case 'hex':
      return h();
    case 'hex_dec':
      return `${h()} (${n})`;
    case 'dec_hex':
      return `${n} (${h()})`;
    case 'oct':
      return '0' + n.toString(8);
    default:
      return String(n);
  }
}

/** A value as `tshark -T fields` prints it. */
export function formatFieldValue(f: FieldInfo, v: FieldValue): string {
  if (v === null || v === undefined) return '';
  switch (f.type) {
    case 'boolean':
      return v ? '1' : '0';
    case 'ipv4':
      return formatIPv4(v as number);
    case 'ipv6':
      return formatIPv6(v as Uint8Array);
    case 'ether':
      return formatEther(v as Uint8Array);
    case 'bytes':
    case 'protocol':
    case 'none':
      return v instanceof Uint8Array ? formatBytes(v, f.sep) : String(v);
    case 'absolute_time':
      return f.id.endsWith('time_epoch') ? formatEpochTime(v as Timestamp) : formatAbsoluteTime(v as Timestamp);
    case 'relative_time':
      return formatRelativeTime(v as Timestamp);
    case 'string':
    case 'stringz':
      return v as string;
    case 'float':
    case 'double':
      return String(v);
    default:
      if (typeof v === 'number' || typeof v === 'bigint') {
        // -T fields shows hex bases in hex (dec_hex in decimal), without the value string.
        if (f.base === 'hex' || f.base === 'hex_dec') return '0x' + (typeof v === 'bigint' ? v.toString(16).padStart(hexDigits(f), '0') : hex(v, hexDigits(f)));
        return String(v);
      }
      return String(v);
  }
}

/** Display text of a value in a label: with the value string where there is one. */
export function displayValue(f: FieldInfo, v: FieldValue): string {
  if (v === null || v === undefined) return '';
  if (f.type === 'boolean') {
    const [t, fl] = f.tfs ?? ['True', 'False'];
    return v ? t : fl;
  }
  if (f.type === 'ipv4' || f.type === 'ipv6' || f.type === 'ether') return formatFieldValue(f, v);
  if (typeof v === 'number' && (f.vals || f.ranges)) {
    const vs = valueString(f, v);
    // BASE_NONE with a value string shows the string alone ("Unverified").
    if (f.base === 'none') return vs ?? String(v);
    const num = f.base === 'hex' || f.base === 'hex_dec' ? formatInteger({ ...f, base: 'hex' }, v) : String(v);
    return `${vs ?? 'Unknown'} (${num})`;
  }
  if (typeof v === 'number' || typeof v === 'bigint') return formatInteger(f, v) + (f.unit ?? '');
  switch (f.type) {
    case 'absolute_time':
      return formatAbsoluteTime(v as Timestamp);
    case 'relative_time':
      return formatRelativeTime(v as Timestamp) + ' seconds';
    case 'string':
    case 'stringz':
      return v as string;
    default:
      return formatFieldValue(f, v);
  }
}

/** "0100 .... " — the bits of a bitfield inside its containing integer. */
export function bitPattern(f: FieldInfo, v: number): string {
  const mask = f.mask ?? 0;
  const bits = f.bits || 8;
  const raw = v * 2 ** f.shift;
  let s = '';
  for (let b = bits - 1; b >= 0; b--) {
    const bit = 2 ** b;
    const inMask = Math.floor(mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(raw / bit) % 2 === 1 ? '1' : '0') : '.';
    if (b % 4 === 0 && b) s += ' ';
  }
  return s;
}

/** The label Wireshark would show for an item with no custom text. */
export function defaultLabel(f: FieldInfo, v: FieldValue): string {
  if (f.type === 'protocol' || f.type === 'none') return f.name;
  const body = `${f.name}: ${displayValue(f, v)}`;
  if (f.mask && (typeof v === 'number' || typeof v === 'boolean')) return `${bitPattern(f, Number(v))} = ${body}`;
  return body;
}
