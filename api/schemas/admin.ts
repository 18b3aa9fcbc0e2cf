// Schemas of the `/_miroir` admin API, registered once with `$id` (STYLE G10).
// They document the answers for operators and `miroir ctl`, and serialize
// them (fast-json-stringify keeps exactly these keys, in this order).

const id = { type: 'string' } as const;
const nullableId = { type: ['string', 'null'] } as const;

/** GET /_miroir/topology. */
export const topologySchema = {
  $id: 'miroir.admin.topology',
  type: 'object',
  required: ['peerId', 'leader', 'term', 'commit', 'applied', 'peers', 'nodes', 'groups', 'indexes'],
  properties: {
    /** The peer that answered; roles of the other peers are as this peer sees them. */
    peerId: id,
    leader: nullableId,
    term: { type: 'integer' },
    commit: { type: 'integer' },
    applied: { type: 'integer' },
    peers: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'address', 'role', 'isLeader', 'isSelf'],
        properties: {
          id,
          address: { type: 'string' },
          /** `follower | preCandidate | candidate | leader` for this peer; `leader` or `follower` for the others. */
          role: { type: 'string' },
          isLeader: { type: 'boolean' },
          isSelf: { type: 'boolean' },
        },
      },
    },
    nodes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'url', 'group', 'state', 'healthy'],
        properties: {
          id,
          url: { type: 'string' },
          group: id,
          /** The committed hard state: joining | active | draining | removed. */
          state: { type: 'string' },
          /** Whether this peer routes searches to the node now (gossiped health). */
          healthy: { type: 'boolean' },
          /** The merged health observation behind `healthy`; null when no fresh one (then the node is routed to). */
          health: {
            type: ['object', 'null'],
            required: ['status', 'latencyEwmaMs', 'observedBy', 'ageMs'],
            properties: {
              /** healthy | slow | down (the decided statuses routing follows). */
              status: { type: 'string' },
              latencyEwmaMs: { type: ['number', 'null'] },
              observedBy: id,
              ageMs: { type: 'number' },
            },
          },
        },
      },
    },
    groups: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'state', 'nodes'],
        properties: { id, state: { type: 'string', enum: ['active', 'initializing'] }, nodes: { type: 'array', items: id } },
      },
    },
    indexes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['uid', 'primaryKey', 'shards', 'placements'],
        properties: {
          uid: id,
          primaryKey: nullableId,
          shards: { type: 'integer' },
          /** Group id → for each shard s (array index), the node ids owning s in that group, best first. */
          placements: {
            type: 'object',
            additionalProperties: { type: 'array', items: { type: 'array', items: id } },
          },
        },
      },
    },
  },
} as const;

/** GET /_miroir/ready (200; otherwise the 503 error body). */
export const readySchema = {
  $id: 'miroir.admin.ready',
  type: 'object',
  required: ['status', 'peerId', 'leader', 'applied'],
  properties: {
    status: { type: 'string' },
    peerId: id,
    leader: nullableId,
    applied: { type: 'integer' },
  },
} as const;

export const adminSchemas = [topologySchema, readySchema] as const;
