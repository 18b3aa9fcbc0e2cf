// Goal: the read views the edge serves — index list/get in Meilisearch's shape
// and order, and task pages — agree with simple oracles. Method: index
// pagination by hand; task pages against a brute-force oracle over generated
// tables and queries (fast-check).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ClusterCommand } from '../../../../runtime/cluster/commands.ts';
import { getIndex, indexView, listIndexes } from '../../../../runtime/cluster/queries.ts';
import { listTasks, type TaskQuery } from '../../../../runtime/cluster/task-query.ts';
import { Replica, T0 } from './fixtures.ts';

test('indexes list in uid byte order with offset/limit/total; views have Meilisearch keys', () => {
  const r = new Replica();
  for (const uid of ['b', 'B', 'a', '_x', '9']) r.run({ v: 1, kind: 'index.create', uid, primaryKey: null, shards: 1, nowMs: T0 });
  const page = listIndexes(r.state, { offset: 1, limit: 3 });
  assert.deepEqual([page.results.map((i) => i.uid), page.offset, page.limit, page.total], [['B', '_x', 'a'], 1, 3, 5]);
  assert.deepEqual(listIndexes(r.state, {}, (uid) => uid !== 'a').results.map((i) => i.uid), ['9', 'B', '_x', 'b']);
  const index = getIndex(r.state, 'a');
  assert.ok(index);
  assert.deepEqual(indexView(index), { uid: 'a', createdAt: '2026-01-02T03:04:05.6Z', updatedAt: '2026-01-02T03:04:05.6Z', primaryKey: null });
  assert.equal(getIndex(r.state, 'zz'), null);
});

/** The oracle: sort all matches, cut at `from`, take `limit`. */
function oracle(uidsAndIndexes: { uid: number; index: string }[], q: TaskQuery): { uids: number[]; next: number | null; total: number } {
  const matching = uidsAndIndexes.filter((t) => q.indexUids === undefined || q.indexUids.includes(t.index)).map((t) => t.uid);
  const ordered = q.reverse === true ? [...matching].sort((a, b) => a - b) : [...matching].sort((a, b) => b - a);
  const from = q.from;
  const rest = from === undefined ? ordered : ordered.filter((u) => (q.reverse === true ? u >= from : u <= from));
  const limit = q.limit ?? 20;
  return { uids: rest.slice(0, limit), next: rest[limit] ?? null, total: matching.length };
}

test('property: task pages equal the brute-force oracle', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 30 }),
      fc.record({ limit: fc.nat({ max: 8 }), from: fc.option(fc.nat({ max: 35 }), { nil: undefined }), reverse: fc.boolean(), indexUids: fc.option(fc.subarray(['a', 'b', 'c']), { nil: undefined }) }),
      (indexes, q) => {
        const r = new Replica();
        r.runAll(indexes.map((uid): ClusterCommand => ({ v: 1, kind: 'documents.clear', indexUid: uid, nowMs: T0 })));
        const query: TaskQuery = { limit: q.limit, reverse: q.reverse };
        if (q.from !== undefined) query.from = q.from;
        if (q.indexUids !== undefined) query.indexUids = q.indexUids;
        const page = listTasks(r.state, query);
        const expected = oracle(indexes.map((index, uid) => ({ uid, index })), query);
        assert.deepEqual({ uids: page.results.map((t) => t.uid), next: page.next, total: page.total }, expected);
        assert.equal(page.from, expected.uids[0] ?? null);
      },
    ),
    { numRuns: 200 },
  );
});
