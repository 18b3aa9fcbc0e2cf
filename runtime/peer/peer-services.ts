// The PeerServices of runtime/peer/services.ts over a running peer: the
// driver host, the cluster state machine, the node clients and the router.
//
// propose() and syncRead() ride out an election: when no leader is known (or
// the one asked says it no longer leads, or the driver is being restarted)
// they wait for a leader, up to `leaderWaitMs`, and try again. Only those
// refusals are retried, because each one proves the command was not
// appended; a timeout or a lost connection after sending may have committed
// it, so it reaches the caller (who owns the retry decision).
import { assert } from '../assert.ts';
import type { Clock, Rng } from '../env/clock.ts';
import { delay } from '../env/delay.ts';
import { ClosedError, NotLeaderError } from '../errors.ts';
import type { PeerConfig } from '../config/schema.ts';
import { encodeCommand, isServing, type ApplyResult, type ClusterCommand } from '../cluster/index.ts';
import type { RaftDriver } from '../raft/driver.ts';
import type { Router } from '../routing/router.ts';
import type { HealthView } from '../health/view.ts';
import type { DriverHost } from './driver-host.ts';
import type { PeerLimits } from './limits.ts';
import type { NodeClients } from './node-clients.ts';
import type { PeerServices, RaftView } from './services.ts';
import type { ClusterStateMachine } from './state-machine.ts';

export interface PeerServicesDeps {
  peerId: string;
  config: PeerConfig;
  clock: Clock;
  rng: Rng;
  router: Router;
  host: DriverHost;
  stateMachine: ClusterStateMachine;
  nodes: NodeClients;
  health: HealthView;
  limits: PeerLimits;
}

export function createPeerServices(deps: PeerServicesDeps): PeerServices {
  const { host, stateMachine, clock, limits } = deps;
  let searchCounter = 0;
  let lastTerm = 0;
  host.subscribe((event) => {
    if ('term' in event) lastTerm = Math.max(lastTerm, event.term);
  });
  const electionMs = deps.config.raft.electionTicks * deps.config.raft.tickMs;

  /** Resolves on the next leader news, or after a while to look again (a restarted driver, a stale hint). */
  const leaderNews = (deadlineMs: number): Promise<void> => {
    const waitMs = Math.max(1, Math.min(deadlineMs - clock.nowMs(), Math.ceil(electionMs / 2)));
    const controller = new AbortController();
    const unsubscribe = host.subscribe((event) => {
      if ((event.type === 'raft.leader.changed' && event.leader !== null) || event.type === 'raft.leader.gained') controller.abort();
    });
    return delay(clock, waitMs, controller.signal).then(
      () => unsubscribe(),
      () => unsubscribe(),
    );
  };

  async function withLeader<T>(op: (driver: RaftDriver) => Promise<T>): Promise<T> {
    const deadlineMs = clock.nowMs() + limits.leaderWaitMs;
    for (;;) {
      const driver = host.driver;
      if (driver !== null) {
        try {
          return await op(driver);
        } catch (error) {
          if (!(error instanceof NotLeaderError) || clock.nowMs() >= deadlineMs) throw error;
        }
      } else if (clock.nowMs() >= deadlineMs) {
        throw new ClosedError('raft driver (restarting)');
      }
      await leaderNews(deadlineMs);
    }
  }

  const propose = async (command: ClusterCommand): Promise<ApplyResult> => {
    // Encoded before anything else, so every proposal made in one turn is proposed in that turn.
    const data = encodeCommand(command);
    const applied = await withLeader((driver) => driver.proposeAnywhere(data));
    await stateMachine.waitApplied(applied.index, limits.proposalTimeoutMs);
    const result = applied.result as ApplyResult;
    assert(typeof result === 'object' && result !== null && typeof result.kind === 'string', 'an applied command answers an ApplyResult');
    return result;
  };

  const raft = (): RaftView => {
    const driver = host.driver;
    if (driver === null) {
      return { role: 'follower', term: lastTerm, leader: null, commit: stateMachine.appliedIndex, applied: stateMachine.appliedIndex };
    }
    const s = driver.status();
    return { role: s.role, term: s.term, leader: s.leader, commit: s.commit, applied: s.applied };
  };

  return {
    peerId: deps.peerId,
    config: deps.config,
    clock: deps.clock,
    rng: deps.rng,
    router: deps.router,
    state: () => stateMachine.state,
    propose,
    syncRead: () => withLeader((driver) => driver.readIndex()),
    node: (nodeId) => deps.nodes.get(stateMachine.state, nodeId),
    /**
     * A node takes searches when it is serving (active or draining) in the committed state and the
     * merged health view (this peer's probes and the others' gossip, freshest
     * observation first) does not say it is down.
     */
    isNodeHealthy: (nodeId) =>
      isServing(stateMachine.state.nodes.get(nodeId)?.state) && deps.health.isRoutable(nodeId, clock.nowMs()),
    nodeHealth: (nodeId) => deps.health.report(nodeId, clock.nowMs()),
    nextSearchCounter: () => searchCounter++,
    raft,
  };
}
