import { allFields, type FieldType } from '../dissect/field-registry';
import { functionNames } from './functions';
import { typeName } from './values';

/**
 * Completion data for the filter bar: every field with its type and description, the protocol names,
 * the functions and the operators.
 */

export interface FieldCompletion {
  id: string;
  name: string;
  type: FieldType;
  /** Wireshark's name of the type ("Unsigned integer (2 bytes)"). */
  typeName: string;
  description: string;
  protocol: string;
  isProtocol: boolean;
}

export function fieldCompletions(): FieldCompletion[] {
  return allFields()
    .filter((f) => !f.id.startsWith('_ws.text'))
    .map((f) => ({
      id: f.id,
      name: f.name,
      type: f.type,
      typeName: typeName(f.type),
      description: f.description ?? f.name,
      protocol: f.protocol,
      isProtocol: f.type === 'protocol',
    }));
}

/** Protocol filter names (`eth`, `ip`, `tcp` …), sorted. */
export function protocolNames(): string[] {
  return allFields()
    .filter((f) => f.type === 'protocol')
    .map((f) => f.id)
    .sort();
}

export function filterFunctionNames(): string[] {
  return functionNames();
}

export const FILTER_OPERATORS: readonly { text: string; meaning: string }[] = [
  { text: '==', meaning: 'equal (any value)' },
  { text: '!=', meaning: 'not equal (all values)' },
  { text: '===', meaning: 'equal (all values)' },
  { text: '!==', meaning: 'not equal (any value)' },
  { text: '>', meaning: 'greater than' },
  { text: '>=', meaning: 'greater or equal' },
  { text: '<', meaning: 'less than' },
  { text: '<=', meaning: 'less or equal' },
  { text: 'contains', meaning: 'contains bytes or text' },
  { text: 'matches', meaning: 'matches a regular expression (case-insensitive)' },
  { text: 'in', meaning: 'is in a set: in {80, 443, 8000..8080}' },
  { text: '&&', meaning: 'and' },
  { text: '||', meaning: 'or' },
  { text: '^^', meaning: 'exclusive or' },
  { text: '!', meaning: 'not' },
];

/** Fields and protocols whose id starts with `prefix` (the word being typed), protocols first. */
export function completeWord(prefix: string, limit = 50): FieldCompletion[] {
  const all = fieldCompletions().filter((f) => f.id.startsWith(prefix));
  all.sort((a, b) => Number(b.isProtocol) - Number(a.isProtocol) || a.id.length - b.id.length || a.id.localeCompare(b.id));
  return all.slice(0, limit);
}
