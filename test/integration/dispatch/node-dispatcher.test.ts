// Goal: the node dispatchers send every node exactly its part of each
// committed command, in log order, settle Miroir tasks from the node tasks
// (succeeded only when every target succeeded, failed with the node's error
// otherwise), replay a node that was down when it returns, and report a node
// the log was cut past. Method: the dispatchers actor on XState's
// SimulatedClock over an in-memory committed log with the real cluster apply
// and placement (harness.ts), against two real engine nodes on loopback,
// checked through the nodes' own API.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createActor, type AnyActorRef } from 'xstate';
import { dispatchersInput, dispatchersLogic } from '../../../actors/dispatchers.machine.ts';
import type { NodeDispatcherContext } from '../../../actors/node-dispatcher.machine.ts';
import type { ClusterCommand } from '../../../runtime/cluster/index.ts';
import { documentsWrite, EngineNodes, memoryLeader, T0, type MemoryLeader } from './harness.ts';

const S = 8;
const nodes = new EngineNodes();
const leaders: MemoryLeader[] = [];
after(async () => {
  await Promise.all(leaders.map((l) => l.close()));
  await nodes.close();
});

interface Setup {
  leader: MemoryLeader;
  stop: () => void;
  restart: () => void;
  running: () => string[];
  /** The context of a node's dispatcher now. */
  dispatcher: (nodeId: string) => NodeDispatcherContext | undefined;
}

async function setup(): Promise<Setup> {
  const leader = await memoryLeader();
  leaders.push(leader);
  const urls = { n1: await nodes.start(`n1-${leaders.length}`), n2: await nodes.start(`n2-${leaders.length}`) };
  leader.run({ v: 1, kind: 'group.add', id: 'g1', nowMs: T0 });
  for (const [id, url] of Object.entries(urls)) {
    leader.run({ v: 1, kind: 'node.add', id, url, group: 'g1', nowMs: T0 });
    leader.run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: T0 });
  }
  const services = leader.services();
  const start = () => createActor(dispatchersLogic(services), { clock: leader.clock, input: dispatchersInput(services) }).start();
  let actor = start();
  // A new leader (or a restarted leader set) starts the dispatchers again from the committed state.
  const restart = () => {
    actor.stop();
    actor = start();
  };
  const running = () => ['n1', 'n2', 'n3'].filter((id) => actor.system.get(`dispatcher:${id}`) !== undefined);
  const dispatcher = (nodeId: string) => (actor.system.get(`dispatcher:${nodeId}`) as AnyActorRef | undefined)?.getSnapshot().context as NodeDispatcherContext | undefined;
  return { leader, stop: () => actor.stop(), restart, running, dispatcher };
}

const taskOf = (leader: MemoryLeader, logIndex: number) => [...leader.state.tasks.values()].find((t) => t.logIndex === logIndex)!;
const finished = (leader: MemoryLeader, logIndex: number) => {
  const task = taskOf(leader, logIndex);
  return task.status === 'succeeded' || task.status === 'failed' ? task : null;
};

async function nodeDocuments(leader: MemoryLeader, nodeId: string, index: string): Promise<Record<string, unknown>[]> {
  const res = await leader.client(nodeId).request<{ results: Record<string, unknown>[] }>({
    method: 'GET', path: `/indexes/${index}/documents`, query: { limit: 1000 },
  });
  return res.body.results;
}

test('documents land on exactly their owners, settings keep _miroir_shard filterable, tasks succeed', async () => {
  const { leader, stop } = await setup();
  const docs = Array.from({ length: 60 }, (_, i) => ({ id: i, title: `doc ${i}` }));
  const create = leader.run({ v: 1, kind: 'index.create', uid: 'movies', primaryKey: 'id', shards: S, nowMs: T0 });
  const write = leader.run(documentsWrite(leader.router, 'movies', S, docs));
  const settings = leader.run({
    v: 1, kind: 'settings.update', indexUid: 'movies', settings: { filterableAttributes: ['title'] }, allowIndexCreation: false, nowMs: T0,
  } satisfies ClusterCommand);
  for (const index of [create, write, settings]) await leader.until(() => finished(leader, index), `task of entry ${index}`);
  for (const index of [create, write, settings]) assert.equal(taskOf(leader, index).status, 'succeeded', `entry ${index}`);
  assert.equal(taskOf(leader, write).details?.['indexedDocuments'], 60, 'counts summed over the owners');

  const owners = leader.router.placeGroup(S, ['n1', 'n2'], 1);
  for (const nodeId of ['n1', 'n2']) {
    const held = (await nodeDocuments(leader, nodeId, 'movies')).map((d) => d['id'] as number).sort((a, b) => a - b);
    const expected = docs.filter((d) => owners[leader.router.shardOf(d.id, S)]?.[0] === nodeId).map((d) => d.id);
    assert.deepEqual(held, expected, `${nodeId} holds exactly its shards' documents`);
    const filterable = await leader.client(nodeId).request<string[]>({ method: 'GET', path: '/indexes/movies/settings/filterable-attributes' });
    assert.deepEqual([...filterable.body].sort(), ['_miroir_shard', 'title'], `${nodeId} filters on _miroir_shard`);
  }
  await leader.until(() => ['n1', 'n2'].every((n) => (leader.state.cursors.get(n) ?? 0) >= settings), 'cursors committed past the writes');
  assert.equal(leader.state.dispatch.size, 0, 'no entry still owed');
  stop();
});

