// The invariants checked once the faults have stopped and the cluster has
// settled (issue 6 §4). Each check returns what it found wrong, as lines for
// the report; an empty list is a pass. Each waits, within a bound, for the
// state to converge before judging it: a replica catching up after a restart
// is allowed time, a replica that never catches up is a failure.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { LevelLogStore } from '../runtime/raft/log-store-level.ts';
import type { Entry, PersistedState } from '../runtime/raft/types.ts';
import { eventually, type DevCluster, type Topology } from '../test/integration/cluster/harness.ts';
import { INDEX, type Ack } from './load.ts';

const TASK_BOUND_MS = 120_000;
const CONVERGE_BOUND_MS = 60_000;
const PAGE = 1_000;

/**
 * What the cluster must hold once every acknowledged write is final: the
 * version of each present document, the ids deleted, and the ids whose last
 * write was never acknowledged (either state is right, once).
 */
export interface Expectation {
  present: Map<string, number>;
  deleted: Set<string>;
  uncertain: Set<string>;
  /** Every id the writer ever created: anything else in the index is a stranger. */
  known: Set<string>;
}

export function emptyExpectation(): Expectation {
  return { present: new Map(), deleted: new Set(), uncertain: new Set(), known: new Set() };
}

/** Every acknowledged task reaches a final status; no task anywhere stays enqueued or processing. Folds the succeeded ones, in log order, into `expected`. */
export async function checkTasks(client: Meilisearch, acks: readonly Ack[], expected: Expectation, problems: string[]): Promise<void> {
  const deadline = Date.now() + TASK_BOUND_MS;
  for (const ack of [...acks].sort((a, b) => a.taskUid - b.taskUid)) {
    try {
      const task = await client.tasks.waitForTask(ack.taskUid, { timeout: Math.max(deadline - Date.now(), 1), interval: 200 });
      if (task.status === 'succeeded') applyAck(expected, ack);
      else {
        ack.ids.forEach((id) => expected.uncertain.add(id));
        problems.push(`task ${ack.taskUid} (${ack.kind} of batch ${ack.batch}) ended ${task.status}: ${JSON.stringify(task.error)}`);
      }
    } catch (error) {
      ack.ids.forEach((id) => expected.uncertain.add(id));
      problems.push(`task ${ack.taskUid} (${ack.kind} of batch ${ack.batch}) not final within ${TASK_BOUND_MS} ms: ${String(error)}`);
    }
  }
  const open = await openTasks(client, Math.max(deadline - Date.now(), 5_000));
  if (open.length > 0) problems.push(`tasks stuck: ${open.join(', ')}`);
}

function applyAck(expected: Expectation, ack: Ack): void {
  for (const id of ack.ids) {
    if (ack.kind === 'add' || ack.kind === 'update') {
      expected.present.set(id, ack.kind === 'add' ? 1 : 2);
      expected.deleted.delete(id);
    } else {
      expected.present.delete(id);
      expected.deleted.add(id);
    }
  }
}

async function openTasks(client: Meilisearch, boundMs: number): Promise<number[]> {
  const list = async (): Promise<number[]> => (await client.tasks.getTasks({ statuses: ['enqueued', 'processing'], limit: 100 })).results.map((t) => t.uid);
  try {
    await eventually(async () => (await list()).length === 0, 'no open task', boundMs);
    return [];
  } catch {
    return list();
  }
}

export interface Sighting {
  count: number;
  version: number;
}

export type Seen = Map<string, Sighting>;

function sight(seen: Seen, doc: { id: string; version?: number }): void {
  const previous = seen.get(doc.id);
  seen.set(doc.id, { count: (previous?.count ?? 0) + 1, version: doc.version ?? 0 });
}

/** The documents listing holds every present document once, at its version, and nothing deleted or unknown. */
export async function checkListing(client: Meilisearch, expected: Expectation, problems: string[]): Promise<number> {
  const seen: Seen = new Map();
  for (let offset = 0; ; offset += PAGE) {
    const page = await client.index(INDEX).getDocuments<{ id: string; version: number }>({ offset, limit: PAGE, fields: ['id', 'version'] });
    for (const doc of page.results) sight(seen, doc);
    if (page.results.length < PAGE) break;
  }
  problems.push(...judge('listing', expected, seen));
  return [...seen.values()].reduce((a, b) => a + b.count, 0);
}

