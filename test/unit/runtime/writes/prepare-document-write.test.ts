// Goal: a client document write becomes exactly the log command Meilisearch
// semantics call for: the synchronous Meilisearch error (code and message)
// it would have produced, or, for primary-key and id problems, a command
// rejected with the error its task fails with. Method: table cases for primary-key resolution and
// inference, reserved fields and id validation; split checks against a naive
// per-document oracle; the command must also pass the log's decoder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MeiliError } from '../../../../api/errors/registry.ts';
import { decodeCommand, encodeCommand } from '../../../../runtime/cluster/command-codec.ts';
import type { DocumentsWriteCommand } from '../../../../runtime/cluster/commands.ts';
import { prepareDocumentWrite, type DocumentWriteInput } from '../../../../runtime/writes/prepare-document-write.ts';
import { prepareDeleteIds } from '../../../../runtime/writes/prepare-document-delete.ts';
import { stripReservedFields } from '../../../../runtime/writes/reserved-fields.ts';

/** A deterministic stand-in for the routing hash: sum of char codes mod S. */
const shardOf = (id: string, shards: number): number => [...id].reduce((a, c) => a + c.charCodeAt(0), 0) % shards;

/** The command, or the MeiliError it threw. */
function caught<T>(run: () => T): T | MeiliError {
  try {
    return run();
  } catch (error) {
    if (error instanceof MeiliError) return error;
    throw error;
  }
}

function prepare(documents: unknown[], over: Partial<DocumentWriteInput> = {}): DocumentsWriteCommand | MeiliError {
  return caught(() => prepareDocumentWrite({
    indexUid: 'movies', index: null, defaultShards: 4, documents, primaryKeyParam: null, mode: 'replace', allowIndexCreation: true, shardOf, nowMs: 1, ...over,
  }));
}

/** Primary-key and id problems fail the task (a rejected command); the rest are thrown. */
const TASK_ERRORS = ['index_primary_key_no_candidate_found', 'index_primary_key_multiple_candidates_found', 'index_primary_key_already_exists', 'missing_document_id', 'invalid_document_id'];

function expectError(result: DocumentsWriteCommand | MeiliError, code: string, message?: string): void {
  if (!TASK_ERRORS.includes(code)) {
    assert.ok(result instanceof MeiliError, `expected ${code} thrown, got a command`);
    assert.equal(result.code, code);
    if (message !== undefined) assert.equal(result.message, message);
    return;
  }
  assert.ok(!(result instanceof MeiliError), `expected a command rejected with ${code}, got ${String(result)}`);
  assert.equal(result.rejected?.code, code);
  if (message !== undefined) assert.equal(result.rejected?.message, message);
  assert.deepEqual(result.byShard, {}, 'a rejected write carries no documents');
  assert.deepEqual(decodeCommand(encodeCommand(result)), result, 'the log decoder accepts it');
}

function expectCommand(result: DocumentsWriteCommand | MeiliError): DocumentsWriteCommand {
  if (result instanceof MeiliError) assert.fail(`unexpected ${result.code}: ${result.message}`);
  return result;
}

test('primary key inference from the first document, as Meilisearch does it', () => {
  assert.equal(expectCommand(prepare([{ userId: 'a', name: 'x' }])).primaryKey, 'userId');
  expectError(prepare([{ title: 'x' }, { id: 1 }]), 'index_primary_key_no_candidate_found'); // only the first document counts
  assert.equal(expectCommand(prepare([{ ID: 'a' }])).primaryKey, 'ID', 'case-insensitive');
  assert.equal(expectCommand(prepare([{ valid: 'a', title: 't' }])).primaryKey, 'valid', 'the ends-with quirk');
  expectError(prepare([{ title: 'x' }]), 'index_primary_key_no_candidate_found',
    'The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.');
  expectError(prepare([]), 'index_primary_key_no_candidate_found');
  expectError(prepare([{ object_id: 1, id: 2, paid: true }]), 'index_primary_key_multiple_candidates_found',
    "The primary key inference failed as the engine found 3 fields ending with `id` in their names: 'id' and 'object_id'. Please specify the primary key manually using the `primaryKey` query parameter.");
});

