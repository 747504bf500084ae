import type { ByteSource } from './capture/byte-source';
import { openCapture, type Capture, type OpenOptions } from './capture/open-capture';
import { linkTypeName } from './capture/link-types';
import type { CaptureSink, CaptureWarning } from './capture/capture-types';
import { fieldById, fieldByIndex, fieldCount, type FieldInfo } from './dissect/field-registry';
import { PacketInfo } from './dissect/packet-info';
import { ProtoTree, ITEM_GENERATED, ITEM_HIDDEN, type DataSource, type FieldValue } from './dissect/proto-tree';
import { defaultLabel, formatFieldValue, formatRelativeTime, setTimeDiff } from './dissect/format';
import { writeSummaryLine, type ByteSink } from './dissect/summary-line';
import { NO_BYTES } from './dissect/byte-view';
import { registerProtocols, dissectFrame, type FrameRecord } from './protocols/index';
import { forEachFrameBytes, forEachFrameSpan, frameBytes, handFrames } from './frame-source';
import { FRAME_HAS_COMMENT, FRAME_NO_TIMESTAMP } from './capture/frame-index';
import type { CompiledFilter } from './filter/index';
import { ConversationCollector, CONVERSATION_TYPES, type Conversation, type ConversationTable, type ConversationType } from './analysis/conversations';
import { endpointsOf, type Endpoint } from './analysis/endpoints';
import { FollowStream, StreamFollower, forEachListedFrame, streamFrames, type FollowProto } from './analysis/follow-stream';
import type { PayloadTapRecord } from './dissect/taps';
import { tcpReassemblyNeeds, tcpReassemblyOf } from './analysis/tcp-reassembly';
import { dissectPlainTransport, firstPassPlainFrame } from './analysis/plain-frames';
import { PlainFrameFields, plainFilterCovers } from './analysis/plain-frame-fields';

export interface CaptureInfo {
  name: string;
  format: string;
  compressed: boolean;
  linkTypes: { linkType: number; name: string }[];
  packets: number;
  /** Bytes of the file (compressed size for gzip). */
  fileBytes: number;
  /** Sum of captured bytes of all frames. */
  dataBytes: number;
  firstTime: number | null;
  lastTime: number | null;
  warnings: CaptureWarning[];
}

export interface ListRow {
  number: number;
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
}

export interface TreeNode {
  field: string;
  label: string;
  value?: string;
  offset: number;
  length: number;
  /** 0 = the frame; other data sources (reassembled bytes) later. */
  source: number;
  generated?: boolean;
  hidden?: boolean;
  children?: TreeNode[];
}

/** Pseudo-fields tshark offers for columns (`-e _ws.col.Info`). */
const COLUMN_FIELDS: Record<string, (r: ListRow) => string> = {
  '_ws.col.No.': (r) => String(r.number),
  '_ws.col.Time': (r) => r.time,
  '_ws.col.Source': (r) => r.source,
  '_ws.col.Destination': (r) => r.destination,
  '_ws.col.Protocol': (r) => r.protocol,
  '_ws.col.Length': (r) => String(r.length),
  '_ws.col.Info': (r) => r.info,
  '_ws.col.def_src': (r) => r.source,
  '_ws.col.def_dst': (r) => r.destination,
};

export class UnknownFieldError extends Error {}

export interface SessionOptions extends OpenOptions {
  /**
   * Whether the first pass, list rows and header-only filters take their shortcuts for plain
   * Ethernet/IP/TCP-or-UDP frames (analysis/plain-frames.ts). On unless turned off: tests compare the two ways.
   */
  plainFrames?: boolean;
  /**
   * Which conversation tables the first pass gathers: every type's (the default), only the types listed, or
   * none (false). A command that shows none (the CLI's list, fields, tree) or one type (conv, endpoints) saves
   * the rest of that work; a table not gathered is gathered by a walk when asked for.
   */
  conversations?: boolean | readonly ConversationType[];
  /**
   * Runs the first pass while the capture is read, on each window's frames as they are indexed, instead of
   * reading the file a second time for it: for a browser's File each read of the file costs about a second
   * per 800 MB, and even a Node file's second read costs a tenth of the pass. For callers that need the
   * first pass anyway; `info` alone does not.
   */
  firstPassWhileReading?: boolean;
}

