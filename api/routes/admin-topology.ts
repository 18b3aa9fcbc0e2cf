// The topology part of the `/_miroir` operator API (issue 5 §3; the contract
// `miroir ctl` reads). Writes are cluster commands, forwarded to the leader
// like client writes, answered once committed and applied on this peer:
//
// - POST /_miroir/nodes {id, url, group} → 202 {node, job}: the node joins
//   (`joining`); the job migrates the shards its placement gains, then makes
//   it `active` (at once when nothing moves).
// - POST /_miroir/nodes/{id}/drain → 202 {node, job}: `draining`; its shards
//   migrate to their next owners; then `removed`.
// - DELETE /_miroir/nodes/{id} → 200 {node}: a node with no data role left
//   (removed after a drain, or joining outside any job); an active or
//   draining node must be drained first (400 miroir_invalid_topology).
// - POST /_miroir/groups {id, nodes:[{id, url}]} → 202 {group, job}: the
//   group starts `initializing` (its nodes joining); every shard is synced
//   into it from a serving group; reads use it only once the job cut over.
// - DELETE /_miroir/groups/{id} → 200 {group}: reads stop at once (not the
//   last serving group while indexes exist).
// - POST /_miroir/rebalance → 202 {job}: plans and runs the migrations that
//   put every shard on its placement (nothing to do: a job with 0 migrations,
//   succeeded). GET /_miroir/rebalance → {job|null}: the current or last job.
// - GET /_miroir/migrations[?status=phase|running] and /_miroir/migrations/{id}.
// - GET /_miroir/shards: per index and group, every shard's serving owners
//   (what reads use) and, while a job runs, its future owners when they differ.
//
// One topology job at a time: 409 miroir_topology_change_in_progress.
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import {
  futureByGroup, groupState, migrationsOf, runningJob, servingByGroup, MIGRATION_PHASES,
  type ClusterCommand, type ClusterState, type JobRecord, type MigrationRecord, type NodeRecord,
} from '../../runtime/cluster/index.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import { formatRfc3339 } from '../protocol/time-format.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { unwrap } from './common.ts';
import { idOf, objectBody, urlOf } from './admin-input.ts';
import {
  adminTopologySchemas, groupAnswerSchema, jobAnswerSchema, migrationSchema, migrationsSchema, nodeAnswerSchema, shardsSchema,
} from '../schemas/admin-topology.ts';

const NODE_URL = ['http:', 'https:'];
const nodeUrl = (value: unknown, field: string): string => urlOf(value, field, NODE_URL, "the node's http:// or https:// address");

export function parseNodeBody(body: unknown): { id: string; url: string; group: string } {
  const fields = objectBody(body, ['id', 'url', 'group']);
  return { id: idOf(fields['id'], 'id'), url: nodeUrl(fields['url'], 'url'), group: idOf(fields['group'], 'group') };
}

export function parseGroupBody(body: unknown): { id: string; nodes: { id: string; url: string }[] } {
  const fields = objectBody(body, ['id', 'nodes']);
  const nodes = fields['nodes'];
  if (!Array.isArray(nodes) || nodes.length === 0 || nodes.length > 1024) throw new MeiliError('bad_request', '`nodes` must list 1 to 1024 nodes `{id, url}`.');
  return {
    id: idOf(fields['id'], 'id'),
    nodes: nodes.map((n, i) => {
      const f = objectBody(n, ['id', 'url']);
      return { id: idOf(f['id'], `nodes[${i}].id`), url: nodeUrl(f['url'], `nodes[${i}].url`) };
    }),
  };
}

function groupView(state: Readonly<ClusterState>, id: string) {
  return { id, state: groupState(state, id) };
}

const nodeView = (n: Readonly<NodeRecord>) => ({ id: n.id, url: n.url, group: n.group, state: n.state });

export function jobView(state: Readonly<ClusterState>, job: Readonly<JobRecord>) {
  const migrations = migrationsOf(state, job.id);
  const count = (phases: readonly string[]): number => migrations.filter((m) => phases.includes(m.phase)).length;
  return {
    id: job.id, kind: job.kind, nodeId: job.nodeId, status: job.status, reason: job.reason,
    migrations: {
      total: migrations.length, done: count(['done']), failed: count(['failed']),
      running: count(['copy', 'replay', 'verify', 'cutover', 'cleanup']),
    },
    startedAt: formatRfc3339(job.startedAtMs), finishedAt: job.finishedAtMs === null ? null : formatRfc3339(job.finishedAtMs),
  };
}

