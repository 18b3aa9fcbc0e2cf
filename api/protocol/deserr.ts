// The one request-shape validator of the edge and the engine (STYLE G11's
// schema-error formatter): it checks JSON bodies and query strings field by field and
// fails with Meilisearch's deserr messages, word for word:
//   Invalid value type at `.offset`: expected a positive integer, but found a string: `"doggo"`
//   Unknown field `x`: expected one of `a`, `b`
//   Invalid value in parameter `offset`: could not parse `doggo` as a positive integer
// Each field names the error code it fails under (invalid_document_offset…).
import { MeiliError } from '../errors/registry.ts';

export type ValueKind = 'null' | 'boolean' | 'integer' | 'negative' | 'float' | 'string' | 'array' | 'object';

const ORDER: ValueKind[] = ['null', 'boolean', 'integer', 'negative', 'float', 'string', 'array', 'object'];

const SINGLE: Record<ValueKind, string> = {
  null: 'null', boolean: 'a boolean', integer: 'a positive integer', negative: 'a negative integer',
  float: 'a number', string: 'a string', array: 'an array', object: 'an object',
};

export function kindOf(value: unknown): ValueKind {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'float';
    return value < 0 ? 'negative' : 'integer';
  }
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return 'array';
  return 'object';
}

/** deserr's `value_kinds_description_json`: "a boolean or a positive integer", "null, a boolean, or a number". */
export function describeKinds(kinds: ValueKind[]): string {
  const sorted = ORDER.filter((k) => kinds.includes(k));
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const a = sorted[i];
    const b = sorted[i + 1];
    const c = sorted[i + 2];
    if ((a === 'integer' || a === 'negative') && b === 'float') { parts.push('a number'); i += 2; continue; }
    if (a === 'integer' && b === 'negative' && c === 'float') { parts.push('a number'); i += 3; continue; }
    if (a === 'integer' && b === 'negative') { parts.push('an integer'); i += 2; continue; }
    parts.push(SINGLE[a as ValueKind]);
    i++;
  }
  if (parts.length === 0) return 'a different value';
  if (parts.length === 1) return parts[0] as string;
  if (parts.length === 2) return `${parts[0]} or ${parts[1]}`;
  return `${parts.slice(0, -1).join(', ')}, or ${parts[parts.length - 1]}`;
}

function describeValue(value: unknown): string {
  const kind = kindOf(value);
  return kind === 'null' ? 'null' : `${describeKinds([kind])}: \`${JSON.stringify(value)}\``;
}

function at(path: string, article: string): string {
  return path === '' ? '' : `${article} \`${path}\``;
}

export function invalidType(code: string, path: string, accepted: ValueKind[], value: unknown): MeiliError {
  return new MeiliError(code, `Invalid value type${at(path, ' at')}: expected ${describeKinds(accepted)}, but found ${describeValue(value)}`);
}

export function invalidValue(code: string, path: string, message: string): MeiliError {
  return new MeiliError(code, `Invalid value${at(path, ' at')}: ${message}`);
}

export function missingField(code: string, field: string, path = ''): MeiliError {
  return new MeiliError(code, `Missing field \`${field}\`${at(path, ' inside')}`);
}

function damerauLevenshtein(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** deserr's "did you mean `x`? " hint, or ''. */
function didYouMean(received: string, accepted: readonly string[]): string {
  const n = Buffer.byteLength(received);
  const allowed = n <= 3 ? -1 : n <= 7 ? 1 : n <= 12 ? 2 : n <= 17 ? 3 : n <= 24 ? 4 : 5;
  if (allowed < 0) return '';
  let best: { word: string; distance: number } | null = null;
  for (const word of accepted) {
    const distance = damerauLevenshtein(received, word);
    if (distance <= allowed && (best === null || distance < best.distance)) best = { word, distance };
  }
  return best ? `did you mean \`${best.word}\`? ` : '';
}

function quotedList(items: readonly string[]): string {
  return items.map((a) => `\`${a}\``).join(', ');
}

export function unknownField(key: string, accepted: readonly string[], path = '', code = 'bad_request'): MeiliError {
  return new MeiliError(code, `Unknown field \`${key}\`${at(path, ' inside')}: ${didYouMean(key, accepted)}expected one of ${quotedList(accepted)}`);
}

export function unknownValue(code: string, value: string, accepted: readonly string[], path: string): MeiliError {
  return new MeiliError(code, `Unknown value \`${value}\`${at(path, ' at')}: ${didYouMean(value, accepted)}expected one of ${quotedList(accepted)}`);
}

/** The body must be an object whose keys are all in `accepted`. */
export function expectObject(value: unknown, accepted: readonly string[], path = '', code = 'bad_request'): Record<string, unknown> {
  if (kindOf(value) !== 'object') throw invalidType(code, path, ['object'], value);
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!accepted.includes(key)) throw unknownField(key, accepted, path, code === 'bad_request' ? code : code);
  }
  return obj;
}

// Field readers for JSON bodies. Each takes the error code and the path.

export function optUint(obj: Record<string, unknown>, key: string, code: string, path = ''): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (kindOf(v) !== 'integer') throw invalidType(code, `${path}.${key}`, ['integer'], v);
  return v as number;
}

export function optBool(obj: Record<string, unknown>, key: string, code: string, path = ''): boolean | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalidType(code, `${path}.${key}`, ['boolean'], v);
  return v;
}

export function stringArray(v: unknown, code: string, path: string, nullable = false): string[] {
  if (!Array.isArray(v)) throw invalidType(code, path, nullable ? ['null', 'array'] : ['array'], v);
  v.forEach((item, i) => {
    if (typeof item !== 'string') throw invalidType(code, `${path}[${i}]`, ['string'], item);
  });
  return v as string[];
}

// Query-string readers. Fastify hands repeated keys as arrays.

export type Query = Record<string, string | string[] | undefined>;

export function checkQueryKeys(query: Query, accepted: readonly string[]): void {
  for (const key of Object.keys(query)) {
    if (!accepted.includes(key)) {
      throw new MeiliError('bad_request', `Unknown parameter \`${key}\`: ${didYouMean(key, accepted)}expected one of ${quotedList(accepted)}`);
    }
  }
}

export function queryString(query: Query, key: string, code: string): string | undefined {
  const v = query[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new MeiliError(code, `Invalid value type for parameter \`${key}\`: expected a string, but found multiple values`);
  return v;
}

export function queryUint(query: Query, key: string, code: string): number | undefined {
  const v = queryString(query, key, code);
  if (v === undefined) return undefined;
  if (!/^\+?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new MeiliError(code, `Invalid value in parameter \`${key}\`: could not parse \`${v}\` as a positive integer`);
  }
  return Number(v);
}

export function queryBool(query: Query, key: string, code: string): boolean | undefined {
  const v = queryString(query, key, code);
  if (v === undefined) return undefined;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new MeiliError(code, `Invalid value in parameter \`${key}\`: could not parse \`${v}\` as a boolean, expected either \`true\` or \`false\``);
}

/** A comma-separated list; empty items are dropped. */
export function queryList(query: Query, key: string, code: string): string[] | undefined {
  const v = queryString(query, key, code);
  if (v === undefined) return undefined;
  return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
