// Goal: the topology admin routes refuse bad input with a Meilisearch-shaped
// 400 naming the field, before anything is proposed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiliError } from '../../../api/errors/registry.ts';
import { parseGroupBody, parseNodeBody } from '../../../api/routes/admin-topology.ts';

const refused = (f: () => unknown, field: RegExp): void => {
  assert.throws(f, (e: unknown) => e instanceof MeiliError && e.code === 'bad_request' && field.test(e.message));
};

test('node and group bodies: ids, http(s) urls, known fields, at least one node', () => {
  assert.deepEqual(parseNodeBody({ id: 'n4', url: 'http://127.0.0.1:7704', group: 'g1' }), { id: 'n4', url: 'http://127.0.0.1:7704', group: 'g1' });
  refused(() => parseNodeBody({ id: 'n 4', url: 'http://x', group: 'g1' }), /`id`/);
  refused(() => parseNodeBody({ id: 'n4', url: 'ws://x', group: 'g1' }), /`url`/);
  refused(() => parseNodeBody({ id: 'n4', url: 'http://x', group: 'g1', rf: 2 }), /`rf`/);
  refused(() => parseNodeBody([]), /object/);
  assert.deepEqual(parseGroupBody({ id: 'g2', nodes: [{ id: 'a', url: 'https://a' }] }), { id: 'g2', nodes: [{ id: 'a', url: 'https://a' }] });
  refused(() => parseGroupBody({ id: 'g2', nodes: [] }), /`nodes`/);
  refused(() => parseGroupBody({ id: 'g2', nodes: [{ id: 'a', url: 'nope' }] }), /nodes\[0\]\.url/);
});
