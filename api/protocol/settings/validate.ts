// Validation of settings bodies (API.md §1.4) into a SettingsPatch, with
// Meilisearch's `invalid_settings_*` codes and deserr messages. Shape errors
// are synchronous (400); checks that need index state, such as typo word
// sizes in the order Meilisearch checks them, run in the task (apply.ts).
// A null value resets a setting; nested objects (typoTolerance, faceting,
// pagination) are partial and merged field by field when applied.
import { MeiliError } from '../../errors/registry.ts';
import { SETTINGS_KEYS, type Settings } from './settings.ts';
import {
  expectObject, invalidType, invalidValue, kindOf, stringArray, unknownValue,
} from '../deserr.ts';
import type { SettingsPatch } from './settings.ts';

type Key = keyof Settings;

function settingCode(key: Key): string {
  return `invalid_settings_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}

const BUILTIN_RULES = ['words', 'typo', 'proximity', 'attribute', 'attributeRank', 'wordPosition', 'sort', 'exactness'];

function rankingRules(value: unknown, code: string, path: string): string[] {
  const rules = stringArray(value, code, path);
  rules.forEach((rule, i) => {
    const at = `${path}[${i}]`;
    if (BUILTIN_RULES.includes(rule)) return;
    const m = /^(.+):(asc|desc)$/.exec(rule);
    const field = m?.[1];
    if (field !== undefined && !/\s/.test(field)) {
      if (field === '_geo' || field.startsWith('_geoPoint(')) {
        throw invalidValue(code, at, `\`${field}\` is a reserved keyword and thus can't be used as a ranking rule. \`${field}\` can only be used for sorting at search time`);
      }
      return;
    }
    if (['_geo', '_geoDistance', '_geoPoint', '_geoRadius', '_geoBoundingBox'].includes(rule)) {
      throw invalidValue(code, at, `\`${rule}\` is a reserved keyword and thus can't be used as a ranking rule`);
    }
    throw invalidValue(code, at, `\`${rule}\` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.`);
  });
  const hasAttribute = rules.includes('attribute');
  if (hasAttribute && (rules.includes('attributeRank') || rules.includes('wordPosition'))) {
    throw invalidValue(code, path, 'Mixed usage of the attribute, attributeRank, and wordPosition ranking rules is not allowed. Use either `attribute`, or `attributeRank` and `wordPosition`.');
  }
  return rules;
}

