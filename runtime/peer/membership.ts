// Raft membership operations behind the admin API's /_miroir/peers (issue 5
// §3): list the members as the leader sees them, add a peer, remove one, and
// transfer leadership.
//
// - add: `peer.add` records the address in the cluster state first, so every
//   peer's mesh dials the newcomer (runtime/peer/peer.ts); then it joins as a
//   learner, and is promoted to voter once its match index reached the
//   leader's commit index as of when it became a learner (a voter that
//   cannot vote yet would weaken the quorum). Adding a member again is
//   harmless: a learner left behind by a timeout is promoted by the retry.
// - remove: when the leader itself is removed it first hands leadership to the
//   most caught-up other voter and the caller retries on the new leader; the
//   conf change is committed, then `peer.remove` drops the address.
// - transfer: to the named voter, or to the most caught-up one.
//
// Every operation runs on the leader. A follower forwards it over the peer
// mesh (method `membership.op`, one hop, like a forwarded proposal) and looks
// for the leader again on NotLeaderError (an election, or the hand-over of
// a leader removing itself) until limits.leaderWaitMs. `list` falls back to
// this peer's own knowledge when no leader answers, and says so (`source`).
// A refusal the operator must act on comes back as a MembershipRefusal value,
// not an exception, so it crosses the mesh unchanged.
import { Packr } from 'msgpackr';
import { assert, unreachable } from '../assert.ts';
import type { Clock } from '../env/clock.ts';
import { delay } from '../env/delay.ts';
import { ClosedError, MiroirError, NotLeaderError, ProposalDroppedError } from '../errors.ts';
import type { ApplyResult, ClusterCommand, ClusterState } from '../cluster/index.ts';
import type { RaftDriver } from '../raft/driver.ts';
import type { ConfChange, ConfState, PeerId } from '../raft/types.ts';
import type { DriverHost } from './driver-host.ts';

export interface MemberView {
  id: PeerId;
  /** Where the mesh dials it (the cluster state's peer record); null when none is recorded. */
  address: string | null;
  /** `leader`, `follower` (a voter), `learner`, or `none`: an address recorded for a peer that is no member. */
  role: 'leader' | 'follower' | 'learner' | 'none';
  voter: boolean;
  /** The highest log index the leader knows the peer holds; null when not answered by the leader. */
  matchIndex: number | null;
}

export interface MembershipView {
  leader: PeerId | null;
  /** `leader`: the leader's own view; `local`: no leader answered, this peer's replica (no match indexes). */
  source: 'leader' | 'local';
  answeredBy: PeerId;
  results: MemberView[];
}

export type RefusalReason = 'unknown_peer' | 'invalid' | 'in_progress' | 'not_caught_up' | 'transfer_failed';

export interface MembershipRefusal {
  refused: RefusalReason;
  message: string;
}

export type MembershipOp =
  | { op: 'list' }
  | { op: 'add'; id: PeerId; address: string }
  | { op: 'remove'; id: PeerId }
  | { op: 'transfer'; to: PeerId | null };

export type MembershipAnswer = MembershipView | MembershipRefusal;

export function isRefusal(answer: MembershipAnswer): answer is MembershipRefusal {
  return 'refused' in answer;
}

/** The request method a follower forwards an operation with. */
export const MEMBERSHIP_METHOD = 'membership.op';

export interface MembershipTransport {
  request(peer: PeerId, method: string, body: Uint8Array, timeoutMs?: number): Promise<Uint8Array>;
  handle(method: string, handler: (from: PeerId, body: Uint8Array) => Promise<Uint8Array> | Uint8Array): () => void;
}

export interface MembershipDeps {
  peerId: PeerId;
  host: DriverHost;
  mesh: MembershipTransport;
  clock: Clock;
  state(): Readonly<ClusterState>;
  propose(command: ClusterCommand): Promise<ApplyResult>;
  tickMs: number;
  electionMs: number;
  leaderWaitMs: number;
  /** How long a new learner may take to catch up before the add gives up (it stays a learner). */
  catchUpTimeoutMs: number;
}

const packr = new Packr({ useRecords: false, moreTypes: false });

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Validates a forwarded operation before the leader acts on it (STYLE G15); a malformed one is a peer's bug. */
export function decodeOp(raw: unknown): MembershipOp {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  switch (o.op) {
    case 'list': return { op: 'list' };
    case 'add':
      assert(isId(o.id) && isId(o.address), 'a forwarded add names an id and an address');
      return { op: 'add', id: o.id, address: o.address };
    case 'remove':
      assert(isId(o.id), 'a forwarded remove names an id');
      return { op: 'remove', id: o.id };
    case 'transfer':
      assert(o.to === null || isId(o.to), 'a forwarded transfer names a peer or null');
      return { op: 'transfer', to: o.to };
    default:
      assert(false, `unknown forwarded membership operation ${JSON.stringify(o.op)}`);
  }
}