/** A keyword search restricted to each batch written finds its present documents once each, at their version, and nothing else. */
export async function checkSearch(client: Meilisearch, acks: readonly Ack[], expected: Expectation, problems: string[]): Promise<void> {
  const seen: Seen = new Map();
  for (const batch of new Set(acks.map((a) => a.batch))) {
    const answer = await client.index(INDEX).search<{ id: string; version: number }>('chaos', { filter: `batch = ${batch}`, limit: PAGE, attributesToRetrieve: ['id', 'version'] });
    for (const hit of answer.hits) sight(seen, hit);
  }
  // Only batches with an acknowledged write were searched: the others' present documents are not looked for.
  const searched = new Set(acks.flatMap((a) => a.ids));
  const inScope: Expectation = { ...expected, present: new Map([...expected.present].filter(([id]) => searched.has(id))) };
  problems.push(...judge('search', inScope, seen));
}

/** What is wrong with the documents `seen` (by id: how often, at which version) against `expected`; one line per kind of fault. */
export function judge(where: string, expected: Expectation, seen: Seen): string[] {
  const problems: string[] = [];
  const settled = (id: string): boolean => !expected.uncertain.has(id);
  const missing = [...expected.present.keys()].filter((id) => settled(id) && !seen.has(id));
  const stale = [...expected.present].filter(([id, v]) => settled(id) && seen.has(id) && seen.get(id)!.version !== v).map(([id, v]) => `${id} v${seen.get(id)!.version}≠v${v}`);
  const back = [...expected.deleted].filter((id) => settled(id) && seen.has(id));
  const twice = [...seen].filter(([, s]) => s.count > 1).map(([id, s]) => `${id}×${s.count}`);
  const unknown = [...seen.keys()].filter((id) => !expected.known.has(id));
  const say = (what: string, ids: string[]): void => {
    if (ids.length > 0) problems.push(`${where}: ${ids.length} ${what}: ${ids.slice(0, 20).join(', ')}`);
  };
  say('acknowledged documents missing', missing);
  say('documents at another version than acknowledged', stale);
  say('deleted documents still there', back);
  say('documents more than once', twice);
  say('documents never written', unknown);
  return problems;
}

/** Every replica of every shard holds the same documents, read from each owning node with `_miroir_shard = N`. */
export async function checkReplicas(cluster: DevCluster, nodeClient: (nodeId: string) => Meilisearch, problems: string[]): Promise<{ shards: number; replicas: number }> {
  const topology = await cluster.topology();
  const index = topology.indexes.find((i) => i.uid === INDEX);
  if (index === undefined) {
    problems.push(`replicas: index ${INDEX} not in the topology`);
    return { shards: 0, replicas: 0 };
  }
  let replicas = 0;
  let differing: string[] = [];
  const compare = async (): Promise<boolean> => {
    differing = [];
    replicas = 0;
    for (const [group, shards] of Object.entries(index.placements)) {
      for (const [shard, owners] of shards.entries()) {
        const copies = await Promise.all(owners.map((node) => shardCopy(nodeClient(node), shard)));
        replicas += copies.length;
        const first = copies[0]!;
        copies.forEach((copy, i) => {
          if (copy.json !== first.json) differing.push(`group ${group} shard ${shard}: ${owners[0]} and ${owners[i]} differ: ${difference(first, copy, owners[0]!, owners[i]!)}`);
        });
      }
    }
    return differing.length === 0;
  };
  await eventually(compare, 'identical replicas', CONVERGE_BOUND_MS).catch(() => problems.push(...differing));
  return { shards: index.shards, replicas };
}

interface ShardCopy {
  json: string;
  docs: Map<string, string>;
}

async function shardCopy(node: Meilisearch, shard: number): Promise<ShardCopy> {
  const docs = new Map<string, string>();
  for (let offset = 0; ; offset += PAGE) {
    const page = await node.index(INDEX).getDocuments<{ id: string }>({ filter: `_miroir_shard = ${shard}`, offset, limit: PAGE });
    for (const doc of page.results) docs.set(doc.id, JSON.stringify(doc));
    if (page.results.length < PAGE) break;
  }
  const sorted = [...docs.keys()].sort().map((id) => docs.get(id)!);
  return { json: `[${sorted.join(',')}]`, docs };
}

