// Shape validation of search requests (API.md §4.1) with Meilisearch's deserr
// messages: the POST body of /indexes/{uid}/search, its GET query string,
// the facet-search body, and one query of a multi-search (engine/federation/
// request.ts uses the field readers here). The result is the SearchQuery of
// search-query.ts with every default filled in, plus the options the engine
// does not implement (`hybrid`, `vector`, …), kept so a route can answer
// them with Meilisearch's errors. Shared by the engine and the edge, so both
// refuse a bad search with the same code and message.
import { MeiliError } from '../errors/registry.ts';
import type { MatchingStrategy, SearchQuery } from './search-query.ts';
import {
  checkQueryKeys, invalidType, invalidValue, kindOf, missingField, queryBool, queryList, queryString,
  queryUint, unknownField, unknownValue, type Query, type ValueKind,
} from './deserr.ts';

/** Accepted by Meilisearch's shape check but not served by the engine. */
export interface UnsupportedOptions {
  hybrid: { embedder: string; semanticRatio: number } | null;
  vector: number[] | null;
  media: unknown;
  personalize: { userContext: string } | null;
  useNetwork: boolean | null;
  retrieveVectors: boolean;
  showPerformanceDetails: boolean | null;
}

export interface ParsedSearch {
  query: SearchQuery;
  unsupported: UnsupportedOptions;
}

export const SEARCH_FIELDS = [
  'q', 'offset', 'limit', 'page', 'hitsPerPage', 'attributesToRetrieve', 'attributesToCrop', 'cropLength',
  'cropMarker', 'attributesToHighlight', 'highlightPreTag', 'highlightPostTag', 'showMatchesPosition', 'filter',
  'sort', 'distinct', 'facets', 'matchingStrategy', 'attributesToSearchOn', 'rankingScoreThreshold', 'locales',
  'hybrid', 'vector', 'retrieveVectors', 'media', 'personalize', 'useNetwork', 'showRankingScore',
  'showRankingScoreDetails', 'showPerformanceDetails',
] as const;

const GET_FIELDS = [
  'q', 'offset', 'limit', 'page', 'hitsPerPage', 'attributesToRetrieve', 'attributesToCrop', 'cropLength',
  'cropMarker', 'attributesToHighlight', 'highlightPreTag', 'highlightPostTag', 'showMatchesPosition', 'filter',
  'sort', 'distinct', 'facets', 'matchingStrategy', 'attributesToSearchOn', 'rankingScoreThreshold', 'locales',
  'hybridEmbedder', 'hybridSemanticRatio', 'vector', 'retrieveVectors', 'personalizeUserContext', 'useNetwork',
  'showRankingScore', 'showRankingScoreDetails', 'showPerformanceDetails',
] as const;

const MATCHING_STRATEGIES: readonly MatchingStrategy[] = ['last', 'all', 'frequency'];

/** The locales Meilisearch accepts (meilisearch-types locales.rs), in its declaration order. */
const LOCALE_PAIRS = 'af afr ak aka am amh ar ara az aze be bel bn ben bg bul ca cat cs ces da dan de deu el ell en eng eo epo et est fi fin fr fra gu guj he heb hi hin hr hrv hu hun hy hye id ind it ita jv jav ja jpn kn kan ka kat km khm ko kor la lat lv lav lt lit ml mal mr mar mk mkd my mya ne nep nl nld nb nob or ori pa pan fa pes pl pol pt por ro ron ru rus si sin sk slk sl slv sn sna es spa sr srp sv swe ta tam te tel tl tgl th tha tk tuk tr tur uk ukr ur urd uz uzb vi vie yi yid zh zho zu zul cy cym'.split(' ');
const LOCALES: readonly string[] = [
  ...LOCALE_PAIRS.filter((_, i) => i % 2 === 0), ...LOCALE_PAIRS.filter((_, i) => i % 2 === 1), 'cmn',
];
const LOCALES_BY_LENGTH = [...LOCALES].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));

function locales(v: unknown, path: string): string[] | null {
  const list = strList(v, 'invalid_search_locales', path);
  list?.forEach((locale, i) => {
    if (!LOCALES.includes(locale)) throw unknownValue('invalid_search_locales', locale, LOCALES, `${path}[${i}]`);
  });
  return list;
}

