// Schemas of the `/_miroir/peers` answers (api/routes/admin-peers.ts),
// registered once with `$id` (STYLE G10); fast-json-stringify keeps exactly
// these keys, in this order.

const id = { type: 'string' } as const;
const nullableId = { type: ['string', 'null'] } as const;

/** GET, POST and DELETE /_miroir/peers. */
export const peersSchema = {
  $id: 'miroir.admin.peers',
  type: 'object',
  required: ['leader', 'source', 'answeredBy', 'results'],
  properties: {
    leader: nullableId,
    /** `leader`: the leader's own view (match indexes known); `local`: no leader answered, the answering peer's replica. */
    source: { type: 'string' },
    answeredBy: id,
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'address', 'role', 'voter', 'matchIndex'],
        properties: {
          id,
          /** Where the peers' mesh dials it; null when no address is recorded. */
          address: nullableId,
          /** leader | follower | learner | none (an address recorded for a peer that is no Raft member). */
          role: { type: 'string' },
          voter: { type: 'boolean' },
          /** The highest log index the leader knows the peer holds; null when the leader did not answer. */
          matchIndex: { type: ['integer', 'null'] },
        },
      },
    },
  },
} as const;

/** POST /_miroir/peers/transfer-leadership. */
export const leaderSchema = {
  $id: 'miroir.admin.leader',
  type: 'object',
  required: ['leader'],
  properties: { leader: nullableId },
} as const;

export const adminPeersSchemas = [peersSchema, leaderSchema] as const;
