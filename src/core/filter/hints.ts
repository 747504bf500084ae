import { allFields, fieldById, isIntegerType } from '../dissect/field-registry';
import type { TestNode, ValueNode } from './ast';
import type { FilterError, FilterWarning } from './errors';
import { resolveFieldName } from './semcheck';

/**
 * Help for common mistakes, beyond Wireshark's own messages: capture-filter (BPF) syntax typed into the
 * display filter, `=` for `==`, a flag field tested without `== 1`, `!=` on fields that occur twice per
 * packet, numbers with a leading zero (octal), misspelt field names, upper-case operators.
 */

/** A hint to show under an error, or undefined. */
export function errorHint(text: string, err: FilterError): string | undefined {
  const bpf = translateCaptureFilter(text);
  if (bpf) return `This looks like a capture filter (BPF syntax). As a display filter: ${bpf}`;
  const at = text.slice(err.start, err.end);
  if (/^"=" was unexpected/.test(err.message)) return 'Use == to compare (a single = is not an operator in display filters).';
  if (/^"(AND|OR|NOT|XOR|EQ|NE|CONTAINS|MATCHES|IN)" was unexpected/.test(err.message)) return `Operators are written in lower case: ${at.toLowerCase()}.`;
  const octal = /^"(0[0-9]+)" is not a valid number\.$/.exec(err.message);
  if (octal && /[89]/.test(octal[1])) {
    return `A leading 0 makes a number octal in display filters, and 8 and 9 are not octal digits; write ${String(Number(octal[1]))}.`;
  }
  const unknown = /^(\S+) is neither a field nor a protocol name\.$/.exec(err.message) ?? /^"(\S+)" is not a valid protocol or protocol field\.$/.exec(err.message);
  if (unknown) {
    const name = unknown[1];
    if (/^\d+$/.test(name)) return 'A number alone is not a test. Write the whole comparison on each side of and/or (tcp.port == 80 || tcp.port == 443), or use a set: tcp.port in {80, 443}.';
    const near = closestFields(name);
    if (near.length) return `Did you mean ${near.join(', ')}?`;
  }
  const leftSide = /^Left side of "[^"]+" expression must be a field or function, not (\S+)\.$/.exec(err.message);
  if (leftSide) {
    const near = closestFields(leftSide[1]);
    if (near.length && !fieldById(leftSide[1])) return `${leftSide[1]} is not a field. Did you mean ${near.join(', ')}?`;
  }
  if (/cannot participate in contains comparison/.test(err.message)) return 'contains works on text and bytes; for numbers and addresses use == or a set: in {…}.';
  if (/^"\*" was unexpected/.test(err.message)) return 'Wildcards are not supported; for address ranges use CIDR (ip.addr == 10.0.0.0/8) or a set range (ip.addr in {10.0.0.1..10.0.0.9}).';
  return undefined;
}

/** Warnings for filters that are valid but probably do not mean what the user thinks. */
export function mistakeWarnings(ast: TestNode): FilterWarning[] {
  const out: FilterWarning[] = [];
  const visitTest = (t: TestNode): void => {
    switch (t.kind) {
      case 'and':
      case 'or':
      case 'xor':
        t.items.forEach(visitTest);
        return;
      case 'not':
        visitTest(t.item);
        return;
      case 'exists': {
        if (t.value.kind !== 'word' && t.value.kind !== 'dotfield') return;
        const f = resolveFieldName(t.value.text)?.field;
        if (f && f.type === 'boolean' && f.mask) {
          out.push({
            message: `${f.id} is present whether the flag is set or not; to match packets with it set, write ${f.id} == 1.`,
            ...t.value.span,
          });
        }
        return;
      }
      case 'compare': {
        const left = t.left;
        if ((t.opText === '!=' || t.opText === 'ne') && (left.kind === 'word' || left.kind === 'dotfield') && !t.quantifier) {
          const f = resolveFieldName(left.text)?.field;
          if (f && /\.(addr|port|host)$/.test(f.id)) {
            out.push({
              message: `${f.id} occurs twice per packet (source and destination): "${f.id} != X" keeps packets where no ${f.id} is X; "!(${f.id} == X)" also keeps packets without the field; "${f.id} ~= X" keeps packets where either one differs.`,
              ...t.opSpan,
            });
          }
        }
        octalWarning(t.right, left, out);
        return;
      }
      case 'in':
        for (const el of t.set) {
          octalWarning(el.low, t.left, out);
          if (el.high) octalWarning(el.high, t.left, out);
        }
        return;
      default:
        return;
    }
  };
  visitTest(ast);
  return out;
}

function octalWarning(v: ValueNode, left: ValueNode, out: FilterWarning[]): void {
  if (v.kind !== 'word' || !/^0[0-7]+$/.test(v.text)) return;
  const f = left.kind === 'word' || left.kind === 'dotfield' ? resolveFieldName(left.text)?.field : undefined;
  if (f && !isIntegerType(f.type)) return;
  const value = parseInt(v.text.slice(1), 8);
  const decimal = v.text.replace(/^0+(?=\d)/, '');
  out.push({ message: `${v.text} is octal because of its leading zero: it means ${value}. Write ${decimal} for decimal ${decimal}.`, ...v.span });
}

