// Goal: end to end on a real peer, `_miroir_shard` never matches a query:
// writes applied from the Raft log record their documents' fields in the
// cluster state, and a search through the peer's read path (default
// searchableAttributes `*`) answers as one engine node holding the same
// documents without the stamp — for `q: "5"` (a shard number), for a field
// that only a later write brings, and for ranking scores.
// Method: one peer from startPeer (LevelDB log, real clock) over three engine
// nodes (RF 1, S 8), writes proposed as the edge does; a fourth engine node
// is the oracle.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startPeer, type Peer } from '../../../cli/commands/peer.ts';
import { loadConfig } from '../../../runtime/config/index.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { createRouter } from '../../../runtime/routing/index.ts';
import { searchIndex } from '../../../runtime/search/scatter-search.ts';
import { CLUSTER_SECRET, configFile, eventually, layout, removeLayout } from '../peer/cluster-helpers.ts';
import { documentsWrite, EngineNodes, MASTER_KEY } from './harness.ts';

const S = 8;
const NODE_IDS = ['n1', 'n2', 'n3'];
const models = ['iphone 12', 'galaxy 5', 'pixel 7', 'nokia 3310', 'moto g'];
const first = Array.from({ length: 80 }, (_, i) => ({ id: i + 1, name: models[i % models.length], size: (i % 6) + 1 }));
const second = Array.from({ length: 40 }, (_, i) => ({ id: 100 + i, name: models[i % 2], label: `series ${i % 9}` }));

async function oracleCall(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.json();
}

test('searches through a real peer equal one node holding the documents: the shard stamp matches nothing', async () => {
  const router = await createRouter();
  const engines = new EngineNodes();
  const urls: Record<string, string> = {};
  for (const id of NODE_IDS) urls[id] = await engines.start(id);
  const oracle = await engines.start('oracle');
  const l = await layout(['p1']);
  let peer: Peer | null = null;
  after(async () => {
    await peer?.close();
    await engines.close();
    await removeLayout(l);
  });
  const file = { ...configFile(l, 'p1'), groups: [{ id: 'g1', nodes: NODE_IDS.map((n) => ({ id: n, url: urls[n] })) }], defaultShards: S };
  const config = loadConfig({ fileText: JSON.stringify(file), env: { MIROIR_CLUSTER_SECRET: CLUSTER_SECRET, MIROIR_NODE_MASTER_KEY: MASTER_KEY } });
  const p = await startPeer(config, { clock: realClock, rng: seededRng(5), restart: { baseMs: 50, maxMs: 500 } });
  peer = p;
  await eventually(() => p.services.state().nodes.size === 3, 'bootstrap', 30_000);

  for (const docs of [first, second]) {
    const result = await p.services.propose(documentsWrite(router, 'phones', S, docs, realClock.nowMs()));
    assert.equal(result.kind, 'task');
    const uid = (result as { task: { taskUid: number } }).task.taskUid;
    const task = await eventually(() => {
      const t = p.services.state().tasks.get(uid);
      return t !== undefined && (t.status === 'succeeded' || t.status === 'failed') ? t : null;
    }, 'the write finished', 30_000);
    assert.equal(task.status, 'succeeded', JSON.stringify(task.error));
    const enqueued = await oracleCall(oracle, 'POST', '/indexes/phones/documents?primaryKey=id', docs);
    await eventually(async () => (await oracleCall(oracle, 'GET', `/tasks/${enqueued.taskUid}`)).status === 'succeeded', 'oracle indexed', 30_000);
  }
  assert.deepEqual(p.services.state().indexes.get('phones')?.fields, ['id', 'name', 'size', 'label']);
  // A node not yet probed healthy would be left out of the covering set (a partial answer) on a loaded machine.
  await eventually(() => NODE_IDS.every((id) => p.services.isNodeHealthy(id)), 'every node healthy', 30_000);

  // Every hit is retrieved: exact ties break by internal document id, which follows each node's write order
  // (shards ascending), not the oracle's, so hits are compared by id with their scores.
  const byId = (answer: Record<string, unknown>): Record<string, unknown> => {
    const { processingTimeMs: _t, requestUid: _u, hits, ...rest } = answer;
    return { ...rest, hits: [...(hits as { id: number }[])].sort((x, y) => x.id - y.id) };
  };
  for (const body of [{ q: '5', showRankingScore: true }, { q: '3' }, { q: 'series 5', showRankingScoreDetails: true }, { q: 'galaxy 5', showRankingScore: true }]) {
    const query = { ...body, limit: 200 };
    const expected = byId(await oracleCall(oracle, 'POST', '/indexes/phones/search', query));
    assert.ok((expected['hits'] as unknown[]).length > 0);
    const outcome = await searchIndex(p.services, 'phones', query);
    assert.deepEqual(outcome.degradedShards, []);
    const actual = byId(outcome.response as unknown as Record<string, unknown>);
    assert.deepEqual(actual, expected, JSON.stringify(query));
  }
});
