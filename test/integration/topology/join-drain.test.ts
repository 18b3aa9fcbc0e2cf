// Goal (issue 5 §6): elastic nodes under continuous client traffic, with real
// processes. `miroir dev` (3 peers, 3 engine nodes, RF 1, S 16) holds 2,000
// documents; a writer keeps adding documents and a searcher keeps counting
// them through the official `meilisearch` client. (1) A 4th engine node joins
// (POST /_miroir/nodes): the migrations are exactly the shards whose
// placement changed, no search misses a document whose task had succeeded,
// the counts are exact at the end, the old owners no longer hold the moved
// shards and the new node holds exactly them. (2) A node is drained
// (POST /_miroir/nodes/{id}/drain) the same way, then removed (DELETE).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { removeDataDir, startDev, tempDataDir, type DevCluster } from '../cluster/harness.ts';
import { spawnNode, tempDir, type SpawnedNode } from '../engine/spawn-node.ts';
import { admin, countOnNode, finishedJob, migrationsOf, owners, type JobView } from './admin.ts';
import { INDEX, makeDocs, startTraffic, type Doc } from './traffic.ts';

const S = 16;
const INITIAL = 2_000;
const JOB_TIMEOUT_MS = 90_000;

test('a 4th node joins, then a node drains and is removed, under continuous writes and searches', async (t) => {
  const dataDir = tempDataDir();
  const nodeDir = tempDir('topology-node');
  let cluster: DevCluster | null = null;
  let extra: SpawnedNode | null = null;
  after(async () => {
    await cluster?.stop();
    await extra?.stop();
    removeDataDir(dataDir);
    nodeDir.remove();
  });
  [cluster] = await Promise.all([startDev(dataDir, ['--shards', String(S)])]);
  extra = await spawnNode({ dbPath: nodeDir.path, masterKey: cluster.nodeMasterKey, timeoutMs: 60_000 });
  const client = cluster.client();
  await client.createIndex(INDEX, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
  await client.index(INDEX).updateSettings({ filterableAttributes: ['n'], pagination: { maxTotalHits: 100_000 } }).waitTask({ timeout: 60_000 });
  for (let from = 0; from < INITIAL; from += 500) {
    await client.index<Doc>(INDEX).addDocuments(makeDocs(from, 500)).waitTask({ timeout: 60_000 });
  }
  const topology = await cluster.topology();
  const group = topology.groups[0]!.id;
  const before = await owners(cluster, INDEX, group);
  assert.equal(before.length, S);

  // (1) join under traffic.
  const traffic = startTraffic(client, INITIAL);
  const joined = await admin<{ node: { id: string; state: string }; job: JobView }>(cluster, 'POST', '/_miroir/nodes', { id: 'n4', url: extra.url, group });
  assert.equal(joined.status, 202, JSON.stringify(joined.body));
  assert.equal(joined.body.node.state, 'joining');
  const busy = await admin<{ code: string }>(cluster, 'POST', '/_miroir/rebalance');
  assert.ok(busy.status === 409 || joined.body.job.status !== 'running', `a second job while one runs: ${busy.status} ${JSON.stringify(busy.body)}`);
  const joinJob = await finishedJob(cluster, joined.body.job.id, JOB_TIMEOUT_MS);
  assert.equal(joinJob.status, 'succeeded', JSON.stringify(joinJob));
  const afterJoin = await owners(cluster, INDEX, group);
  const changed = afterJoin.flatMap((o, shard) => (o.join() === before[shard]!.join() ? [] : [shard]));
  const migrations = await migrationsOf(cluster, joinJob.id);
  assert.deepEqual(migrations.map((m) => m.shard).sort((a, b) => a - b), changed, 'exactly the shards whose placement changed moved');
  assert.ok(changed.length > 0 && changed.every((s) => afterJoin[s]!.join() === 'n4'));
  for (const m of migrations) assert.deepEqual([m.phase, m.from, m.to], ['done', before[m.shard], 'n4']);

  // (2) drain one of the original nodes under the same traffic, then remove it.
  const drainedId = before[changed[0]!]![0]!;
  const drained = await admin<{ node: { state: string }; job: JobView }>(cluster, 'POST', `/_miroir/nodes/${drainedId}/drain`);
  assert.equal(drained.status, 202, JSON.stringify(drained.body));
  const refused = await admin<{ code: string }>(cluster, 'DELETE', `/_miroir/nodes/${drainedId}`);
  assert.ok([400, 409].includes(refused.status), `removing a draining node: ${refused.status}`);
  const drainJob = await finishedJob(cluster, drained.body.job.id, JOB_TIMEOUT_MS);
  assert.equal(drainJob.status, 'succeeded', JSON.stringify(drainJob));
  const afterDrain = await owners(cluster, INDEX, group);
  const drainMoves = await migrationsOf(cluster, drainJob.id);
  const held = afterJoin.flatMap((o, shard) => (o.includes(drainedId) ? [shard] : []));
  assert.deepEqual(drainMoves.map((m) => m.shard).sort((a, b) => a - b), held, 'exactly the drained node\'s shards moved');
  assert.ok(afterDrain.every((o) => !o.includes(drainedId)));
  const removed = await admin<{ node: { state: string } }>(cluster, 'DELETE', `/_miroir/nodes/${drainedId}`);
  assert.deepEqual([removed.status, removed.body.node.state], [200, 'removed']);

  await traffic.stop();
  t.diagnostic(`traffic: ${traffic.written() - INITIAL} documents written during the jobs, ${traffic.searches()} searches; join moved ${changed.length} of ${S} shards, drain ${held.length}`);
  assert.deepEqual(traffic.misses, [], 'no search missed (or doubled) a document whose task had succeeded');
  const total = traffic.written();
  const final = await client.index(INDEX).search('', { hitsPerPage: 1, page: 1 });
  assert.equal(final.totalHits, total, 'exact count at the end');
  assert.equal((await client.index(INDEX).getStats()).numberOfDocuments, total);
  const some = await client.index<Doc>(INDEX).getDocument(`d${total - 1}`);
  assert.equal(some.n, total - 1);

  // Where the documents are: every shard on its owner only (the join's old owners and the drained node hold none of what moved).
  const urls = new Map([...cluster.nodes().map((n) => [n.id, n.url] as const), ['n4', extra.url]]);
  let sum = 0;
  for (let shard = 0; shard < S; shard++) {
    for (const [nodeId, url] of urls) {
      if (nodeId === drainedId) continue;
      const count = await countOnNode(cluster, url, shard);
      if (afterDrain[shard]!.includes(nodeId)) sum += count;
      else assert.equal(count, 0, `node ${nodeId} still holds shard ${shard} (owners ${afterDrain[shard]!.join()})`);
    }
  }
  assert.equal(sum, total, 'the owners together hold every document exactly once');
});