/** Field ids close to a misspelt name (same protocol first), at most three. */
export function closestFields(name: string): string[] {
  if (name.length > 64) return [];
  const lower = name.toLowerCase();
  if (fieldById(lower)) return [lower];
  const scored: [number, string][] = [];
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 4)));
  countCharacters(lower);
  for (const f of allFields()) {
    if (f.id.startsWith('_ws.')) continue;
    if (Math.abs(f.id.length - name.length) > limit) continue;
    if (bagDistance(lower, f.id) > limit) continue;
    const d = editDistance(lower, f.id, limit);
    if (d <= limit) scored.push([d, f.id]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, 3).map((s) => s[1]);
}

/** How many times each character (ASCII; the rest share slot 127) occurs in the name being matched. */
const nameCounts = new Int16Array(128);

function countCharacters(name: string): void {
  nameCounts.fill(0);
  for (let i = 0; i < name.length; i++) nameCounts[Math.min(name.charCodeAt(i), 127)]++;
}

/**
 * A lower bound of the edit distance between the counted name and b, in time linear in their lengths: the
 * characters of either that the other lacks. Most field ids are rejected by it before the quadratic table.
 */
function bagDistance(name: string, b: string): number {
  let onlyInB = 0;
  for (let i = 0; i < b.length; i++) if (--nameCounts[Math.min(b.charCodeAt(i), 127)] < 0) onlyInB++;
  for (let i = 0; i < b.length; i++) nameCounts[Math.min(b.charCodeAt(i), 127)]++;
  const onlyInName = name.length - (b.length - onlyInB);
  return Math.max(onlyInB, onlyInName);
}

/** Two rows of the edit-distance table, reused: the names compared are at most 64 + 3 characters. */
const rowA = new Uint8Array(72);
const rowB = new Uint8Array(72);

/** Levenshtein distance between a and b, or limit + 1 as soon as every entry of a row exceeds limit. */
function editDistance(a: string, b: string, limit: number): number {
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      if (cur[j] < best) best = cur[j];
    }
    if (best > limit) return limit + 1;
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[b.length];
}

// ---- capture filters ----------------------------------------------------------------------------------

const PROTOS: Record<string, string> = { ip: 'ip', ip6: 'ipv6', tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmp6: 'icmpv6', arp: 'arp', ether: 'eth', sctp: 'sctp', vlan: 'vlan', igmp: 'igmp' };

/**
 * Translates a capture filter made of common primitives (`host`, `net`, `port`, `portrange`, `src`/`dst`,
 * protocol names, `less`/`greater`, and/or/not) to a display filter; undefined if the text is not one, or
 * is also a valid display filter word sequence.
 */
export function translateCaptureFilter(text: string): string | undefined {
  const toks = text.match(/\(|\)|&&|\|\||!|[^\s()!]+/g);
  if (!toks || toks.length < 2) return undefined;
  const out: string[] = [];
  let i = 0;
  let primitives = 0;
  let bpfOnly = false;
  while (i < toks.length) {
    const t = toks[i];
    if (t === '(' || t === ')' || t === '!' || t === '&&' || t === '||') {
      out.push(t === '!' ? '!' : t);
      i++;
      continue;
    }
    if (t === 'and' || t === 'or' || t === 'not') {
      out.push(t);
      i++;
      continue;
    }
    let proto: string | undefined;
    if (t in PROTOS && (toks[i + 1] === 'src' || toks[i + 1] === 'dst' || toks[i + 1] === 'host' || toks[i + 1] === 'port' || toks[i + 1] === 'net' || toks[i + 1] === 'portrange')) {
      proto = t;
      i++;
    }
    let dir: 'src' | 'dst' | undefined;
    if (toks[i] === 'src' || toks[i] === 'dst') {
      dir = toks[i] as 'src' | 'dst';
      i++;
      if (toks[i] === 'or' || toks[i] === 'and') return undefined;
    }
    const kind = toks[i];
    const value = toks[i + 1];
    if (kind === 'host' || kind === 'net' || kind === 'port' || kind === 'portrange' || ((kind === 'less' || kind === 'greater') && !dir)) {
      if (value === undefined) return undefined;
      bpfOnly = true;
      i += 2;
      primitives++;
      if (kind === 'less' || kind === 'greater') {
        out.push(`frame.len ${kind === 'less' ? '<=' : '>='} ${value}`);
        continue;
      }
      if (kind === 'port' || kind === 'portrange') {
        const protos = proto === 'tcp' || proto === 'udp' || proto === 'sctp' ? [proto] : ['tcp', 'udp'];
        const field = dir ? `${dir}port` : 'port';
        const test = kind === 'port' ? ` == ${value}` : ` in {${value.replace('-', '..')}}`;
        const parts = protos.map((p) => `${p}.${field}${test}`);
        out.push(parts.length > 1 ? `(${parts.join(' || ')})` : parts[0]);
        continue;
      }
      const isMac = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/.test(value);
      const isV6 = value.includes(':') && !isMac;
      const base = proto === 'ether' || isMac ? 'eth' : isV6 || proto === 'ip6' ? 'ipv6' : 'ip';
      const suffix = dir ?? 'addr';
      out.push(`${base}.${suffix} == ${value}`);
      continue;
    }
    if (dir && kind !== undefined) {
      // "src 10.0.0.1" means "src host 10.0.0.1".
      bpfOnly = true;
      primitives++;
      i++;
      const base = kind.includes(':') ? 'ipv6' : 'ip';
      out.push(`${base}.${dir} == ${kind}`);
      continue;
    }
    if (t in PROTOS) {
      out.push(PROTOS[t]);
      primitives++;
      i++;
      continue;
    }
    return undefined;
  }
  return bpfOnly && primitives > 0 ? out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')') : undefined;
}