function queryLocales(query: Query): string[] {
  const list = queryList(query, 'locales', 'invalid_search_locales') as string[];
  for (const locale of list) {
    if (!LOCALES.includes(locale)) {
      throw new MeiliError('invalid_search_locales', `Invalid value in parameter \`locales\`: Unsupported locale \`${locale}\`, expected one of ${LOCALES_BY_LENGTH.join(', ')}`);
    }
  }
  return list;
}

export function defaultSearchQuery(): SearchQuery {
  return {
    q: null, offset: 0, limit: 20, page: null, hitsPerPage: null, attributesToRetrieve: null,
    attributesToCrop: null, cropLength: 10, cropMarker: '…', attributesToHighlight: null,
    highlightPreTag: '<em>', highlightPostTag: '</em>', showMatchesPosition: false, filter: null, sort: null,
    distinct: null, facets: null, matchingStrategy: 'last', attributesToSearchOn: null,
    rankingScoreThreshold: null, showRankingScore: false, showRankingScoreDetails: false, locales: null,
  };
}

export function defaultUnsupported(): UnsupportedOptions {
  return { hybrid: null, vector: null, media: null, personalize: null, useNetwork: null, retrieveVectors: false, showPerformanceDetails: null };
}

// ---- JSON field readers: `path` is the location, e.g. `.offset` or `.queries[0].offset`.

export function uint(v: unknown, code: string, path: string): number {
  if (kindOf(v) !== 'integer') throw invalidType(code, path, ['integer'], v);
  return v as number;
}

export function optUintOrNull(v: unknown, code: string, path: string): number | null {
  return v === null ? null : uint(v, code, path);
}

export function str(v: unknown, code: string, path: string): string {
  if (typeof v !== 'string') throw invalidType(code, path, ['string'], v);
  return v;
}

export function bool(v: unknown, code: string, path: string): boolean {
  if (typeof v !== 'boolean') throw invalidType(code, path, ['boolean'], v);
  return v;
}

export function strList(v: unknown, code: string, path: string): string[] | null {
  if (v === null) return null;
  if (!Array.isArray(v)) throw invalidType(code, path, ['array'], v);
  v.forEach((item, i) => { if (typeof item !== 'string') throw invalidType(code, `${path}[${i}]`, ['string'], item); });
  return v as string[];
}

const NUMBER: ValueKind[] = ['integer', 'negative', 'float'];

function unitFloat(v: unknown, code: string, path: string, name: string): number {
  if (!NUMBER.includes(kindOf(v))) throw invalidType(code, path, NUMBER, v);
  const f = v as number;
  if (f < 0 || f > 1) throw invalidValue(code, path, rangeMessage(name));
  return f;
}

function rangeMessage(name: string): string {
  return `the value of \`${name}\` is invalid, expected a float between \`0.0\` and \`1.0\`.`;
}

function matchingStrategy(v: unknown, path: string): MatchingStrategy {
  const code = 'invalid_search_matching_strategy';
  if (typeof v !== 'string') throw invalidType(code, path, ['string'], v);
  if (!(MATCHING_STRATEGIES as readonly string[]).includes(v)) throw unknownValue(code, v, MATCHING_STRATEGIES, path);
  return v as MatchingStrategy;
}

function hybrid(v: unknown, path: string): UnsupportedOptions['hybrid'] {
  if (v === null) return null;
  const code = 'invalid_search_hybrid_query';
  if (kindOf(v) !== 'object') throw invalidType(code, path, ['object'], v);
  let embedder: string | undefined;
  let semanticRatio = 0.5;
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (key === 'semanticRatio') semanticRatio = unitFloat(value, 'invalid_search_semantic_ratio', `${path}.semanticRatio`, 'semanticRatio');
    else if (key === 'embedder') embedder = str(value, 'invalid_search_embedder', `${path}.embedder`);
    else throw unknownField(key, ['semanticRatio', 'embedder'], path, code);
  }
  if (embedder === undefined) throw missingField(code, 'embedder', path);
  return { embedder, semanticRatio };
}

