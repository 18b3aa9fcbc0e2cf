// Goal: `kill -9` of the leader peer during ingest loses no acknowledged
// write, and the client sees only retriable errors (issue 4 §10, ARCHITECTURE
// §3.3: an acknowledged write survives the loss of any minority of peers).
// Method: a `miroir dev` cluster; the official client talks to a follower and
// adds small batches one after another; after a few batches the leader's
// process (from dev.json) is killed with SIGKILL. A batch that fails is
// retried as it is (the same ids, so a retry of a batch that did commit is
// harmless); only the transient "try again" statuses are accepted — 503
// (no leader, overloaded), 502 and 504 (the hop to the leader failed or
// timed out) — never a 4xx, a 500 or a dropped connection.
// Afterwards every batch acknowledged with a 202 must have a task that
// succeeds and every document of it must be readable and searchable.
// A failure lists, per document, whether the read was degraded, which node
// holds it and whether that node's own and shard-restricted searches find it
// (this is how an engine bug — re-added identical documents lost their filter
// values — was found).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SETTINGS, makeCorpus, type Doc } from './corpus.ts';
import { devCluster, eventually, isAlive, rawSearch, retrying, type DevCluster } from './harness.ts';

const BATCHES = 24;
const BATCH = 20;
const KILL_AFTER = 6;
const RETRY_DEADLINE_MS = 60_000;
const TASK_TIMEOUT_MS = 60_000;

async function againNote(peerUrl: string, q: string): Promise<string> {
  const again = await rawSearch(peerUrl, 'movies', { q });
  return ` (asked again: [${again.ids.join(', ')}], degraded: ${again.degraded ?? 'no'})`;
}

/** Where the document is on the nodes themselves, and whether each node's own search finds it. */
async function nodesNote(cluster: DevCluster, doc: Doc): Promise<string> {
  const notes = [];
  for (const node of cluster.nodes()) {
    const index = cluster.nodeClient(node.id).index('movies');
    const held = await index.getDocument(doc.id).then((d: Record<string, unknown>) => d, () => null);
    if (held === null) continue;
    const found = (await index.search(doc.keyword)).hits.length;
    const restricted = await index.search(doc.keyword, { filter: `_miroir_shard IN [${String(held._miroir_shard)}]` }).then((r) => `${r.hits.length}`, (e: Error) => e.message);
    notes.push(`${node.id} holds it with _miroir_shard ${JSON.stringify(held._miroir_shard)}, its own search finds ${found}, restricted to that shard ${restricted}`);
  }
  return ` [${notes.join('; ') || 'on no node'}]`;
}

test('kill -9 of the leader peer during ingest: every acknowledged document is searchable, only retriable errors', async (t) => {
  const cluster = await devCluster();
  const topology = await cluster.topology();
  const leaderId = topology.leader!;
  const follower = cluster.peers().find((p) => p.id !== leaderId)!;
  const client = cluster.client(follower.id);
  await client.createIndex('movies', { primaryKey: 'id' }).waitTask({ timeout: TASK_TIMEOUT_MS });
  await client.index('movies').updateSettings(SETTINGS).waitTask({ timeout: TASK_TIMEOUT_MS });

  const docs = makeCorpus(BATCHES * BATCH, 99);
  const acknowledged: Array<{ taskUid: number; docs: Doc[] }> = [];
  const retriable: string[] = [];
  for (let b = 0; b < BATCHES; b++) {
    if (b === KILL_AFTER) {
      const leader = cluster.peers().find((p) => p.id === leaderId)!;
      process.kill(leader.pid, 'SIGKILL');
      await eventually(() => !isAlive(leader.pid), `leader ${leaderId} gone`, 10_000);
    }
    const batch = docs.slice(b * BATCH, (b + 1) * BATCH);
    // Anything but a retriable answer (502/503/504) is thrown by `retrying` and fails the test.
    const task = await retrying(() => client.index('movies').addDocuments(batch), RETRY_DEADLINE_MS, (error) => {
      retriable.push(`${error.response?.status} ${error.cause?.code ?? 'unknown'}`);
    });
    acknowledged.push({ taskUid: task.taskUid, docs: batch });
  }
  assert.equal(acknowledged.length, BATCHES);

  const newLeader = await eventually(async () => {
    const leader = (await cluster.topology(follower.id)).leader;
    return leader !== null && leader !== leaderId ? leader : null;
  }, 'a new leader', 30_000);
  assert.notEqual(newLeader, leaderId);

  for (const { taskUid } of acknowledged) {
    const task = await client.tasks.waitForTask(taskUid, { timeout: TASK_TIMEOUT_MS, interval: 100 });
    assert.equal(task.status, 'succeeded', `task ${taskUid}: ${JSON.stringify(task.error)}`);
  }
  const index = client.index<Doc>('movies');
  const missing: string[] = [];
  for (const { docs: batch } of acknowledged) {
    for (const doc of batch) {
      assert.deepEqual(await index.getDocument(doc.id), doc);
      const hits = (await index.search(doc.keyword)).hits.map((h) => h.id);
      if (hits.length !== 1 || hits[0] !== doc.id) {
        missing.push(`${doc.id} (${doc.keyword}) → [${hits.join(', ')}]${await againNote(follower.url, doc.keyword)}${await nodesNote(cluster, doc)}`);
      }
    }
  }
  t.diagnostic(`retriable answers seen while the leader was gone: ${retriable.join(', ') || 'none'}`);
  assert.deepEqual(missing, [], 'every acknowledged document found by its keyword');
  assert.equal((await index.getStats()).numberOfDocuments, BATCHES * BATCH);
});