/** A sorted, deduplicated copy: Meilisearch keeps these settings in BTreeSets. */
function sortedSet(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function uint(value: unknown, code: string, path: string, max = Number.MAX_SAFE_INTEGER): number {
  if (kindOf(value) !== 'integer') throw invalidType(code, path, ['integer'], value);
  const n = value as number;
  if (n > max) throw invalidValue(code, path, `out of range integral type conversion attempted`);
  return n;
}

function bool(value: unknown, code: string, path: string): boolean {
  if (typeof value !== 'boolean') throw invalidType(code, path, ['boolean'], value);
  return value;
}

function filterableEntry(value: unknown, code: string, path: string): Settings['filterableAttributes'][number] {
  if (typeof value === 'string') return value;
  if (kindOf(value) !== 'object') throw invalidType(code, path, ['string', 'object'], value);
  const obj = expectObject(value, ['attributePatterns', 'features'], path, code);
  if (obj.attributePatterns === undefined) throw new MeiliError(code, `Missing field \`attributePatterns\` inside \`${path}\``);
  const attributePatterns = stringArray(obj.attributePatterns, code, `${path}.attributePatterns`);
  const features = { facetSearch: false, filter: { equality: true, comparison: false } };
  if (obj.features !== undefined && obj.features !== null) {
    const f = expectObject(obj.features, ['facetSearch', 'filter'], `${path}.features`, code);
    if (f.facetSearch !== undefined) features.facetSearch = bool(f.facetSearch, code, `${path}.features.facetSearch`);
    if (f.filter !== undefined && f.filter !== null) {
      const fl = expectObject(f.filter, ['equality', 'comparison'], `${path}.features.filter`, code);
      if (fl.equality !== undefined) features.filter.equality = bool(fl.equality, code, `${path}.features.filter.equality`);
      if (fl.comparison !== undefined) features.filter.comparison = bool(fl.comparison, code, `${path}.features.filter.comparison`);
    }
  }
  return { attributePatterns, features };
}

function typoTolerance(value: unknown, code: string, path: string): Record<string, unknown> {
  const obj = expectObject(value, ['enabled', 'minWordSizeForTypos', 'disableOnWords', 'disableOnAttributes', 'disableOnNumbers'], path, code);
  const out: Record<string, unknown> = {};
  if (obj.enabled !== undefined) out.enabled = obj.enabled === null ? null : bool(obj.enabled, code, `${path}.enabled`);
  if (obj.minWordSizeForTypos !== undefined) {
    if (obj.minWordSizeForTypos === null) {
      out.minWordSizeForTypos = null;
    } else {
      const m = expectObject(obj.minWordSizeForTypos, ['oneTypo', 'twoTypos'], `${path}.minWordSizeForTypos`, code);
      const sizes: Record<string, number | null> = {};
      for (const k of ['oneTypo', 'twoTypos'] as const) {
        if (m[k] !== undefined) sizes[k] = m[k] === null ? null : uint(m[k], code, `${path}.minWordSizeForTypos.${k}`, 255);
      }
      out.minWordSizeForTypos = sizes;
    }
  }
  for (const k of ['disableOnWords', 'disableOnAttributes'] as const) {
    if (obj[k] !== undefined) out[k] = obj[k] === null ? null : sortedSet(stringArray(obj[k], code, `${path}.${k}`));
  }
  if (obj.disableOnNumbers !== undefined) out.disableOnNumbers = obj.disableOnNumbers === null ? null : bool(obj.disableOnNumbers, code, `${path}.disableOnNumbers`);
  return out;
}

function faceting(value: unknown, code: string, path: string): Record<string, unknown> {
  const obj = expectObject(value, ['maxValuesPerFacet', 'sortFacetValuesBy'], path, code);
  const out: Record<string, unknown> = {};
  if (obj.maxValuesPerFacet !== undefined) out.maxValuesPerFacet = obj.maxValuesPerFacet === null ? null : uint(obj.maxValuesPerFacet, code, `${path}.maxValuesPerFacet`);
  if (obj.sortFacetValuesBy !== undefined) {
    if (obj.sortFacetValuesBy === null) {
      out.sortFacetValuesBy = null;
    } else {
      if (kindOf(obj.sortFacetValuesBy) !== 'object') throw invalidType(code, `${path}.sortFacetValuesBy`, ['object'], obj.sortFacetValuesBy);
      const sort: Record<string, 'alpha' | 'count'> = {};
      for (const [k, v] of Object.entries(obj.sortFacetValuesBy as Record<string, unknown>)) {
        const at = `${path}.sortFacetValuesBy.${k}`;
        if (typeof v !== 'string') throw invalidType(code, at, ['string'], v);
        if (v !== 'alpha' && v !== 'count') throw unknownValue(code, v, ['alpha', 'count'], at);
        sort[k] = v;
      }
      out.sortFacetValuesBy = sort;
    }
  }
  return out;
}

function pagination(value: unknown, code: string, path: string): Record<string, unknown> {
  const obj = expectObject(value, ['maxTotalHits'], path, code);
  const out: Record<string, unknown> = {};
  if (obj.maxTotalHits !== undefined) {
    if (obj.maxTotalHits === null) {
      out.maxTotalHits = null;
    } else {
      const n = uint(obj.maxTotalHits, code, `${path}.maxTotalHits`);
      if (n === 0) throw invalidValue(code, `${path}.maxTotalHits`, 'a non-zero integer value lower than `18446744073709551615` was expected, but found a zero');
      out.maxTotalHits = n;
    }
  }
  return out;
}

function synonyms(value: unknown, code: string, path: string): Record<string, string[]> {
  if (kindOf(value) !== 'object') throw invalidType(code, path, ['object'], value);
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(value as object).sort()) {
    out[key] = stringArray((value as Record<string, unknown>)[key], code, `${path}.${key}`);
  }
  return out;
}