test('declared and passed primary keys', () => {
  assert.equal(expectCommand(prepare([{ sku: 'a', id: 1 }], { primaryKeyParam: 'sku' })).primaryKey, 'sku');
  const indexed = { index: { primaryKey: 'sku', shards: 8 } };
  assert.equal(expectCommand(prepare([{ sku: 'a', id: 1 }], indexed)).primaryKey, 'sku');
  assert.equal(expectCommand(prepare([{ sku: 'a' }], { ...indexed, primaryKeyParam: 'sku' })).shards, 8, 'the index S wins');
  expectError(prepare([{ sku: 'a', id: 1 }], { ...indexed, primaryKeyParam: 'id' }), 'index_primary_key_already_exists',
    'Index already has a primary key: `sku`.');
  assert.equal(expectCommand(prepare([{ a: { b: 7 } }], { primaryKeyParam: 'a.b' })).primaryKey, 'a.b', 'nested key');
});

test('document ids: missing, too many, invalid, integers and strings', () => {
  expectError(prepare([{ id: 1 }, { title: 'x' }]), 'missing_document_id', 'Document doesn\'t have a `id` attribute: `{"title":"x"}`.');
  expectError(prepare([{ id: 'foo & bar' }]), 'invalid_document_id',
    'Document identifier `"foo & bar"` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.');
  for (const bad of [1.5, '', 'x'.repeat(512), true, null, [1], { a: 1 }, 2 ** 60]) expectError(prepare([{ id: bad }]), 'invalid_document_id');
  expectError(prepare([{ 'a.b': 1, a: { b: 2 } }], { primaryKeyParam: 'a.b' }), 'invalid_document_id');
  for (const good of [0, -5, 42, 'x'.repeat(511), 'A-z_9']) expectCommand(prepare([{ id: good }]));
});

test('reserved fields are refused with a clear message; nested ones are the client\'s own', () => {
  expectError(prepare([{ id: 1 }, { id: 2, _miroir_shard: 3 }]), 'miroir_reserved_field');
  const error = prepare([{ id: 1, _miroir_expires_at: 5 }]);
  assert.ok(error instanceof MeiliError && /position 0 .*`_miroir_expires_at`/.test(error.message), String(error));
  expectError(prepare([{ _miroir_id: 1 }], { primaryKeyParam: '_miroir_id' }), 'miroir_reserved_field');
  expectError(prepare([{ id: 1 }], { primaryKeyParam: '_miroir_shard' }), 'miroir_reserved_field');
  expectCommand(prepare([{ id: 1, nested: { _miroir_shard: 1 } }]));
  expectError(prepare([{ id: 1 }, 3]), 'malformed_payload');
  assert.deepEqual(stripReservedFields({ id: 1, _miroir_shard: 2, t: 'x' }), { id: 1, t: 'x' });
});

test('split by shard: every document once, in its shard, stamped, input untouched, decodable', () => {
  const docs = [{ id: 1, t: 'a' }, { id: '1b' }, { id: 'zz' }, { id: 77, nested: { x: 1 } }];
  const before = structuredClone(docs);
  const command = expectCommand(prepare(docs, { customMetadata: 'm', skipCreation: true }));
  assert.equal(command.skipCreation, true);
  assert.deepEqual(docs, before, 'the client documents are not mutated');
  assert.equal(command.receivedDocuments, 4);
  assert.equal(command.customMetadata, 'm');
  const placed = Object.entries(command.byShard).flatMap(([s, list]) => list.map((d) => [Number(s), d] as const));
  assert.equal(placed.length, 4);
  for (const [shard, doc] of placed) {
    assert.equal(doc['_miroir_shard'], shard);
    assert.equal(shard, shardOf(String(doc['id']), 4));
  }
  assert.deepEqual(decodeCommand(encodeCommand(command)), command);
});

test('property: integer and string forms of an id land in the same shard', () => {
  fc.assert(
    fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 128 }), (id, shards) => {
      const a = expectCommand(prepare([{ id }], { defaultShards: shards }));
      const b = expectCommand(prepare([{ id: String(id) }], { defaultShards: shards }));
      assert.deepEqual(Object.keys(a.byShard), Object.keys(b.byShard));
    }),
  );
});

test('delete by ids: canonical ids grouped by shard; invalid ids refused', () => {
  const command = prepareDeleteIds({ indexUid: 'm', shards: 4, ids: [1, '1', 'ab'], shardOf, nowMs: 1 });
  assert.ok(!(command instanceof MeiliError));
  assert.equal(command.providedIds, 3);
  assert.deepEqual(Object.values(command.byShard).flat().sort(), ['1', '1', 'ab']);
  for (const [shard, ids] of Object.entries(command.byShard)) for (const id of ids) assert.equal(shardOf(id, 4), Number(shard));
  const refused = caught(() => prepareDeleteIds({ indexUid: 'm', shards: 4, ids: ['a b'], shardOf, nowMs: 1 }));
  assert.ok(refused instanceof MeiliError && refused.code === 'invalid_document_id', 'a deletion id is checked synchronously');
});
