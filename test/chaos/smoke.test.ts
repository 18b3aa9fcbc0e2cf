// Chaos smoke (issue 6 §4): one fixed seed, ~15 s of faults, small batches —
// the full chaos run (chaos/chaos.ts) in miniature, so that every `npm test`
// partitions a peer, kills, freezes and restarts real processes under load
// and checks the same invariants as `npm run chaos`: every acknowledged
// document exactly once in listing and search, identical replicas, no stuck
// task, Raft agreement (live indexes, then the stopped peers' logs).
// Only the load and the duration are smaller; no invariant is relaxed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChaos, verdictLine } from '../../chaos/chaos.ts';

// Its first faults: a node paused, a peer partitioned (its links silent both ways), a peer killed -9 and restarted.
const SEED = 33;

test('chaos smoke: a seeded pause, partition and kill under load lose nothing acknowledged', { timeout: 420_000 }, async (t) => {
  const verdict = await runChaos({
    seed: SEED,
    durationMs: 15_000,
    batchSize: 4,
    writePauseMs: 200,
    searchPauseMs: 200,
    log: (line) => t.diagnostic(line),
  });
  t.diagnostic(verdictLine(verdict));
  assert.ok(verdict.faults > 0, 'at least one fault injected');
  assert.ok(verdict.batches > 0, 'at least one batch acknowledged');
  assert.ok(verdict.meshConnections > 0, 'the peers talked through the fault proxies');
  assert.deepEqual(verdict.problems, [], `${verdictLine(verdict)}; logs in ${verdict.dataDir}`);
  assert.ok(verdict.pass);
});
