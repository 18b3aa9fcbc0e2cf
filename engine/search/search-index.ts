// One Meilisearch index held in memory (the SearchIndex contract): documents,
// the word index and the facet store, kept in step on every write and rebuilt
// from the stored documents when settings change. Searches run here: filter
// through the facet store, keyword planning and bucket sort, pagination and
// hit formatting (search-run.ts).
import { Bitset } from '../core/bitset.ts';
import type {
  DocId, Document, DocumentsPage, FacetHit, FacetStore, FacetStoreFactory, FilterExpr, MatchingStrategy,
  SearchIndex, SearchQuery, SearchResult,
} from '../core/contracts.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import { parseClientFilter } from './client-filter.ts';
import { InvertedIndex } from '../index/inverted-index.ts';
import type { SynonymMap } from '../query/query-graph.ts';
import { buildSynonyms } from '../query/query-graph.ts';
import { DocumentStore } from './document-store.ts';
import { selectFields } from './format-hit.ts';
import type { KeywordContext } from './keyword-search.ts';
import { planKeywordSearch } from './keyword-search.ts';
import { runSearch } from './search-run.ts';

export function createSearchIndex(settings: Settings, createFacetStore: FacetStoreFactory): SearchIndex {
  return new MemorySearchIndex(settings, createFacetStore);
}

class MemorySearchIndex implements SearchIndex {
  private current: Settings;
  private readonly store = new DocumentStore();
  private words: InvertedIndex;
  private facets: FacetStore;
  private synonyms: SynonymMap;
  private readonly live = new Bitset(0);

  constructor(settings: Settings, private readonly createFacetStore: FacetStoreFactory) {
    this.current = structuredClone(settings);
    this.words = new InvertedIndex(this.current);
    this.facets = createFacetStore(this.current);
    this.synonyms = buildSynonyms(this.current, this.words.tokenizer);
  }

  settings(): Settings {
    return structuredClone(this.current);
  }

  setSettings(settings: Settings): void {
    this.current = structuredClone(settings);
    this.words = new InvertedIndex(this.current);
    this.facets = this.createFacetStore(this.current);
    this.synonyms = buildSynonyms(this.current, this.words.tokenizer);
    for (const [id, doc] of this.store.entries()) {
      this.words.addDocument(id, doc);
      this.facets.add(id, doc);
    }
  }

  put(pk: string, doc: Document): void {
    const { id, previous } = this.store.put(pk, doc);
    if (previous) {
      this.words.removeDocument(id);
      this.facets.remove(id, previous);
    }
    this.words.addDocument(id, doc);
    this.facets.add(id, doc);
    this.live.add(id);
  }

  delete(pk: string): boolean {
    const removed = this.store.delete(pk);
    if (!removed) return false;
    this.words.removeDocument(removed.id);
    this.facets.remove(removed.id, removed.doc);
    this.live.delete(removed.id);
    return true;
  }

  get(pk: string): Document | undefined {
    const id = this.store.idOf(pk);
    const doc = id === undefined ? undefined : this.store.get(id);
    return doc && selectFields(doc, ['*'], null, (f) => this.store.fieldRank(f));
  }

  clear(): number {
    const n = this.store.clear();
    this.live.intersect(new Bitset(0));
    this.words = new InvertedIndex(this.current);
    this.facets = this.createFacetStore(this.current);
    return n;
  }

  count(): number {
    return this.store.count;
  }

  list(opts: { offset: number; limit: number; filter: FilterExpr | null; fields: string[] | null; ids: string[] | null }, indexUid: string): DocumentsPage {
    let universe = this.universe();
    if (opts.ids !== null) {
      const wanted = new Bitset(this.store.capacity);
      for (const pk of opts.ids) {
        const id = this.store.idOf(pk);
        if (id !== undefined) wanted.add(id);
      }
      universe.intersect(wanted);
    }
    if (opts.filter) universe = this.facets.evaluate(opts.filter, universe, 'invalid_document_filter', indexUid);
    const ids = universe.toArray();
    const results = ids.slice(opts.offset, opts.offset + opts.limit).map((id) =>
      selectFields(this.store.get(id)!, ['*'], opts.fields, (f) => this.store.fieldRank(f)),
    );
    return { results, total: ids.length };
  }

  matching(filter: FilterExpr, indexUid: string): string[] {
    const ids = this.facets.evaluate(filter, this.universe(), 'invalid_document_filter', indexUid);
    return ids.toArray().map((id) => this.store.pkOf(id)!);
  }

  search(query: SearchQuery, indexUid: string): SearchResult {
    return runSearch(this.runtime(), query, indexUid);
  }

  facetSearch(
    req: { facetName: string; facetQuery: string | null; q: string | null; filter: unknown; matchingStrategy: MatchingStrategy; attributesToSearchOn: string[] | null },
    indexUid: string,
  ): { facetHits: FacetHit[]; facetQuery: string | null; processingTimeMs: number } {
    const started = performance.now();
    let universe = this.universe();
    const filter = parseClientFilter(req.filter, 'invalid_search_filter');
    if (filter) universe = this.facets.evaluate(filter, universe, 'invalid_search_filter', indexUid);
    if (req.q !== null && req.q.trim() !== '') {
      const plan = planKeywordSearch(this.keywordContext(), req.q, req.matchingStrategy, req.attributesToSearchOn, universe);
      universe = 'candidates' in plan ? plan.candidates : universe.subtract(plan.excluded);
    }
    const facetHits = this.facets.facetSearch(universe, req.facetName, req.facetQuery, indexUid);
    return { facetHits, facetQuery: req.facetQuery, processingTimeMs: Math.round(performance.now() - started) };
  }

  fieldDistribution(): Record<string, number> {
    return this.store.fieldDistribution();
  }

  fieldOrder(): string[] {
    return this.store.fieldOrder();
  }

  private universe(): Bitset {
    const u = new Bitset(this.store.capacity);
    u.union(this.live);
    return u;
  }

  private keywordContext(): KeywordContext {
    return {
      index: this.words,
      settings: this.current,
      synonyms: this.synonyms,
      capacity: this.store.capacity,
      documentOf: (id: DocId) => this.store.get(id)!,
    };
  }

  private runtime() {
    return {
      settings: this.current,
      store: this.store,
      words: this.words,
      facets: this.facets,
      universe: this.universe(),
      keyword: this.keywordContext(),
    };
  }
}
