// Tenant-token search rules (API.md §9.2) and the filter fusion of §7.
// Rules are either a list of index patterns (no filter) or a map from
// pattern to `{filter}` / null. For one index the most specific matching
// pattern wins: an exact pattern before any wildcard, then the longest.
import { isExactPattern, isValidIndexPattern, patternMatches } from './index-pattern.ts';

export type SearchRules =
  | { readonly kind: 'set'; readonly patterns: readonly string[] }
  | { readonly kind: 'map'; readonly rules: ReadonlyMap<string, { readonly filter: unknown } | null> };

/** The rule for one index: whether it is allowed, and the filter to AND with the user's. */
export interface IndexRule {
  readonly allowed: boolean;
  readonly filter: unknown;
}

/** Parses the `searchRules` claim; null when it has neither accepted form. */
export function parseSearchRules(value: unknown): SearchRules | null {
  if (Array.isArray(value)) {
    if (!value.every((p) => typeof p === 'string' && isValidIndexPattern(p))) return null;
    return { kind: 'set', patterns: value as string[] };
  }
  if (value === null || typeof value !== 'object') return null;
  const rules = new Map<string, { filter: unknown } | null>();
  for (const [pattern, rule] of Object.entries(value as Record<string, unknown>)) {
    if (!isValidIndexPattern(pattern)) return null;
    if (rule === null) {
      rules.set(pattern, null);
    } else if (typeof rule === 'object' && !Array.isArray(rule)) {
      const filter = (rule as Record<string, unknown>)['filter'];
      rules.set(pattern, { filter: filter === undefined ? null : filter });
    } else {
      return null;
    }
  }
  return { kind: 'map', rules };
}

export function rulePatterns(rules: SearchRules): string[] {
  return rules.kind === 'set' ? [...rules.patterns] : [...rules.rules.keys()];
}

export function resolveIndexRule(rules: SearchRules, indexUid: string): IndexRule {
  if (rules.kind === 'set') {
    return { allowed: rules.patterns.some((p) => patternMatches(p, indexUid)), filter: null };
  }
  let best: { pattern: string; rule: { filter: unknown } | null } | null = null;
  for (const [pattern, rule] of rules.rules) {
    if (!patternMatches(pattern, indexUid)) continue;
    if (best === null || moreSpecific(pattern, best.pattern)) best = { pattern, rule };
  }
  if (best === null) return { allowed: false, filter: null };
  return { allowed: true, filter: best.rule?.filter ?? null };
}

function moreSpecific(a: string, b: string): boolean {
  const exactA = isExactPattern(a);
  const exactB = isExactPattern(b);
  if (exactA !== exactB) return exactA;
  return a.length > b.length;
}

/**
 * Meilisearch's `fuse_filters`: a missing side leaves the other unchanged;
 * otherwise both sides become arrays (a string is one element) and are
 * concatenated into one outer AND array.
 */
export function fuseFilters(user: unknown, rule: unknown): unknown {
  if (rule === null || rule === undefined) return user ?? null;
  if (user === null || user === undefined) return rule;
  const left = Array.isArray(user) ? user : [user];
  const right = Array.isArray(rule) ? rule : [rule];
  return [...left, ...right];
}
