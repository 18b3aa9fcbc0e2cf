// Builds one search hit: the displayed ∩ retrieved fields in field-id order,
// `_geoDistance` when sorting by a geo point and the retrieved hit has `_geo`,
// then `_formatted` (when highlighting or cropping selects something),
// `_matchesPosition`, `_rankingScore` and `_rankingScoreDetails` as asked.
// In `_formatted`, a highlighted or cropped number or boolean becomes a string,
// as in Meilisearch.
import type { Document } from '../core/contracts.ts';
import { pathMatches } from '../index/flatten.ts';
import type { Tokenizer } from '../text/tokenizer.ts';
import type { MatchWords } from './highlight.ts';
import { bytePositions, crop, highlight, matchesIn } from './highlight.ts';
import { geoDistanceOf } from '../ranking/sort-values.ts';

export interface FormatOptions {
  displayed: readonly string[];
  retrieve: readonly string[] | null;
  highlight: readonly string[] | null;
  crop: readonly string[] | null;
  cropLength: number;
  cropMarker: string;
  pre: string;
  post: string;
  showMatchesPosition: boolean;
}

export interface HitExtras {
  /** The origin of the first `_geoPoint(lat, lng)` sort, for `_geoDistance`. */
  geoPoint?: [number, number];
  score?: number;
  details?: Record<string, unknown>;
}

/** Keeps the parts of `value` at `path` that some pattern selects. */
function select(value: unknown, path: string, patterns: readonly string[]): unknown {
  if (patterns.some((p) => pathMatches(p, path))) return value;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => select(v, path, patterns)).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const child = `${path}.${k}`;
    if (!patterns.some((p) => pathMatches(p, child) || p.startsWith(`${child}.`))) continue;
    const picked = select(v, child, patterns);
    if (picked !== undefined) out[k] = picked;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

export function selectFields(doc: Document, displayed: readonly string[], retrieve: readonly string[] | null, fieldRank: (f: string) => number): Document {
  const out: Document = {};
  const keys = Object.keys(doc).sort((a, b) => fieldRank(a) - fieldRank(b));
  if (displayed.includes('*') && (retrieve === null || retrieve.includes('*'))) {
    // `*` selects every path: the whole document, in field order (the default, and most searches).
    for (const key of keys) if (doc[key] !== undefined) out[key] = doc[key];
    return out;
  }
  const wanted = (path: string, patterns: readonly string[]) => patterns.some((p) => pathMatches(p, path) || p.startsWith(`${path}.`));
  for (const key of keys) {
    if (!wanted(key, displayed)) continue;
    if (retrieve !== null && !wanted(key, retrieve)) continue;
    let value = select(doc[key], key, displayed);
    if (value !== undefined && retrieve !== null) value = select(value, key, retrieve);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `attr:len` entries: the attribute pattern and its own crop length. */
function cropPatterns(entries: readonly string[] | null, fallback: number): Array<{ pattern: string; length: number }> {
  return (entries ?? []).map((e) => {
    const m = /^(.*):(\d+)$/.exec(e);
    return m ? { pattern: m[1]!, length: Number(m[2]) } : { pattern: e, length: fallback };
  });
}

function formatValue(value: unknown, path: string, opts: FormatOptions, words: MatchWords, tokenizer: Tokenizer): unknown {
  if (Array.isArray(value)) return value.map((v) => formatValue(v, path, opts, words, tokenizer));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = formatValue(v, `${path}.${k}`, opts, words, tokenizer);
    return out;
  }
  if (value === null || value === undefined) return value;
  const doHighlight = (opts.highlight ?? []).some((p) => pathMatches(p, path));
  const cropRule = cropPatterns(opts.crop, opts.cropLength).find((c) => pathMatches(c.pattern, path));
  if (!doHighlight && !cropRule) return value;
  const text = String(value);
  const tags = doHighlight ? { pre: opts.pre, post: opts.post } : null;
  if (cropRule) return crop(text, tokenizer, words, cropRule.length, opts.cropMarker, tags);
  return highlight(text, tokenizer, words, tags!);
}

function matchesPosition(doc: Document, words: MatchWords, tokenizer: Tokenizer): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const visit = (value: unknown, path: string, indices: number[]) => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, path, [...indices, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(v, `${path}.${k}`, indices);
    } else if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      for (const pos of bytePositions(text, matchesIn(text, tokenizer, words))) {
        (out[path] ??= []).push(indices.length > 0 ? { ...pos, indices } : pos);
      }
    }
  };
  for (const [k, v] of Object.entries(doc)) visit(v, k, []);
  return out;
}

export function formatHit(doc: Document, opts: FormatOptions, fieldRank: (f: string) => number, words: MatchWords, tokenizer: Tokenizer, extras: HitExtras): Document {
  const hit = selectFields(doc, opts.displayed, opts.retrieve, fieldRank);
  if (extras.geoPoint) {
    const distance = geoDistanceOf(hit, extras.geoPoint);
    if (distance !== null) hit._geoDistance = distance;
  }
  const wantsFormatting = (opts.highlight?.length ?? 0) > 0 || (opts.crop?.length ?? 0) > 0;
  if (wantsFormatting) {
    const formatted: Document = {};
    for (const [k, v] of Object.entries(hit)) formatted[k] = formatValue(v, k, opts, words, tokenizer);
    hit._formatted = formatted;
  }
  if (opts.showMatchesPosition) hit._matchesPosition = matchesPosition(selectFields(doc, opts.displayed, null, fieldRank), words, tokenizer);
  if (extras.score !== undefined) hit._rankingScore = extras.score;
  if (extras.details !== undefined) hit._rankingScoreDetails = extras.details;
  return hit;
}
