// Goal: document payloads parse as Meilisearch parses them and fail with its
// codes and messages. Method: feed literal bodies to parseDocuments /
// documentFormat and compare documents or MeiliError code and message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../../../api/errors/registry.ts';
import { documentFormat, parseCsvDelimiter, parseDocuments } from '../../../../../api/protocol/documents/payload.ts';

function fails(fn: () => unknown, code: string, message?: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof MeiliError, `expected a MeiliError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

test('JSON: an object or an array of objects', () => {
  assert.deepEqual(parseDocuments(Buffer.from('{"id":1}'), 'json', null), [{ id: 1 }]);
  assert.deepEqual(parseDocuments(Buffer.from('[{"id":1},{"id":"b"}]'), 'json', null), [{ id: 1 }, { id: 'b' }]);
  assert.deepEqual(parseDocuments(Buffer.from('[]'), 'json', null), []);
});

test('JSON: neither object nor list of objects, broken syntax, empty body', () => {
  fails(() => parseDocuments(Buffer.from('[1,2]'), 'json', null), 'malformed_payload',
    'The `json` payload provided is malformed. `Couldn\'t serialize document value: data are neither an object nor a list of objects`.');
  fails(() => parseDocuments(Buffer.from('"x"'), 'json', null), 'malformed_payload', /neither an object/);
  fails(() => parseDocuments(Buffer.from('[{"id":1}'), 'json', null), 'malformed_payload', /^The `json` payload provided is malformed\. `Couldn't serialize document value: .* line 1 column \d+`\.$/);
  fails(() => parseDocuments(Buffer.alloc(0), 'json', null), 'missing_payload', 'A json payload is missing.');
  fails(() => parseDocuments(Buffer.alloc(0), 'ndjson', null), 'missing_payload', 'A ndjson payload is missing.');
});

test('NDJSON: one object per line, blank lines skipped', () => {
  assert.deepEqual(parseDocuments(Buffer.from('{"id":1}\n\n{"id":2}\n'), 'ndjson', null), [{ id: 1 }, { id: 2 }]);
  fails(() => parseDocuments(Buffer.from('{"id":1}\n[1]'), 'ndjson', null), 'malformed_payload', /`ndjson` payload/);
});

test('CSV: typed headers, empty cells null, quotes, custom delimiter', () => {
  const csv = 'id,title,price:number,available:boolean,note:foo\n1,"Hello, ""world""",9.5,true,x\n2,,,,\n';
  assert.deepEqual(parseDocuments(Buffer.from(csv), 'csv', null), [
    { id: '1', title: 'Hello, "world"', 'price': 9.5, available: true, 'note:foo': 'x' },
    { id: '2', title: null, price: null, available: null, 'note:foo': null },
  ]);
  assert.deepEqual(parseDocuments(Buffer.from('id;n:number\r\n7;-3\r\n'), 'csv', ';'), [{ id: '7', n: -3 }]);
  fails(() => parseDocuments(Buffer.from('id,n:number\n1,abc\n'), 'csv', null), 'malformed_payload', /^The `csv` payload provided is malformed: `Error parsing number "abc" at line 1/);
  fails(() => parseDocuments(Buffer.from('id,b:boolean\n1,yes\n'), 'csv', null), 'malformed_payload', /Error parsing boolean "yes" at line 1/);
});

test('Content-Type: missing, invalid, csvDelimiter with a non-CSV type', () => {
  assert.equal(documentFormat('application/json; charset=utf-8', null), 'json');
  assert.equal(documentFormat('application/x-ndjson', null), 'ndjson');
  assert.equal(documentFormat('text/csv', ';'), 'csv');
  fails(() => documentFormat(undefined, null), 'missing_content_type',
    'A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`, `application/x-ndjson`, `text/csv`');
  fails(() => documentFormat('text/plain', null), 'invalid_content_type',
    'The Content-Type `text/plain` is invalid. Accepted values for the Content-Type header are: `application/json`, `application/x-ndjson`, `text/csv`');
  fails(() => documentFormat('application/json', ';'), 'invalid_content_type',
    'The Content-Type `application/json` does not support the use of a csv delimiter. The csv delimiter can only be used with the Content-Type `text/csv`.');
  assert.equal(parseCsvDelimiter(';'), ';');
  fails(() => parseCsvDelimiter(';;'), 'invalid_document_csv_delimiter');
});
