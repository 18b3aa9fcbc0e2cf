// `miroir ctl status`: the topology (peers and leader, nodes with their
// committed state, whether searches go to them and the health verdict behind
// it, groups, the shards of each index covered by a routed node), then the
// migrations not finished and the current or last topology job.
import type { Ctx } from './context.ts';
import { CtlError, request } from './http.ts';
import { renderJob, renderMigrations, isFinished } from './progress.ts';
import type { Job, Migration, Topology } from './shapes.ts';
import { table } from './table.ts';

/** Shards of an index with at least one owner that takes searches, in any group. */
export function shardsCovered(topology: Topology, index: Topology['indexes'][number]): number {
  const routed = new Set(topology.nodes.filter((n) => n.healthy).map((n) => n.id));
  let covered = 0;
  for (let shard = 0; shard < index.shards; shard++) {
    if (Object.values(index.placements).some((owners) => (owners[shard] ?? []).some((id) => routed.has(id)))) covered++;
  }
  return covered;
}

export function renderTopology(t: Topology): string {
  const peers = table(['PEER', 'ROLE', 'ADDRESS'], t.peers.map((p) => [p.id + (p.isSelf ? ' *' : ''), p.isLeader ? 'leader' : p.role, p.address]));
  const nodes = table(['NODE', 'GROUP', 'STATE', 'ROUTED', 'HEALTH', 'LATENCY', 'URL'], t.nodes.map((n) => [
    n.id, n.group, n.state, n.healthy ? 'yes' : 'NO',
    n.health === null ? 'unknown' : `${n.health.status} (${n.health.observedBy}, ${Math.round(n.health.ageMs)} ms ago)`,
    n.health?.latencyEwmaMs == null ? '-' : `${n.health.latencyEwmaMs.toFixed(1)} ms`,
    n.url,
  ]));
  const groups = table(['GROUP', 'STATE', 'NODES'], t.groups.map((g) => [g.id, g.state ?? '-', g.nodes.join(' ')]));
  const indexes = t.indexes.length === 0
    ? '(no indexes)'
    : table(['INDEX', 'SHARDS', 'COVERED'], t.indexes.map((i) => {
      const covered = shardsCovered(t, i);
      return [i.uid, String(i.shards), `${covered}/${i.shards}${covered < i.shards ? ' DEGRADED' : ''}`];
    }));
  const head = `peer ${t.peerId} · leader ${t.leader ?? 'unknown'} · term ${t.term} · applied ${t.applied}/${t.commit}`;
  return [head, '', peers, '', nodes, '', groups, '', indexes].join('\n');
}

export interface StatusAnswer {
  topology: Topology;
  /** Null when the peer does not serve the route (an older peer), with the reason. */
  migrations: Migration[] | null;
  job: Job | null;
  unavailable: string[];
}

export function renderStatus(s: StatusAnswer): string {
  const parts = [renderTopology(s.topology)];
  if (s.migrations !== null) {
    const open = s.migrations.filter((m) => !isFinished(m));
    parts.push(open.length === 0 ? '(no migration running)' : renderMigrations(open));
  }
  if (!s.unavailable.includes('job')) parts.push(renderJob(s.job));
  for (const what of s.unavailable) parts.push(`(${what}: not served by this peer)`);
  return parts.join('\n\n');
}

/** GET of an admin route that an older peer may not serve: null on its 404 for the route itself. */
async function optional(ctx: Ctx, path: string): Promise<unknown> {
  try {
    return await request(ctx.args, 'GET', path);
  } catch (error) {
    if (error instanceof CtlError && /answered 404 not_found:/.test(error.message)) return null;
    throw error;
  }
}

export async function status(ctx: Ctx): Promise<string> {
  const topology = (await request(ctx.args, 'GET', '/_miroir/topology')) as Topology;
  const migrations = (await optional(ctx, '/_miroir/migrations')) as { results: Migration[] } | null;
  const rebalance = (await optional(ctx, '/_miroir/rebalance')) as { job: Job | null } | null;
  const unavailable = [...(migrations === null ? ['migrations'] : []), ...(rebalance === null ? ['job'] : [])];
  const answer: StatusAnswer = { topology, migrations: migrations?.results ?? null, job: rebalance?.job ?? null, unavailable };
  return ctx.args.json ? JSON.stringify(answer, null, 2) : renderStatus(answer);
}
