// What a leader knows about one follower's log, and how fast it may send to
// it (etcd-raft's Progress). Three states:
//
//   probe      — the leader does not know where the logs match; it sends one
//                append and waits for the answer (or a heartbeat response)
//                before sending another.
//   replicate  — the logs match up to `match`; the leader streams appends
//                optimistically (`next` runs ahead), at most maxInflight
//                messages unacknowledged (pipelining with flow control).
//   snapshot   — the follower needs entries the leader compacted; a snapshot
//                is in flight and nothing else is sent until it is acked.
//
//   probe --ack--> replicate --reject--> probe
//   any --needs compacted entries--> snapshot --ack >= snapshot--> probe --> replicate
//
// Invariant: match < next.
import { assert } from '../assert.ts';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** A bounded window of in-flight append messages, each remembered by its last index. */
export class Inflights {
  private readonly lastIndexes: number[] = [];
  constructor(readonly max: number) {
    assert(max > 0, 'maxInflightMessages must be positive');
  }

  get count(): number {
    return this.lastIndexes.length;
  }

  full(): boolean {
    return this.lastIndexes.length >= this.max;
  }

  add(lastIndex: number): void {
    assert(!this.full(), 'inflights overflow');
    const previous = this.lastIndexes[this.lastIndexes.length - 1];
    assert(previous === undefined || lastIndex > previous, 'inflights grow in index order');
    this.lastIndexes.push(lastIndex);
  }

  /** An ack up to `index` frees every message that ended at or before it. */
  freeLE(index: number): void {
    let n = 0;
    while (n < this.lastIndexes.length && (this.lastIndexes[n] ?? 0) <= index) n++;
    this.lastIndexes.splice(0, n);
  }

  /**
   * Frees the oldest slot. A heartbeat response proves the follower is alive
   * while the window stays full, so appends were probably lost; one more
   * append lets the follower reject it and put the leader back to probing.
   */
  freeFirstOne(): void {
    this.lastIndexes.shift();
  }

  reset(): void {
    this.lastIndexes.length = 0;
  }
}

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** In probe state: an append is out and unanswered. */
  probeSent = false;
  /** In snapshot state: the index of the snapshot sent. */
  pendingSnapshot = 0;
  /** Ticks spent in snapshot state, to retry a snapshot that got lost. */
  snapshotTicks = 0;
  /** Heard from since the last check-quorum round (§6.2, thesis §9.6). */
  recentActive = false;
  readonly inflights: Inflights;

  constructor(
    next: number,
    maxInflight: number,
    public isLearner: boolean,
  ) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  becomeProbe(): void {
    // Coming back from a snapshot, the follower has at least the snapshot.
    const from = this.state === 'snapshot' ? Math.max(this.match, this.pendingSnapshot) : this.match;
    this.reset('probe');
    this.next = from + 1;
  }

  becomeReplicate(): void {
    this.reset('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.reset('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  private reset(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.snapshotTicks = 0;
    this.inflights.reset();
  }

  /** A successful append response up to `index`; false when it is stale. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (index > this.match) {
      this.match = index;
      this.probeSent = false;
      updated = true;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /** Pipelining: assume the append just sent will succeed. */
  optimisticUpdate(lastIndex: number): void {
    this.next = lastIndex + 1;
  }

  /**
   * A rejection of the append whose prevLogIndex was `rejected`; `matchHint`
   * is where the logs may match (fast back-tracking). False when stale.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}