/**
 * Bytes of other frames loaded at once for the frames of one walk that complete reassembled PDUs; a longer
 * range is walked in parts, so memory stays bounded whatever the streams hold.
 */
const OTHER_FRAMES_BUDGET = 32 * 1024 * 1024;

/**
 * One open capture: the frame index plus the means to dissect any frame on demand. This is the facade the
 * CLI and the workers use; it holds no per-frame objects.
 */
export class CaptureSession {
  private readonly pinfo = new PacketInfo();
  private readonly tree = new ProtoTree();
  private readonly rec: FrameRecord = {
    number: 0,
    data: NO_BYTES,
    dataOffset: 0,
    dataLength: 0,
    origLen: 0,
    tsSecs: 0,
    tsNsecs: 0,
    relative: { secs: 0, nsecs: 0 },
    delta: { secs: 0, nsecs: 0 },
    linkType: 0,
    iface: 0,
  };
  /** Header fields of plain frames, for filters that read nothing else. */
  private readonly headerFields = new PlainFrameFields();
  private readonly relative = { secs: 0, nsecs: 0 };
  private readonly delta = { secs: 0, nsecs: 0 };
  /** Bytes of earlier frames that the frames being dissected need (TCP reassembly), by frame number. */
  private readonly others = new Map<number, Uint8Array>();

  /** The capture: its frame index and the source of its bytes (set by `open`). */
  capture!: Capture;
  /**
   * The index, interfaces and comments that frames are dissected with: the capture's, or while a first pass
   * runs during the reading, those read so far.
   */
  private frames!: CaptureSink;

  private constructor(
    readonly name: string,
    private readonly options: SessionOptions,
  ) {
    this.pinfo.otherFrame = (n) => this.others.get(n);
  }

  /**
   * Loads the bytes of the other frames that dissecting frames first..last will need (earlier segments of
   * the TCP PDUs completed there), dropping what an earlier walk loaded.
   */
  private async loadOthers(frames: readonly number[]): Promise<void> {
    this.others.clear();
    for (const n of frames) this.others.set(n, await frameBytes(this.capture, n));
  }

  /**
   * `forEachFrameSpan` for a later pass: frames that complete reassembled PDUs get the other frames they need,
   * loaded beforehand, a part of the range at a time (OTHER_FRAMES_BUDGET).
   */
  private async walkSpans(first: number, last: number, each: (n: number, buf: Uint8Array, at: number, length: number) => void): Promise<void> {
    last = Math.min(last, this.frameCount);
    try {
      if (tcpReassemblyOf(this.pinfo.state).pduTotal === 0) {
        await forEachFrameSpan(this.capture, first, last, each);
        return;
      }
      for (let a = Math.max(1, first); a <= last; ) {
        let b = last;
        let need = tcpReassemblyNeeds(this.pinfo.state, a, b);
        while (need.bytes > OTHER_FRAMES_BUDGET && b > a) {
          b = a + ((b - a) >> 1);
          need = tcpReassemblyNeeds(this.pinfo.state, a, b);
        }
        await this.loadOthers(need.frames);
        await forEachFrameSpan(this.capture, a, b, each);
        a = b + 1;
      }
    } finally {
      this.others.clear();
      this.releaseFrameBytes();
    }
  }

  /** After a walk: nothing may keep the walk's read buffers alive (the last frame's addresses and values point into them). */
  private releaseFrameBytes(): void {
    this.rec.data = NO_BYTES;
    this.pinfo.releaseFrame();
    this.tree.release();
    this.headerFields.release();
  }