function vector(v: unknown, path: string): number[] | null {
  if (v === null) return null;
  const code = 'invalid_search_vector';
  if (!Array.isArray(v)) throw invalidType(code, path, ['array'], v);
  v.forEach((x, i) => { if (!NUMBER.includes(kindOf(x))) throw invalidType(code, `${path}[${i}]`, NUMBER, x); });
  return v as number[];
}

function personalize(v: unknown, path: string): UnsupportedOptions['personalize'] {
  if (v === null) return null;
  const code = 'invalid_search_personalize';
  if (kindOf(v) !== 'object') throw invalidType(code, path, ['object'], v);
  let userContext: string | undefined;
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (key === 'userContext') userContext = str(value, 'invalid_search_personalize_user_context', `${path}.userContext`);
    else throw unknownField(key, ['userContext'], path, code);
  }
  if (userContext === undefined) throw missingField(code, 'userContext', path);
  return { userContext };
}

/**
 * Applies one field of a search body. Returns false when `key` is not a
 * search field (the caller decides whether that is an error). `multiQuery`
 * is set for the queries of a multi-search, where `offset`, `limit` and
 * `showPerformanceDetails` are optional (null accepted).
 */
export function applySearchField(key: string, v: unknown, base: string, out: ParsedSearch, multiQuery = false): boolean {
  const q = out.query;
  const u = out.unsupported;
  const p = `${base}.${key}`;
  switch (key) {
    case 'q': q.q = v === null ? null : str(v, 'invalid_search_q', p); break;
    case 'offset': q.offset = multiQuery && v === null ? 0 : uint(v, 'invalid_search_offset', p); break;
    case 'limit': q.limit = multiQuery && v === null ? 20 : uint(v, 'invalid_search_limit', p); break;
    case 'page': q.page = optUintOrNull(v, 'invalid_search_page', p); break;
    case 'hitsPerPage': q.hitsPerPage = optUintOrNull(v, 'invalid_search_hits_per_page', p); break;
    case 'attributesToRetrieve': q.attributesToRetrieve = strList(v, 'invalid_search_attributes_to_retrieve', p); break;
    case 'attributesToCrop': q.attributesToCrop = strList(v, 'invalid_search_attributes_to_crop', p); break;
    case 'cropLength': q.cropLength = uint(v, 'invalid_search_crop_length', p); break;
    case 'cropMarker': q.cropMarker = str(v, 'invalid_search_crop_marker', p); break;
    case 'attributesToHighlight': q.attributesToHighlight = strList(v, 'invalid_search_attributes_to_highlight', p); break;
    case 'highlightPreTag': q.highlightPreTag = str(v, 'invalid_search_highlight_pre_tag', p); break;
    case 'highlightPostTag': q.highlightPostTag = str(v, 'invalid_search_highlight_post_tag', p); break;
    case 'showMatchesPosition': q.showMatchesPosition = bool(v, 'invalid_search_show_matches_position', p); break;
    case 'filter': q.filter = v; break;
    case 'sort': q.sort = strList(v, 'invalid_search_sort', p); break;
    case 'distinct': q.distinct = v === null ? null : str(v, 'invalid_search_distinct', p); break;
    case 'facets': q.facets = strList(v, 'invalid_search_facets', p); break;
    case 'matchingStrategy': q.matchingStrategy = matchingStrategy(v, p); break;
    case 'attributesToSearchOn': q.attributesToSearchOn = strList(v, 'invalid_search_attributes_to_search_on', p); break;
    case 'rankingScoreThreshold': q.rankingScoreThreshold = v === null ? null : unitFloat(v, 'invalid_search_ranking_score_threshold', p, 'rankingScoreThreshold'); break;
    case 'locales': q.locales = locales(v, p); break;
    case 'hybrid': u.hybrid = hybrid(v, p); break;
    case 'vector': u.vector = vector(v, p); break;
    case 'retrieveVectors': u.retrieveVectors = bool(v, 'invalid_search_retrieve_vectors', p); break;
    case 'media': u.media = v; break;
    case 'personalize': u.personalize = personalize(v, p); break;
    case 'useNetwork': u.useNetwork = v === null ? null : bool(v, 'invalid_search_use_network', p); break;
    case 'showRankingScore': q.showRankingScore = bool(v, 'invalid_search_show_ranking_score', p); break;
    case 'showRankingScoreDetails': q.showRankingScoreDetails = bool(v, 'invalid_search_show_ranking_score_details', p); break;
    case 'showPerformanceDetails':
      u.showPerformanceDetails = multiQuery && v === null ? null : bool(v, 'invalid_search_show_performance_details', p);
      break;
    default: return false;
  }
  return true;
}

