// Goal: a node dispatcher that restarts (a new leader, or a restart after an
// unexpected error) sends its node nothing twice. The case that breaks a
// plain replay from the committed cursor: a partial update (PUT, a shallow
// merge) of document d and then a filter delete that removes d were both
// enqueued and applied by the node, but the cursor was not committed past
// them; resent, the PUT recreates d with only its updated fields and the
// filter delete (on a field the recreated d lacks) no longer matches it — a
// ghost. Method: the dispatchers actor on a simulated clock over an in-memory
// committed log (harness.ts) against a real engine node (for a lost answer,
// its client drops one response after the node answered); simulated time
// stands still while the dispatcher sends, so it sends and then waits for its
// first poll, and the cursor stays where it was; the test waits for the node
// to finish the tasks, restarts the dispatcher, and checks the node's
// documents and tasks through its own API.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createActor, type AnyActorRef } from 'xstate';
import { dispatchersInput, dispatchersLogic } from '../../../actors/dispatchers.machine.ts';
import type { NodeDispatcherContext } from '../../../actors/node-dispatcher.machine.ts';
import type { ClusterCommand } from '../../../runtime/cluster/index.ts';
import type { DispatchServices } from '../../../runtime/dispatch/services.ts';
import { NodeUnavailableError } from '../../../runtime/errors.ts';
import { NodeClient, type NodeRequest, type NodeResponse } from '../../../transport/node-client/node-client.ts';
import { documentsWrite, EngineNodes, MASTER_KEY, oneNodeLeader, T0, type MemoryLeader } from './harness.ts';

const S = 4;
const nodes = new EngineNodes();
const leaders: MemoryLeader[] = [];
after(async () => {
  await Promise.all(leaders.map((l) => l.close()));
  await nodes.close();
});

interface Cluster {
  leader: MemoryLeader;
  restart: () => void;
  stop: () => void;
  dispatcher: () => NodeDispatcherContext | undefined;
}

async function oneNode(wrap: (services: DispatchServices) => DispatchServices = (s) => s): Promise<Cluster> {
  const leader = await oneNodeLeader(nodes, leaders);
  const services = wrap(leader.services());
  const start = () => createActor(dispatchersLogic(services), { clock: leader.clock, input: dispatchersInput(services) }).start();
  let actor = start();
  return {
    leader,
    restart: () => {
      actor.stop();
      actor = start();
    },
    stop: () => actor.stop(),
    dispatcher: () => (actor.system.get('dispatcher:n1') as AnyActorRef | undefined)?.getSnapshot().context as NodeDispatcherContext | undefined,
  };
}

const taskOf = (leader: MemoryLeader, logIndex: number) => [...leader.state.tasks.values()].find((t) => t.logIndex === logIndex)!;
const finished = (leader: MemoryLeader, logIndex: number) => {
  const task = taskOf(leader, logIndex);
  return task.status === 'succeeded' || task.status === 'failed' ? task : null;
};

interface NodeTask { uid: number; type: string; status: string; customMetadata?: string }

async function nodeTasks(leader: MemoryLeader, query: Record<string, string> = {}): Promise<NodeTask[]> {
  const res = await leader.client('n1').request<{ results: NodeTask[] }>({ method: 'GET', path: '/tasks', query: { limit: '1000', ...query } });
  return res.body.results;
}

async function nodeDocuments(leader: MemoryLeader, index: string): Promise<Record<string, unknown>[]> {
  const res = await leader.client('n1').request<{ results: Record<string, unknown>[] }>({
    method: 'GET', path: `/indexes/${index}/documents`, query: { limit: '1000' },
  });
  return res.body.results;
}