  /** `walkSpans` with a view of each frame's own bytes. */
  private async walkFrames(first: number, last: number, each: (n: number, bytes: Uint8Array) => void): Promise<void> {
    if (tcpReassemblyOf(this.pinfo.state).pduTotal !== 0) return this.walkSpans(first, last, (n, buf, at, length) => each(n, buf.subarray(at, at + length)));
    try {
      await forEachFrameBytes(this.capture, first, last, each);
    } finally {
      this.releaseFrameBytes();
    }
  }

  /** The bytes of one frame, with the other frames its dissection needs loaded. */
  private async oneFrame(frame: number): Promise<Uint8Array> {
    await this.loadOthers(tcpReassemblyNeeds(this.pinfo.state, frame, frame).frames);
    return frameBytes(this.capture, frame);
  }

  static async open(source: ByteSource, options: SessionOptions = {}): Promise<CaptureSession> {
    registerProtocols();
    const session = new CaptureSession(source.name, options);
    if (!options.firstPassWhileReading) {
      session.capture = await openCapture(source, options);
      session.frames = session.capture;
      return session;
    }
    let passed = 0;
    const firstPassFrame = (n: number, buf: Uint8Array, at: number, length: number) => session.firstPassFrame(n, buf, at, length);
    try {
      session.capture = await openCapture(source, {
        ...options,
        onFrames: (sink, data, dataOffset, first, last) => {
          if (!session.pass) session.beginFirstPass(sink);
          handFrames(sink.index, first, last, data, dataOffset, firstPassFrame);
          passed = last;
        },
      });
      session.frames = session.capture;
      // Frames indexed without a window handed on (a reader that failed part-way through one) are read again.
      if (!session.pass) session.beginFirstPass(session.capture);
      await forEachFrameSpan(session.capture, passed + 1, session.frameCount, firstPassFrame);
    } finally {
      session.endFirstPass();
    }
    session.firstPassDone = Promise.resolve();
    return session;
  }

  private firstPassDone: Promise<void> | null = null;
  /** Frames the first pass took through its plain-frame shortcut (the rest went through `dissectFrame`). */
  plainFrameCount = 0;
  /** Conversations of every type over the whole capture, gathered during the first pass. */
  private traffic: ConversationCollector | null = null;
  /** While the first pass runs: the conversations it gathers, the taps' off switch, an empty field mask. */
  private pass: { traffic: ConversationCollector | null; stopTraffic: () => void; nothing: Uint8Array } | null = null;

  /**
   * Dissects every frame once, in order, so protocols can record cross-frame state (DESIGN.md §1). Runs once,
   * before the first dissection that needs it; `info` alone never pays for it.
   */
  ensureFirstPass(onProgress?: (frames: number) => void): Promise<void> {
    this.firstPassDone ??= (async () => {
      this.beginFirstPass(this.capture);
      try {
        // Spans, not a view per frame: this pass needs no standalone frame bytes.
        await forEachFrameSpan(this.capture, 1, this.frameCount, (n, buf, at, length) => {
          if (onProgress && (n & 0xffff) === 0) onProgress(n);
          this.firstPassFrame(n, buf, at, length);
        });
      } finally {
        this.endFirstPass();
      }
    })();
    return this.firstPassDone;
  }

  /** Sets the first pass up over `frames` (frame 1 indexed already: relative times start from it). */
  private beginFirstPass(frames: CaptureSink): void {
    this.frames = frames;
    const pinfo = this.pinfo;
    // Unknown while the capture is still being read: per-frame state then grows as frames come.
    pinfo.state.frameCount = this.options.firstPassWhileReading ? 0 : frames.index.count;
    pinfo.state.frameTimes = frames.index;
    pinfo.firstPass = true;
    pinfo.columns = false;
    // Conversation tables come with the first pass, at the cost of a hash update per address layer.
    const wanted = this.options.conversations;
    const types = wanted === false ? [] : wanted === true || wanted === undefined ? CONVERSATION_TYPES : wanted;
    const traffic = types.length === 0 ? null : new ConversationCollector(types, this.firstSecs, this.firstNsecs);
    this.pass = { traffic, stopTraffic: traffic ? traffic.attach(pinfo.taps) : () => {}, nothing: new Uint8Array(fieldCount()) };
  }

