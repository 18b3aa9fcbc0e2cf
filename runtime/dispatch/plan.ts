// What one node receives for one committed entry (ARCHITECTURE §3 step 4):
// the ordinary Meilisearch requests, in the order they must be enqueued on
// the node. Pure: the entry's command, the node's target record (the shards
// it receives, decided at apply) and whether the command created its index.
//
// Rules:
// - Documents and ids are cut to the node's shards (`sliceForNode`); the
//   documents already carry `_miroir_shard` (stamped at the edge).
// - `_miroir_shard` is filterable on every node and every index, whatever the
//   client set: a command that creates an index first sets it, and every
//   settings change that names filterableAttributes gets it added (the edge
//   answers settings from the cluster state, so the client never sees it).
// - `_miroir_shard` is never searchable: a client list naming it gets a
//   stand-in instead (withShardUnsearchable); under `*` the edge restricts
//   keyword searches to the documents' own fields.
// - A node that owns none of a creating write's documents still creates the
//   index with the primary key (searches and settings find it everywhere);
//   `index_already_exists` then counts as success, because replays and
//   writes racing an index.create converge to the same index.
// - `countsFrom` marks the request whose node task reports the entry's
//   counters (indexedDocuments, deletedDocuments).
// - A documents write is `coalescible` (runtime/dispatch/coalesce.ts): the
//   writes of consecutive entries with the same method, path and query may
//   share one node request, because one payload holding both lists, in log
//   order, leaves the node as the two requests in turn would (replace: the
//   last document of an id wins; update: merged in order). Not with
//   `skipCreation`: there the node's count is not the number of documents.
import { unreachable } from '../assert.ts';
import { sliceForNode, type ClusterCommand, type DispatchTarget, type NodeCommand } from '../cluster/index.ts';
import { SHARD_FIELD } from '../routing/index.ts';
import { STAND_IN_NAME } from '../search/reserved-names.ts';
import type { HttpMethod } from '../../transport/node-client/node-client.ts';

export interface PlannedRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Node error codes that mean the request's effect is already there. */
  tolerate?: readonly string[];
  /** This request's node task reports the entry's counters. */
  countsFrom?: true;
  /** May share one node request with the same write of the next entries; `documents` is its own count. */
  coalescible?: { documents: number };
}

const enc = encodeURIComponent;

function indexPath(uid: string, rest = ''): string {
  return `/indexes/${enc(uid)}${rest}`;
}

function createIndex(uid: string, primaryKey: string | null): PlannedRequest[] {
  return [
    { method: 'POST', path: '/indexes', body: { uid, primaryKey }, tolerate: ['index_already_exists'] },
    { method: 'PATCH', path: indexPath(uid, '/settings'), body: { filterableAttributes: [SHARD_FIELD] } },
  ];
}

/** The client's filterableAttributes with `_miroir_shard` added (null resets to only it). */
export function withShardFilterable(value: unknown): unknown[] {
  const list = Array.isArray(value) ? [...(value as unknown[])] : [];
  if (!list.includes(SHARD_FIELD)) list.push(SHARD_FIELD);
  return list;
}

/**
 * The client's searchableAttributes with `_miroir_shard` replaced by a name no
 * document carries: one Meilisearch holding the client's documents searches
 * nothing under that name, and the list keeps its length and order, which are
 * the attributeRank weights. (Under `*` the edge names the fields to search
 * instead: runtime/search/search-on-fields.ts.)
 */
export function withShardUnsearchable(value: unknown): unknown {
  return Array.isArray(value) && value.includes(SHARD_FIELD) ? value.map((v) => (v === SHARD_FIELD ? STAND_IN_NAME : v)) : value;
}

function settingsBody(settings: Record<string, unknown>, createsIndex: boolean): Record<string, unknown> {
  const body = { ...settings };
  if (Object.hasOwn(body, 'filterableAttributes') || createsIndex) {
    body['filterableAttributes'] = withShardFilterable(body['filterableAttributes']);
  }
  if (Object.hasOwn(body, 'searchableAttributes')) body['searchableAttributes'] = withShardUnsearchable(body['searchableAttributes']);
  return body;
}

function sliced(command: ClusterCommand, target: DispatchTarget): NodeCommand | null {
  const shards = target.shards === null ? null : new Set(target.shards);
  return sliceForNode(command, (_index, shard) => shards === null || shards.has(shard));
}

