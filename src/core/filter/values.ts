import { isIntegerType, type FieldInfo, type FieldType } from '../dissect/field-registry';
import { FilterError, type Span } from './errors';
import { parseIPv6 } from './scanner';

/**
 * Field types as the filter engine sees them, and the conversion of literals to values of a type — with
 * tshark 4.0's rules and wording: `"70000" too big for this field, maximum 65535.`, `"1.2.3" is not a valid
 * hostname or IPv4 address.`, value-string names (`ip.proto == "TCP"`), true/false strings of booleans, the
 * byte-string forms (aa:bb:cc, aa-bb, aabb.ccdd, aabbcc), dates for absolute times.
 */

/** How values of a type are held while a filter runs. */
export type RegKind = 'num' | 'big' | 'bytes' | 'str' | 'time' | 'none';

/** A constant, already converted to the type it is compared with. */
export type Const =
  | { rk: 'num'; n: number; /** IPv4 CIDR prefix length (32 = plain address). */ bits?: number }
  | { rk: 'big'; b: bigint }
  | { rk: 'bytes'; bytes: Uint8Array; /** IPv6 prefix length (128 = plain address). */ bits?: number }
  | { rk: 'str'; s: string }
  | { rk: 'time'; secs: number; nsecs: number };

export function regKind(ft: FieldType): RegKind {
  switch (ft) {
    case 'uint64':
    case 'int64':
      return 'big';
    case 'bytes':
    case 'ether':
    case 'ipv6':
    case 'protocol':
    case 'guid':
    case 'oid':
    case 'eui64':
      return 'bytes';
    case 'string':
    case 'stringz':
      return 'str';
    case 'absolute_time':
    case 'relative_time':
      return 'time';
    case 'none':
      return 'none';
    default:
      return 'num';
  }
}

const BYTES_OF: Partial<Record<FieldType, number>> = { uint8: 1, int8: 1, uint16: 2, int16: 2, uint24: 3, int24: 3, uint32: 4, int32: 4, uint40: 5, uint48: 6, uint64: 8, int64: 8 };

/** Wireshark's "pretty name" of a field type, as its messages print it. */
export function typeName(ft: FieldType): string {
  const n = BYTES_OF[ft];
  if (n !== undefined) return `${ft.startsWith('u') ? 'Unsigned' : 'Signed'} integer (${n} byte${n === 1 ? '' : 's'})`;
  const names: Partial<Record<FieldType, string>> = {
    none: 'Label',
    protocol: 'Protocol',
    boolean: 'Boolean',
    char: 'Character, 1 byte',
    float: 'Floating point (single-precision)',
    double: 'Floating point (double-precision)',
    absolute_time: 'Date and time',
    relative_time: 'Time offset',
    string: 'Character string',
    stringz: 'Character string',
    bytes: 'Byte sequence',
    ether: 'Ethernet or other MAC address',
    ipv4: 'IPv4 address',
    ipv6: 'IPv6 address',
    framenum: 'Frame number',
    guid: 'Globally Unique Identifier',
    oid: 'ASN.1 object identifier',
    eui64: 'EUI64 address',
  };
  return names[ft] ?? ft;
}

/** Wireshark's internal type name (FT_UINT16 …), used in its arithmetic messages. */
export function ftName(ft: FieldType): string {
  const special: Partial<Record<FieldType, string>> = { ipv4: 'FT_IPv4', ipv6: 'FT_IPv6', absolute_time: 'FT_ABSOLUTE_TIME', relative_time: 'FT_RELATIVE_TIME' };
  return special[ft] ?? `FT_${ft.toUpperCase()}`;
}

export function isNumericType(ft: FieldType): boolean {
  return isIntegerType(ft) || ft === 'float' || ft === 'double';
}

/** Types whose values can be sliced or seen as a byte sequence. */
export function canSlice(ft: FieldType): boolean {
  return regKind(ft) === 'bytes' || regKind(ft) === 'str' || ft === 'ipv4';
}

