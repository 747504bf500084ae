import { FieldGroup, type FieldInfo } from './field-registry';
import type { ByteView } from './byte-view';

/**
 * A field's value. Integers up to 48 bits and IPv4 addresses are numbers; 64-bit integers are bigints;
 * ether, IPv6 and byte fields are views into the packet; times are `Timestamp`s; protocols and FT_NONE
 * items carry null (their bytes are found from offset and length).
 */
export type FieldValue = number | bigint | boolean | string | Uint8Array | Timestamp | null;

export interface Timestamp {
  readonly secs: number;
  readonly nsecs: number;
}

/** A data source of a frame other than its own bytes (a reassembled datagram …). */
export interface DataSource {
  name: string;
  bytes: Uint8Array;
}

export const ITEM_GENERATED = 1;
export const ITEM_HIDDEN = 2;

/**
 * The protocol tree of one frame, stored flat: item i has a field, a data source, an offset and length
 * within it, a parent item (-1 for top level), a value and optionally a label. Dissectors open a protocol or
 * subtree with `open` and close it with `close`; items added in between are its children.
 *
 * In "fields" mode (filters, columns, `fathom fields`) only the wanted fields are recorded and no labels are
 * made, so a frame costs no allocation beyond its values. In "full" mode every item is recorded (detail pane).
 */
export class ProtoTree {
  /** True when a detail tree is being built: dissectors make labels only then. */
  full = true;
  count = 0;
  fieldIdx = new Int32Array(256);
  offset = new Int32Array(256);
  length = new Int32Array(256);
  /**
   * Where, in its data source, the view an item was added from ends. For a protocol this is the end of its
   * bytes as Wireshark's filter engine sees them (the protocol's whole tvb, payload included: `tcp contains
   * "GET"`), which the item's own length (the header) does not say.
   */
  viewEnd = new Int32Array(256);
  parent = new Int32Array(256);
  source = new Uint8Array(256);
  flags = new Uint8Array(256);
  values: FieldValue[] = [];
  labels: (string | undefined)[] = [];
  /**
   * False when no item at all will be recorded (the first pass, list rows: fields mode with an empty mask).
   * A protocol may then skip a whole block of `add` calls — but only pure items: expert items still count
   * towards the frame's severity, and anything with a side effect (columns, state) must still run.
   */
  recording = true;
  private wanted: Uint8Array | null = null;
  /** The last mask `reset` saw, and whether it wants anything (worked out once per mask, not per frame). */
  private scannedMask: Uint8Array | null = null;
  private scannedWantsAny = true;
  /**
   * Data sources of this frame beyond the frame itself (source 0): reassembled datagrams and the like, which
   * the hex pane shows as extra tabs ("Reassembled IPv4 (3508 bytes)"). Entry k is source k + 1. Reset per frame.
   */
  readonly sources: DataSource[] = [];
  /** For each open level, the nearest recorded ancestor (or -1). */
  private stack = new Int32Array(4096);
  private depth = 0;

  /**
   * Starts a new frame. `wanted` (by field index) limits recording to those fields; null records all.
   * A mask must not change while it is in use: whether it wants anything is worked out the first time it is seen.
   */
  reset(full: boolean, wanted: Uint8Array | null = null): void {
    this.full = full;
    this.wanted = full ? null : wanted;
    if (this.wanted === null) {
      this.recording = true;
    } else {
      if (this.wanted !== this.scannedMask) {
        this.scannedMask = this.wanted;
        this.scannedWantsAny = this.wanted.indexOf(1) >= 0;
      }
      this.recording = this.scannedWantsAny;
    }
    this.count = 0;
    this.depth = 0;
    if (this.sources.length) this.sources.length = 0;
    // values/labels beyond `count` are stale and ignored; truncating the arrays per frame costs more than it saves.
  }

  /** Drops the values and sources of the last frame (they may view a pass's read buffer), after a pass. */
  release(): void {
    this.values.fill(null);
    this.sources.length = 0;
    this.count = 0;
  }

  /**
   * Adds a data source for this frame and returns its index: views over `bytes` made with that index as their
   * `source` (and `sourceOffset` 0) put their items into it. At most 255 sources per frame (items store it in a byte).
   */
  addSource(name: string, bytes: Uint8Array): number {
    if (this.sources.length >= 255) throw new RangeError('too many data sources in one frame');
    this.sources.push({ name, bytes });
    return this.sources.length;
  }

  /** Answers of `recordsAny` for the current mask, by group id: 0 not asked yet, 1 no, 2 yes. */
  private groupAnswers = new Uint8Array(32);
  private groupMask: Uint8Array | null = null;