/** Waits on the wall clock (simulated time stands still) until `probe` holds. */
async function wallUntil(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Commits the index and d in full (cursor passed), then a partial update of d
 * and a filter delete that removes it; returns once the node applied both
 * while the dispatcher's cursor is still below them.
 */
async function updateThenDeleteUncommitted(c: Cluster): Promise<{ update: number; remove: number }> {
  const { leader } = c;
  leader.run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: S, nowMs: T0 });
  leader.run({ v: 1, kind: 'settings.update', indexUid: 'm', settings: { filterableAttributes: ['color'] }, allowIndexCreation: false, nowMs: T0 });
  const full = leader.run(documentsWrite(leader.router, 'm', S, [{ id: 1, color: 'red', title: 'one' }, { id: 2, color: 'blue', title: 'two' }]));
  await leader.until(() => finished(leader, full) && (leader.state.cursors.get('n1') ?? 0) >= full, 'the full write committed');
  const partial = documentsWrite(leader.router, 'm', S, [{ id: 1, title: 'uno' }]) as Extract<ClusterCommand, { kind: 'documents.write' }>;
  const update = leader.run({ ...partial, mode: 'update' });
  const remove = leader.run({ v: 1, kind: 'documents.deleteFilter', indexUid: 'm', filter: 'color = red', nowMs: T0 } satisfies ClusterCommand);
  await wallUntil(() => c.dispatcher()?.window.some((e) => e.logIndex === remove && e.requests.every((r) => r.taskUid !== null)) === true, 'both sent');
  await wallUntil(async () => (await nodeTasks(leader, { statuses: 'enqueued,processing' })).length === 0, 'the node applied both');
  assert.ok((leader.state.cursors.get('n1') ?? 0) < update, 'the cursor is still below the partial update');
  assert.deepEqual((await nodeDocuments(leader, 'm')).map((d) => d['id']), [2], 'the node removed d');
  return { update, remove };
}

async function assertNoGhost(c: Cluster, writes: { update: number; remove: number }, tasksBefore: number): Promise<void> {
  const { leader } = c;
  for (const index of [writes.update, writes.remove]) {
    const task = await leader.until(() => finished(leader, index), `task of entry ${index}`);
    assert.equal(task.status, 'succeeded', `entry ${index}`);
  }
  await leader.until(() => (leader.state.cursors.get('n1') ?? 0) >= writes.remove, 'the cursor passed both');
  assert.deepEqual((await nodeDocuments(leader, 'm')).map((d) => d['id']), [2], 'no ghost of d');
  assert.equal(taskOf(leader, writes.remove).details?.['deletedDocuments'], 1, 'the delete counts the document it removed');
  assert.equal((await nodeTasks(leader)).length, tasksBefore, 'nothing was sent twice');
}

test('a new leader adopts the tasks the node already enqueued instead of sending them again', async () => {
  const c = await oneNode();
  const writes = await updateThenDeleteUncommitted(c);
  const tasksBefore = (await nodeTasks(c.leader)).length;
  const stamps = (await nodeTasks(c.leader)).slice(0, 2).map((t) => t.customMetadata);
  assert.deepEqual(stamps, [`miroir:${writes.remove}`, `miroir:${writes.update}`], 'each documents request carries its log position');
  c.restart();
  await assertNoGhost(c, writes, tasksBefore);
  c.stop();
});

test('a dispatcher restarting after an unexpected error resumes after what the node enqueued', async () => {
  let failNextCursor = false;
  const c = await oneNode((services) => ({
    ...services,
    propose: async (command) => {
      if (command.kind === 'dispatcher.cursor' && failNextCursor) {
        failNextCursor = false;
        throw new Error('injected: the cursor proposal failed');
      }
      return services.propose(command);
    },
  }));
  const writes = await updateThenDeleteUncommitted(c);
  const tasksBefore = (await nodeTasks(c.leader)).length;
  failNextCursor = true;
  await assertNoGhost(c, writes, tasksBefore);
  assert.equal(failNextCursor, false, 'the cursor proposal failed once');
  c.stop();
});

