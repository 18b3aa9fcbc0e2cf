// Goal: the node client turns node answers and transport failures into the
// typed outcomes the orchestrator branches on, and retries only reads that
// can be retried. Method: a real HTTP server on loopback that answers, fails,
// or cuts the connection on demand (no mocks of undici).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeClient } from '../../../../transport/node-client/node-client.ts';
import { NodeResponseError } from '../../../../transport/node-client/errors.ts';
import { retryRead } from '../../../../transport/node-client/retry.ts';
import { NodeUnavailableError } from '../../../../runtime/errors.ts';
import { realClock } from '../../../../runtime/env/real.ts';
import { seededRng } from '../../../../runtime/env/rng.ts';

let cutNext = 0;
const seen: Array<{ method: string; url: string; auth: string | undefined; body: string }> = [];

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
    if (req.url?.startsWith('/cut') && cutNext > 0) {
      cutNext--;
      req.socket.destroy();
      return;
    }
    if (req.url?.startsWith('/slow')) {
      const timer = setTimeout(() => res.end(JSON.stringify({ ok: true })), 2_000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (req.url?.startsWith('/big')) {
      // Written in small pieces so a 2-byte character straddles chunk boundaries.
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = JSON.stringify({ ok: true, big: 'é'.repeat(100_000) });
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length; at += 4_097) res.write(bytes.subarray(at, at + 4_097));
      res.end();
      return;
    }
    if (req.url?.startsWith('/missing')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Index `x` not found.', code: 'index_not_found', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#index_not_found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, echo: body ? JSON.parse(body) : null }));
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const client = new NodeClient({ nodeId: 'n1', url, apiKey: 'nodeKey', connectionsMax: 4, headersTimeoutMs: 2000, bodyTimeoutMs: 2000 });
after(async () => {
  await client.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const policy = { attemptsMax: 3, baseMs: 1, maxMs: 5 };
const env = { clock: realClock, rng: seededRng(3) };

test('JSON round trip with the node key and query string', async () => {
  const res = await client.request<{ ok: boolean; echo: unknown }>({ method: 'POST', path: '/indexes/x/search', query: { a: 1, b: undefined }, body: { q: 'hi' } });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { ok: true, echo: { q: 'hi' } });
  const last = seen.at(-1)!;
  assert.equal(last.url, '/indexes/x/search?a=1');
  assert.equal(last.auth, 'Bearer nodeKey');
});

test('a node error keeps its Meilisearch body and status', async () => {
  await assert.rejects(client.request({ method: 'GET', path: '/missing' }), (e: unknown) => {
    assert.ok(e instanceof NodeResponseError);
    assert.equal(e.status, 404);
    assert.equal(e.body.code, 'index_not_found');
    assert.equal(e.toMeiliError().status, 404);
    return true;
  });
});

test('a cut connection is NodeUnavailableError; reads retry, once-only calls do not', async () => {
  cutNext = 1;
  await assert.rejects(client.request({ method: 'POST', path: '/cut', body: { w: 1 } }), NodeUnavailableError);
  cutNext = 2;
  const res = await retryRead(() => client.request<{ ok: boolean }>({ method: 'GET', path: '/cut' }), policy, env);
  assert.equal(res.body.ok, true);
  cutNext = 5;
  await assert.rejects(retryRead(() => client.request({ method: 'GET', path: '/cut' }), policy, env), NodeUnavailableError);
  cutNext = 0;
});

test('client errors are not retried', async () => {
  let calls = 0;
  await assert.rejects(
    retryRead(() => {
      calls++;
      return client.request({ method: 'GET', path: '/missing' });
    }, policy, env),
    NodeResponseError,
  );
  assert.equal(calls, 1);
});

test('a refused connection is NodeUnavailableError', async () => {
  const dead = new NodeClient({ nodeId: 'n9', url: 'http://127.0.0.1:1', apiKey: null, connectionsMax: 1, headersTimeoutMs: 500, bodyTimeoutMs: 500 });
  await assert.rejects(dead.request({ method: 'GET', path: '/health' }), (e: unknown) => e instanceof NodeUnavailableError && e.nodeId === 'n9');
  await dead.close();
});

test('an abort rejects the call at once, before or during the exchange, and the pool keeps serving', async () => {
  const aborted = new AbortController();
  aborted.abort(new Error('gone already'));
  const before = seen.length;
  await assert.rejects(client.request({ method: 'GET', path: '/health', signal: aborted.signal }), (e: unknown) => e instanceof NodeUnavailableError && /gone already/.test(e.message));
  assert.equal(seen.length, before, 'an already aborted call sends nothing');
  const during = new AbortController();
  const started = Date.now();
  const call = client.request({ method: 'GET', path: '/slow', signal: during.signal });
  setTimeout(() => during.abort(new Error('deadline passed')), 50);
  await assert.rejects(call, (e: unknown) => e instanceof NodeUnavailableError && /deadline passed/.test(e.message));
  assert.ok(Date.now() - started < 1_500, 'the call did not wait for the slow answer');
  const res = await client.request<{ ok: boolean }>({ method: 'GET', path: '/health' });
  assert.equal(res.body.ok, true);
});

test('a multi-chunk answer with multi-byte characters is decoded whole', async () => {
  const res = await client.request<{ ok: boolean; big: string }>({ method: 'GET', path: '/big' });
  assert.equal(res.body.big, 'é'.repeat(100_000));
});
