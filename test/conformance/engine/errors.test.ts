// Goal: each bad input gets Meilisearch's exact error (status, code, message,
// type, link) and never a 500 (API.md §0, §3, §11 examples 2, 10, 18).
// Method: a real `miroir node` child process with a small payload limit; bad
// requests sent raw where the official client cannot send them, through the
// client where it can.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody, expectApiError, raw, startFixture, type Fixture } from './helpers.ts';

let f: Fixture;
before(async () => {
  f = await startFixture('errors', ['--http-payload-size-limit', '2KiB']);
  await f.client.index('dogs').addDocuments([{ id: 1, name: 'rex' }]).waitTask();
});
after(async () => { await f.close(); });

const json = { 'content-type': 'application/json' };

test('malformed JSON, for documents and for other routes', async () => {
  const docs = await raw(f, '/indexes/dogs/documents', { method: 'POST', headers: json, body: '[{"id": 1,]' });
  assert.equal(docs.status, 400);
  assert.equal(docs.body.code, 'malformed_payload');
  assert.match(String(docs.body.message), /^The `json` payload provided is malformed\. `Couldn't serialize document value: .*`\.$/);
  const create = await raw(f, '/indexes', { method: 'POST', headers: json, body: '{"uid":' });
  assert.equal(create.status, 400);
  assert.equal(create.body.code, 'malformed_payload');
  assert.match(String(create.body.message), /^The json payload provided is malformed\. `.*`\.$/);
  const empty = await raw(f, '/indexes', { method: 'POST', headers: json, body: '' });
  assert.deepEqual(empty.body, errorBody('missing_payload', 'A json payload is missing.'));
});

