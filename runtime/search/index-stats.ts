// GET /indexes/{uid}/stats and GET /stats over the cluster (API.md §1.1,
// §1.6). Every figure is computed over ONE complete copy of the index (the
// covering set), never over every replica:
//
// - numberOfDocuments: exact. Each covering-set node reports the `total` of
//   POST /documents/fetch {limit: 0, filter: _miroir_shard IN [its shards]};
//   the restriction makes the node sets disjoint.
// - fieldDistribution: the nodes' own distributions (GET /indexes/{uid}/stats)
//   summed, `_miroir_shard` removed. A node's distribution covers every
//   document it holds, so the sum is exact only when every covering-set node
//   holds exactly its assigned shards (its own numberOfDocuments equals its
//   restricted total, as with RF 1 and no migration in flight). Otherwise
//   (RF > 1, migrations) it is an UPPER BOUND, each count also capped at
//   numberOfDocuments.
// - rawDocumentDbSize: each node's size scaled by the share of its documents
//   that belong to its assignment (exact under the same condition, else an
//   estimate); it includes the stamped `_miroir_shard` field. avgDocumentSize
//   is derived from it as Meilisearch does.
// - isIndexing: any covering-set node indexing, or a Miroir task of the index
//   still enqueued or processing (committed but not yet finished on nodes).
// - The global answer: databaseSize / usedDatabaseSize are summed over every
//   active node that answers (physical bytes, replicas included); lastUpdate
//   is the latest finished Miroir task.
// - Shards with no live owner follow config `read.policy` as search does
//   (scatter.ts): `partial` answers the figures of the live shards and the
//   route names the missing ones in `X-Miroir-Degraded` (per index on
//   GET /stats); `error` answers 503 `miroir_shard_unavailable`. Never a
//   silent undercount (test/integration/health/stats-degraded.test.ts).
// `showInternalDatabaseSizes` and `sizeFormat` are not forwarded: sizes are
// always raw byte integers.
import type { ClusterState, IndexRecord } from '../cluster/state.ts';
import { formatRfc3339 } from '../../api/protocol/time-format.ts';
import { compareCodePoints } from '../merge/facet-value.ts';
import type { PeerServices } from '../peer/services.ts';
import { shardRestriction } from '../routing/shard-filter.ts';
import { resolveIndex, withReadContext } from './read-context.ts';
import type { ReadOptions } from './read-context.ts';
import { encodeUid } from './request-body.ts';
import { enforceReadPolicy, scatter } from './scatter.ts';

export interface IndexStats {
  numberOfDocuments: number;
  rawDocumentDbSize: number;
  avgDocumentSize: number;
  isIndexing: boolean;
  numberOfEmbeddings: number;
  numberOfEmbeddedDocuments: number;
  fieldDistribution: Record<string, number>;
}

export interface IndexStatsOutcome {
  readonly response: IndexStats;
  readonly degradedShards: number[];
}

export interface GlobalStats {
  databaseSize: number;
  usedDatabaseSize: number;
  lastUpdate: string | null;
  indexes: Record<string, IndexStats>;
}

export interface GlobalStatsOutcome {
  readonly response: GlobalStats;
  /** Degraded shards per index uid (only indexes with some). */
  readonly degradedShards: Record<string, number[]>;
}

interface NodeIndexStats {
  numberOfDocuments?: number;
  rawDocumentDbSize?: number;
  isIndexing?: boolean;
  numberOfEmbeddings?: number;
  numberOfEmbeddedDocuments?: number;
  fieldDistribution?: Record<string, number>;
}

interface NodeShare {
  /** Documents of the node's assigned shards. */
  readonly assigned: number;
  readonly stats: NodeIndexStats;
}

export async function indexStats(services: PeerServices, indexUid: string, options: ReadOptions = {}): Promise<IndexStatsOutcome> {
  const index = await resolveIndex(services, indexUid);
  return resolvedIndexStats(services, index, options);
}

async function resolvedIndexStats(
  services: PeerServices,
  index: Readonly<IndexRecord>,
  options: ReadOptions,
): Promise<IndexStatsOutcome> {
  const base = `/indexes/${encodeUid(index.uid)}`;
  return withReadContext(services, index, options, async (context) => {
    const { answers, degradedShards } = await scatter<NodeShare>(
      context,
      async (nodeId, shards, signal) => {
        const node = services.node(nodeId);
        const [page, stats] = await Promise.all([
          node.request<{ total: number }>({
            method: 'POST',
            path: `${base}/documents/fetch`,
            body: { limit: 0, filter: shardRestriction(shards) },
            signal,
          }),
          node.request<NodeIndexStats>({ method: 'GET', path: `${base}/stats`, signal }),
        ]);
        return { assigned: page.body.total, stats: stats.body };
      },
      () => ({ assigned: 0, stats: {} }),
    );
    enforceReadPolicy(context, degradedShards);
    const response = combine(answers.map((a) => a.body), hasUnfinishedTask(services.state(), index.uid));
    return { response, degradedShards };
  });
}

