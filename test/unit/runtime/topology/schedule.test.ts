// Goal: the rebalancer's schedule — at most `max` migrations before their
// cut-over run at once (in plan order), every cleanup runs, the job is due for
// its cut-over exactly when every migration is verified (or done).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, emptyState, type ClusterCommand } from '../../../../runtime/cluster/index.ts';
import { schedule } from '../../../../runtime/topology/schedule.ts';

const T = 1_700_000_000_000;

test('concurrency limit, cleanups, cut-over when all are verified', () => {
  const state = emptyState();
  let index = 0;
  const run = (c: ClusterCommand): void => void apply(state, c, ++index, { placeShard: (shard, ids) => [ids[shard % ids.length] as string] });
  run({ v: 1, kind: 'group.add', id: 'g', nowMs: T });
  for (const id of ['a', 'b']) {
    run({ v: 1, kind: 'node.add', id, url: `http://x/${id}`, group: 'g', nowMs: T });
    run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: T });
  }
  run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: 12, nowMs: T });
  run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://x/c', group: 'g', nowMs: T });
  const ids = [...state.migrations.keys()].sort();
  assert.ok(ids.length >= 4);
  assert.deepEqual(schedule(state, new Set(), 2), { start: ids.slice(0, 2), cutoverJob: null });
  assert.deepEqual(schedule(state, new Set(ids.slice(0, 2)), 2).start, []);
  for (const id of ids) for (const phase of ['copy', 'replay', 'verify', 'cutover'] as const) run({ v: 1, kind: 'migration.phase', id, phase, nowMs: T });
  const due = schedule(state, new Set(), 2);
  assert.deepEqual(due.start, []);
  assert.equal(due.cutoverJob, [...state.jobs.keys()][0]);
  run({ v: 1, kind: 'job.cutover', jobId: due.cutoverJob!, nowMs: T });
  assert.deepEqual(schedule(state, new Set(), 2), { start: ids, cutoverJob: null }, 'every cleanup at once');
});
