/**
 * Differential test against tshark: for every capture in ../shared/captures, the values Fathom gives for the
 * foundation's fields must agree with `tshark -T fields` on at least 99.5% of frames, field by field, summed
 * over the corpus. Differences we know of and accept are listed in KNOWN_DIFFERENCES with their reasons and
 * printed; anything else counts against the threshold.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { CaptureSession } from '../../src/core/session';
import { NodeFileSource } from '../../src/cli/node-file-source';
import { fieldById } from '../../src/core/dissect/field-registry';
import { registerProtocols } from '../../src/core/protocols/index';
import { Agreement } from './agreement';
import { CAPTURES_DIR, corpusFiles, haveCaptures, haveTshark, tsharkFields } from './corpus-env';

const FIELDS = [
  'frame.number', 'frame.len', 'frame.time_epoch',
  'eth.src', 'eth.dst', 'eth.type', 'vlan.id',
  'arp.opcode', 'arp.src.proto_ipv4',
  'ip.version', 'ip.src', 'ip.dst', 'ip.proto', 'ip.ttl', 'ip.flags.mf', 'ip.frag_offset',
  'ipv6.src', 'ipv6.dst', 'ipv6.nxt',
  'icmp.type', 'icmp.code', 'icmpv6.type',
  'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq_raw', 'tcp.window_size_value', 'tcp.options.mss_val',
  'udp.srcport', 'udp.dstport', 'udp.length',
];

/** Protocols of this issue: the Protocol column is compared for frames whose top protocol is one of them. */
const COLUMN_PROTOCOLS = new Set(['eth', 'vlan', 'llc', 'sll', 'null', 'arp', 'ip', 'ipv6', 'icmp', 'icmpv6', 'tcp', 'udp', 'gre', 'ppp']);
const PROTOCOL_COLUMN = '_ws.col.Protocol';

/**
 * Accepted differences: [file, field, reason]. A field listed for a file is reported, not counted.
 * Keep this short and honest; each entry needs a reason a reader can check.
 */
const KNOWN_DIFFERENCES: [string, string, string][] = [];

const agreement = new Agreement(0.995);

function topProtocol(chain: string): string {
  const parts = chain.split(':').filter((p) => p !== 'data' && p !== 'ethertype');
  return parts[parts.length - 1] ?? '';
}

describe.skipIf(!haveCaptures || !haveTshark)('corpus: fathom fields agree with tshark', () => {
  registerProtocols();
  const implemented = FIELDS.filter((f) => fieldById(f));

  for (const file of corpusFiles()) {
    it(file, async () => {
      const src = await NodeFileSource.open(join(CAPTURES_DIR, file));
      const session = await CaptureSession.open(src);
      const ours: string[][] = [];
      const ids = [...implemented, PROTOCOL_COLUMN];
      await session.fields(ids, 1, session.frameCount, (_n, v) => ours.push([...v]));
      await src.close();
      const theirs = tsharkFields(file, [...implemented, PROTOCOL_COLUMN, 'frame.protocols']);
      expect(ours.length).toBe(theirs.length);
      for (let r = 0; r < theirs.length; r++) {
        const t = theirs[r];
        const o = ours[r];
        for (let k = 0; k < ids.length; k++) {
          const field = ids[k];
          if (field === PROTOCOL_COLUMN && !COLUMN_PROTOCOLS.has(topProtocol(t[ids.length]))) continue;
          const excuse = o[k] === t[k] ? undefined : KNOWN_DIFFERENCES.find(([f, fl]) => f === file && fl === field);
          if (excuse) agreement.excuse(field, `${file} #${r + 1}`, o[k], t[k], excuse[2]);
          else agreement.count(field, `${file} #${r + 1}`, o[k], t[k]);
        }
      }
    });
  }

  afterAll(() => {
    const failing = agreement.report('corpus field agreement');
    const missing = FIELDS.filter((f) => !fieldById(f));
    expect(missing, 'fields of the foundation not registered').toEqual([]);
    expect(failing, 'fields below 99.5% agreement').toEqual([]);
  });
});
