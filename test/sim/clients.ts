// Client helpers for scenarios: propose a command through whoever leads and
// wait, in ticks, until the proposer applied it (the acknowledgement), trying
// again through a new leader when the proposal was lost or refused.
import type { SimCluster } from './cluster.ts';

/** Proposes `command` until acknowledged; returns its index, or null after `maxTicks`. */
export function submit(c: SimCluster, command: string, maxTicks: number): number | null {
  const deadline = c.now + maxTicks;
  while (c.now < deadline) {
    const leader = c.leader();
    const receipt = leader === null ? null : c.propose(leader, command);
    if (receipt === null) {
      c.tick();
      continue;
    }
    const outcome = () => {
      if (c.checker.acked.get(receipt.index)?.command === command) return 'acked';
      const p = c.peers.get(leader!);
      if (p === undefined || !p.alive) return 'unknown';
      const term = p.core.log.term(receipt.index);
      return term !== null && term !== receipt.term ? 'lost' : p.core.role !== 'leader' ? 'unknown' : null;
    };
    c.runUntil(() => outcome() !== null, Math.max(0, Math.min(deadline - c.now, 60)));
    const result = outcome();
    if (result === 'acked') return receipt.index;
    // Unknown outcome: the entry may still commit. Wait a little before trying
    // again, so a duplicate is not proposed while the first one is in flight.
    if (result === 'unknown') {
      c.runUntil(() => c.checker.acked.get(receipt.index)?.command === command, Math.min(deadline - c.now, 30));
      if (c.checker.acked.get(receipt.index)?.command === command) return receipt.index;
    }
  }
  return null;
}

/** The peers that applied an entry whose command is `command`. */
export function appliedBy(c: SimCluster, command: string): string[] {
  return [...c.peers.values()].filter((p) => p.alive && p.app.has(command)).map((p) => p.id);
}