test('a node refusing a write fails the Miroir task with the node error; later writes still go in order', async () => {
  const { leader, stop } = await setup();
  leader.run({ v: 1, kind: 'index.create', uid: 'books', primaryKey: 'id', shards: S, nowMs: T0 });
  const bad = leader.run(documentsWrite(leader.router, 'books', S, [{ id: 'not a valid id!' }]));
  const good = leader.run(documentsWrite(leader.router, 'books', S, [{ id: 'ok-1' }, { id: 'ok-2' }]));
  leader.run({ v: 1, kind: 'settings.update', indexUid: 'books', settings: { filterableAttributes: ['id'] }, allowIndexCreation: false, nowMs: T0 });
  const del = leader.run({ v: 1, kind: 'documents.deleteFilter', indexUid: 'books', filter: 'id = "ok-1"', nowMs: T0 } satisfies ClusterCommand);
  for (const index of [bad, good, del]) await leader.until(() => finished(leader, index), `task of entry ${index}`);
  const failed = taskOf(leader, bad);
  assert.equal(failed.status, 'failed');
  assert.equal(failed.error?.code, 'invalid_document_id');
  assert.equal(taskOf(leader, good).status, 'succeeded');
  assert.equal(taskOf(leader, del).status, 'succeeded', `${JSON.stringify(taskOf(leader, del).error)}`);
  const held = [...(await nodeDocuments(leader, 'n1', 'books')), ...(await nodeDocuments(leader, 'n2', 'books'))].map((d) => d['id']);
  assert.deepEqual(held, ['ok-2'], 'the delete ran after the write on every node');
  stop();
});

test('a node that is down holds its tasks; when it returns it is replayed and the tasks succeed', async () => {
  const { leader, stop } = await setup();
  const n2 = [...nodes.running.keys()].at(-1)!;
  const port = Number(new URL(leader.state.nodes.get('n2')!.url).port);
  await nodes.stop(n2);
  leader.run({ v: 1, kind: 'index.create', uid: 'late', primaryKey: 'id', shards: S, nowMs: T0 });
  const write = leader.run(documentsWrite(leader.router, 'late', S, Array.from({ length: 20 }, (_, i) => ({ id: i }))));
  // n1 finishes its part; the task waits for n2, which is retried with back-off.
  await leader.until(() => leader.state.dispatch.get(write)?.outcomes.some((o) => o.nodeId === 'n1'), 'n1 reported');
  leader.clock.increment(5_000);
  assert.notEqual(taskOf(leader, write).status, 'succeeded');
  assert.ok((leader.state.cursors.get('n2') ?? 0) < write, 'n2 did not pass the write');
  await nodes.start(n2, port);
  await leader.until(() => finished(leader, write), 'the write finished after n2 returned');
  assert.equal(taskOf(leader, write).status, 'succeeded');
  const held = (await nodeDocuments(leader, 'n1', 'late')).length + (await nodeDocuments(leader, 'n2', 'late')).length;
  assert.equal(held, 20);
  stop();
});