function integerLimits(ft: FieldType): { min: bigint; max: bigint } {
  const bits = (BYTES_OF[ft] ?? 4) * 8;
  if (ft === 'char') return { min: 0n, max: 255n };
  if (ft === 'framenum') return { min: 0n, max: 0xffffffffn };
  if (ft.startsWith('u')) return { min: 0n, max: (1n << BigInt(bits)) - 1n };
  return { min: -(1n << BigInt(bits - 1)), max: (1n << BigInt(bits - 1)) - 1n };
}

/** Integer literal syntax of tshark: decimal, 0x hex, 0b binary, leading-zero octal. */
export function parseIntegerText(text: string): bigint | null {
  if (/^[1-9][0-9]*$/.test(text) || text === '0') return BigInt(text);
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) return BigInt(text);
  if (/^0[bB][01]+$/.test(text)) return BigInt(text);
  if (/^0[0-7]+$/.test(text)) return BigInt('0o' + text.slice(1));
  return null;
}

/** Names of a value string, matched case-insensitively like tshark. */
function lookupValueName(f: FieldInfo | undefined, name: string): number | undefined {
  if (!f) return undefined;
  const lower = name.toLowerCase();
  if (f.vals) {
    for (const key of Object.keys(f.vals)) if (f.vals[Number(key)].toLowerCase() === lower) return Number(key);
  }
  if (f.ranges) for (const [lo, hi, text] of f.ranges) if (text.toLowerCase() === lower && lo <= hi) return lo;
  return undefined;
}

function notAmongValues(text: string, f: FieldInfo | undefined, span: Span): never {
  throw new FilterError(`"${text}" cannot be found among the possible values for ${f?.id ?? 'this field'}.`, span.start, span.end);
}

function integerConst(ft: FieldType, n: bigint, text: string, span: Span): Const {
  const { min, max } = integerLimits(ft);
  if (n > max) throw new FilterError(`"${text}" too big for this field, maximum ${max}.`, span.start, span.end);
  if (n < min) throw new FilterError(`"${text}" too small for this field, minimum ${min}.`, span.start, span.end);
  return regKind(ft) === 'big' ? { rk: 'big', b: n } : { rk: 'num', n: Number(n) };
}

/**
 * An unquoted literal (`80`, `10.0.0.0/8`, `aa:bb`, `GET`, `Echo`) as a value of type `ft`; `field` gives the
 * value strings to look names up in.
 */
export function fromUnparsed(ft: FieldType, text: string, span: Span, field?: FieldInfo): Const {
  switch (ft) {
    case 'boolean': {
      const n = parseIntegerText(text);
      if (n !== null) return { rk: 'num', n: n !== 0n ? 1 : 0 };
      if (text === 'True' || text === 'TRUE') return { rk: 'num', n: 1 };
      if (text === 'False' || text === 'FALSE') return { rk: 'num', n: 0 };
      return booleanByName(text, span, field);
    }
    case 'float':
    case 'double': {
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) || /^0[xX][0-9a-fA-F]+$/.test(text)) return { rk: 'num', n: Number(text) };
      const byName = lookupValueName(field, text);
      if (byName !== undefined) return { rk: 'num', n: byName };
      throw new FilterError(`"${text}" is not a valid number.`, span.start, span.end);
    }
    case 'ipv4':
      return ipv4Const(text, span);
    case 'ipv6':
      return ipv6Const(text, span);
    case 'ether': {
      const b = parseByteString(text);
      if (!b) throw new FilterError(`"${text}" is not a valid Ethernet address.`, span.start, span.end);
      if (b.length < 6) throw new FilterError(`"${text}" contains too few bytes to be a valid Ethernet address.`, span.start, span.end);
      if (b.length > 6) throw new FilterError(`"${text}" contains too many bytes to be a valid Ethernet address.`, span.start, span.end);
      return { rk: 'bytes', bytes: b };
    }
    case 'bytes':
    case 'protocol':
    case 'guid':
    case 'oid':
    case 'eui64': {
      const b = parseByteString(text);
      if (!b) throw new FilterError(`"${text}" is not a valid byte string.`, span.start, span.end);
      return { rk: 'bytes', bytes: b };
    }
    case 'string':
    case 'stringz':
      return { rk: 'str', s: text };
    case 'absolute_time':
      return absoluteTimeConst(text, span);
    case 'relative_time': {
      const t = parseRelativeTime(text);
      if (!t) throw new FilterError(`"${text}" is not a valid time.`, span.start, span.end);
      return t;
    }
    case 'none':
      throw new FilterError(`"${text}" cannot be compared with a label.`, span.start, span.end);
    default: {
      // Integers (and characters, frame numbers).
      const n = parseIntegerText(text);
      if (n !== null) return integerConst(ft, n, text, span);
      if (field && (field.vals || field.ranges)) {
        const v = lookupValueName(field, text);
        if (v === undefined) notAmongValues(text, field, span);
        return integerConst(ft, BigInt(v), text, span);
      }
      throw new FilterError(`"${text}" is not a valid number.`, span.start, span.end);
    }
  }
}

