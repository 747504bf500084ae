/**
 * Fidelity of the field registry: every field Fathom registers must exist in Wireshark 4.0 with the same
 * type, name, display base and bitmask (`tshark -G fields`), unless it is listed in FATHOM_ONLY with why.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { allFields } from '../../src/core/dissect/field-registry';
import { registerProtocols } from '../../src/core/protocols/index';
import { haveTshark } from './corpus-env';

/** Fields Wireshark does not have, and why Fathom does. */
const FATHOM_ONLY: Record<string, string> = {
  '_ws.text': 'stands for Wireshark text-only tree items, which have no field there',
  'zz_test.x': 'made by the registry unit test',
  'ipv6.ext_header_limit': "marks where Fathom stops following a chain of extension headers (Wireshark sets no bound)",
  'ipv6.nesting_limit': 'marks where Fathom stops dissecting IPv6 nested in IPv6 (Wireshark sets no bound)',
};

const TYPE_NAMES: Record<string, string> = {
  none: 'FT_NONE', protocol: 'FT_PROTOCOL', boolean: 'FT_BOOLEAN', char: 'FT_CHAR', uint8: 'FT_UINT8', uint16: 'FT_UINT16',
  uint24: 'FT_UINT24', uint32: 'FT_UINT32', uint40: 'FT_UINT40', uint48: 'FT_UINT48', uint64: 'FT_UINT64', int8: 'FT_INT8',
  int16: 'FT_INT16', int24: 'FT_INT24', int32: 'FT_INT32', int64: 'FT_INT64', float: 'FT_FLOAT', double: 'FT_DOUBLE',
  absolute_time: 'FT_ABSOLUTE_TIME', relative_time: 'FT_RELATIVE_TIME', string: 'FT_STRING', stringz: 'FT_STRINGZ',
  bytes: 'FT_BYTES', ether: 'FT_ETHER', ipv4: 'FT_IPv4', ipv6: 'FT_IPv6', framenum: 'FT_FRAMENUM', guid: 'FT_GUID',
  oid: 'FT_OID', eui64: 'FT_EUI64',
};

describe.skipIf(!haveTshark)('field registry matches tshark -G fields', () => {
  it('types, names, bases and masks', () => {
    registerProtocols();
    const out = execFileSync('tshark', ['-G', 'fields'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
    const ws = new Map<string, string[]>();
    for (const line of out.split('\n')) {
      const c = line.split('\t');
      if (c[0] === 'F') ws.set(c[2], c);
      else if (c[0] === 'P') ws.set(c[2], ['P', c[1], c[2], 'FT_PROTOCOL']);
    }
    const problems: string[] = [];
    for (const f of allFields()) {
      const w = ws.get(f.id);
      if (!w) {
        if (!FATHOM_ONLY[f.id]) problems.push(`${f.id}: not a Wireshark 4.0 field`);
        continue;
      }
      const type = TYPE_NAMES[f.type];
      // Wireshark's string-ish variants all filter as strings; accept ours as FT_STRING for those.
      const wsType = ['FT_UINT_STRING', 'FT_STRINGZPAD', 'FT_STRINGZTRUNC'].includes(w[3]) ? 'FT_STRING' : w[3];
      if (type !== wsType && !(f.type === 'string' && wsType === 'FT_STRINGZ')) problems.push(`${f.id}: type ${type}, Wireshark ${w[3]}`);
      if (w[0] === 'F' && w[1] !== f.name) problems.push(`${f.id}: name "${f.name}", Wireshark "${w[1]}"`);
      if (w[0] === 'F' && w[6] !== undefined) {
        const mask = Number(w[6]);
        if ((f.mask ?? 0) !== mask) problems.push(`${f.id}: mask 0x${(f.mask ?? 0).toString(16)}, Wireshark ${w[6]}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
