// Goal: no input a client can send makes the edge answer 500 — every route,
// with random path parameters, query strings, content types and bodies
// (valid JSON of any shape, broken JSON, binary garbage), answers either a
// success or a Meilisearch-shaped 4xx error. Method: fast-check with a fixed
// seed drives inject() over every route buildApp registered (the app's own
// route table), against the in-memory PeerServices of harness.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { MASTER_KEY, testApp } from './harness.ts';

let app: FastifyInstance;
before(async () => {
  ({ app } = await testApp({ payloadLimitBytes: 64 * 1024 }));
  await app.inject({
    method: 'POST',
    url: '/indexes',
    headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' },
    payload: { uid: 'movies', primaryKey: 'id' },
  });
});
after(() => app.close());

const segment = fc.oneof(
  fc.constantFrom('movies', 'missing', '0', '1', 'a-b_c', '%20', '..', 'x'.repeat(450), '_miroir_shard', '-1', '9007199254740993'),
  fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent),
);

const queryValue = fc.oneof(fc.constantFrom('', '*', 'true', 'x', '-1', '1', '0,1', 'enqueued', '2024-01-01', 'a b'), fc.string({ maxLength: 8 }));
const queryKey = fc.constantFrom(
  'limit', 'offset', 'from', 'reverse', 'uids', 'statuses', 'types', 'indexUids', 'customMetadata', 'primaryKey',
  'csvDelimiter', 'skipCreation', 'afterEnqueuedAt', 'canceledBy', 'fields', 'filter', 'nope',
);
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 3 }).map((pairs) =>
  pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
);

const jsonValue = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
const shapedBody = fc.oneof(
  fc.record({ uid: fc.oneof(fc.string(), fc.integer()), primaryKey: fc.oneof(fc.string(), fc.constant(null)) }, { requiredKeys: [] }),
  fc.array(fc.record({ id: fc.oneof(fc.integer(), fc.string()), _miroir_shard: fc.integer() }, { requiredKeys: [] }), { maxLength: 3 }),
  fc.record({ filter: fc.oneof(fc.string(), fc.array(fc.string()), fc.integer()) }, { requiredKeys: [] }),
  fc.record({ actions: fc.array(fc.string()), indexes: fc.array(fc.string()), expiresAt: fc.oneof(fc.string(), fc.constant(null)) }, { requiredKeys: [] }),
).map((v) => JSON.stringify(v));
const body = fc.oneof(jsonValue, shapedBody, fc.string({ maxLength: 40 }), fc.constantFrom('', '{', '[1,', 'id\n1', '{"a":1}\n{"b":'));
const contentType = fc.constantFrom(undefined, 'application/json', 'application/x-ndjson', 'text/csv', 'text/plain', 'application/json; charset=utf-8', '');
const authorization = fc.constantFrom(`Bearer ${MASTER_KEY}`, `Bearer ${MASTER_KEY}`, undefined, 'Bearer wrong', 'Basic x', 'Bearer ');

test('malformed input to every route never gets a 500', async () => {
  const routes = app.miroirRoutes;
  assert.ok(routes.length > 20, `the app registered ${routes.length} routes`);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.array(segment, { minLength: 3, maxLength: 3 }),
      query,
      body,
      contentType,
      authorization,
      async (route, segments, qs, payload, type, auth) => {
        let i = 0;
        const path = route.url.replace(/:[A-Za-z]+/g, () => segments[i++ % segments.length] as string);
        const headers: Record<string, string> = {};
        if (type !== undefined) headers['content-type'] = type;
        if (auth !== undefined) headers['authorization'] = auth;
        const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
        const res = await app.inject({ method: route.method as 'GET', url: `${path}${qs}`, headers, ...(hasBody ? { payload } : {}) });
        // The harness has no reachable node: a read that needs one shard (get by id) is a retriable 503.
        const noOwner = res.statusCode === 503 && (res.json() as { code?: unknown }).code === 'miroir_shard_unavailable';
        assert.ok(res.statusCode < 500 || noOwner, `${route.method} ${path}${qs} ${payload} → ${res.statusCode} ${res.body}`);
        if (res.statusCode >= 400) {
          const error = res.json() as Record<string, unknown>;
          assert.deepEqual(Object.keys(error), ['message', 'code', 'type', 'link'], res.body);
        }
      },
    ),
    { seed: 20261123, numRuns: 400 },
  );
});
