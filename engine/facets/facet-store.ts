// The FacetStore of one index (engine/core/contracts.ts): facet structures
// built from the documents under the index's settings, answering filters,
// facetDistribution / facetStats, facet search and distinct values.
// Invariants: `all` holds exactly the live documents; each document's facet
// values are indexed under the fields its settings facet (filterable,
// facet-searchable, sortable, or distinct), and removed with it. A settings
// change builds a new store. As in Meilisearch, the reserved `_geo` and
// `_vectors` fields are not walked like other fields: a valid `_geo` point
// gives the numbers `_geo.lat` and `_geo.lng` (when `_geo` is faceted).
import { Bitset } from '../core/bitset.ts';
import type {
  DocId, Document, FacetDistributionResult, FacetHit, FacetStore, FilterErrorCode,
} from '../core/contracts.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import type { FilterExpr } from '../../api/protocol/filter/ast.ts';
import { facetDistribution } from './distribution.ts';
import { evaluateFilter } from './evaluate.ts';
import { extractFacets, type Depth } from './extract.ts';
import { fieldIndex, type FacetData } from './facet-data.ts';
import { facetSearch } from './facet-search.ts';
import { FieldIndex } from './field-index.ts';
import { geoPointOf } from './geo.ts';
import { isFilterable, matchFacetedField, matchingFeatures, type PatternMatch } from './rules.ts';

/** Fields Meilisearch keeps out of the generic facet walk. */
const RESERVED = new Set(['_geo', '_vectors']);

class IndexFacets implements FacetStore {
  private readonly data: FacetData;
  /** Per path: whether it is faceted, and whether its rule allows filtering (NULL / EMPTY kept). */
  private readonly paths = new Map<string, { selection: PatternMatch; filterable: boolean }>();
  /** Per document id, the facet fields it touched; documents with the same fields share one list. */
  private readonly docFields: Array<readonly string[] | undefined> = [];
  private readonly fieldLists = new Map<string, readonly string[]>();
  private readonly geoIndexed: boolean;

  constructor(settings: Settings) {
    this.data = { settings, known: new Set(), fields: new Map(), all: new Bitset(), geo: new Map() };
    this.geoIndexed = matchFacetedField('_geo', settings) === 'match';
  }

  private path(name: string): { selection: PatternMatch; filterable: boolean } {
    let info = this.paths.get(name);
    if (!info) {
      const matched = matchingFeatures(name, this.data.settings.filterableAttributes);
      info = {
        selection: matchFacetedField(name, this.data.settings),
        filterable: matched !== null && isFilterable(matched.features),
      };
      this.paths.set(name, info);
    }
    return info;
  }

  add(id: DocId, doc: Document): void {
    const { data } = this;
    data.all.add(id);
    const touched = new Set<string>();
    const record = (p: string, depth: Depth, value: unknown): void => {
      let index = data.fields.get(p);
      if (!index) {
        index = new FieldIndex();
        data.fields.set(p, index);
      }
      index.add(id, depth, value, this.path(p).filterable);
      touched.add(p);
    };
    const select = (p: string): PatternMatch => (RESERVED.has(p) ? 'none' : this.path(p).selection);
    extractFacets(doc, select, { known: (p) => data.known.add(p), value: record });
    const point = this.geoIndexed ? geoPointOf(doc) : null;
    if (point) {
      data.geo.set(id, point);
      for (const [p, n] of [['_geo.lat', point[0]], ['_geo.lng', point[1]]] as const) {
        data.known.add(p);
        record(p, 'base', n);
      }
    }
    this.docFields[id] = this.sharedList([...touched]);
  }

  private sharedList(fields: string[]): readonly string[] {
    const key = fields.join('\u0000');
    let list = this.fieldLists.get(key);
    if (!list) {
      list = fields;
      this.fieldLists.set(key, list);
    }
    return list;
  }

  remove(id: DocId, _doc: Document): void {
    this.data.all.delete(id);
    this.data.geo.delete(id);
    for (const field of this.docFields[id] ?? []) this.data.fields.get(field)?.remove(id);
    this.docFields[id] = undefined;
  }

  evaluate(filter: FilterExpr, universe: Bitset, code: FilterErrorCode, indexUid: string): Bitset {
    return evaluateFilter(filter, this.data, universe, code, indexUid);
  }

  distribution(candidates: Bitset, facets: string[], indexUid: string): FacetDistributionResult {
    return facetDistribution(this.data, candidates, facets, indexUid);
  }

  facetSearch(candidates: Bitset, facetName: string, facetQuery: string | null, indexUid: string): FacetHit[] {
    return facetSearch(this.data, candidates, facetName, facetQuery, indexUid);
  }

  values(id: DocId, field: string): { strings: string[]; numbers: number[] } {
    return fieldIndex(this.data, field).valuesOf(id);
  }
}

export function createFacetStore(settings: Settings): FacetStore {
  return new IndexFacets(settings);
}
