// Sort keys of a document for `sort` and `field:asc|desc` rules: numbers come
// before strings in both directions, a document without the field comes last,
// and a document with several values sorts by its best one (the smallest when
// ascending, the largest when descending), as milli's facet-based sort does.
// Strings compare in their normalized (trimmed, lower-cased) facet form.
import { flattenLeaves } from '../index/flatten.ts';

export type SortValue = number | string | null;

export function normalizeFacetString(s: string): string {
  return s.trim().normalize('NFKD').toLowerCase();
}

export function sortValue(doc: Record<string, unknown>, field: string, ascending: boolean): SortValue {
  // Fast path: a top-level number or string, no flattening.
  const direct = doc[field];
  if (typeof direct === 'number') return direct;
  if (typeof direct === 'string') return normalizeFacetString(direct);
  if (direct === undefined && !field.includes('.')) return null;
  let bestNumber: number | null = null;
  let bestString: string | null = null;
  for (const leaf of flattenLeaves(doc)) {
    if (leaf.path !== field) continue;
    if (typeof leaf.value === 'number') {
      if (bestNumber === null || (ascending ? leaf.value < bestNumber : leaf.value > bestNumber)) bestNumber = leaf.value;
    } else {
      const s = normalizeFacetString(String(leaf.value));
      if (bestString === null || (ascending ? s < bestString : s > bestString)) bestString = s;
    }
  }
  return bestNumber ?? bestString;
}

/** Negative when `a` ranks before `b`. */
export function compareSortValues(a: SortValue, b: SortValue, ascending: boolean): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'string') return -1;
  if (typeof a === 'string' && typeof b === 'number') return 1;
  const order = a < b ? -1 : a > b ? 1 : 0;
  return ascending ? order : -order;
}
