// Goal: the RF restorer's decision (runtime/topology/restore.ts) drains a node
// only once it has been down for restoreAfterMs, never while a job runs or
// when disabled, and never when one of its shards has no other live copy
// (RF 1 with a single group, or both replicas down), but does when another
// group serves. Method: states built by applying real commands, real
// rendezvous placement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterState } from '../../../../runtime/cluster/index.ts';
import { DownSince, restoreCandidate } from '../../../../runtime/topology/restore.ts';
import { place, stateWith, T } from './states.ts';

const cluster = (groups: Record<string, string[]>, rf: number): ClusterState => stateWith(groups, { items: 16 }, rf);

/** The decision at each of `times` (ms after T) with `down` down throughout. */
function decisions(state: ClusterState, down: readonly string[], restoreAfterMs: number, times: readonly number[]): (string | null)[] {
  const downSince = new DownSince();
  const isDown = (id: string): boolean => down.includes(id);
  return times.map((t) => restoreCandidate({ state, nowMs: T + t, restoreAfterMs, downSince, isDown, place }));
}

test('a node down for restoreAfterMs with RF 2 is drained, not before', () => {
  assert.deepEqual(decisions(cluster({ g1: ['a', 'b', 'c'] }, 2), ['b'], 3_000, [0, 1_000, 2_999, 3_000, 4_000]), [null, null, null, 'b', 'b']);
});

test('disabled (0), or while a job runs: nothing', () => {
  assert.deepEqual(decisions(cluster({ g1: ['a', 'b', 'c'] }, 2), ['b'], 0, [0, 10_000_000]), [null, null]);
  const busy = cluster({ g1: ['a', 'b', 'c'] }, 2);
  busy.jobs.set('job-1', { id: 'job-1', kind: 'rebalance', nodeId: null, status: 'running', reason: null, startedAt: 1, cutoverAt: null, startedAtMs: T, finishedAtMs: null });
  assert.deepEqual(decisions(busy, ['b'], 1_000, [0, 5_000]), [null, null]);
});

test('a shard with no other live copy holds the drain back; another live group releases it', () => {
  assert.deepEqual(decisions(cluster({ g1: ['a', 'b', 'c'] }, 1), ['b'], 1_000, [0, 5_000]), [null, null], 'RF 1, one group');
  assert.deepEqual(decisions(cluster({ g1: ['a', 'b'] }, 2), ['a', 'b'], 1_000, [0, 5_000]), [null, null], 'both replicas down');
  assert.deepEqual(decisions(cluster({ g1: ['a', 'b', 'c'], g2: ['x'] }, 1), ['b'], 1_000, [0, 5_000]), [null, 'b'], 'RF 1, another group serves');
});

test('a node that comes back starts the count again', () => {
  const state = cluster({ g1: ['a', 'b', 'c'] }, 2);
  const downSince = new DownSince();
  let down = true;
  const at = (t: number): string | null => restoreCandidate({ state, nowMs: T + t, restoreAfterMs: 3_000, downSince, isDown: (id) => down && id === 'b', place });
  assert.equal(at(0), null);
  assert.equal(at(2_000), null);
  down = false;
  assert.equal(at(2_500), null);
  down = true;
  assert.equal(at(3_000), null);
  assert.equal(at(5_999), null);
  assert.equal(at(6_000), 'b');
});
