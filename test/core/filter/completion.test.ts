import { describe, expect, it } from 'vitest';
import { completeWord, fieldCompletions, filterFunctionNames, protocolNames } from '../../../src/core/filter/index';
import './helpers';

/** Completion data for the filter bar. */

describe('completion', () => {
  it('lists every field with its type and description', () => {
    const all = fieldCompletions();
    const src = all.find((f) => f.id === 'ip.src');
    expect(src).toMatchObject({ id: 'ip.src', type: 'ipv4', typeName: 'IPv4 address', protocol: 'ip', isProtocol: false });
    expect(all.find((f) => f.id === 'eth.dst')?.description).toBe('Destination Hardware Address');
    expect(all.every((f) => f.description.length > 0)).toBe(true);
  });

  it('lists protocol names, functions, and completes a prefix protocols first', () => {
    const protos = protocolNames();
    expect(protos).toContain('ip');
    expect(protos).toContain('eth');
    expect(protos).not.toContain('ip.src');
    expect(filterFunctionNames()).toEqual(expect.arrayContaining(['len', 'count', 'lower', 'upper', 'string', 'max', 'min', 'abs', 'ip_rfc1918']));
    const c = completeWord('ip');
    expect(c[0].id).toBe('ip');
    expect(c.every((x) => x.id.startsWith('ip'))).toBe(true);
  });
});
