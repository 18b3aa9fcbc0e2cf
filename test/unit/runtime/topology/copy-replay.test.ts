// Goal: a migration's copy and replay leave the target with exactly the
// source's documents of the shard when, between P and the copy, the source
// applied a partial update and then a filter delete of a document (chaos
// seeds 3 and 11: the replay from P re-created it as {id, version,
// _miroir_shard}, which the replayed filter delete no longer matched).
// Method: two real engine nodes (a: the source, c: the joining target), a
// replica of the cluster state over an in-memory committed log, the real
// runHold and runCopy; each node's writes are what its dispatcher plans
// (planEntries), sent in log order, cursors committed as the dispatcher does.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode, type RunningNode } from '../../../../engine/node.ts';
import { apply, emptyState, encodeCommand, type ClusterCommand } from '../../../../runtime/cluster/index.ts';
import type { Entry } from '../../../../runtime/raft/types.ts';
import { planEntries } from '../../../../runtime/dispatch/window.ts';
import { realClock } from '../../../../runtime/env/real.ts';
import { DEFAULT_TOPOLOGY_LIMITS } from '../../../../runtime/topology/limits.ts';
import { runCopy, runHold, type MigrationServices } from '../../../../runtime/topology/migration-io.ts';
import { NodeClient } from '../../../../transport/node-client/node-client.ts';

const T = 1_700_000_000_000;
const SHARD = 2; // placed on a over [a, b], on c over [a, b, c]

test('a partial update then a filter delete between P and the copy: the target ends equal to the source', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'copy-replay-'));
  const nodes: RunningNode[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  const clients = new Map<string, NodeClient>();
  for (const id of ['a', 'c']) {
    const node = await startNode({ httpAddr: '127.0.0.1:0', dbPath: join(dir, id), masterKey: null });
    nodes.push(node);
    clients.set(id, new NodeClient({ nodeId: id, url: node.url, apiKey: null, connectionsMax: 4, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 }));
  }
  const client = (id: string): NodeClient => {
    const c = clients.get(id);
    if (c === undefined) throw new Error(`node ${id} is not started in this test`);
    return c;
  };

  const state = emptyState();
  const entries: Entry[] = [];
  const listeners = new Set<() => void>();
  const place = (shard: number, ids: readonly string[]): string[] => [ids[shard % ids.length] as string];
  const run = (c: ClusterCommand): number => {
    const index = entries.length + 1;
    apply(state, c, index, { placeShard: place });
    entries.push({ index, term: 1, payload: { kind: 'command', data: encodeCommand(c) } });
    for (const l of listeners) l();
    return index;
  };
  const readLog = (from: number, to: number): Entry[] => entries.filter((e) => e.index >= from && e.index <= to);
  const delivered = new Map<string, number>();
  /** What node `id`'s dispatcher does: plan its entries up to the log's end, send them in order, commit its cursor. */
  const deliver = async (id: string): Promise<void> => {
    const from = (delivered.get(id) ?? 0) + 1;
    const { planned } = planEntries(readLog(from, entries.length), state, id, { entries: 1_000, bytes: 1 << 24 }, readLog);
    for (const entry of planned) {
      for (const { request } of entry.requests) {
        const res = await client(id).request<{ taskUid?: number }>(request);
        assert.equal(typeof res.body.taskUid, 'number', `${id} ${request.method} ${request.path}: ${JSON.stringify(res.body)}`);
        await taskDone(client(id), res.body.taskUid as number, request.tolerate ?? []);
      }
    }
    delivered.set(id, entries.length);
    run({ v: 1, kind: 'dispatcher.cursor', cursors: [{ nodeId: id, index: entries.length }] });
  };
  const services: MigrationServices = {
    log: { readCommitted: (from) => readLog(from, entries.length), appliedIndex: () => entries.length, compactedThrough: () => 0 },
    state: () => state,
    client,
    propose: async (c) => run(c),
    onApplied: (l) => (listeners.add(l), () => listeners.delete(l)),
    clock: realClock,
    place: (shard, ids) => place(shard, ids),
    limits: DEFAULT_TOPOLOGY_LIMITS,
  };

  run({ v: 1, kind: 'group.add', id: 'g1', nowMs: T });
  for (const id of ['a', 'b']) {
    run({ v: 1, kind: 'node.add', id, url: `http://127.0.0.1/${id}`, group: 'g1', nowMs: T });
    run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: T });
  }
  run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: 4, nowMs: T });
  run({ v: 1, kind: 'settings.update', indexUid: 'm', settings: { filterableAttributes: ['genre'] }, allowIndexCreation: false, nowMs: T });
  run(write('replace', [{ id: 'x', genre: 'a', title: 'gone', version: 1 }, { id: 'k', genre: 'b', title: 'kept', version: 1 }]));
  await deliver('a');

  const P = run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T });
  const m = [...state.migrations.values()].find((x) => x.to === 'c' && x.shard === SHARD);
  assert.ok(m !== undefined && m.from.join() === 'a', 'shard 2 moves a → c');
  await deliver('c'); // the index set-up at P
  // Between P and the copy: the source applies a partial update, then a filter delete that removes the document.
  run(write('update', [{ id: 'x', version: 2 }, { id: 'k', version: 2 }]));
  run({ v: 1, kind: 'documents.deleteFilter', indexUid: 'm', filter: 'genre = a', nowMs: T });
  await deliver('a');

  const signal = new AbortController().signal;
  await runHold(services, m.id, signal);
  await runCopy(services, m.id, signal);
  const released = state.migrations.get(m.id);
  assert.equal(released?.phase, 'replay');
  assert.ok((released?.copiedThrough ?? 0) > P, 'R: past the delete the source had applied when the pass started');
  run(write('update', [{ id: 'k', version: 3 }])); // after the release: reaches c as a shadow target
  await deliver('c');
  await deliver('a');

  const source = await shardDocs(client('a'));
  assert.deepEqual(source, [{ id: 'k', genre: 'b', title: 'kept', version: 3, _miroir_shard: SHARD }]);
  assert.deepEqual(await shardDocs(client('c')), source);
});

function write(mode: 'replace' | 'update', docs: Record<string, unknown>[]): ClusterCommand {
  return {
    v: 1, kind: 'documents.write', indexUid: 'm', mode, primaryKey: 'id', shards: 4,
    byShard: { [SHARD]: docs.map((d) => ({ ...d, _miroir_shard: SHARD })) }, receivedDocuments: docs.length, allowIndexCreation: true, nowMs: T,
  };
}

/** Waits for the node's task; a failure whose code the plan tolerates (its effect is already there) counts as done. */
async function taskDone(client: NodeClient, uid: number, tolerate: readonly string[]): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const res = await client.request<{ status?: string; error?: { code?: string } | null }>({ method: 'GET', path: `/tasks/${uid}` });
    if (res.body.status === 'succeeded' || (res.body.status === 'failed' && tolerate.includes(res.body.error?.code ?? ''))) return;
    assert.notEqual(res.body.status, 'failed', `${client.nodeId} task ${uid}: ${JSON.stringify(res.body.error)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`${client.nodeId} task ${uid} not finished`);
}

async function shardDocs(client: NodeClient): Promise<Record<string, unknown>[]> {
  const res = await client.request<{ results?: Record<string, unknown>[] }>({
    method: 'POST', path: '/indexes/m/documents/fetch', body: { filter: `_miroir_shard = ${SHARD}`, limit: 100 },
  });
  return (res.body.results ?? []).sort((x, y) => String(x.id).localeCompare(String(y.id)));
}
