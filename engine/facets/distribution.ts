// facetDistribution and facetStats (milli `facet_distribution.rs`).
// Requested names select fields the legacy way (`dog` selects `dog.age`);
// `*` selects every filterable field the index has seen. A requested name
// that no filterable rule matches is an error. Per field, values are counted
// over the candidates, numbers before strings, and the list is cut at
// `maxValuesPerFacet`:
// - alphabetical order over at most 3000 candidates walks the candidates:
//   numbers then ordered by their printed form, strings by normalized key;
// - otherwise (more candidates, or count order) the value lists are walked:
//   numbers in numeric order, strings by key, or both by decreasing count
//   (ties by key, descending), each walk stopping when the cap is reached.
// A string shows the original text of its first candidate document.
import type { Bitset } from '../core/bitset.ts';
import type { FacetDistributionResult } from '../core/contracts.ts';
import { MeiliError } from '../../api/errors/registry.ts';
import { fieldIndex, type FacetData } from './facet-data.ts';
import type { FieldIndex } from './field-index.ts';
import { invalidFacetsDistribution } from './messages.ts';
import { formatF64 } from './normalize.ts';
import { compareBytes, isFilterable, matchFieldLegacy, matchingFeatures, patternsWhere } from './rules.ts';

const LINEAR_SCAN_CANDIDATES_MAX = 3000;

type Order = 'alpha' | 'count';

export function facetDistribution(
  data: FacetData, candidates: Bitset, facets: string[], indexUid: string,
): FacetDistributionResult {
  const rules = data.settings.filterableAttributes;
  const wildcard = facets.includes('*');
  if (!wildcard) {
    for (const name of facets) {
      const matched = matchingFeatures(name, rules);
      if (matched && isFilterable(matched.features)) continue;
      const message = invalidFacetsDistribution(name, patternsWhere(rules, isFilterable), matched?.ruleIndex ?? null);
      throw new MeiliError('invalid_search_facets', `Index \`${indexUid}\`: ${message}`);
    }
  }
  const fields = [...data.known]
    .filter((name) => {
      const matched = matchingFeatures(name, rules);
      if (!matched || !isFilterable(matched.features)) return false;
      return wildcard || facets.some((f) => matchFieldLegacy(f, name) === 'match');
    })
    .sort(compareBytes);

  const result: FacetDistributionResult = { facetDistribution: {}, facetStats: {} };
  const { maxValuesPerFacet, sortFacetValuesBy } = data.settings.faceting;
  const orderOf = (name: string): Order => sortFacetValuesBy[name] ?? sortFacetValuesBy['*'] ?? 'alpha';
  const ids = [...candidates];
  for (const field of fields) {
    const order = !wildcard && facets.includes(field) ? orderOf(field) : orderOf('*');
    const index = fieldIndex(data, field);
    const values = order === 'alpha' && ids.length <= LINEAR_SCAN_CANDIDATES_MAX
      ? valuesFromDocuments(index, ids, maxValuesPerFacet)
      : valuesFromLists(index, candidates, order, maxValuesPerFacet);
    result.facetDistribution[field] = Object.fromEntries(values);
    const stats = numberStats(index, candidates);
    if (stats) result.facetStats[field] = stats;
  }
  return result;
}

function valuesFromDocuments(index: FieldIndex, ids: number[], max: number): Map<string, number> {
  const numbers = new Map<string, number>();
  const strings = new Map<string, { original: string; count: number }>();
  for (const id of ids) {
    const held = index.valuesOf(id);
    for (const n of held.numbers) numbers.set(formatF64(n), (numbers.get(formatF64(n)) ?? 0) + 1);
    for (const key of held.strings) {
      const entry = strings.get(key);
      if (entry) entry.count++;
      else strings.set(key, { original: index.originalOf(id, key)!, count: 1 });
    }
  }
  const out = new Map<string, number>();
  for (const key of [...numbers.keys()].sort(compareBytes).slice(0, max)) out.set(key, numbers.get(key)!);
  const room = Math.max(0, max - out.size);
  for (const key of [...strings.keys()].sort(compareBytes).slice(0, room)) {
    const { original, count } = strings.get(key)!;
    out.set(original, count);
  }
  return out;
}

interface Counted<K> {
  key: K;
  count: number;
  firstId: number;
}

function countIn<K>(keys: readonly K[], idsOf: (k: K) => readonly number[], candidates: Bitset): Counted<K>[] {
  const out: Counted<K>[] = [];
  for (const key of keys) {
    let count = 0;
    let firstId = -1;
    for (const id of idsOf(key)) {
      if (!candidates.has(id)) continue;
      if (count === 0) firstId = id;
      count++;
    }
    if (count > 0) out.push({ key, count, firstId });
  }
  return out;
}

function valuesFromLists(index: FieldIndex, candidates: Bitset, order: Order, max: number): Map<string, number> {
  const numbers = countIn(index.numberValues(), (n) => index.numberIds(n), candidates);
  const strings = countIn(index.keys(), (k) => index.stringIds(k), candidates);
  if (order === 'count') {
    // Meilisearch pops a max-heap of (count, key): equal counts come out by key, descending.
    numbers.sort((a, b) => b.count - a.count || b.key - a.key);
    strings.sort((a, b) => b.count - a.count || compareBytes(b.key, a.key));
  }
  const out = new Map<string, number>();
  // Each walk stops when the map size *equals* the cap after an insertion, as
  // in milli; so when numbers alone fill the cap, every string is still added.
  for (const n of numbers) {
    out.set(formatF64(n.key), n.count);
    if (out.size === max) break;
  }
  for (const s of strings) {
    out.set(index.originalOf(s.firstId, s.key)!, s.count);
    if (out.size === max) break;
  }
  return out;
}

function numberStats(index: FieldIndex, candidates: Bitset): { min: number; max: number } | null {
  const values = index.numberValues();
  const held = (n: number) => index.numberIds(n).some((id) => candidates.has(id));
  const lo = values.findIndex(held);
  if (lo < 0) return null;
  let hi = values.length - 1;
  while (!held(values[hi]!)) hi--;
  return { min: values[lo]!, max: values[hi]! };
}
