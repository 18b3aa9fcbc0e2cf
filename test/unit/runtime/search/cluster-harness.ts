// A hand-built cluster for the read-path tests: real embedded engine nodes on
// loopback (port 0), an in-memory PeerServices whose node() returns real
// NodeClients, and one more engine node holding every document (the oracle:
// "one node holding every document"). Documents are split by shardOf, stamped
// with `_miroir_shard`, and written to every owner of their shard under
// rendezvous placement with the fake peer's RF, as the write path would.
//
// Knobs for fault tests: `unhealthy` (the gossip view says down: the covering
// set avoids the node) and `broken` (the view says up, but node() returns a
// client towards a closed port: the request fails over within itself).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNode, type RunningNode } from '../../../../engine/node.ts';
import { emptyState, type ClusterState, type IndexRecord } from '../../../../runtime/cluster/index.ts';
import { addDocumentFields } from '../../../../runtime/cluster/index-fields.ts';
import { loadConfig, type PeerConfig } from '../../../../runtime/config/index.ts';
import { realClock, sleepMs } from '../../../../runtime/env/real.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';
import type { PeerServices } from '../../../../runtime/peer/services.ts';
import { createRouter, type Router } from '../../../../runtime/routing/index.ts';
import { NodeClient } from '../../../../transport/node-client/node-client.ts';

export type Doc = Record<string, unknown>;

export interface Engines {
  readonly nodes: Map<string, RunningNode>;
  readonly oracle: RunningNode;
  readonly router: Router;
  close(): Promise<void>;
}

