// Goal: every failure at the edge is a Meilisearch-shaped error with the
// right status — body parsing, payload limit, unknown routes and methods,
// client auth without and with a master key, the admin key of /_miroir, and
// runtime failures of a proposal (retriable 5xx with Retry-After). Also the
// open routes and the admin views. Method: inject() into buildApp over the
// in-memory PeerServices of harness.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { NotLeaderError, OverloadedError, TimeoutError } from '../../../runtime/errors.ts';
import { ADMIN_KEY, json, master, testApp, type TestPeer } from './harness.ts';

function assertError(res: { statusCode: number; json(): unknown }, status: number, code: string): void {
  assert.equal(res.statusCode, status, `status of ${code}`);
  const body = res.json() as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['message', 'code', 'type', 'link']);
  assert.equal(body['code'], code);
  assert.equal(body['link'], `https://docs.meilisearch.com/errors#${code}`);
}

describe('edge with a master key', () => {
  let app: FastifyInstance;
  let peer: TestPeer;
  before(async () => {
    ({ app, peer } = await testApp({ payloadLimitBytes: 1024 }));
  });
  after(() => app.close());

  test('JSON bodies: missing or wrong content type, empty and malformed payloads', async () => {
    const url = '/indexes';
    assertError(await app.inject({ method: 'POST', url, headers: master, payload: '{"uid":"x"}' }), 415, 'missing_content_type');
    assertError(await app.inject({ method: 'POST', url, headers: { ...master, 'content-type': 'text/plain' }, payload: '{}' }), 415, 'invalid_content_type');
    assertError(await app.inject({ method: 'POST', url, headers: json, payload: '' }), 400, 'missing_payload');
    assertError(await app.inject({ method: 'POST', url, headers: json, payload: '{"uid":' }), 400, 'malformed_payload');
    const charset = await app.inject({ method: 'POST', url, headers: { ...master, 'content-type': 'application/json; charset=utf-8' }, payload: '{"uid":"cs"}' });
    assert.equal(charset.statusCode, 202);
  });

  test('a body over the payload limit is 413 payload_too_large', async () => {
    const res = await app.inject({ method: 'POST', url: '/indexes', headers: json, payload: JSON.stringify({ uid: 'x'.repeat(2000) }) });
    assertError(res, 413, 'payload_too_large');
  });

  test('unknown routes are 404 not_found; a known path with another method is 405 with Allow', async () => {
    assertError(await app.inject({ method: 'GET', url: '/nowhere', headers: master }), 404, 'not_found');
    assertError(await app.inject({ method: 'POST', url: '/dumps', headers: master }), 404, 'not_found');
    const wrong = await app.inject({ method: 'PUT', url: '/indexes/movies', headers: master });
    assertError(wrong, 405, 'method_not_allowed');
    assert.match(String(wrong.headers['allow']), /GET/);
  });

  test('client auth: missing header 401, other scheme 401, empty bearer and wrong key 403, master key passes', async () => {
    assertError(await app.inject({ method: 'GET', url: '/indexes' }), 401, 'missing_authorization_header');
    assertError(await app.inject({ method: 'GET', url: '/indexes', headers: { authorization: 'Basic abc' } }), 401, 'missing_authorization_header');
    assertError(await app.inject({ method: 'GET', url: '/indexes', headers: { authorization: 'Bearer ' } }), 403, 'invalid_api_key');
    assertError(await app.inject({ method: 'GET', url: '/indexes', headers: { authorization: 'Bearer nope' } }), 403, 'invalid_api_key');
    assert.equal((await app.inject({ method: 'GET', url: '/indexes', headers: master })).statusCode, 200);
  });

  test('health is open; version answers the Meilisearch API version', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    assert.deepEqual([health.statusCode, health.json()], [200, { status: 'available' }]);
    const version = await app.inject({ method: 'GET', url: '/version', headers: master });
    assert.deepEqual(Object.keys(version.json()), ['commitSha', 'commitDate', 'pkgVersion']);
  });

  test('features a cluster lacks answer as a Meilisearch with them off', async () => {
    const features = await app.inject({ method: 'GET', url: '/experimental-features', headers: master });
    assert.equal(features.json().network, false);
    assertError(await app.inject({ method: 'PATCH', url: '/experimental-features', headers: json, payload: { network: true } }), 400, 'feature_not_enabled');
    assertError(await app.inject({ method: 'PATCH', url: '/experimental-features', headers: json, payload: { nope: false } }), 400, 'bad_request');
    assertError(await app.inject({ method: 'GET', url: '/network', headers: master }), 400, 'feature_not_enabled');
  });

  test('admin routes: missing admin key 401, wrong 403, Bearer or X-Admin-Key pass, the master key does not', async () => {
    const url = '/_miroir/topology';
    assertError(await app.inject({ method: 'GET', url }), 401, 'miroir_missing_admin_key');
    assertError(await app.inject({ method: 'GET', url, headers: { 'x-admin-key': 'wrong' } }), 403, 'miroir_invalid_admin_key');
    assertError(await app.inject({ method: 'GET', url, headers: master }), 403, 'miroir_invalid_admin_key');
    assert.equal((await app.inject({ method: 'GET', url, headers: { 'x-admin-key': ADMIN_KEY } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_KEY}` } })).statusCode, 200);
  });

  test('GET /_miroir/topology lists peers with roles, nodes with health, groups and shard placements', async () => {
    const res = await app.inject({ method: 'GET', url: '/_miroir/topology', headers: { 'x-admin-key': ADMIN_KEY } });
    const body = res.json();
    assert.equal(body.leader, 'p1');
    assert.deepEqual(body.peers, [{ id: 'p1', address: 'ws://127.0.0.1:7800', role: 'leader', isLeader: true, isSelf: true }]);
    assert.deepEqual(body.nodes.map((n: { id: string; healthy: boolean; state: string }) => [n.id, n.state, n.healthy]), [
      ['n1', 'active', true], ['n2', 'active', true], ['n3', 'active', false],
    ]);
    assert.deepEqual(body.groups, [{ id: 'g1', state: 'active', nodes: ['n1', 'n2', 'n3'] }]);
    const index = body.indexes.find((i: { uid: string }) => i.uid === 'cs');
    assert.equal(index.shards, 8);
    assert.equal(index.placements.g1.length, 8);
    for (const owners of index.placements.g1) assert.equal(owners.length, 1);
    assert.deepEqual(index.placements.g1, peer.services.router.placeGroup(8, ['n1', 'n2', 'n3'], 1));
  });

  test('GET /_miroir/ready is open and 200 with a leader', async () => {
    const res = await app.inject({ method: 'GET', url: '/_miroir/ready' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().leader, 'p1');
  });

  test('proposal failures are retriable: no leader and overload 503, timeout 504, each with Retry-After', async () => {
    const cases: Array<[Error, number, string]> = [
      [new NotLeaderError(null), 503, 'miroir_no_leader'],
      [new OverloadedError('proposals', 10), 503, 'miroir_overloaded'],
      [new TimeoutError('proposal', 5000), 504, 'miroir_timeout'],
    ];
    for (const [error, status, code] of cases) {
      peer.failProposals(error);
      const res = await app.inject({ method: 'POST', url: '/indexes', headers: json, payload: { uid: 'later' } });
      assertError(res, status, code);
      assert.equal(res.headers['retry-after'], '10');
    }
    peer.failProposals(null);
  });
});

describe('edge without a master key', () => {
  let app: FastifyInstance;
  before(async () => {
    ({ app } = await testApp({ masterKey: null, adminKey: null, raft: { leader: null } }));
  });
  after(() => app.close());

  test('every client route is open except /keys (401 missing_master_key)', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/indexes' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/tasks', headers: { authorization: 'Bearer whatever' } })).statusCode, 200);
  });

  test('admin routes are open without an admin key; ready is 503 without a leader', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/_miroir/topology' })).statusCode, 200);
    const ready = await app.inject({ method: 'GET', url: '/_miroir/ready' });
    assertError(ready, 503, 'miroir_no_leader');
  });
});