export class PeerMembership {
  readonly #d: MembershipDeps;

  constructor(deps: MembershipDeps) {
    this.#d = deps;
    deps.mesh.handle(MEMBERSHIP_METHOD, async (_from, body) => {
      const driver = this.#d.host.driver;
      if (driver === null) throw new ClosedError('raft driver (restarting)');
      // One hop only: a peer that no longer leads says so, and the caller looks again.
      if (!driver.isLeader) throw new NotLeaderError(driver.leader);
      return packr.pack(await this.#onLeader(driver, decodeOp(packr.unpack(body))));
    });
  }

  /** Runs `op` on the leader, wherever it is; `list` answers locally when no leader can. */
  async run(op: MembershipOp): Promise<MembershipAnswer> {
    const deadlineMs = this.#d.clock.nowMs() + this.#d.leaderWaitMs;
    for (;;) {
      try {
        return await this.#once(op);
      } catch (error) {
        const retriable = error instanceof NotLeaderError || error instanceof ClosedError;
        if (!retriable || this.#d.clock.nowMs() >= deadlineMs) {
          // A listing still answers, from this peer's knowledge, when the leader cannot (an operating error only).
          if (op.op === 'list' && error instanceof MiroirError) return this.#localView();
          throw error;
        }
      }
      await delay(this.#d.clock, Math.max(1, Math.ceil(this.#d.electionMs / 4)));
    }
  }

  async #once(op: MembershipOp): Promise<MembershipAnswer> {
    const driver = this.#d.host.driver;
    if (driver === null) throw new ClosedError('raft driver (restarting)');
    if (driver.isLeader) return this.#onLeader(driver, op);
    if (driver.leader === null) throw new NotLeaderError(null);
    const timeoutMs = this.#d.catchUpTimeoutMs + 2 * this.#d.leaderWaitMs;
    const reply = await this.#d.mesh.request(driver.leader, MEMBERSHIP_METHOD, packr.pack(op), timeoutMs);
    const answer = packr.unpack(reply) as MembershipAnswer;
    assert(typeof answer === 'object' && answer !== null, 'a membership operation answers an object');
    return answer;
  }

  #onLeader(driver: RaftDriver, op: MembershipOp): Promise<MembershipAnswer> {
    switch (op.op) {
      case 'list': return Promise.resolve(this.#leaderView(driver));
      case 'add': return this.#add(driver, op.id, op.address);
      case 'remove': return this.#remove(driver, op.id);
      case 'transfer': return this.#transfer(driver, op.to);
      default: return unreachable(op);
    }
  }

  #leaderView(driver: RaftDriver): MembershipView {
    return this.#view(driver.status().confState, driver.leader, 'leader', (peer) => driver.progressOf(peer)?.match ?? null);
  }

