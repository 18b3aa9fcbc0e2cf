// Goal: the quorum rule of the `quorum` ack mode (runtime/writes/quorum.ts):
// each shard needs floor(RF/2)+1 acks among its owners in at least one
// group; a target that reported an outcome counts as acked; shadow targets
// never count; the groups short of it are named. A broadcast (no shard lists)
// needs the same for every shard whatever the placement: some group where
// every possible owner set of `copies` nodes holds floor(RF/2)+1 acks.
// Method: seeded random dispatch records checked against a brute-force
// reading of each rule (for broadcasts, every owner set enumerated).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRng } from '../../../../runtime/env/rng.ts';
import type { DispatchTarget } from '../../../../runtime/cluster/index.ts';
import { quorumSize, quorumVerdict, shardedWrite } from '../../../../runtime/writes/quorum.ts';

test('quorum sizes: floor(RF/2)+1', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(quorumSize), [1, 2, 2, 3, 3]);
});

test('a broadcast (no shard lists) is not a sharded write; RF 1 needs every node of one group', () => {
  const targets = [
    { nodeId: 'n1', group: 'g1', shards: null }, { nodeId: 'n2', group: 'g1', shards: null }, { nodeId: 'n3', group: 'g1', shards: null },
    { nodeId: 'n4', group: 'g2', shards: null },
  ];
  const record = { targets, outcomes: [], copies: { g1: 1, g2: 1 } };
  assert.equal(shardedWrite(record), false);
  assert.deepEqual(quorumVerdict(record, new Set(), 1), { met: false, missingGroups: ['g1', 'g2'] });
  // Two of three is a majority of g1's nodes, but the third owns shards that would lack the command.
  assert.deepEqual(quorumVerdict(record, new Set(['n1', 'n2']), 1), { met: false, missingGroups: ['g1', 'g2'] });
  assert.deepEqual(quorumVerdict(record, new Set(['n4']), 1), { met: true, missingGroups: ['g1'] });
  // A reported outcome counts as an ack.
  const reported = { ...record, outcomes: [{ nodeId: 'n3', status: 'failed' as const, error: null, counts: {} }] };
  assert.deepEqual(quorumVerdict(reported, new Set(['n1', 'n2']), 1), { met: true, missingGroups: ['g2'] });
});

test('broadcast verdicts equal the rule over every placement, on seeded random records', () => {
  const rng = seededRng(4242);
  const subsets = (items: string[], size: number): string[][] =>
    size === 0 ? [[]] : items.flatMap((first, i) => subsets(items.slice(i + 1), size - 1).map((rest) => [first, ...rest]));
  for (let round = 0; round < 500; round++) {
    const rf = 1 + rng.int(4);
    const groups = ['g1', 'g2', 'g3'].slice(0, 1 + rng.int(3));
    const targets: DispatchTarget[] = [];
    const copies: Record<string, number> = {};
    for (const group of groups) {
      const size = 1 + rng.int(5);
      for (let n = 0; n < size; n++) targets.push({ nodeId: `${group}-n${n}`, group, shards: null });
      copies[group] = Math.min(rf, size - rng.int(2));
    }
    const acked = new Set(targets.filter(() => rng.int(4) > 0).map((t) => t.nodeId));
    const verdict = quorumVerdict({ targets, outcomes: [], copies }, acked, rf);

    // A group meets it when every set of `copies` of its nodes, each a shard's possible owners, holds the quorum.
    const groupMeets = (g: string): boolean => {
      const ids = targets.filter((t) => t.group === g).map((t) => t.nodeId);
      return copies[g]! >= Math.floor(rf / 2) + 1 &&
        subsets(ids, copies[g]!).every((owners) => owners.filter((id) => acked.has(id)).length >= Math.floor(rf / 2) + 1);
    };
    const missing = groups.filter((g) => !groupMeets(g)).sort();
    assert.deepEqual(verdict, { met: missing.length < groups.length, missingGroups: missing }, `round ${round}`);
  }
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
    // A sharded write writes some shard (a record with none is a broadcast, tested above).
    if (!shardedWrite({ targets })) continue;
    const acked = new Set(targets.filter(() => rng.int(3) > 0).map((t) => t.nodeId));
    const outcomes = targets.filter(() => rng.int(5) === 0).map((t) => ({ nodeId: t.nodeId, status: 'succeeded' as const, error: null, counts: {} }));
    const verdict = quorumVerdict({ targets, outcomes, copies: {} }, acked, rf);

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
