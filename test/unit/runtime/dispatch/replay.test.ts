// Goal: a migration target's dispatcher plans, in its one ordered stream,
// the index set-up at P and, at the release H, the held shard's writes of
// (P, H) in log order (documents and ids of that shard only, filter deletes
// and clears restricted to it, entries failed at apply skipped); after H the
// shard reaches it as an ordinary target. Method: a replica applies real
// commands with an injected placement; planEntries runs on its entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, emptyState, encodeCommand, type ClusterCommand, type ClusterState } from '../../../../runtime/cluster/index.ts';
import type { ApplyContext } from '../../../../runtime/cluster/apply.ts';
import type { Entry } from '../../../../runtime/raft/types.ts';
import { planEntries } from '../../../../runtime/dispatch/window.ts';
import type { ReadLog } from '../../../../runtime/dispatch/replay.ts';

const T = 1_700_000_000_000;
const ctx: ApplyContext = { placeShard: (shard, ids) => [ids[shard % ids.length] as string] };
const ROOM = { entries: 100, bytes: 1 << 20 };

function cluster(): { state: ClusterState; entries: Entry[]; run(c: ClusterCommand): number; readLog: ReadLog } {
  const state = emptyState();
  const entries: Entry[] = [];
  const run = (c: ClusterCommand): number => {
    const index = entries.length + 1;
    apply(state, c, index, ctx);
    entries.push({ index, term: 1, payload: { kind: 'command', data: encodeCommand(c) } });
    return index;
  };
  run({ v: 1, kind: 'group.add', id: 'g1', nowMs: T });
  for (const id of ['a', 'b']) {
    run({ v: 1, kind: 'node.add', id, url: `http://127.0.0.1/${id}`, group: 'g1', nowMs: T });
    run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: T });
  }
  run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: 4, nowMs: T });
  run({ v: 1, kind: 'settings.update', indexUid: 'm', settings: { filterableAttributes: ['genre'] }, allowIndexCreation: false, nowMs: T });
  const readLog: ReadLog = (from, to) => entries.filter((e) => e.index >= from && e.index <= to);
  return { state, entries, run, readLog };
}

function write(shards: number[], tag: string, shardsOfIndex = 4): ClusterCommand {
  const byShard: Record<number, Record<string, unknown>[]> = {};
  for (const s of shards) byShard[s] = [{ id: `${tag}${s}`, _miroir_shard: s }];
  return {
    v: 1, kind: 'documents.write', indexUid: 'm', mode: 'replace', primaryKey: 'id', shards: shardsOfIndex, byShard,
    receivedDocuments: shards.length, allowIndexCreation: true, nowMs: T,
  };
}

test('set-up at P, the held shard replayed at H in log order, then ordinary writes', () => {
  const c = cluster();
  const P = c.run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T });
  const id = [...c.state.migrations.values()].find((m) => m.to === 'c')!.id; // shard 2, a → c
  c.run(write([1, 2], 'x'));
  c.run({ v: 1, kind: 'documents.deleteIds', indexUid: 'm', shards: 4, byShard: { 2: ['x2'], 1: ['x1'] }, providedIds: 2, nowMs: T });
  c.run(write([2], 'bad', 8)); // wrong S: fails at apply, never sent
  c.run({ v: 1, kind: 'documents.deleteFilter', indexUid: 'm', filter: 'genre = a', nowMs: T });
  c.run(write([2], 'y'));
  c.run({ v: 1, kind: 'documents.clear', indexUid: 'm', nowMs: T });
  c.run({ v: 1, kind: 'migration.phase', id, phase: 'copy', nowMs: T });
  const H = c.run({ v: 1, kind: 'migration.phase', id, phase: 'replay', nowMs: T });
  const after = c.run(write([2], 'z'));

  const plan = planEntries(c.entries.filter((e) => e.index >= P), c.state, 'c', ROOM, c.readLog).planned;
  const byIndex = new Map(plan.map((e) => [e.logIndex, e.requests.map((r) => ({ ...r.request, body: typeof r.request.body === 'string' ? JSON.parse(r.request.body) : r.request.body }))]));
  assert.deepEqual(byIndex.get(P)?.map((r) => [r.method, r.path, r.body]), [
    ['POST', '/indexes', { uid: 'm', primaryKey: 'id' }],
    ['PATCH', '/indexes/m/settings', { filterableAttributes: ['genre', '_miroir_shard'] }],
  ]);
  assert.deepEqual(byIndex.get(H)?.map((r) => [r.method, r.path, r.body]), [
    ['POST', '/indexes/m/documents', [{ id: 'x2', _miroir_shard: 2 }]],
    ['POST', '/indexes/m/documents/delete-batch', ['x2']],
    ['POST', '/indexes/m/documents/delete', { filter: ['genre = a', '_miroir_shard IN [2]'] }],
    ['POST', '/indexes/m/documents', [{ id: 'y2', _miroir_shard: 2 }]],
    ['POST', '/indexes/m/documents/delete', { filter: '_miroir_shard = 2' }],
  ]);
  assert.deepEqual(byIndex.get(after)?.map((r) => r.body), [[{ id: 'z2', _miroir_shard: 2 }]]);
  // Broadcasts of (P, H) reach c in place (filter delete, clear), shard writes before H do not.
  const broadcast = [...byIndex.keys()].filter((i) => i > P && i < H);
  assert.equal(broadcast.length, 2);
});

// The chaos bug (seeds 3 and 11): the copy read the source after it applied a
// partial update and then a filter delete of (P, R]; replaying the update from
// P re-created the document with only the updated fields, which the replayed
// filter delete no longer matched. With R the replay starts after it.
test('at H the replay starts after R: writes and deletes the copy already holds are not sent again', () => {
  const c = cluster();
  const P = c.run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T });
  const id = [...c.state.migrations.values()].find((m) => m.to === 'c')!.id; // shard 2, a → c
  c.run({
    v: 1, kind: 'documents.write', indexUid: 'm', mode: 'update', primaryKey: 'id', shards: 4, byShard: { 2: [{ id: 'x2', version: 2, _miroir_shard: 2 }] },
    receivedDocuments: 1, allowIndexCreation: true, nowMs: T,
  });
  const R = c.run({ v: 1, kind: 'documents.deleteFilter', indexUid: 'm', filter: 'genre = a', nowMs: T });
  c.run({ v: 1, kind: 'migration.phase', id, phase: 'copy', nowMs: T });
  c.run(write([2], 'y'));
  const H = c.run({ v: 1, kind: 'migration.phase', id, phase: 'replay', copiedThrough: R, nowMs: T });

  const plan = planEntries(c.entries.filter((e) => e.index >= P), c.state, 'c', ROOM, c.readLog).planned;
  const atH = plan.find((e) => e.logIndex === H)?.requests.map((r) => [r.request.method, r.request.path, typeof r.request.body === 'string' ? JSON.parse(r.request.body) : r.request.body]);
  assert.deepEqual(atH, [['POST', '/indexes/m/documents', [{ id: 'y2', _miroir_shard: 2 }]]]);
});
