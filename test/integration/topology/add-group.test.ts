// Goal (issue 5 §6): a replica group added to a running cluster is synced in
// the background and read only once complete; removing a group stops its
// reads at once. Method: `miroir dev` (3 peers, 3 engine nodes in g1, RF 1,
// S 16, 2,000 docs, a writer and a counting searcher through the official
// client); two new engine nodes are added as group g2 (POST /_miroir/groups):
// `initializing` at first, every shard copied into it, then active; g1 is
// then removed (DELETE /_miroir/groups/g1) and g2 alone answers every
// document, each exactly once.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { removeDataDir, startDev, tempDataDir, type DevCluster } from '../cluster/harness.ts';
import { spawnNode, tempDir, type SpawnedNode } from '../engine/spawn-node.ts';
import { admin, countOnNode, finishedJob, owners, type JobView } from './admin.ts';
import { INDEX, makeDocs, startTraffic, type Doc } from './traffic.ts';

const S = 16;
const INITIAL = 2_000;

test('a group is synced in the background, read once active; removing a group stops its reads at once', async (t) => {
  const dataDir = tempDataDir();
  const dirs = [tempDir('topology-g2a'), tempDir('topology-g2b')];
  let cluster: DevCluster | null = null;
  const nodes: SpawnedNode[] = [];
  after(async () => {
    await cluster?.stop();
    await Promise.all(nodes.map((n) => n.stop()));
    removeDataDir(dataDir);
    for (const d of dirs) d.remove();
  });
  cluster = await startDev(dataDir, ['--shards', String(S)]);
  nodes.push(...await Promise.all(dirs.map((d) => spawnNode({ dbPath: d.path, masterKey: cluster!.nodeMasterKey, timeoutMs: 60_000 }))));
  const client = cluster.client();
  await client.createIndex(INDEX, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
  await client.index(INDEX).updateSettings({ pagination: { maxTotalHits: 100_000 } }).waitTask({ timeout: 60_000 });
  for (let from = 0; from < INITIAL; from += 500) {
    await client.index<Doc>(INDEX).addDocuments(makeDocs(from, 500)).waitTask({ timeout: 60_000 });
  }
  const g1 = (await cluster.topology()).groups[0]!.id;

  const traffic = startTraffic(client, INITIAL);
  const added = await admin<{ group: { id: string; state: string }; job: JobView }>(cluster, 'POST', '/_miroir/groups', {
    id: 'g2', nodes: nodes.map((n, i) => ({ id: `g2n${i}`, url: n.url })),
  });
  assert.equal(added.status, 202, JSON.stringify(added.body));
  assert.deepEqual(added.body.group, { id: 'g2', state: 'initializing' });
  const job = await finishedJob(cluster, added.body.job.id, 90_000);
  assert.equal(job.status, 'succeeded', JSON.stringify(job));
  assert.equal(job.migrations.total, S, 'every shard synced into the new group');
  await traffic.stop();
  t.diagnostic(`${traffic.written() - INITIAL} documents written during the sync, ${traffic.searches()} searches`);
  assert.deepEqual(traffic.misses, [], 'no search missed (or doubled) a document whose task had succeeded');
  const total = traffic.written();

  const g2 = await owners(cluster, INDEX, 'g2');
  let inG2 = 0;
  for (let shard = 0; shard < S; shard++) inG2 += await countOnNode(cluster, nodes[Number(g2[shard]![0]!.slice(3))]!.url, shard);
  assert.equal(inG2, total, 'the new group holds every document once');
  const dropped = await admin<{ group: { id: string } }>(cluster, 'DELETE', `/_miroir/groups/${g1}`);
  assert.equal(dropped.status, 200, JSON.stringify(dropped.body));
  const onlyG2 = await client.index(INDEX).search('', { hitsPerPage: 1, page: 1 });
  assert.equal(onlyG2.totalHits, total, 'the second group alone answers every document');
  assert.equal((await cluster.topology()).groups.map((g) => g.id).join(), 'g2');
});
