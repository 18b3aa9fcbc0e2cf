// Goal: the request validator words its errors as deserr does in
// Meilisearch. Method: compare messages for kinds, unknown fields (with the
// did-you-mean hint), and query parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { checkQueryKeys, describeKinds, expectObject, invalidType, queryBool, queryUint } from '../../../../api/protocol/deserr.ts';

function message(fn: () => unknown): string {
  try { fn(); } catch (e) { assert.ok(e instanceof MeiliError); return e.message; }
  assert.fail('expected an error');
}

test('kind descriptions match deserr', () => {
  assert.equal(describeKinds(['integer', 'boolean']), 'a boolean or a positive integer');
  assert.equal(describeKinds(['integer', 'float', 'negative']), 'a number');
  assert.equal(describeKinds(['boolean', 'integer', 'float', 'negative', 'null']), 'null, a boolean, or a number');
  assert.equal(describeKinds(['integer', 'negative']), 'an integer');
});

test('JSON messages', () => {
  assert.equal(invalidType('invalid_search_offset', '.offset', ['integer'], 'doggo').message,
    'Invalid value type at `.offset`: expected a positive integer, but found a string: `"doggo"`');
  assert.equal(invalidType('invalid_search_limit', '.limit', ['integer'], -1).message,
    'Invalid value type at `.limit`: expected a positive integer, but found a negative integer: `-1`');
  assert.equal(message(() => expectObject({ filler: 1 }, ['q', 'filter', 'sort'])),
    'Unknown field `filler`: did you mean `filter`? expected one of `q`, `filter`, `sort`');
  assert.equal(message(() => expectObject([], ['q'])), 'Invalid value type: expected an object, but found an array: `[]`');
});

test('query-string messages', () => {
  assert.equal(message(() => queryUint({ offset: 'doggo' }, 'offset', 'invalid_document_offset')), 'Invalid value in parameter `offset`: could not parse `doggo` as a positive integer');
  assert.equal(message(() => queryUint({ offset: ['1', '2'] }, 'offset', 'invalid_document_offset')), 'Invalid value type for parameter `offset`: expected a string, but found multiple values');
  assert.equal(message(() => queryBool({ r: 'yes' }, 'r', 'invalid_task_reverse')), 'Invalid value in parameter `r`: could not parse `yes` as a boolean, expected either `true` or `false`');
  assert.equal(message(() => checkQueryKeys({ limt: '1' }, ['offset', 'limit'])), 'Unknown parameter `limt`: did you mean `limit`? expected one of `offset`, `limit`');
});
