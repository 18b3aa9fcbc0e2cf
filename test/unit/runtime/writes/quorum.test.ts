// Goal: the quorum rule of the `quorum` ack mode (runtime/writes/quorum.ts):
// each shard needs floor(RF/2)+1 acks among its owners in at least one
// group; a target that reported an outcome counts as acked; shadow targets
// never count; the groups short of it are named. Method: seeded random
// dispatch records checked against a brute-force reading of the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRng } from '../../../../runtime/env/rng.ts';
import type { DispatchTarget } from '../../../../runtime/cluster/index.ts';
import { quorumSize, quorumVerdict, shardedWrite } from '../../../../runtime/writes/quorum.ts';

test('quorum sizes: floor(RF/2)+1', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(quorumSize), [1, 2, 2, 3, 3]);
});

test('a broadcast (no shard lists) is not a sharded write and needs nothing', () => {
  const record = { targets: [{ nodeId: 'n1', group: 'g1', shards: null }], outcomes: [] };
  assert.equal(shardedWrite(record), false);
  assert.deepEqual(quorumVerdict(record, new Set(), 1), { met: true, missingGroups: [] });
});

test('the verdict equals the rule read literally, on seeded random records', () => {
  const rng = seededRng(2026);
  for (let round = 0; round < 500; round++) {
    const rf = 1 + rng.int(3);
    const groups = ['g1', 'g2', 'g3'].slice(0, 1 + rng.int(3));
    const shards = 1 + rng.int(6);
    const targets: DispatchTarget[] = [];
    for (const group of groups) {
      for (let n = 0; n < 1 + rng.int(4); n++) {
        const owned = Array.from({ length: shards }, (_, s) => s).filter(() => rng.int(2) === 0);
        targets.push({ nodeId: `${group}-n${n}`, group, shards: owned, ...(rng.int(6) === 0 ? { shadow: true as const } : {}) });
      }
    }
    const acked = new Set(targets.filter(() => rng.int(3) > 0).map((t) => t.nodeId));
    const outcomes = targets.filter(() => rng.int(5) === 0).map((t) => ({ nodeId: t.nodeId, status: 'succeeded' as const, error: null, counts: {} }));
    const verdict = quorumVerdict({ targets, outcomes }, acked, rf);

    const counted = (t: DispatchTarget) => t.shadow !== true && (acked.has(t.nodeId) || outcomes.some((o) => o.nodeId === t.nodeId));
    const written = new Set(targets.filter((t) => t.shadow !== true).flatMap((t) => t.shards ?? []));
    const groupMeets = (g: string, s: number) =>
      targets.filter((t) => t.group === g && t.shards?.includes(s) && counted(t)).length >= Math.floor(rf / 2) + 1;
    const servingGroups = [...new Set(targets.filter((t) => t.shadow !== true).map((t) => t.group))];
    const met = [...written].every((s) => servingGroups.some((g) => groupMeets(g, s)));
    const missing = servingGroups.filter((g) => [...written].some((s) => !groupMeets(g, s))).sort();
    assert.deepEqual(verdict, { met, missingGroups: missing }, `round ${round}`);
  }
});
