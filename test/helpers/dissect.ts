import { registerProtocols, dissectFrame } from '../../src/core/protocols/index';
import { PacketInfo } from '../../src/core/dissect/packet-info';
import { ProtoTree } from '../../src/core/dissect/proto-tree';
import { buildTree, type TreeNode } from '../../src/core/session';
import { LinkType } from '../../src/core/capture/link-types';

/** Hex text ("00 11 22", "001122", with newlines or # comments) to bytes. */
export function hexBytes(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2) throw new Error('odd number of hex digits');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export interface Dissected {
  pinfo: PacketInfo;
  tree: TreeNode[];
  /** Every node, depth first (hidden ones included). */
  all: TreeNode[];
  /** The first node with this field id (throws if absent). */
  get(field: string): TreeNode;
  /** All nodes with this field id. */
  every(field: string): TreeNode[];
  has(field: string): boolean;
  /** The formatted value (as tshark -T fields prints it) of the first occurrence. */
  value(field: string): string | undefined;
  protocols: string;
  protocol: string;
  info: string;
  source: string;
  destination: string;
}

/** Dissects one frame's bytes with the full tree, as the detail pane would. */
export function dissectBytes(bytes: Uint8Array, linkType: number = LinkType.ETHERNET, opts: { origLen?: number; frame?: number } = {}): Dissected {
  registerProtocols();
  return dissectOne(new PacketInfo(), bytes, linkType, opts.frame ?? 1, opts.origLen ?? bytes.length, 0);
}

/**
 * Dissects a sequence of frames the way a session does: a first pass over all of them in order (protocols
 * record cross-frame state), then each frame again with the full tree. Frame i+1 is stamped i × 1 ms.
 */
export function dissectSequence(frames: Uint8Array[], linkType: number = LinkType.ETHERNET, prepare?: (pinfo: PacketInfo) => void): Dissected[] {
  registerProtocols();
  const pinfo = new PacketInfo();
  prepare?.(pinfo);
  pinfo.state.frameCount = frames.length;
  // Later dissections may put together bytes of several frames (TCP reassembly): all are at hand here.
  pinfo.otherFrame = (n) => frames[n - 1];
  pinfo.firstPass = true;
  frames.forEach((b, i) => dissectOne(pinfo, b, linkType, i + 1, b.length, i));
  pinfo.firstPass = false;
  pinfo.state.endFirstPass();
  return frames.map((b, i) => dissectOne(pinfo, b, linkType, i + 1, b.length, i));
}

function dissectOne(pinfo: PacketInfo, bytes: Uint8Array, linkType: number, frame: number, origLen: number, ms: number): Dissected {
  const t = new ProtoTree();
  t.reset(true);
  dissectFrame(
    {
      number: frame,
      data: bytes,
      origLen,
      tsSecs: 1700000000,
      tsNsecs: ms * 1_000_000,
      relative: { secs: 0, nsecs: ms * 1_000_000 },
      delta: { secs: 0, nsecs: ms ? 1_000_000 : 0 },
      linkType,
      iface: 0,
    },
    pinfo,
    t,
  );
  const tree = buildTree(t);
  const all: TreeNode[] = [];
  const walk = (ns: TreeNode[]) => {
    for (const n of ns) {
      all.push(n);
      if (n.children) walk(n.children);
    }
  };
  walk(tree);
  const every = (f: string) => all.filter((n) => n.field === f);
  return {
    pinfo,
    tree,
    all,
    every,
    get(f) {
      const n = all.find((x) => x.field === f);
      if (!n) throw new Error(`no ${f} in tree: ${[...new Set(all.map((x) => x.field))].join(' ')}`);
      return n;
    },
    has: (f) => all.some((x) => x.field === f),
    value: (f) => all.find((x) => x.field === f)?.value,
    protocols: String(all.find((x) => x.field === 'frame.protocols')?.value ?? ''),
    protocol: pinfo.protocol,
    info: pinfo.info,
    source: pinfo.sourceColumn(),
    destination: pinfo.destinationColumn(),
  };
}