  /** The first pass over frame n, whose bytes are buf[at, at + length). */
  private firstPassFrame(n: number, buf: Uint8Array, at: number, length: number): void {
    const { index, interfaces } = this.frames;
    const pinfo = this.pinfo;
    const i = n - 1;
    const ifaceIndex = index.iface[i];
    const linkType = interfaces[ifaceIndex]?.linkType ?? 1;
    if (this.options.plainFrames !== false && firstPassPlainFrame(buf, at, length, index.origLen[i], n, index.tsSec[i], index.tsNsec[i], linkType, ifaceIndex, pinfo)) {
      this.plainFrameCount++;
      return;
    }
    this.tree.reset(false, this.pass!.nothing);
    pinfo.columns = false;
    dissectFrame(this.record(n, buf, at, length), pinfo, this.tree);
  }

  private endFirstPass(): void {
    const pass = this.pass;
    if (!pass) return;
    this.pass = null;
    this.pinfo.firstPass = false;
    pass.stopTraffic();
    this.releaseFrameBytes();
    this.pinfo.state.frameCount = this.frames.index.count;
    this.pinfo.state.endFirstPass();
    this.traffic = pass.traffic;
  }

  get frameCount(): number {
    return this.capture.index.count;
  }

  info(): CaptureInfo {
    const { index, interfaces } = this.capture;
    const seen = new Set<number>();
    const linkTypes: CaptureInfo['linkTypes'] = [];
    for (const i of interfaces) {
      if (seen.has(i.linkType)) continue;
      seen.add(i.linkType);
      linkTypes.push({ linkType: i.linkType, name: linkTypeName(i.linkType) });
    }
    let dataBytes = 0;
    let first: number | null = null;
    let last: number | null = null;
    for (let i = 0; i < index.count; i++) {
      dataBytes += index.capLen[i];
      const t = index.tsSec[i] + index.tsNsec[i] / 1e9;
      if (first === null || t < first) first = t;
      if (last === null || t > last) last = t;
    }
    return {
      name: this.name,
      format: this.capture.format,
      compressed: this.capture.compressed,
      linkTypes,
      packets: index.count,
      fileBytes: this.capture.fileSize,
      dataBytes,
      firstTime: first,
      lastTime: last,
      warnings: this.capture.warnings,
    };
  }

  /** Fills the reusable record for frame `n` from the index. */
  private record(n: number, bytes: Uint8Array, at = 0, length = bytes.length): FrameRecord {
    const { index, interfaces, comments } = this.frames;
    const i = n - 1;
    const r = this.rec;
    r.number = n;
    r.data = bytes;
    r.dataOffset = at;
    r.dataLength = length;
    r.origLen = index.origLen[i];
    r.tsSecs = index.tsSec[i];
    r.tsNsecs = index.tsNsec[i];
    setTimeDiff(this.relative, index.tsSec[i], index.tsNsec[i], index.tsSec[0], index.tsNsec[0]);
    if (i > 0) setTimeDiff(this.delta, index.tsSec[i], index.tsNsec[i], index.tsSec[i - 1], index.tsNsec[i - 1]);
    else setTimeDiff(this.delta, 0, 0, 0, 0);
    r.relative = this.relative;
    r.delta = this.delta;
    const iface = interfaces[index.iface[i]];
    r.iface = index.iface[i];
    r.linkType = iface ? iface.linkType : 1;
    r.ifaceName = iface?.name;
    r.comments = index.flags[i] & FRAME_HAS_COMMENT ? comments.get(n) : undefined;
    r.noTimestamp = (index.flags[i] & FRAME_NO_TIMESTAMP) !== 0;
    return r;
  }

  private row(rec: FrameRecord): ListRow {
    const p = this.pinfo;
    return {
      number: rec.number,
      time: formatRelativeTime(rec.relative, 6),
      source: p.sourceColumn(),
      destination: p.destinationColumn(),
      protocol: p.protocol,
      length: rec.origLen,
      info: p.info,
    };
  }

