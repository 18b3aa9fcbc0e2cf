// Shape validation of POST /multi-search bodies (API.md §4.5):
// `{queries: [SearchQueryWithIndex…], federation?: Federation}` with
// deserr's messages, located at `.queries[i].field` / `.federation.field`.
// Rules that depend on whether the request is federated are checked by
// `checkQueryRules`, with Meilisearch's "Inside `.queries[i]`: " messages.
import { MeiliError } from '../../api/errors/registry.ts';
import { checkIndexUid } from '../../api/protocol/index-uid.ts';
import { invalidType, invalidValue, kindOf, missingField, unknownField } from '../../api/protocol/deserr.ts';
import {
  applySearchField, bool, defaultSearchQuery, defaultUnsupported, optUintOrNull, SEARCH_FIELDS, str, strList, uint,
  type ParsedSearch,
} from '../../api/protocol/search-params.ts';

export interface FederationOptions {
  weight: number;
  remote: string | null;
  queryPosition: number | null;
}

export interface MultiSearchQuery extends ParsedSearch {
  indexUid: string;
  federationOptions: FederationOptions | null;
  /** The first pagination field given (non-null), as Meilisearch's `has_pagination` reports it. */
  pagination: 'offset' | 'limit' | 'page' | 'hitsPerPage' | null;
}

export interface Federation {
  limit: number;
  offset: number;
  page: number | null;
  hitsPerPage: number | null;
  facetsByIndex: Map<string, string[] | null>;
  mergeFacets: { maxValuesPerFacet: number | null } | null;
  distinct: string | null;
  showPerformanceDetails: boolean;
}

export interface MultiSearchRequest {
  queries: MultiSearchQuery[];
  federation: Federation | null;
}

const QUERY_FIELDS = ['indexUid', ...SEARCH_FIELDS.slice(0, 21), 'hybrid', 'vector', 'retrieveVectors', 'media', 'personalize', 'useNetwork', 'showRankingScore', 'showRankingScoreDetails', 'showPerformanceDetails', 'federationOptions'];
const FEDERATION_FIELDS = ['limit', 'offset', 'page', 'hitsPerPage', 'facetsByIndex', 'mergeFacets', 'distinct', 'showPerformanceDetails'];
function indexUid(v: unknown, path: string): string {
  return checkIndexUid(str(v, 'invalid_index_uid', path), path);
}

function federationOptions(v: unknown, path: string): FederationOptions | null {
  if (v === null) return null;
  if (kindOf(v) !== 'object') throw invalidType('bad_request', path, ['object'], v);
  const out: FederationOptions = { weight: 1, remote: null, queryPosition: null };
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    const p = `${path}.${key}`;
    if (key === 'weight') {
      const kinds = ['integer', 'negative', 'float'] as const;
      if (!(kinds as readonly string[]).includes(kindOf(value))) throw invalidType('invalid_multi_search_weight', p, [...kinds], value);
      if ((value as number) < 0) throw invalidValue('invalid_multi_search_weight', p, 'the value of `weight` is invalid, expected a positive float (>= 0.0).');
      out.weight = value as number;
    } else if (key === 'remote') out.remote = value === null ? null : str(value, 'invalid_multi_search_remote', p);
    else if (key === 'queryPosition') out.queryPosition = optUintOrNull(value, 'invalid_multi_search_query_position', p);
    else throw unknownField(key, ['weight', 'remote', 'queryPosition'], path);
  }
  return out;
}

function parseQuery(v: unknown, path: string): MultiSearchQuery {
  if (kindOf(v) !== 'object') throw invalidType('bad_request', path, ['object'], v);
  const out: MultiSearchQuery = {
    query: defaultSearchQuery(), unsupported: defaultUnsupported(), indexUid: '', federationOptions: null, pagination: null,
  };
  let uid: string | undefined;
  const given = new Set<string>();
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (key === 'indexUid') uid = indexUid(value, `${path}.indexUid`);
    else if (key === 'federationOptions') out.federationOptions = federationOptions(value, `${path}.federationOptions`);
    else if (!applySearchField(key, value, path, out, true)) throw unknownField(key, QUERY_FIELDS, path);
    if (value !== null) given.add(key);
  }
  if (uid === undefined) throw missingField('missing_index_uid', 'indexUid', path);
  out.indexUid = uid;
  out.pagination = (['offset', 'limit', 'page', 'hitsPerPage'] as const).find((f) => given.has(f)) ?? null;
  return out;
}

function facetsByIndex(v: unknown, path: string): Map<string, string[] | null> {
  const code = 'invalid_multi_search_facets_by_index';
  if (kindOf(v) !== 'object') throw invalidType(code, path, ['object'], v);
  const out = new Map<string, string[] | null>();
  for (const [uid, facets] of Object.entries(v as Record<string, unknown>)) {
    checkIndexUid(uid, path);
    out.set(uid, strList(facets, code, `${path}.${uid}`));
  }
  return out;
}

