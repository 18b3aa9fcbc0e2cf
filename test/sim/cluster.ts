// The simulated cluster (STYLE G6): N Raft cores, each with a MemoryLogStore
// and a state machine, on a SimNetwork, all driven by one seed. It plays the
// driver's part exactly as the contract says — persist a Ready, then send its
// messages, then apply, then advance — and runs the safety checkers after
// every delivery. Peers crash (losing unsynced writes and in-flight
// messages) and restart from what their store kept.
import { assert } from '../../runtime/assert.ts';
import type { Rng } from '../../runtime/env/clock.ts';
import { seededRng } from '../../runtime/env/rng.ts';
import { MiroirError } from '../../runtime/errors.ts';
import { RaftCore } from '../../runtime/raft/core.ts';
import type { ConfChange, ConfState, PeerId, ProposalReceipt, RaftConfig, ReadState } from '../../runtime/raft/types.ts';
import { ListApp, type SimApp } from './apps.ts';
import { SafetyChecker } from './checkers.ts';
import { MemoryLogStore } from './memory-log-store.ts';
import { SimNetwork, reliable, type LinkFaults } from './network.ts';
import { SimClock } from './sim-clock.ts';

export interface ClusterOptions {
  seed: number;
  peers: number;
  raft?: Partial<RaftConfig>;
  faults?: LinkFaults;
  /** Compact a peer's log once this many applied entries follow its snapshot; null: never. */
  compactAfter?: number | null;
  app?: () => SimApp;
}

export interface SimPeer {
  readonly id: PeerId;
  core: RaftCore;
  readonly store: MemoryLogStore;
  app: SimApp;
  alive: boolean;
  incarnation: number;
}

type ApplyListener = (peer: SimPeer, index: number, term: number) => void;
type ReadListener = (peer: SimPeer, state: ReadState) => void;

export function defaultRaftConfig(id: PeerId): RaftConfig {
  return {
    id,
    electionTicks: 10,
    heartbeatTicks: 2,
    maxSizePerMsgBytes: 4096,
    maxInflightMessages: 8,
    maxUncommittedEntries: 10_000,
    checkQuorum: true,
    preVote: true,
  };
}

