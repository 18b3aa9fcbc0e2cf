// A ranking rule's verdict on one document, `rank` out of `maxRank` (1 worst,
// maxRank best), and milli's `Rank::merge`, which folds the ranks of all rules
// into one mixed-radix number whose ratio is `_rankingScore`.
// Invariant: 0 < rank <= maxRank for every rule that matched.

export interface Rank {
  rank: number;
  maxRank: number;
}

export function merge(outer: Rank, inner: Rank): Rank {
  return { rank: Math.max(0, outer.rank - 1) * inner.maxRank + inner.rank, maxRank: outer.maxRank * inner.maxRank };
}

export function localScore(r: Rank): number {
  return r.rank / r.maxRank;
}

/** `_rankingScore` of a list of ranks (sort rules carry none and are left out). */
export function globalScore(ranks: Iterable<Rank>): number {
  let acc: Rank = { rank: 1, maxRank: 1 };
  for (const r of ranks) acc = merge(acc, r);
  return localScore(acc);
}
