// `_rankingScoreDetails` and `_rankingScore` from the per-rule results of one
// document, shaped like milli's ScoreDetails::to_json_map: one entry per rule
// with its `order`; attributeRank + wordPosition reported as one `attribute`
// entry when they come from the legacy `attribute` rule; exactness reporting
// its word counts only for `noExactMatch`; sort entries keyed `field:asc`.
import type { Rank } from './rank.ts';
import { globalScore, localScore, merge } from './rank.ts';
import type { MatchType } from './doc-rules.ts';
import type { SortResult } from './sort-values.ts';

export type StepResult =
  | { kind: 'words'; rank: Rank }
  | { kind: 'typo'; rank: Rank; typoCount: number; maxTypoCount: number }
  | { kind: 'proximity'; rank: Rank }
  | { kind: 'fid'; rank: Rank; unified: boolean }
  | { kind: 'position'; rank: Rank; unified: boolean }
  | { kind: 'exactAttribute'; rank: Rank; matchType: MatchType }
  | { kind: 'exactWords'; rank: Rank; matchingWords: number; maxMatchingWords: number }
  | SortResult;

/**
 * `_rankingScore`, as milli's `ScoreDetails::global_score`: consecutive scored
 * rules fold into one group, a sort rule ends the group, and the score is the
 * FIRST group's. So with `words, typo, sort, exactness` only words and typo
 * count, and a leading sort is skipped (the group after it counts). Without
 * any scored rule (placeholder search) the score is 1.
 */
export function rankingScore(results: readonly StepResult[]): number {
  const ranks: Rank[] = [];
  for (const r of results) {
    if (r.kind !== 'sort') ranks.push(r.rank);
    else if (ranks.length > 0) break;
  }
  return globalScore(ranks);
}

export function scoreDetails(results: readonly StepResult[], hidden: (field: string) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let order = 0;
  let fid: Rank | null = null;
  for (const r of results) {
    switch (r.kind) {
      case 'words':
        out.words = { order: order++, matchingWords: r.rank.rank, maxMatchingWords: r.rank.maxRank, score: localScore(r.rank) };
        break;
      case 'typo':
        out.typo = { order: order++, typoCount: r.typoCount, maxTypoCount: r.maxTypoCount, score: localScore(r.rank) };
        break;
      case 'proximity':
        out.proximity = { order: order++, score: localScore(r.rank) };
        break;
      case 'fid':
        if (r.unified) {
          fid = r.rank;
          out.attribute = { order: order++, attributeRankingOrderScore: localScore(r.rank) };
        } else out.attributeRank = { order: order++, score: localScore(r.rank) };
        break;
      case 'position':
        if (r.unified && fid) {
          const entry = out.attribute as Record<string, unknown>;
          entry.queryWordDistanceScore = localScore(r.rank);
          entry.score = localScore(merge(merge({ rank: 1, maxRank: 1 }, fid), r.rank));
        } else out.wordPosition = { order: order++, score: localScore(r.rank) };
        break;
      case 'exactAttribute':
        out.exactness = { order: order++, matchType: r.matchType, score: localScore(r.rank) };
        break;
      case 'exactWords': {
        const entry = out.exactness as Record<string, unknown> | undefined;
        if (entry && entry.matchType === 'noExactMatch') {
          delete entry.score;
          entry.matchingWords = r.matchingWords;
          entry.maxMatchingWords = r.maxMatchingWords;
          entry.score = globalScore([{ rank: 1, maxRank: 3 }, r.rank]);
        }
        break;
      }
      case 'sort': {
        if (r.geo) {
          const [lat, lng] = r.geo.point;
          out[`_geoPoint(${lat}, ${lng}):${r.ascending ? 'asc' : 'desc'}`] = { order: order++, value: r.value, distance: r.geo.distance };
          break;
        }
        const key = hidden(r.field) ? `<hidden-rule-${order}>` : `${r.field}:${r.ascending ? 'asc' : 'desc'}`;
        out[key] = { order: order++, value: hidden(r.field) ? '<hidden>' : r.value };
        break;
      }
    }
  }
  return out;
}