test('missing and wrong content types', async () => {
  const none = await raw(f, '/indexes/dogs/documents', { method: 'POST', body: new Uint8Array(Buffer.from('[{"id":2}]')) });
  assert.equal(none.status, 415);
  assert.deepEqual(none.body, errorBody('missing_content_type', 'A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`, `application/x-ndjson`, `text/csv`'));
  const wrong = await raw(f, '/indexes/dogs/documents', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' });
  assert.equal(wrong.status, 415);
  assert.equal(wrong.body.message, 'The Content-Type `application/xml` is invalid. Accepted values for the Content-Type header are: `application/json`, `application/x-ndjson`, `text/csv`');
  const settings = await raw(f, '/indexes/dogs/settings', { method: 'PATCH', headers: { 'content-type': 'text/csv' }, body: 'a' });
  assert.deepEqual([settings.status, settings.body.code, settings.body.message], [415, 'invalid_content_type', 'The Content-Type `text/csv` is invalid. Accepted values for the Content-Type header are: `application/json`']);
});

test('payload too large', async () => {
  const big = JSON.stringify([{ id: 3, text: 'x'.repeat(4000) }]);
  const res = await raw(f, '/indexes/dogs/documents', { method: 'POST', headers: json, body: big });
  assert.equal(res.status, 413);
  assert.deepEqual(res.body, errorBody('payload_too_large', 'The provided payload reached the size limit. The maximum accepted payload size is 2 KiB.'));
});

test('invalid index uids, in the path and in a body', async () => {
  await expectApiError(f.client.index('883  fj!').addDocuments([{ id: 1 }]), 400, 'invalid_index_uid',
    '`883  fj!` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.');
  await expectApiError(f.client.createIndex('test test#!'), 400, 'invalid_index_uid',
    'Invalid value at `.uid`: `test test#!` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.');
  const missing = await raw(f, '/indexes', { method: 'POST', headers: json, body: '{"primaryKey":"id"}' });
  assert.deepEqual(missing.body, errorBody('missing_index_uid', 'Missing field `uid`'));
});

test('unknown fields and parameters', async () => {
  const body = await raw(f, '/indexes', { method: 'POST', headers: json, body: '{"uid":"x","primary":"id"}' });
  assert.deepEqual(body.body, errorBody('bad_request', 'Unknown field `primary`: expected one of `uid`, `primaryKey`'));
  const fetchBody = await raw(f, '/indexes/dogs/documents/fetch', { method: 'POST', headers: json, body: '{"limits":1}' });
  assert.equal(fetchBody.body.code, 'bad_request');
  assert.match(String(fetchBody.body.message), /^Unknown field `limits`: did you mean `limit`\? expected one of `offset`, `limit`/);
  const param = await raw(f, '/indexes/dogs/documents?doggo=1');
  assert.equal(param.body.code, 'bad_request');
  assert.match(String(param.body.message), /^Unknown parameter `doggo`: expected one of/);
  const immutable = await raw(f, '/indexes/dogs', { method: 'PATCH', headers: json, body: '{"createdAt":"2020-01-01"}' });
  assert.deepEqual(immutable.body, errorBody('immutable_index_created_at', 'Immutable field `createdAt`: expected one of `primaryKey`, `uid`'));
});

test('negative and mistyped limits and offsets', async () => {
  const query = await raw(f, '/indexes/dogs/documents?limit=-1');
  assert.deepEqual(query.body, errorBody('invalid_document_limit', 'Invalid value in parameter `limit`: could not parse `-1` as a positive integer'));
  const bodyLimit = await raw(f, '/indexes/dogs/documents/fetch', { method: 'POST', headers: json, body: '{"limit":-1}' });
  assert.deepEqual(bodyLimit.body, errorBody('invalid_document_limit', 'Invalid value type at `.limit`: expected a positive integer, but found a negative integer: `-1`'));
  const offset = await raw(f, '/indexes/dogs/documents/fetch', { method: 'POST', headers: json, body: '{"offset":"doggo"}' });
  assert.deepEqual(offset.body, errorBody('invalid_document_offset', 'Invalid value type at `.offset`: expected a positive integer, but found a string: `"doggo"`'));
  const indexes = await raw(f, '/indexes?limit=abc');
  assert.deepEqual(indexes.body, errorBody('invalid_index_limit', 'Invalid value in parameter `limit`: could not parse `abc` as a positive integer'));
});

test('missing index and missing document answer 404', async () => {
  await expectApiError(f.client.index('DOES_NOT_EXISTS').getDocuments(), 404, 'index_not_found', 'Index `DOES_NOT_EXISTS` not found.');
  await expectApiError(f.client.index('DOES_NOT_EXISTS').getStats(), 404, 'index_not_found');
  await expectApiError(f.client.index('dogs').getDocument(1000), 404, 'document_not_found', 'Document `1000` not found.');
  const unknownRoute = await raw(f, '/doggos');
  assert.equal(unknownRoute.status, 404);
  assert.equal(unknownRoute.body.code, 'not_found');
});

test('document deletion by filter: syntax is checked at once, emptiness refused', async () => {
  const empty = await raw(f, '/indexes/dogs/documents/delete', { method: 'POST', headers: json, body: '{"filter":""}' });
  assert.deepEqual(empty.body, errorBody('invalid_document_filter', 'Sending an empty filter is forbidden.'));
  const missing = await raw(f, '/indexes/dogs/documents/delete', { method: 'POST', headers: json, body: '{}' });
  assert.deepEqual(missing.body, errorBody('missing_document_filter', 'Missing field `filter`'));
  const syntax = await raw(f, '/indexes/dogs/documents/delete', { method: 'POST', headers: json, body: '{"filter":"name ="}' });
  assert.equal(syntax.status, 400);
  assert.equal(syntax.body.code, 'invalid_document_filter');
});

test('no route answers 500 to malformed input', async () => {
  const paths: Array<[string, string]> = [
    ['POST', '/indexes'], ['PATCH', '/indexes/dogs'], ['POST', '/indexes/dogs/documents/fetch'],
    ['POST', '/indexes/dogs/documents/delete-batch'], ['POST', '/indexes/dogs/documents/delete'],
    ['PATCH', '/indexes/dogs/settings'], ['PUT', '/indexes/dogs/settings/stop-words'], ['PATCH', '/indexes/dogs/settings/typo-tolerance'],
    ['POST', '/swap-indexes'], ['PATCH', '/experimental-features'], ['POST', '/indexes/dogs/documents'], ['PUT', '/indexes/dogs/documents'],
  ];
  for (const body of ['null', '42', '"x"', '[1]', '{"a":{"b":[]}}', '{']) {
    for (const [method, path] of paths) {
      const res = await raw(f, path, { method, headers: json, body });
      assert.ok(res.status >= 400 && res.status < 500 || res.status === 202, `${method} ${path} ${body} → ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status !== 202) assert.deepEqual(Object.keys(res.body), ['message', 'code', 'type', 'link'], `${method} ${path} ${body}`);
    }
  }
});
