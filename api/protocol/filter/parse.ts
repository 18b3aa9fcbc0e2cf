// Entry point of the filter language: a search or documents `filter` value
// (string, or the array form) to a FilterExpr, or null for "no filter".
// Invariants: every refusal is a FilterParseError carrying Meilisearch's
// message; the array form is type-checked before any string is parsed, and
// CONTAINS / STARTS WITH are refused only after everything parsed, in that
// order, as Meilisearch does.
import type { FilterExpr } from './ast.ts';
import { isBlank } from './chars.ts';
import { describeAt, FilterParseError } from './errors.ts';
import { parseExpression } from './grammar.ts';
import { failureMessage } from './messages.ts';
import type { ContainsNode, RawNode } from './raw-node.ts';
import { AssertionError } from '../../../runtime/assert.ts';

export { FilterParseError } from './errors.ts';

const CONTAINS_MESSAGE =
  'Using `CONTAINS` or `STARTS WITH` in a filter requires enabling the `contains filter` experimental feature. ' +
  'See https://github.com/orgs/meilisearch/discussions/763';

/**
 * Parses a filter as a client sends it: a string, an array of strings and
 * arrays of strings (outer AND, inner OR), or null/undefined (no filter).
 * Blank strings are no filter. Throws FilterParseError.
 */
export function parseFilter(input: unknown): FilterExpr | null {
  if (input === null || input === undefined) return null;
  let raw: RawNode | null;
  if (typeof input === 'string') raw = parseString(input);
  else if (Array.isArray(input)) raw = parseArray(input);
  else throw syntaxError(['String', 'Array'], input);
  if (raw === null) return null;
  const contains = firstContains(raw);
  if (contains) {
    const { source, start, end } = contains.keyword;
    throw new FilterParseError(describeAt(CONTAINS_MESSAGE, source, start, end), 'feature_not_enabled');
  }
  return toPublic(raw);
}

function parseString(src: string): RawNode | null {
  if (isBlank(src)) return null;
  const r = parseExpression(src);
  if (!r.ok) throw new FilterParseError(failureMessage(src, r));
  return r.value;
}

function parseArray(items: unknown[]): RawNode | null {
  const groups = items.map((item): string | string[] => {
    if (typeof item === 'string') return item;
    if (!Array.isArray(item)) throw syntaxError(['String', '[String]'], item);
    return item.map((inner: unknown) => {
      if (typeof inner !== 'string') throw syntaxError(['String'], inner);
      return inner;
    });
  });
  const ands: RawNode[] = [];
  for (const group of groups) {
    if (typeof group === 'string') {
      const node = parseString(group);
      if (node) ands.push(node);
      continue;
    }
    const ors = group.map(parseString).filter((n): n is RawNode => n !== null);
    if (ors.length === 1) ands.push(ors[0]!);
    else if (ors.length > 1) ands.push({ kind: 'or', children: ors });
  }
  if (ands.length === 0) return null;
  return ands.length === 1 ? ands[0]! : { kind: 'and', children: ands };
}

function syntaxError(expected: string[], found: unknown): FilterParseError {
  const json = JSON.stringify(found) ?? 'null';
  return new FilterParseError(
    `Invalid syntax for the filter parameter: \`expected ${expected.join(', ')}, found: ${json}\`.`,
  );
}

/** The first CONTAINS / STARTS WITH in source order. */
function firstContains(node: RawNode): ContainsNode | null {
  switch (node.kind) {
    case 'contains': return node;
    case 'not': return firstContains(node.child);
    case 'and':
    case 'or':
      for (const child of node.children) {
        const found = firstContains(child);
        if (found) return found;
      }
      return null;
    default: return null;
  }
}

function toPublic(node: RawNode): FilterExpr {
  switch (node.kind) {
    case 'and':
    case 'or': return { kind: node.kind, children: node.children.map(toPublic) };
    case 'not': return { kind: 'not', child: toPublic(node.child) };
    case 'contains': throw new AssertionError('CONTAINS is refused before the tree is returned');
    default: return node;
  }
}