export function migrationView(m: Readonly<MigrationRecord>) {
  return {
    id: m.id, jobId: m.jobId, indexUid: m.indexUid, shard: m.shard, group: m.group, from: m.from, to: m.to, phase: m.phase,
    fromLogIndex: m.fromLogIndex, copied: m.copied, total: m.total, error: m.error,
    startedAt: formatRfc3339(m.startedAtMs), updatedAt: formatRfc3339(m.updatedAtMs),
  };
}

/** The newest job (the running one, else the last started). */
function lastJob(state: Readonly<ClusterState>): JobRecord | null {
  let last: JobRecord | null = null;
  for (const job of state.jobs.values()) if (last === null || job.startedAt > last.startedAt) last = job;
  return runningJob(state) ?? last;
}

function refuseWhileRunning(state: Readonly<ClusterState>): void {
  const job = runningJob(state);
  if (job !== null) {
    throw new MeiliError('miroir_topology_change_in_progress', `Topology job \`${job.id}\` (${job.kind}) is still running; wait for it to finish.`);
  }
}

function requireNode(state: Readonly<ClusterState>, id: string): Readonly<NodeRecord> {
  const node = state.nodes.get(id);
  if (node === undefined) throw new MeiliError('miroir_unknown_node', `Node \`${id}\` not found.`);
  return node;
}

async function startJob(services: PeerServices, command: ClusterCommand & { kind: 'topology.job' }) {
  refuseWhileRunning(services.state());
  unwrap(await services.propose(command));
  const state = services.state();
  const job = [...state.jobs.values()].find((j) => j.startedAt === Math.max(...[...state.jobs.values()].map((x) => x.startedAt)));
  return { state, job: job === undefined ? null : jobView(state, job) };
}

function shardMap(services: PeerServices) {
  const state = services.state();
  const serving = servingByGroup(state);
  const future = futureByGroup(state);
  const rf = state.settings.rf;
  const place = (shard: number, ids: readonly string[] | undefined): string[] =>
    ids === undefined || ids.length === 0 ? [] : services.router.placeShard(shard, ids, rf);
  const groupIds = [...new Set([...serving.keys(), ...future.keys()])].sort();
  const indexes = [...state.indexes.values()].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0)).map((index) => {
    const groups: Record<string, { shard: number; owners: string[]; future?: string[] }[]> = {};
    for (const group of groupIds) {
      groups[group] = Array.from({ length: index.shards }, (_, shard) => {
        const owners = place(shard, serving.get(group));
        const next = place(shard, future.get(group));
        const same = owners.length === next.length && owners.every((o) => next.includes(o));
        return same ? { shard, owners } : { shard, owners, future: next };
      });
    }
    return { uid: index.uid, shards: index.shards, groups };
  });
  return { indexes };
}

