import { WordKeyIndex, formatKeyAddress, hasPorts, type ConversationTable, type ConversationType } from './conversations';

/**
 * Endpoints: each address (with its port, for tcp and udp) and what it sent and received, as Wireshark's
 * Statistics › Endpoints window counts it. Wireshark counts every packet twice — once for its source as
 * sent (Tx), once for its destination as received (Rx) — so a host talking to itself counts both ways.
 *
 * That is a sum over conversations: a conversation's A → B packets are A's Tx and B's Rx, its B → A packets
 * B's Tx and A's Rx. So endpoints are folded from the conversation table, with no pass over the frames of
 * their own. Rows come in the order each endpoint was first seen (a conversation's A before its B).
 */

export interface Endpoint {
  address: string;
  /** Present for tcp and udp. */
  port?: number;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
}

export function endpointsOf(table: ConversationTable): Endpoint[] {
  const ports = hasPorts(table.type);
  const index = new WordKeyIndex();
  const rows: Endpoint[] = [];
  const k = index.scratch;
  const add = (key: Uint32Array, kind: number, at: number, port: number, txPackets: number, txBytes: number, rxPackets: number, rxBytes: number): void => {
    const words = kind === 1 ? 2 : kind === 2 ? 1 : 4;
    let n = 0;
    k[n++] = kind;
    for (let i = 0; i < words; i++) k[n++] = key[at + i];
    k[n++] = port;
    const e = index.findOrAdd(n);
    if (index.added) {
      const row: Endpoint = { address: formatKeyAddress(kind, key, at), packets: 0, bytes: 0, txPackets: 0, txBytes: 0, rxPackets: 0, rxBytes: 0 };
      if (ports) row.port = port;
      rows.push(row);
    }
    const r = rows[e];
    r.txPackets += txPackets;
    r.txBytes += txBytes;
    r.rxPackets += rxPackets;
    r.rxBytes += rxBytes;
    r.packets += txPackets + rxPackets;
    r.bytes += txBytes + rxBytes;
  };
  table.forEachRaw((key, kind, aAt, aPort, bAt, bPort, e) => {
    const [pAB, bAB, pBA, bBA] = table.counts(e);
    add(key, kind, aAt, aPort, pAB, bAB, pBA, bBA);
    add(key, kind, bAt, bPort, pBA, bBA, pAB, bAB);
  });
  return rows;
}

/** Column titles of Wireshark's Endpoints window. */
export function endpointHeader(type: ConversationType): string[] {
  return ['Address', ...(hasPorts(type) ? ['Port'] : []), 'Packets', 'Bytes', 'Tx Packets', 'Tx Bytes', 'Rx Packets', 'Rx Bytes'];
}

export function endpointCells(type: ConversationType, r: Endpoint): string[] {
  return [
    r.address,
    ...(hasPorts(type) ? [String(r.port ?? '')] : []),
    String(r.packets),
    String(r.bytes),
    String(r.txPackets),
    String(r.txBytes),
    String(r.rxPackets),
    String(r.rxBytes),
  ];
}

/** The JSON shape of an endpoint row (port only for tcp/udp). */
export function endpointJson(type: ConversationType, r: Endpoint): Record<string, unknown> {
  const o: Record<string, unknown> = { address: r.address };
  if (hasPorts(type)) o.port = r.port;
  o.packets = r.packets;
  o.bytes = r.bytes;
  o.txPackets = r.txPackets;
  o.txBytes = r.txBytes;
  o.rxPackets = r.rxPackets;
  o.rxBytes = r.rxBytes;
  return o;
}
