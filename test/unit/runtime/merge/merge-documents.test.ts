// Goal: GET /documents across nodes returns the global window in primary-key
// (or requested sort) order with the summed total. Method: a seeded corpus
// split over nodes that each return their first offset+limit in key order;
// the merge must equal slicing the whole corpus sorted by a naive comparator.
// Then hand-built cases for sort rules, mixed id types and stripping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeDocumentPages, parseDocumentSort } from '../../../../runtime/merge/merge-documents.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';

test('random splits: the merged window equals the sorted corpus window', () => {
  const rng = seededRng(5);
  for (let trial = 0; trial < 200; trial++) {
    const docs = Array.from({ length: rng.int(80) }, (_, i) => ({ id: rng.next() < 0.5 ? i : `${rng.next() < 0.5 ? 's' : 'S'}${i}`, n: rng.int(5) }));
    // Meilisearch's `id:asc`: numbers first, then strings lower-cased; raw id last.
    const norm = (id: number | string): number | string => (typeof id === 'string' ? id.toLowerCase() : id);
    const naive = (a: { id: number | string }, b: { id: number | string }): number =>
      typeof a.id !== typeof b.id
        ? typeof a.id === 'number' ? -1 : 1
        : norm(a.id) < norm(b.id) ? -1 : norm(a.id) > norm(b.id) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    const k = 1 + rng.int(5);
    const nodes: (typeof docs)[] = Array.from({ length: k }, () => []);
    for (const d of docs) nodes[rng.int(k)]!.push(d);
    const offset = rng.int(40);
    const limit = rng.int(30);
    const pages = nodes.map((n) => ({ results: [...n].sort(naive).slice(0, offset + limit), total: n.length }));
    const merged = mergeDocumentPages({ pages, offset, limit, primaryKey: 'id', sort: [], addedFields: [] });
    assert.deepEqual(merged, { results: [...docs].sort(naive).slice(offset, offset + limit), offset, limit, total: docs.length });
  }
});

test('sort rules order by field values (numbers, strings, missing last), then by primary key; added fields are stripped', () => {
  const sort = parseDocumentSort('year:desc, title:asc');
  assert.deepEqual(sort, [{ field: 'year', ascending: false }, { field: 'title', ascending: true }]);
  assert.deepEqual(parseDocumentSort(['rank']), [{ field: 'rank', ascending: true }]);
  const pages = [
    { results: [{ id: 3, year: 2001, title: 'b', _miroir_shard: 1 }, { id: 1, year: 'n/a' }], total: 2 },
    { results: [{ id: 2, year: 2001, title: 'A' }, { id: 4, year: 1999 }, { id: 5 }], total: 3 },
  ];
  const merged = mergeDocumentPages({ pages, offset: 0, limit: 10, primaryKey: 'id', sort, addedFields: ['year'] });
  assert.deepEqual(merged.results, [{ id: 2, title: 'A' }, { id: 3, title: 'b' }, { id: 4 }, { id: 1 }, { id: 5 }]);
  assert.equal(merged.total, 5);
  const none = mergeDocumentPages({ pages, offset: 0, limit: 0, primaryKey: 'id', sort, addedFields: [] });
  assert.deepEqual([none.results, none.total], [[], 5]);
});
