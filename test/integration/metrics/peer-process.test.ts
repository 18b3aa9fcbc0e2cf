// Goal: a `miroir peer` process is observable as issue 6 asks. Its stdout is
// JSON lines only: a start-up line (with the client, peer and metrics
// addresses), one line per client request carrying the request id (the
// client's X-Request-Id, returned in the response), shut-down lines on
// SIGTERM — and never the master key, the admin key or a document's content.
// Its metrics port serves an exposition `promtool check metrics` accepts,
// whose numbers follow what the cluster did: this peer leads, the writes'
// tasks succeeded, the node caught up (no dispatcher lag), requests and the
// search's scatter were counted.
// Method: one embedded engine node in this process, one `miroir peer` child
// (cli/bin.js) over it; writes and searches with the official meilisearch
// client. Deadlines are generous: the machine is shared.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Meilisearch } from 'meilisearch';
import { startNode, type RunningNode } from '../../../engine/node.ts';
import { assertPromtoolAccepts, sampleValue } from '../../unit/metrics/promtool.ts';
import { eventually } from '../cluster/harness.ts';
import { freePort } from '../peer/cluster-helpers.ts';

const bin = new URL('../../../cli/bin.js', import.meta.url).pathname;
const MASTER_KEY = 'metrics-test-master-key-0123456789';
const ADMIN_KEY = 'metrics-test-admin-key-0123456789';
const CONTENT_MARKER = 'zebra_marker_7h3';

let root: string;
let node: RunningNode;
let child: ChildProcess;
let exited: Promise<number | null>;
const lines: Record<string, unknown>[] = [];
let stdout = '';
let stderr = '';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'miroir-metrics-'));
  node = await startNode({ httpAddr: '127.0.0.1:0', dbPath: join(root, 'n1'), masterKey: null });
  const config = {
    peerId: 'p1',
    dataDir: join(root, 'p1'),
    listen: { host: '127.0.0.1', clientPort: 0, peerPort: await freePort(), metricsPort: 0 },
    groups: [{ id: 'g1', nodes: [{ id: 'n1', url: node.url }] }],
    defaultShards: 4,
    raft: { tickMs: 25, electionTicks: 10, heartbeatTicks: 2 },
  };
  const configPath = join(root, 'p1.json');
  await writeFile(configPath, JSON.stringify(config));
  child = spawn(process.execPath, [bin, 'peer', '--config', configPath], {
    env: { ...process.env, MIROIR_MASTER_KEY: MASTER_KEY, MIROIR_ADMIN_KEY: ADMIN_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout += `${line}\n`;
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
});

after(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
  await node.close();
  await rm(root, { recursive: true, force: true });
});

const banner = (): Record<string, unknown> | undefined => lines.find((l) => typeof l['metricsUrl'] === 'string');

test('a peer process logs JSON lines, keeps secrets and documents out of them, and serves its metrics', async () => {
  const start = await eventually(() => banner() ?? null, 'the start-up line', 60_000).catch((error: Error) => assert.fail(`${error.message}; stderr: ${stderr}`));
  assert.match(String(start['msg']), /^miroir peer p1: client http:\/\/127\.0\.0\.1:\d+ · peers ws:\/\/127\.0\.0\.1:\d+\/? · metrics http:\/\/127\.0\.0\.1:\d+ /);
  const clientUrl = String(start['clientUrl']);
  const metricsUrl = String(start['metricsUrl']);
  const admin = { 'x-admin-key': ADMIN_KEY };
  await eventually(() => fetch(`${clientUrl}/_miroir/ready`, { headers: admin }).then((r) => r.ok, () => false), 'a ready peer', 60_000);

  const client = new Meilisearch({ host: clientUrl, apiKey: MASTER_KEY });
  await client.createIndex('movies', { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
  const added = await client.index('movies').addDocuments([{ id: 1, title: CONTENT_MARKER }, { id: 2, title: 'other' }]).waitTask({ timeout: 30_000 });
  assert.equal(added.status, 'succeeded', JSON.stringify(added.error));
  const found = await client.index('movies').search('zebra');
  assert.equal(found.hits.length, 1);

  const traced = await fetch(`${clientUrl}/health`, { headers: { 'x-request-id': 'itest-req-1' } });
  assert.equal(traced.headers.get('x-request-id'), 'itest-req-1');
  const requestLine = await eventually(() => lines.find((l) => l['reqId'] === 'itest-req-1') ?? null, 'the request line', 20_000);
  assert.deepEqual([requestLine['msg'], requestLine['route'], requestLine['statusCode'], requestLine['peerId']], ['request', '/health', 200, 'p1']);

  // The node acknowledged both writes: its lag drops to zero once the cursor commits.
  const exposition = await eventually(async () => {
    const text = await (await fetch(`${metricsUrl}/metrics`)).text();
    return sampleValue(text, 'miroir_dispatcher_lag_entries{node="n1",group="g1"}') === 0 ? text : null;
  }, 'no dispatcher lag', 60_000);
  assertPromtoolAccepts(exposition);
  assert.equal(sampleValue(exposition, 'miroir_raft_is_leader'), 1);
  assert.ok((sampleValue(exposition, 'miroir_raft_term') ?? 0) >= 1);
  assert.ok((sampleValue(exposition, 'miroir_raft_leader_changes_total') ?? 0) >= 1);
  assert.ok((sampleValue(exposition, 'miroir_raft_commit_index') ?? 0) >= (sampleValue(exposition, 'miroir_dispatcher_cursor_index{node="n1",group="g1"}') ?? Infinity));
  assert.ok((sampleValue(exposition, 'miroir_tasks{status="succeeded"}') ?? 0) >= 2);
  assert.equal(sampleValue(exposition, 'miroir_node_healthy{node="n1",group="g1"}'), 1);
  assert.ok((sampleValue(exposition, 'miroir_search_fanout_nodes_count{round="first"}') ?? 0) >= 1);
  assert.ok((sampleValue(exposition, 'miroir_search_node_request_duration_seconds_count{node="n1",outcome="ok"}') ?? 0) >= 1);
  assert.ok((sampleValue(exposition, 'miroir_http_requests_total{method="POST",route="/indexes/:indexUid/search",status_code="200"}') ?? 0) >= 1);

  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);
  const messages = lines.map((l) => String(l['msg']));
  assert.ok(messages.includes('miroir peer p1: SIGTERM, shutting down'), messages.join('\n'));
  assert.equal(messages.at(-1), 'miroir peer p1: stopped');
  for (const secret of [MASTER_KEY, ADMIN_KEY, CONTENT_MARKER]) assert.ok(!stdout.includes(secret) && !stderr.includes(secret), `${secret} is not logged`);
  const infoLinesPerRequest = lines.filter((l) => l['reqId'] === 'itest-req-1');
  assert.equal(infoLinesPerRequest.length, 1, 'one line per request');
});