function combine(shares: readonly NodeShare[], unfinishedTask: boolean): IndexStats {
  let numberOfDocuments = 0;
  let raw = 0;
  let embeddings = 0;
  let embedded = 0;
  let exact = true;
  let isIndexing = unfinishedTask;
  const fields = new Map<string, number>();
  for (const { assigned, stats } of shares) {
    numberOfDocuments += assigned;
    const held = stats.numberOfDocuments ?? assigned;
    const share = held === 0 ? 0 : assigned / held;
    if (held !== assigned) exact = false;
    raw += Math.round((stats.rawDocumentDbSize ?? 0) * share);
    embeddings += Math.round((stats.numberOfEmbeddings ?? 0) * share);
    embedded += Math.round((stats.numberOfEmbeddedDocuments ?? 0) * share);
    isIndexing ||= stats.isIndexing === true;
    for (const [field, count] of Object.entries(stats.fieldDistribution ?? {})) {
      if (!field.startsWith('_miroir_')) fields.set(field, (fields.get(field) ?? 0) + count);
    }
  }
  const fieldDistribution: Record<string, number> = {};
  for (const field of [...fields.keys()].sort(compareCodePoints)) {
    const count = fields.get(field)!;
    fieldDistribution[field] = exact ? count : Math.min(count, numberOfDocuments);
  }
  return {
    numberOfDocuments,
    rawDocumentDbSize: raw,
    avgDocumentSize: numberOfDocuments === 0 ? 0 : Math.floor(raw / numberOfDocuments),
    isIndexing,
    numberOfEmbeddings: embeddings,
    numberOfEmbeddedDocuments: embedded,
    fieldDistribution,
  };
}

function hasUnfinishedTask(state: Readonly<ClusterState>, indexUid: string): boolean {
  for (const task of state.tasks.values()) {
    if (task.indexUid === indexUid && (task.status === 'enqueued' || task.status === 'processing')) return true;
  }
  return false;
}

/** GET /stats: every index `visible` to the caller (all by default), in uid order. */
export async function globalStats(
  services: PeerServices,
  options: ReadOptions & { readonly visible?: (indexUid: string) => boolean } = {},
): Promise<GlobalStatsOutcome> {
  const state = services.state();
  const uids = [...state.indexes.keys()].filter((uid) => options.visible?.(uid) ?? true).sort(compareCodePoints);
  const [sizes, perIndex] = await Promise.all([
    databaseSizes(services, options.signal),
    Promise.all(uids.map((uid) => resolvedIndexStats(services, state.indexes.get(uid)!, options))),
  ]);
  const indexes: Record<string, IndexStats> = {};
  const degradedShards: Record<string, number[]> = {};
  uids.forEach((uid, i) => {
    indexes[uid] = perIndex[i]!.response;
    if (perIndex[i]!.degradedShards.length > 0) degradedShards[uid] = perIndex[i]!.degradedShards;
  });
  const last = lastUpdateMs(state);
  return {
    response: { ...sizes, lastUpdate: last === null ? null : formatRfc3339(last), indexes },
    degradedShards,
  };
}

async function databaseSizes(services: PeerServices, signal?: AbortSignal): Promise<{ databaseSize: number; usedDatabaseSize: number }> {
  const nodeIds = [...services.state().nodes.values()]
    .filter((n) => n.state !== 'removed' && services.isNodeHealthy(n.id))
    .map((n) => n.id);
  const answers = await Promise.allSettled(
    nodeIds.map(async (id) =>
      services.node(id).request<{ databaseSize?: number; usedDatabaseSize?: number }>({
        method: 'GET',
        path: '/stats',
        ...(signal ? { signal } : {}),
      }),
    ),
  );
  let databaseSize = 0;
  let usedDatabaseSize = 0;
  for (const answer of answers) {
    // A node that does not answer is left out of the physical total, as its
    // shards are served by replicas; the per-index figures say what is missing.
    if (answer.status !== 'fulfilled') continue;
    databaseSize += numberOr0(answer.value.body.databaseSize);
    usedDatabaseSize += numberOr0(answer.value.body.usedDatabaseSize);
  }
  return { databaseSize, usedDatabaseSize };
}

function lastUpdateMs(state: Readonly<ClusterState>): number | null {
  let last: number | null = null;
  for (const task of state.tasks.values()) {
    if (task.finishedAtMs !== null && (last === null || task.finishedAtMs > last)) last = task.finishedAtMs;
  }
  return last;
}

function numberOr0(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
