// Read-only views of the cluster state for the edge and the leader's actors:
// Meilisearch's index views and lists, API key records, and the topology
// lookups the router and dispatchers need. Every list is sorted, so the answer
// never depends on the order in which a replica happened to insert entries.

import type { NodeState } from './commands.ts';
import { compareKeys } from './decode-fields.ts';
import type { ApiKeyRecord, ClusterState, GroupRecord, IndexRecord, NodeRecord } from './state.ts';
import { formatRfc3339 } from '../../api/protocol/time-format.ts';

/** Meilisearch's IndexView (API.md §1.1). */
export interface IndexView {
  uid: string;
  createdAt: string;
  updatedAt: string;
  primaryKey: string | null;
}

export interface IndexPage {
  results: IndexView[];
  offset: number;
  limit: number;
  total: number;
}

export function indexView(index: IndexRecord): IndexView {
  return {
    uid: index.uid,
    createdAt: formatRfc3339(index.createdAtMs),
    updatedAt: formatRfc3339(index.updatedAtMs),
    primaryKey: index.primaryKey,
  };
}

export function getIndex(state: ClusterState, uid: string): IndexRecord | null {
  return state.indexes.get(uid) ?? null;
}

/** Byte order of uids, as Meilisearch (LMDB) lists them. */
const byId = compareKeys;

export function listIndexes(
  state: ClusterState,
  page: { offset?: number; limit?: number },
  visible: (uid: string) => boolean = () => true,
): IndexPage {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? 20;
  const uids = [...state.indexes.keys()].filter(visible).sort(byId);
  const results = uids.slice(offset, offset + limit).map((uid) => indexView(state.indexes.get(uid) as IndexRecord));
  return { results, offset, limit, total: uids.length };
}

export function listGroups(state: ClusterState): GroupRecord[] {
  return [...state.groups.values()].sort((a, b) => byId(a.id, b.id));
}

export function getNode(state: ClusterState, id: string): NodeRecord | null {
  return state.nodes.get(id) ?? null;
}

export function listNodes(state: ClusterState): NodeRecord[] {
  return [...state.nodes.values()].sort((a, b) => byId(a.id, b.id));
}

/** The nodes of one group, optionally only those in the given hard states, sorted by id. */
export function nodesInGroup(state: ClusterState, groupId: string, states?: readonly NodeState[]): NodeRecord[] {
  return listNodes(state).filter((n) => n.group === groupId && (states === undefined || states.includes(n.state)));
}

/** Node ids a dispatcher should run for: every node that is not removed. */
export function dispatchTargets(state: ClusterState): NodeRecord[] {
  return listNodes(state).filter((n) => n.state !== 'removed');
}

export function cursorOf(state: ClusterState, nodeId: string): number {
  return state.cursors.get(nodeId) ?? 0;
}

export function getKey(state: ClusterState, uid: string): ApiKeyRecord | null {
  return state.keys.get(uid) ?? null;
}

/** Newest `createdAt` first, as GET /keys lists them; uid breaks ties. */
export function listKeys(state: ClusterState): ApiKeyRecord[] {
  return [...state.keys.values()].sort((a, b) => b.createdAtMs - a.createdAtMs || byId(a.uid, b.uid));
}
