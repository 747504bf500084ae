import { defineFields } from '../dissect/field-registry';
import { tables, findDissector, callDissector, type DissectorHandle } from '../dissect/dissector-tables';
import type { PacketInfo } from '../dissect/packet-info';
import type { ByteView } from '../dissect/byte-view';
import type { ProtoTree } from '../dissect/proto-tree';
import { LinkType } from '../capture/link-types';
import { dissect as dissectData } from './data';

/**
 * Raw IP link types (tcpdump.org): LINKTYPE_RAW (101), where the IP version nibble tells IPv4 from IPv6, and
 * LINKTYPE_IPV6 (229). LINKTYPE_IPV4 (228) goes straight to the IPv4 dissector, which registers it itself.
 */
export const fields = defineFields('raw', {
  raw: { id: 'raw', name: 'Raw packet data', type: 'protocol' },
});

/**
 * Wireshark reads 8 octets before it looks at the version (after ruling out PPP): shorter frames are
 * malformed, whatever their first nibble.
 */
const MIN_PROBE = 8;

export function dissect(view: ByteView, pinfo: PacketInfo, tree: ProtoTree): number {
  pinfo.setProtocol('N/A');
  pinfo.setInfo('Raw packet data');
  pinfo.dlSrc.setText('N/A');
  pinfo.dlDst.setText('N/A');
  tree.add(fields.raw, view, 0, view.length, null);
  if (view.u16(0) === 0xff03) {
    // Some "raw" captures hold PPP in HDLC-like framing (RFC 1662).
    const ppp = findDissector('ppp_hdlc') ?? findDissector('ppp');
    if (ppp) callDissector(ppp, view, pinfo, tree);
    else dissectData(view, pinfo, tree);
    return view.length;
  }
  view.ensure(0, MIN_PROBE);
  const version = view.u8(0) >> 4;
  const next = version === 4 ? findDissector('ip') : version === 6 ? findDissector('ipv6') : undefined;
  if (next) callDissector(next, view, pinfo, tree);
  else dissectData(view, pinfo, tree);
  return view.length;
}

/** LINKTYPE_IPV6: the IPv6 dissector, looked up by name when a frame is dissected. */
const ipv6LinkHandle: DissectorHandle = {
  abbrev: 'ipv6',
  dissect: (view, pinfo, tree) => {
    const ipv6 = findDissector('ipv6');
    return ipv6 ? ipv6.dissect(view, pinfo, tree) : 0;
  },
};

export const handle = { abbrev: 'raw', dissect };

export function handoff(): void {
  tables.linkType.add(LinkType.RAW, handle);
  if (!tables.linkType.get(LinkType.IPV6)) tables.linkType.add(LinkType.IPV6, ipv6LinkHandle);
}
