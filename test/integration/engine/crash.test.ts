// Goal: kill -9 in the middle of ingestion loses nothing that was
// acknowledged and leaves no task half-applied. Method: a real `miroir node`
// child process receives document batches from concurrent writers; every
// acknowledged taskUid is recorded with its batch; the process is SIGKILLed
// mid-ingest and restarted on the same data directory. Then every
// acknowledged task must exist and end `succeeded`, every document of an
// acknowledged batch must be present, and every batch sent (acknowledged or
// not) must be present entirely or not at all.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { http, spawnNode, tempDir, waitTask, type SpawnedNode } from './spawn-node.ts';

const dir = tempDir('crash');
const nodes: SpawnedNode[] = [];
after(async () => {
  for (const n of nodes) await n.kill9();
  dir.remove();
});

const BATCH_DOCS = 200;
const WRITERS = 4;

function batchDocs(batch: number): Array<Record<string, unknown>> {
  return Array.from({ length: BATCH_DOCS }, (_, i) => ({ id: `b${batch}-${i}`, batch, text: `document ${i} of batch ${batch}` }));
}

test('kill -9 mid-ingest: acknowledged tasks survive whole, nothing is half-applied', { timeout: 60_000 }, async () => {
  const first = await spawnNode({ dbPath: dir.path });
  nodes.push(first);
  const acked = new Map<number, number>(); // taskUid → batch
  let sent = 0;
  let killed = false;
  const writer = async () => {
    while (!killed) {
      const batch = sent++;
      try {
        const res = await http(`${first.url}/indexes/crash/documents`, { method: 'POST', json: batchDocs(batch) });
        if (res.status === 202) acked.set(res.body.taskUid, batch);
      } catch {
        return; // The connection died with the process: this batch was never acknowledged.
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, writer);
  while (acked.size < 24) await new Promise((resolve) => setImmediate(resolve));
  killed = true;
  await first.kill9();
  await Promise.all(writers);
  assert.ok(acked.size >= 24);

  const second = await spawnNode({ dbPath: dir.path });
  nodes.push(second);
  const stored = await http(`${second.url}/tasks?limit=1&reverse=false`);
  await waitTask(second.url, stored.body.results[0].uid, 30_000);
  const all = await http(`${second.url}/tasks?limit=100000`);
  const byUid = new Map<number, { status: string; details: { indexedDocuments: number } }>(
    all.body.results.map((t: { uid: number }) => [t.uid, t]));
  for (const uid of acked.keys()) {
    const task = byUid.get(uid);
    assert.equal(task?.status, 'succeeded', `acknowledged task ${uid}: ${JSON.stringify(task)}`);
    assert.equal(task.details.indexedDocuments, BATCH_DOCS);
  }
  for (const [uid, task] of byUid) assert.equal(task.status, 'succeeded', `task ${uid} after restart`);
  const docs = await http(`${second.url}/indexes/crash/documents?limit=1000000&fields=id,batch`);
  const perBatch = new Map<number, number>();
  for (const d of docs.body.results) perBatch.set(d.batch, (perBatch.get(d.batch) ?? 0) + 1);
  for (const batch of acked.values()) assert.equal(perBatch.get(batch), BATCH_DOCS, `acknowledged batch ${batch}`);
  for (const [batch, count] of perBatch) assert.equal(count, BATCH_DOCS, `batch ${batch} is half-applied`);
  assert.equal(docs.body.total, perBatch.size * BATCH_DOCS);
  assert.equal(await second.stop(), 0);
});