function booleanByName(text: string, span: Span, field?: FieldInfo): Const {
  const [t, f] = field?.tfs ?? ['True', 'False'];
  if (text.toLowerCase() === t.toLowerCase()) return { rk: 'num', n: 1 };
  if (text.toLowerCase() === f.toLowerCase()) return { rk: 'num', n: 0 };
  notAmongValues(text, field, span);
}

/** A quoted string as a value of type `ft`. `bytes` is the string's byte form (escapes may make any byte). */
export function fromString(ft: FieldType, text: string, bytes: Uint8Array, span: Span, field?: FieldInfo): Const {
  switch (regKind(ft)) {
    case 'str':
      return { rk: 'str', s: text };
    case 'bytes':
      if (ft === 'bytes' || ft === 'protocol') return { rk: 'bytes', bytes };
      break;
    case 'time':
      if (ft === 'absolute_time') return absoluteTimeConst(text, span);
      break;
    default:
      if (ft === 'boolean') return booleanByName(text, span, field);
      if (field && (field.vals || field.ranges) && isIntegerType(ft)) {
        const v = lookupValueName(field, text);
        if (v === undefined) notAmongValues(text, field, span);
        return integerConst(ft, BigInt(v), text, span);
      }
  }
  throw new FilterError(`${typeName(ft)} cannot be converted from a string ("${text}").`, span.start, span.end);
}

/** A character constant ('a', '\x41') as a value of type `ft`. */
export function fromChar(ft: FieldType, code: number, source: string, span: Span): Const {
  switch (regKind(ft)) {
    case 'str':
      return { rk: 'str', s: String.fromCharCode(code) };
    case 'bytes':
      if (ft === 'bytes' || ft === 'protocol') return { rk: 'bytes', bytes: Uint8Array.of(code) };
      break;
    case 'num':
      if (ft === 'boolean') return { rk: 'num', n: code ? 1 : 0 };
      if (isIntegerType(ft)) return integerConst(ft, BigInt(code), source, span);
      if (ft === 'float' || ft === 'double') return { rk: 'num', n: code };
      break;
    case 'big':
      return { rk: 'big', b: BigInt(code) };
    default:
      break;
  }
  throw new FilterError(`Character constant ${source} (0x${code.toString(16).padStart(2, '0')}) cannot be converted to ${typeName(ft)}.`, span.start, span.end);
}

