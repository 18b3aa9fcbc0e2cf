// Applying a SettingsPatch to an index's settings, as Meilisearch's settings
// task does: null resets to the default; typoTolerance, faceting and
// pagination merge field by field. Checks that Meilisearch runs at indexing
// time (typo word sizes) throw its error, which fails the task. The engine
// applies patches with it; the edge renders the settings a client set (the
// defaults, then its patches) and the cluster checks a patch at apply.
import { MeiliError } from '../../errors/registry.ts';
import { defaultSettings, SETTINGS_KEYS, type Settings, type SettingsPatch } from './settings.ts';

type Partial2 = Record<string, unknown>;

function mergeObject<T extends object>(current: T, defaults: T, patch: Partial2): T {
  const out = structuredClone(current) as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    const def = (defaults as Record<string, unknown>)[k];
    if (v === null) out[k] = structuredClone(def);
    else if (typeof v === 'object' && !Array.isArray(v) && typeof def === 'object' && def !== null && k !== 'sortFacetValuesBy') {
      out[k] = mergeObject(out[k] as object, def as object, v as Partial2);
    } else out[k] = structuredClone(v);
  }
  return out as T;
}

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const defaults = defaultSettings();
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const key of SETTINGS_KEYS) {
    const value = patch[key];
    if (value === undefined) continue;
    if (value === null) {
      next[key] = structuredClone(defaults[key]);
    } else if (key === 'typoTolerance' || key === 'faceting' || key === 'pagination') {
      next[key] = mergeObject(current[key] as object, defaults[key] as object, value as Partial2);
    } else {
      next[key] = structuredClone(value);
    }
  }
  const settings = next as unknown as Settings;
  const { oneTypo, twoTypos } = settings.typoTolerance.minWordSizeForTypos;
  if (oneTypo > twoTypos) {
    throw new MeiliError('invalid_settings_typo_tolerance',
      `\`minWordSizeForTypos\` setting is invalid. \`oneTypo\` and \`twoTypos\` fields should be between \`0\` and \`255\`, and \`twoTypos\` should be greater or equals to \`oneTypo\` but found \`oneTypo: ${oneTypo}\` and twoTypos: ${twoTypos}\`.`);
  }
  return settings;
}
