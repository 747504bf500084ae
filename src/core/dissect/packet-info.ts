import type { ByteView } from './byte-view';
import { formatEtherAt, formatIPv4, formatIPv6At } from './format';
import { CaptureState } from './capture-state';
import { Taps } from './taps';
import { ColumnText } from './column-text';

/** Address kinds a layer can set as the packet's source or destination (Wireshark's AT_* types). */
export const enum AddrKind {
  None = 0,
  Ether = 1,
  IPv4 = 2,
  IPv6 = 3,
  Text = 4,
}

/** An address held as a position in the packet bytes, formatted only when a column is shown. */
export class AddressRef {
  kind = AddrKind.None;
  data: Uint8Array = EMPTY;
  at = 0;
  text = '';

  set(kind: AddrKind, view: ByteView, offset: number): void {
    this.kind = kind;
    this.data = view.data;
    this.at = view.start + offset;
  }

  /** `set` with the address's position in `data` itself. */
  setAt(kind: AddrKind, data: Uint8Array, at: number): void {
    this.kind = kind;
    this.data = data;
    this.at = at;
  }

  setText(text: string): void {
    this.kind = AddrKind.Text;
    this.text = text;
  }

  clear(): void {
    this.kind = AddrKind.None;
  }

  /** Clears it and lets go of the bytes it pointed into (a pass's read buffer must not outlive the pass). */
  release(): void {
    this.kind = AddrKind.None;
    this.data = EMPTY;
  }

  toString(): string {
    const d = this.data;
    const i = this.at;
    switch (this.kind) {
      case AddrKind.Ether:
        return formatEtherAt(d, i);
      case AddrKind.IPv4:
        return ipv4Text(d, i);
      case AddrKind.IPv6:
        return ipv6Text(d, i);
      case AddrKind.Text:
        return this.text;
      default:
        return '';
    }
  }
}

const EMPTY = new Uint8Array(0);

/*
 * Address text for the Source/Destination columns, remembered: a packet list shows the same hosts over and
 * over, and IPv6 text in particular is costly to make. Each cache is direct-mapped — one slot per hash of
 * the address bytes (read as 32-bit words), a new address overwrites the slot — and its texts start empty
 * (no address formats to ''), which marks a slot never filled.
 */
const TEXT_CACHE_BITS = 10;
const ipv4Keys = new Int32Array(1 << TEXT_CACHE_BITS);
const ipv4Texts: string[] = new Array<string>(1 << TEXT_CACHE_BITS).fill('');
const ipv6Keys = new Int32Array(4 << TEXT_CACHE_BITS);
const ipv6Texts: string[] = new Array<string>(1 << TEXT_CACHE_BITS).fill('');

function word32(d: Uint8Array, i: number): number {
  return (d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3];
}

/** Multiplicative hashing (Knuth): the top bits of the product pick the slot. */
function slotOf(h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> (32 - TEXT_CACHE_BITS);
}

function ipv4Text(d: Uint8Array, i: number): string {
  const v = word32(d, i);
  const slot = slotOf(v);
  const cached = ipv4Texts[slot];
  if (cached !== '' && ipv4Keys[slot] === v) return cached;
  const text = formatIPv4(v >>> 0);
  ipv4Keys[slot] = v;
  ipv4Texts[slot] = text;
  return text;
}

function ipv6Text(d: Uint8Array, i: number): string {
  const w0 = word32(d, i);
  const w1 = word32(d, i + 4);
  const w2 = word32(d, i + 8);
  const w3 = word32(d, i + 12);
  const slot = slotOf(w0 ^ Math.imul(w1, 31) ^ Math.imul(w2, 961) ^ Math.imul(w3, 29791));
  const k = slot * 4;
  const cached = ipv6Texts[slot];
  if (cached !== '' && ipv6Keys[k] === w0 && ipv6Keys[k + 1] === w1 && ipv6Keys[k + 2] === w2 && ipv6Keys[k + 3] === w3) return cached;
  const text = formatIPv6At(d, i);
  ipv6Keys[k] = w0;
  ipv6Keys[k + 1] = w1;
  ipv6Keys[k + 2] = w2;
  ipv6Keys[k + 3] = w3;
  ipv6Texts[slot] = text;
  return text;
}

/** Port types, for conversations and the transport layer's handoff. */
export const enum PortType {
  None = 0,
  TCP = 1,
  UDP = 2,
  SCTP = 3,
}