/** Which ids one copy holds and the other lacks, and which differ in content. */
function difference(a: ShardCopy, b: ShardCopy, aNode: string, bNode: string): string {
  const only = (x: ShardCopy, y: ShardCopy): string[] => [...x.docs.keys()].filter((id) => !y.docs.has(id));
  const changed = [...a.docs].filter(([id, doc]) => b.docs.has(id) && b.docs.get(id) !== doc).map(([id]) => id);
  return `only on ${aNode} [${only(a, b).join(', ')}], only on ${bNode} [${only(b, a).join(', ')}], different content [${changed.join(', ')}]`;
}

/** Every peer reports the same Raft commit index and has applied it. */
export async function checkRaft(cluster: DevCluster, problems: string[]): Promise<string> {
  let last = '';
  const agreed = async (): Promise<boolean> => {
    const views = await Promise.all(cluster.peers().map(async (p) => ({ id: p.id, ...((await cluster.topology(p.id)) as Topology & { commit: number; applied: number }) })));
    last = views.map((v) => `${v.id} commit ${v.commit} applied ${v.applied}`).join(', ');
    return views.every((v) => v.commit === views[0]!.commit && v.applied === v.commit);
  };
  await eventually(agreed, 'peers agreeing on the Raft commit index', CONVERGE_BOUND_MS).catch(() => problems.push(`raft: peers disagree: ${last}`));
  return last;
}

/**
 * The Raft logs of the stopped peers agree: read from each peer's LevelDB
 * store (its data dir's raft/), every pair holds the same term and payload
 * digest at every index both have committed and still hold (entries a
 * snapshot compacted away are gone from the store; their agreement is the
 * applied state's, checked through the live commit and applied indexes).
 * Returns what was compared.
 */
export async function checkRaftLogs(peerDirs: ReadonlyMap<string, string>, problems: string[]): Promise<string> {
  const logs = new Map<string, PersistedState>();
  for (const [id, dir] of peerDirs) {
    const store = await LevelLogStore.open({ path: join(dir, 'raft'), bootstrap: { voters: [], learners: [] } });
    try {
      logs.set(id, await store.load());
    } finally {
      await store.close();
    }
  }
  const ids = [...logs.keys()].sort();
  const compared: string[] = [];
  for (const [i, a] of ids.entries()) {
    for (const b of ids.slice(i + 1)) {
      const range = committedOverlap(logs.get(a)!, logs.get(b)!);
      const differs = firstDifference(logs.get(a)!, logs.get(b)!, range);
      compared.push(`${a}/${b} ${range.from}..${range.to}`);
      if (differs !== null) problems.push(`raft log: ${a} and ${b} differ at index ${differs} (compared ${range.from}..${range.to})`);
    }
  }
  const commits = ids.map((id) => `${id} commit ${logs.get(id)!.hardState.commit} term ${logs.get(id)!.hardState.term}`);
  return `logs compared ${compared.join(', ')}; ${commits.join(', ')}`;
}

function committedOverlap(a: PersistedState, b: PersistedState): { from: number; to: number } {
  const first = (s: PersistedState): number => (s.snapshot?.meta.index ?? 0) + 1;
  return { from: Math.max(first(a), first(b)), to: Math.min(a.hardState.commit, b.hardState.commit) };
}

function firstDifference(a: PersistedState, b: PersistedState, range: { from: number; to: number }): number | null {
  const at = (s: PersistedState, index: number): Entry | undefined => s.entries[index - (s.snapshot?.meta.index ?? 0) - 1];
  for (let index = range.from; index <= range.to; index++) {
    const x = at(a, index);
    const y = at(b, index);
    if (x === undefined || y === undefined || x.index !== index || y.index !== index) return index;
    if (x.term !== y.term || entryDigest(x) !== entryDigest(y)) return index;
  }
  return null;
}

function entryDigest(entry: Entry): string {
  const hash = createHash('sha256');
  if (entry.payload.kind === 'command') hash.update('command').update(entry.payload.data);
  else hash.update('conf').update(JSON.stringify(entry.payload.change));
  return hash.digest('hex');
}

/** Every peer sees every node not removed healthy (a failed drain leaves its node draining): the cluster has settled after the last fault. */
export async function waitSettled(cluster: DevCluster, boundMs: number): Promise<void> {
  await eventually(async () => {
    const views = await Promise.all(cluster.peers().map((p) => cluster.topology(p.id).catch(() => null)));
    return views.every((v) => v !== null && v.leader !== null && v.nodes.every((n) => n.state === 'removed' || n.healthy));
  }, 'every peer seeing every node healthy', boundMs);
}