function localizedAttributes(value: unknown, code: string, path: string): unknown[] {
  if (!Array.isArray(value)) throw invalidType(code, path, ['null', 'array'], value);
  return value.map((entry, i) => {
    const at = `${path}[${i}]`;
    const obj = expectObject(entry, ['attributePatterns', 'locales'], at, code);
    if (obj.attributePatterns === undefined) throw new MeiliError(code, `Missing field \`attributePatterns\` inside \`${at}\``);
    if (obj.locales === undefined) throw new MeiliError(code, `Missing field \`locales\` inside \`${at}\``);
    return { attributePatterns: stringArray(obj.attributePatterns, code, `${at}.attributePatterns`), locales: stringArray(obj.locales, code, `${at}.locales`) };
  });
}

function enumValue<T extends string>(value: unknown, accepted: readonly T[], code: string, path: string): T {
  if (typeof value !== 'string') throw invalidType(code, path, ['string'], value);
  if (!(accepted as readonly string[]).includes(value)) throw unknownValue(code, value, accepted, path);
  return value as T;
}

/** Validates one setting's value (not null). `path` is '' for a sub-route body. */
export function parseSettingValue(key: Key, value: unknown, path: string): unknown {
  const code = settingCode(key);
  switch (key) {
    case 'displayedAttributes':
    case 'searchableAttributes':
      return stringArray(value, code, path, true);
    case 'sortableAttributes':
    case 'stopWords':
    case 'nonSeparatorTokens':
    case 'separatorTokens':
    case 'dictionary':
      return sortedSet(stringArray(value, code, path, true));
    case 'filterableAttributes':
      if (!Array.isArray(value)) throw invalidType(code, path, ['null', 'array'], value);
      return value.map((entry, i) => filterableEntry(entry, code, `${path}[${i}]`));
    case 'rankingRules': return rankingRules(value, code, path);
    case 'synonyms': return synonyms(value, code, path);
    case 'distinctAttribute':
      if (typeof value !== 'string') throw invalidType(code, path, ['null', 'string'], value);
      return value;
    case 'proximityPrecision': return enumValue(value, ['byWord', 'byAttribute'], code, path);
    case 'typoTolerance': return typoTolerance(value, code, path);
    case 'faceting': return faceting(value, code, path);
    case 'pagination': return pagination(value, code, path);
    case 'embedders':
      if (kindOf(value) !== 'object') throw invalidType(code, path, ['null', 'object'], value);
      if (Object.keys(value as object).length > 0) {
        throw invalidValue(code, path, 'embedders are not supported by this node (no vector store)');
      }
      return {};
    case 'searchCutoffMs': return uint(value, code, path);
    case 'localizedAttributes': return localizedAttributes(value, code, path);
    case 'facetSearch': return bool(value, code, path);
    case 'prefixSearch': return enumValue(value, ['indexingTime', 'disabled'], code, path);
  }
}

/** The body of PATCH /settings. */
export function parseSettingsBody(body: unknown): SettingsPatch {
  const obj = expectObject(body, SETTINGS_KEYS as string[]);
  const patch: Record<string, unknown> = {};
  for (const key of SETTINGS_KEYS) {
    const value = obj[key];
    if (value === undefined) continue;
    patch[key] = value === null ? null : parseSettingValue(key, value, `.${key}`);
  }
  return patch as SettingsPatch;
}

/** The patch of DELETE /settings: every setting reset. */
export function resetAllPatch(): SettingsPatch {
  const patch: Record<string, null> = {};
  for (const key of SETTINGS_KEYS) patch[key] = null;
  return patch as SettingsPatch;
}
