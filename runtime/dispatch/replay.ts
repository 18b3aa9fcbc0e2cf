// What a migration target's dispatcher sends for a migration (ARCHITECTURE §6),
// in its one ordered stream of requests, so the node's order stays the log's:
// - at P (the entry that started the migration): the index, created with its
//   primary key and current settings (a node that joins after the index was
//   created never got it), before the copy writes into it;
// - at H (the release, phase `replay`): the shard's writes of (R, H) — held
//   until then; R ≥ P, the point the copy already holds — replayed in log order: documents and ids of the shard,
//   filter deletes and clears restricted to the shard. Whatever the copy saw
//   of a document, older or newer, the replay ends it at its version at H;
//   from H on the node receives the shard as an ordinary (shadow) target.
// Entries whose task failed at apply are skipped, as for every node
// (the state keeps them while a replay may still need them: apply-dispatch.ts).
// Pure given the state and a reader of the committed log.
import { decodeCommand, type ClusterCommand, type ClusterState, type MigrationRecord } from '../cluster/index.ts';
import type { Entry } from '../raft/types.ts';
import { SHARD_FIELD, withShardRestriction, type FilterParam } from '../routing/index.ts';
import { indexSetupRequests, planRequests, type PlannedRequest } from './plan.ts';

/** Committed entries of [fromIndex, toIndex], in order (throws LogCompactedError below the log's start). */
export type ReadLog = (fromIndex: number, toIndex: number) => Entry[];

/** The requests `nodeId` owes the migrations at `logIndex` (none when it is neither a P nor an H of a migration into it). */
export function migrationRequests(logIndex: number, state: Readonly<ClusterState>, nodeId: string, readLog: ReadLog | undefined): PlannedRequest[] {
  if (state.migrations.size === 0) return [];
  const requests: PlannedRequest[] = [];
  const setUp = new Set<string>();
  for (const m of [...state.migrations.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (m.to !== nodeId || m.phase === 'failed') continue;
    if (m.fromLogIndex === logIndex && !setUp.has(m.indexUid)) {
      const index = state.indexes.get(m.indexUid);
      if (index === undefined) continue;
      setUp.add(m.indexUid);
      requests.push(...indexSetupRequests(index.uid, index.primaryKey, index.settings));
    }
    if (m.releasedAt === logIndex && m.phase === 'replay') {
      if (readLog === undefined) throw new Error(`the replay of migration ${m.id} needs the committed log`);
      // From R on: the copy already holds (P, R] (runtime/topology/migration-io.ts runCopy).
      requests.push(...replayRequests(m, readLog((m.copiedThrough ?? m.fromLogIndex) + 1, logIndex - 1), state));
    }
  }
  return requests;
}

function replayRequests(m: Readonly<MigrationRecord>, entries: readonly Entry[], state: Readonly<ClusterState>): PlannedRequest[] {
  const out: PlannedRequest[] = [];
  const target = { nodeId: m.to, group: m.group, shards: [m.shard] };
  for (const entry of entries) {
    if (entry.payload.kind !== 'command' || entry.payload.data.length === 0 || state.undispatchable.has(entry.index)) continue;
    const c = decodeCommand(entry.payload.data);
    if (!touches(c, m.indexUid)) continue;
    switch (c.kind) {
      case 'documents.write':
        if (c.byShard[m.shard] !== undefined) out.push(...planRequests(c, target, false));
        break;
      case 'documents.deleteIds':
        if (c.byShard[m.shard] !== undefined) out.push(...planRequests(c, target, false));
        break;
      case 'documents.deleteFilter':
        out.push(deleteWhere(m, withShardRestriction(c.filter as FilterParam, [m.shard])));
        break;
      case 'documents.clear':
        out.push(deleteWhere(m, `${SHARD_FIELD} = ${m.shard}`));
        break;
      default:
        break;
    }
  }
  return out;
}

function touches(c: ClusterCommand, uid: string): boolean {
  return 'indexUid' in c && c.indexUid === uid;
}

function deleteWhere(m: Readonly<MigrationRecord>, filter: unknown): PlannedRequest {
  return { method: 'POST', path: `/indexes/${encodeURIComponent(m.indexUid)}/documents/delete`, body: { filter } };
}

/** Reads [from, to] of the committed log in pieces of at most `maxBytes`. */
export function readRange(readCommitted: (fromIndex: number, maxBytes: number) => Entry[], maxBytes: number): ReadLog {
  return (from, to) => {
    const out: Entry[] = [];
    let next = from;
    while (next <= to) {
      const batch = readCommitted(next, maxBytes);
      if (batch.length === 0) break;
      for (const e of batch) if (e.index <= to) out.push(e);
      next = (batch[batch.length - 1] as Entry).index + 1;
    }
    return out;
  };
}
