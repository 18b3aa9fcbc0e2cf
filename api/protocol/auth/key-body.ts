// Validation of the bodies of POST /keys and PATCH /keys/{key} (API.md §9.1),
// with Meilisearch's deserr messages. Fields are checked in the order the
// client sent them (deserr stops at the first error); missing required
// fields are reported afterwards in declaration order.
import { MeiliError } from '../../errors/registry.ts';
import { invalidType, invalidValue, kindOf, missingField, unknownField, unknownValue } from '../deserr.ts';
import { ACTIONS, isAction } from './actions.ts';
import { indexPatternError, isValidIndexPattern } from './index-pattern.ts';
import { parseUuid } from './uuid.ts';

export interface CreateKeyInput {
  description: string | null;
  name: string | null;
  uid: string | null;
  actions: string[];
  indexes: string[];
  expiresAtMs: number | null;
}

const CREATE_FIELDS = ['description', 'name', 'uid', 'actions', 'indexes', 'expiresAt'] as const;
const PATCH_FIELDS = ['description', 'name'] as const;
const IMMUTABLE: Readonly<Record<string, string>> = {
  uid: 'immutable_api_key_uid', actions: 'immutable_api_key_actions', indexes: 'immutable_api_key_indexes',
  expiresAt: 'immutable_api_key_expires_at', createdAt: 'immutable_api_key_created_at',
  updatedAt: 'immutable_api_key_updated_at',
};

function asObject(body: unknown): Record<string, unknown> {
  if (kindOf(body) !== 'object') throw invalidType('bad_request', '', ['object'], body);
  return body as Record<string, unknown>;
}

function nullableString(value: unknown, code: string, path: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw invalidType(code, path, ['string'], value);
  return value;
}

function readActions(value: unknown): string[] {
  const code = 'invalid_api_key_actions';
  if (!Array.isArray(value)) throw invalidType(code, '.actions', ['array'], value);
  value.forEach((item, i) => {
    if (typeof item !== 'string') throw invalidType(code, `.actions[${i}]`, ['string'], item);
    if (!isAction(item)) throw unknownValue(code, item, ACTIONS, `.actions[${i}]`);
  });
  return value as string[];
}

function readIndexes(value: unknown): string[] {
  const code = 'invalid_api_key_indexes';
  if (!Array.isArray(value)) throw invalidType(code, '.indexes', ['array'], value);
  value.forEach((item, i) => {
    if (typeof item !== 'string') throw invalidType(code, `.indexes[${i}]`, ['string'], item);
    if (!isValidIndexPattern(item)) throw invalidValue(code, `.indexes[${i}]`, indexPatternError(item));
  });
  return value as string[];
}

function dateError(original: string): MeiliError {
  return invalidValue('invalid_api_key_expires_at', '.expiresAt',
    `\`${original}\` is not a valid date. It should follow the RFC 3339 format to represents a date or datetime in the future or specified as a null value. e.g. 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'.\n`);
}

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const NAIVE_RE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** RFC 3339, `YYYY-MM-DDTHH:MM:SS`, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (UTC); must be in the future. */
export function parseExpiresAt(value: unknown, nowMs: number): number | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw invalidType('invalid_api_key_expires_at', '.expiresAt', ['null', 'string'], value);
  let ms = Number.NaN;
  const naive = NAIVE_RE.exec(value);
  if (RFC3339_RE.test(value)) ms = Date.parse(value.toUpperCase());
  else if (naive) ms = Date.parse(`${naive[1]}T${naive[2]}Z`);
  else if (DATE_RE.test(value)) ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms) || ms <= nowMs) throw dateError(value);
  return ms;
}

export function parseCreateKey(body: unknown, nowMs: number): CreateKeyInput {
  const obj = asObject(body);
  const out: Partial<CreateKeyInput> = {};
  for (const [key, value] of Object.entries(obj)) {
    switch (key) {
      case 'description': out.description = nullableString(value, 'invalid_api_key_description', '.description'); break;
      case 'name': out.name = nullableString(value, 'invalid_api_key_name', '.name'); break;
      case 'uid':
        if (typeof value !== 'string') throw invalidType('invalid_api_key_uid', '.uid', ['string'], value);
        out.uid = parseUuid(value, (msg) => invalidValue('invalid_api_key_uid', '.uid', msg));
        break;
      case 'actions': out.actions = readActions(value); break;
      case 'indexes': out.indexes = readIndexes(value); break;
      case 'expiresAt': out.expiresAtMs = parseExpiresAt(value, nowMs); break;
      default: throw unknownField(key, CREATE_FIELDS);
    }
  }
  if (out.actions === undefined) throw missingField('missing_api_key_actions', 'actions');
  if (out.indexes === undefined) throw missingField('missing_api_key_indexes', 'indexes');
  if (out.expiresAtMs === undefined) throw missingField('missing_api_key_expires_at', 'expiresAt');
  return {
    description: out.description ?? null, name: out.name ?? null, uid: out.uid ?? null,
    actions: out.actions, indexes: out.indexes, expiresAtMs: out.expiresAtMs,
  };
}

export interface PatchKeyInput {
  description?: string | null;
  name?: string | null;
}

export function parsePatchKey(body: unknown): PatchKeyInput {
  const obj = asObject(body);
  const out: PatchKeyInput = {};
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'description') out.description = nullableString(value, 'invalid_api_key_description', '.description');
    else if (key === 'name') out.name = nullableString(value, 'invalid_api_key_name', '.name');
    else if (IMMUTABLE[key] !== undefined) {
      throw new MeiliError(IMMUTABLE[key], `Immutable field \`${key}\`: expected one of ${PATCH_FIELDS.map((f) => `\`${f}\``).join(', ')}`);
    } else throw unknownField(key, PATCH_FIELDS);
  }
  return out;
}