  /**
   * Summary rows (the packet list) for frames first..last, in order; with `selected` (bit k = frame
   * first + k, as `filter` returns it) only for the frames it marks, in the same one walk over the file.
   */
  async list(first: number, last: number, each: (row: ListRow, pinfo: Readonly<PacketInfo>) => void, selected?: Uint8Array | null): Promise<void> {
    await this.summaries(first, last, selected, (rec) => each(this.row(rec), this.pinfo));
  }

  /**
   * `list` written as text lines into `sink`, the way `fathom list` prints them (summary-line.ts), with no
   * row object or line string made per frame.
   */
  async listLines(first: number, last: number, sink: ByteSink, selected?: Uint8Array | null): Promise<void> {
    await this.summaries(first, last, selected, (rec) => writeSummaryLine(sink, rec.number, rec.relative, rec.origLen, this.pinfo));
  }

  /** Dissects frames first..last (those `selected` marks) for their columns, handing each one's record on. */
  private async summaries(first: number, last: number, selected: Uint8Array | null | undefined, each: (rec: FrameRecord) => void): Promise<void> {
    await this.ensureFirstPass();
    const wanted = new Uint8Array(fieldCount());
    const plain = this.options.plainFrames !== false;
    const pinfo = this.pinfo;
    const tree = this.tree;
    await this.walkSpans(first, last, (n, buf, at, length) => {
      if (selected && !isSelected(selected, n - first)) return;
      const rec = this.record(n, buf, at, length);
      tree.reset(false, wanted);
      pinfo.columns = true;
      if (!plain || !dissectPlainTransport(rec, pinfo, tree)) dissectFrame(rec, pinfo, tree);
      each(rec);
    });
  }

  /**
   * The values of the given fields for frames first..last, like `tshark -T fields -E occurrence=f`: the
   * first occurrence of each field, formatted as tshark prints it, '' where absent.
   */
  async fields(ids: string[], first: number, last: number, each: (frame: number, values: string[]) => void, selected?: Uint8Array | null): Promise<void> {
    const wanted = new Uint8Array(fieldCount());
    const infos: (FieldInfo | null)[] = ids.map((id) => {
      if (id in COLUMN_FIELDS) return null;
      const f = fieldById(id);
      if (!f) throw new UnknownFieldError(`Some fields aren't valid: ${id}`);
      wanted[f.index] = 1;
      return f;
    });
    const needRow = ids.some((id) => id in COLUMN_FIELDS);
    await this.ensureFirstPass();
    const out: string[] = new Array(ids.length).fill('');
    // Header fields of plain frames are read straight from the bytes, as a filter reading them would be.
    const plain = this.options.plainFrames !== false && !needRow && plainFilterCovers(wanted);
    const header = this.headerFields;
    const { index, interfaces } = this.capture;
    header.useIndex(index);
    await this.walkSpans(first, last, (n, buf, at, length) => {
      if (selected && !isSelected(selected, n - first)) return;
      const i = n - 1;
      const linkType = interfaces[index.iface[i]]?.linkType ?? 1;
      if (plain && header.accept(buf, at, length, index.origLen[i], n, linkType, this.pinfo.taps)) {
        for (let k = 0; k < ids.length; k++) {
          const f = infos[k]!;
          const v = header.firstValue(f);
          // A protocol's text is its name, as `fieldText` gives it for an item without a label.
          out[k] = v === undefined ? '' : v === null ? f.name : formatFieldValue(f, v);
        }
        each(n, out);
        return;
      }
      const bytes = buf.subarray(at, at + length);
      this.tree.reset(false, wanted);
      const rec = this.record(n, bytes);
      this.pinfo.columns = needRow;
      dissectFrame(rec, this.pinfo, this.tree);
      const row = needRow ? this.row(rec) : null;
      for (let k = 0; k < ids.length; k++) {
        const f = infos[k];
        if (f === null) {
          out[k] = COLUMN_FIELDS[ids[k]](row!);
          continue;
        }
        const at = this.tree.find(f);
        out[k] = at < 0 ? '' : fieldText(f, this.tree, at, bytes);
      }
      each(n, out);
    });
  }

