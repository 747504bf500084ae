/**
 * Endpoints on a crafted capture whose expected rows were read off `tshark -q -z endpoints,…` (tshark 4.0):
 * every packet counts for its source (Tx) and destination (Rx), a host talking to itself both ways, each IP
 * layer of a tunnel on its own, nothing for a header quoted in an ICMP error.
 */
import { describe, expect, it } from 'vitest';
import { CaptureSession } from '../../../src/core/session';
import { MemorySource } from '../../../src/core/capture/byte-source';
import { compileFilter } from '../../../src/core/filter/index';
import { registerProtocols } from '../../../src/core/protocols/index';
import { endpointCells, endpointHeader, endpointJson, type Endpoint } from '../../../src/core/analysis/endpoints';
import { FrameBuilder, ETHERTYPE_IPV4, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, SYN } from '../../fixtures/forge/packets';
import { MemoryPcapWriter } from '../../fixtures/forge/pcap-writer';
import { ipv4, mac } from '../../fixtures/forge/addresses';

const M1 = mac('00:00:00:00:00:01');
const M2 = mac('00:00:00:00:00:02');

function capture(): Uint8Array {
  const w = new MemoryPcapWriter();
  const f = new FrameBuilder();
  let t = 1_700_000_000_000_000;
  const put = () => w.packet((t += 1000), f.finish(60).slice());
  f.reset().ethernet(M2, M1, ETHERTYPE_IPV4).ipv4({ src: ipv4('10.0.0.1'), dst: ipv4('10.0.0.2'), protocol: IPPROTO_UDP }).udp(5000, 53).ascii('q');
  put();
  f.reset().ethernet(M1, M2, ETHERTYPE_IPV4).ipv4({ src: ipv4('10.0.0.2'), dst: ipv4('10.0.0.1'), protocol: IPPROTO_ICMP }).icmp(3, 3, 0);
  f.ipv4({ src: ipv4('10.0.0.1'), dst: ipv4('10.0.0.9'), protocol: IPPROTO_UDP }).udp(5000, 53).ascii('q');
  put();
  f.reset().ethernet(M2, M1, ETHERTYPE_IPV4).ipv4({ src: ipv4('192.168.0.1'), dst: ipv4('192.168.0.2'), protocol: 4 });
  f.ipv4({ src: ipv4('10.1.1.1'), dst: ipv4('10.2.2.2'), protocol: IPPROTO_TCP }).tcp({ srcPort: 1234, dstPort: 80, seq: 1, ack: 0, flags: SYN, window: 1000 });
  put();
  f.reset().ethernet(M1, M1, ETHERTYPE_IPV4).ipv4({ src: ipv4('127.0.0.1'), dst: ipv4('127.0.0.1'), protocol: IPPROTO_UDP }).udp(7, 7).ascii('loop');
  put();
  f.reset().ethernet(M1, M2, ETHERTYPE_IPV4).ipv4({ src: ipv4('10.0.0.2'), dst: ipv4('10.0.0.1'), protocol: IPPROTO_UDP }).udp(53, 5000).ascii('answer-answer');
  put();
  return w.bytes();
}

async function open(): Promise<CaptureSession> {
  registerProtocols();
  return CaptureSession.open(MemorySource.of('endpoints.pcap', capture()));
}

const brief = (e: Endpoint) => [e.address, e.port, e.packets, e.bytes, e.txPackets, e.txBytes, e.rxPackets, e.rxBytes].filter((x) => x !== undefined).join(' ');

describe('endpoints', () => {
  it('counts each packet for its source and its destination', async () => {
    const s = await open();
    expect((await s.endpoints('ip')).map(brief)).toEqual([
      '10.0.0.1 3 191 1 60 2 131',
      '10.0.0.2 3 191 2 131 1 60',
      '192.168.0.1 1 74 1 74 0 0',
      '192.168.0.2 1 74 0 0 1 74',
      '10.1.1.1 1 74 1 74 0 0',
      '10.2.2.2 1 74 0 0 1 74',
      '127.0.0.1 2 120 1 60 1 60',
    ]);
    expect((await s.endpoints('udp')).map(brief)).toEqual(['10.0.0.1 5000 2 120 1 60 1 60', '10.0.0.2 53 2 120 1 60 1 60', '127.0.0.1 7 2 120 1 60 1 60']);
    expect((await s.endpoints('eth')).map(brief)).toEqual(['00:00:00:00:00:01 6 385 3 194 3 191', '00:00:00:00:00:02 4 265 2 131 2 134']);
  });

  it('follows a display filter', async () => {
    const s = await open();
    expect((await s.endpoints('ip', compileFilter('ip.src == 10.0.0.2'))).map(brief)).toEqual(['10.0.0.2 2 131 2 131 0 0', '10.0.0.1 2 131 0 0 2 131']);
  });

  it('prints the CLI table and JSON', async () => {
    const s = await open();
    const [e] = await s.endpoints('udp');
    expect(endpointHeader('udp')).toEqual(['Address', 'Port', 'Packets', 'Bytes', 'Tx Packets', 'Tx Bytes', 'Rx Packets', 'Rx Bytes']);
    expect(endpointCells('udp', e)).toEqual(['10.0.0.1', '5000', '2', '120', '1', '60', '1', '60']);
    expect(endpointJson('udp', e)).toEqual({ address: '10.0.0.1', port: 5000, packets: 2, bytes: 120, txPackets: 1, txBytes: 60, rxPackets: 1, rxBytes: 60 });
    expect(endpointHeader('eth')).not.toContain('Port');
  });
});
