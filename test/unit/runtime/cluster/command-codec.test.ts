// Goal: every command survives the log byte-exactly, and malformed payloads are
// refused before apply sees them (STYLE G15). Method: round-trip one command
// of each kind and generated write commands (fast-check); feed broken payloads
// and check the DecodeError names the offending path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeCommand, encodeCommand, validateCommand } from '../../../../runtime/cluster/command-codec.ts';
import type { ClusterCommand, CommandKind } from '../../../../runtime/cluster/commands.ts';
import { DecodeError } from '../../../../runtime/cluster/decode-fields.ts';
import { packValue } from '../../../../runtime/cluster/msgpack.ts';
import { sampleCommands } from './fixtures.ts';

test('one command of every kind round-trips', () => {
  const samples = sampleCommands();
  const kinds = new Set<CommandKind>(samples.map((c) => c.kind));
  assert.equal(kinds.size, 22, 'the samples cover every kind of the union');
  for (const command of samples) assert.deepEqual(decodeCommand(encodeCommand(command)), command);
});

test('encoding is deterministic: the same command gives the same bytes', () => {
  for (const command of sampleCommands()) {
    assert.deepEqual(encodeCommand(command), encodeCommand(structuredClone(command)));
  }
});

// JSON-like values as documents carry them; -0 is excluded (msgpack folds it into 0,
// JSON has no use for it) and so is __proto__ (never a safe own key).
// fast-check builds null-prototype dictionaries; documents decode as ordinary objects.
const plain = <T>(d: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(d));
const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '__proto__');
const scalar = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)), fc.boolean(), fc.constant(null));
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 }).map(plain)),
})).value;
const doc = fc.dictionary(key, jsonValue, { maxKeys: 5 }).map(plain);

test('property: decode(encode(c)) equals c for generated document writes', () => {
  const write = fc.record({
    indexUid: fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/),
    mode: fc.constantFrom('replace' as const, 'update' as const),
    primaryKey: fc.constantFrom('id', 'sku', 'a.b'),
    shards: fc.integer({ min: 1, max: 256 }),
    byShard: fc.dictionary(fc.integer({ min: 0, max: 255 }).map(String), fc.array(doc, { minLength: 1, maxLength: 3 }), { maxKeys: 4 }).map(plain),
    receivedDocuments: fc.nat(),
    allowIndexCreation: fc.boolean(),
    nowMs: fc.nat(),
  });
  fc.assert(
    fc.property(write, (w) => {
      const command = { v: 1, kind: 'documents.write', ...w } as ClusterCommand;
      assert.deepEqual(decodeCommand(encodeCommand(command)), command);
    }),
    { numRuns: 200 },
  );
});

function refuses(value: unknown, pathFragment: string): void {
  assert.throws(() => decodeCommand(packValue(value)), (e: unknown) => {
    assert.ok(e instanceof DecodeError, `expected a DecodeError, got ${String(e)}`);
    assert.match(e.message, new RegExp(pathFragment.replace(/[.[\]]/g, '\\$&')));
    return true;
  });
}

test('malformed payloads are refused with the offending path', () => {
  refuses({ v: 1, kind: 'index.nuke', uid: 'x' }, 'command.kind');
  refuses({ v: 2, kind: 'index.delete', uid: 'x', nowMs: 1 }, 'index.delete.v');
  refuses({ v: 1, kind: 'index.delete', uid: 'x', nowMs: 1, extra: true }, 'unknown field "extra"');
  refuses({ v: 1, kind: 'index.delete', uid: '', nowMs: 1 }, 'index.delete.uid');
  refuses({ v: 1, kind: 'index.create', uid: 'x', primaryKey: null, shards: 0, nowMs: 1 }, 'index.create.shards');
  refuses({ v: 1, kind: 'node.state', id: 'n', state: 'sleeping', nowMs: 1 }, 'node.state.state');
  refuses(
    { v: 1, kind: 'documents.write', indexUid: 'x', mode: 'replace', primaryKey: 'id', shards: 2, byShard: { 1: [3] }, receivedDocuments: 1, allowIndexCreation: true, nowMs: 1 },
    'documents.write.byShard.1[0]',
  );
  refuses(
    { v: 1, kind: 'documents.write', indexUid: 'x', mode: 'replace', primaryKey: 'id', shards: 2, byShard: { a: [] }, receivedDocuments: 1, allowIndexCreation: true, nowMs: 1 },
    'documents.write.byShard.a',
  );
  refuses({ v: 1, kind: 'task.progress', taskUid: 1, status: 'failed', nowMs: 1 }, 'task.progress.error');
  refuses({ v: 1, kind: 'index.swap', swaps: [{ indexes: ['a'], rename: false }], nowMs: 1 }, 'index.swap.swaps[0].indexes');
  refuses('not an object', 'command');
  refuses({ v: 1, kind: 'index.delete', uid: 'x', nowMs: 9e15 }, 'index.delete.nowMs'); // beyond what a Date can render
  refuses({ v: 1, kind: 'tasks.delete', filter: { statuses: ['done'] }, originalFilter: '', nowMs: 1 }, 'tasks.delete.filter.statuses[0]');
  refuses({ v: 1, kind: 'tasks.delete', filter: { since: 1 }, originalFilter: '', nowMs: 1 }, 'unknown field "since"');
  assert.throws(() => validateCommand({ v: 1, kind: 'documents.deleteFilter', indexUid: 'x', nowMs: 1 }), /filter/);
});
