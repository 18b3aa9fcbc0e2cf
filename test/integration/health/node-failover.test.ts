// Goal: issue 5 §2 with real processes: in a cluster of 3 peers and 3 engine
// nodes with RF 2, kill -9 of one node leaves every search complete (exact
// total, no `X-Miroir-Degraded`), every peer marks the node failed within
// about one health interval (the first probe after the kill plus the suspect
// re-probe), and the node restarted from its data dir is marked healthy
// again and answers searches.
// Method: `miroir dev --rf 2` (test/integration/cluster/harness.ts), searches
// over plain HTTP to read the header, health read from every peer's
// /_miroir/topology; the default health config (probe every 1000 ms,
// suspect re-probe 250 ms, unhealthy after 2, recovered after 2). The time
// bounds are generous multiples, since the machine is shared; the measured
// numbers go to bench/topology/results.md through bench/topology/failover.ts.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { removeDataDir, tempDataDir, type DevCluster } from '../cluster/harness.ts';
import { isComplete, killAndRestart, searchOnce, startFailoverCluster, type FailoverResult } from './failover-scenario.ts';

const HEALTH_INTERVAL_MS = 1_000;

test('RF 2: kill -9 of a node keeps searches complete, every peer routes around it, a restart brings it back', async () => {
  const dataDir = tempDataDir();
  let cluster: DevCluster | null = null;
  let result: FailoverResult | null = null;
  after(async () => {
    result?.restarted.kill('SIGKILL');
    await cluster?.stop();
    removeDataDir(dataDir);
  });
  cluster = await startFailoverCluster(dataDir);
  const before = await searchOnce(cluster, 'p1');
  assert.ok(isComplete(before), `complete before the kill: ${JSON.stringify(before)}`);

  result = await killAndRestart(cluster, 'n2', HEALTH_INTERVAL_MS);
  const partial = result.samplesAfterKill.filter((s) => !isComplete(s));
  assert.deepEqual(partial, [], 'every search after the kill is complete (RF 2)');
  assert.ok(result.samplesAfterKill.length >= 6);
  // Recovery includes booting the node process (seconds on a loaded machine).
  // Worst case: the next probe comes one interval after the kill, then one suspect re-probe; the rest is slack for a loaded machine.
  assert.ok(result.failedEverywhereMs < 8 * HEALTH_INTERVAL_MS, `failed on every peer after ${result.failedEverywhereMs} ms`);
  assert.ok(result.recoveredEverywhereMs < 45 * HEALTH_INTERVAL_MS, `healthy again after ${result.recoveredEverywhereMs} ms`);
  for (const peer of ['p1', 'p2', 'p3']) {
    const after = await searchOnce(cluster, peer);
    assert.ok(isComplete(after), `complete after the restart on ${peer}: ${JSON.stringify(after)}`);
  }
  console.log(`# failover: first complete search ${result.firstCompleteMs} ms, failed everywhere ${result.failedEverywhereMs} ms, recovered ${result.recoveredEverywhereMs} ms`);
});