function mergeFacets(v: unknown, path: string): Federation['mergeFacets'] {
  if (v === null) return null;
  const code = 'invalid_multi_search_merge_facets';
  if (kindOf(v) !== 'object') throw invalidType(code, path, ['object'], v);
  const out = { maxValuesPerFacet: null as number | null };
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    if (key === 'maxValuesPerFacet') out.maxValuesPerFacet = optUintOrNull(value, 'invalid_multi_search_max_values_per_facet', `${path}.maxValuesPerFacet`);
    else throw unknownField(key, ['maxValuesPerFacet'], path, code);
  }
  return out;
}

function parseFederation(v: unknown): Federation | null {
  if (v === null) return null;
  const path = '.federation';
  if (kindOf(v) !== 'object') throw invalidType('invalid_multi_search_federated', path, ['object'], v);
  const out: Federation = {
    limit: 20, offset: 0, page: null, hitsPerPage: null, facetsByIndex: new Map(), mergeFacets: null, distinct: null, showPerformanceDetails: false,
  };
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    const p = `${path}.${key}`;
    switch (key) {
      case 'limit': out.limit = uint(value, 'invalid_search_limit', p); break;
      case 'offset': out.offset = uint(value, 'invalid_search_offset', p); break;
      case 'page': out.page = optUintOrNull(value, 'invalid_search_page', p); break;
      case 'hitsPerPage': out.hitsPerPage = optUintOrNull(value, 'invalid_search_hits_per_page', p); break;
      case 'facetsByIndex': out.facetsByIndex = facetsByIndex(value, p); break;
      case 'mergeFacets': out.mergeFacets = mergeFacets(value, p); break;
      case 'distinct': out.distinct = value === null ? null : str(value, 'invalid_multi_search_distinct', p); break;
      case 'showPerformanceDetails': out.showPerformanceDetails = bool(value, 'invalid_search_show_performance_details', p); break;
      default: throw unknownField(key, FEDERATION_FIELDS, path);
    }
  }
  return out;
}

export function parseMultiSearchBody(body: unknown): MultiSearchRequest {
  if (kindOf(body) !== 'object') throw invalidType('bad_request', '', ['object'], body);
  let queries: MultiSearchQuery[] | undefined;
  let federation: Federation | null = null;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (key === 'queries') {
      if (!Array.isArray(value)) throw invalidType('bad_request', '.queries', ['array'], value);
      queries = value.map((q, i) => parseQuery(q, `.queries[${i}]`));
    } else if (key === 'federation') federation = parseFederation(value);
    else throw unknownField(key, ['queries', 'federation']);
  }
  if (queries === undefined) throw missingField('bad_request', 'queries');
  return { queries, federation };
}

function inside(i: number, code: string, message: string): MeiliError {
  return new MeiliError(code, `Inside \`.queries[${i}]\`: ${message}`);
}

/** The per-query rules that depend on `federation` (multi_search.rs, perform.rs). */
export function checkQueryRules(request: MultiSearchRequest): void {
  const fed = request.federation;
  request.queries.forEach((q, i) => {
    if (fed === null) {
      if (q.federationOptions !== null) {
        throw inside(i, 'invalid_multi_search_federation_options',
          `Using \`federationOptions\` is not allowed in a non-federated search.\n - Hint: remove \`federationOptions\` from query #${i} or add \`federation\` to the request.`);
      }
      return;
    }
    if (q.unsupported.personalize !== null) {
      throw inside(i, 'invalid_multi_search_query_personalization',
        `Using \`.personalize\` is not allowed in federated queries.\n - Hint: remove \`personalize\` from query #${i} or remove \`federation\` from the request`);
    }
    if (q.unsupported.showPerformanceDetails !== null) {
      throw inside(i, 'invalid_multi_search_query_show_performance_details',
        `Using \`.showPerformanceDetails\` is not allowed in federated queries.\n - Hint: remove \`showPerformanceDetails\` from query #${i} or remove \`federation\` from the request`);
    }
    if (q.pagination !== null) {
      throw inside(i, 'invalid_multi_search_query_pagination',
        `Using pagination options is not allowed in federated queries.\n - Hint: remove \`${q.pagination}\` from query #${i} or remove \`federation\` from the request\n - Hint: pass \`federation.limit\` and \`federation.offset\` for pagination in federated search`);
    }
    const facets = q.query.facets;
    if (facets !== null && facets.length > 0) {
      throw inside(i, 'invalid_multi_search_query_facets',
        `Using facet options is not allowed in federated queries.\n - Hint: remove \`facets\` from query #${i} or remove \`federation\` from the request\n - Hint: pass \`federation.facetsByIndex.${q.indexUid}: ${JSON.stringify(facets).replace(/","/g, '", "')}\` for facets in federated search`);
    }
    if (fed.distinct !== null && q.query.distinct !== null) {
      throw inside(i, 'invalid_multi_search_distinct',
        `Using \`.distinct\` is not allowed in a federated query when \`federation.distinct\` is set.\n - Hint: remove \`distinct\` from query #${i} or remove \`distinct\` from the federation`);
    }
  });
}
