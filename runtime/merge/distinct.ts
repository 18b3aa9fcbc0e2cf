// Distinct across nodes (API.md §6): every node already kept only its best
// hit per value of the distinct attribute; walking the merged list in ranking
// order and keeping the first hit per value makes that true across nodes.
//
// Values are identified as facet values (numbers by value, strings
// normalized). A hit whose field holds several values (an array) is kept only
// if none of them was seen, and then claims all of them, as milli's distinct
// removes every document sharing any value with a kept one. Hits without the
// field are all kept.
import { facetKeys, valueAtPath } from './facet-value.ts';

export class DistinctFilter {
  private readonly seen = new Set<string>();
  /** Hits rejected so far because their value was already taken. */
  rejected = 0;
  /**
   * Whether a hit held several values. Distinct over several values is not
   * composable across nodes: a node may keep [a, b] and drop a later [b] that
   * one node holding everything would keep (because [a, b] lost to an [a] held
   * elsewhere), so the merged answer can then miss that hit.
   */
  sawMultipleValues = false;

  constructor(private readonly attribute: string) {}

  accept(hit: Readonly<Record<string, unknown>>): boolean {
    const keys = facetKeys(valueAtPath(hit, this.attribute));
    if (keys.length === 0) return true;
    if (keys.length > 1) this.sawMultipleValues = true;
    for (const key of keys) {
      if (this.seen.has(key)) {
        this.rejected++;
        return false;
      }
    }
    for (const key of keys) this.seen.add(key);
    return true;
  }
}
