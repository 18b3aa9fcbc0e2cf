// Goal: `miroir ctl` parses every command of the contract (issue 5 §3, §5)
// and tells usage errors apart (a string → exit 2); its renderers turn
// answers shaped per the contract into the tables and progress bars
// operators read; `--watch` redraws in place on a terminal and prints plain
// changed frames elsewhere; `rebalance --wait` ends with the job, failing
// when the job failed. Method: the parser and renderers called directly;
// the commands run against a scripted admin API (recorded JSON answers
// behind a real HTTP server on 127.0.0.1).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { HELP, parseArgs, type Args } from '../../../cli/ctl/args.ts';
import { LiveView, type Ctx } from '../../../cli/ctl/context.ts';
import { CtlError } from '../../../cli/ctl/http.ts';
import { migrations, rebalance } from '../../../cli/ctl/migrations.ts';
import { renderGroup, renderNode } from '../../../cli/ctl/nodes.ts';
import { renderPeers } from '../../../cli/ctl/peers.ts';
import { bar, renderJob, renderMigrations } from '../../../cli/ctl/progress.ts';
import type { Job, Migration } from '../../../cli/ctl/shapes.ts';

const env = {};
const parsed = (...argv: string[]): Args => {
  const args = parseArgs(argv, env);
  assert.equal(typeof args, 'object', `${argv.join(' ')}: ${String(args)}`);
  return args as Args;
};

test('every command of the contract parses, with its arguments and flags', () => {
  assert.deepEqual(parsed('peers').command, 'peers');
  assert.deepEqual(parsed('peers', 'list').command, 'peers list');
  assert.deepEqual(parsed('peers', 'add', 'p4', 'ws://10.0.0.4:7800').positionals, { id: 'p4', address: 'ws://10.0.0.4:7800' });
  assert.deepEqual(parsed('peers', 'remove', 'p4').positionals, { id: 'p4' });
  assert.deepEqual(parsed('peers', 'transfer').positionals, {});
  assert.deepEqual(parsed('peers', 'transfer', 'p2', '--json').positionals, { id: 'p2' });
  const add = parsed('node', 'add', 'n4', 'http://10.0.1.4:7700', '--group=g1');
  assert.deepEqual([add.command, add.positionals, add.flags], ['node add', { id: 'n4', url: 'http://10.0.1.4:7700' }, { group: 'g1' }]);
  assert.equal(parsed('node', 'drain', 'n2').command, 'node drain');
  assert.equal(parsed('node', 'remove', 'n2').command, 'node remove');
  const group = parsed('group', 'add', 'g2', '--node', 'a=http://10.0.2.1:7700', '--node', 'b=http://10.0.2.2:7700');
  assert.deepEqual(group.flags, { node: ['a=http://10.0.2.1:7700', 'b=http://10.0.2.2:7700'] });
  assert.equal(parsed('group', 'remove', 'g2').command, 'group remove');
  assert.deepEqual(parsed('rebalance', '--wait', '--interval-ms', '200').flags, { wait: true, 'interval-ms': '200' });
  assert.deepEqual(parsed('migrations', '--watch', '--status', 'running').flags, { watch: true, status: 'running' });
  assert.deepEqual(parsed('migrations', 'm-1').positionals, { id: 'm-1' });
  // Flags may come before the positionals of the command they follow.
  assert.deepEqual(parsed('node', 'add', '--group', 'g1', 'n4', 'http://x:1', '--url', 'http://peer:7700').positionals, { id: 'n4', url: 'http://x:1' });
});

test('usage errors are strings (exit 2), each saying what is wrong', () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /a command is required/],
    [['frobnicate'], /unknown command `frobnicate`/],
    [['peers', 'evict'], /unknown command `peers evict` \(one of: list, add, remove, transfer\)/],
    [['node'], /`node` needs one of: add, drain, remove/],
    [['peers', 'add', 'p4'], /`peers add` needs ADDRESS/],
    [['peers', 'remove', 'p4', 'p5'], /unexpected argument `p5`/],
    [['node', 'add', 'n4', 'http://x:1'], /`node add` needs --group/],
    [['node', 'add', 'n4', '--group', 'g1'], /`node add` needs URL/],
    [['group', 'add', 'g2'], /`group add` needs --node/],
    [['group', 'add', 'g2', '--node', 'a'], /--node needs ID=URL/],
    [['rebalance', '--wait=yes'], /`--wait` takes no value/],
    [['rebalance', '--interval-ms', '0'], /whole number of milliseconds/],
    [['status', '--watch'], /unknown flag `--watch` for `status`/],
    [['tasks', '--limit'], /`--limit` needs a value/],
  ];
  for (const [argv, message] of cases) assert.match(String(parseArgs(argv, env)), message, argv.join(' '));
});