  #localView(): MembershipView {
    const driver = this.#d.host.driver;
    const conf = driver?.status().confState ?? { voters: [], learners: [] };
    return this.#view(conf, driver?.leader ?? null, 'local', () => null);
  }

  #view(conf: ConfState, leader: PeerId | null, source: MembershipView['source'], match: (peer: PeerId) => number | null): MembershipView {
    const peers = this.#d.state().peers;
    const ids = [...new Set([...conf.voters, ...conf.learners, ...peers.keys()])].sort();
    const results = ids.map((id): MemberView => {
      const voter = conf.voters.includes(id);
      const role = id === leader ? 'leader' : voter ? 'follower' : conf.learners.includes(id) ? 'learner' : 'none';
      return { id, address: peers.get(id)?.address ?? null, role, voter, matchIndex: role === 'none' ? null : match(id) };
    });
    return { leader, source, answeredBy: this.#d.peerId, results };
  }

  async #add(driver: RaftDriver, id: PeerId, address: string): Promise<MembershipAnswer> {
    if (id === this.#d.peerId) return { refused: 'invalid', message: `Peer \`${id}\` is the leader, already a voter.` };
    if (this.#d.state().peers.get(id)?.address !== address) {
      await this.#d.propose({ v: 1, kind: 'peer.add', id, address });
    }
    let conf = driver.status().confState;
    if (conf.voters.includes(id)) return this.#leaderView(driver);
    if (!conf.learners.includes(id)) {
      const refused = await this.#confChange(driver, { kind: 'addLearner', peer: id });
      if (refused !== null) return refused;
    }
    const target = driver.status().commit;
    const deadlineMs = this.#d.clock.nowMs() + this.#d.catchUpTimeoutMs;
    while ((driver.progressOf(id)?.match ?? 0) < target) {
      if (!driver.isLeader) throw new NotLeaderError(driver.leader);
      if (this.#d.clock.nowMs() >= deadlineMs) {
        return {
          refused: 'not_caught_up',
          message: `Peer \`${id}\` was added as a learner but its log did not reach index ${target} within ${this.#d.catchUpTimeoutMs} ms (it holds ${driver.progressOf(id)?.match ?? 0}); it stays a learner: check that it runs and is reachable at ${address}, then add it again to promote it.`,
        };
      }
      await delay(this.#d.clock, this.#d.tickMs);
    }
    conf = driver.status().confState;
    if (!conf.voters.includes(id)) {
      const refused = await this.#confChange(driver, { kind: 'addVoter', peer: id });
      if (refused !== null) return refused;
    }
    return this.#leaderView(driver);
  }

  async #remove(driver: RaftDriver, id: PeerId): Promise<MembershipAnswer> {
    const conf = driver.status().confState;
    const member = conf.voters.includes(id) || conf.learners.includes(id);
    if (!member && !this.#d.state().peers.has(id)) return { refused: 'unknown_peer', message: `Peer \`${id}\` not found.` };
    if (member) {
      if (conf.voters.length === 1 && conf.voters[0] === id) return { refused: 'invalid', message: `Peer \`${id}\` is the last voter; it cannot be removed.` };
      if (id === this.#d.peerId) {
        // The leader leaves last: hand over, then the caller finds the new leader and retries there.
        const handedOver = await this.#transfer(driver, null);
        if (isRefusal(handedOver)) return handedOver;
        throw new NotLeaderError(handedOver.leader);
      }
      const refused = await this.#confChange(driver, { kind: 'removePeer', peer: id });
      if (refused !== null) return refused;
    }
    if (this.#d.state().peers.has(id)) await this.#d.propose({ v: 1, kind: 'peer.remove', id });
    return this.#leaderView(driver);
  }

  async #transfer(driver: RaftDriver, to: PeerId | null): Promise<MembershipAnswer> {
    const conf = driver.status().confState;
    const target = to ?? this.#bestOtherVoter(driver, conf);
    if (target === null) return { refused: 'invalid', message: 'There is no other voter to transfer the leadership to.' };
    if (!conf.voters.includes(target)) {
      if (conf.learners.includes(target)) return { refused: 'invalid', message: `Peer \`${target}\` is a learner; only a voter can lead.` };
      return { refused: 'unknown_peer', message: `Peer \`${target}\` not found among the voters (${conf.voters.join(', ')}).` };
    }
    if (target === this.#d.peerId) return this.#leaderView(driver);
    driver.transferLeadership(target);
    // The core abandons a transfer after an election timeout; allow two, on a loaded machine.
    const deadlineMs = this.#d.clock.nowMs() + 2 * this.#d.electionMs;
    while (driver.leader !== target) {
      if (this.#d.clock.nowMs() >= deadlineMs) {
        return { refused: 'transfer_failed', message: `Peer \`${target}\` did not take the leadership over within ${2 * this.#d.electionMs} ms; the leader is ${driver.leader ?? 'unknown'}.` };
      }
      await delay(this.#d.clock, this.#d.tickMs);
    }
    return this.#view(driver.status().confState, target, 'local', () => null);
  }

  /** The voter other than this leader whose log is furthest along; null when it is the only voter. */
  #bestOtherVoter(driver: RaftDriver, conf: ConfState): PeerId | null {
    let best: PeerId | null = null;
    let bestMatch = -1;
    for (const voter of conf.voters) {
      if (voter === this.#d.peerId) continue;
      const match = driver.progressOf(voter)?.match ?? 0;
      if (match > bestMatch) [best, bestMatch] = [voter, match];
    }
    return best;
  }

  /**
   * Commits one change; the core refuses a second change while one is
   * unapplied, and any change while leadership is being transferred
   * (ProposalDroppedError): the operator retries once it settled.
   */
  async #confChange(driver: RaftDriver, change: ConfChange): Promise<MembershipRefusal | null> {
    try {
      await driver.proposeConfChange(change);
      return null;
    } catch (error) {
      if (!(error instanceof ProposalDroppedError)) throw error;
      return { refused: 'in_progress', message: `The membership change (${change.kind} ${change.peer}) was refused: ${error.message}; retry once it settled.` };
    }
  }
}
