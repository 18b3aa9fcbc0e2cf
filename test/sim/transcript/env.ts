// The world a transcript script acts on (STYLE G7): peers with in-memory
// stores and a mailbox of sent-but-undelivered messages, stepped one command
// at a time so a script shows every Ready and every message. Partitions drop
// messages at delivery. Output is built only from the describe* formatters.
import { RaftCore } from '../../../runtime/raft/core.ts';
import { describeMessage, describeReady } from '../../../runtime/raft/describe.ts';
import type { ConfState, PeerId, RaftConfig, RaftMessage } from '../../../runtime/raft/types.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { MemoryLogStore } from '../memory-log-store.ts';
import { defaultRaftConfig, subSeed } from '../cluster.ts';

export interface TranscriptPeer {
  id: PeerId;
  core: RaftCore;
  store: MemoryLogStore;
  alive: boolean;
  incarnation: number;
  config: RaftConfig;
}

export class TranscriptEnv {
  readonly peers = new Map<PeerId, TranscriptPeer>();
  mailbox: RaftMessage[] = [];
  private group = new Map<PeerId, number>();
  bootstrap: ConfState = { voters: [], learners: [] };

  addPeers(count: number, overrides: Partial<RaftConfig>): void {
    const ids = Array.from({ length: count }, (_, i) => String(this.peers.size + i + 1));
    this.bootstrap = { voters: [...this.bootstrap.voters, ...ids], learners: [] };
    for (const id of ids) this.addPeer(id, overrides);
  }

  addPeer(id: PeerId, overrides: Partial<RaftConfig>): void {
    const store = new MemoryLogStore(this.bootstrap);
    const config = { ...defaultRaftConfig(id), heartbeatTicks: 1, ...overrides, id };
    const peer: TranscriptPeer = { id, store, alive: true, incarnation: 0, config, core: this.newCore(config, store, 0) };
    this.peers.set(id, peer);
  }

  private newCore(config: RaftConfig, store: MemoryLogStore, incarnation: number): RaftCore {
    return new RaftCore(config, store.loadSync(), seededRng(subSeed(1, `${config.id}-${incarnation}`)));
  }

  peer(id: PeerId): TranscriptPeer {
    const p = this.peers.get(id);
    if (p === undefined) throw new Error(`no peer ${id}`);
    return p;
  }

  /** Persists, queues messages, applies and advances one Ready; returns its description. */
  processReady(peer: TranscriptPeer): string | null {
    if (!peer.alive || !peer.core.hasReady()) return null;
    const rd = peer.core.ready();
    peer.store.saveSync({ hardState: rd.hardState, entries: rd.entries, snapshot: rd.snapshot, sync: rd.mustSync });
    this.mailbox.push(...rd.messages);
    peer.core.advance(rd);
    return describeReady(rd);
  }

  /** Delivers queued messages addressed to `to` (all peers when empty); `drop` peers lose theirs. */
  deliver(to: readonly PeerId[], drop: readonly PeerId[]): string[] {
    const lines: string[] = [];
    const keep: RaftMessage[] = [];
    const due: RaftMessage[] = [];
    for (const m of this.mailbox) (to.length === 0 || to.includes(m.to) || drop.includes(m.to) ? due : keep).push(m);
    this.mailbox = keep;
    for (const m of due) {
      const recipient = this.peers.get(m.to);
      if (drop.includes(m.to) || recipient === undefined || !recipient.alive || !this.connected(m.from, m.to)) {
        lines.push(`dropped: ${describeMessage(m)}`);
        continue;
      }
      lines.push(describeMessage(m));
      recipient.core.step(m);
    }
    return lines;
  }

  partition(groups: PeerId[][]): void {
    this.group = new Map();
    groups.forEach((g, i) => g.forEach((p) => this.group.set(p, i)));
  }

  heal(): void {
    this.group = new Map();
  }

  private connected(a: PeerId, b: PeerId): boolean {
    return (this.group.get(a) ?? -1) === (this.group.get(b) ?? -1);
  }

  crash(id: PeerId): void {
    const peer = this.peer(id);
    peer.alive = false;
    // Everything a resolved save wrote survives; the transcript crash keeps unsynced writes too.
    this.mailbox = this.mailbox.filter((m) => m.to !== id);
  }

  restart(id: PeerId): void {
    const peer = this.peer(id);
    peer.incarnation++;
    peer.core = this.newCore(peer.config, peer.store, peer.incarnation);
    peer.alive = true;
  }
}
