// Goal: POST /keys and PATCH /keys bodies fail with Meilisearch's exact
// codes and messages (tests/auth/errors.rs, tests/auth/api_keys.rs).
// Method: feed bodies to the parsers and compare code and message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MeiliError } from '../../../../../api/errors/registry.ts';
import { parseCreateKey, parsePatchKey } from '../../../../../api/protocol/auth/key-body.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');

function fails(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof MeiliError && e.code === code && e.message === message,
    `${code}: ${message}`);
}

test('create: type, value and missing-field errors', () => {
  fails(() => parseCreateKey({ description: ['doggo'] }, NOW), 'invalid_api_key_description',
    'Invalid value type at `.description`: expected a string, but found an array: `["doggo"]`');
  fails(() => parseCreateKey({ uid: 'doggo' }, NOW), 'invalid_api_key_uid', 'Invalid value at `.uid`: invalid character: found `o` at 1');
  fails(() => parseCreateKey({ actions: 'doggo' }, NOW), 'invalid_api_key_actions',
    'Invalid value type at `.actions`: expected an array, but found a string: `"doggo"`');
  fails(() => parseCreateKey({ indexes: ['good doggo'] }, NOW), 'invalid_api_key_indexes',
    'Invalid value at `.indexes[0]`: `good doggo` is not a valid index uid pattern. Index uid patterns can be an integer or a string containing only alphanumeric characters, hyphens (-), underscores (_), and optionally end with a star (*).');
  fails(() => parseCreateKey({ expires_at: 'x' }, NOW), 'bad_request',
    'Unknown field `expires_at`: did you mean `expiresAt`? expected one of `description`, `name`, `uid`, `actions`, `indexes`, `expiresAt`');
  fails(() => parseCreateKey({ indexes: ['doggo'], expiresAt: null }, NOW), 'missing_api_key_actions', 'Missing field `actions`');
  fails(() => parseCreateKey({ actions: ['*'], expiresAt: null }, NOW), 'missing_api_key_indexes', 'Missing field `indexes`');
  fails(() => parseCreateKey({ actions: ['*'], indexes: ['doggo'] }, NOW), 'missing_api_key_expires_at', 'Missing field `expiresAt`');
  fails(() => parseCreateKey({ actions: ['*'], indexes: ['d'], expiresAt: '2010-11-13T00:00:00Z' }, NOW), 'invalid_api_key_expires_at',
    "Invalid value at `.expiresAt`: `2010-11-13T00:00:00Z` is not a valid date. It should follow the RFC 3339 format to represents a date or datetime in the future or specified as a null value. e.g. 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'.\n");
  assert.throws(() => parseCreateKey({ actions: ['doc.add'] }, NOW), (e: unknown) =>
    e instanceof MeiliError && e.code === 'invalid_api_key_actions' && e.message.startsWith('Unknown value `doc.add` at `.actions[0]`: expected one of `*`, `search`, '));
});

test('create: accepted date forms and defaults', () => {
  const ok = parseCreateKey({ actions: ['search'], indexes: ['*'], expiresAt: '2050-11-13' }, NOW);
  assert.equal(ok.expiresAtMs, Date.parse('2050-11-13T00:00:00Z'));
  assert.equal(parseCreateKey({ actions: ['search'], indexes: ['*'], expiresAt: '2050-11-13 01:02:03' }, NOW).expiresAtMs, Date.parse('2050-11-13T01:02:03Z'));
  assert.equal(parseCreateKey({ actions: ['search'], indexes: ['*'], expiresAt: '2050-11-13T01:02:03+01:00' }, NOW).expiresAtMs, Date.parse('2050-11-13T00:02:03Z'));
  assert.deepEqual({ ...ok, expiresAtMs: 0 }, { description: null, name: null, uid: null, actions: ['search'], indexes: ['*'], expiresAtMs: 0 });
  assert.equal(parseCreateKey({ uid: '4BC0887A0E414F3B935D0C451DCEE9C8', actions: [], indexes: [], expiresAt: null }, NOW).uid,
    '4bc0887a-0e41-4f3b-935d-0c451dcee9c8');
});

test('patch: immutable and unknown fields', () => {
  fails(() => parsePatchKey({ uid: 'doggo' }), 'immutable_api_key_uid', 'Immutable field `uid`: expected one of `description`, `name`');
  fails(() => parsePatchKey({ createdAt: 'x' }), 'immutable_api_key_created_at', 'Immutable field `createdAt`: expected one of `description`, `name`');
  fails(() => parsePatchKey({ doggo: 'bork' }), 'bad_request', 'Unknown field `doggo`: expected one of `description`, `name`');
  assert.deepEqual(parsePatchKey({ name: null, description: 'd' }), { name: null, description: 'd' });
});

test('an index-scoped key may hold instance actions (Meilisearch tests/auth/api_keys.rs add_valid_api_key)', () => {
  const key = parseCreateKey({ indexes: ['products'], actions: ['search', 'dumps.create'], expiresAt: '2050-11-13T00:00:00Z' }, NOW);
  assert.deepEqual(key.actions, ['search', 'dumps.create']);
});
