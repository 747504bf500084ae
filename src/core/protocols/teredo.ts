import { defineFields } from '../dissect/field-registry';
import { tables, findDissector, callDissector } from '../dissect/dissector-tables';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';

/**
 * Teredo: IPv6 carried in UDP through IPv4 NATs (RFC 4380). An IPv6 packet may be preceded by an
 * authentication indicator (type 0x0001, §5.1.1) and/or an origin indication (type 0x0000, §5.1.1), whose
 * port and address are obfuscated by XOR with all-ones.
 */
export const fields = defineFields('teredo', {
  teredo: { id: 'teredo', name: 'Teredo IPv6 over UDP tunneling', type: 'protocol' },
  auth: { id: 'teredo.auth', name: 'Teredo Authentication header', type: 'none' },
  authIdLen: { id: 'teredo.auth.idlen', name: 'Client identifier length', type: 'uint8', base: 'dec' },
  authAuLen: { id: 'teredo.auth.aulen', name: 'Authentication value length', type: 'uint8', base: 'dec' },
  authId: { id: 'teredo.auth.id', name: 'Client identifier', type: 'bytes' },
  authValue: { id: 'teredo.auth.value', name: 'Authentication value', type: 'bytes' },
  authNonce: { id: 'teredo.auth.nonce', name: 'Nonce value', type: 'bytes' },
  authConf: { id: 'teredo.auth.conf', name: 'Confirmation byte', type: 'bytes' },
  orig: { id: 'teredo.orig', name: 'Teredo Origin Indication header', type: 'none' },
  origPort: { id: 'teredo.orig.port', name: 'Origin UDP port', type: 'uint16', base: 'dec' },
  origAddr: { id: 'teredo.orig.addr', name: 'Origin IPv4 address', type: 'ipv4' },
});

export const TEREDO_PORT = 3544;

/** Bytes taken by the optional indicators before the IPv6 packet, or -1 if they do not parse. */
function indicatorsLength(view: ByteView): number {
  let o = 0;
  if (view.has(0, 2) && view.u16(0) === 1) {
    if (!view.has(2, 2)) return -1;
    o = 4 + view.u8(2) + view.u8(3) + 9; // id and value, then 8-byte nonce and 1 confirmation byte
  }
  if (view.has(o, 2) && view.u16(o) === 0) o += 8;
  return view.has(0, o) ? o : -1;
}

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  const start = indicatorsLength(view);
  if (start < 0 || !view.has(start, 1) || view.u8(start) >> 4 !== 6) return 0;
  pinfo.setProtocol('Teredo');
  const full = tree.full;
  tree.open(fields.teredo, view, 0, start, null);
  let o = 0;
  if (view.u16(0) === 1) {
    const idLen = view.u8(2);
    const auLen = view.u8(3);
    const len = 4 + idLen + auLen + 9;
    tree.open(fields.auth, view, 0, len, null);
    tree.add(fields.authIdLen, view, 2, 1, idLen);
    tree.add(fields.authAuLen, view, 3, 1, auLen);
    if (idLen) tree.add(fields.authId, view, 4, idLen, view.bytes(4, idLen));
    if (auLen) tree.add(fields.authValue, view, 4 + idLen, auLen, view.bytes(4 + idLen, auLen));
    tree.add(fields.authNonce, view, 4 + idLen + auLen, 8, view.bytes(4 + idLen + auLen, 8));
    tree.add(fields.authConf, view, 4 + idLen + auLen + 8, 1, view.bytes(4 + idLen + auLen + 8, 1));
    tree.close();
    o = len;
  }
  if (o < start) {
    // Origin indication: the mapped port and address are sent complemented (RFC 4380 §5.1.1).
    const port = view.u16(o + 2) ^ 0xffff;
    const addr = (view.u32(o + 4) ^ 0xffffffff) >>> 0;
    tree.open(fields.orig, view, o, 8, null);
    tree.add(fields.origPort, view, o + 2, 2, port);
    tree.add(fields.origAddr, view, o + 4, 4, addr);
    tree.close();
  }
  tree.close();
  void full;
  const ipv6 = findDissector('ipv6');
  const inner = view.sub(start);
  if (ipv6) callDissector(ipv6, inner, pinfo, tree);
  return view.length;
}

export const handle = { abbrev: 'teredo', dissect };

export function handoff(): void {
  // Only on the Teredo port: Wireshark's heuristic for other ports is off by default, and so is ours.
  tables.udpPort.add(TEREDO_PORT, handle);
}
