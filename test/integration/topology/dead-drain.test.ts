// Goal (issue 5 §4, ARCHITECTURE §6 "unplanned failure"): a DEAD node (kill -9
// of its engine process) is drained and RF is restored. `miroir dev --rf 2`
// (3 peers, 3 engine nodes in one group, S 16) holds 1,000 documents; one
// node is killed. (1) An operator drains it; (2) nobody does, and the leader's
// RF restorer drains it once it has been down for `topology.restoreAfterMs`
// (3 s here). Either way the drain job succeeds, every shard has 2 owners
// again, none of them the dead node, both copies hold the shard's documents,
// and a search counts all 1,000.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { devCluster, eventually, type DevCluster } from '../cluster/harness.ts';
import { admin, countOnNode, finishedJob, owners, type JobView } from './admin.ts';
import { INDEX, makeDocs, type Doc } from './traffic.ts';

const S = 16;
const DOCS = 1_000;
const JOB_TIMEOUT_MS = 120_000;

interface Killed {
  cluster: DevCluster;
  group: string;
  dead: string;
}

/** A fresh `miroir dev --rf 2` with the documents, one engine node killed and judged down. */
async function clusterWithDeadNode(env: Record<string, string>): Promise<Killed> {
  const cluster = await devCluster(['--shards', String(S), '--rf', '2'], 120_000, env);
  const client = cluster.client();
  await client.createIndex(INDEX, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
  await client.index(INDEX).updateSettings({ filterableAttributes: ['n'], pagination: { maxTotalHits: 100_000 } }).waitTask({ timeout: 60_000 });
  await client.index<Doc>(INDEX).addDocuments(makeDocs(0, DOCS)).waitTask({ timeout: 60_000 });
  const group = (await cluster.topology()).groups[0]!.id;
  const before = await owners(cluster, INDEX, group);
  assert.equal(before.length, S);
  assert.ok(before.every((o) => o.length === 2), `RF 2 before: ${JSON.stringify(before)}`);
  const dead = cluster.nodes()[0]!;
  process.kill(dead.pid, 'SIGKILL');
  await eventually(async () => (await cluster.topology()).nodes.find((n) => n.id === dead.id)?.healthy === false, `${dead.id} judged down`, 60_000);
  return { cluster, group, dead: dead.id };
}

/** RF 2 on live nodes, both copies of every shard equal, every document once. */
async function assertRestored({ cluster, group, dead }: Killed): Promise<void> {
  const afterDrain = await owners(cluster, INDEX, group);
  assert.ok(afterDrain.every((o) => o.length === 2 && !o.includes(dead)), `RF 2 on live nodes after: ${JSON.stringify(afterDrain)}`);
  const live = new Map(cluster.nodes().filter((n) => n.id !== dead).map((n) => [n.id, n.url]));
  let perShardTotal = 0;
  for (let shard = 0; shard < S; shard++) {
    const counts: number[] = await Promise.all(afterDrain[shard]!.map((id) => countOnNode(cluster, live.get(id)!, shard)));
    assert.equal(counts[0], counts[1], `shard ${shard}: both copies equal (${counts.join(' vs ')})`);
    perShardTotal += counts[0]!;
  }
  assert.equal(perShardTotal, DOCS, 'every document on its shard');
  const search = await cluster.client().index(INDEX).search('', { hitsPerPage: 1, page: 1 });
  assert.equal(search.totalHits, DOCS);
}

test('draining a dead node (kill -9) brings every shard back to RF 2 on live nodes, nothing lost', async (t) => {
  const killed = await clusterWithDeadNode({});
  const drained = await admin<{ job: JobView }>(killed.cluster, 'POST', `/_miroir/nodes/${killed.dead}/drain`);
  assert.equal(drained.status, 202, JSON.stringify(drained.body));
  const job = await finishedJob(killed.cluster, drained.body.job.id, JOB_TIMEOUT_MS);
  assert.equal(job.status, 'succeeded', JSON.stringify(job));
  await assertRestored(killed);
  t.diagnostic(`drained dead ${killed.dead}: job ${job.id} ${job.status}, ${job.migrations.done}/${job.migrations.total} migrations`);
});

test('the leader drains a node down for topology.restoreAfterMs on its own, restoring RF 2', async (t) => {
  const killed = await clusterWithDeadNode({ MIROIR_TOPOLOGY_RESTORE_AFTER_MS: '3000' });
  const downAt = Date.now();
  const started = await eventually(async () => {
    const { body } = await admin<{ job: JobView | null }>(killed.cluster, 'GET', '/_miroir/rebalance');
    return body.job !== null && body.job.kind === 'drain' && body.job.nodeId === killed.dead ? body.job : null;
  }, `a drain job for ${killed.dead}`, 60_000);
  const startedAfterMs = Date.now() - downAt;
  const job = await finishedJob(killed.cluster, started.id, JOB_TIMEOUT_MS);
  assert.equal(job.status, 'succeeded', JSON.stringify(job));
  assert.equal(job.reason, 'restore-rf');
  await assertRestored(killed);
  const node = (await killed.cluster.topology()).nodes.find((n) => n.id === killed.dead);
  assert.equal(node?.state, 'removed', 'a drained node leaves the topology');
  t.diagnostic(`restorer drained ${killed.dead} ~${startedAfterMs} ms after it was judged down: job ${job.id} ${job.status}, ${job.migrations.done}/${job.migrations.total} migrations`);
});
