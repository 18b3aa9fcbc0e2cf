// Checks of search parameters that need the index settings, answered with
// Meilisearch's codes and messages: `sort` (syntax, the `sort` ranking rule,
// sortable attributes), `distinct` (must be filterable) and
// `attributesToSearchOn` (must be searchable).
import { MeiliError } from '../../api/errors/registry.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import { pathMatches } from '../index/flatten.ts';
import type { SortCriterion } from '../ranking/rule-list.ts';

export function parseSort(sort: readonly string[] | null, settings: Settings, indexUid: string): SortCriterion[] | null {
  if (sort === null || sort.length === 0) return null;
  const criteria = sort.map((s): SortCriterion => {
    const geo = /^_geoPoint\(\s*([^,\s]+)\s*,\s*([^)\s]+)\s*\):(asc|desc)$/.exec(s.trim());
    if (geo) {
      const point: [number, number] = [Number(geo[1]), Number(geo[2])];
      if (point.some((x) => !Number.isFinite(x))) {
        throw new MeiliError('invalid_search_sort', `Invalid syntax for the geo parameter: expected expression formatted like \`_geoPoint(latitude, longitude)\` and ending by \`:asc\` or \`:desc\`, found \`${s}\`.`);
      }
      return { field: '_geo', ascending: geo[3] === 'asc', point };
    }
    const m = /^(.+):(asc|desc)$/.exec(s.trim());
    if (!m) throw new MeiliError('invalid_search_sort', `Invalid syntax for the sort parameter: expected expression ending by \`:asc\` or \`:desc\`, found \`${s}\`.`);
    return { field: m[1]!, ascending: m[2] === 'asc' };
  });
  if (!settings.rankingRules.includes('sort')) {
    throw new MeiliError('invalid_search_sort', 'You must specify where `sort` is listed in the rankingRules setting to use the sort parameter at search time.');
  }
  for (const c of criteria) {
    if (settings.sortableAttributes.some((a) => pathMatches(a, c.field))) continue;
    const valid = [...settings.sortableAttributes].sort();
    const tail = valid.length === 0 ? 'This index does not have configured sortable attributes.' : `Available sortable attributes are: \`${valid.join(', ')}\`.`;
    throw new MeiliError('invalid_search_sort', `Index \`${indexUid}\`: Attribute \`${c.field}\` is not sortable. ${tail}`);
  }
  return criteria;
}

function filterablePatterns(settings: Settings): string[] {
  return settings.filterableAttributes.flatMap((r) => (typeof r === 'string' ? [r] : r.attributePatterns));
}

function patternSelects(pattern: string, field: string): boolean {
  if (pattern.includes('*')) {
    const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return re.test(field);
  }
  return pathMatches(pattern, field);
}

export function checkDistinct(field: string, settings: Settings, indexUid: string): void {
  const patterns = filterablePatterns(settings);
  if (patterns.some((p) => patternSelects(p, field))) return;
  const tail = patterns.length === 0
    ? 'This index does not have configured filterable attributes.'
    : `Available filterable attributes patterns are: \`${[...patterns].sort().join(', ')}\`.`;
  throw new MeiliError('invalid_search_distinct', `Index \`${indexUid}\`: Attribute \`${field}\` is not filterable and thus, cannot be used as distinct attribute. ${tail}`);
}

/**
 * Under `searchableAttributes: ["*"]` Meilisearch never refuses a name: one
 * that no document carries is skipped (milli's attributes_to_search_on), so
 * it searches nothing. Only an explicit list makes an unlisted name an error.
 */
export function checkSearchOn(fields: readonly string[] | null, settings: Settings, indexUid: string): void {
  if (fields === null || settings.searchableAttributes.includes('*')) return;
  const searchable = settings.searchableAttributes;
  for (const f of fields) {
    if (searchable.some((s) => pathMatches(s, f))) continue;
    throw new MeiliError(
      'invalid_search_attributes_to_search_on',
      `Index \`${indexUid}\`: Attribute \`${f}\` is not searchable. Available searchable attributes are: \`${searchable.join(', ')}\`.`,
    );
  }
}
