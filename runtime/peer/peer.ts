// Assembles the runtime of one peer from its config: the peer mesh on
// `listen.peerPort`, the cluster state machine, the driver host (whose
// opener opens the LevelDB log under `dataDir` and starts a RaftDriver over
// a RaftCore with the config's Raft tunables), the node clients, the router,
// and the PeerServices over them.
//
// It does not start Raft: the raft-peer actor does, through `host`, and
// restarts it from the log when it fails (actors/raft-peer.machine.ts). The
// composition root — `startPeer` in cli/commands/peer.ts — joins this runtime
// with the supervisor actors (runtime/ must not import actors/, STYLE G1).
//
// The mesh learns the other peers from the config first, then from the
// replicated state: applied peer.add / peer.remove commands (the truth after
// bootstrap) and installed snapshots.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, Rng } from '../env/clock.ts';
import type { PeerConfig } from '../config/schema.ts';
import { compactionFloor } from '../cluster/index.ts';
import { RaftCore } from '../raft/core.ts';
import { RaftDriver } from '../raft/driver.ts';
import { LevelLogStore } from '../raft/log-store-level.ts';
import type { ConfState, RaftConfig } from '../raft/types.ts';
import { createRouter } from '../routing/router.ts';
import { HealthView } from '../health/view.ts';
import { observePeer } from '../metrics/index.ts';
import type { PeerMetrics } from '../metrics/index.ts';
import { PeerMesh } from '../../transport/peer/mesh.ts';
import { DriverHost, type DriverOpener } from './driver-host.ts';
import { peerLimits, type PeerLimits } from './limits.ts';
import { NodeClients } from './node-clients.ts';
import { createPeerServices } from './peer-services.ts';
import { PeerMembership } from './membership.ts';
import type { PeerServices } from './services.ts';
import { ClusterStateMachine } from './state-machine.ts';

export interface PeerRuntime {
  readonly services: PeerServices;
  readonly stateMachine: ClusterStateMachine;
  readonly host: DriverHost;
  readonly mesh: PeerMesh;
  /** The merged node health view: this peer's probes and the others' gossip (actors/nodes-io.ts feeds it). */
  readonly health: HealthView;
  /** Clients for health probes only (one connection per node), so a probe never queues behind searches. */
  readonly probeClients: NodeClients;
  readonly limits: PeerLimits;
  /** This peer's metrics registry (runtime/metrics/), served by the edge and the metrics port. */
  readonly metrics: PeerMetrics;
  /** The mesh's address as other peers dial it (ws://host:port/). */
  readonly peerUrl: string;
  /** Closes the driver (and its log store), the mesh and the node clients, in that order. */
  close(): Promise<void>;
}

export interface PeerEnv {
  clock: Clock;
  rng: Rng;
}

/**
 * The Raft voters a new log starts with: the configured peers, or this peer
 * alone. A joining peer (`start: join`) is not among its configured peers, so
 * it starts outside its own membership and never campaigns until the leader
 * adds it; the log it receives replays every change on top of these founders.
 */
export function bootstrapMembership(config: PeerConfig): ConfState {
  const voters = config.peers.length > 0 ? config.peers.map((p) => p.id) : [config.peerId];
  return { voters: [...voters].sort(), learners: [] };
}

export function raftConfigOf(config: PeerConfig): RaftConfig {
  return {
    id: config.peerId,
    electionTicks: config.raft.electionTicks,
    heartbeatTicks: config.raft.heartbeatTicks,
    maxSizePerMsgBytes: config.raft.maxSizePerMsgBytes,
    maxInflightMessages: config.raft.maxInflightMessages,
    maxUncommittedEntries: config.raft.maxUncommittedEntries,
    checkQuorum: true,
    preVote: true,
  };
}