  /**
   * The full detail tree of one frame, with its data sources: [0] is the frame's bytes, then the ones its
   * dissection added (reassembled datagrams); tree nodes' `source` indexes this list. The extra sources are
   * copies, so the caller may keep or transfer them.
   */
  async detail(frame: number): Promise<{ row: ListRow; tree: TreeNode[]; sources: DataSource[] }> {
    if (frame < 1 || frame > this.frameCount) throw new RangeError(`frame ${frame} is not in the capture (1–${this.frameCount})`);
    await this.ensureFirstPass();
    const bytes = await this.oneFrame(frame);
    const rec = this.record(frame, bytes);
    this.tree.reset(true);
    this.pinfo.columns = true;
    dissectFrame(rec, this.pinfo, this.tree);
    const sources: DataSource[] = [{ name: `Frame (${bytes.length} bytes)`, bytes }];
    for (const s of this.tree.sources) sources.push({ name: s.name, bytes: s.bytes.slice() });
    return { row: this.row(rec), tree: buildTree(this.tree), sources };
  }

  /**
   * Which of frames first..last a compiled display filter matches, as a bitset: bit k (byte k >> 3, bit
   * k & 7) is frame first + k. Dissection records only the fields the filter reads. `referenceFrame` is the
   * selected frame that `${field}` references read (none: references match nothing).
   */
  async filter(compiled: CompiledFilter, first: number, last: number, options: { referenceFrame?: number } = {}): Promise<Uint8Array> {
    return (await this.filterEach([compiled], first, last, options))[0];
  }

  /**
   * `filter` for several filters at once (coloring rules, tests): each frame is dissected once, recording
   * the fields any of them reads. Returns one bitset per filter.
   */
  async filterEach(filters: readonly CompiledFilter[], first: number, last: number, options: { referenceFrame?: number } = {}): Promise<Uint8Array[]> {
    last = Math.min(last, this.frameCount);
    first = Math.max(1, first);
    const count = Math.max(0, last - first + 1);
    const out = filters.map(() => new Uint8Array((count + 7) >> 3));
    if (count === 0) return out;
    await this.ensureFirstPass();
    for (const compiled of filters) {
      if (!compiled.references.length) continue;
      const ref = options.referenceFrame;
      if (ref !== undefined && ref >= 1 && ref <= this.frameCount) {
        const bytes = await this.oneFrame(ref);
        this.tree.reset(false, compiled.referenceMask());
        this.pinfo.columns = false;
        dissectFrame(this.record(ref, bytes), this.pinfo, this.tree);
        compiled.setReferenceFrame(this.tree, [bytes, ...this.tree.sources.map((s) => s.bytes)]);
      } else {
        compiled.setReferenceFrame(null);
      }
    }
    const active: number[] = [];
    let wanted: Uint8Array | null = null;
    filters.forEach((compiled, i) => {
      if (compiled.matchesAll) {
        for (let k = 0; k < count; k++) out[i][k >> 3] |= 1 << (k & 7);
        return;
      }
      active.push(i);
      if (!wanted) {
        wanted = compiled.wanted;
        return;
      }
      const w: Uint8Array = wanted;
      const union = new Uint8Array(Math.max(w.length, compiled.wanted.length));
      union.set(w);
      compiled.wanted.forEach((v, j) => {
        if (v) union[j] = 1;
      });
      wanted = union;
    });
    if (!active.length || !wanted) return out;
    const mask: Uint8Array = wanted;
    const sources: Uint8Array[] = [new Uint8Array(0)];
    // Filters that read only header fields test plain frames on those fields read straight from the bytes.
    const plain = this.options.plainFrames !== false && plainFilterCovers(mask);
    const header = this.headerFields;
    const { index, interfaces } = this.capture;
    header.useIndex(index);
    await this.walkSpans(first, last, (n, buf, at, length) => {
      const i = n - 1;
      const linkType = interfaces[index.iface[i]]?.linkType ?? 1;
      const k = n - first;
      if (plain && header.accept(buf, at, length, index.origLen[i], n, linkType, this.pinfo.taps)) {
        for (const f of active) if (filters[f].matchesHeader(header)) out[f][k >> 3] |= 1 << (k & 7);
        return;
      }
      const bytes = buf.subarray(at, at + length);
      this.tree.reset(false, mask);
      this.pinfo.columns = false;
      dissectFrame(this.record(n, bytes), this.pinfo, this.tree);
      sources[0] = bytes;
      // Reassembled data sources of this frame follow the frame's bytes, at the index tree items carry.
      if (sources.length !== 1) sources.length = 1;
      const extra = this.tree.sources;
      for (let e = 0; e < extra.length; e++) sources.push(extra[e].bytes);
      for (const i of active) if (filters[i].matches(this.tree, sources)) out[i][k >> 3] |= 1 << (k & 7);
    });
    return out;
  }