function documentsWrite(c: Extract<NodeCommand, { kind: 'documents.write' }>, createsIndex: boolean): PlannedRequest[] {
  const documents = Object.keys(c.byShard).map(Number).sort((a, b) => a - b).flatMap((s) => c.byShard[s] ?? []);
  const query: Record<string, string> = { primaryKey: c.primaryKey };
  if (c.skipCreation === true) query['skipCreation'] = 'true';
  const write: PlannedRequest = {
    method: c.mode === 'replace' ? 'POST' : 'PUT', path: indexPath(c.indexUid, '/documents'), query, body: documents, countsFrom: true,
  };
  if (c.skipCreation !== true) write.coalescible = { documents: documents.length };
  return createsIndex ? [...createIndex(c.indexUid, c.primaryKey), write] : [write];
}

/**
 * The requests for `command` on the node of `target`, or [] when the node has
 * nothing to do for it (its slice is empty).
 */
export function planRequests(command: ClusterCommand, target: DispatchTarget, createsIndex: boolean): PlannedRequest[] {
  if (command.kind === 'documents.write' && target.shards !== null && target.shards.length === 0) {
    // Not an owner of any document: only the index, so it exists on every node.
    return createsIndex ? createIndex(command.indexUid, command.primaryKey) : [];
  }
  const c = sliced(command, target);
  if (c === null) return [];
  switch (c.kind) {
    case 'documents.write':
      return documentsWrite(c, createsIndex);
    case 'documents.deleteIds': {
      const ids = Object.keys(c.byShard).map(Number).sort((a, b) => a - b).flatMap((s) => c.byShard[s] ?? []);
      return [{ method: 'POST', path: indexPath(c.indexUid, '/documents/delete-batch'), body: ids, countsFrom: true }];
    }
    case 'documents.deleteFilter':
      return [{ method: 'POST', path: indexPath(c.indexUid, '/documents/delete'), body: { filter: c.filter }, countsFrom: true }];
    case 'documents.clear':
      return [{ method: 'DELETE', path: indexPath(c.indexUid, '/documents'), countsFrom: true }];
    case 'settings.update':
      return [{ method: 'PATCH', path: indexPath(c.indexUid, '/settings'), body: settingsBody(c.settings, createsIndex) }];
    case 'index.create':
      // A replay may find the index already there (its creation was sent before the cursor moved).
      return createIndex(c.uid, c.primaryKey);
    case 'index.update': {
      const body: Record<string, unknown> = {};
      if (c.primaryKey !== undefined) body['primaryKey'] = c.primaryKey;
      if (c.newUid !== undefined) body['uid'] = c.newUid;
      return [{ method: 'PATCH', path: indexPath(c.uid), body }];
    }
    case 'index.delete':
      return [{ method: 'DELETE', path: indexPath(c.uid), countsFrom: true }];
    case 'index.swap':
      return [{ method: 'POST', path: '/swap-indexes', body: c.swaps.map((s) => ({ indexes: [...s.indexes], rename: s.rename })) }];
    default:
      return unreachable(c);
  }
}

/**
 * The index as a node that gets it late (a migration target) must hold it
 * before the shard copy: created with its primary key, then the client's
 * settings (as the cluster state has them now) with `_miroir_shard` filterable.
 */
export function indexSetupRequests(uid: string, primaryKey: string | null, settings: Record<string, unknown>): PlannedRequest[] {
  return [createIndex(uid, primaryKey)[0] as PlannedRequest, { method: 'PATCH', path: indexPath(uid, '/settings'), body: settingsBody(settings, true) }];
}

/** Rough bytes of a plan, for the dispatcher's in-flight window (STYLE G14). */
export function planBytes(requests: readonly PlannedRequest[]): number {
  let bytes = 0;
  for (const r of requests) bytes += 64 + r.path.length + bodyBytes(r.body);
  return bytes;
}

function bodyBytes(body: unknown): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? body.length : JSON.stringify(body).length;
}

/**
 * The plan with every body serialized once: the window's byte count, a
 * coalesced payload and the node client all use the string, so a batch of
 * documents is stringified once per node rather than once per use.
 */
export function serializedPlan(requests: readonly PlannedRequest[]): PlannedRequest[] {
  return requests.map((r) => (r.body === undefined || typeof r.body === 'string' ? r : { ...r, body: JSON.stringify(r.body) }));
}
