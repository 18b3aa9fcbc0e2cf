// Simulated key-value clients for the linearizability test. Each client runs
// one operation at a time against some peer: writes are proposed on the peer
// it believes leads and complete when that peer applies them (acknowledged) —
// or are retried when refused or certainly lost, and end with an unknown
// outcome when the peer crashes or the client gives up; reads go through
// ReadIndex on any peer (followers forward to the leader) and complete when
// that peer has applied up to the read point. Times are a logical counter
// bumped at every call and return, so real-time order is exact.
import { NotLeaderError, MiroirError } from '../../../runtime/errors.ts';
import type { KvCommand } from '../apps.ts';
import { KvApp } from '../apps.ts';
import type { SimCluster, SimPeer } from '../cluster.ts';
import type { KvInput, KvOperation } from './kv-model.ts';

const GIVE_UP_TICKS = 40;

type Waiting =
  | { kind: 'write'; peer: string; incarnation: number; index: number; term: number; command: KvCommand }
  | { kind: 'read'; peer: string; incarnation: number; requestId: string; readIndex: number | null };

interface Client {
  id: number;
  op: { input: KvInput; call: number; started: number } | null;
  waiting: Waiting | null;
  target: string;
}

export class KvClients {
  readonly history: KvOperation[] = [];
  private clock = 0;
  private seq = 0;
  private readonly clients: Client[];
  completed = 0;

  constructor(
    private readonly c: SimCluster,
    count: number,
    private readonly keys: readonly string[],
    /** 'local' reads a peer's state machine directly, skipping ReadIndex: a deliberate bug for the negative test. */
    private readonly readMode: 'readIndex' | 'local' = 'readIndex',
  ) {
    this.clients = Array.from({ length: count }, (_, id) => ({ id, op: null, waiting: null, target: c.ids[id % c.ids.length]! }));
    c.applyListeners.push((peer, index, term) => this.onApply(peer, index, term));
    c.readListeners.push((peer, rs) => this.onReadState(peer, rs.requestId, rs.index));
  }

  /** Called once per tick: start new operations, retry refused ones, give up on stuck ones. */
  step(): void {
    for (const client of this.clients) {
      if (client.op === null) this.start(client);
      else if (client.waiting === null) this.attempt(client);
      else if (this.c.now - client.op.started > GIVE_UP_TICKS || !this.sameIncarnation(client.waiting)) this.giveUp(client);
    }
  }

  private start(client: Client): void {
    const rng = this.c.rng;
    const key = this.keys[rng.int(this.keys.length)]!;
    const roll = rng.next();
    const value = `${client.id}.${this.seq++};`;
    const input: KvInput = roll < 0.4 ? { op: 'get', key } : roll < 0.7 ? { op: 'append', key, value } : { op: 'put', key, value };
    client.op = { input, call: ++this.clock, started: this.c.now };
    this.attempt(client);
  }

  private attempt(client: Client): void {
    const op = client.op!;
    const peer = this.c.peer(client.target);
    if (!peer.alive) return this.retarget(client, null);
    try {
      if (op.input.op === 'get') {
        const requestId = `r${this.seq++}`;
        if (this.readMode === 'local') return this.finish(client, (peer.app as KvApp).get(op.input.key));
        client.waiting = { kind: 'read', peer: peer.id, incarnation: peer.incarnation, requestId, readIndex: null };
        peer.core.readIndex(requestId);
      } else {
        const command: KvCommand = { ...op.input, id: `w${this.seq++}` };
        const receipt = peer.core.propose(new TextEncoder().encode(JSON.stringify(command)));
        client.waiting = { kind: 'write', peer: peer.id, incarnation: peer.incarnation, ...receipt, command };
      }
      this.c.processReady(peer);
    } catch (e) {
      if (!(e instanceof MiroirError)) throw e;
      client.waiting = null;
      this.retarget(client, e instanceof NotLeaderError ? e.leaderHint : null);
    }
  }

  private retarget(client: Client, hint: string | null): void {
    client.target = hint ?? this.c.ids[this.c.rng.int(this.c.ids.length)]!;
  }

  private sameIncarnation(w: Waiting): boolean {
    const peer = this.c.peer(w.peer);
    return peer.alive && peer.incarnation === w.incarnation;
  }

  private onApply(peer: SimPeer, index: number, term: number): void {
    for (const client of this.clients) {
      const w = client.waiting;
      if (w === null || w.peer !== peer.id || w.incarnation !== peer.incarnation) continue;
      if (w.kind === 'write' && index === w.index) {
        if (term === w.term) this.finish(client, null);
        else client.waiting = null; // certainly lost: another entry took the index; propose again
      } else if (w.kind === 'read' && w.readIndex !== null && index >= w.readIndex) {
        this.finishRead(client, peer);
      }
    }
  }

  private onReadState(peer: SimPeer, requestId: string, index: number): void {
    const client = this.clients.find((c) => c.waiting?.kind === 'read' && c.waiting.requestId === requestId);
    if (client === undefined || client.waiting?.kind !== 'read' || client.waiting.peer !== peer.id) return;
    client.waiting.readIndex = index;
    if (peer.core.log.applied >= index) this.finishRead(client, peer);
  }

  private finishRead(client: Client, peer: SimPeer): void {
    const key = client.op!.input.key;
    this.finish(client, (peer.app as KvApp).get(key));
  }

  private finish(client: Client, output: string | null): void {
    const op = client.op!;
    this.history.push({ clientId: client.id, input: op.input, output, call: op.call, ret: ++this.clock });
    this.completed++;
    client.op = null;
    client.waiting = null;
  }

  /** A read that never answered is dropped; a write may still happen, so it stays with an unknown outcome. */
  private giveUp(client: Client): void {
    const op = client.op!;
    if (client.waiting?.kind === 'write') {
      this.history.push({ clientId: client.id, input: op.input, output: null, call: op.call, ret: Infinity });
    }
    client.op = null;
    client.waiting = null;
    this.retarget(client, null);
  }
}
