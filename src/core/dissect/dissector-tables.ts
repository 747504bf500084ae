import type { ByteView } from './byte-view';
import type { PacketInfo } from './packet-info';
import type { ProtoTree } from './proto-tree';

/**
 * A dissector decodes `view` (its protocol's bytes onward) into the tree and the packet's columns. It may
 * return how many bytes its protocol occupies, so the layer below can tell payload from trailer (Wireshark
 * does this by shrinking the tvbuff's reported length).
 */
export type Dissector = (view: ByteView, pinfo: PacketInfo, tree: ProtoTree) => number | void;
/** A heuristic dissector returns false, having added nothing, when the bytes are not its protocol. */
export type HeuristicDissector = (view: ByteView, pinfo: PacketInfo, tree: ProtoTree) => boolean;

export interface DissectorHandle {
  /** Protocol abbreviation, pushed onto `frame.protocols` when the handle is called. */
  readonly abbrev: string;
  readonly dissect: Dissector;
}

/** A table from a number (ethertype, IP protocol, port, link type …) to the dissector for it. */
export class DissectorTable {
  private readonly map = new Map<number, DissectorHandle>();
  /**
   * The per-frame lookups (every layer does one or two) go through a dense index instead of the map: keys
   * 0..65535 (link types, ethertypes, IP protocols, ports) index `slots`, whose non-zero entries point into
   * `handles`. A typed-array read costs far less than a Map probe. Other keys are looked up in the map.
   */
  private slots = new Uint16Array(0);
  private readonly handles: (DissectorHandle | undefined)[] = [undefined];
  constructor(
    readonly name: string,
    readonly description: string,
  ) {}

  add(key: number, handle: DissectorHandle): void {
    this.map.set(key, handle);
    if (!Number.isInteger(key) || key < 0 || key > 0xffff) return;
    if (key >= this.slots.length) {
      // Grown to the next power of two, so registering ascending keys does not copy for each one.
      let size = Math.max(16, this.slots.length);
      while (size <= key) size *= 2;
      const grown = new Uint16Array(Math.min(size, 0x10000));
      grown.set(this.slots);
      this.slots = grown;
    }
    let slot = this.handles.indexOf(handle);
    if (slot <= 0) {
      slot = this.handles.length;
      this.handles.push(handle);
    }
    this.slots[key] = slot;
  }

  get(key: number): DissectorHandle | undefined {
    if (key >= 0 && key <= 0xffff && (key | 0) === key) {
      // Keys in this range are all in `slots` (those beyond its end were never added).
      return key < this.slots.length ? this.handles[this.slots[key]] : undefined;
    }
    return this.map.get(key);
  }

  /**
   * Calls the dissector registered for `key`. Returns -1 when there is none or it rejected the bytes
   * (returned 0, as a Wireshark "new-style" dissector does), else the bytes it used.
   */
  tryDissect(key: number, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
    const h = this.get(key);
    if (h === undefined) return -1;
    pinfo.matchKey = key;
    const used = callDissector(h, view, pinfo, tree);
    return used === 0 ? -1 : used;
  }

  keys(): number[] {
    return [...this.map.keys()];
  }
}

export class HeuristicList {
  private readonly list: { abbrev: string; dissect: HeuristicDissector }[] = [];
  constructor(readonly name: string) {}
  get size(): number {
    return this.list.length;
  }
  add(abbrev: string, dissect: HeuristicDissector): void {
    this.list.push({ abbrev, dissect });
  }
  tryDissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): boolean {
    for (const h of this.list) {
      const mark = pinfo.layers.length;
      pinfo.layers.push(h.abbrev);
      if (h.dissect(view, pinfo, tree)) return true;
      pinfo.layers.length = mark;
    }
    return false;
  }
}

/**
 * Calls a dissector, recording its protocol in the frame's protocol chain; returns the bytes it used.
 * A dissector that returns 0 rejected the bytes: its protocol is taken off the chain again.
 */
export function callDissector(h: DissectorHandle, view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const mark = pinfo.layers.length;
  pinfo.layers.push(h.abbrev);
  const used = h.dissect(view, pinfo, tree);
  if (used === 0) pinfo.layers.length = mark;
  return typeof used === 'number' ? used : view.length;
}

const named = new Map<string, DissectorHandle>();

/** Registers a dissector by name, for protocols that call it directly (Wireshark's register_dissector). */
export function registerDissector(name: string, handle: DissectorHandle): void {
  named.set(name, handle);
}

/** Finds a dissector registered by name (Wireshark's find_dissector); undefined if that protocol is absent. */
export function findDissector(name: string): DissectorHandle | undefined {
  return named.get(name);
}

/** The tables protocols meet through (Wireshark's names). */
export const tables = {
  /** pcap LINKTYPE_ value → link-layer dissector. */
  linkType: new DissectorTable('wtap_encap', 'Link type'),
  ethertype: new DissectorTable('ethertype', 'Ethertype'),
  ipProto: new DissectorTable('ip.proto', 'IP protocol'),
  tcpPort: new DissectorTable('tcp.port', 'TCP port'),
  udpPort: new DissectorTable('udp.port', 'UDP port'),
  pppProtocol: new DissectorTable('ppp.protocol', 'PPP protocol'),
  greProto: new DissectorTable('gre.proto', 'GRE protocol type'),
  llcDsap: new DissectorTable('llc.dsap', 'LLC SAP'),
  /** Linux SLL protocol field for non-ethertype values (e.g. 0x0004 → 802.2 LLC). */
  sllLtype: new DissectorTable('sll.ltype', 'Linux SLL protocol type'),
  /** BSD loopback address family. */
  nullFamily: new DissectorTable('null.type', 'BSD AF_ value'),
};

export const heuristics = {
  tcp: new HeuristicList('tcp'),
  udp: new HeuristicList('udp'),
};