test('an index swap the node already did after the newest stamped write is adopted, not swapped back', async () => {
  const c = await oneNode();
  const { leader } = c;
  for (const uid of ['a', 'b']) leader.run({ v: 1, kind: 'index.create', uid, primaryKey: 'id', shards: S, nowMs: T0 });
  const first = leader.run(documentsWrite(leader.router, 'b', S, [{ id: 'in-b' }]));
  await leader.until(() => finished(leader, first) && (leader.state.cursors.get('n1') ?? 0) >= first, 'the indexes committed');
  const write = leader.run(documentsWrite(leader.router, 'a', S, [{ id: 'in-a' }]));
  const swap = leader.run({ v: 1, kind: 'index.swap', swaps: [{ indexes: ['a', 'b'], rename: false }], nowMs: T0 } satisfies ClusterCommand);
  await wallUntil(() => c.dispatcher()?.window.some((e) => e.logIndex === swap && e.requests.every((r) => r.taskUid !== null)) === true, 'both sent');
  await wallUntil(async () => (await nodeTasks(leader, { statuses: 'enqueued,processing' })).length === 0, 'the node applied both');
  assert.ok((leader.state.cursors.get('n1') ?? 0) < write, 'the cursor is still below the write');
  const tasksBefore = (await nodeTasks(leader)).length;
  c.restart();
  for (const index of [write, swap]) assert.equal((await leader.until(() => finished(leader, index), `entry ${index}`)).status, 'succeeded');
  await leader.until(() => (leader.state.cursors.get('n1') ?? 0) >= swap, 'the cursor passed both');
  assert.deepEqual((await nodeDocuments(leader, 'a')).map((d) => d['id']), ['in-b'], 'swapped once');
  assert.deepEqual((await nodeDocuments(leader, 'b')).map((d) => d['id']), ['in-a']);
  assert.equal((await nodeTasks(leader)).length, tasksBefore, 'nothing was sent twice');
  c.stop();
});

/** A client that loses the node's answer to the first request `lose` picks, after the node handled it. */
class LossyClient extends NodeClient {
  lost = 0;
  constructor(base: NodeClient, readonly lose: (req: NodeRequest) => boolean) {
    super({ nodeId: base.nodeId, url: base.url, apiKey: MASTER_KEY, connectionsMax: 4, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000 });
  }

  override async request<T>(req: NodeRequest): Promise<NodeResponse<T>> {
    const res = await super.request<T>(req);
    if (this.lost === 0 && this.lose(req)) {
      this.lost += 1;
      throw new NodeUnavailableError(this.nodeId, 'injected: the answer was lost');
    }
    return res;
  }
}

test('a request whose answer was lost after the node enqueued it is not sent again', async () => {
  let lossy: LossyClient | null = null;
  const heard = new Set<number>();
  const c = await oneNode((services) => ({
    ...services,
    client: (nodeId) => (lossy ??= new LossyClient(services.client(nodeId), (req) => req.path.endsWith('/documents/delete'))),
    enqueued: (_nodeId, logIndexes) => logIndexes.forEach((i) => heard.add(i)),
  }));
  const { leader } = c;
  leader.run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: S, nowMs: T0 });
  leader.run({ v: 1, kind: 'settings.update', indexUid: 'm', settings: { filterableAttributes: ['color'] }, allowIndexCreation: false, nowMs: T0 });
  leader.run(documentsWrite(leader.router, 'm', S, [{ id: 1, color: 'red', title: 'one' }, { id: 2, color: 'blue', title: 'two' }]));
  const partial = documentsWrite(leader.router, 'm', S, [{ id: 1, title: 'uno' }]) as Extract<ClusterCommand, { kind: 'documents.write' }>;
  const update = leader.run({ ...partial, mode: 'update' });
  const remove = leader.run({ v: 1, kind: 'documents.deleteFilter', indexUid: 'm', filter: 'color = red', nowMs: T0 } satisfies ClusterCommand);
  for (const index of [update, remove]) {
    const task = await leader.until(() => finished(leader, index), `task of entry ${index}`);
    assert.equal(task.status, 'succeeded', `entry ${index}`);
  }
  assert.equal((lossy as LossyClient | null)?.lost, 1, 'one answer was lost');
  assert.deepEqual((await nodeDocuments(leader, 'm')).map((d) => d['id']), [2]);
  assert.equal(taskOf(leader, remove).details?.['deletedDocuments'], 1, 'the outcome is the first (and only) delete\'s');
  const deletes = (await nodeTasks(leader)).filter((t) => t.type === 'documentDeletion');
  assert.equal(deletes.length, 1, 'the delete reached the node once');
  assert.ok(heard.has(remove), 'the quorum ack mode heard that the node enqueued the delete');
  c.stop();
});
