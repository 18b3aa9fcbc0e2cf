// The request-shape error messages of the edge's routes, in Meilisearch's
// deserr wording:
//   Invalid value type at `.uid`: expected a string, but found a number: `1`
//   Unknown field `x`: expected one of `a`, `b`
//   Missing field `uid`
import { MeiliError } from '../errors/registry.ts';

export type ValueKind = 'null' | 'boolean' | 'integer' | 'negative' | 'float' | 'string' | 'array' | 'object';

const SINGLE: Record<ValueKind, string> = {
  null: 'null', boolean: 'a boolean', integer: 'a positive integer', negative: 'a negative integer',
  float: 'a number', string: 'a string', array: 'an array', object: 'an object',
};

export function kindOf(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return !Number.isInteger(value) ? 'float' : value < 0 ? 'negative' : 'integer';
  if (typeof value === 'string') return 'string';
  return Array.isArray(value) ? 'array' : 'object';
}

function describeKinds(kinds: ValueKind[]): string {
  const parts = kinds.map((k) => SINGLE[k]);
  if (parts.length <= 1) return parts[0] ?? 'a different value';
  if (parts.length === 2) return `${parts[0]} or ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, or ${parts[parts.length - 1]}`;
}

function at(path: string, word: string): string {
  return path === '' ? '' : ` ${word} \`${path}\``;
}

export function invalidType(code: string, path: string, acceptedKinds: ValueKind[], value: unknown): MeiliError {
  const kind = kindOf(value);
  const found = kind === 'null' ? 'null' : `${SINGLE[kind]}: \`${JSON.stringify(value)}\``;
  return new MeiliError(code, `Invalid value type${at(path, 'at')}: expected ${describeKinds(acceptedKinds)}, but found ${found}`);
}

export function missingField(code: string, field: string, path = ''): MeiliError {
  return new MeiliError(code, `Missing field \`${field}\`${at(path, 'inside')}`);
}

export function unknownField(key: string, acceptedFields: readonly string[], path = ''): MeiliError {
  return new MeiliError('bad_request', `Unknown field \`${key}\`${at(path, 'inside')}: expected one of ${acceptedFields.map((a) => `\`${a}\``).join(', ')}`);
}

/** The value must be an object whose keys are all in `acceptedFields`. */
export function expectObject(value: unknown, acceptedFields: readonly string[], path = ''): Record<string, unknown> {
  if (kindOf(value) !== 'object') throw invalidType('bad_request', path, ['object'], value);
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!acceptedFields.includes(key)) throw unknownField(key, acceptedFields, path);
  return obj;
}