/** The body of POST /indexes/{uid}/search. */
export function parseSearchBody(body: unknown): ParsedSearch {
  if (kindOf(body) !== 'object') throw invalidType('bad_request', '', ['object'], body);
  const out: ParsedSearch = { query: defaultSearchQuery(), unsupported: defaultUnsupported() };
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (!applySearchField(key, value, '', out)) throw unknownField(key, SEARCH_FIELDS);
  }
  return out;
}

/** Meilisearch's `fix_sort_query_parameters`: `_geoPoint(a,b):asc` keeps its comma. */
export function splitSortParameter(sort: string): string[] {
  const out: string[] = [];
  let merge = false;
  for (const raw of sort.replace(/^"+|"+$/g, '').split(',')) {
    const current = raw.trim();
    if (current.startsWith('_geoPoint(')) {
      out.push(current);
      merge = true;
    } else if (merge && out.length > 0) {
      out[out.length - 1] += `,${current}`;
      if (current.endsWith('):desc') || current.endsWith('):asc')) merge = false;
    } else {
      out.push(current);
      merge = false;
    }
  }
  return out;
}

function queryUnitFloat(query: Query, key: string, code: string, name: string): number | undefined {
  const v = queryString(query, key, code);
  if (v === undefined) return undefined;
  const f = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)$/i.test(v) ? Number(v) : Number.NaN;
  if (Number.isNaN(f) || f < 0 || f > 1) throw new MeiliError(code, `Invalid value in parameter \`${key}\`: ${rangeMessage(name)}`);
  return f;
}

/** The query string of GET /indexes/{uid}/search. */
export function parseSearchQueryString(query: Query): ParsedSearch {
  checkQueryKeys(query, GET_FIELDS);
  const out: ParsedSearch = { query: defaultSearchQuery(), unsupported: defaultUnsupported() };
  for (const key of Object.keys(query)) readGetField(key, query, out);
  const embedder = queryString(query, 'hybridEmbedder', 'invalid_search_embedder');
  const ratio = queryUnitFloat(query, 'hybridSemanticRatio', 'invalid_search_semantic_ratio', 'semanticRatio');
  if (embedder === undefined && ratio !== undefined) {
    throw new MeiliError('invalid_search_hybrid_query', '`hybridEmbedder` is mandatory when `hybridSemanticRatio` is present');
  }
  if (embedder !== undefined) out.unsupported.hybrid = { embedder, semanticRatio: ratio ?? 0.5 };
  if (out.unsupported.vector !== null && out.unsupported.hybrid === null) {
    throw new MeiliError('missing_search_hybrid', '`hybridEmbedder` is mandatory when `vector` is present');
  }
  return out;
}

