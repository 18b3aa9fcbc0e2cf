// Goal: the cluster state keeps, per index, the searchable leaf paths of every
// document written to it (first seen first, `_miroir_shard` never among them),
// so the edge can search every field but the shard stamp on every node.
// Method: addDocumentFields on hand-built documents; apply on a replica for the
// state (accepted writes add names, failed ones do not; a snapshot keeps them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply } from '../../../../runtime/cluster/apply.ts';
import type { DocumentsWriteCommand } from '../../../../runtime/cluster/commands.ts';
import { addDocumentFields } from '../../../../runtime/cluster/index-fields.ts';
import { restoreState, serializeState } from '../../../../runtime/cluster/snapshot.ts';
import { emptyState } from '../../../../runtime/cluster/state.ts';
import { T0 } from './fixtures.ts';

test('leaf paths in first-seen order, nested objects dotted, arrays transparent, the shard stamp left out', () => {
  const fields: string[] = [];
  const added = addDocumentFields(fields, [
    { id: 1, _miroir_shard: 5, title: 'x', meta: { year: 1999, tags: [{ name: 'a' }, { rank: 2 }] } },
    { id: 2, _miroir_shard: 0, title: 'y', empty: null, none: [], blank: {}, list: ['p', ['q']] },
  ]);
  assert.equal(added, 6);
  assert.deepEqual(fields, ['id', 'title', 'meta.year', 'meta.tags.name', 'meta.tags.rank', 'list']);
  assert.equal(addDocumentFields(fields, [{ title: 'z', empty: 'now', id: 3 }]), 1);
  assert.deepEqual(fields.at(-1), 'empty');
  assert.equal(addDocumentFields(fields, [{ _miroir_shard: 1 }]), 0);
});

function write(indexUid: string, primaryKey: string, byShard: DocumentsWriteCommand['byShard']): DocumentsWriteCommand {
  const received = Object.values(byShard).flat().length;
  return { v: 1, kind: 'documents.write', indexUid, mode: 'replace', primaryKey, shards: 4, byShard, receivedDocuments: received, allowIndexCreation: true, nowMs: T0 };
}

test('accepted writes add their names in log order; a write that fails at apply adds none', () => {
  const state = emptyState();
  apply(state, write('m', 'id', { 2: [{ id: 7, _miroir_shard: 2, genre: 'x' }], 0: [{ id: 4, _miroir_shard: 0, title: 't' }] }), 1);
  // Shards in ascending order, as the nodes receive them.
  assert.deepEqual(state.indexes.get('m')?.fields, ['id', 'title', 'genre']);
  apply(state, write('m', 'sku', { 1: [{ sku: 1, _miroir_shard: 1, price: 3 }] }), 2); // another primary key: the task fails
  assert.deepEqual(state.indexes.get('m')?.fields, ['id', 'title', 'genre']);
  apply(state, write('m', 'id', { 1: [{ id: 1, _miroir_shard: 1, price: 3 }] }), 3);
  assert.deepEqual(state.indexes.get('m')?.fields, ['id', 'title', 'genre', 'price']);
  assert.deepEqual(restoreState(serializeState(state)).indexes.get('m')?.fields, ['id', 'title', 'genre', 'price']);
});