  /** Time of frame 1: relative times (conversation starts) are measured from it. */
  private get firstSecs(): number {
    return this.frames.index.count ? this.frames.index.tsSec[0] : 0;
  }

  private get firstNsecs(): number {
    return this.frames.index.count ? this.frames.index.tsNsec[0] : 0;
  }

  /**
   * Conversations of one type (Wireshark's Conversations window), over every frame or only the frames a
   * display filter keeps. Without a filter the tables come from the first pass and cost nothing more.
   */
  async conversations(type: ConversationType, filter?: CompiledFilter | null): Promise<Conversation[]> {
    return (await this.conversationTable(type, filter)).conversations();
  }

  /** Endpoints of one type (Wireshark's Endpoints window), likewise. */
  async endpoints(type: ConversationType, filter?: CompiledFilter | null): Promise<Endpoint[]> {
    return endpointsOf(await this.conversationTable(type, filter));
  }

  /**
   * The conversation table of a type: the first pass's, or one gathered from the frames a filter keeps.
   * Without a filter, when the first pass did not gather it, one walk gathers every type's and keeps them.
   */
  async conversationTable(type: ConversationType, filter?: CompiledFilter | null): Promise<ConversationTable> {
    await this.ensureFirstPass();
    const every = !filter || filter.matchesAll;
    const gathered = every ? this.traffic?.tables.get(type) : undefined;
    if (gathered) return gathered;
    const collector = new ConversationCollector(every ? CONVERSATION_TYPES : [type], this.firstSecs, this.firstNsecs);
    const stop = collector.attach(this.pinfo.taps, true);
    const mask = every ? new Uint8Array(fieldCount()) : filter.wanted;
    const sources: Uint8Array[] = [new Uint8Array(0)];
    if (!every && filter.references.length) filter.setReferenceFrame(null);
    try {
      // A frame's reports wait for its verdict: the filter can only be tested once the frame is dissected.
      await this.walkFrames(1, this.frameCount, (n, bytes) => {
        this.tree.reset(false, mask);
        this.pinfo.columns = false;
        collector.beginFrame();
        dissectFrame(this.record(n, bytes), this.pinfo, this.tree);
        sources[0] = bytes;
        sources.length = 1;
        for (const s of this.tree.sources) sources.push(s.bytes);
        collector.endFrame(every || filter.matches(this.tree, sources));
      });
    } finally {
      collector.endFrame(false);
      stop();
    }
    if (every) this.traffic = collector;
    return collector.tables.get(type)!;
  }

