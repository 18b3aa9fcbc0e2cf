// Shared builders for the cluster tests: one sample command of every kind,
// and a tiny replica that applies commands at consecutive log indexes.

import { apply, type ApplyResult } from '../../../../runtime/cluster/apply.ts';
import type { ClusterCommand } from '../../../../runtime/cluster/commands.ts';
import { emptyState, type ClusterState } from '../../../../runtime/cluster/state.ts';

export const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 600);

export class Replica {
  readonly state: ClusterState = emptyState();
  private index = 0;
  run(command: ClusterCommand): ApplyResult {
    this.index += 1;
    return apply(this.state, command, this.index);
  }
  runAll(commands: ClusterCommand[]): ApplyResult[] {
    return commands.map((c) => this.run(c));
  }
  get lastIndex(): number {
    return this.index;
  }
}

/** One valid command of every kind, with every optional field set somewhere. */
export function sampleCommands(): ClusterCommand[] {
  return [
    { v: 1, kind: 'group.add', id: 'g1', nowMs: T0 },
    { v: 1, kind: 'node.add', id: 'n1', url: 'http://127.0.0.1:7701', group: 'g1', nowMs: T0 },
    { v: 1, kind: 'node.state', id: 'n1', state: 'active', nowMs: T0 },
    { v: 1, kind: 'peer.add', id: 'p1', address: 'ws://127.0.0.1:7800' },
    { v: 1, kind: 'config.set', defaultShards: 8, rf: 1, writeAckMode: 'quorum', taskRetentionMax: 1000 },
    { v: 1, kind: 'index.create', uid: 'movies', primaryKey: 'id', shards: 4, nowMs: T0 },
    {
      v: 1, kind: 'documents.write', indexUid: 'movies', mode: 'replace', primaryKey: 'id', shards: 4,
      byShard: { 1: [{ id: 1, title: 'A', _miroir_shard: 1 }], 3: [{ id: 'b', nested: { x: [1, 2.5, null] }, _miroir_shard: 3 }] },
      receivedDocuments: 2, allowIndexCreation: true, nowMs: T0 + 1, customMetadata: 'batch-7', skipCreation: true,
    },
    { v: 1, kind: 'documents.deleteIds', indexUid: 'movies', shards: 4, byShard: { 1: ['1'] }, providedIds: 1, nowMs: T0 + 2 },
    { v: 1, kind: 'documents.deleteFilter', indexUid: 'movies', filter: ['genre = drama', ['a = 1', 'b = 2']], nowMs: T0 + 3 },
    { v: 1, kind: 'settings.update', indexUid: 'movies', settings: { filterableAttributes: ['genre'], typoTolerance: { enabled: false } }, allowIndexCreation: true, nowMs: T0 + 4 },
    { v: 1, kind: 'documents.clear', indexUid: 'movies', nowMs: T0 + 5 },
    { v: 1, kind: 'task.progress', taskUid: 1, status: 'processing', nowMs: T0 + 6 },
    { v: 1, kind: 'task.progress', taskUid: 1, status: 'succeeded', details: { indexedDocuments: 2 }, nowMs: T0 + 7 },
    {
      v: 1, kind: 'task.progress', taskUid: 2, status: 'failed', nowMs: T0 + 8,
      error: { message: 'boom', code: 'internal', type: 'internal', link: 'https://docs.meilisearch.com/errors#internal' },
    },
    { v: 1, kind: 'dispatcher.cursor', cursors: [{ nodeId: 'n1', index: 7 }] },
    {
      v: 1, kind: 'tasks.delete', filter: { statuses: ['failed'], types: ['documentDeletion'], uids: [2, 3], afterEnqueuedAtMs: 0 },
      originalFilter: '?statuses=failed&types=documentDeletion&uids=2,3&afterEnqueuedAt=1970-01-01', nowMs: T0 + 9,
    },
    { v: 1, kind: 'index.create', uid: 'books', primaryKey: null, shards: 4, nowMs: T0 + 9 },
    { v: 1, kind: 'index.update', uid: 'books', primaryKey: 'isbn', newUid: 'library', nowMs: T0 + 10 },
    { v: 1, kind: 'index.swap', swaps: [{ indexes: ['movies', 'library'], rename: false }], nowMs: T0 + 11 },
    { v: 1, kind: 'index.delete', uid: 'library', nowMs: T0 + 12 },
    {
      v: 1, kind: 'key.create', uid: '01b4bc42-eb33-4041-b481-254d00cce834', name: 'search', description: null,
      actions: ['search'], indexes: ['*'], expiresAtMs: null, nowMs: T0 + 13,
    },
    { v: 1, kind: 'key.update', uid: '01b4bc42-eb33-4041-b481-254d00cce834', name: null, description: 'front', nowMs: T0 + 14 },
    { v: 1, kind: 'key.delete', uid: '01b4bc42-eb33-4041-b481-254d00cce834' },
    { v: 1, kind: 'peer.remove', id: 'p1' },
    { v: 1, kind: 'group.add', id: 'g2', nowMs: T0 + 15 },
    { v: 1, kind: 'group.remove', id: 'g2', nowMs: T0 + 16 },
  ];
}
