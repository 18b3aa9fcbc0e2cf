// Linearizable reads without writing to the log (ReadIndex, Raft thesis §6.4).
// The leader records its commit index as the read point of a request, then
// proves it is still the leader with a heartbeat round carrying the request's
// context; once a majority of voters answered that round (or a later one),
// the request and every request queued before it are safe to serve at their
// read point. Requests are answered in arrival order.
import { assert } from '../assert.ts';
import type { PeerId } from './types.ts';

export interface ReadRequest {
  requestId: string;
  /** Who asked: the leader itself or a follower that forwarded the request. */
  from: PeerId;
  /** The leader's commit index when the request arrived. */
  index: number;
  readonly acks: Set<PeerId>;
}

export class ReadOnly {
  private readonly queue: ReadRequest[] = [];
  private readonly byContext = new Map<string, ReadRequest>();

  constructor(readonly maxPending: number) {}

  static context(from: PeerId, requestId: string): string {
    return `${from}/${requestId}`;
  }

  get size(): number {
    return this.queue.length;
  }

  full(): boolean {
    return this.queue.length >= this.maxPending;
  }

  /** Queues a request; false when the same request is already queued (a retry). */
  add(request: ReadRequest): boolean {
    const context = ReadOnly.context(request.from, request.requestId);
    if (this.byContext.has(context)) return false;
    assert(!this.full(), 'read-only queue overflow');
    this.queue.push(request);
    this.byContext.set(context, request);
    return true;
  }

  /** Records that `peer` answered the heartbeat round of `context`; returns who acked so far. */
  recvAck(peer: PeerId, context: string): ReadonlySet<PeerId> | null {
    const request = this.byContext.get(context);
    if (request === undefined) return null;
    request.acks.add(peer);
    return request.acks;
  }

  /** Removes and returns the request of `context` and every request queued before it. */
  advance(context: string): ReadRequest[] {
    const at = this.queue.findIndex((r) => ReadOnly.context(r.from, r.requestId) === context);
    if (at < 0) return [];
    const done = this.queue.splice(0, at + 1);
    for (const r of done) this.byContext.delete(ReadOnly.context(r.from, r.requestId));
    return done;
  }

  /** The newest request's context: a heartbeat carrying it confirms every older one too. */
  lastContext(): string | null {
    const last = this.queue[this.queue.length - 1];
    return last === undefined ? null : ReadOnly.context(last.from, last.requestId);
  }

  reset(): void {
    this.queue.length = 0;
    this.byContext.clear();
  }
}
