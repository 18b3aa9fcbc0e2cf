// Goal (issue 5 §6): kill -9 of the leader peer in the middle of a migration.
// The new leader rebuilds the rebalancer from the committed state, every
// migration resumes at its committed phase (a copy restarts from scratch)
// and the job completes: nothing lost, nothing duplicated, while a writer and
// a counting searcher keep going through a surviving peer.
// Method: `miroir dev` (3 peers, 3 engine nodes, RF 1, S 16, 2,000 docs) with
// the copy throttled (topology.copyDocsPerSecond, small pages) so the kill
// lands while a migration is copying; a 4th node joins; the leader is killed
// as soon as a migration is seen in `copy`.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, isAlive, removeDataDir, startDev, tempDataDir, type DevCluster } from '../cluster/harness.ts';
import { spawnNode, tempDir, type SpawnedNode } from '../engine/spawn-node.ts';
import { admin, finishedJob, migrationsOf, owners, type JobView, type MigrationView } from './admin.ts';
import { INDEX, makeDocs, startTraffic, type Doc } from './traffic.ts';

const S = 16;
const INITIAL = 2_000;

test('kill -9 of the leader peer during a migration: it resumes at the committed phase and completes, nothing lost or duplicated', async (t) => {
  const dataDir = tempDataDir();
  const nodeDir = tempDir('topology-kill');
  let cluster: DevCluster | null = null;
  let extra: SpawnedNode | null = null;
  after(async () => {
    await cluster?.stop();
    await extra?.stop();
    removeDataDir(dataDir);
    nodeDir.remove();
  });
  cluster = await startDev(dataDir, ['--shards', String(S)], 120_000, {
    MIROIR_TOPOLOGY_COPY_DOCS_PER_SECOND: '60', MIROIR_TOPOLOGY_COPY_PAGE_SIZE: '20',
  });
  extra = await spawnNode({ dbPath: nodeDir.path, masterKey: cluster.nodeMasterKey, timeoutMs: 60_000 });
  const leaderId = (await cluster.topology()).leader!;
  const survivor = cluster.peers().find((p) => p.id !== leaderId)!.id;
  const client = cluster.client(survivor);
  await client.createIndex(INDEX, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
  await client.index(INDEX).updateSettings({ pagination: { maxTotalHits: 100_000 } }).waitTask({ timeout: 60_000 });
  for (let from = 0; from < INITIAL; from += 500) {
    await client.index<Doc>(INDEX).addDocuments(makeDocs(from, 500)).waitTask({ timeout: 60_000 });
  }
  const group = (await cluster.topology(survivor)).groups[0]!.id;
  const before = await owners(cluster, INDEX, group);

  const traffic = startTraffic(client, INITIAL, 20, 100);
  const joined = await admin<{ job: JobView }>(cluster, 'POST', '/_miroir/nodes', { id: 'n4', url: extra.url, group }, survivor);
  assert.equal(joined.status, 202, JSON.stringify(joined.body));
  const jobId = joined.body.job.id;
  const copying = await eventually(async () => {
    const ms = await migrationsOf(cluster!, jobId).catch(() => [] as MigrationView[]);
    return ms.find((m) => m.phase === 'copy') ?? null;
  }, 'a migration copying', 60_000);
  const leader = cluster.peers().find((p) => p.id === leaderId)!;
  process.kill(leader.pid, 'SIGKILL');
  await eventually(() => !isAlive(leader.pid), `leader ${leaderId} gone`, 10_000);
  const phasesAtKill = (await migrationsOf(cluster, jobId, survivor).catch(() => [])).map((m) => `${m.shard}:${m.phase}`);

  const job = await finishedJob(cluster, jobId, 120_000, survivor);
  assert.equal(job.status, 'succeeded', JSON.stringify(job));
  const newLeader = (await cluster.topology(survivor)).leader;
  assert.ok(newLeader !== null && newLeader !== leaderId);
  await traffic.stop();
  t.diagnostic(`killed ${leaderId} while migration ${copying.id} (shard ${copying.shard}) copied; phases then: ${phasesAtKill.join(' ')}; new leader ${newLeader}; ${traffic.written() - INITIAL} docs written, ${traffic.searches()} searches`);

  const afterJoin = await owners(cluster, INDEX, group, survivor); // the first peer may be the one killed
  const changed = afterJoin.flatMap((o, shard) => (o.join() === before[shard]!.join() ? [] : [shard]));
  assert.deepEqual((await migrationsOf(cluster, jobId, survivor)).map((m) => m.shard).sort((a, b) => a - b), changed);
  assert.deepEqual(traffic.misses, [], 'no search missed (or doubled) a document whose task had succeeded');
  const total = traffic.written();
  const final = await client.index(INDEX).search('', { hitsPerPage: 1, page: 1 });
  assert.equal(final.totalHits, total, 'nothing lost, nothing duplicated');
  const ids = new Set<string>();
  for (let offset = 0; offset < total; offset += 1000) {
    for (const doc of (await client.index<Doc>(INDEX).getDocuments({ offset, limit: 1000 })).results) ids.add(doc.id);
  }
  assert.equal(ids.size, total, 'every document listed once');
});
