// The JSON Schema (draft-07) of a part of the peer config file, derived from
// runtime/config/schema.ts. The chart's values.schema.json repeats the keys
// it passes through (`config.write`, `config.raft`, …) because Helm reads
// only static JSON; the chart test compares the two so they cannot drift.
import { peerConfigSpec } from '../../../runtime/config/schema.ts';
import type { Spec } from '../../../runtime/config/spec.ts';

export type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(spec: Spec): JsonSchema {
  switch (spec.kind) {
    case 'int':
      return { type: 'integer', minimum: spec.min, maximum: spec.max };
    case 'enum':
      return { type: 'string', enum: [...spec.values] };
    case 'string':
      return spec.pattern === undefined ? { type: 'string' } : { type: 'string', pattern: spec.pattern.source };
    case 'url':
      return { type: 'string', pattern: `^(${spec.protocols.map((p) => p.replace(/:$/, '')).join('|')})://` };
    case 'array':
      return { type: 'array', items: jsonSchemaOf(spec.item), minItems: spec.minLength, maxItems: spec.maxLength };
    case 'object':
      return {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(spec.fields).map(([key, child]) => [key, jsonSchemaOf(child)])),
      };
  }
}

/**
 * The keys the chart sets itself (peerId comes from each pod's name; its
 * peers always bootstrap together, so `start` stays `bootstrap`). Every
 * other key of the config file passes through `config`, so a section added
 * to runtime/config/schema.ts fails the chart test until values.schema.json
 * has it too.
 */
export const CHART_OWNED_KEYS: readonly string[] = ['peerId', 'dataDir', 'listen', 'peers', 'start', 'groups', 'rf', 'defaultShards'];

export function passthroughSchema(): JsonSchema {
  const passed = Object.entries(peerConfigSpec.fields).filter(([key]) => !CHART_OWNED_KEYS.includes(key));
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(passed.map(([key, spec]) => [key, jsonSchemaOf(spec)])),
  };
}
