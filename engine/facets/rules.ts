// Which fields are filterable, facet-searchable or otherwise faceted, from the
// `filterableAttributes` setting (milli `filterable_attributes_rules.rs` and
// `attribute_patterns.rs`). A plain string is a legacy rule: it matches the
// field and every nested field under it (`a` covers `a.b`), with all
// features on. A granular rule matches its patterns exactly or through `*`
// (`*`, `x*`, `*x`, `*x*`), and never nested fields. The first matching rule
// decides a field's features.
import type { FilterableRule, Settings } from '../../api/protocol/settings/settings.ts';

export type PatternMatch = 'match' | 'parent' | 'none';

export interface Features {
  facetSearch: boolean;
  equality: boolean;
  comparison: boolean;
}

export const isFilterable = (f: Features): boolean => f.equality || f.comparison;

const LEGACY: Features = { facetSearch: true, equality: true, comparison: true };

/** `field` is `facet` or nested under it (`facet.…`). */
function isFacetedBy(field: string, facet: string): boolean {
  return field === facet || (field.startsWith(facet) && field[facet.length] === '.');
}

export function matchFieldLegacy(pattern: string, field: string): PatternMatch {
  if (isFacetedBy(field, pattern)) return 'match';
  return isFacetedBy(pattern, field) ? 'parent' : 'none';
}

export function matchPattern(pattern: string, field: string): PatternMatch {
  const starts = pattern.startsWith('*');
  const ends = pattern.endsWith('*');
  let matched: boolean;
  if (pattern === '*') matched = true;
  else if (starts && ends) matched = field.includes(pattern.slice(1, -1));
  else if (starts) matched = field.endsWith(pattern.slice(1));
  else if (ends) matched = field.startsWith(pattern.slice(0, -1));
  else matched = pattern === field;
  if (matched) return 'match';
  return isFacetedBy(pattern, field) ? 'parent' : 'none';
}

function matchRule(rule: string | FilterableRule, field: string): PatternMatch {
  if (typeof rule === 'string') return matchFieldLegacy(rule, field);
  let result: PatternMatch = 'none';
  for (const pattern of rule.attributePatterns) {
    const m = matchPattern(pattern, field);
    if (m === 'match') return 'match';
    if (m === 'parent') result = 'parent';
  }
  return result;
}

function ruleFeatures(rule: string | FilterableRule): Features {
  if (typeof rule === 'string') return LEGACY;
  const { facetSearch, filter } = rule.features;
  return { facetSearch, equality: filter.equality, comparison: filter.comparison };
}

/** The first rule matching `field`, with its index in the setting. */
export function matchingFeatures(
  field: string, rules: ReadonlyArray<string | FilterableRule>,
): { ruleIndex: number; features: Features } | null {
  for (const [ruleIndex, rule] of rules.entries()) {
    if (matchRule(rule, field) === 'match') return { ruleIndex, features: ruleFeatures(rule) };
  }
  return null;
}

/** The patterns of the rules whose features pass `keep`, sorted (a BTreeSet in Meilisearch). */
export function patternsWhere(
  rules: ReadonlyArray<string | FilterableRule>, keep: (f: Features) => boolean,
): string[] {
  const patterns = new Set<string>();
  for (const rule of rules) {
    if (!keep(ruleFeatures(rule))) continue;
    if (typeof rule === 'string') patterns.add(rule);
    else for (const p of rule.attributePatterns) patterns.add(p);
  }
  return [...patterns].sort(compareBytes);
}

/**
 * Whether a field gets facet values at all (milli `match_faceted_field`):
 * filterable or facet-searchable by its rules, sortable, or the distinct
 * attribute. `parent` means only fields below it do, so a walk goes on.
 */
export function matchFacetedField(field: string, settings: Settings): PatternMatch {
  let selection: PatternMatch = 'none';
  let canMatch = true;
  for (const rule of settings.filterableAttributes) {
    const m = matchRule(rule, field);
    const f = ruleFeatures(rule);
    const wanted = f.facetSearch || isFilterable(f);
    if (m === 'match') {
      if (wanted && canMatch) return 'match';
      canMatch = false;
    } else if (m === 'parent' && wanted) {
      selection = 'parent';
    }
  }
  const distinct = settings.distinctAttribute;
  if (distinct !== null) {
    if (field === distinct) return 'match';
    if (isFacetedBy(distinct, field)) selection = 'parent';
  }
  for (const sortable of settings.sortableAttributes) {
    const m = matchFieldLegacy(sortable, field);
    if (m === 'match') return 'match';
    if (m === 'parent') selection = 'parent';
  }
  return selection;
}

/** Byte order of the UTF-8 encodings, which is code point order (Rust `str` ordering). */
export function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort above every BMP unit in UTF-8.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
