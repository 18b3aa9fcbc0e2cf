// The node failover scenario shared by the integration test and the
// benchmark (bench/topology/failover.ts): a `miroir dev` cluster of 3 peers
// and 3 engine nodes with RF 2, an index whose documents every search must
// count exactly, then kill -9 of one node and its restart from its data dir.
//
// Measured, each from the kill (or the restart) on the wall clock:
// - firstCompleteMs: the first search answered complete (exact total, no
//   `X-Miroir-Degraded`) that was sent after the kill;
// - failedEverywhereMs: every peer's topology reports the node not healthy,
//   i.e. routing goes around it without trying it first;
// - recoveredEverywhereMs (after the restart): every peer reports it healthy.
// Every search sent in between is recorded, so callers can check that none
// was partial.
import { spawn, type ChildProcess } from 'node:child_process';
import { eventually, MASTER_KEY, startDev, type DevCluster } from '../cluster/harness.ts';

export const DOCUMENTS = 300;
export const SHARDS = 8;
const BIN = new URL('../../../cli/bin.js', import.meta.url).pathname;

export interface SearchSample {
  atMs: number;
  peer: string;
  status: number;
  total: number | null;
  degraded: string | null;
}

export interface FailoverResult {
  victim: string;
  healthIntervalMs: number;
  firstCompleteMs: number;
  failedEverywhereMs: number;
  recoveredEverywhereMs: number;
  samplesAfterKill: SearchSample[];
  /** The restarted node process (not a child of `miroir dev`): the caller kills it. */
  restarted: ChildProcess;
}

export async function startFailoverCluster(dataDir: string): Promise<DevCluster> {
  const cluster = await startDev(dataDir, ['--peers', '3', '--nodes', '3', '--rf', '2', '--shards', String(SHARDS)]);
  const client = cluster.client();
  const docs = Array.from({ length: DOCUMENTS }, (_, i) => ({ id: i, title: `movie ${i}`, year: 1950 + (i % 70) }));
  const task = await client.index('movies').addDocuments(docs, { primaryKey: 'id' });
  await client.tasks.waitForTask(task.taskUid, { timeout: 60_000, interval: 100 });
  return cluster;
}

export async function searchOnce(cluster: DevCluster, peer: string): Promise<SearchSample> {
  const url = cluster.peers().find((p) => p.id === peer)!.url;
  const response = await fetch(`${url}/indexes/movies/search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ q: '', limit: 1 }),
  });
  const body = (await response.json()) as { estimatedTotalHits?: number };
  return { atMs: Date.now(), peer, status: response.status, total: body.estimatedTotalHits ?? null, degraded: response.headers.get('x-miroir-degraded') };
}

/** Starts a killed node again on its port and data dir (not a child of `miroir dev`: the caller kills it). */
export function restartNode(cluster: DevCluster, nodeId: string): ChildProcess {
  const node = cluster.nodes().find((n) => n.id === nodeId)!;
  const address = new URL(node.url).host;
  return spawn(process.execPath, [BIN, 'node', '--http-addr', address, '--db-path', node.dataDir, '--master-key', cluster.nodeMasterKey], {
    stdio: 'ignore',
  });
}

export const isComplete = (s: SearchSample): boolean => s.status === 200 && s.total === DOCUMENTS && s.degraded === null;

async function healthyEverywhere(cluster: DevCluster, nodeId: string, healthy: boolean): Promise<boolean> {
  const topologies = await Promise.all(cluster.peers().map((p) => cluster.topology(p.id)));
  return topologies.every((t) => t.nodes.find((n) => n.id === nodeId)?.healthy === healthy);
}

/**
 * Kills `victim` (kill -9), measures, restarts it on its port and data dir,
 * measures again. `pid` is the node's process when it is no longer the one
 * `miroir dev` started (a node this function restarted before).
 */
export async function killAndRestart(
  cluster: DevCluster,
  victim: string,
  healthIntervalMs: number,
  options: { pid?: number; timeoutMs?: number } = {},
): Promise<FailoverResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const node = cluster.nodes().find((n) => n.id === victim)!;
  await eventually(() => healthyEverywhere(cluster, victim, true), `${victim} healthy on every peer`, timeoutMs);
  const peers = cluster.peers().map((p) => p.id);
  const samplesAfterKill: SearchSample[] = [];
  process.kill(options.pid ?? node.pid, 'SIGKILL');
  const killedAtMs = Date.now();
  // Searches keep going, round-robin over the peers, until every peer routes around the node.
  let failedEverywhereMs: number | null = null;
  let turn = 0;
  while (failedEverywhereMs === null) {
    samplesAfterKill.push(await searchOnce(cluster, peers[turn++ % peers.length]!));
    if (turn % peers.length === 0 && (await healthyEverywhere(cluster, victim, false))) failedEverywhereMs = Date.now() - killedAtMs;
    if (Date.now() - killedAtMs > timeoutMs) throw new Error(`${victim} not failed on every peer within ${timeoutMs} ms`);
  }
  // The verdict holds: it does not flicker back while the node stays dead.
  for (let i = 0; i < 6; i++) {
    samplesAfterKill.push(await searchOnce(cluster, peers[i % peers.length]!));
    if (!(await healthyEverywhere(cluster, victim, false))) throw new Error(`${victim} routed to again while dead`);
  }
  const first = samplesAfterKill.find(isComplete);
  if (first === undefined) throw new Error(`no complete search after the kill of ${victim}: ${JSON.stringify(samplesAfterKill.slice(0, 12))}`);

  const restarted = restartNode(cluster, victim);
  const restartedAtMs = Date.now();
  await eventually(() => healthyEverywhere(cluster, victim, true), `${victim} healthy again on every peer`, timeoutMs);
  const recoveredEverywhereMs = Date.now() - restartedAtMs;
  return { victim, healthIntervalMs, firstCompleteMs: first.atMs - killedAtMs, failedEverywhereMs, recoveredEverywhereMs, samplesAfterKill, restarted };
}
