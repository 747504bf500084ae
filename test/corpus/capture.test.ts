/**
 * The capture readers against tshark on real captures: frame count, and per frame the arrival time, the
 * lengths, the interface, its link type (as Wireshark's encapsulation number) and whether it has a comment.
 * Skips itself when the shared captures or tshark are not on the machine.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openCapture, type Capture } from '../../src/core/capture/open-capture';
import { BlobSource, MemorySource } from '../../src/core/capture/byte-source';
import { FRAME_HAS_COMMENT } from '../../src/core/capture/frame-index';
import { wtapEncap } from '../../src/core/capture/link-types';

const CAPTURES = fileURLToPath(new URL('../../../shared/captures/', import.meta.url));
const haveCaptures = existsSync(CAPTURES);
const haveTshark = !spawnSync('tshark', ['--version'], { stdio: 'ignore' }).error;
const haveCapinfos = !spawnSync('capinfos', ['-h'], { stdio: 'ignore' }).error;

/** A mix of formats: multi-interface pcapng with nanosecond and microsecond interfaces, a comment-bearing
 * pcapng, gzip, nanosecond pcap, big-endian pcap, and a pcap misnamed .pcapng. */
const FILES: [name: string, format: string, compressed: boolean][] = [
  ['pcapng-multi-interface.pcapng', 'pcapng', false],
  ['pcapng-comment-tcp.pcapng', 'pcapng', false],
  ['http-download.pcap.gz', 'pcap', true],
  ['http-get-nanosecond.pcap', 'pcap-nsec', false],
  ['smb1-dssetup-bigendian.cap', 'pcap', false],
  ['ip-proto-scan-replies.pcapng', 'pcap', false],
];

const FIELDS = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.interface_id', 'frame.encap_type', 'frame.comment'];

function tsharkLines(path: string): string[] {
  const out = execFileSync('tshark', ['-r', path, '-T', 'fields', ...FIELDS.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 28,
  });
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [n, time, len, capLen, iface, encap, comment] = l.split('\t');
      // tshark leaves interface_id empty for pcap files; the index says interface 0.
      return [n, time, len, capLen, iface || '0', encap, comment ? 'comment' : ''].join('\t');
    });
}

function ourLines(cap: Capture): string[] {
  const ix = cap.index;
  const lines = [];
  for (let i = 0; i < ix.count; i++) {
    const time = `${ix.tsSec[i]}.${String(ix.tsNsec[i]).padStart(9, '0')}`;
    const encap = wtapEncap[cap.interfaces[ix.iface[i]].linkType];
    lines.push([i + 1, time, ix.origLen[i], ix.capLen[i], ix.iface[i], encap, ix.flags[i] & FRAME_HAS_COMMENT ? 'comment' : ''].join('\t'));
  }
  return lines;
}

interface CapinfosFacts {
  packets: number;
  interfaces: { name?: string; description?: string; snapLen: number; encap: number }[];
}

/** `capinfos -M -c -I`: the packet count and, per interface, name, description, snaplen, encapsulation. */
function capinfos(path: string): CapinfosFacts {
  const out = execFileSync('capinfos', ['-M', '-c', '-I', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const facts: CapinfosFacts = { packets: Number(/Number of packets:\s+(\d+)/.exec(out)![1]), interfaces: [] };
  for (const block of out.split(/Interface #\d+ info:/).slice(1)) {
    const value = (key: string) => new RegExp(`^\\s+${key} = (.*)$`, 'm').exec(block)?.[1];
    facts.interfaces.push({
      name: value('Name'),
      description: value('Description'),
      snapLen: Number(value('Capture length')),
      encap: Number(/\((\d+) - /.exec(value('Encapsulation')!)![1]),
    });
  }
  return facts;
}

describe.skipIf(!haveCaptures)('capture readers on the corpus', () => {
  for (const [name, format, compressed] of FILES) {
    describe(name, () => {
      const path = CAPTURES + name;
      const bytes = () => new Uint8Array(readFileSync(path));

      it('reads cleanly, in any window size, from memory or a Blob', async () => {
        const cap = await openCapture(MemorySource.of(name, bytes()));
        expect({ format: cap.format, compressed: cap.compressed, warnings: cap.warnings }).toEqual({ format, compressed, warnings: [] });
        const blob = await openCapture(new BlobSource(new Blob([bytes()]), name), { windowBytes: 1000 });
        expect(ourLines(blob)).toEqual(ourLines(cap));
      });

      it.skipIf(!haveTshark)('matches tshark frame by frame', async () => {
        const cap = await openCapture(MemorySource.of(name, bytes()), { windowBytes: 4096 });
        const theirs = tsharkLines(path);
        expect(theirs.length).toBeGreaterThan(0);
        expect(ourLines(cap)).toEqual(theirs);
      });

      it.skipIf(!haveCapinfos)('matches capinfos on packets and interfaces', async () => {
        const cap = await openCapture(MemorySource.of(name, bytes()));
        expect({
          packets: cap.index.count,
          interfaces: cap.interfaces.map((i) => ({ name: i.name, description: i.description, snapLen: i.snapLen, encap: wtapEncap[i.linkType] })),
        }).toEqual(capinfos(path));
      });
    });
  }
});