  /**
   * Whether any field of `group` would be recorded: a dissector skips the whole block of items then (a filter
   * that reads tcp.port needs no option or flag items). Items that may sit inside any block — experts,
   * "malformed", text (`_ws.*`) — make every group count as wanted.
   */
  recordsAny(group: FieldGroup): boolean {
    const wanted = this.wanted;
    if (wanted === null) return true;
    if (!this.recording) return false;
    if (this.groupMask !== wanted) {
      this.groupMask = wanted;
      this.groupAnswers.fill(0);
    }
    if (group.id >= this.groupAnswers.length) {
      const grown = new Uint8Array(Math.max(group.id + 1, this.groupAnswers.length * 2));
      grown.set(this.groupAnswers);
      this.groupAnswers = grown;
    }
    let answer = this.groupAnswers[group.id];
    if (answer === 0) {
      answer = anyWanted(wanted, group) || anyWanted(wanted, WS_FIELDS) ? 2 : 1;
      this.groupAnswers[group.id] = answer;
    }
    return answer === 2;
  }

  /** Whether a field would be recorded (lets dissectors skip computing costly values). */
  wants(f: FieldInfo): boolean {
    return this.wanted === null || this.wanted[f.index] === 1;
  }

  /** Adds an item under the innermost open item; returns its index, or -1 if it is not recorded. */
  add(f: FieldInfo, view: ByteView, offset: number, length: number, value: FieldValue, label?: string, flags = 0): number {
    if (this.wanted !== null && this.wanted[f.index] !== 1) return -1;
    const i = this.count;
    if (i === this.fieldIdx.length) this.grow();
    this.count = i + 1;
    this.fieldIdx[i] = f.index;
    this.source[i] = view.source;
    this.offset[i] = view.sourceOffset + offset;
    this.length[i] = length < 0 ? Math.max(0, view.length - offset) : length;
    this.viewEnd[i] = view.sourceOffset + view.length;
    this.parent[i] = this.depth > 0 ? this.stack[this.depth - 1] : -1;
    this.flags[i] = flags;
    this.values[i] = value;
    this.labels[i] = this.full ? label : undefined;
    return i;
  }

  /** Adds a generated item (shown in brackets, not from packet bytes). */
  addGenerated(f: FieldInfo, view: ByteView, offset: number, length: number, value: FieldValue, label?: string): number {
    return this.add(f, view, offset, length, value, label, ITEM_GENERATED);
  }

  /** Adds an item and makes it the parent of what follows until `close`. */
  open(f: FieldInfo, view: ByteView, offset: number, length: number, value: FieldValue, label?: string, flags = 0): number {
    const i = this.add(f, view, offset, length, value, label, flags);
    if (this.depth === this.stack.length) throw new RangeError('protocol tree nested too deeply');
    this.stack[this.depth] = i >= 0 ? i : this.depth > 0 ? this.stack[this.depth - 1] : -1;
    this.depth++;
    return i;
  }

  /** Makes an earlier item the parent of what follows again, until `close` (e.g. a trailer after the payload). */
  reopen(i: number): void {
    if (this.depth === this.stack.length) throw new RangeError('protocol tree nested too deeply');
    this.stack[this.depth] = i >= 0 ? i : this.depth > 0 ? this.stack[this.depth - 1] : -1;
    this.depth++;
  }

  close(): void {
    if (this.depth > 0) this.depth--;
  }

  /** Closes every open item (after an exception unwound a dissector). */
  closeAll(): void {
    this.depth = 0;
  }

  /** How many items are open now — a mark to unwind to with `closeTo` when a caught exception left some open. */
  get openDepth(): number {
    return this.depth;
  }

  /** Closes open items until `depth` remain (after a dissector that threw, e.g. inside an ICMP error). */
  closeTo(depth: number): void {
    if (depth >= 0 && depth < this.depth) this.depth = depth;
  }

  setLength(i: number, length: number): void {
    if (i >= 0) this.length[i] = length;
  }

  setLabel(i: number, label: string): void {
    if (i >= 0 && this.full) this.labels[i] = label;
  }

  /** The first recorded occurrence of a field, or -1. */
  find(f: FieldInfo, from = 0): number {
    const idx = f.index;
    for (let i = from; i < this.count; i++) if (this.fieldIdx[i] === idx) return i;
    return -1;
  }

  private grow(): void {
    const n = this.fieldIdx.length * 2;
    const g = <T extends Int32Array | Uint8Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.fieldIdx = g(this.fieldIdx, new Int32Array(n));
    this.offset = g(this.offset, new Int32Array(n));
    this.length = g(this.length, new Int32Array(n));
    this.viewEnd = g(this.viewEnd, new Int32Array(n));
    this.parent = g(this.parent, new Int32Array(n));
    this.source = g(this.source, new Uint8Array(n));
    this.flags = g(this.flags, new Uint8Array(n));
  }
}

/** Fields that can turn up inside any block of items (experts, malformed and text items). */
const WS_FIELDS = new FieldGroup(['_ws.']);

function anyWanted(wanted: Uint8Array, group: FieldGroup): boolean {
  for (const i of group.fieldIndices()) if (wanted[i] === 1) return true;
  return false;
}
