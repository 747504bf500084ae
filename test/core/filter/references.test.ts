import { describe, expect, it } from 'vitest';
import { compile, ether, ipv4, treeOf, T } from './helpers';
import { ProtoTree } from '../../../src/core/dissect/proto-tree';
import { dissectFrame } from '../../../src/core/protocols/index';
import { PacketInfo } from '../../../src/core/dissect/packet-info';

/** Field references ${field}: values of the selected frame (Wireshark 4.0 syntax). */

function treeOfFrame(bytes: Uint8Array, wanted: Uint8Array | null): ProtoTree {
  const t = new ProtoTree();
  t.reset(false, wanted);
  dissectFrame({ number: 1, data: bytes, origLen: bytes.length, tsSecs: 0, tsNsecs: 0, relative: { secs: 0, nsecs: 0 }, delta: { secs: 0, nsecs: 0 }, linkType: 1, iface: 0 }, new PacketInfo(), t);
  return t;
}

describe('references', () => {
  it('compares with the selected frame\'s values, and matches nothing without one', () => {
    const selected = ether(ipv4({ src: '10.0.0.9', dst: '10.0.0.1' }));
    const other = ether(ipv4({ src: '10.0.0.1', dst: '10.0.0.9' }));
    const unrelated = ether(ipv4({ src: '1.1.1.1', dst: '2.2.2.2' }));
    const c = compile('ip.addr == ${ip.src}');
    expect(c.references.map((f) => f.id)).toEqual(['ip.src']);
    const run = (b: Uint8Array) => c.matches(treeOfFrame(b, c.wanted), [b]);
    expect(run(other)).toBe(false);
    c.setReferenceFrame(treeOfFrame(selected, c.referenceMask()), [selected]);
    expect(run(other)).toBe(true);
    expect(run(unrelated)).toBe(false);
    c.setReferenceFrame(null);
    expect(run(other)).toBe(false);
  });

  it('copies byte values out of the selected frame', () => {
    const c = compile('fltest.bytes == ${fltest.bytes}');
    const bytes = Uint8Array.of(1, 2, 3);
    c.setReferenceFrame(treeOf([[T.bytes, bytes]]).tree);
    bytes[0] = 9;
    expect(c.matches(treeOf([[T.bytes, Uint8Array.of(1, 2, 3)]]).tree, [])).toBe(true);
  });
});
