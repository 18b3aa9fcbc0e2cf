// Walks a document the way Meilisearch's facet extractor does
// (milli `extract_document_facets` and `perm_json_p`), reporting each
// faceted path with each value found under it:
// - nested objects are flattened with dots (`a.b`); arrays are transparent,
//   so `{a: [{b: 1}, {b: 2}]}` gives `a.b` = 1 and `a.b` = 2;
// - a faceted object or array is also reported whole (it exists, and may be
//   empty); empty objects and arrays are reported where they stand;
// - `depth` is `array` for values found inside an array: Meilisearch counts
//   `null`, `""`, `[]` and `{}` as NULL/EMPTY only outside arrays.
// Every top-level field is reported as known, like Meilisearch's field map.
import type { Document } from '../core/contracts.ts';
import type { PatternMatch } from './rules.ts';

export type Depth = 'base' | 'array';

export interface FacetSink {
  /** A field name the index has seen (Meilisearch's fields-ids map). */
  known(path: string): void;
  /** A value under a faceted path. */
  value(path: string, depth: Depth, value: unknown): void;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function extractFacets(doc: Document, select: (path: string) => PatternMatch, sink: FacetSink): void {
  const visit = (path: string, depth: Depth, value: unknown): PatternMatch => {
    const selection = select(path);
    if (selection === 'match') {
      sink.known(path);
      sink.value(path, depth, value);
    }
    return selection;
  };

  const seekObject = (object: Json, base: string, baseDepth: Depth): void => {
    const entries = Object.entries(object);
    if (entries.length === 0) visit(base, baseDepth, {});
    for (const [key, value] of entries) {
      const path = `${base}.${key}`;
      if (visit(path, 'base', value) === 'none') continue;
      if (isObject(value)) seekObject(value, path, 'base');
      else if (Array.isArray(value)) seekArray(value, path, 'base');
    }
  };

  const seekArray = (values: unknown[], base: string, baseDepth: Depth): void => {
    if (values.length === 0) visit(base, baseDepth, []);
    for (const value of values) {
      if (isObject(value)) seekObject(value, base, 'array');
      else if (Array.isArray(value)) seekArray(value, base, 'array');
      else visit(base, 'array', value);
    }
  };

  for (const [name, value] of Object.entries(doc)) {
    sink.known(name);
    const selection = select(name);
    if (selection === 'none') continue;
    if (isObject(value)) seekObject(value, name, 'base');
    else if (Array.isArray(value)) seekArray(value, name, 'base');
    if (selection === 'match') sink.value(name, 'base', value);
  }
}