/**
 * Per-frame dissection state shared by the layers (Wireshark's packet_info): columns, addresses, ports,
 * the protocol stack. One object is reused for every frame.
 */
export class PacketInfo {
  /**
   * True while the session's first pass dissects every frame once, in order: protocols record into `state`
   * then; afterwards they only read it (frames may then be dissected in any order, any number of times).
   */
  firstPass = false;
  /**
   * Whether the Protocol/Info/Source/Destination columns will be read for this frame (list rows, the detail
   * pane, `_ws.col.*` fields). When false (the first pass, filters, conversations) the Info methods below do
   * nothing, and protocols skip building the text they would pass to them: the arguments of a call are
   * evaluated before the call, so a hot protocol guards the call site with `if (pinfo.columns)`.
   * Set by the session per frame; true for a fresh PacketInfo (tests read the columns).
   */
  columns = true;
  /** Capture-wide protocol state (conversations, request/response links), kept across frames. */
  state = new CaptureState();
  /** Listeners for statistics and views (conversations, follow): see taps.ts. Kept across frames. */
  readonly taps = new Taps();
  frame = 0;
  /** Captured and on-the-wire length of the frame. */
  capLen = 0;
  len = 0;
  tsSecs = 0;
  tsNsecs = 0;
  linkType = 0;
  iface = 0;
  /** Protocol column. */
  protocol = '';
  /** Info column, as bytes (see column-text.ts); `info` gives it as a string. */
  readonly infoText = new ColumnText();
  /** Bytes of Info before this point are kept when a later layer sets Info (Wireshark's column fence). */
  private fence = 0;
  /** Data-link and network addresses; Source/Destination columns show the network ones when present. */
  readonly dlSrc = new AddressRef();
  readonly dlDst = new AddressRef();
  readonly netSrc = new AddressRef();
  readonly netDst = new AddressRef();
  portType = PortType.None;
  srcPort = 0;
  dstPort = 0;
  /** The chain of protocols, as `frame.protocols` shows it: eth:ethertype:ip:tcp. */
  readonly layers: string[] = [];
  /** Highest expert severity in the frame (0 if none). */
  expertSeverity = 0;
  malformed = false;
  /** IP protocol number of the innermost IP header, and whether it was a fragment not reassembled. */
  ipProto = -1;
  fragmented = false;
  /**
   * Set while dissecting the packet quoted inside an ICMP error: its layers add tree items but must not
   * change the columns or the frame's addresses (Wireshark makes the columns unwritable then).
   */
  inErrorPacket = false;
  /**
   * Hand-off from the innermost IPv6 header to the transport above it: the addresses of the checksum
   * pseudo-header (RFC 8200 §8.1 — the final destination when a routing header is present, the home address
   * when a Home Address option is, RFC 6275 §6.3) and the hop limit. Set by ipv6 (kind None otherwise); ICMPv6
   * reads them to verify its checksum and to show "hop limit=" in Info.
   */
  readonly pseudoSrc = new AddressRef();
  readonly pseudoDst = new AddressRef();
  hopLimit = -1;
  /** The key that selected the current dissector from a table (port, ethertype …). */
  matchKey = 0;
  /** How many times each protocol has been seen in this frame so far (for `ip.src#2` style layers). */
  readonly depthOf = new Map<string, number>();
  /**
   * Reassembly requests (Wireshark's can_desegment / desegment_offset / desegment_len): TCP sets
   * `canDesegment` while it hands on a payload it can reassemble; a protocol whose PDU runs past the payload
   * calls `desegment` instead of dissecting the partial PDU (see dissect/pdus.ts).
   */
  canDesegment = false;
  desegmentOffset = -1;
  desegmentLength = 0;
  /**
   * Bytes of another frame, for a dissection that puts together data from several frames (TCP reassembly in
   * a later pass). Whoever drives the dissection makes the frames it will need available first (the session
   * asks tcp-reassembly.ts which); null when nothing is.
   */
  otherFrame: ((frame: number) => Uint8Array | undefined) | null = null;

