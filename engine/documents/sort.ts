// Sorting of the documents routes (`sort` on GET /documents and POST
// /documents/fetch): `field:asc|desc` rules on sortable attributes only,
// numbers before strings, strings compared by their normalized facet value,
// documents without the field last, ties in internal-id order (the input
// order, as the sort is stable). Arrays sort by their smallest value
// ascending and their largest descending.
import { MeiliError } from '../../api/errors/registry.ts';
import type { Document } from '../core/contracts.ts';
import { normalizeFacet } from '../facets/normalize.ts';

export interface SortRule {
  field: string;
  descending: boolean;
}

export function parseDocumentSort(sort: string[], sortable: readonly string[]): SortRule[] {
  return sort.map((item) => {
    const m = /^(.+):(asc|desc)$/.exec(item.trim());
    if (!m || m[1] === undefined) {
      throw new MeiliError('invalid_document_sort', `Invalid syntax for the sort parameter: expected expression ending by \`:asc\` or \`:desc\`, found \`${item}\`.`);
    }
    const field = m[1];
    if (!sortable.some((s) => s === field || field.startsWith(`${s}.`))) {
      const available = sortable.length === 0
        ? 'This index does not have configured sortable attributes.'
        : `Available sortable attributes are: \`${[...sortable].sort().join(', ')}\`.`;
      throw new MeiliError('invalid_document_sort', `Attribute \`${field}\` is not sortable. ${available}`);
    }
    return { field, descending: m[2] === 'desc' };
  });
}

function valuesAt(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return Array.isArray(value) ? value.flatMap((v) => valuesAt(v, [])) : [value];
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
  if (typeof value !== 'object' || value === null) return [];
  const obj = value as Record<string, unknown>;
  const out: unknown[] = [];
  for (let i = 1; i <= path.length; i++) {
    const key = path.slice(0, i).join('.');
    if (Object.hasOwn(obj, key)) out.push(...valuesAt(obj[key], path.slice(i)));
  }
  return out;
}

type Key = { rank: 0; n: number } | { rank: 1; s: string } | { rank: 2 };

function compareKeys(a: Key, b: Key): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.rank === 0 && b.rank === 0) return a.n - b.n;
  if (a.rank === 1 && b.rank === 1) return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
  return 0;
}

function keyOf(doc: Document, rule: SortRule): Key {
  const keys: Key[] = valuesAt(doc, rule.field.split('.')).flatMap((v): Key[] => {
    if (typeof v === 'number' && Number.isFinite(v)) return [{ rank: 0, n: v }];
    if (typeof v === 'string') return [{ rank: 1, s: normalizeFacet(v) }];
    if (typeof v === 'boolean') return [{ rank: 1, s: String(v) }];
    return [];
  });
  if (keys.length === 0) return { rank: 2 };
  keys.sort(compareKeys);
  return (rule.descending ? keys[keys.length - 1] : keys[0]) as Key;
}

export function sortDocuments(docs: Document[], rules: SortRule[]): Document[] {
  const keyed = docs.map((doc) => ({ doc, keys: rules.map((r) => keyOf(doc, r)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < rules.length; i++) {
      const ka = a.keys[i] as Key;
      const kb = b.keys[i] as Key;
      if (ka.rank === 2 || kb.rank === 2) {
        if (ka.rank !== kb.rank) return ka.rank === 2 ? 1 : -1; // missing values last either way
        continue;
      }
      const c = compareKeys(ka, kb);
      if (c !== 0) return (rules[i] as SortRule).descending ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.doc);
}