export async function openPeerRuntime(config: PeerConfig, env: PeerEnv): Promise<PeerRuntime> {
  const limits = peerLimits(config);
  const router = await createRouter();
  await mkdir(config.dataDir, { recursive: true });
  const mesh = await PeerMesh.start({
    id: config.peerId, secret: clusterSecret(config, env.rng), clock: env.clock, rng: env.rng,
    host: config.listen.host, port: config.listen.peerPort,
    frameBytesMax: limits.frameBytesMax, sendBufferBytesMax: limits.sendBufferBytesMax,
    handshakeTimeoutMs: limits.handshakeTimeoutMs, pingIntervalMs: limits.pingIntervalMs,
    reconnect: { baseMs: limits.reconnectBaseMs, maxMs: limits.reconnectMaxMs },
    requestTimeoutMs: limits.requestTimeoutMs, requestsPendingMax: limits.requestsPendingMax,
  });
  // The router places dispatch targets at apply; the retention floor keeps what the dispatchers still need.
  const stateMachine = new ClusterStateMachine(env.clock, router);
  const open: DriverOpener = async (transport) => {
    stateMachine.prepareForStart();
    const store = await LevelLogStore.open({ path: join(config.dataDir, 'raft'), bootstrap: bootstrapMembership(config) });
    try {
      return await RaftDriver.start({
        config: raftConfigOf(config), store, transport, stateMachine, clock: env.clock, rng: env.rng,
        createNode: (raftConfig, restored, rng) => new RaftCore(raftConfig, restored, rng),
        tickMs: config.raft.tickMs, snapshotEveryEntries: config.raft.snapshotEveryEntries,
        proposalsPendingMax: limits.proposalsPendingMax, proposalTimeoutMs: limits.proposalTimeoutMs,
        readsPendingMax: limits.readsPendingMax, readTimeoutMs: limits.readTimeoutMs,
        incomingMessagesMax: limits.incomingMessagesMax,
        retention: {
          floor: () => compactionFloor(stateMachine.state),
          bytesMax: config.dispatcher.retentionBytesMax, ageMs: config.dispatcher.retentionAgeMs,
        },
      });
    } catch (error) {
      await store.close();
      throw error;
    }
  };
  const host = new DriverHost(mesh, open);
  const nodes = new NodeClients({
    apiKey: config.secrets.nodeMasterKey, connectionsMax: config.search.nodeConnectionsMax,
    headersTimeoutMs: config.search.searchTimeoutMs, bodyTimeoutMs: config.search.searchTimeoutMs,
  });
  const probeClients = new NodeClients({
    apiKey: config.secrets.nodeMasterKey, connectionsMax: 1,
    headersTimeoutMs: config.health.probeTimeoutMs, bodyTimeoutMs: config.health.probeTimeoutMs,
  });
  // A peer this config lists is dialed at the configured address, whatever the log committed for it: the
  // config says how this peer reaches that one (through a proxy, from another network; the chaos suite's
  // fault proxies are per pair of peers). The committed address serves peers the config does not list.
  const configured = new Map(config.peers.map((p) => [p.id, p.address]));
  const dial = (id: string, committed: string): void => mesh.setPeer(id, configured.get(id) ?? committed);
  for (const peer of config.peers) if (peer.id !== config.peerId) dial(peer.id, peer.address);
  // The link to a removed peer is cut after a grace period, so the answer to a
  // request it made — its own removal, forwarded here — still reaches it.
  const forgetPeerLater = (peer: string): void => {
    env.clock.setTimeout(() => {
      if (!stateMachine.state.peers.has(peer)) mesh.removePeer(peer);
    }, limits.removedPeerGraceMs);
  };
  stateMachine.onApplied((_index, command) => {
    if (command === null) return;
    if (command.kind === 'peer.add' && command.id !== config.peerId) dial(command.id, command.address);
    else if (command.kind === 'peer.remove' && command.id !== config.peerId) forgetPeerLater(command.id);
    else if (command.kind.startsWith('node.') || command.kind.startsWith('group.')) {
      nodes.reconcile(stateMachine.state);
      probeClients.reconcile(stateMachine.state);
    }
  });
  stateMachine.onRestored((state) => {
    nodes.reconcile(state);
    probeClients.reconcile(state);
    // Additions only: a snapshot cannot tell a removed peer from one not added yet.
    for (const peer of state.peers.values()) if (peer.id !== config.peerId) dial(peer.id, peer.address);
  });
  const health = new HealthView(config.peerId, config.health.viewStalenessMs);
  const metrics = observePeer({ host, stateMachine, services: () => services });
  const base = createPeerServices({ peerId: config.peerId, config, clock: env.clock, rng: env.rng, router, host, stateMachine, nodes, health, limits });
  const electionMs = config.raft.electionTicks * config.raft.tickMs;
  const membership = new PeerMembership({
    peerId: config.peerId, host, mesh, clock: env.clock, state: () => stateMachine.state, propose: (command) => base.propose(command),
    tickMs: config.raft.tickMs, electionMs, leaderWaitMs: limits.leaderWaitMs, catchUpTimeoutMs: limits.memberCatchUpTimeoutMs,
  });
  const services: PeerServices = { ...base, metrics: metrics.search, membership };
  return {
    services, stateMachine, host, mesh, health, probeClients, limits, peerUrl: mesh.url, metrics,
    async close() {
      await host.close();
      stateMachine.close();
      await mesh.close();
      await nodes.close();
      await probeClients.close();
    },
  };
}

/** A lone peer has no one to authenticate, so without MIROIR_CLUSTER_SECRET it draws one (config validation requires it otherwise). */
function clusterSecret(config: PeerConfig, rng: Rng): Uint8Array {
  if (config.secrets.clusterSecret !== null) return new TextEncoder().encode(config.secrets.clusterSecret);
  return Uint8Array.from({ length: 32 }, () => rng.int(256));
}
