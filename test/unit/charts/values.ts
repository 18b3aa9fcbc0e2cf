// The chart's values for the tests: the defaults of values.yaml (a JSON
// snapshot, so the schema tests need no YAML parser; chart-render.test.ts
// checks it against helm's own reading of values.yaml), the example values
// files, and helm's merge of user values over the defaults.
import { readFileSync, readdirSync } from 'node:fs';
import { CHART } from './helm.ts';

export type Values = Record<string, unknown>;

export const DEFAULTS_SNAPSHOT = new URL('./testdata/default-values.json', import.meta.url).pathname;

export function defaultValues(): Values {
  return JSON.parse(readFileSync(DEFAULTS_SNAPSHOT, 'utf8')) as Values;
}

const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's coalescing: maps merge key by key, anything else (lists included) is replaced. */
export function mergeValues(base: Values, overlay: Values): Values {
  const out: Values = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = isMap(current) && isMap(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/** The example values files shipped in charts/miroir/examples/, by file name. */
export function examples(): Map<string, Values> {
  const dir = `${CHART}examples/`;
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f, JSON.parse(readFileSync(dir + f, 'utf8')) as Values]),
  );
}

/** Defaults with the one value they lack (the Secret's name) and the overlay on top. */
export function withDefaults(overlay: Values = {}): Values {
  return mergeValues(mergeValues(defaultValues(), { secrets: { existingSecret: 'miroir-secrets' } }), overlay);
}