function ipv4Const(text: string, span: Span): Const {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d+))?$/.exec(text);
  const parts = m ? m.slice(1, 5).map(Number) : null;
  if (!m || !parts || parts.some((x) => x > 255)) throw new FilterError(`"${text}" is not a valid hostname or IPv4 address.`, span.start, span.end);
  let bits = 32;
  if (m[5] !== undefined) {
    bits = Number(m[5]);
    if (bits > 32) throw new FilterError(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${bits}`, span.start, span.end);
  }
  return { rk: 'num', n: ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0, bits };
}

function ipv6Const(text: string, span: Span): Const {
  const slash = text.indexOf('/');
  const addr = parseIPv6(slash >= 0 ? text.slice(0, slash) : text);
  if (!addr) throw new FilterError(`"${text}" is not a valid hostname or IPv6 address.`, span.start, span.end);
  let bits = 128;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    bits = /^\d+$/.test(p) ? Number(p) : NaN;
    if (!(bits >= 0)) throw new FilterError(`"${text}" is not a valid hostname or IPv6 address.`, span.start, span.end);
    if (bits > 128) throw new FilterError(`Prefix in a IPv6 address should be <= 128, not ${bits}`, span.start, span.end);
  }
  return { rk: 'bytes', bytes: addr, bits };
}

/**
 * Byte strings: hex pairs separated by ':', '-' or '.', or written together (`aabbcc`); one or two hex digits
 * (or `0xHH`) make one byte. Returns null if the text is not one.
 */
export function parseByteString(text: string): Uint8Array | null {
  if (/^[0-9a-fA-F]{1,2}$/.test(text)) return Uint8Array.of(parseInt(text, 16));
  if (/^0[xX][0-9a-fA-F]{2}$/.test(text)) return Uint8Array.of(parseInt(text.slice(2), 16));
  let hex: string;
  if (/^[0-9a-fA-F]{2}([:.-][0-9a-fA-F]{2})+$/.test(text)) {
    hex = text.replace(/[:.-]/g, '');
  } else if (/^[0-9a-fA-F]{4}(\.[0-9a-fA-F]{4})+$/.test(text)) {
    hex = text.replace(/\./g, '');
  } else if (/^[0-9a-fA-F]+$/.test(text)) {
    hex = text;
  } else {
    return null;
  }
  const out = new Uint8Array(Math.ceil(hex.length / 2));
  // An odd digit count leaves the last digit as a byte of its own (as tshark's converter does).
  for (let i = 0, k = 0; i < hex.length; i += 2, k++) out[k] = parseInt(hex.slice(i, i + 2), 16);
  return out;
}

export function parseRelativeTime(text: string): Const | null {
  if (!/^(\d+|\d*\.\d+([eE][+-]?\d+)?)$/.test(text)) return null;
  return secondsToTime(text);
}

/** Decimal seconds text → {secs, nsecs}, exact to the nanosecond for plain decimals. */
function secondsToTime(text: string): Const {
  if (/[eE]/.test(text)) {
    const v = Number(text);
    const secs = Math.floor(v);
    return { rk: 'time', secs, nsecs: Math.round((v - secs) * 1e9) };
  }
  const [i, f = ''] = text.split('.');
  return { rk: 'time', secs: Number(i || '0'), nsecs: Number((f + '000000000').slice(0, 9)) };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const ABS_TIME_HELP = 'Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"';

/**
 * Absolute times as tshark 4.0 reads them: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56" (also with a
 * T, without seconds, date only), local time unless "UTC", "Z" or an offset follows.
 */
function absoluteTimeConst(text: string, span: Span): Const {
  const bad = (): never => {
    throw new FilterError(`"${text}" is not a valid absolute time. ${ABS_TIME_HELP}`, span.start, span.end);
  };
  let y: number, mo: number, d: number;
  let h = 0, mi = 0, s = 0;
  let frac = '';
  let zone: string | undefined;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (m[4] !== undefined) [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    frac = m[7] ?? '';
    zone = m[8];
  } else {
    m = /^([A-Za-z]{3}) +(\d{1,2}), +(\d{4}) +(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?: +(UTC))?$/.exec(text);
    if (!m) bad();
    const month = MONTHS.indexOf(m![1].toLowerCase());
    if (month < 0) bad();
    [y, mo, d, h, mi, s] = [Number(m![3]), month + 1, Number(m![2]), Number(m![4]), Number(m![5]), Number(m![6] ?? 0)];
    frac = m![7] ?? '';
    zone = m![8];
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) bad();
  if (h > 23 || mi > 59 || s > 60) throw new FilterError('Unexpected data after time value.', span.start, span.end);
  let secs: number;
  if (zone === undefined) {
    secs = Math.floor(new Date(y, mo - 1, d, h, mi, s).getTime() / 1000);
  } else {
    secs = Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
    const off = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (off) secs -= (off[1] === '-' ? -1 : 1) * (Number(off[2]) * 3600 + Number(off[3]) * 60);
  }
  if (!Number.isFinite(secs)) bad();
  return { rk: 'time', secs, nsecs: Number((frac + '000000000').slice(0, 9)) };
}
