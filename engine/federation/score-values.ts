// The comparison Meilisearch's federated merge uses (weighted_scores.rs,
// milli's ScoreDetails::weighted_score_values): a hit's ranking is a list of
// values — groups of consecutive ranking rules folded into one score, and
// the values of the sort rules between them — compared left to right. Two
// sort values with different directions cannot be compared; then the side
// with more remaining groups wins, and when that ties too the weighted global
// score decides.
// The values are read back from `_rankingScoreDetails`. A group's exact
// folded score is only known when the hit has no sort rule (it is then the
// `_rankingScore`); otherwise a group is compared as the tuple of its rules'
// local scores, which orders hits of one query exactly as the fold does.

export type ScoreValue =
  | { readonly kind: 'score'; readonly scores: readonly number[] }
  | { readonly kind: 'sort'; readonly asc: boolean; readonly value: unknown }
  | { readonly kind: 'geo'; readonly asc: boolean; readonly distance: number | null };

type Entry = { key: string; order: number; detail: Record<string, unknown> };

function sortDirection(key: string): boolean | null {
  if (key.endsWith(':asc')) return true;
  if (key.endsWith(':desc')) return false;
  return null;
}

/** The weighted values of one hit, or null when it carries no details. */
export function weightedScoreValues(hit: Record<string, unknown>, weight: number): ScoreValue[] | null {
  const details = hit['_rankingScoreDetails'];
  if (details === null || typeof details !== 'object') return null;
  const entries: Entry[] = Object.entries(details as Record<string, unknown>)
    .map(([key, d]) => ({ key, detail: (d ?? {}) as Record<string, unknown>, order: Number((d as Record<string, unknown> | null)?.['order'] ?? 0) }))
    .sort((a, b) => a.order - b.order);
  const values: ScoreValue[] = [];
  let group: number[] | null = null;
  for (const { key, detail } of entries) {
    const asc = sortDirection(key);
    if (asc === null) {
      const score = key === 'skipped' ? 0 : Number(detail['score'] ?? 0);
      if (group === null) { group = []; values.push({ kind: 'score', scores: group }); }
      group.push(score * weight);
      continue;
    }
    group = null;
    if (key.startsWith('_geoPoint(')) {
      const distance = detail['distance'];
      values.push({ kind: 'geo', asc, distance: typeof distance === 'number' ? distance : null });
    } else {
      values.push({ kind: 'sort', asc, value: detail['value'] ?? null });
    }
  }
  const onlyScores = values.length === 1 && values[0]?.kind === 'score';
  const global = hit['_rankingScore'];
  if (onlyScores && typeof global === 'number') return [{ kind: 'score', scores: [global * weight] }];
  return values;
}

/** milli's compare_sort_values: null < anything; numbers before strings; ascending prefers smaller. */
function compareSortValues(asc: boolean, left: unknown, right: unknown): number {
  if (left === null && right === null) return 0;
  if (left === null) return -1;
  if (right === null) return 1;
  if (typeof left === 'number' && typeof right === 'string') return 1;
  if (typeof left === 'string' && typeof right === 'number') return -1;
  let order = 0;
  if (typeof left === 'number' && typeof right === 'number') order = Math.sign(left - right);
  else if (typeof left === 'string' && typeof right === 'string') order = Buffer.compare(Buffer.from(left), Buffer.from(right));
  else return 0;
  return asc ? -order : order;
}

function compareScores(left: readonly number[], right: readonly number[]): number {
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const d = (left[i] ?? 0) - (right[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** One pair of values: positive when `left` ranks better; null when incomparable. */
function compareValue(left: ScoreValue, right: ScoreValue): number | null {
  if (left.kind === 'score' && right.kind === 'score') return compareScores(left.scores, right.scores);
  if (left.kind === 'sort' && right.kind === 'sort') return left.asc === right.asc ? compareSortValues(left.asc, left.value, right.value) : null;
  if (left.kind === 'geo' && right.kind === 'geo') {
    if (left.asc !== right.asc) return null;
    if (left.distance === null || right.distance === null) return left.distance === right.distance ? 0 : left.distance === null ? -1 : 1;
    const order = Math.sign(left.distance - right.distance);
    return left.asc ? -order : order;
  }
  return null;
}

/** weighted_scores::compare: positive when `left` goes first. */
export function compareHits(left: readonly ScoreValue[], leftGlobal: number, right: readonly ScoreValue[], rightGlobal: number): number {
  for (let i = 0; ; i++) {
    const l = left[i];
    const r = right[i];
    if (l === undefined && r === undefined) return 0;
    if (l === undefined) return -1;
    if (r === undefined) return 1;
    const order = compareValue(l, r);
    if (order === 0) continue;
    if (order !== null) return order;
    const remaining = Math.sign((left.length - i - 1) - (right.length - i - 1));
    return remaining !== 0 ? remaining : Math.sign(leftGlobal - rightGlobal);
  }
}
