// Goal: topology jobs and migrations as committed state (ARCHITECTURE §6):
// a join plans the moves at its log index P, the target's writes of a moving
// shard are held until the release and then reach it as an ordinary (shadow)
// target, the cut-over commits the node states, the last `done` finishes the
// job; one job at a time; a failure fails the job; the log retention floor
// keeps P until the target's replay is read; snapshots keep it all.
// Method: a replica applies real commands with an injected placement
// (shard s → the (s mod n)-th node of the sorted ids).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apply, compactionFloor, decodeCommand, emptyState, encodeCommand, restoreState, serializeState, type ApplyResult, type ClusterCommand, type ClusterState,
} from '../../../../runtime/cluster/index.ts';
import type { ApplyContext } from '../../../../runtime/cluster/apply.ts';

const T = 1_700_000_000_000;
const ctx: ApplyContext = { placeShard: (shard, ids) => [ids[shard % ids.length] as string] };

function cluster(): { state: ClusterState; run(c: ClusterCommand): ApplyResult; last: () => number } {
  const state = emptyState();
  let index = 0;
  const run = (c: ClusterCommand): ApplyResult => apply(state, c, ++index, ctx);
  run({ v: 1, kind: 'group.add', id: 'g1', nowMs: T });
  for (const id of ['a', 'b']) {
    run({ v: 1, kind: 'node.add', id, url: `http://127.0.0.1/${id}`, group: 'g1', nowMs: T });
    run({ v: 1, kind: 'node.state', id, state: 'active', nowMs: T });
  }
  run({ v: 1, kind: 'index.create', uid: 'm', primaryKey: 'id', shards: 4, nowMs: T });
  return { state, run, last: () => index };
}

function write(shards: number[]): ClusterCommand {
  const byShard: Record<number, Record<string, unknown>[]> = {};
  for (const s of shards) byShard[s] = [{ id: s, _miroir_shard: s }];
  return {
    v: 1, kind: 'documents.write', indexUid: 'm', mode: 'replace', primaryKey: 'id', shards: 4, byShard,
    receivedDocuments: shards.length, allowIndexCreation: true, nowMs: T,
  };
}

const phase = (id: string, p: 'copy' | 'replay' | 'verify' | 'cutover' | 'done' | 'failed', error?: string): ClusterCommand =>
  error === undefined ? { v: 1, kind: 'migration.phase', id, phase: p, nowMs: T } : { v: 1, kind: 'migration.phase', id, phase: p, error, nowMs: T };

test('join: planned at P, held until released, shadow target after, cut over, done', () => {
  const c = cluster();
  assert.deepEqual(c.run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T }), { kind: 'applied' });
  const P = c.last();
  const job = c.state.jobs.get(`job-${P}`);
  assert.equal(job?.status, 'running');
  assert.equal(c.state.nodes.get('c')?.state, 'joining');
  // Future placement over a, b, c: shard s → (s mod 3)-th; serving over a, b: (s mod 2)-th.
  const moves = [...c.state.migrations.values()];
  assert.deepEqual(moves.map((m) => [m.shard, m.from, m.to, m.phase, m.fromLogIndex]), [[2, ['a'], 'c', 'hold', P], [3, ['b'], 'a', 'hold', P]]);
  const id = moves[0]!.id;
  const other = moves[1]!.id;
  assert.equal(compactionFloor(c.state) <= P, true);

  c.run(write([2]));
  assert.deepEqual(c.state.dispatch.get(c.last())?.targets.map((t) => t.nodeId), ['a'], 'held: the target is not sent shard 2');
  // A second job is refused while this one runs.
  const refused = c.run({ v: 1, kind: 'topology.job', job: 'rebalance', nowMs: T });
  assert.equal(refused.kind === 'rejected' && refused.error.code, 'miroir_topology_change_in_progress');

  for (const p of ['copy', 'replay', 'verify', 'cutover'] as const) c.run(phase(other, p));
  c.run(phase(id, 'copy'));
  c.run(phase(id, 'replay'));
  const H = c.last();
  assert.equal(c.state.migrations.get(id)?.releasedAt, H);
  c.run(write([2]));
  assert.deepEqual(c.state.dispatch.get(c.last())?.targets, [
    { nodeId: 'a', group: 'g1', shards: [2] }, { nodeId: 'c', group: 'g1', shards: [2], shadow: true },
  ]);
  // The replay of (P, H) is still to be read by c's dispatcher (cursor at P): the floor keeps P.
  assert.ok(compactionFloor(c.state) <= P);

  const early = c.run({ v: 1, kind: 'job.cutover', jobId: job!.id, nowMs: T });
  assert.equal(early.kind, 'rejected', 'no cut-over before every migration is verified');
  c.run(phase(id, 'verify'));
  c.run(phase(id, 'cutover'));
  c.run({ v: 1, kind: 'job.cutover', jobId: job!.id, nowMs: T });
  assert.equal(c.state.nodes.get('c')?.state, 'active');
  assert.equal(c.state.migrations.get(id)?.phase, 'cleanup');
  c.run(write([2]));
  assert.deepEqual(c.state.dispatch.get(c.last())?.targets, [{ nodeId: 'c', group: 'g1', shards: [2] }], 'after the cut-over only the new owner');
  c.run(phase(id, 'done'));
  assert.equal(c.state.jobs.get(job!.id)?.status, 'running');
  c.run(phase(other, 'done'));
  assert.equal(c.state.jobs.get(job!.id)?.status, 'succeeded');

  const copy = restoreState(serializeState(c.state));
  assert.deepEqual(copy.jobs, c.state.jobs);
  assert.deepEqual(copy.migrations, c.state.migrations);
});

