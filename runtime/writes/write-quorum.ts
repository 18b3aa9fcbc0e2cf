// The `quorum` acknowledgement mode's I/O (ARCHITECTURE §3 step 7): the
// leader learns node enqueue acks from its dispatchers (`enqueued`), and a
// write's edge waits, up to a timeout, until the write's shards reached
// their quorum (quorum.ts) — on the leader itself, or by asking the leader
// over the peer mesh when the write came in through a follower. The answer
// therefore reaches the edge after the acks it counts.
//
// Acks are facts about nodes, kept for the last ACKED_ENTRIES_MAX entries
// whatever the leader's term; a new leader knows none and learns them again
// as its dispatchers replay from the committed cursors. An entry whose
// dispatch record is gone had every target report (each enqueued it), so it
// meets its quorum. A waiter that runs out of time answers the verdict of
// that moment: the write stays committed and is still dispatched.
import type { Clock } from '../env/clock.ts';
import { delay } from '../env/delay.ts';
import { NotLeaderError } from '../errors.ts';
import type { ClusterState } from '../cluster/index.ts';
import { combinedVerdict, quorumVerdict, type QuorumVerdict } from './quorum.ts';

/** The request method a follower's edge asks the leader with. */
export const QUORUM_METHOD = 'miroir.write.quorum';
/** Entries whose acks are kept. */
export const ACKED_ENTRIES_MAX = 65_536;

export interface WriteQuorumDeps {
  clock: Clock;
  state(): Readonly<ClusterState>;
  /** Calls back after every applied entry; returns the unsubscribe function. */
  onApplied(listener: () => void): () => void;
  /** This peer's view of the leader: whether it leads, and who does. */
  leader(): { self: boolean; id: string | null };
  /** How long to wait before asking again when no leader is known. */
  retryMs: number;
  mesh: {
    request(peer: string, method: string, body: Uint8Array, timeoutMs?: number): Promise<Uint8Array>;
    handle(method: string, handler: (from: string, body: Uint8Array) => Promise<Uint8Array> | Uint8Array): () => void;
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class WriteQuorum {
  readonly #d: WriteQuorumDeps;
  readonly #acks = new Map<number, Set<string>>();
  readonly #listeners = new Set<() => void>();
  readonly #unhandle: () => void;

  constructor(deps: WriteQuorumDeps) {
    this.#d = deps;
    this.#unhandle = deps.mesh.handle(QUORUM_METHOD, async (_from, body) => {
      const { logIndex, timeoutMs } = JSON.parse(decoder.decode(body)) as { logIndex: number; timeoutMs: number };
      if (!Number.isSafeInteger(logIndex) || !Number.isSafeInteger(timeoutMs)) throw new Error('malformed quorum request');
      const leader = this.#d.leader();
      if (!leader.self) throw new NotLeaderError(leader.id);
      return encoder.encode(JSON.stringify(await this.#waitHere(logIndex, timeoutMs)));
    });
  }

  /** A dispatcher's report: `nodeId` enqueued (acknowledged with a task) its part of these entries. */
  enqueued(nodeId: string, logIndexes: readonly number[]): void {
    for (const logIndex of logIndexes) {
      let nodes = this.#acks.get(logIndex);
      if (nodes === undefined) {
        nodes = new Set();
        this.#acks.set(logIndex, nodes);
        if (this.#acks.size > ACKED_ENTRIES_MAX) this.#acks.delete(this.#acks.keys().next().value as number);
      }
      nodes.add(nodeId);
    }
    for (const listener of [...this.#listeners]) listener();
  }

  /** Waits up to `timeoutMs` for the quorum of the write at `logIndex`, wherever the leader is. */
  async wait(logIndex: number, timeoutMs: number): Promise<QuorumVerdict> {
    const deadline = this.#d.clock.nowMs() + timeoutMs;
    for (;;) {
      const left = deadline - this.#d.clock.nowMs();
      const leader = this.#d.leader();
      // On the leader the verdict counts the acks already received, even with no time left.
      if (leader.self) return this.#waitHere(logIndex, Math.max(0, left));
      if (left <= 0) return this.#verdict(logIndex, new Set());
      if (leader.id !== null) {
        try {
          const reply = await this.#d.mesh.request(leader.id, QUORUM_METHOD, encoder.encode(JSON.stringify({ logIndex, timeoutMs: left })), left + this.#d.retryMs);
          return JSON.parse(decoder.decode(reply)) as QuorumVerdict;
        } catch (error) {
          // Only what a leader change explains is asked again; anything else is the caller's.
          const code = (error as { code?: string }).code;
          if (!['MIROIR_ERR_NOT_LEADER', 'MIROIR_ERR_PEER_UNAVAILABLE', 'MIROIR_ERR_TIMEOUT', 'MIROIR_ERR_CLOSED'].includes(code ?? '')) throw error;
        }
      }
      await delay(this.#d.clock, Math.min(this.#d.retryMs, Math.max(1, deadline - this.#d.clock.nowMs())));
    }
  }

  /** Waits up to `timeoutMs` for the quorum of every entry of one write (the parts of a split batch: writeEntries). */
  async waitAll(logIndexes: readonly number[], timeoutMs: number): Promise<QuorumVerdict> {
    return combinedVerdict(await Promise.all(logIndexes.map((logIndex) => this.wait(logIndex, timeoutMs))));
  }

  close(): void {
    this.#unhandle();
    this.#listeners.clear();
  }

  #verdict(logIndex: number, acked: ReadonlySet<string>): QuorumVerdict {
    const state = this.#d.state();
    const record = state.dispatch.get(logIndex);
    if (record === undefined) return { met: state.appliedIndex >= logIndex, missingGroups: [] };
    return quorumVerdict(record, acked, state.settings.rf);
  }

  /** On the leader: the verdict once met, or when `timeoutMs` ran out. */
  #waitHere(logIndex: number, timeoutMs: number): Promise<QuorumVerdict> {
    const now = (): QuorumVerdict => this.#verdict(logIndex, this.#acks.get(logIndex) ?? new Set());
    const first = now();
    if (first.met || timeoutMs <= 0) return Promise.resolve(first);
    return new Promise((resolve) => {
      const finish = (): void => {
        this.#d.clock.clearTimeout(timer);
        this.#listeners.delete(check);
        offApplied();
        resolve(now());
      };
      const check = (): void => {
        if (now().met) finish();
      };
      const timer = this.#d.clock.setTimeout(finish, timeoutMs);
      this.#listeners.add(check);
      const offApplied = this.#d.onApplied(check);
    });
  }
}
