// Goal: the driver's StateMachine over the cluster state applies entries as
// runtime/cluster does, tells listeners what was applied, releases waiters at
// the right index, and never goes back in time across a driver restart.
// Method: feed hand-built Raft entries (commands encoded with encodeCommand)
// to an adapter on the simulator's clock; compare with a replica applied
// directly with runtime/cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterStateMachine } from '../../../../runtime/peer/state-machine.ts';
import {
  apply, emptyState, encodeCommand, serializeState, type ApplyResult, type ClusterCommand,
} from '../../../../runtime/cluster/index.ts';
import type { Entry } from '../../../../runtime/raft/types.ts';
import { SimClock } from '../../../sim/sim-clock.ts';

const T0 = 1_767_323_045_600;
const create = (uid: string): ClusterCommand => ({ v: 1, kind: 'index.create', uid, primaryKey: null, shards: 4, nowMs: T0 });
const command = (index: number, c: ClusterCommand): Entry => ({ index, term: 1, payload: { kind: 'command', data: encodeCommand(c) } });
const noop = (index: number): Entry => ({ index, term: 1, payload: { kind: 'command', data: new Uint8Array(0) } });
const conf = (index: number): Entry => ({ index, term: 1, payload: { kind: 'conf', change: { kind: 'addLearner', peer: 'p9' } } });

test('applies commands like runtime/cluster and tells listeners index, command and result', () => {
  const sm = new ClusterStateMachine(new SimClock());
  const heard: Array<[number, string | null, ApplyResult['kind']]> = [];
  sm.onApplied((index, c, result) => heard.push([index, c?.kind ?? null, result.kind]));
  sm.apply(noop(1));
  const result = sm.apply(command(2, create('movies')));
  sm.apply(conf(3));
  sm.apply(command(4, create('books')));

  const direct = emptyState();
  direct.appliedIndex = 1;
  apply(direct, create('movies'), 2);
  direct.appliedIndex = 3;
  apply(direct, create('books'), 4);
  assert.deepEqual(Buffer.from(sm.snapshot()), Buffer.from(serializeState(direct)));
  assert.equal(result.kind, 'task');
  assert.equal(result.kind === 'task' && result.task.taskUid, 0);
  assert.deepEqual(heard, [[1, null, 'ignored'], [2, 'index.create', 'task'], [3, null, 'ignored'], [4, 'index.create', 'task']]);
});

test('waitApplied resolves in index order when the replica reaches the index, times out otherwise', async () => {
  const clock = new SimClock(10);
  const sm = new ClusterStateMachine(clock);
  const order: string[] = [];
  const second = sm.waitApplied(2, 1_000).then(() => order.push('2'));
  const first = sm.waitApplied(1, 1_000).then(() => order.push('1'));
  const late = sm.waitApplied(5, 100);
  sm.apply(noop(1));
  sm.apply(command(2, create('a')));
  await Promise.all([first, second]);
  assert.deepEqual(order, ['1', '2']);
  await sm.waitApplied(2, 1); // already there: no timer needed
  for (let i = 0; i < 10; i++) clock.tick();
  await assert.rejects(late, (e: Error & { code?: string }) => e.code === 'MIROIR_ERR_TIMEOUT');
  const pending = sm.waitApplied(9, 1_000);
  sm.close();
  await assert.rejects(pending, (e: Error & { code?: string }) => e.code === 'MIROIR_ERR_CLOSED');
});

test('a restarted driver re-delivering old entries or an old snapshot leaves the replica as it was', () => {
  const sm = new ClusterStateMachine(new SimClock());
  sm.apply(noop(1));
  sm.apply(command(2, create('a')));
  const old = sm.snapshot();
  sm.apply(command(3, create('b')));
  const before = Buffer.from(sm.snapshot());
  let restored = 0;
  sm.onRestored(() => restored++);
  let heard = 0;
  sm.onApplied(() => heard++);
  sm.prepareForStart();
  sm.restore(old);
  assert.equal(sm.apply(command(3, create('b'))).kind, 'ignored');
  assert.deepEqual(Buffer.from(sm.snapshot()), before);
  assert.equal(restored, 0);
  assert.equal(heard, 0);
  sm.apply(command(4, create('c')));
  assert.equal(heard, 1);
  assert.equal(sm.appliedIndex, 4);
});

test('a newer snapshot replaces the replica and is announced', () => {
  const source = new ClusterStateMachine(new SimClock());
  source.apply(noop(1));
  source.apply(command(2, create('a')));
  const target = new ClusterStateMachine(new SimClock());
  const announced: number[] = [];
  target.onRestored((state) => announced.push(state.appliedIndex));
  const waiting = target.waitApplied(2, 1_000);
  target.restore(source.snapshot());
  assert.deepEqual(announced, [2]);
  assert.equal(target.state.indexes.has('a'), true);
  return waiting;
});

test('an apply that throws poisons the replica until prepareForStart rebuilds it', () => {
  const sm = new ClusterStateMachine(new SimClock());
  sm.apply(noop(1));
  const garbage: Entry = { index: 2, term: 1, payload: { kind: 'command', data: Uint8Array.of(0xc1) } };
  assert.throws(() => sm.apply(garbage), /does not decode/);
  assert.throws(() => sm.apply(noop(3)), /prepareForStart/);
  sm.prepareForStart();
  assert.equal(sm.appliedIndex, 0);
  sm.apply(noop(1));
  assert.equal(sm.appliedIndex, 1);
});
