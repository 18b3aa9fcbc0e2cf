// GET query strings of the read routes turned into the bodies the scatter
// sends (nodes are always asked with POST, because the shard restriction is
// an array filter): GET /indexes/{uid}/search (API.md §1.3: lists are
// comma-separated, `filter` is JSON or a string, `hybridEmbedder` /
// `hybridSemanticRatio` make `hybrid`) and GET /indexes/{uid}/documents
// (§1.2).
//
// These converters only convert. A value they cannot read (a number that is
// not one, a repeated key, an unknown parameter) returns null; the caller then
// sends the unchanged query string to a node and answers with the node's own
// Meilisearch error, so the messages are Meilisearch's without duplicating its
// validation here.

export type QueryString = Readonly<Record<string, unknown>>;

const UINT = /^\+?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/;

type Reader = (text: string) => unknown;

const uint: Reader = (t) => (UINT.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : INVALID);
const float: Reader = (t) => (FLOAT.test(t) ? Number(t) : INVALID);
const bool: Reader = (t) => (t === 'true' ? true : t === 'false' ? false : INVALID);
const text: Reader = (t) => t;
const list: Reader = (t) => t.split(',').map((s) => s.trim()).filter((s) => s !== '');
const filter: Reader = (t) => {
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return t;
  }
};

const INVALID = Symbol('invalid');

const SEARCH_READERS: Readonly<Record<string, Reader>> = {
  q: text,
  offset: uint,
  limit: uint,
  page: uint,
  hitsPerPage: uint,
  attributesToRetrieve: list,
  attributesToCrop: list,
  cropLength: uint,
  cropMarker: text,
  attributesToHighlight: list,
  highlightPreTag: text,
  highlightPostTag: text,
  showMatchesPosition: bool,
  filter,
  sort: (t) => splitSort(t),
  distinct: text,
  facets: list,
  matchingStrategy: text,
  attributesToSearchOn: list,
  rankingScoreThreshold: float,
  locales: list,
  retrieveVectors: bool,
  useNetwork: bool,
  showRankingScore: bool,
  showRankingScoreDetails: bool,
  showPerformanceDetails: bool,
  vector: (t) => {
    const values = t.split(',').map((s) => s.trim());
    return values.every((v) => FLOAT.test(v)) ? values.map(Number) : INVALID;
  },
};

const DOCUMENTS_READERS: Readonly<Record<string, Reader>> = {
  offset: uint,
  limit: uint,
  fields: list,
  retrieveVectors: bool,
  ids: list,
  filter,
  sort: list,
  useNetwork: bool,
};

/** The POST body equivalent to a GET /search query string, or null when a value cannot be read. */
export function searchBodyFromQuery(query: QueryString): Record<string, unknown> | null {
  const { hybridEmbedder, hybridSemanticRatio, personalizeUserContext, ...rest } = query;
  const body = convert(rest, SEARCH_READERS);
  if (body === null) return null;
  if (hybridEmbedder !== undefined || hybridSemanticRatio !== undefined) {
    // Only the complete pair converts; anything else is for the node to reject with its own message.
    if (typeof hybridEmbedder !== 'string') return null;
    const ratio = hybridSemanticRatio === undefined ? 0.5 : typeof hybridSemanticRatio === 'string' ? float(hybridSemanticRatio) : INVALID;
    if (ratio === INVALID) return null;
    body['hybrid'] = { embedder: hybridEmbedder, semanticRatio: ratio };
  }
  if (personalizeUserContext !== undefined) {
    if (typeof personalizeUserContext !== 'string') return null;
    body['personalize'] = { userContext: personalizeUserContext };
  }
  return body;
}

/** The POST /documents/fetch body equivalent to a GET /documents query string, or null. */
export function documentsQueryFromQuery(query: QueryString): Record<string, unknown> | null {
  return convert(query, DOCUMENTS_READERS);
}

function convert(query: QueryString, readers: Readonly<Record<string, Reader>>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(query)) {
    const read = Object.hasOwn(readers, key) ? readers[key] : undefined;
    if (read === undefined || typeof raw !== 'string') return null;
    const value = read(raw);
    if (value === INVALID) return null;
    out[key] = value;
  }
  return out;
}

/** Splits `sort` on commas, keeping `_geoPoint(lat, lng):asc` whole. */
export function splitSort(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current.trim());
  return out.filter((s) => s !== '');
}

/** The query string as the node client sends it (strings only; null when a key repeats). */
export function plainQuery(query: QueryString): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string') return null;
    out[key] = value;
  }
  return out;
}
