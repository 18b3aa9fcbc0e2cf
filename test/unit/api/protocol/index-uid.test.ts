// Goal: index uids are checked as Meilisearch checks them (API.md §0):
// alphanumerics, `-` and `_`, up to 400 bytes, with its message (which says
// 512) and the body location prefix. Method: boundary values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { checkIndexUid } from '../../../../api/protocol/index-uid.ts';

test('index uids: alphanumerics, - and _, up to 400 bytes', () => {
  for (const ok of ['movies', 'a-b_C9', 'x'.repeat(400)]) assert.equal(checkIndexUid(ok), ok);
  for (const bad of ['', 'a b', 'é', '.meili', 'x'.repeat(401)]) {
    assert.throws(() => checkIndexUid(bad), (e: unknown) => e instanceof MeiliError && e.code === 'invalid_index_uid', JSON.stringify(bad));
  }
  assert.throws(() => checkIndexUid('a b', '.uid'), {
    message: 'Invalid value at `.uid`: `a b` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.',
  });
});