test('a new leader whose dispatcher starts below the log cut reports the node behind and goes on from the cut', async () => {
  const { leader, stop, restart } = await setup();
  await nodes.stop([...nodes.running.keys()].at(-1)!);
  leader.run({ v: 1, kind: 'index.create', uid: 'cut', primaryKey: 'id', shards: S, nowMs: T0 });
  const write = leader.run(documentsWrite(leader.router, 'cut', S, [{ id: 1 }, { id: 2 }, { id: 3 }]));
  await leader.until(() => leader.state.dispatch.get(write)?.outcomes.some((o) => o.nodeId === 'n1'), 'n1 reported');
  leader.compacted = write;
  restart();
  await leader.until(() => leader.state.rebuildNeeded.get('n2'), 'n2 marked for a rebuild');
  const task = await leader.until(() => finished(leader, write), 'the write finished');
  assert.equal(task.status, 'failed');
  assert.equal(task.error?.code, 'miroir_node_unavailable');
  assert.ok((leader.state.cursors.get('n2') ?? 0) >= write, 'n2 goes on from the cut');
  stop();
});

test('dispatchers follow the node set: a new node gets one from its add on, a removed node loses its own and owes nothing', async () => {
  const { leader, stop, running } = await setup();
  assert.deepEqual(running(), ['n1', 'n2']);
  await nodes.stop([...nodes.running.keys()].at(-1)!);
  leader.run({ v: 1, kind: 'index.create', uid: 'gone', primaryKey: 'id', shards: S, nowMs: T0 });
  const write = leader.run(documentsWrite(leader.router, 'gone', S, Array.from({ length: 10 }, (_, i) => ({ id: i }))));
  await leader.until(() => leader.state.dispatch.get(write)?.outcomes.some((o) => o.nodeId === 'n1'), 'n1 reported');
  assert.notEqual(taskOf(leader, write).status, 'succeeded', 'the write waits for n2');
  leader.run({ v: 1, kind: 'node.state', id: 'n2', state: 'draining', nowMs: T0 });
  leader.run({ v: 1, kind: 'node.state', id: 'n2', state: 'removed', nowMs: T0 });
  await leader.until(() => !running().includes('n2'), "n2's dispatcher stopped");
  assert.equal(taskOf(leader, write).status, 'succeeded', 'a removed node owes nothing');
  const added = leader.run({ v: 1, kind: 'node.add', id: 'n3', url: await nodes.start(`n3-${leaders.length}`), group: 'g1', nowMs: T0 });
  await leader.until(() => running().includes('n3'), "n3's dispatcher started");
  const settings = leader.run({
    v: 1, kind: 'settings.update', indexUid: 'gone', settings: { searchableAttributes: ['id'] }, allowIndexCreation: false, nowMs: T0,
  } satisfies ClusterCommand);
  await leader.until(() => finished(leader, settings), 'the settings change finished');
  // n3 joined after the index was created: it gets the broadcast change (Meilisearch creates the index for it);
  // the log before its add is not replayed to it (a joining node is filled by shard migration).
  assert.equal(taskOf(leader, settings).status, 'succeeded');
  const onN3 = await leader.client('n3').request<string[]>({ method: 'GET', path: '/indexes/gone/settings/searchable-attributes' });
  assert.deepEqual(onN3.body, ['id']);
  assert.ok((leader.state.cursors.get('n3') ?? 0) >= added);
  stop();
});

test('a node that comes back without the tasks it acknowledged is replayed from the committed cursor', async () => {
  const { leader, stop, dispatcher } = await setup();
  const n2 = [...nodes.running.keys()].at(-1)!;
  const port = Number(new URL(leader.state.nodes.get('n2')!.url).port);
  leader.run({ v: 1, kind: 'index.create', uid: 'wiped', primaryKey: 'id', shards: S, nowMs: T0 });
  const write = leader.run(documentsWrite(leader.router, 'wiped', S, Array.from({ length: 30 }, (_, i) => ({ id: i }))));
  // Simulated time stands still, so n2's dispatcher sends and then waits for its first poll.
  const deadline = Date.now() + 20_000;
  while (!(dispatcher('n2')?.window.some((e) => e.logIndex === write && e.requests.every((r) => r.taskUid !== null)))) {
    assert.ok(Date.now() < deadline, 'n2 acknowledged the write');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await nodes.stop(n2);
  rmSync(join(nodes.root, n2), { recursive: true, force: true });
  await nodes.start(n2, port);
  const task = await leader.until(() => finished(leader, write), 'the write finished on the wiped node');
  assert.equal(task.status, 'succeeded');
  const owners = leader.router.placeGroup(S, ['n1', 'n2'], 1);
  const expected = Array.from({ length: 30 }, (_, i) => i).filter((id) => owners[leader.router.shardOf(id, S)]?.[0] === 'n2');
  assert.deepEqual((await nodeDocuments(leader, 'n2', 'wiped')).map((d) => d['id']).sort((a, b) => (a as number) - (b as number)), expected);
  stop();
});
