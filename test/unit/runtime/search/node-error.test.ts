// Goal: reserved fields never show in the attribute lists of node errors, in
// each of Meilisearch's three list shapes, and a list left empty becomes
// Meilisearch's "does not have configured" sentence. Method: the messages the
// engine builds for an index whose only filterable attribute is
// `_miroir_shard`, and for one with client attributes too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutReservedFields } from '../../../../runtime/search/node-error.ts';

test('reserved names are removed from every list shape', () => {
  assert.equal(
    withoutReservedFields('Index `b`: Attribute `t` is not filterable. Available filterable attribute patterns are: `_miroir_shard`, `genre`.\n1:2 t = x'),
    'Index `b`: Attribute `t` is not filterable. Available filterable attribute patterns are: `genre`.\n1:2 t = x',
  );
  assert.equal(
    withoutReservedFields('Invalid facet distribution: Attribute `t` is not filterable. Available filterable attributes patterns are: `_miroir_shard, genre, year`.'),
    'Invalid facet distribution: Attribute `t` is not filterable. Available filterable attributes patterns are: `genre, year`.',
  );
  assert.equal(
    withoutReservedFields('Attribute `t` is not facet-searchable. Available facet-searchable attributes patterns are: `_miroir_shard, genre`. To make it facet-searchable add it to the `filterableAttributes` index settings.'),
    'Attribute `t` is not facet-searchable. Available facet-searchable attributes patterns are: `genre`. To make it facet-searchable add it to the `filterableAttributes` index settings.',
  );
});

test('the searchable list loses the reserved name too', () => {
  assert.equal(
    withoutReservedFields('Index `b`: Attribute `x` is not searchable. Available searchable attributes are: `id, title, _miroir_shard`.'),
    'Index `b`: Attribute `x` is not searchable. Available searchable attributes are: `id, title`.',
  );
});

test('a list holding only reserved names becomes the "not configured" sentence', () => {
  assert.equal(
    withoutReservedFields('Attribute `t` is not filterable. Available filterable attribute patterns are: `_miroir_shard`.\n1:2 t = x'),
    'Attribute `t` is not filterable. This index does not have configured filterable attributes.\n1:2 t = x',
  );
  assert.equal(
    withoutReservedFields('Attribute `t` is not facet-searchable. Available facet-searchable attributes patterns are: `_miroir_shard`. To make it facet-searchable add it to the `filterableAttributes` index settings.'),
    'Attribute `t` is not facet-searchable. This index does not have configured facet-searchable attributes. To make it facet-searchable add it to the `filterableAttributes` index settings.',
  );
});

test('messages without reserved names are unchanged', () => {
  const message = 'Attribute `t` is not filterable. Available filterable attribute patterns are: `genre`.';
  assert.equal(withoutReservedFields(message), message);
});
