// Schemas of the topology part of the `/_miroir` admin API (issue 5 §3, the
// contract `miroir ctl` reads): nodes, jobs (rebalance), migrations and the
// shard map. Registered once with `$id`; they serialize exactly these keys.

const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const ids = { type: 'array', items: str } as const;

export const nodeSchema = {
  $id: 'miroir.admin.node',
  type: 'object',
  required: ['id', 'url', 'group', 'state'],
  properties: { id: str, url: str, group: str, state: str },
} as const;

export const jobSchema = {
  $id: 'miroir.admin.job',
  type: 'object',
  required: ['id', 'kind', 'nodeId', 'status', 'reason', 'migrations', 'startedAt', 'finishedAt'],
  properties: {
    id: str,
    /** join | drain | group | rebalance */
    kind: str,
    nodeId: nullableStr,
    /** running | succeeded | failed | cancelled */
    status: str,
    reason: nullableStr,
    migrations: {
      type: 'object',
      required: ['total', 'done', 'running', 'failed'],
      properties: { total: int, done: int, running: int, failed: int },
    },
    startedAt: str,
    finishedAt: nullableStr,
  },
} as const;

export const migrationSchema = {
  $id: 'miroir.admin.migration',
  type: 'object',
  required: ['id', 'jobId', 'indexUid', 'shard', 'group', 'from', 'to', 'phase', 'fromLogIndex', 'copied', 'total', 'error', 'startedAt', 'updatedAt'],
  properties: {
    id: str, jobId: str, indexUid: str, shard: int, group: str, from: ids, to: str,
    /** hold | copy | replay | verify | cutover | cleanup | done | failed */
    phase: str,
    fromLogIndex: int, copied: int, total: int, error: nullableStr, startedAt: str, updatedAt: str,
  },
} as const;

const ref = (schema: { $id: string }): { $ref: string } => ({ $ref: `${schema.$id}#` });
const nullableJob = { anyOf: [ref(jobSchema), { type: 'null' }] };

export const nodeAnswerSchema = {
  $id: 'miroir.admin.node-answer',
  type: 'object',
  required: ['node'],
  properties: { node: ref(nodeSchema), job: nullableJob },
} as const;

export const groupAnswerSchema = {
  $id: 'miroir.admin.group-answer',
  type: 'object',
  required: ['group'],
  properties: {
    /** state: initializing (being synced, not read) | active */
    group: { type: 'object', required: ['id', 'state'], properties: { id: str, state: str } },
    job: nullableJob,
  },
} as const;

export const jobAnswerSchema = {
  $id: 'miroir.admin.job-answer',
  type: 'object',
  required: ['job'],
  properties: { job: nullableJob },
} as const;

export const migrationsSchema = {
  $id: 'miroir.admin.migrations',
  type: 'object',
  required: ['results'],
  properties: { results: { type: 'array', items: ref(migrationSchema) } },
} as const;

export const shardsSchema = {
  $id: 'miroir.admin.shards',
  type: 'object',
  required: ['indexes'],
  properties: {
    indexes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['uid', 'shards', 'groups'],
        properties: {
          uid: str,
          shards: int,
          /** group → one entry per shard: its serving owners, and its future owners when they differ (a job runs). */
          groups: {
            type: 'object',
            additionalProperties: {
              type: 'array',
              items: { type: 'object', required: ['shard', 'owners'], properties: { shard: int, owners: ids, future: ids } },
            },
          },
        },
      },
    },
  },
} as const;

export const adminTopologySchemas = [nodeSchema, jobSchema, migrationSchema, nodeAnswerSchema, groupAnswerSchema, jobAnswerSchema, migrationsSchema, shardsSchema];
