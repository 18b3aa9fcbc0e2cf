// Goal: every feature at once stays safe and live — elections, replication,
// crashes, partitions, lossy links, compaction and snapshots, membership
// changes, leadership transfer and ReadIndex reads — in the spirit of
// TigerBeetle's VOPR (STYLE G6). Method: per seed, a random mix of faults and
// operations for a few hundred ticks with the safety checkers after every
// delivery (safety phase), then healing all but the removed peers, which
// must converge (liveness phase); the clients' history must be linearizable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfChange } from '../../runtime/raft/types.ts';
import { KvApp } from './apps.ts';
import { SimCluster } from './cluster.ts';
import { checkOperations } from './linearizability/checker.ts';
import { KvClients } from './linearizability/kv-clients.ts';
import { kvModel } from './linearizability/kv-model.ts';
import { forEachSeed, range } from './seeds.ts';

const SAFETY_TICKS = 600;

class Vopr {
  readonly c: SimCluster;
  readonly clients: KvClients;
  /** Removals proposed; a peer moves to `removed` once a leader applied its removal. */
  private readonly removing: string[] = [];
  readonly removed: string[] = [];
  private nextId = 6;
  stats = { crashes: 0, partitions: 0, transfers: 0, confChanges: 0 };

  constructor(seed: number) {
    const pick = seededPick(seed);
    const raft = { preVote: pick([true, false]), checkQuorum: pick([true, false]) };
    this.c = new SimCluster({ seed, peers: 5, raft, app: () => new KvApp(), compactAfter: pick([5, 12, 30]), faults: { dropRate: pick([0, 0.02, 0.1]), duplicateRate: pick([0, 0.05]), maxDelayTicks: pick([0, 1, 4]) } });
    this.clients = new KvClients(this.c, 4, ['a', 'b']);
  }

  private random<T>(list: readonly T[]): T | undefined {
    return list[this.c.rng.int(list.length)];
  }

  private live(): string[] {
    return this.c.ids.filter((id) => this.c.peer(id).alive && !this.removed.includes(id));
  }

  step(): void {
    const c = this.c;
    const roll = c.rng.next();
    const id = this.random(this.live());
    const dead = c.ids.filter((p) => !c.peer(p).alive && !this.removed.includes(p));
    if (roll < 0.01 && id !== undefined) {
      c.crash(id);
      this.stats.crashes++;
    } else if (roll < 0.05 && dead.length > 0) c.restart(this.random(dead)!);
    else if (roll < 0.06) {
      c.network.partition([c.ids.filter(() => c.rng.next() < 0.5)]);
      this.stats.partitions++;
    } else if (roll < 0.09) c.network.heal();
    else if (roll < 0.093) this.degradeLink();
    else if (roll < 0.095) this.transfer();
    else if (roll < 0.105) this.changeMembership();
  }

  /** One direction of one link turns bad (asymmetric faults) until the next heal. */
  private degradeLink(): void {
    const from = this.random(this.c.ids);
    const to = this.random(this.c.ids);
    if (from === undefined || to === undefined || from === to) return;
    const rng = this.c.rng;
    this.c.network.setLink(from, to, { dropRate: rng.next() * 0.8, duplicateRate: rng.next() * 0.3, maxDelayTicks: rng.int(8) });
  }

  private transfer(): void {
    const leader = this.c.leader();
    if (leader === null) return;
    const core = this.c.peer(leader).core;
    const to = this.random(core.conf.voters.filter((v) => v !== leader));
    if (to === undefined) return;
    core.transferLeadership(to);
    this.c.processReady(this.c.peer(leader));
    this.stats.transfers++;
  }

  /** Adds a new learner, promotes a learner that caught up, or removes a voter (keeping at least three). */
  private changeMembership(): void {
    const leader = this.c.leader();
    if (leader === null) return;
    const core = this.c.peer(leader).core;
    const learner = core.conf.learners.find((l) => (core.progressOf(l)?.match ?? 0) >= core.log.committed);
    let change: ConfChange | null = null;
    if (learner !== undefined) change = { kind: 'addVoter', peer: learner };
    else if (this.c.rng.next() < 0.5 && core.conf.voters.length > 3) {
      const victim = this.random(core.conf.voters);
      if (victim !== undefined) change = { kind: 'removePeer', peer: victim };
    } else if (this.c.ids.length < 9) {
      const id = String(this.nextId++);
      this.c.addPeer(id);
      change = { kind: 'addLearner', peer: id };
    }
    if (change === null || this.c.proposeConfChange(leader, change) === null) return;
    this.stats.confChanges++;
    // A removed peer is shut down for good once the change applies, as a real
    // deployment stops removed members; ids are never reused.
    if (change.kind === 'removePeer') this.removing.push(change.peer);
  }

  /** Peers whose removal a leader applied are stopped for good. */
  retireRemoved(): void {
    const leader = this.c.leader();
    if (leader === null) return;
    const conf = this.c.peer(leader).core.conf;
    for (const id of [...this.removing]) {
      if (conf.voters.includes(id) || conf.learners.includes(id)) continue;
      this.removing.splice(this.removing.indexOf(id), 1);
      this.removed.push(id);
      if (this.c.peer(id).alive) this.c.crash(id);
    }
  }
}

function seededPick(seed: number): <T>(list: readonly T[]) => T {
  let i = seed;
  return (list) => list[(i = (i * 1103515245 + 12345) >>> 0) % list.length]!;
}

test('VOPR: random faults, membership changes, transfers, compaction and reads — safe, live and linearizable', () => {
  forEachSeed(range(8), (seed) => {
    const v = new Vopr(seed);
    for (let t = 0; t < SAFETY_TICKS; t++) {
      v.step();
      v.clients.step();
      v.c.tick();
      v.retireRemoved();
    }
    // Only removals a leader applied keep their peer down; the rest heal.
    v.c.heal(1500, v.removed);
    for (let t = 0; t < 100; t++) {
      v.clients.step();
      v.c.tick();
    }
    const verdict = checkOperations(kvModel, v.clients.history);
    assert.equal(verdict, 'ok', `history of ${v.clients.history.length} operations is ${verdict}`);
    assert.ok(v.clients.completed > 30, `only ${v.clients.completed} operations completed (${JSON.stringify(v.stats)})`);
  });
});
