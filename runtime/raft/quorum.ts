// Majority arithmetic over the voters of one configuration (single-server
// changes never need joint quorums, Raft thesis §4.1). Pure functions; a unit
// test checks them against brute force.
import type { PeerId } from './types.ts';

export type VoteResult = 'won' | 'lost' | 'pending';

export function majority(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

/** The largest index that a majority of voters has matched (0 when there are no voters). */
export function committedIndex(voters: readonly PeerId[], progress: ReadonlyMap<PeerId, { match: number }>): number {
  if (voters.length === 0) return 0;
  const matches: number[] = [];
  for (const voter of voters) matches.push(progress.get(voter)?.match ?? 0);
  matches.sort(descending);
  return matches[majority(voters.length) - 1] ?? 0;
}

function descending(a: number, b: number): number {
  return b - a;
}

/** Whether the granted votes win, the refusals make winning impossible, or neither yet. */
export function voteResult(voters: readonly PeerId[], votes: ReadonlyMap<PeerId, boolean>): VoteResult {
  let granted = 0;
  let refused = 0;
  for (const voter of voters) {
    const vote = votes.get(voter);
    if (vote === true) granted++;
    else if (vote === false) refused++;
  }
  const need = majority(voters.length);
  if (granted >= need) return 'won';
  if (refused > voters.length - need) return 'lost';
  return 'pending';
}

/** Whether the peers in `acks` form a majority of `voters`. */
export function hasQuorum(voters: readonly PeerId[], acks: ReadonlySet<PeerId>): boolean {
  const count = voters.filter((v) => acks.has(v)).length;
  return count >= majority(voters.length);
}
