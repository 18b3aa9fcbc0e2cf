// Goal: GET /indexes/{uid}/stats and GET /stats keep the degraded contract of
// search while some shard has no live owner (issue 4): under read policy
// `partial` they answer what the live nodes hold and say which shards are
// missing (`X-Miroir-Degraded: shards=…`, per index on GET /stats), never a
// silent undercount; under `error` they answer 503 `miroir_shard_unavailable`.
// Method: `miroir dev` with RF 1 (every shard has one owner), kill -9 of one
// node; the stats read over plain HTTP through a peer, for the header and
// status, both while the node's calls fail within the request and once
// every peer has judged it down (no owner left in the covering set). The missing shards are the killed node's placement; the documents
// missing from the count are the ones it held (with RF 1 and no migration a
// node holds exactly its shards).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { devCluster, eventually, MASTER_KEY, type DevCluster } from '../cluster/harness.ts';

const DOCUMENTS = 200;
const SHARDS = 8;

interface StatsAnswer {
  status: number;
  degraded: string | null;
  body: { numberOfDocuments?: number; code?: string; indexes?: Record<string, { numberOfDocuments: number }> };
}

async function getStats(cluster: DevCluster, path: string): Promise<StatsAnswer> {
  const response = await fetch(`${cluster.peers()[0]!.url}${path}`, { headers: { authorization: `Bearer ${MASTER_KEY}` } });
  return { status: response.status, degraded: response.headers.get('x-miroir-degraded'), body: (await response.json()) as StatsAnswer['body'] };
}

/** A cluster of 3 nodes at RF 1 holding DOCUMENTS documents in `movies`, then one node killed: its shards and documents. */
async function killOneOwner(policy: 'partial' | 'error'): Promise<{ cluster: DevCluster; victim: string; lostShards: number[]; lostDocuments: number }> {
  const cluster = await devCluster(['--peers', '1', '--nodes', '3', '--rf', '1', '--shards', String(SHARDS)], 120_000, { MIROIR_READ_POLICY: policy });
  const client = cluster.client();
  const docs = Array.from({ length: DOCUMENTS }, (_, i) => ({ id: i, title: `movie ${i}` }));
  await client.tasks.waitForTask((await client.index('movies').addDocuments(docs, { primaryKey: 'id' })).taskUid, { timeout: 60_000, interval: 100 });
  const complete = await getStats(cluster, '/indexes/movies/stats');
  assert.deepEqual([complete.status, complete.degraded, complete.body.numberOfDocuments], [200, null, DOCUMENTS]);

  const topology = await cluster.topology();
  const placement = topology.indexes.find((i) => i.uid === 'movies')!.placements[topology.groups[0]!.id]!;
  const victim = placement[0]![0]!;
  const lostShards = placement.flatMap((owners, shard) => (owners.includes(victim) ? [shard] : []));
  const lostDocuments = (await cluster.nodeClient(victim).index('movies').getStats()).numberOfDocuments;
  assert.ok(lostDocuments > 0 && lostDocuments < DOCUMENTS, `${victim} holds ${lostDocuments} documents`);
  process.kill(cluster.nodes().find((n) => n.id === victim)!.pid, 'SIGKILL');
  return { cluster, victim, lostShards, lostDocuments };
}

test('read policy partial: stats with a shard lost count the live shards and name the missing ones', async () => {
  const killed = await killOneOwner('partial');
  const cluster = killed.cluster;
  const header = `shards=${killed.lostShards.join(',')}`;
  const live = DOCUMENTS - killed.lostDocuments;

  const index = await eventually(async () => {
    const answer = await getStats(cluster, '/indexes/movies/stats');
    return answer.degraded === null ? null : answer;
  }, 'a degraded index stats answer', 30_000);
  assert.deepEqual([index.status, index.degraded, index.body.numberOfDocuments], [200, header, live]);

  const global = await getStats(cluster, '/stats');
  assert.deepEqual([global.status, global.degraded, global.body.indexes?.movies?.numberOfDocuments], [200, `shards=movies:${killed.lostShards.join(',')}`, live]);

  // Once the node is judged down the shards are missing before any call (no live owner in the covering set): the same answers.
  await eventually(async () => (await cluster!.topology()).nodes.find((n) => n.id === killed.victim)?.healthy === false, `${killed.victim} judged down`, 60_000);
  const judged = await getStats(cluster, '/indexes/movies/stats');
  assert.deepEqual([judged.status, judged.degraded, judged.body.numberOfDocuments], [200, header, live]);
  const judgedGlobal = await getStats(cluster, '/stats');
  assert.deepEqual([judgedGlobal.degraded, judgedGlobal.body.indexes?.movies?.numberOfDocuments], [`shards=movies:${killed.lostShards.join(',')}`, live]);
});

test('read policy error: stats with a shard lost answer 503 miroir_shard_unavailable', async () => {
  const killed = await killOneOwner('error');
  const cluster = killed.cluster;
  for (const path of ['/indexes/movies/stats', '/stats']) {
    const answer = await eventually(async () => {
      const a = await getStats(cluster, path);
      return a.status === 200 ? null : a;
    }, `a refused ${path}`, 30_000);
    assert.deepEqual([answer.status, answer.body.code, answer.degraded], [503, 'miroir_shard_unavailable', null], path);
  }
});
