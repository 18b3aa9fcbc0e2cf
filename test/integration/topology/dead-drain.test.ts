// Goal (issue 5 §4, ARCHITECTURE §6 "unplanned failure"): draining a node
// that is DEAD (kill -9 of its engine process) restores RF. `miroir dev
// --rf 2` (3 peers, 3 engine nodes in one group, S 16) holds 1,000
// documents; one node is killed and drained: the job succeeds, every shard
// has 2 owners again, none of them the dead node, each copy on a live node
// holds its shard's documents, and a search counts all 1,000.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, removeDataDir, startDev, tempDataDir, type DevCluster } from '../cluster/harness.ts';
import { admin, countOnNode, finishedJob, owners, type JobView } from './admin.ts';
import { INDEX, makeDocs, type Doc } from './traffic.ts';

const S = 16;
const DOCS = 1_000;
const JOB_TIMEOUT_MS = 120_000;

test('draining a dead node (kill -9) brings every shard back to RF 2 on live nodes, nothing lost', async (t) => {
  const dataDir = tempDataDir();
  let cluster: DevCluster | null = null;
  after(async () => {
    await cluster?.stop();
    removeDataDir(dataDir);
  });
  cluster = await startDev(dataDir, ['--shards', String(S), '--rf', '2']);
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
  await eventually(async () => (await cluster!.topology()).nodes.find((n) => n.id === dead.id)?.healthy === false, `${dead.id} judged down`, 60_000);

  const drained = await admin<{ job: JobView }>(cluster, 'POST', `/_miroir/nodes/${dead.id}/drain`);
  assert.equal(drained.status, 202, JSON.stringify(drained.body));
  const job = await finishedJob(cluster, drained.body.job.id, JOB_TIMEOUT_MS);
  assert.equal(job.status, 'succeeded', JSON.stringify(job));

  const afterDrain = await owners(cluster, INDEX, group);
  assert.ok(afterDrain.every((o) => o.length === 2 && !o.includes(dead.id)), `RF 2 on live nodes after: ${JSON.stringify(afterDrain)}`);
  const live = new Map(cluster.nodes().filter((n) => n.id !== dead.id).map((n) => [n.id, n.url]));
  let perShardTotal = 0;
  for (let shard = 0; shard < S; shard++) {
    const counts: number[] = await Promise.all(afterDrain[shard]!.map((id) => countOnNode(cluster!, live.get(id)!, shard)));
    assert.equal(counts[0], counts[1], `shard ${shard}: both copies equal (${counts.join(' vs ')})`);
    perShardTotal += counts[0]!;
  }
  assert.equal(perShardTotal, DOCS, 'every document on its shard');
  const search = await client.index(INDEX).search('', { hitsPerPage: 1, page: 1 });
  assert.equal(search.totalHits, DOCS);
  t.diagnostic(`drained dead ${dead.id}: job ${job.id} ${job.status}, ${job.migrations.done}/${job.migrations.total} migrations`);
});
