// Goal: coalesced dispatch against a real engine node — consecutive
// documents writes committed together reach the node as fewer requests than
// entries, the documents end as sequential writes would leave them (update
// merges in log order), each Miroir task carries its own count, and a write
// the node refuses inside a shared request fails only its own task (the
// covered entries are sent again one by one). Method: the dispatchers actor
// on a simulated clock over an in-memory committed log (harness.ts), every
// entry committed before the dispatcher starts so the first send holds them
// all; checked through the node's own API.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createActor } from 'xstate';
import { dispatchersInput, dispatchersLogic } from '../../../actors/dispatchers.machine.ts';
import { documentsWrite, EngineNodes, oneNodeLeader, T0, type MemoryLeader } from './harness.ts';

const S = 4;
const nodes = new EngineNodes();
const leaders: MemoryLeader[] = [];
after(async () => {
  await Promise.all(leaders.map((l) => l.close()));
  await nodes.close();
});

async function oneNode(): Promise<MemoryLeader> {
  const leader = await oneNodeLeader(nodes, leaders);
  leader.run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: S, nowMs: T0 });
  return leader;
}

function startDispatchers(leader: MemoryLeader): () => void {
  const services = leader.services();
  const actor = createActor(dispatchersLogic(services), { clock: leader.clock, input: dispatchersInput(services) }).start();
  return () => actor.stop();
}

const taskOf = (leader: MemoryLeader, logIndex: number) => [...leader.state.tasks.values()].find((t) => t.logIndex === logIndex)!;
const finished = (leader: MemoryLeader, indexes: number[]) =>
  indexes.every((i) => ['succeeded', 'failed'].includes(taskOf(leader, i).status));

async function nodeTasks(leader: MemoryLeader): Promise<{ uid: number; type: string; status: string; details?: Record<string, unknown> }[]> {
  const res = await leader.client('n1').request<{ results: { uid: number; type: string; status: string }[] }>({
    method: 'GET', path: '/tasks', query: { indexUids: 'm', types: 'documentAdditionOrUpdate', limit: 100 },
  });
  return res.body.results;
}

test('writes committed together share node requests; documents and counts are those of sequential writes', async () => {
  const leader = await oneNode();
  const update = (docs: Record<string, unknown>[]) => ({ ...documentsWrite(leader.router, 'm', S, docs), mode: 'update' as const });
  const writes = [
    leader.run(update([{ id: 1, a: 1 }, { id: 2, a: 1 }])),
    leader.run(update([{ id: 1, b: 2 }])),
    leader.run(update([{ id: 1, a: 3 }, { id: 3, a: 3 }])),
  ];
  const stop = startDispatchers(leader);
  await leader.until(() => finished(leader, writes), 'the writes finished');
  stop();
  assert.deepEqual(writes.map((i) => [taskOf(leader, i).status, taskOf(leader, i).details?.['indexedDocuments']]), [
    ['succeeded', 2], ['succeeded', 1], ['succeeded', 2],
  ]);
  const tasks = await nodeTasks(leader);
  assert.ok(tasks.length < writes.length, `the node got ${tasks.length} document tasks for ${writes.length} entries`);
  const res = await leader.client('n1').request<{ results: Record<string, unknown>[] }>({
    method: 'GET', path: '/indexes/m/documents', query: { fields: 'id,a,b', limit: 10 },
  });
  const byId = Object.fromEntries(res.body.results.map((d) => [d['id'], d]));
  assert.deepEqual(byId, { 1: { id: 1, a: 3, b: 2 }, 2: { id: 2, a: 1 }, 3: { id: 3, a: 3 } });
});

test('a write the node refuses inside a shared request fails only its own task', async () => {
  const leader = await oneNode();
  const writes = [
    leader.run(documentsWrite(leader.router, 'm', S, [{ id: 'ok-1' }])),
    leader.run(documentsWrite(leader.router, 'm', S, [{ id: 'not a valid id!' }])),
    leader.run(documentsWrite(leader.router, 'm', S, [{ id: 'ok-2' }, { id: 'ok-3' }])),
  ];
  const stop = startDispatchers(leader);
  await leader.until(() => finished(leader, writes), 'the writes finished');
  stop();
  assert.deepEqual(writes.map((i) => taskOf(leader, i).status), ['succeeded', 'failed', 'succeeded']);
  assert.equal(taskOf(leader, writes[1]!).error?.code, 'invalid_document_id');
  assert.equal(taskOf(leader, writes[2]!).details?.['indexedDocuments'], 2);
  const tasks = await nodeTasks(leader);
  const shared = tasks.find((t) => t.status === 'failed' && Number(t.details?.['receivedDocuments']) >= 2);
  assert.ok(shared !== undefined, `the shared request was refused first: ${JSON.stringify(tasks)}`);
  const res = await leader.client('n1').request<{ results: Record<string, unknown>[] }>({ method: 'GET', path: '/indexes/m/documents', query: { fields: 'id' } });
  assert.deepEqual(res.body.results.map((d) => d['id']).sort(), ['ok-1', 'ok-2', 'ok-3']);
});