test('phases only move forward; a failure fails the job and leaves the node joining', () => {
  const c = cluster();
  c.run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T });
  const m = [...c.state.migrations.values()][0]!;
  assert.equal(c.run(phase(m.id, 'verify')).kind, 'ignored');
  c.run(phase(m.id, 'copy'));
  c.run(phase(m.id, 'failed', 'digest mismatch'));
  assert.equal(c.state.migrations.get(m.id)?.phase, 'failed');
  assert.match(c.state.jobs.get(m.jobId)?.reason ?? '', /digest mismatch/);
  assert.equal(c.state.jobs.get(m.jobId)?.status, 'failed');
  assert.equal(c.state.nodes.get('c')?.state, 'joining');
  // Not held any more: the future owner gets its shard's writes directly (a rebalance copies it again).
  c.run(write([2]));
  assert.deepEqual(c.state.dispatch.get(c.last())?.targets.map((t) => t.nodeId), ['a', 'c']);
});

test('nothing to move: a join is active at once, a rebalance succeeds with no migration', () => {
  const c = cluster();
  c.run({ v: 1, kind: 'index.delete', uid: 'm', nowMs: T });
  c.run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T });
  assert.equal(c.state.nodes.get('c')?.state, 'active');
  c.run({ v: 1, kind: 'topology.job', job: 'rebalance', nowMs: T });
  const jobs = [...c.state.jobs.values()];
  assert.deepEqual(jobs.map((j) => [j.kind, j.status]), [['join', 'succeeded'], ['rebalance', 'succeeded']]);
});

test('drain: the node serves until the cut-over, then is removed; the last node of a group cannot drain', () => {
  const c = cluster();
  c.run({ v: 1, kind: 'topology.job', job: 'drain', nodeId: 'b', reason: 'restore-rf', nowMs: T });
  assert.equal(c.state.nodes.get('b')?.state, 'draining');
  const moves = [...c.state.migrations.values()];
  assert.deepEqual(moves.map((m) => [m.shard, m.from, m.to]), [[1, ['b'], 'a'], [3, ['b'], 'a']]);
  c.run(write([1]));
  assert.deepEqual(c.state.dispatch.get(c.last())?.targets.map((t) => t.nodeId), ['b'], 'b still serves shard 1; a is held');
  for (const m of moves) for (const p of ['copy', 'replay', 'verify', 'cutover'] as const) c.run(phase(m.id, p));
  c.run({ v: 1, kind: 'job.cutover', jobId: moves[0]!.jobId, nowMs: T });
  assert.equal(c.state.nodes.get('b')?.state, 'removed');
  assert.equal(c.state.cursors.has('b'), false);
  for (const m of moves) c.run(phase(m.id, 'done'));
  assert.deepEqual([c.state.jobs.get(moves[0]!.jobId)?.status, c.state.jobs.get(moves[0]!.jobId)?.reason], ['succeeded', 'restore-rf'], 'a success keeps why it started');
  const last = c.run({ v: 1, kind: 'topology.job', job: 'drain', nodeId: 'a', nowMs: T });
  assert.equal(last.kind === 'rejected' && last.error.code, 'miroir_invalid_topology');
});

test('a deleted index ends its migrations; a renamed one fails the job', () => {
  const c = cluster();
  c.run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T });
  c.run({ v: 1, kind: 'index.delete', uid: 'm', nowMs: T });
  assert.deepEqual([...c.state.migrations.values()].map((m) => m.phase), ['done', 'done']);
  const job = [...c.state.jobs.values()][0]!;
  assert.equal(job.status, 'running', 'the node states still need the cut-over');
  c.run({ v: 1, kind: 'job.cutover', jobId: job.id, nowMs: T });
  assert.equal(job.status, 'succeeded');
  assert.equal(c.state.nodes.get('c')?.state, 'active');

  const r = cluster();
  r.run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T });
  r.run({ v: 1, kind: 'index.update', uid: 'm', newUid: 'n', nowMs: T });
  assert.deepEqual([...r.state.migrations.values()].map((m) => m.phase), ['failed', 'failed']);
  assert.equal([...r.state.jobs.values()][0]?.status, 'failed');
});

