// Safety checkers run by the simulator after every delivery (STYLE G6):
// election safety (at most one leader per term, §5.2), state machine safety
// (every peer applies the same entry at each index, §5.4.3), leader
// completeness (a new leader holds every committed entry, §5.4), and no
// acknowledged write lost (an acknowledged entry stays the committed entry at
// its index, and after the liveness phase every converged peer has applied it).
import assert from 'node:assert/strict';
import type { RaftCore } from '../../runtime/raft/core.ts';
import type { Entry, PeerId } from '../../runtime/raft/types.ts';

function describePayload(entry: Entry): string {
  const p = entry.payload;
  return p.kind === 'command' ? `c:${Buffer.from(p.data).toString('hex')}` : `conf:${JSON.stringify(p.change)}`;
}

export class SafetyChecker {
  private readonly leaderByTerm = new Map<number, PeerId>();
  /** The committed log as first applied by any peer: index → term and payload. */
  private readonly committed = new Map<number, { term: number; payload: string }>();
  private maxCommitted = 0;
  readonly acked = new Map<number, { term: number; command: string }>();
  checks = 0;

  /** §5.2 Election Safety, and §5.4 Leader Completeness for a newly seen leader. */
  checkLeaders(cores: Iterable<RaftCore>): void {
    this.checks++;
    for (const core of cores) {
      if (core.role !== 'leader') continue;
      const known = this.leaderByTerm.get(core.term);
      if (known === core.id) continue;
      assert.equal(known, undefined, `two leaders in term ${core.term}: ${known} and ${core.id}`);
      this.leaderByTerm.set(core.term, core.id);
      this.checkLeaderCompleteness(core);
    }
  }

  private checkLeaderCompleteness(core: RaftCore): void {
    for (let i = core.log.firstIndex(); i <= this.maxCommitted; i++) {
      const want = this.committed.get(i);
      if (want === undefined) continue;
      assert.equal(core.log.term(i), want.term, `new leader ${core.id} (term ${core.term}) lacks committed entry ${i}`);
    }
  }

  /** §5.4.3 State Machine Safety: every peer applies the same entry at each index. */
  onApply(peer: PeerId, entry: Entry): void {
    const payload = describePayload(entry);
    const known = this.committed.get(entry.index);
    if (known === undefined) {
      this.committed.set(entry.index, { term: entry.term, payload });
      this.maxCommitted = Math.max(this.maxCommitted, entry.index);
      return;
    }
    assert.equal(entry.term, known.term, `${peer} applied term ${entry.term} at ${entry.index}, others term ${known.term}`);
    assert.equal(payload, known.payload, `${peer} applied a different entry at ${entry.index}`);
  }

  /** A snapshot must agree with what was committed at its index. */
  onSnapshot(peer: PeerId, index: number, term: number): void {
    const known = this.committed.get(index);
    if (known !== undefined) assert.equal(term, known.term, `${peer} installed a snapshot of term ${term} at ${index}`);
  }

  /** The proposer saw its entry applied: the write is acknowledged to the client. */
  ack(index: number, term: number, command: string): void {
    const known = this.committed.get(index);
    assert.ok(known !== undefined && known.term === term, `acknowledged ${index}/${term} is not the committed entry`);
    this.acked.set(index, { term, command });
  }

  get leadersSeen(): number {
    return this.leaderByTerm.size;
  }

  get committedCount(): number {
    return this.maxCommitted;
  }
}
