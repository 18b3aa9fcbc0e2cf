// A deliberately small FacetStore for the search tests, so they exercise the
// search layer without depending on engine/facets: equality filters
// (`field = value`, AND/OR/NOT) over normalized strings and numbers, counts
// for facetDistribution, and the values distinct needs. Not a test file.
import { Bitset } from '../../../../engine/core/bitset.ts';
import type { DocId, Document, FacetStore, FilterExpr } from '../../../../engine/core/contracts.ts';
import { flattenLeaves } from '../../../../engine/index/flatten.ts';

const norm = (s: string) => s.trim().toLowerCase();

export function tinyFacetStore(): FacetStore {
  const docs = new Map<DocId, Document>();
  const valuesOf = (id: DocId, field: string) => {
    const strings: string[] = [];
    const numbers: number[] = [];
    const doc = docs.get(id);
    for (const leaf of doc ? flattenLeaves(doc) : []) {
      if (leaf.path !== field) continue;
      if (typeof leaf.value === 'number') numbers.push(leaf.value);
      else strings.push(norm(String(leaf.value)));
    }
    return { strings, numbers };
  };
  const test = (expr: FilterExpr, id: DocId): boolean => {
    switch (expr.kind) {
      case 'and': return expr.children.every((c) => test(c, id));
      case 'or': return expr.children.some((c) => test(c, id));
      case 'not': return !test(expr.child, id);
      case 'compare': {
        const { strings, numbers } = valuesOf(id, expr.field.value);
        const v = expr.value.value;
        const eq = strings.includes(norm(v)) || numbers.includes(Number(v));
        if (expr.op === '=') return eq;
        if (expr.op === '!=') return !eq;
        const n = Number(v);
        return numbers.some((x) => (expr.op === '>' ? x > n : expr.op === '>=' ? x >= n : expr.op === '<' ? x < n : x <= n));
      }
      default: throw new Error(`tiny facet store: unsupported ${expr.kind}`);
    }
  };
  return {
    add: (id, doc) => void docs.set(id, doc),
    remove: (id) => void docs.delete(id),
    evaluate: (filter, universe) => Bitset.of([...universe].filter((id) => test(filter, id))),
    distribution: (candidates, facets) => {
      const facetDistribution: Record<string, Record<string, number>> = {};
      for (const f of facets) {
        const counts: Record<string, number> = {};
        for (const id of candidates) for (const s of valuesOf(id, f).strings) counts[s] = (counts[s] ?? 0) + 1;
        facetDistribution[f] = counts;
      }
      return { facetDistribution, facetStats: {} };
    },
    facetSearch: () => [],
    values: valuesOf,
  };
}
