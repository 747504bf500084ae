import { describe, expect, it } from 'vitest';
import { allFields, defineFields, fieldById, valueString } from '../../../src/core/dissect/field-registry';
import { registerProtocols } from '../../../src/core/protocols/index';

registerProtocols();

describe('field registry', () => {
  it('names every field by its protocol: each id is the protocol abbreviation or starts with it and a dot', () => {
    const bad = allFields().filter((f) => f.id !== f.protocol && !f.id.startsWith(f.protocol + '.'));
    expect(bad.map((f) => `${f.id} (protocol ${f.protocol})`)).toEqual([]);
  });

  it('has unique ids and dense indices', () => {
    const ids = allFields().map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    allFields().forEach((f, i) => expect(f.index).toBe(i));
  });

  it('derives the shift and width of bitfields', () => {
    const dscp = fieldById('ip.dsfield.dscp')!;
    expect(dscp.shift).toBe(2);
    expect(dscp.bits).toBe(8);
    const ig = fieldById('eth.dst.ig')!;
    expect(ig.bits).toBe(24);
    expect(ig.shift).toBe(16);
  });

  it('keeps the first definition when a module is evaluated twice', () => {
    const a = defineFields('zz_test', { x: { id: 'zz_test.x', name: 'X', type: 'uint8' } });
    const b = defineFields('zz_test', { x: { id: 'zz_test.x', name: 'Other', type: 'uint16' } });
    expect(b.x).toBe(a.x);
  });

  it('looks up value strings, then ranges', () => {
    const f = { id: 'zz.v', name: 'V', type: 'uint8' as const, vals: { 1: 'one' }, ranges: [[10, 20, 'teens']] as const };
    expect(valueString(f, 1)).toBe('one');
    expect(valueString(f, 15)).toBe('teens');
    expect(valueString(f, 30)).toBeUndefined();
  });
});
