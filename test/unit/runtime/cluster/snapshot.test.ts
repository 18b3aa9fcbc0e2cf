// Goal: a snapshot restores the exact state, and replicas that applied the same
// log produce byte-identical snapshots — also when one of them was restored
// from a snapshot half-way (different Map insertion order). Method: the sample
// sequence plus generated command sequences (fast-check) over a small universe
// of ids, so creates, failures, swaps, renames and evictions collide often;
// the state invariants are checked after every entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apply } from '../../../../runtime/cluster/apply.ts';
import { decodeCommand, encodeCommand } from '../../../../runtime/cluster/command-codec.ts';
import type { ClusterCommand, Document } from '../../../../runtime/cluster/commands.ts';
import { DecodeError } from '../../../../runtime/cluster/decode-fields.ts';
import { packValue } from '../../../../runtime/cluster/msgpack.ts';
import { stateInvariantViolations } from '../../../../runtime/cluster/invariants.ts';
import { restoreState, serializeState } from '../../../../runtime/cluster/snapshot.ts';
import { emptyState, type ClusterState } from '../../../../runtime/cluster/state.ts';
import { Replica, T0, sampleCommands } from './fixtures.ts';

test('restore(serialize(s)) deep-equals s after every kind of command', () => {
  const r = new Replica();
  for (const command of sampleCommands()) {
    r.run(command);
    assert.deepEqual(restoreState(serializeState(r.state)), r.state, `after ${command.kind}`);
  }
});

const uid = fc.constantFrom('a', 'b', 'c');
const node = fc.constantFrom('n1', 'n2', 'n3');
const now = fc.integer({ min: T0, max: T0 + 10_000 });
const command: fc.Arbitrary<ClusterCommand> = fc.oneof(
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('index.create' as const), uid, primaryKey: fc.constantFrom(null, 'id'), shards: fc.constantFrom(2, 4), nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('index.delete' as const), uid, nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('index.update' as const), uid, newUid: uid, nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('index.swap' as const), swaps: fc.tuple(uid, uid, fc.boolean()).map(([a, b, rename]) => [{ indexes: [a, b] as [string, string], rename }]), nowMs: now }),
  fc.record({
    v: fc.constant(1 as const), kind: fc.constant('documents.write' as const), indexUid: uid, mode: fc.constant('update' as const),
    primaryKey: fc.constantFrom('id', 'sku'), shards: fc.constantFrom(2, 4), byShard: fc.constant<Record<number, Document[]>>({ 0: [{ id: 1, _miroir_shard: 0 }] }),
    receivedDocuments: fc.constant(1), allowIndexCreation: fc.boolean(), nowMs: now,
  }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('settings.update' as const), indexUid: uid, settings: fc.constantFrom({ stopWords: ['x'] }, { stopWords: null }, { typoTolerance: { enabled: false } }), allowIndexCreation: fc.boolean(), nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('task.progress' as const), taskUid: fc.nat({ max: 20 }), status: fc.constantFrom('processing' as const, 'succeeded' as const), nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('group.add' as const), id: fc.constantFrom('g1', 'g2'), nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('group.remove' as const), id: fc.constantFrom('g1', 'g2'), nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('node.add' as const), id: node, url: fc.constant('http://x'), group: fc.constantFrom('g1', 'g2'), nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('node.state' as const), id: node, state: fc.constantFrom('active' as const, 'draining' as const, 'removed' as const), nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('dispatcher.cursor' as const), cursors: fc.array(fc.record({ nodeId: node, index: fc.nat({ max: 30 }) }), { maxLength: 3 }) }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('tasks.delete' as const), filter: fc.constantFrom({}, { indexUids: ['a'] }, { statuses: ['failed' as const] }), originalFilter: fc.constant('?x'), nowMs: now }),
  fc.record({ v: fc.constant(1 as const), kind: fc.constant('config.set' as const), taskRetentionMax: fc.integer({ min: 2, max: 8 }) }),
);

function replay(commands: ClusterCommand[], restoreAt: number | null): ClusterState {
  let state = emptyState();
  commands.forEach((c, i) => {
    if (i === restoreAt) state = restoreState(serializeState(state));
    // Replicas apply what they decode from the log, never the proposer's object.
    apply(state, decodeCommand(encodeCommand(c)), i + 1);
    assert.deepEqual(stateInvariantViolations(state), [], `after ${c.kind} at ${i + 1}`);
  });
  return state;
}

test('property: same log, same snapshot bytes, with or without a restore in the middle; invariants hold after every entry', () => {
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 40 }), fc.nat(), (commands, cut) => {
      const a = replay(commands, null);
      const b = replay(commands, cut % commands.length);
      const bytes = serializeState(a);
      assert.deepEqual(serializeState(b), bytes);
      assert.deepEqual(restoreState(bytes), a);
    }),
    { numRuns: 150 },
  );
});

test('restore refuses foreign or tampered snapshots', () => {
  assert.throws(() => restoreState(packValue({ format: 'other', version: 1 })), DecodeError);
  const r = new Replica();
  r.runAll(sampleCommands());
  const good = restoreState(serializeState(r.state));
  const tampered = { ...JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(good).map(([k, v]) => [k, v instanceof Map ? [...v.values()] : v])))) };
  tampered.format = 'miroir.cluster-state';
  tampered.version = 3;
  tampered.cursors = [];
  tampered.nodes[0].state = 'sleeping';
  assert.throws(() => restoreState(packValue(tampered)), /snapshot\.nodes\[0\]\.state/);
  tampered.nodes[0].state = 'active';
  tampered.nodes[0].extra = 1;
  assert.throws(() => restoreState(packValue(tampered)), /unknown field "extra"/);
});
