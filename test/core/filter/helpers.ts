import { registerProtocols, dissectFrame } from '../../../src/core/protocols/index';
import { PacketInfo } from '../../../src/core/dissect/packet-info';
import { ProtoTree, type FieldValue } from '../../../src/core/dissect/proto-tree';
import { ByteView } from '../../../src/core/dissect/byte-view';
import { defineFields, type FieldInfo } from '../../../src/core/dissect/field-registry';
import { LinkType } from '../../../src/core/capture/link-types';
import { compileFilter, FilterError, type CompiledFilter } from '../../../src/core/filter/index';

/**
 * Helpers for the display-filter tests: run a filter over hand-made frames the way the session does (first
 * pass, then fields-mode dissection with only the filter's fields), or over a hand-built proto tree for
 * field types no dissector produces yet.
 */

registerProtocols();

export function compile(text: string): CompiledFilter {
  return compileFilter(text);
}

/** The error a filter gives ({message, start, end}), or null if it compiles. */
export function errorOf(text: string): { message: string; start: number; end: number; hint?: string } | null {
  try {
    compileFilter(text);
    return null;
  } catch (e) {
    if (e instanceof FilterError) return { message: e.message, start: e.start, end: e.end, hint: e.hint };
    throw e;
  }
}

/** Numbers (1-based) of the frames a filter matches, dissecting like CaptureSession.filter. */
export function matchingFrames(filter: string | CompiledFilter, frames: Uint8Array[], linkType: number = LinkType.ETHERNET): number[] {
  const c = typeof filter === 'string' ? compileFilter(filter) : filter;
  const pinfo = new PacketInfo();
  const tree = new ProtoTree();
  const rec = (n: number, data: Uint8Array) => ({
    number: n,
    data,
    origLen: data.length,
    tsSecs: 1700000000 + n,
    tsNsecs: 0,
    relative: { secs: n - 1, nsecs: 0 },
    delta: { secs: n > 1 ? 1 : 0, nsecs: 0 },
    linkType,
    iface: 0,
  });
  pinfo.firstPass = true;
  frames.forEach((b, i) => {
    tree.reset(false, new Uint8Array(0));
    dissectFrame(rec(i + 1, b), pinfo, tree);
  });
  pinfo.firstPass = false;
  const out: number[] = [];
  frames.forEach((b, i) => {
    tree.reset(false, c.wanted);
    dissectFrame(rec(i + 1, b), pinfo, tree);
    if (c.matches(tree, [b])) out.push(i + 1);
  });
  return out;
}

export function matchesFrame(filter: string, frame: Uint8Array): boolean {
  return matchingFrames(filter, [frame]).length === 1;
}

// ---- hand-made packets ----------------------------------------------------------------------------------

export function ip4(text: string): number[] {
  return text.split('.').map(Number);
}

function checksum(b: number[]): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

export interface Ipv4Options {
  src?: string;
  dst?: string;
  ttl?: number;
  proto?: number;
  id?: number;
  flags?: number;
  payload?: number[];
}

/** An IPv4 header + payload (RFC 791), with a correct checksum. */
export function ipv4(o: Ipv4Options = {}): number[] {
  const payload = o.payload ?? [0xde, 0xad, 0xbe, 0xef];
  const total = 20 + payload.length;
  const h = [0x45, 0, total >> 8, total & 255, (o.id ?? 0x1234) >> 8, (o.id ?? 0x1234) & 255, (o.flags ?? 0x40), 0, o.ttl ?? 64, o.proto ?? 253, 0, 0, ...ip4(o.src ?? '10.0.0.1'), ...ip4(o.dst ?? '192.168.1.2')];
  const c = checksum(h);
  h[10] = c >> 8;
  h[11] = c & 255;
  return [...h, ...payload];
}

export const MAC_A = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];
export const MAC_B = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

/** An Ethernet II frame (IEEE 802.3 / DIX). */
export function ether(payload: number[], type = 0x0800, dst = MAC_B, src = MAC_A): Uint8Array {
  return Uint8Array.from([...dst, ...src, type >> 8, type & 255, ...payload]);
}

// ---- hand-built trees -----------------------------------------------------------------------------------

/** Fields of every type, for evaluating filters on trees no dissector produces yet. */
export const T = defineFields('fltest', {
  proto: { id: 'fltest', name: 'Filter test protocol', type: 'protocol' },
  u8: { id: 'fltest.u8', name: 'u8', type: 'uint8', base: 'dec', vals: { 1: 'One', 2: 'Two', 8: 'Echo (ping) request' } },
  u16: { id: 'fltest.u16', name: 'u16', type: 'uint16', base: 'hex' },
  u32: { id: 'fltest.u32', name: 'u32', type: 'uint32', base: 'dec' },
  u64: { id: 'fltest.u64', name: 'u64', type: 'uint64', base: 'dec' },
  i32: { id: 'fltest.i32', name: 'i32', type: 'int32', base: 'dec' },
  i64: { id: 'fltest.i64', name: 'i64', type: 'int64', base: 'dec' },
  bool: { id: 'fltest.bool', name: 'flag', type: 'boolean', base: 8, mask: 0x02, tfs: ['Set', 'Not set'] },
  dbl: { id: 'fltest.double', name: 'double', type: 'double' },
  str: { id: 'fltest.str', name: 'string', type: 'string' },
  str2: { id: 'fltest.str2', name: 'string 2', type: 'string' },
  bytes: { id: 'fltest.bytes', name: 'bytes', type: 'bytes' },
  eth: { id: 'fltest.ether', name: 'ether', type: 'ether' },
  v4: { id: 'fltest.ipv4', name: 'ipv4', type: 'ipv4' },
  v6: { id: 'fltest.ipv6', name: 'ipv6', type: 'ipv6' },
  v6b: { id: 'fltest.ipv6b', name: 'ipv6 b', type: 'ipv6' },
  abs: { id: 'fltest.abs', name: 'absolute time', type: 'absolute_time', base: 'utc' },
  rel: { id: 'fltest.rel', name: 'relative time', type: 'relative_time' },
  label: { id: 'fltest.label', name: 'label', type: 'none' },
});

export type Item = [FieldInfo, FieldValue] | [FieldInfo, FieldValue, number, number];

/** A tree holding the given items (offset/length default to 0/0) over `bytes`, all at the top level. */
export function treeOf(items: Item[], bytes: Uint8Array = new Uint8Array(64)): { tree: ProtoTree; bytes: Uint8Array } {
  const tree = new ProtoTree();
  tree.reset(false, null);
  const view = ByteView.ofFrame(bytes, bytes.length);
  for (const [f, v, off = 0, len = 0] of items) tree.add(f, view, off, len, v);
  return { tree, bytes };
}

/** Whether a filter matches a hand-built tree. */
export function matchesTree(filter: string, items: Item[], bytes?: Uint8Array): boolean {
  const c = compileFilter(filter);
  const { tree, bytes: b } = treeOf(items, bytes);
  return c.matches(tree, [b]);
}

export function v6(text: string): Uint8Array {
  const parts = text.split('::');
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length > 1 && parts[1] ? parts[1].split(':') : [];
  const groups = [...head, ...new Array(8 - head.length - tail.length).fill('0'), ...tail].map((g) => parseInt(g, 16));
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 255;
  });
  return out;
}

export function mac(text: string): Uint8Array {
  return Uint8Array.from(text.split(':').map((h) => parseInt(h, 16)));
}

export function ipNum(text: string): number {
  const p = ip4(text);
  return ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
}
