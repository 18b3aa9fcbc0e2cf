// Goal: the in-flight gauge counts a request from its arrival until it is
// answered or its client goes away, so an abandoned request does not stay
// "in flight" forever, and it is not counted as answered either.
// Method: a Fastify app with the edge's metrics hooks
// (api/plugins/metrics.ts) and one route that waits until the test releases
// it, on a real loopback socket; the client disconnects mid-request.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { installRequestMetrics } from '../../../api/plugins/metrics.ts';
import { HttpMetrics } from '../../../runtime/metrics/index.ts';
import { eventually } from '../../integration/cluster/harness.ts';
import { sampleValue } from './promtool.ts';

const registry = new Registry();
const app = Fastify();
installRequestMetrics(app, new HttpMetrics(registry));
const arrived: Array<() => void> = [];
app.get('/slow', () => new Promise<string>((resolve) => arrived.push(() => resolve('done'))));
after(() => app.close());

const inFlight = async (): Promise<number | undefined> => sampleValue(await registry.metrics(), 'miroir_http_requests_in_flight');

test('a request is in flight until answered, or until its client goes away', async () => {
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const answered = fetch(`${url}/slow`).then((r) => r.text());
  await eventually(() => arrived.length === 1, 'the first request', 10_000);
  assert.equal(await inFlight(), 1);
  arrived.shift()!();
  assert.equal(await answered, 'done');
  const answeredCount = async (): Promise<number | undefined> =>
    sampleValue(await registry.metrics(), 'miroir_http_requests_total{method="GET",route="/slow",status_code="200"}');
  await eventually(async () => (await answeredCount()) === 1, 'the answer counted', 10_000);
  assert.equal(await inFlight(), 0);

  const abandoned = request(`${url}/slow`);
  abandoned.on('error', () => undefined);
  abandoned.end();
  await eventually(() => arrived.length === 1, 'the second request', 10_000);
  assert.equal(await inFlight(), 1);
  abandoned.destroy();
  await eventually(async () => (await inFlight()) === 0, 'the abandoned request leaving the gauge', 10_000);
  // The handler finishes later, towards a closed socket: nothing more is counted.
  arrived.shift()!();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(await answeredCount(), 1, 'not counted as answered');
  assert.equal(await inFlight(), 0, 'and never left twice');
});

