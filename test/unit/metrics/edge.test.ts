// Goal: the edge's logs and metrics keep issue 6's promises — X-Request-Id is
// honoured (when it looks like an id) and returned, or generated; at most one
// info line per request, carrying the request id, and no secret, query string
// or document content in any line; every request counted and timed by route
// pattern and status code, whoever answered it; /_miroir/metrics guarded by
// the admin key and accepted by `promtool check metrics`.
// Method: inject() into buildApp over the in-memory peer of
// test/unit/api/harness.ts, with real peer metrics and a pino logger writing
// into memory.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_KEY, MASTER_KEY, json, master } from '../api/harness.ts';
import { observedEdge, type ObservedEdge } from './edge-app.ts';
import { assertPromtoolAccepts, sampleValue } from './promtool.ts';

let edge: ObservedEdge;
before(async () => {
  edge = await observedEdge();
});
after(() => edge.app.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('X-Request-Id is honoured and returned, generated when absent or not an id', async () => {
  const honoured = await edge.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-42.a:b_c' } });
  assert.equal(honoured.headers['x-request-id'], 'trace-42.a:b_c');
  const generated = await edge.app.inject({ method: 'GET', url: '/health' });
  assert.match(String(generated.headers['x-request-id']), UUID);
  const other = await edge.app.inject({ method: 'GET', url: '/health' });
  assert.notEqual(other.headers['x-request-id'], generated.headers['x-request-id'], 'every request gets its own id');
  for (const bad of ['has space', 'x'.repeat(129), '{"msg":"forged"}', '']) {
    const res = await edge.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': bad } });
    assert.match(String(res.headers['x-request-id']), UUID, `${JSON.stringify(bad.slice(0, 20))} is replaced`);
  }
  const refused = await edge.app.inject({ method: 'GET', url: '/tasks', headers: { 'x-request-id': 'refused-1' } });
  assert.equal(refused.statusCode, 401);
  assert.equal(refused.headers['x-request-id'], 'refused-1', 'errors carry the id too');
});

test('one log line per request, with its id, route and status, and nothing the client sent in its body, query or headers', async () => {
  const before = edge.lines.length;
  const created = await edge.app.inject({
    method: 'POST',
    url: '/indexes',
    headers: { ...json, 'x-request-id': 'create-1' },
    payload: { uid: 'movies', primaryKey: 'doc_marker_q7z' },
  });
  assert.equal(created.statusCode, 202, created.body);
  const listed = await edge.app.inject({ method: 'GET', url: '/tasks?indexUids=query_marker_k2v', headers: { ...master, 'x-request-id': 'list-1' } });
  assert.equal(listed.statusCode, 200, listed.body);
  const missing = await edge.app.inject({ method: 'GET', url: '/no/such/route', headers: { 'x-request-id': 'missing-1' } });
  assert.equal(missing.statusCode, 404);

  const lines = edge.lines.slice(before);
  assert.equal(lines.length, 3, `one line per request:\n${edge.text()}`);
  const [create, list, notFound] = lines;
  assert.deepEqual(
    { reqId: create?.['reqId'], msg: create?.['msg'], level: create?.['level'], method: create?.['method'], route: create?.['route'], statusCode: create?.['statusCode'] },
    { reqId: 'create-1', msg: 'request', level: 30, method: 'POST', route: '/indexes', statusCode: 202 },
  );
  assert.equal(typeof create?.['durationMs'], 'number');
  assert.equal(create?.['peerId'], 'p1');
  assert.deepEqual([list?.['reqId'], list?.['route'], list?.['path']], ['list-1', '/tasks', '/tasks']);
  assert.deepEqual([notFound?.['reqId'], notFound?.['route'], notFound?.['statusCode']], ['missing-1', null, 404]);

  const text = edge.text();
  for (const secret of [MASTER_KEY, ADMIN_KEY, 'doc_marker_q7z', 'query_marker_k2v']) assert.ok(!text.includes(secret), `${secret} is not logged`);
});

test('requests are counted and timed by route pattern and status, in flight back to zero', async () => {
  const created = await edge.app.inject({ method: 'POST', url: '/indexes', headers: json, payload: { uid: 'books' } });
  const uid = (JSON.parse(created.body) as { taskUid: number }).taskUid;
  const count = (labels: string): number =>
    sampleValue(exposition, `miroir_http_requests_total{${labels}}`) ?? 0;
  let exposition = await edge.metrics.exposition();
  const before = count('method="GET",route="/tasks/:taskUid",status_code="200"');
  for (let i = 0; i < 3; i++) {
    const res = await edge.app.inject({ method: 'GET', url: `/tasks/${uid}`, headers: master });
    assert.equal(res.statusCode, 200);
  }
  await edge.app.inject({ method: 'GET', url: `/tasks/${uid}` });
  await edge.app.inject({ method: 'DELETE', url: '/nowhere/at/all' });
  exposition = await edge.metrics.exposition();
  assert.equal(count('method="GET",route="/tasks/:taskUid",status_code="200"'), before + 3, 'by pattern, not by URL');
  assert.ok(count('method="GET",route="/tasks/:taskUid",status_code="401"') >= 1, 'refusals by the auth hook count');
  assert.ok(count('method="DELETE",route="unmatched",status_code="404"') >= 1, 'unmatched routes share one label');
  assert.ok(!exposition.includes(`/tasks/${uid}"`), 'no raw URL becomes a label');
  assert.ok(
    (sampleValue(exposition, 'miroir_http_request_duration_seconds_count{method="GET",route="/tasks/:taskUid",status_code="200"}') ?? 0) >= 3,
  );
  assert.equal(sampleValue(exposition, 'miroir_http_requests_in_flight'), 0);
});

test('/_miroir/metrics needs the admin key and serves an exposition promtool accepts', async () => {
  const anonymous = await edge.app.inject({ method: 'GET', url: '/_miroir/metrics' });
  assert.equal(anonymous.statusCode, 401);
  assert.equal((JSON.parse(anonymous.body) as { code: string }).code, 'miroir_missing_admin_key');
  const withMasterKey = await edge.app.inject({ method: 'GET', url: '/_miroir/metrics', headers: master });
  assert.equal(withMasterKey.statusCode, 403, 'the client master key is not the admin key');

  const res = await edge.app.inject({ method: 'GET', url: '/_miroir/metrics', headers: { 'x-admin-key': ADMIN_KEY } });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assertPromtoolAccepts(res.body);
  // The harness's cluster: three nodes of g1, n3 unhealthy, tasks from the tests above, Raft term 3.
  assert.equal(sampleValue(res.body, 'miroir_node_healthy{node="n1",group="g1"}'), 1);
  assert.equal(sampleValue(res.body, 'miroir_node_healthy{node="n3",group="g1"}'), 0);
  const tasks = ['enqueued', 'processing', 'succeeded', 'failed', 'canceled'].map((s) => sampleValue(res.body, `miroir_tasks{status="${s}"}`) ?? 0);
  assert.equal(tasks.reduce((a, b) => a + b, 0), edge.peer.state.tasks.size);
  assert.ok(tasks[0]! >= 2, 'the index creations wait for their nodes');
  assert.equal(sampleValue(res.body, 'miroir_raft_term'), 3);
  assert.equal(sampleValue(res.body, 'miroir_raft_is_leader'), 1);
  assert.equal(sampleValue(res.body, 'miroir_raft_applied_index'), edge.peer.state.appliedIndex);
  // The harness applies without placement, so no dispatch is recorded (dispatch-lag.test.ts covers the lag).
  assert.equal(sampleValue(res.body, 'miroir_dispatcher_lag_entries{node="n1",group="g1"}'), 0);
  assert.ok(res.body.includes('process_cpu_seconds_total'), 'process metrics are there');
});
