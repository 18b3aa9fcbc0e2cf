// GET /documents and POST /documents/fetch across nodes (ARCHITECTURE §4):
// each node was asked for offset 0, limit offset+limit of its own shards; the
// answer is the global window [offset, offset+limit) of the merged lists and
// `total` is the sum of the node totals (exact: the shard restriction makes
// the node sets disjoint).
//
// Order: by the client's `sort` rules on the documents' field values (numbers
// before strings, missing last), then by primary key in the same facet order
// (planDocuments can ask nodes to sort by it). Nodes list documents in
// their internal id order unless asked to sort, so the lists are k-way merged
// from their heads: when nodes were asked to sort by the same rules (or by the
// primary key) the result is in global order; otherwise it is still a stable,
// deterministic interleaving whose pages never overlap (see k-way.ts).
import { compareSortValues, sortValueOf, valueAtPath } from './facet-value.ts';
import type { SortValue } from './facet-value.ts';
import { kWayMerge } from './k-way.ts';
import { comparePrimaryKeys } from './primary-key.ts';
import { compileStrip, stripFields } from './strip.ts';
import type { Hit } from './types.ts';

export interface NodeDocumentsPage {
  readonly results: readonly Hit[];
  readonly total: number;
}

export interface DocumentSortRule {
  readonly field: string;
  readonly ascending: boolean;
}

export interface MergeDocumentsInput {
  readonly pages: readonly NodeDocumentsPage[];
  readonly offset: number;
  readonly limit: number;
  readonly primaryKey: string | null;
  readonly sort: readonly DocumentSortRule[];
  /** Fields Miroir added to `fields` (primary key, sort fields), removed from the answer. */
  readonly addedFields: readonly string[];
}

export interface MergedDocumentsPage {
  results: Record<string, unknown>[];
  offset: number;
  limit: number;
  total: number;
}

interface Entry {
  readonly doc: Hit;
  readonly values: readonly SortValue[];
  readonly pk: unknown;
}

/** Parses `title:asc,year:desc` (GET) or `["title:asc"]` (POST) into sort rules. */
export function parseDocumentSort(sort: string | readonly string[] | undefined): DocumentSortRule[] {
  if (sort === undefined) return [];
  const items = typeof sort === 'string' ? sort.split(',') : sort;
  return items
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const colon = s.lastIndexOf(':');
      if (colon < 0) return { field: s, ascending: true };
      return { field: s.slice(0, colon), ascending: s.slice(colon + 1) !== 'desc' };
    });
}

export function mergeDocumentPages(input: MergeDocumentsInput): MergedDocumentsPage {
  const { primaryKey } = input;
  // The primary key closes the order as a node sorting by `pk:asc` would sort
  // it (numbers first, strings normalized); the raw key then separates ids
  // that normalize alike ("A" and "a").
  const sort = primaryKey === null ? input.sort : [...input.sort, { field: primaryKey, ascending: true }];
  const lists = input.pages.map((page) =>
    page.results.map(
      (doc): Entry => ({
        doc,
        values: sort.map((rule) => sortValueOf(valueAtPath(doc, rule.field), rule.ascending)),
        pk: primaryKey === null ? undefined : doc[primaryKey],
      }),
    ),
  );
  const compare = (a: Entry, b: Entry): number => {
    for (let i = 0; i < sort.length; i++) {
      const c = compareSortValues(a.values[i]!, b.values[i]!, sort[i]!.ascending);
      if (c !== 0) return c;
    }
    return comparePrimaryKeys(a.pk, b.pk);
  };
  const end = input.offset + input.limit;
  const merged: Entry[] = [];
  const compareAt = (la: number, a: number, lb: number, b: number): number => compare(lists[la]![a]!, lists[lb]![b]!);
  if (end > 0) kWayMerge(lists.map((l) => l.length), compareAt, (list, at) => merged.push(lists[list]![at]!) < end);
  const strip = compileStrip({ keepRankingScore: false, keepRankingScoreDetails: false, addedFields: input.addedFields });
  return {
    results: merged.slice(input.offset, end).map((e) => stripFields(e.doc, strip)),
    offset: input.offset,
    limit: input.limit,
    total: input.pages.reduce((sum, p) => sum + p.total, 0),
  };
}
