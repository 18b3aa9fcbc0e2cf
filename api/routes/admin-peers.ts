// The Raft membership part of the `/_miroir` operator API (issue 5 §3), over
// runtime/peer/membership.ts, which runs every operation on the leader
// (forwarded over the peer mesh from a follower):
//
// - GET /_miroir/peers: {leader, source, answeredBy, results:[{id, address,
//   role, voter, matchIndex}]}, the leader's view (`source: leader`, with
//   match indexes); when no leader answers, this peer's replica
//   (`source: local`, match indexes null).
// - POST /_miroir/peers {id, address}: records the address (every peer's mesh
//   dials it), adds the peer as a learner, promotes it to voter once its log
//   caught up; answers 200 after the promotion committed. The new peer must
//   already run with `start: join` (runtime/config/schema.ts).
// - DELETE /_miroir/peers/{id}: removes the member (the leader hands its
//   leadership over first when it is the one removed) and its address.
// - POST /_miroir/peers/transfer-leadership {to?}: to the named voter, or to
//   the most caught-up one; answers {leader} once it leads.
//
// Refusals: miroir_unknown_peer 404, miroir_invalid_topology 400 (e.g. the
// last voter, a learner as transferee), miroir_topology_change_in_progress
// 409 (one membership change at a time), miroir_timeout 504 (a learner that
// did not catch up stays a learner; a transfer that did not happen).
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import { isRefusal, type MembershipAnswer, type MembershipOp, type MembershipView, type RefusalReason } from '../../runtime/peer/membership.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import { parseJsonBody } from '../protocol/body.ts';
import { idOf, objectBody, urlOf } from './admin-input.ts';
import { rawBody } from '../plugins/body.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { adminPeersSchemas, leaderSchema, peersSchema } from '../schemas/admin-peers.ts';

const REFUSAL_CODES: Readonly<Record<RefusalReason, string>> = {
  unknown_peer: 'miroir_unknown_peer',
  invalid: 'miroir_invalid_topology',
  in_progress: 'miroir_topology_change_in_progress',
  not_caught_up: 'miroir_timeout',
  transfer_failed: 'miroir_timeout',
};

async function run(services: PeerServices, op: MembershipOp): Promise<MembershipView> {
  if (services.membership === undefined) throw new MeiliError('miroir_no_leader', 'This peer does not run Raft membership operations.');
  const answer: MembershipAnswer = await services.membership.run(op);
  if (isRefusal(answer)) throw new MeiliError(REFUSAL_CODES[answer.refused], answer.message);
  return answer;
}

export function parseAddBody(body: unknown): { id: string; address: string } {
  const fields = objectBody(body, ['id', 'address']);
  return { id: idOf(fields.id, 'id'), address: urlOf(fields.address, 'address', ['ws:', 'wss:'], "the peer's ws:// or wss:// address") };
}

export function parseTransferBody(raw: Buffer, contentType: string | undefined): string | null {
  if (raw.toString('utf8').trim() === '') return null;
  const fields = objectBody(parseJsonBody(contentType, raw), ['to']);
  return fields.to === undefined || fields.to === null ? null : idOf(fields.to, 'to');
}

export async function adminPeerRoutes(app: FastifyInstance, { services }: RouteOptions): Promise<void> {
  for (const schema of adminPeersSchemas) app.addSchema(schema);
  const config = { action: null, index: 'none', admin: true } as const;
  const peers = { response: { 200: { $ref: `${peersSchema.$id}#` } } };

  app.get('/_miroir/peers', { config, schema: peers }, () => run(services, { op: 'list' }));

  app.post('/_miroir/peers', { config: { ...config, body: 'json' }, schema: peers }, (request) => {
    const { id, address } = parseAddBody(request.body);
    return run(services, { op: 'add', id, address });
  });

  app.delete<{ Params: { id: string } }>('/_miroir/peers/:id', { config, schema: peers }, (request) =>
    run(services, { op: 'remove', id: idOf(request.params.id, 'id') }));

  app.post(
    '/_miroir/peers/transfer-leadership',
    { config: { ...config, body: 'raw' }, schema: { response: { 200: { $ref: `${leaderSchema.$id}#` } } } },
    async (request) => {
      const to = parseTransferBody(rawBody(request), request.headers['content-type']);
      const view = await run(services, { op: 'transfer', to });
      return { leader: view.leader };
    },
  );
}