export async function adminTopologyRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  for (const schema of adminTopologySchemas) app.addSchema(schema);
  const config = { action: null, index: 'none', admin: true } as const;
  const noBody = { ...config, body: 'raw' } as const;
  const nodeAnswer = { response: { 200: { $ref: `${nodeAnswerSchema.$id}#` }, 202: { $ref: `${nodeAnswerSchema.$id}#` } } };
  const groupAnswer = { response: { 200: { $ref: `${groupAnswerSchema.$id}#` }, 202: { $ref: `${groupAnswerSchema.$id}#` } } };
  const jobAnswer = { response: { 200: { $ref: `${jobAnswerSchema.$id}#` }, 202: { $ref: `${jobAnswerSchema.$id}#` } } };
  const nowMs = (): number => services.clock.nowMs();

  app.post('/_miroir/nodes', { config: { ...config, body: 'json' }, schema: nodeAnswer }, async (request, reply) => {
    const { id, url, group } = parseNodeBody(request.body);
    const { state, job } = await startJob(services, { v: 1, kind: 'topology.job', job: 'join', nodeId: id, url, group, nowMs: nowMs() });
    return reply.code(202).send({ node: nodeView(requireNode(state, id)), job });
  });

  app.post<{ Params: { id: string } }>('/_miroir/nodes/:id/drain', { config: noBody, schema: nodeAnswer }, async (request, reply) => {
    const id = idOf(request.params.id, 'id');
    requireNode(services.state(), id);
    const { state, job } = await startJob(services, { v: 1, kind: 'topology.job', job: 'drain', nodeId: id, nowMs: nowMs() });
    return reply.code(202).send({ node: nodeView(requireNode(state, id)), job });
  });

  app.delete<{ Params: { id: string } }>('/_miroir/nodes/:id', { config, schema: nodeAnswer }, async (request) => {
    const id = idOf(request.params.id, 'id');
    const node = requireNode(services.state(), id);
    if (node.state === 'removed') return { node: nodeView(node) };
    refuseWhileRunning(services.state());
    if (node.state !== 'joining') {
      throw new MeiliError('miroir_invalid_topology', `Node \`${id}\` is ${node.state} and still holds shards: drain it first (POST /_miroir/nodes/${id}/drain).`);
    }
    unwrap(await services.propose({ v: 1, kind: 'node.state', id, state: 'removed', nowMs: nowMs() }));
    return { node: nodeView(requireNode(services.state(), id)) };
  });

  app.post('/_miroir/groups', { config: { ...config, body: 'json' }, schema: groupAnswer }, async (request, reply) => {
    const { id, nodes } = parseGroupBody(request.body);
    const { state, job } = await startJob(services, { v: 1, kind: 'topology.job', job: 'group', group: id, nodes, nowMs: nowMs() });
    return reply.code(202).send({ group: groupView(state, id), job });
  });

  app.delete<{ Params: { id: string } }>('/_miroir/groups/:id', { config, schema: groupAnswer }, async (request) => {
    const id = idOf(request.params.id, 'id');
    const state = services.state();
    if (!state.groups.has(id)) throw new MeiliError('miroir_unknown_group', `Group \`${id}\` not found.`);
    refuseWhileRunning(state);
    const serving = servingByGroup(state);
    if (serving.has(id) && serving.size === 1 && state.indexes.size > 0) {
      throw new MeiliError('miroir_invalid_topology', `Group \`${id}\` is the only group serving reads: removing it would lose every document.`);
    }
    const view = groupView(state, id);
    unwrap(await services.propose({ v: 1, kind: 'group.remove', id, nowMs: nowMs() }));
    return { group: view, job: null };
  });

  app.post('/_miroir/rebalance', { config: noBody, schema: jobAnswer }, async (_request, reply) => {
    const { job } = await startJob(services, { v: 1, kind: 'topology.job', job: 'rebalance', nowMs: nowMs() });
    return reply.code(202).send({ job });
  });

  app.get('/_miroir/rebalance', { config, schema: jobAnswer }, async () => {
    const state = services.state();
    const job = lastJob(state);
    return { job: job === null ? null : jobView(state, job) };
  });

  app.get<{ Querystring: { status?: string } }>('/_miroir/migrations', { config, schema: { response: { 200: { $ref: `${migrationsSchema.$id}#` } } } }, async (request) => {
    const status = request.query.status;
    const wanted = status === undefined ? null : status.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const s of wanted ?? []) {
      if (s !== 'running' && !(MIGRATION_PHASES as readonly string[]).includes(s)) {
        throw new MeiliError('bad_request', `\`status\` must list migration phases (${MIGRATION_PHASES.join(', ')}) or \`running\`, got \`${s}\`.`);
      }
    }
    const matches = (m: MigrationRecord): boolean =>
      wanted === null || wanted.includes(m.phase) || (wanted.includes('running') && m.phase !== 'done' && m.phase !== 'failed');
    const results = [...services.state().migrations.values()].filter(matches)
      .sort((a, b) => a.fromLogIndex - b.fromLogIndex || (a.id < b.id ? -1 : 1)).map(migrationView);
    return { results };
  });

  app.get<{ Params: { id: string } }>('/_miroir/migrations/:id', { config, schema: { response: { 200: { $ref: `${migrationSchema.$id}#` } } } }, async (request) => {
    const m = services.state().migrations.get(request.params.id);
    if (m === undefined) throw new MeiliError('miroir_unknown_migration', `Migration \`${request.params.id}\` not found.`);
    return migrationView(m);
  });

  app.get('/_miroir/shards', { config, schema: { response: { 200: { $ref: `${shardsSchema.$id}#` } } } }, async () => shardMap(services));
}
