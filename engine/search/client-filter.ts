// Parses a client's `filter` value, answering syntax errors with
// Meilisearch's message under the route's code (or `feature_not_enabled` for
// CONTAINS / STARTS WITH, which the parser flags itself).
//
// Filter strings repeat: a sharded cluster ANDs the same
// `_miroir_shard IN [...]` restriction (tens of values) into every search it
// sends a node, and clients resend their filters. So each string that parsed
// is remembered (FilterExpr trees are never mutated by the evaluator), and an
// array filter is assembled from its strings' trees as the parser would
// (outer AND, inner OR, blank strings dropped). Anything that does not parse
// goes through the whole-input parser again, which reports the error exactly
// as for a fresh parse (the array's types first, CONTAINS last).
import { MeiliError } from '../../api/errors/registry.ts';
import type { FilterErrorCode, FilterExpr } from '../core/contracts.ts';
import { FilterParseError, parseFilter } from '../../api/protocol/filter/parse.ts';

const PARSED_STRINGS_MAX = 512;
const parsed = new Map<string, FilterExpr | null>();

export function parseClientFilter(input: unknown, code: FilterErrorCode): FilterExpr | null {
  try {
    return fromCache(input) ?? parseFilter(input);
  } catch (error) {
    if (error instanceof FilterParseError) throw new MeiliError(error.code ?? code, error.message, { cause: error });
    throw error;
  }
}

/** The tree of `input` from remembered strings; undefined when some part must go through the parser. */
function fromCache(input: unknown): FilterExpr | null | undefined {
  if (typeof input === 'string') return parsedString(input);
  if (!Array.isArray(input)) return undefined;
  const ands: FilterExpr[] = [];
  for (const item of input) {
    if (typeof item === 'string') {
      const node = parsedString(item);
      if (node === undefined) return undefined;
      if (node !== null) ands.push(node);
      continue;
    }
    if (!Array.isArray(item)) return undefined;
    const ors: FilterExpr[] = [];
    for (const inner of item) {
      const node = typeof inner === 'string' ? parsedString(inner) : undefined;
      if (node === undefined) return undefined;
      if (node !== null) ors.push(node);
    }
    if (ors.length === 1) ands.push(ors[0]!);
    else if (ors.length > 1) ands.push({ kind: 'or', children: ors });
  }
  if (ands.length === 0) return null;
  return ands.length === 1 ? ands[0]! : { kind: 'and', children: ands };
}

/** The tree of one filter string, parsed once; undefined when it does not parse. */
function parsedString(source: string): FilterExpr | null | undefined {
  const known = parsed.get(source);
  if (known !== undefined || parsed.has(source)) return known;
  let node: FilterExpr | null;
  try {
    node = parseFilter(source);
  } catch (error) {
    if (error instanceof FilterParseError) return undefined;
    throw error;
  }
  if (parsed.size >= PARSED_STRINGS_MAX) parsed.clear();
  parsed.set(source, node);
  return node;
}