/** Mixes the run seed with a label so every consumer of randomness has its own stream. */
export function subSeed(seed: number, label: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class SimCluster {
  readonly seed: number;
  /** The scenario's own decisions (whom to crash, when, what to propose). */
  readonly rng: Rng;
  readonly network: SimNetwork;
  readonly checker = new SafetyChecker();
  readonly peers = new Map<PeerId, SimPeer>();
  readonly clock = new SimClock();
  private readonly crashRng: Rng;
  private readonly bootstrap: ConfState;
  private readonly options: ClusterOptions;
  private readonly proposals = new Map<string, { peer: PeerId; command: string }>();
  readonly applyListeners: ApplyListener[] = [];
  readonly readListeners: ReadListener[] = [];

  constructor(options: ClusterOptions) {
    this.options = options;
    this.seed = options.seed;
    this.rng = seededRng(subSeed(options.seed, 'scenario'));
    this.crashRng = seededRng(subSeed(options.seed, 'crash'));
    this.network = new SimNetwork(seededRng(subSeed(options.seed, 'network')), options.faults ?? reliable);
    const ids = Array.from({ length: options.peers }, (_, i) => String(i + 1));
    this.bootstrap = { voters: ids, learners: [] };
    for (const id of ids) this.addPeer(id);
  }

  get ids(): PeerId[] {
    return [...this.peers.keys()];
  }

  /**
   * Starts a peer with an empty store. A peer joining later is bootstrapped
   * with the founders' membership, because it replays every membership change
   * from index 1 (unless the leader sends it a snapshot, which carries the
   * membership); it is not a member until a change adds it.
   */
  addPeer(id: PeerId, bootstrap: ConfState = this.bootstrap): SimPeer {
    assert(!this.peers.has(id), `peer ${id} exists`);
    const store = new MemoryLogStore(bootstrap);
    const peer: SimPeer = { id, store, alive: true, incarnation: 0, app: this.newApp(), core: this.newCore(id, store, 0) };
    this.peers.set(id, peer);
    return peer;
  }

  peer(id: PeerId): SimPeer {
    const p = this.peers.get(id);
    assert(p !== undefined, `no peer ${id}`);
    return p;
  }

  private newApp(): SimApp {
    return this.options.app?.() ?? new ListApp();
  }

  private newCore(id: PeerId, store: MemoryLogStore, incarnation: number): RaftCore {
    const config = { ...defaultRaftConfig(id), ...this.options.raft, id };
    return new RaftCore(config, store.loadSync(), seededRng(subSeed(this.seed, `core-${id}-${incarnation}`)));
  }

  // ---- time ----

  /** The simulated time, in ticks. */
  get now(): number {
    return this.clock.ticks;
  }

  tick(): void {
    this.clock.tick();
    for (const peer of this.peers.values()) {
      if (!peer.alive) continue;
      peer.core.tick();
      this.processReady(peer);
    }
    this.deliverDue();
  }

  runTicks(n: number): void {
    for (let i = 0; i < n; i++) this.tick();
  }

  /** Ticks until `done` holds; false when `maxTicks` ran out first. */
  runUntil(done: () => boolean, maxTicks: number): boolean {
    for (let i = 0; i < maxTicks; i++) {
      if (done()) return true;
      this.tick();
    }
    return done();
  }

  deliverDue(): void {
    for (let m = this.network.next(this.now); m !== null; m = this.network.next(this.now)) {
      const peer = this.peers.get(m.to);
      if (peer === undefined || !peer.alive) continue;
      peer.core.step(m);
      this.processReady(peer);
      this.checker.checkLeaders(this.aliveCores());
    }
  }

  // ---- the driver's part ----

  processReady(peer: SimPeer): void {
    while (peer.core.hasReady()) {
      const rd = peer.core.ready();
      peer.store.saveSync({ hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot, sync: rd.mustSync });
      for (const m of rd.messages) this.network.send(this.now, m);
      if (rd.snapshot !== null) {
        this.checker.onSnapshot(peer.id, rd.snapshot.meta.index, rd.snapshot.meta.term);
        peer.app.restore(rd.snapshot.data);
      }
      for (const entry of rd.committed) {
        this.checker.onApply(peer.id, entry);
        peer.app.apply(entry);
        this.noteApplied(peer, entry.index, entry.term);
      }
      peer.core.advance(rd);
      for (const rs of rd.readStates) for (const l of this.readListeners) l(peer, rs);
      this.maybeCompact(peer);
    }
  }

  private noteApplied(peer: SimPeer, index: number, term: number): void {
    const key = `${index}/${term}`;
    const proposal = this.proposals.get(key);
    if (proposal !== undefined && proposal.peer === peer.id) {
      this.checker.ack(index, term, proposal.command);
      this.proposals.delete(key);
    }
    for (const l of this.applyListeners) l(peer, index, term);
  }

  private maybeCompact(peer: SimPeer): void {
    const every = this.options.compactAfter ?? null;
    const log = peer.core.log;
    if (every === null || log.applied - log.snapshotIndex < every || log.applied > log.stableIndex) return;
    const snapshot = peer.core.compact(log.applied, peer.app.snapshot());
    peer.store.saveSync({ hardState: null, entries: [], snapshot, sync: true });
  }

  // ---- clients ----

  /** Proposes on `id`; null when it refused (not leader, bound hit, transfer). */
  propose(id: PeerId, command: string): ProposalReceipt | null {
    const peer = this.peer(id);
    if (!peer.alive) return null;
    try {
      const receipt = peer.core.propose(new TextEncoder().encode(command));
      this.proposals.set(`${receipt.index}/${receipt.term}`, { peer: id, command });
      this.processReady(peer);
      this.deliverDue();
      return receipt;
    } catch (e) {
      if (e instanceof MiroirError) return null;
      throw e;
    }
  }

  proposeConfChange(id: PeerId, change: ConfChange): ProposalReceipt | null {
    const peer = this.peer(id);
    if (!peer.alive) return null;
    try {
      const receipt = peer.core.proposeConfChange(change);
      this.processReady(peer);
      return receipt;
    } catch (e) {
      if (e instanceof MiroirError) return null;
      throw e;
    }
  }

  // ---- faults ----

  crash(id: PeerId): void {
    const peer = this.peer(id);
    assert(peer.alive, `${id} is already down`);
    peer.alive = false;
    peer.store.crash(this.crashRng);
    this.network.dropFor(id);
  }

  restart(id: PeerId): void {
    const peer = this.peer(id);
    assert(!peer.alive, `${id} is up`);
    peer.incarnation++;
    peer.core = this.newCore(id, peer.store, peer.incarnation);
    peer.app = this.newApp();
    const snapshot = peer.store.loadSync().snapshot;
    if (snapshot !== null) peer.app.restore(snapshot.data);
    peer.alive = true;
  }

  // ---- observation ----

  aliveCores(): RaftCore[] {
    return [...this.peers.values()].filter((p) => p.alive).map((p) => p.core);
  }

  /** The alive leader of the highest term, if any. */
  leader(): PeerId | null {
    let best: RaftCore | null = null;
    for (const core of this.aliveCores()) {
      if (core.role === 'leader' && (best === null || core.term > best.term)) best = core;
    }
    return best?.id ?? null;
  }

  /** Whether a leader leads every alive member and they all applied its whole log. */
  converged(): boolean {
    const id = this.leader();
    if (id === null) return false;
    const leader = this.peer(id).core;
    const members = [...leader.conf.voters, ...leader.conf.learners];
    return members.every((m) => {
      const p = this.peers.get(m);
      if (p === undefined || !p.alive) return true;
      const s = p.core.status();
      return s.leader === id && s.term === leader.term && s.applied === leader.log.lastIndex();
    });
  }

  /**
   * The liveness phase: heal the network, restart everyone but `keepDown` (a
   * minority that stays crashed), and require convergence within `maxTicks`.
   */
  heal(maxTicks: number, keepDown: readonly PeerId[] = []): void {
    this.network.heal();
    this.network.faults = reliable;
    for (const p of this.peers.values()) {
      if (keepDown.includes(p.id) && p.alive) this.crash(p.id);
      else if (!keepDown.includes(p.id) && !p.alive) this.restart(p.id);
    }
    const ok = this.runUntil(() => this.converged(), maxTicks);
    assert(ok, `no convergence within ${maxTicks} ticks after healing (leader ${this.leader()})`);
    this.checkConvergedState();
  }

  /** Every member applied the same commands, and every acknowledged write among them. */
  checkConvergedState(): void {
    const leader = this.peer(this.leader() ?? '');
    const members = [...leader.core.conf.voters, ...leader.core.conf.learners].filter((m) => this.peers.get(m)?.alive);
    for (const m of members) {
      const p = this.peer(m);
      assert(p.app.digest() === leader.app.digest(), `${m} applied different commands than leader ${leader.id}`);
    }
    for (const [index, { command }] of this.checker.acked) {
      assert(leader.app.has(command), `acknowledged write at ${index} (${command}) was lost`);
    }
  }

}