function readGetField(key: string, query: Query, out: ParsedSearch): void {
  const q = out.query;
  const u = out.unsupported;
  const code = `invalid_search_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
  const text = () => queryString(query, key, code) as string;
  switch (key) {
    case 'q': q.q = text(); break;
    case 'offset': q.offset = queryUint(query, key, code) as number; break;
    case 'limit': q.limit = queryUint(query, key, code) as number; break;
    case 'page': q.page = queryUint(query, key, code) as number; break;
    case 'hitsPerPage': q.hitsPerPage = queryUint(query, key, code) as number; break;
    case 'cropLength': q.cropLength = queryUint(query, key, code) as number; break;
    case 'attributesToRetrieve': q.attributesToRetrieve = queryList(query, key, code) as string[]; break;
    case 'attributesToCrop': q.attributesToCrop = queryList(query, key, code) as string[]; break;
    case 'attributesToHighlight': q.attributesToHighlight = queryList(query, key, code) as string[]; break;
    case 'facets': q.facets = queryList(query, key, code) as string[]; break;
    case 'attributesToSearchOn': q.attributesToSearchOn = queryList(query, key, code) as string[]; break;
    case 'locales': q.locales = queryLocales(query); break;
    case 'cropMarker': q.cropMarker = text(); break;
    case 'highlightPreTag': q.highlightPreTag = text(); break;
    case 'highlightPostTag': q.highlightPostTag = text(); break;
    case 'distinct': q.distinct = text(); break;
    case 'filter': q.filter = jsonOrString(text()); break;
    case 'sort': q.sort = splitSortParameter(text()); break;
    case 'showMatchesPosition': q.showMatchesPosition = queryBool(query, key, code) as boolean; break;
    case 'showRankingScore': q.showRankingScore = queryBool(query, key, code) as boolean; break;
    case 'showRankingScoreDetails': q.showRankingScoreDetails = queryBool(query, key, code) as boolean; break;
    case 'showPerformanceDetails': u.showPerformanceDetails = queryBool(query, key, code) as boolean; break;
    case 'retrieveVectors': u.retrieveVectors = queryBool(query, key, code) as boolean; break;
    case 'useNetwork': u.useNetwork = queryBool(query, key, code) as boolean; break;
    case 'personalizeUserContext': u.personalize = { userContext: text() }; break;
    case 'matchingStrategy': q.matchingStrategy = getMatchingStrategy(text()); break;
    case 'rankingScoreThreshold':
      q.rankingScoreThreshold = queryUnitFloat(query, key, code, 'rankingScoreThreshold') as number;
      break;
    case 'vector': u.vector = getVector(text()); break;
    default: break; // hybridEmbedder and hybridSemanticRatio are read together afterwards
  }
}

function jsonOrString(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return text;
    throw error;
  }
}

function getMatchingStrategy(value: string): MatchingStrategy {
  if ((MATCHING_STRATEGIES as readonly string[]).includes(value)) return value as MatchingStrategy;
  throw new MeiliError('invalid_search_matching_strategy',
    `Unknown value \`${value}\` for parameter \`matchingStrategy\`: expected one of ${MATCHING_STRATEGIES.map((s) => `\`${s}\``).join(', ')}`);
}

function getVector(value: string): number[] {
  return value.split(',').map((item) => {
    const f = Number(item.trim());
    if (item.trim() === '' || Number.isNaN(f)) {
      throw new MeiliError('invalid_search_vector', 'Invalid value in parameter `vector`: invalid float literal');
    }
    return f;
  });
}

/** The body of POST /indexes/{uid}/facet-search; unknown fields are ignored. */
export interface FacetSearchRequest {
  facetName: string;
  facetQuery: string | null;
  q: string | null;
  filter: unknown;
  matchingStrategy: MatchingStrategy;
  attributesToSearchOn: string[] | null;
  rankingScoreThreshold: number | null;
  exhaustiveFacetCount: boolean | null;
  unsupported: UnsupportedOptions;
}

export function parseFacetSearchBody(body: unknown): FacetSearchRequest {
  if (kindOf(body) !== 'object') throw invalidType('bad_request', '', ['object'], body);
  const search: ParsedSearch = { query: defaultSearchQuery(), unsupported: defaultUnsupported() };
  let facetName: string | undefined;
  let facetQuery: string | null = null;
  let exhaustiveFacetCount: boolean | null = null;
  const shared = new Set(['q', 'filter', 'matchingStrategy', 'attributesToSearchOn', 'hybrid', 'vector', 'media', 'rankingScoreThreshold', 'locales', 'useNetwork']);
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'facetName') facetName = str(value, 'invalid_facet_search_facet_name', '.facetName');
    else if (key === 'facetQuery') facetQuery = value === null ? null : str(value, 'invalid_facet_search_facet_query', '.facetQuery');
    else if (key === 'exhaustiveFacetCount') exhaustiveFacetCount = value === null ? null : bool(value, 'invalid_facet_search_exhaustive_facet_count', '.exhaustiveFacetCount');
    else if (shared.has(key)) applySearchField(key, value, '', search);
  }
  if (facetName === undefined) throw missingField('missing_facet_search_facet_name', 'facetName');
  const q = search.query;
  return {
    facetName, facetQuery, q: q.q, filter: q.filter, matchingStrategy: q.matchingStrategy,
    attributesToSearchOn: q.attributesToSearchOn, rankingScoreThreshold: q.rankingScoreThreshold,
    exhaustiveFacetCount, unsupported: search.unsupported,
  };
}
