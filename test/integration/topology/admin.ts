// The admin API as the topology tests call it (plain fetch with the admin
// key), and the waits they share.
import type { DevCluster } from '../cluster/harness.ts';
import { INDEX } from './traffic.ts';
import { eventually } from '../cluster/harness.ts';

export interface JobView {
  id: string;
  kind: string;
  nodeId: string | null;
  status: string;
  reason: string | null;
  migrations: { total: number; done: number; running: number; failed: number };
}

export interface MigrationView {
  id: string;
  jobId: string;
  indexUid: string;
  shard: number;
  group: string;
  from: string[];
  to: string;
  phase: string;
  copied: number;
  total: number;
  error: string | null;
}

export async function admin<T>(cluster: DevCluster, method: string, path: string, body?: unknown, peerId?: string): Promise<{ status: number; body: T }> {
  const peer = peerId === undefined ? cluster.peers()[0]! : cluster.peers().find((p) => p.id === peerId)!;
  const response = await fetch(`${peer.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${cluster.adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Waits until the job finished (any status) and returns it. */
export async function finishedJob(cluster: DevCluster, jobId: string, timeoutMs: number, peerId?: string): Promise<JobView> {
  return eventually(async () => {
    const { body } = await admin<{ job: JobView | null }>(cluster, 'GET', '/_miroir/rebalance', undefined, peerId).catch(() => ({ body: { job: null } }));
    return body.job !== null && body.job.id === jobId && body.job.status !== 'running' ? body.job : null;
  }, `job ${jobId} finished`, timeoutMs);
}

export async function migrationsOf(cluster: DevCluster, jobId: string, peerId?: string): Promise<MigrationView[]> {
  const { body } = await admin<{ results: MigrationView[] }>(cluster, 'GET', '/_miroir/migrations', undefined, peerId);
  return body.results.filter((m) => m.jobId === jobId);
}

/** Shard → serving owners of `group` for the index, from GET /_miroir/shards. */
export async function owners(cluster: DevCluster, indexUid: string, group: string, peerId?: string): Promise<string[][]> {
  const { body } = await admin<{ indexes: Array<{ uid: string; groups: Record<string, Array<{ shard: number; owners: string[] }>> }> }>(cluster, 'GET', '/_miroir/shards', undefined, peerId);
  const index = body.indexes.find((i) => i.uid === indexUid);
  return (index?.groups[group] ?? []).map((s) => s.owners);
}

/** Documents of the index on one engine node (of one shard, or all), read straight from the node. */
export async function countOnNode(cluster: DevCluster, url: string, shard: number | null): Promise<number> {
  const response = await fetch(`${url}/indexes/${INDEX}/documents/fetch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${cluster.nodeMasterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ limit: 1, ...(shard === null ? {} : { filter: `_miroir_shard = ${shard}` }) }),
  });
  if (response.status === 404) return 0;
  const body = (await response.json()) as { total?: number };
  return body.total ?? -1;
}
