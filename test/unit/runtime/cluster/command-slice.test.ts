// Goal: a dispatcher hands each node exactly the documents of the shards it
// owns, every broadcast command, and no metadata-only command. Method: slice
// a split write for complementary owners and check the slices partition the
// documents (naive oracle: the union equals the original, no overlap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sliceForNode } from '../../../../runtime/cluster/command-slice.ts';
import type { ClusterCommand, Document } from '../../../../runtime/cluster/commands.ts';
import { sampleCommands } from './fixtures.ts';

const write: ClusterCommand = {
  v: 1, kind: 'documents.write', indexUid: 'm', mode: 'update', primaryKey: 'id', shards: 4,
  byShard: { 0: [{ id: 'a', _miroir_shard: 0 }], 2: [{ id: 'b', _miroir_shard: 2 }, { id: 'c', _miroir_shard: 2 }], 3: [{ id: 'd', _miroir_shard: 3 }] },
  receivedDocuments: 4, allowIndexCreation: true, nowMs: 1,
};

function docsOf(c: ClusterCommand | null): Document[] {
  return c !== null && c.kind === 'documents.write' ? Object.values(c.byShard).flat() : [];
}

test('complementary owners partition a write; a node owning nothing of it gets null', () => {
  const even = sliceForNode(write, (_, s) => s % 2 === 0);
  const odd = sliceForNode(write, (_, s) => s % 2 === 1);
  assert.deepEqual(docsOf(even).map((d) => d['id']), ['a', 'b', 'c']);
  assert.deepEqual(docsOf(odd).map((d) => d['id']), ['d']);
  assert.equal(even?.kind === 'documents.write' && even.receivedDocuments, 4, 'the task counters stay the whole task\'s');
  assert.equal(sliceForNode(write, (_, s) => s === 1), null);
  assert.equal(sliceForNode(write, (index) => index !== 'm'), null, 'ownership is per index');
  const empty = { ...write, byShard: {}, receivedDocuments: 0 } as ClusterCommand;
  assert.equal(sliceForNode(empty, () => false), empty, 'an empty write (index creation, primary key) reaches every node');
});

test('broadcast commands pass whole; metadata commands are never sent to nodes', () => {
  const sent = sampleCommands().filter((c) => sliceForNode(c, () => true) !== null).map((c) => c.kind);
  assert.deepEqual([...new Set(sent)].sort(), [
    'documents.clear', 'documents.deleteFilter', 'documents.deleteIds', 'documents.write', 'index.create', 'index.delete',
    'index.swap', 'index.update', 'settings.update',
  ]);
  const filter = sampleCommands().find((c) => c.kind === 'documents.deleteFilter');
  assert.ok(filter);
  assert.equal(sliceForNode(filter, () => false), filter, 'a filter delete reaches every node');
});