  /**
   * Follow Stream (tshark's `-z follow,tcp|udp,…,N`): the stream's chunks in order, planned from its frames
   * (which the first pass linked) and read again only when walked. An unknown stream gives no chunks.
   */
  async follow(proto: FollowProto, stream: number): Promise<FollowStream> {
    await this.ensureFirstPass();
    const udpRange = proto === 'udp' ? (await this.conversationTable('udp')).framesOfStream(stream) : null;
    const where = streamFrames(this.pinfo.state, proto, stream, udpRange);
    let follower = await this.followFrames(proto, stream, where ? where.frames : new Uint32Array(0));
    if (where && follower.missed) {
      // A frame of the linked list did not carry the stream (nested transports link by their outer layer):
      // take every frame between the stream's first and last instead.
      const all = new Uint32Array(where.last - where.first + 1);
      for (let i = 0; i < all.length; i++) all[i] = where.first + i;
      follower = await this.followFrames(proto, stream, all);
    }
    const redissect = (frame: number, bytes: Uint8Array, ordinal: number): Uint8Array => {
      let found: Uint8Array = new Uint8Array(0);
      let n = 0;
      const stop = this.pinfo.taps.on<PayloadTapRecord>(`${proto}.follow`, (r) => {
        if (n++ === ordinal) found = r.payload.data.slice(r.payload.start, r.payload.start + r.payload.length);
      });
      try {
        this.tree.reset(false, new Uint8Array(fieldCount()));
        this.pinfo.columns = false;
        dissectFrame(this.record(frame, bytes), this.pinfo, this.tree);
      } finally {
        stop();
      }
      return found;
    };
    return new FollowStream(follower.follower.finish(), follower.follower.chunks, this.capture, redissect);
  }

  private async followFrames(proto: FollowProto, stream: number, frames: Uint32Array): Promise<{ follower: StreamFollower; missed: boolean }> {
    const follower = new StreamFollower(proto, stream);
    const nothing = new Uint8Array(fieldCount());
    let missed = false;
    const stop = follower.attach(this.pinfo.taps);
    try {
      await forEachListedFrame(this.capture, frames, (n, bytes) => {
        this.tree.reset(false, nothing);
        this.pinfo.columns = false;
        follower.beginFrame();
        dissectFrame(this.record(n, bytes), this.pinfo, this.tree);
        if (!follower.endFrame(this.pinfo)) missed = true;
      });
    } finally {
      stop();
    }
    return { follower, missed };
  }
}

/** Bit k of a frame bitset (byte k >> 3, bit k & 7). */
function isSelected(bits: Uint8Array, k: number): boolean {
  return ((bits[k >> 3] >> (k & 7)) & 1) === 1;
}

/**
 * A field's text as `tshark -T fields` prints it. Items without a value print what tshark does: FT_NONE the
 * hex of the bytes they cover (or 1 when they cover none), a protocol its summary line.
 */
function fieldText(f: FieldInfo, t: ProtoTree, at: number, frame: Uint8Array): string {
  const v = t.values[at];
  if (v !== null && v !== undefined) return formatFieldValue(f, v);
  if (f.type === 'none') {
    const off = t.offset[at];
    const len = t.length[at];
    return len > 0 && t.source[at] === 0 && off + len <= frame.length ? formatFieldValue({ ...f, type: 'bytes' }, frame.subarray(off, off + len)) : '1';
  }
  if (f.type === 'protocol') return t.labels[at] ?? f.name;
  return '';
}

/** Turns the flat tree into nested nodes with labels. */
export function buildTree(t: ProtoTree): TreeNode[] {
  const nodes: TreeNode[] = [];
  const roots: TreeNode[] = [];
  for (let i = 0; i < t.count; i++) {
    const f = fieldByIndex(t.fieldIdx[i]);
    const v: FieldValue = t.values[i];
    const flags = t.flags[i];
    let label = t.labels[i] ?? defaultLabel(f, v);
    // Generated items (not from packet bytes) are shown in brackets, as Wireshark does.
    if (flags & ITEM_GENERATED && !label.startsWith('[')) label = `[${label}]`;
    const node: TreeNode = { field: f.id, label, offset: t.offset[i], length: t.length[i], source: t.source[i] };
    if (v !== null && v !== undefined) node.value = formatFieldValue(f, v);
    if (flags & ITEM_GENERATED) node.generated = true;
    if (flags & ITEM_HIDDEN) node.hidden = true;
    nodes.push(node);
    const p = t.parent[i];
    if (p < 0) roots.push(node);
    else (nodes[p].children ??= []).push(node);
  }
  return roots;
}
