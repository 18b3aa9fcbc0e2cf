// Goal: the migration plan of a topology change moves only what placement
// changed, and about the theoretical minimum: adding a 4th node to a 3-node
// group moves the slots the new node wins (property over many seeds, ≤ 1.1 ×
// S/4 on average), draining moves exactly the drained node's slots, other
// groups never move. Method: real rendezvous placement (xxh64) over states
// built by applying real commands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterState } from '../../../../runtime/cluster/index.ts';
import { planMoves } from '../../../../runtime/topology/plan.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import { place, stateWith, T } from './states.ts';

function setState(state: ClusterState, id: string, to: 'joining' | 'draining'): void {
  const node = state.nodes.get(id);
  if (node !== undefined) node.state = to;
  else state.nodes.set(id, { id, url: 'http://x', group: 'g1', state: to, addedAtMs: T, stateChangedAtMs: T });
}

test('a joining node receives exactly the shards whose placement now names it', () => {
  const state = stateWith({ g1: ['a', 'b', 'c'], g2: ['x', 'y'] }, { movies: 64 });
  setState(state, 'd', 'joining');
  const moves = planMoves(state, place);
  const expected = Array.from({ length: 64 }, (_, s) => s).filter((s) => place(s, ['a', 'b', 'c', 'd'], 1)[0] === 'd');
  assert.deepEqual(moves.map((m) => m.shard), expected);
  for (const m of moves) {
    assert.equal(m.to, 'd');
    assert.equal(m.group, 'g1');
    assert.deepEqual(m.from, place(m.shard, ['a', 'b', 'c'], 1));
  }
});

test('draining moves exactly the drained node\'s slots, to their next owners (RF 2)', () => {
  const state = stateWith({ g1: ['a', 'b', 'c', 'd'] }, { movies: 32 }, 2);
  setState(state, 'b', 'draining');
  const moves = planMoves(state, place);
  const held = Array.from({ length: 32 }, (_, s) => s).filter((s) => place(s, ['a', 'b', 'c', 'd'], 2).includes('b'));
  assert.deepEqual(moves.map((m) => m.shard), held);
  for (const m of moves) {
    assert.ok(m.from.includes('b'));
    assert.notEqual(m.to, 'b');
    assert.ok(place(m.shard, ['a', 'c', 'd'], 2).includes(m.to));
  }
});

test('no change, no move; an empty group or no index plans nothing', () => {
  assert.deepEqual(planMoves(stateWith({ g1: ['a', 'b', 'c'] }, { movies: 16 }), place), []);
  const none = stateWith({ g1: ['a'] }, {});
  setState(none, 'd', 'joining');
  assert.deepEqual(planMoves(none, place), []);
});

test('property: a 4th node joining a 3-node group moves ≤ 1.1 × the minimum (S/4 per index), over 200 seeds', () => {
  const rng = seededRng(20260123);
  let moved = 0;
  let minimum = 0;
  for (let seed = 0; seed < 200; seed++) {
    const ids = Array.from({ length: 4 }, () => `node-${rng.int(1_000_000_000).toString(36)}`);
    if (new Set(ids).size < 4) continue;
    const S = 16 + rng.int(113);
    const state = stateWith({ g1: ids.slice(0, 3) }, { idx: S });
    setState(state, ids[3] as string, 'joining');
    const moves = planMoves(state, place);
    // Only shards the new node wins move, and only to it.
    for (const m of moves) assert.equal(m.to, ids[3]);
    assert.equal(new Set(moves.map((m) => m.shard)).size, moves.length);
    moved += moves.length;
    minimum += S / 4;
  }
  const ratio = moved / minimum;
  assert.ok(ratio <= 1.1, `moved ${moved} vs minimum ${minimum.toFixed(1)}: ratio ${ratio.toFixed(3)}`);
  assert.ok(ratio >= 0.9, `ratio ${ratio.toFixed(3)} is suspiciously low (the plan may be missing moves)`);
});

test('a group being added is synced whole from the first serving group; the other groups never move', () => {
  const state = stateWith({ g1: ['a', 'b', 'c'] }, { movies: 8 });
  state.groups.set('g2', { id: 'g2', createdAtMs: T });
  for (const id of ['x', 'y']) state.nodes.set(id, { id, url: `http://${id}`, group: 'g2', state: 'joining', addedAtMs: T, stateChangedAtMs: T });
  const moves = planMoves(state, place);
  assert.deepEqual(moves.map((m) => m.shard), [0, 1, 2, 3, 4, 5, 6, 7]);
  for (const m of moves) {
    assert.equal(m.group, 'g2');
    assert.deepEqual(m.from, place(m.shard, ['a', 'b', 'c'], 1));
    assert.deepEqual([m.to], place(m.shard, ['x', 'y'], 1));
  }
});

test('the copy reads an active owner before a draining one (RF 2)', async () => {
  const { sourceOf } = await import('../../../../runtime/topology/migration-io.ts');
  const state = stateWith({ g1: ['a', 'b', 'c', 'd'] }, { movies: 32 }, 2);
  setState(state, 'b', 'draining');
  const m = planMoves(state, place).find((x) => x.from[0] === 'b')!;
  const record = { ...m, id: 'm', jobId: 'j', phase: 'hold' as const, fromLogIndex: 1, releasedAt: null, copied: 0, total: 0, error: null, startedAtMs: T, updatedAtMs: T };
  assert.equal(sourceOf(state, record), m.from[1]);
});