test('the job commands round-trip through the codec; a join without its url is refused', () => {
  const commands: ClusterCommand[] = [
    { v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T },
    { v: 1, kind: 'topology.job', job: 'rebalance', nowMs: T },
    { v: 1, kind: 'topology.job', job: 'drain', nodeId: 'b', reason: 'restore-rf', nowMs: T },
    { v: 1, kind: 'migration.phase', id: 'job-7.0', phase: 'copy', copied: 10, total: 20, nowMs: T },
    { v: 1, kind: 'migration.phase', id: 'job-7.0', phase: 'replay', copiedThrough: 12, copied: 10, total: 20, nowMs: T },
    { v: 1, kind: 'migration.phase', id: 'job-7.0', phase: 'failed', error: 'boom', nowMs: T },
    { v: 1, kind: 'job.cutover', jobId: 'job-7', nowMs: T },
  ];
  for (const c of commands) assert.deepEqual(decodeCommand(encodeCommand(c)), c);
  assert.throws(() => encodeCommand({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', nowMs: T }), /url/);
});

test('the release records R, the point the copy holds, within [P, H); snapshots keep it, older records read without it', () => {
  const c = cluster();
  c.run({ v: 1, kind: 'topology.job', job: 'join', nodeId: 'c', url: 'http://127.0.0.1/c', group: 'g1', nowMs: T });
  const P = c.last();
  const m = [...c.state.migrations.values()][0]!;
  c.run(write([2]));
  c.run(phase(m.id, 'copy'));
  // The index the command lands at is H (each run takes the next index, applied or not).
  for (const bad of [() => P - 1, () => c.last() + 1]) {
    const r = c.run({ v: 1, kind: 'migration.phase', id: m.id, phase: 'replay', copiedThrough: bad(), nowMs: T });
    assert.equal(r.kind === 'rejected' && r.error.code, 'miroir_invalid_topology', 'R is outside [P, H)');
  }
  assert.equal(c.state.migrations.get(m.id)?.phase, 'copy');
  c.run({ v: 1, kind: 'migration.phase', id: m.id, phase: 'replay', copiedThrough: P + 1, nowMs: T });
  assert.equal(c.state.migrations.get(m.id)?.copiedThrough, P + 1);
  assert.deepEqual(restoreState(serializeState(c.state)).migrations, c.state.migrations);
  delete c.state.migrations.get(m.id)!.copiedThrough;
  assert.equal(restoreState(serializeState(c.state)).migrations.get(m.id)?.copiedThrough, undefined);
});

test('adding a group: its nodes join, are held then shadow targets, and serve reads only after the cut-over', () => {
  const c = cluster();
  c.run({ v: 1, kind: 'topology.job', job: 'group', group: 'g2', nodes: [{ id: 'x', url: 'http://x' }, { id: 'y', url: 'http://y' }], nowMs: T });
  const job = [...c.state.jobs.values()][0]!;
  assert.deepEqual([job.kind, job.nodeId, job.status], ['group', 'g2', 'running']);
  assert.deepEqual([...c.state.nodes.values()].filter((n) => n.group === 'g2').map((n) => n.state), ['joining', 'joining']);
  const moves = [...c.state.migrations.values()];
  assert.equal(moves.length, 4, 'every shard of the index');
  c.run(write([0]));
  assert.deepEqual(c.state.dispatch.get(c.last())?.targets.map((t) => t.nodeId), ['a'], 'g2 held while syncing');
  for (const m of moves) for (const p of ['copy', 'replay', 'verify', 'cutover'] as const) c.run(phase(m.id, p));
  c.run(write([0]));
  assert.deepEqual(c.state.dispatch.get(c.last())?.targets.map((t) => [t.nodeId, t.shadow ?? false]), [['a', false], ['x', true]]);
  c.run({ v: 1, kind: 'job.cutover', jobId: job.id, nowMs: T });
  assert.deepEqual([...c.state.nodes.values()].filter((n) => n.group === 'g2').map((n) => n.state), ['active', 'active']);
  const refused = c.run({ v: 1, kind: 'topology.job', job: 'group', group: 'g2', nodes: [{ id: 'z', url: 'http://z' }], nowMs: T });
  assert.equal(refused.kind === 'rejected' && refused.error.code, 'miroir_topology_change_in_progress', 'cleanups still run');
});