  reset(frame: number, capLen: number, len: number, tsSecs: number, tsNsecs: number, linkType: number, iface: number): void {
    this.frame = frame;
    this.capLen = capLen;
    this.len = len;
    this.tsSecs = tsSecs;
    this.tsNsecs = tsNsecs;
    this.linkType = linkType;
    this.iface = iface;
    this.protocol = '';
    this.infoText.clear();
    this.fence = 0;
    this.dlSrc.clear();
    this.dlDst.clear();
    this.netSrc.clear();
    this.netDst.clear();
    this.portType = PortType.None;
    this.srcPort = 0;
    this.dstPort = 0;
    // Emptied by popping: `length = 0` would drop the array's storage, and every frame would allocate it anew.
    const layers = this.layers;
    while (layers.length !== 0) layers.pop();
    this.expertSeverity = 0;
    this.malformed = false;
    this.ipProto = -1;
    this.fragmented = false;
    this.matchKey = 0;
    this.inErrorPacket = false;
    this.pseudoSrc.clear();
    this.pseudoDst.clear();
    this.hopLimit = -1;
    // Map.clear allocates a fresh table even when the map is empty: most frames never use it.
    if (this.depthOf.size !== 0) this.depthOf.clear();
  }

  /**
   * "The PDU that starts `offset` bytes into the payload I was given needs `more` bytes beyond its end"
   * (DESEGMENT_ONE_MORE_SEGMENT when the length is not known yet). Only meaningful while `canDesegment`.
   */
  desegment(offset: number, more: number): void {
    this.desegmentOffset = offset;
    this.desegmentLength = more;
  }

  /**
   * Lets go of every reference into the last frame's bytes (addresses point into the buffer a pass read), so
   * the buffer can be freed once the pass is over; the next `reset` starts afresh anyway.
   */
  releaseFrame(): void {
    for (const a of [this.dlSrc, this.dlDst, this.netSrc, this.netDst, this.pseudoSrc, this.pseudoDst]) a.release();
  }

  setProtocol(name: string): void {
    if (this.inErrorPacket) return;
    this.protocol = name;
  }

  /** The Info column. */
  get info(): string {
    return this.infoText.toString();
  }

  /**
   * The Info text for a layer to append to, or null when Info is not being written (columns not wanted, or
   * inside a packet an ICMP error quotes). Hot protocols append numbers to it without making strings.
   */
  infoSink(): ColumnText | null {
    return this.inErrorPacket || !this.columns ? null : this.infoText;
  }

  /** Replaces the Info text after the fence. */
  setInfo(text: string): void {
    if (this.inErrorPacket || !this.columns) return;
    this.infoText.truncate(this.fence);
    this.infoText.append(text);
  }

  /** Empties Info after the fence and returns it for appending (null as for `infoSink`). */
  resetInfo(): ColumnText | null {
    if (this.inErrorPacket || !this.columns) return null;
    this.infoText.truncate(this.fence);
    return this.infoText;
  }

  appendInfo(text: string): void {
    if (this.inErrorPacket || !this.columns) return;
    this.infoText.append(text);
  }

  /** Appends with a separator unless Info (after the fence) is empty — Wireshark's col_append_sep_str. */
  appendInfoSep(sep: string, text: string): void {
    if (this.inErrorPacket || !this.columns) return;
    if (this.infoText.length > this.fence) this.infoText.append(sep);
    this.infoText.append(text);
  }

  prependInfo(text: string): void {
    if (this.inErrorPacket || !this.columns) return;
    this.infoText.insert(this.fence, text);
  }

  /**
   * Puts text at the very start of Info and moves the fence past it, so a later layer that sets Info keeps
   * it (Wireshark's col_prepend_fence_fstr: "[TCP Retransmission] " stays before an application's Info).
   */
  prependInfoFenced(text: string): void {
    if (this.inErrorPacket || !this.columns) return;
    this.fence += this.infoText.insert(0, text);
  }

  /** Keeps what Info holds now; later layers append after it (used by tunnels and ICMP errors). */
  setInfoFence(): void {
    this.fence = this.infoText.length;
  }

  clearInfoFence(): void {
    this.fence = 0;
  }

  noteExpert(severity: number): void {
    if (severity > this.expertSeverity) this.expertSeverity = severity;
  }

  /** Source column: the network address if a network layer set one, else the link-layer one. */
  sourceColumn(): string {
    return this.netSrc.kind !== AddrKind.None ? this.netSrc.toString() : this.dlSrc.toString();
  }

  destinationColumn(): string {
    return this.netDst.kind !== AddrKind.None ? this.netDst.toString() : this.dlDst.toString();
  }
}
