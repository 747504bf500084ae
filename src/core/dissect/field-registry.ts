/**
 * The field registry: every field a dissector can add, keyed by Wireshark's filter name, with Wireshark's
 * type, display base, bitmask and value strings (`tshark -G fields` / `-G values` are the reference).
 * Protocol files declare their fields as data with `defineFields`; dissectors then refer to the returned
 * `FieldInfo` objects, whose numeric `index` is what the proto tree stores.
 */

export type FieldType =
  | 'none'
  | 'protocol'
  | 'boolean'
  | 'char'
  | 'uint8'
  | 'uint16'
  | 'uint24'
  | 'uint32'
  | 'uint40'
  | 'uint48'
  | 'uint64'
  | 'int8'
  | 'int16'
  | 'int24'
  | 'int32'
  | 'int64'
  | 'float'
  | 'double'
  | 'absolute_time'
  | 'relative_time'
  | 'string'
  | 'stringz'
  | 'bytes'
  | 'ether'
  | 'ipv4'
  | 'ipv6'
  | 'framenum'
  | 'guid'
  | 'oid'
  | 'eui64';

/** BASE_* of Wireshark; for booleans the display is the width in bits of the containing field. */
export type FieldBase = 'dec' | 'hex' | 'oct' | 'dec_hex' | 'hex_dec' | 'none' | 'utc' | 'local' | number;

/** Wireshark's range_string: [low, high, text]. */
export type ValueRange = readonly [number, number, string];

export interface FieldSpec {
  id: string;
  name: string;
  type: FieldType;
  base?: FieldBase;
  /** Bitmask within the containing integer; the stored value is `(raw & mask) >> shift`. */
  mask?: number;
  /** Value strings (VALS). */
  vals?: Readonly<Record<number, string>>;
  /** Range strings (RVALS), consulted when `vals` has no entry. */
  ranges?: readonly ValueRange[];
  /** true_false_string for booleans: [when true, when false]. */
  tfs?: readonly [string, string];
  /** FT_BYTES only: separator between the bytes' hex pairs (Wireshark's SEP_COLON etc.), e.g. ":". */
  sep?: string;
  /** Protocol fields only: the short name (`tshark -G protocols`, 2nd column), when it differs from the Protocol column text. */
  short?: string;
  /** Unit appended in labels (BASE_UNIT_STRING), e.g. " bytes". */
  unit?: string;
  description?: string;
}

export interface FieldInfo extends Readonly<FieldSpec> {
  readonly index: number;
  /** Abbreviation of the protocol the field belongs to (`ip` for `ip.src`). */
  readonly protocol: string;
  /** Number of trailing zero bits of `mask`. */
  readonly shift: number;
  /** Width in bits of the containing integer, for bitfield labels. */
  readonly bits: number;
}

const fields: FieldInfo[] = [];
const byId = new Map<string, FieldInfo>();

const widthOf: Partial<Record<FieldType, number>> = {
  char: 8,
  uint8: 8,
  int8: 8,
  uint16: 16,
  int16: 16,
  uint24: 24,
  int24: 24,
  uint32: 32,
  int32: 32,
  framenum: 32,
  uint40: 40,
  uint48: 48,
  uint64: 64,
  int64: 64,
};

function trailingZeros(mask: number): number {
  if (!mask) return 0;
  let n = 0;
  while (mask % 2 === 0) {
    mask /= 2;
    n++;
  }
  return n;
}

/** Registers the fields of one protocol. Ids must be unique across the registry. */
export function defineFields<K extends string>(protocol: string, specs: Record<K, FieldSpec>): Record<K, FieldInfo> {
  const out = {} as Record<K, FieldInfo>;
  for (const key of Object.keys(specs) as K[]) {
    const spec = specs[key];
    const existing = byId.get(spec.id);
    if (existing) {
      // Modules can be evaluated twice in test runners with isolated graphs; the definition is data, keep the first.
      out[key] = existing;
      continue;
    }
    const bits = typeof spec.base === 'number' && spec.type === 'boolean' ? spec.base : (widthOf[spec.type] ?? 0);
    const info: FieldInfo = { ...spec, index: fields.length, protocol, shift: trailingZeros(spec.mask ?? 0), bits };
    fields.push(info);
    byId.set(spec.id, info);
    out[key] = info;
  }
  return out;
}

export function fieldById(id: string): FieldInfo | undefined {
  return byId.get(id);
}

export function fieldByIndex(index: number): FieldInfo {
  return fields[index];
}

export function allFields(): readonly FieldInfo[] {
  return fields;
}

export function fieldCount(): number {
  return fields.length;
}

/** The value string for an integer value, from VALS then RVALS. */
/**
 * Fields chosen by id prefix ('tcp.option' is every TCP option item), so a dissector can skip a block of
 * items that nobody will record (ProtoTree.recordsAny). Resolved against the registry when first asked, and
 * again if fields were registered since.
 */
export class FieldGroup {
  private static next = 0;
  /** Small dense number: trees cache their answer per group in an array. */
  readonly id = FieldGroup.next++;
  private indices: Int32Array | null = null;
  private resolvedAt = -1;

  constructor(readonly prefixes: readonly string[]) {}

  fieldIndices(): Int32Array {
    const all = allFields();
    if (this.indices === null || this.resolvedAt !== all.length) {
      const out: number[] = [];
      for (const f of all) if (this.prefixes.some((p) => f.id.startsWith(p))) out.push(f.index);
      this.indices = Int32Array.from(out);
      this.resolvedAt = all.length;
    }
    return this.indices;
  }
}

export function valueString(f: FieldSpec, v: number): string | undefined {
  const s = f.vals?.[v];
  if (s !== undefined) return s;
  if (f.ranges) for (const [lo, hi, text] of f.ranges) if (v >= lo && v <= hi) return text;
  return undefined;
}

export function isIntegerType(t: FieldType): boolean {
  return t in widthOf;
}

/** Items that are only text (Wireshark's proto_tree_add_subtree / text items): a label, no value. */
export const textField = defineFields('_ws', {
  text: { id: '_ws.text', name: 'Text item', type: 'none' },
}).text;
