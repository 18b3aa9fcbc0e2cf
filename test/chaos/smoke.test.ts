// Chaos smoke (issue 6 §4): one fixed seed, ~15 s of faults, small batches —
// the full chaos run (chaos/chaos.ts) in miniature, so that every `npm test`
// kills, freezes and restarts real processes under load and checks the same
// invariants as `npm run chaos`: every acknowledged document exactly once in
// listing and search, identical replicas, no stuck task, Raft agreement.
// Only the load and the duration are smaller; no invariant is relaxed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runChaos, verdictLine } from '../../chaos/chaos.ts';

// Its first faults: a peer paused, a node paused, a peer killed -9 and restarted.
const SEED = 20;

test('chaos smoke: seeded kills and pauses under load lose nothing acknowledged', { timeout: 420_000 }, async (t) => {
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
  assert.deepEqual(verdict.problems, [], `${verdictLine(verdict)}; logs in ${verdict.dataDir}`);
  assert.ok(verdict.pass);
});
