// Prefix matching with typos, as the Levenshtein prefix automaton
// Meilisearch's facet search runs over facet values (milli `build_dfa` with
// transpositions): `value` matches when one of its prefixes is within
// `typos` edits of `query`, an edit being an insertion, a deletion, a
// substitution or a swap of two adjacent characters.

export function prefixWithin(query: readonly string[], value: readonly string[], typos: number): boolean {
  const m = query.length;
  if (m <= typos) return true;
  // rows[i][j]: edits between query[0, i) and value[0, j) (optimal string alignment).
  let before: number[] = [];
  let previous = Array.from({ length: value.length + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= value.length; j++) {
      const cost = query[i - 1] === value[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && query[i - 1] === value[j - 2] && query[i - 2] === value[j - 1]) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      current.push(d);
      best = Math.min(best, d);
    }
    if (best > typos) return false;
    before = previous;
    previous = current;
  }
  return Math.min(...previous) <= typos;
}
