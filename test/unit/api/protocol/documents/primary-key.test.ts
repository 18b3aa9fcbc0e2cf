// Goal: primary-key inference and document-id validation follow API.md §8
// exactly, quirks included. Method: table of first documents and ids against
// the expected key, id string or error code and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../../api/errors/registry.ts';
import { documentId, inferPrimaryKey, normalizeId } from '../../../../../api/protocol/documents/primary-key.ts';

function errorOf(fn: () => unknown): MeiliError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof MeiliError);
    return error;
  }
  assert.fail('expected an error');
}

test('inference: one field ending in id, case-insensitively (valid and paid count)', () => {
  assert.equal(inferPrimaryKey({ title: 'x', userId: 3 }), 'userId');
  assert.equal(inferPrimaryKey({ ID: 3, name: 'x' }), 'ID');
  assert.equal(inferPrimaryKey({ valid: true, name: 'x' }), 'valid');
});

test('inference: no candidate, several candidates naming the first two sorted', () => {
  const none = errorOf(() => inferPrimaryKey({ title: 'x' }));
  assert.equal(none.code, 'index_primary_key_no_candidate_found');
  assert.equal(none.message, 'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.');
  assert.equal(errorOf(() => inferPrimaryKey(undefined)).code, 'index_primary_key_no_candidate_found');
  const many = errorOf(() => inferPrimaryKey({ object_id: 1, id: 2, paid: 3 }));
  assert.equal(many.code, 'index_primary_key_multiple_candidates_found');
  assert.equal(many.message, "The primary key inference failed as the engine found 3 fields ending with `id` in their names: 'id' and 'object_id'. Please specify the primary key manually using the `primaryKey` query parameter.");
});

test('ids: integers and [a-zA-Z0-9_-] strings; "1" and 1 are the same id', () => {
  assert.equal(normalizeId(1), '1');
  assert.equal(normalizeId('1'), '1');
  assert.equal(normalizeId('a-B_9'), 'a-B_9');
  assert.equal(documentId({ a: { b: 'x' } }, 'a.b'), 'x');
  for (const bad of [1.5, 'foo & bar', '', 'x'.repeat(512), true, { a: 1 }]) {
    assert.equal(errorOf(() => normalizeId(bad)).code, 'invalid_document_id', `id ${JSON.stringify(bad)}`);
  }
  assert.equal(errorOf(() => normalizeId('foo & bar')).message,
    'Document identifier `"foo & bar"` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.');
  assert.equal(errorOf(() => documentId({ id: [1, 2] }, 'id')).code, 'invalid_document_id');
});

test('missing id names the key and the document', () => {
  const e = errorOf(() => documentId({ id: '11', content: 'foobar' }, 'docid'));
  assert.equal(e.code, 'missing_document_id');
  assert.equal(e.message, 'Document doesn\'t have a `docid` attribute: `{"id":"11","content":"foobar"}`.');
});
