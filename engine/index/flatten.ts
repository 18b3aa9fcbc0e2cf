// Flattens a document into dotted leaf paths, as Meilisearch does for
// searching and filtering: `{a: {b: "x"}}` has the leaf `a.b`; arrays keep
// their elements under the same path, each with its index chain so matches
// can report `indices`. Pure.

export interface Leaf {
  path: string;
  value: string | number | boolean;
  /** Array indices from the outermost array down, empty outside arrays. */
  indices: number[];
}

export function flattenLeaves(doc: Record<string, unknown>): Leaf[] {
  const out: Leaf[] = [];
  for (const [key, value] of Object.entries(doc)) walk(key, value, [], out);
  return out;
}

function walk(path: string, value: unknown, indices: number[], out: Leaf[]): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out.push({ path, value, indices });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(path, v, [...indices, i], out));
    return;
  }
  if (typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) walk(`${path}.${key}`, v, indices, out);
  }
}

/** The text a leaf contributes to the search index. */
export function leafText(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

/** `pattern` selects `path` when equal, or when `path` is nested under it. */
export function pathMatches(pattern: string, path: string): boolean {
  return pattern === '*' || path === pattern || path.startsWith(`${pattern}.`);
}