test('--help lists every command', () => {
  for (const line of ['status', 'tasks', 'peers ', 'peers add ID ADDRESS', 'peers remove ID', 'peers transfer [ID]', 'node add ID URL --group GROUP',
    'node drain ID', 'node remove ID', 'group add ID --node ID=URL …', 'group remove ID', 'rebalance [--wait]', 'migrations [ID] [--status STATUS] [--watch]']) {
    assert.ok(HELP.includes(`  ${line}`), line);
  }
});

const job = (over: Partial<Job> = {}): Job => ({
  id: 'j1', kind: 'rebalance', status: 'running', reason: null, migrations: { total: 4, done: 1, running: 2, failed: 0 },
  startedAt: '2026-11-23T16:00:00Z', finishedAt: null, ...over,
});
const migration = (over: Partial<Migration> = {}): Migration => ({
  id: 'm1', indexUid: 'movies', shard: 3, group: 'g1', from: ['n1'], to: 'n4', phase: 'copy', fromLogIndex: 120,
  copied: 250, total: 1000, error: null, startedAt: '2026-11-23T16:00:00Z', updatedAt: '2026-11-23T16:00:01Z', ...over,
});

test('renderers: progress bars from copied/total, jobs, nodes, groups, peers', () => {
  assert.equal(bar(0, 1000), '[....................]   0%');
  assert.equal(bar(250, 1000), '[#####...............]  25%');
  assert.equal(bar(1000, 1000), '[####################] 100%');
  assert.equal(bar(5, null), '[....................]   0%', 'total unknown yet');
  assert.equal(bar(0, 0, true), '[####################] 100%', 'a finished migration is full');
  const table = renderMigrations([migration(), migration({ id: 'm2', shard: 5, phase: 'failed', error: { code: 'miroir_node_unavailable', message: 'n4 down' } })]);
  assert.match(table, /^m1\s+movies\s+3\s+g1\s+n1 -> n4\s+copy\s+\[#####\.+\]\s+25% 250\/1000\s*$/m);
  assert.match(table, /^m2 .* failed .* miroir_node_unavailable n4 down$/m);
  assert.match(table, /2 migration\(s\): 1 running, 1 failed$/);
  assert.equal(renderMigrations([]), '(no migrations)');
  assert.match(renderJob(job()), /^job j1 · rebalance · running · \[#####\.+\]\s+25% 1\/4 migrations done, 2 running, 0 failed$/);
  assert.match(renderJob(job({ status: 'failed', reason: 'n4 unreachable' })), /failed \(n4 unreachable\)/);
  assert.equal(renderJob(null), 'job: none');
  assert.match(renderNode({ node: { id: 'n4', url: 'http://x:1', group: 'g1', state: 'joining' }, job: job() }), /^node n4 · group g1 · joining · http:\/\/x:1\njob j1/);
  assert.equal(renderGroup({ group: { id: 'g2', state: 'initializing' }, job: null }), 'group g2 · initializing\njob: none');
  const peers = renderPeers({
    leader: 'p1', source: 'leader', answeredBy: 'p1',
    results: [{ id: 'p1', address: 'ws://a:1', role: 'leader', voter: true, matchIndex: 42 }, { id: 'p4', address: null, role: 'learner', voter: false, matchIndex: null }],
  });
  assert.match(peers, /^leader p1 \(as leader p1 sees it\)/);
  assert.match(peers, /^p1\s+leader\s+yes\s+42\s+ws:\/\/a:1$/m);
  assert.match(peers, /^p4\s+learner\s+no\s+-\s+-$/m);
});

test('a live frame is redrawn in place on a terminal, printed when it changes elsewhere', () => {
  const tty: string[] = [];
  const onTty = new LiveView({ isTTY: true, write: (t) => tty.push(t) });
  onTty.show('a\nb');
  onTty.show('a\nb');
  onTty.show('c\nd');
  assert.deepEqual(tty, ['a\nb\n', '\x1b[2A\x1b[J', 'c\nd\n']);
  const pipe: string[] = [];
  const inPipe = new LiveView({ isTTY: false, write: (t) => pipe.push(t) });
  inPipe.show('a');
  inPipe.show('a');
  inPipe.show('b');
  assert.deepEqual(pipe, ['a\n', 'b\n']);
});

/** A scripted admin API: each GET path answers the next of its recorded answers (the last one repeats). */
async function scripted(answers: Record<string, Array<[number, unknown]>>): Promise<{ url: string; server: Server; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    seen.push(key);
    const queue = answers[key];
    const [status, body] = queue === undefined ? [404, { message: 'Not found.', code: 'not_found' }] : queue.length > 1 ? queue.shift()! : queue[0]!;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server, seen };
}

function ctxFor(url: string, argv: string[]): { ctx: Ctx; screen: string[] } {
  const screen: string[] = [];
  const args = parseArgs([...argv, '--url', url], {}) as Args;
  return { ctx: { args, screen: { isTTY: false, write: (t) => screen.push(t) }, sleep: () => Promise.resolve() }, screen };
}

test('rebalance --wait follows the job to its end; a failed job is an error (exit 1)', async () => {
  const api = await scripted({
    'POST /_miroir/rebalance': [[202, { job: job() }]],
    'GET /_miroir/rebalance': [[200, { job: job({ migrations: { total: 4, done: 3, running: 1, failed: 0 } }) }], [200, { job: job({ status: 'succeeded', migrations: { total: 4, done: 4, running: 0, failed: 0 } }) }]],
    'GET /_miroir/migrations': [[200, { results: [migration()] }]],
  });
  after(() => api.server.close());
  const ok = ctxFor(api.url, ['rebalance', '--wait']);
  assert.equal(await rebalance(ok.ctx), '');
  assert.match(ok.screen.join(''), /running .* 1\/4 migrations done[\s\S]*m1\s+movies[\s\S]*running .* 3\/4[\s\S]*succeeded .* 4\/4 migrations done/);

  const failing = await scripted({
    'POST /_miroir/rebalance': [[202, { job: job() }]],
    'GET /_miroir/rebalance': [[200, { job: job({ status: 'failed', reason: 'n4 unreachable' }) }]],
    'GET /_miroir/migrations': [[200, { results: [] }]],
  });
  after(() => failing.server.close());
  await assert.rejects(rebalance(ctxFor(failing.url, ['rebalance', '--wait']).ctx), (e: Error) => e instanceof CtlError && /rebalance job j1 failed: n4 unreachable/.test(e.message));
});

test('migrations --watch polls until none runs; an unknown migration is the API error', async () => {
  const api = await scripted({
    'GET /_miroir/migrations': [
      [200, { results: [migration({ copied: 100 }), migration({ id: 'm2', phase: 'done', copied: 10, total: 10 })] }],
      [200, { results: [migration({ phase: 'verify', copied: 1000 }), migration({ id: 'm2', phase: 'done', copied: 10, total: 10 })] }],
      [200, { results: [migration({ phase: 'done', copied: 1000 }), migration({ id: 'm2', phase: 'done', copied: 10, total: 10 })] }],
    ],
    'GET /_miroir/migrations/nope': [[404, { message: 'Migration `nope` not found.', code: 'miroir_unknown_migration', type: 'invalid_request', link: '' }]],
  });
  after(() => api.server.close());
  const watch = ctxFor(api.url, ['migrations', '--watch']);
  assert.equal(await migrations(watch.ctx), '');
  const frames = watch.screen.join('');
  assert.match(frames, /copy\s+\[##\.+\]\s+10% 100\/1000[\s\S]*verify\s+\[#+\] 100% 1000\/1000[\s\S]*2 migration\(s\): 0 running, 0 failed/);
  assert.equal(api.seen.filter((s) => s === 'GET /_miroir/migrations').length, 3);
  await assert.rejects(migrations(ctxFor(api.url, ['migrations', 'nope']).ctx), (e: Error) => e instanceof CtlError && /404 miroir_unknown_migration: Migration `nope` not found/.test(e.message));
});