export async function startEngines(nodeIds: readonly string[]): Promise<Engines> {
  const dir = mkdtempSync(join(tmpdir(), 'miroir-read-path-'));
  const nodes = new Map<string, RunningNode>();
  for (const id of nodeIds) {
    nodes.set(id, await startNode({ httpAddr: '127.0.0.1:0', dbPath: join(dir, id), masterKey: null }));
  }
  const oracle = await startNode({ httpAddr: '127.0.0.1:0', dbPath: join(dir, 'oracle'), masterKey: null });
  return {
    nodes,
    oracle,
    router: await createRouter(),
    async close() {
      for (const node of [...nodes.values(), oracle]) await node.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface IndexSpec {
  readonly uid: string;
  readonly shards: number;
  /** The settings the client set (as recorded in the cluster state). */
  readonly settings: Record<string, unknown>;
  readonly docs: readonly Doc[];
}

export interface FakePeer {
  readonly services: PeerServices;
  /** The replicated state: tests add key records to it. */
  readonly state: ClusterState;
  readonly unhealthy: Set<string>;
  readonly broken: Set<string>;
  setReadPolicy(policy: 'partial' | 'error'): void;
  /** The nodes owning each shard (placement with the peer's RF). */
  ownersOf(index: string, shard: number): string[];
  close(): Promise<void>;
}

export interface FakePeerOptions {
  /** The client API's master key (and an admin key with it); none by default: the API is open. */
  readonly masterKey?: string;
}

export function fakePeer(engines: Engines, rf: number, indexes: readonly IndexSpec[], options: FakePeerOptions = {}): FakePeer {
  const state: ClusterState = emptyState({ rf });
  state.appliedIndex = 1;
  state.groups.set('g1', { id: 'g1', createdAtMs: 0 });
  for (const [id, node] of engines.nodes) {
    state.nodes.set(id, { id, url: node.url, group: 'g1', state: 'active', addedAtMs: 0, stateChangedAtMs: 0 });
  }
  for (const spec of indexes) state.indexes.set(spec.uid, indexRecord(spec));
  const secrets = options.masterKey === undefined ? {} : { MIROIR_MASTER_KEY: options.masterKey, MIROIR_ADMIN_KEY: `${options.masterKey}-admin` };
  let config = peerConfig('partial', secrets);
  const unhealthy = new Set<string>();
  const broken = new Set<string>();
  const clients = new Map<string, NodeClient>();
  const client = (nodeId: string, url: string): NodeClient => {
    let c = clients.get(`${nodeId} ${url}`);
    if (!c) {
      c = new NodeClient({ nodeId, url, apiKey: null, connectionsMax: 8, headersTimeoutMs: 20_000, bodyTimeoutMs: 20_000 });
      clients.set(`${nodeId} ${url}`, c);
    }
    return c;
  };
  let counter = 0;
  const services: PeerServices = {
    peerId: 'p1',
    get config() {
      return config;
    },
    clock: realClock,
    rng: seededRng(7),
    router: engines.router,
    state: () => state,
    propose: () => Promise.reject(new Error('the read-path tests propose nothing')),
    syncRead: () => Promise.resolve(),
    node(nodeId) {
      const record = state.nodes.get(nodeId);
      if (!record) throw new Error(`unknown node ${nodeId}`);
      // Port 1 on loopback refuses connections: a node that is down while gossip still says up.
      return client(nodeId, broken.has(nodeId) ? 'http://127.0.0.1:1' : record.url);
    },
    isNodeHealthy: (nodeId) => !unhealthy.has(nodeId),
    nextSearchCounter: () => counter++,
    raft: () => ({ role: 'leader', term: 1, leader: 'p1', commit: 1, applied: 1 }),
  };
  const nodeIds = [...engines.nodes.keys()].sort();
  return {
    services,
    state,
    unhealthy,
    broken,
    setReadPolicy(policy) {
      config = peerConfig(policy, secrets);
    },
    ownersOf: (_index, shard) => placeOf(engines.router, nodeIds, rf, shard),
    async close() {
      for (const c of clients.values()) await c.close();
    },
  };
}

function placeOf(router: Router, nodeIds: readonly string[], rf: number, shard: number): string[] {
  return router.placeShard(shard, nodeIds, rf);
}

function indexRecord(spec: IndexSpec): IndexRecord {
  return {
    uid: spec.uid,
    primaryKey: 'id',
    shards: spec.shards,
    createdAtMs: 0,
    updatedAtMs: 0,
    settings: spec.settings,
    settingsVersion: 1,
    mayHaveDocuments: true,
    fields: documentFields(spec.docs),
  };
}

/** The index's searchable field names as the cluster state records them when the documents are written. */
function documentFields(docs: readonly Doc[]): string[] {
  const fields: string[] = [];
  addDocumentFields(fields, docs);
  return fields;
}

function peerConfig(policy: 'partial' | 'error', env: Record<string, string>): PeerConfig {
  return loadConfig({
    fileText: JSON.stringify({ peerId: 'p1', read: { policy }, search: { searchTimeoutMs: 15_000 } }),
    env,
  });
}

/**
 * Loads one index: on every cluster node (settings plus `_miroir_shard`
 * filterable) with the documents of the shards it owns, and on the oracle
 * with every document. Documents go in id order everywhere, so internal
 * document ids (the engines' last tiebreak) follow the primary key, which is
 * the merge's tiebreak.
 */
export async function loadIndex(engines: Engines, rf: number, spec: IndexSpec): Promise<void> {
  const nodeIds = [...engines.nodes.keys()].sort();
  const byNode = new Map<string, Doc[]>(nodeIds.map((id) => [id, []]));
  for (const doc of spec.docs) {
    const shard = engines.router.shardOf(doc['id'] as number, spec.shards);
    for (const owner of engines.router.placeShard(shard, nodeIds, rf)) byNode.get(owner)!.push({ ...doc, _miroir_shard: shard });
  }
  const filterable = (spec.settings['filterableAttributes'] as string[] | undefined) ?? [];
  const nodeSettings = { ...spec.settings, filterableAttributes: [...filterable, '_miroir_shard'] };
  await Promise.all([
    ...nodeIds.map((id) => fill(engines.nodes.get(id)!.url, spec.uid, nodeSettings, byNode.get(id)!)),
    fill(engines.oracle.url, spec.uid, spec.settings, [...spec.docs]),
  ]);
}

async function fill(url: string, uid: string, settings: Record<string, unknown>, docs: Doc[]): Promise<void> {
  await waitTask(url, (await http(url, 'POST', '/indexes', { uid, primaryKey: 'id' })).taskUid);
  await waitTask(url, (await http(url, 'PATCH', `/indexes/${uid}/settings`, settings)).taskUid);
  if (docs.length > 0) await waitTask(url, (await http(url, 'POST', `/indexes/${uid}/documents`, docs)).taskUid);
}

export async function http(base: string, method: string, path: string, json?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: json === undefined ? {} : { 'content-type': 'application/json' },
    body: json === undefined ? null : JSON.stringify(json),
  });
  const text = await res.text();
  const body = text === '' ? null : JSON.parse(text);
  if (res.status >= 300 && res.status !== 202) throw Object.assign(new Error(`${method} ${path}: ${res.status} ${text}`), { status: res.status, body });
  return body;
}

export async function waitTask(base: string, uid: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await http(base, 'GET', `/tasks/${uid}`);
    if (task.status === 'succeeded') return;
    if (task.status === 'failed' || task.status === 'canceled') throw new Error(`task ${uid} ${task.status}: ${JSON.stringify(task.error)}`);
    if (Date.now() > deadline) throw new Error(`task ${uid} not done after ${timeoutMs} ms`);
    await sleepMs(15);
  }
}

/** A seeded corpus: words from a small vocabulary so queries match many documents across shards. */
export function corpus(count: number, seed: number): Doc[] {
  const rng = seededRng(seed);
  const words = ['river', 'stone', 'light', 'garden', 'winter', 'silver', 'forest', 'ocean', 'dragon', 'train', 'house', 'night'];
  const genres = ['drama', 'comedy', 'horror', 'sci-fi', 'romance'];
  const pick = <T>(list: readonly T[]): T => list[rng.int(list.length)]!;
  const docs: Doc[] = [];
  for (let id = 1; id <= count; id++) {
    const title = Array.from({ length: 1 + rng.int(4) }, () => pick(words)).join(' ');
    const doc: Doc = { id, title, genre: pick(genres), year: 1990 + rng.int(30), brand: `b${rng.int(40)}` };
    if (rng.int(3) > 0) doc['overview'] = Array.from({ length: 3 + rng.int(6) }, () => pick(words)).join(' ');
    if (rng.int(4) === 0) doc['tags'] = [pick(words), pick(words)];
    docs.push(doc);
  }
  return docs;
}
