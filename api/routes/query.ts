// Query-string readers of the edge's routes, with Meilisearch's messages:
// unknown parameters are `bad_request`, a repeated parameter or an unparsable
// value fails under the parameter's own code. Fastify hands repeated keys as
// arrays.
import { MeiliError } from '../errors/registry.ts';

export type Query = Record<string, string | string[] | undefined>;

function quotedList(items: readonly string[]): string {
  return items.map((a) => `\`${a}\``).join(', ');
}

export function checkQueryKeys(query: Query, accepted: readonly string[]): void {
  for (const key of Object.keys(query)) {
    if (!accepted.includes(key)) {
      throw new MeiliError('bad_request', `Unknown parameter \`${key}\`: expected one of ${quotedList(accepted)}`);
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
