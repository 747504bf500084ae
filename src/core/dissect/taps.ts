import type { PacketInfo } from './packet-info';

/**
 * Taps: protocols report what statistics and views need (conversations, endpoints, follow stream) as they
 * dissect, the way Wireshark's tap_queue_packet does. A protocol checks `taps.listening(name)` first, so no
 * record is built when nobody listens; listeners read the record during the call and must not keep it.
 */
export type TapListener<T> = (record: T, pinfo: PacketInfo) => void;

/** What the address-and-port taps carry (eth, ip, ipv6, tcp, udp). */
export interface AddressTapRecord {
  /** Address kind (AddrKind) and the bytes where each address sits. */
  kind: number;
  data: Uint8Array;
  srcAt: number;
  dstAt: number;
  /** Ports for tcp/udp, else 0. */
  srcPort: number;
  dstPort: number;
  /** tcp.stream / udp.stream where known, else -1. */
  stream: number;
}

export class Taps {
  private readonly listeners = new Map<string, TapListener<unknown>[]>();

  listening(name: string): boolean {
    return this.listeners.has(name);
  }

  /** Adds a listener; returns the function that removes it. */
  on<T>(name: string, fn: TapListener<T>): () => void {
    const list = this.listeners.get(name) ?? [];
    list.push(fn as TapListener<unknown>);
    this.listeners.set(name, list);
    return () => {
      const l = this.listeners.get(name);
      if (!l) return;
      const i = l.indexOf(fn as TapListener<unknown>);
      if (i >= 0) l.splice(i, 1);
      if (l.length === 0) this.listeners.delete(name);
    };
  }

  emit<T>(name: string, record: T, pinfo: PacketInfo): void {
    const l = this.listeners.get(name);
    if (l) for (const fn of l) fn(record, pinfo);
  }
}
