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

/** The config keys the chart passes through as they are: every section the chart does not set itself. */
export const PASSTHROUGH_KEYS = ['write', 'read', 'raft', 'dispatcher', 'search', 'tasks'] as const;

export function passthroughSchema(): JsonSchema {
  const fields = peerConfigSpec.fields;
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(PASSTHROUGH_KEYS.map((key) => [key, jsonSchemaOf(fields[key])])),
  };
}
