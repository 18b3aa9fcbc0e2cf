// The read-only part of the `/_miroir` operator API served by the edge:
//
// - GET /_miroir/topology: the peers (with the Raft role as this peer sees
//   it and the current leader), the nodes with their committed state and this
//   peer's health verdict, the replica groups, and for every index its S and
//   the placement of each shard in each group — the owners reads use: the
//   group's serving (`active` and `draining`) nodes, RF highest rendezvous
//   scores (ARCHITECTURE §2); a group is `initializing` until one of its
//   nodes serves.
//   Shape: api/schemas/admin.ts.
// - GET /_miroir/ready: 200 once this peer knows a leader and its replica
//   holds a bootstrapped cluster (it can serve reads and forward writes);
//   otherwise 503 `miroir_no_leader`. It is open, like /health, so that
//   orchestrators can probe it without the admin key.
//
// Both are admin routes (`config.admin`): the admin key guards topology when
// one is configured (api/plugins/admin-auth.ts).
import type { FastifyInstance } from 'fastify';
import { MeiliError } from '../errors/registry.ts';
import { groupState, isPristine, listGroups, listNodes, nodesInGroup, servingByGroup, type ClusterState } from '../../runtime/cluster/index.ts';
import type { PeerServices } from '../../runtime/peer/services.ts';
import type { RouteOptions } from '../plugins/request-context.ts';
import { adminSchemas, readySchema, topologySchema } from '../schemas/admin.ts';
import { adminPeerRoutes } from './admin-peers.ts';
import { adminTopologyRoutes } from './admin-topology.ts';

function placements(services: PeerServices, state: Readonly<ClusterState>, shards: number): Record<string, string[][]> {
  const serving = servingByGroup(state);
  const out: Record<string, string[][]> = {};
  for (const group of listGroups(state)) {
    const ids = serving.get(group.id);
    out[group.id] = ids === undefined ? [] : services.router.placeGroup(shards, ids, state.settings.rf);
  }
  return out;
}

export function topology(services: PeerServices): unknown {
  const state = services.state();
  const raft = services.raft();
  const peers = [...state.peers.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((peer) => ({
      id: peer.id,
      address: peer.address,
      role: peer.id === services.peerId ? raft.role : peer.id === raft.leader ? 'leader' : 'follower',
      isLeader: peer.id === raft.leader,
      isSelf: peer.id === services.peerId,
    }));
  const nodes = listNodes(state).map((n) => ({
    id: n.id, url: n.url, group: n.group, state: n.state, healthy: services.isNodeHealthy(n.id), health: services.nodeHealth?.(n.id) ?? null,
  }));
  const groups = listGroups(state).map((g) => ({ id: g.id, state: groupState(state, g.id), nodes: nodesInGroup(state, g.id).map((n) => n.id) }));
  const indexes = [...state.indexes.values()]
    .sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0))
    .map((index) => ({ uid: index.uid, primaryKey: index.primaryKey, shards: index.shards, placements: placements(services, state, index.shards) }));
  return { peerId: services.peerId, leader: raft.leader, term: raft.term, commit: raft.commit, applied: raft.applied, peers, nodes, groups, indexes };
}

export async function adminRoutes(app: FastifyInstance, options: RouteOptions): Promise<void> {
  const { services } = options;
  for (const schema of adminSchemas) app.addSchema(schema);
  // Raft membership (/_miroir/peers) and topology jobs (nodes, rebalance, migrations, shards) have their own modules.
  await adminPeerRoutes(app, options);
  await adminTopologyRoutes(app, options);

  app.get(
    '/_miroir/topology',
    { config: { action: null, index: 'none', admin: true }, schema: { response: { 200: { $ref: `${topologySchema.$id}#` } } } },
    async () => topology(services),
  );

  app.get(
    '/_miroir/ready',
    { config: { action: null, index: 'none' }, schema: { response: { 200: { $ref: `${readySchema.$id}#` } } } },
    async () => {
      const raft = services.raft();
      const state = services.state();
      if (raft.leader === null) {
        throw new MeiliError('miroir_no_leader', `Peer \`${services.peerId}\` is not ready: it knows no Raft leader (term ${raft.term}).`);
      }
      if (isPristine(state)) {
        throw new MeiliError('miroir_no_leader', `Peer \`${services.peerId}\` is not ready: the cluster is not bootstrapped yet.`);
      }
      return { status: 'ready', peerId: services.peerId, leader: raft.leader, applied: state.appliedIndex };
    },
  );
}
