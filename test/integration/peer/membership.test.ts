// Goal: Raft membership through the admin API (/_miroir/peers) with real
// processes: a 4th peer — a `miroir peer` child with an empty data dir and
// `start: join` — does not elect itself, is added through a follower's API
// (forwarded to the leader) as a learner and promoted to voter, and holds in
// its replica what was committed after it joined; leadership is transferred to
// it and removing it while it leads (which hands leadership over first) go
// through `miroir ctl peers`; refusals are Meilisearch-shaped. Writes go on
// throughout and every one commits.
// Method: three founding peers in this process serving their client APIs, the
// joiner as a child process; a writer proposes index creations through p2
// all along (retrying only what an election or a transfer causes), and the
// final state holds every one. Deadlines are generous: the machine is shared.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startPeer, type Peer } from '../../../cli/commands/peer.ts';
import type { ClusterCommand } from '../../../runtime/cluster/index.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { loadConfig } from '../../../runtime/config/index.ts';
import { CLUSTER_SECRET, configFile, eventually, layout, proposeRetrying, removeLayout } from './cluster-helpers.ts';
import { killHard, spawnPeer, type SpawnedPeer } from './spawn-peer.ts';
import { runCli } from '../engine/spawn-node.ts';

const FOUNDERS = ['p1', 'p2', 'p3'];

interface Member { id: string; address: string | null; role: string; voter: boolean; matchIndex: number | null }
interface Peers { leader: string | null; source: string; answeredBy: string; results: Member[] }

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const init: RequestInit = { method, signal: AbortSignal.timeout(120_000) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, body: await response.json() };
}

test('a joining peer process is added, leads, and is removed through /_miroir/peers while writes go on', async () => {
  const l = await layout([...FOUNDERS, 'p4']);
  const founders = l.peers.filter((p) => FOUNDERS.includes(p.id)).map((p) => ({ id: p.id, address: `ws://127.0.0.1:${p.port}` }));
  const joinerAddress = `ws://127.0.0.1:${l.peers.find((p) => p.id === 'p4')!.port}`;
  const peers: Peer[] = [];
  let joiner: SpawnedPeer | null = null;
  let writing = true;
  let writer: Promise<number> = Promise.resolve(0);
  after(async () => {
    writing = false;
    await writer.catch(() => undefined);
    if (joiner !== null) await killHard(joiner.child);
    await Promise.all(peers.map((p) => p.close()));
    await removeLayout(l);
  });
  for (const [i, id] of FOUNDERS.entries()) {
    const config = loadConfig({ fileText: JSON.stringify({ ...configFile(l, id), peers: founders }), env: { MIROIR_CLUSTER_SECRET: CLUSTER_SECRET } });
    peers.push(await startPeer(config, { clock: realClock, rng: seededRng(40 + i), clientApi: true, restart: { baseMs: 50, maxMs: 500 } }));
  }
  const [p1, p2] = peers as [Peer, Peer, Peer];
  await eventually(() => peers.every((p) => p.services.state().keys.size === 4), 'the founders bootstrapped', 60_000);
  const leaderNow = (): string | null => p1.services.raft().leader;
  const apiOf = (id: string): string => (id === 'p4' ? joiner!.clientUrl : peers[FOUNDERS.indexOf(id)]!.clientUrl!);
  const followerApi = (): string => apiOf(FOUNDERS.find((id) => id !== leaderNow())!);

  // Writes all along, through p2, one after the other.
  const createIndex = (uid: string): ClusterCommand => ({ v: 1, kind: 'index.create', uid, primaryKey: 'id', shards: 8, nowMs: realClock.nowMs() });
  writer = (async () => {
    let n = 0;
    while (writing) {
      const result = await proposeRetrying(p2, createIndex(`w${n}`), 60_000);
      assert.equal(result.kind, 'task', `write w${n}`);
      n++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return n;
  })();

  // The joiner starts with an empty data dir and stays out of the elections.
  const joinerConfig = join(l.root, 'p4.json');
  await writeFile(joinerConfig, JSON.stringify({ ...configFile(l, 'p4'), peers: founders, start: 'join' }));
  joiner = await spawnPeer(joinerConfig);
  const before = await call(joiner.clientUrl, 'GET', '/_miroir/peers');
  assert.equal(before.status, 200, JSON.stringify(before.body));
  assert.deepEqual((before.body as Peers).results.filter((m) => m.voter).map((m) => m.id), FOUNDERS);
  assert.notEqual(leaderNow(), 'p4');

  // Added through a follower: forwarded to the leader, answered once p4 is a voter.
  const added = await call(followerApi(), 'POST', '/_miroir/peers', { id: 'p4', address: joinerAddress });
  assert.equal(added.status, 200, JSON.stringify(added.body));
  const p4 = (added.body as Peers).results.find((m) => m.id === 'p4');
  assert.deepEqual({ ...p4, matchIndex: typeof p4?.matchIndex }, { id: 'p4', address: joinerAddress, role: 'follower', voter: true, matchIndex: 'number' });
  assert.equal((added.body as Peers).source, 'leader');
  const listed = await runCli(['ctl', 'peers', '--url', joiner.clientUrl], 90_000);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^p4\s+follower\s+yes\s+\d+\s+ws:/m);
  const again = await call(followerApi(), 'POST', '/_miroir/peers', { id: 'p4', address: joinerAddress });
  assert.equal(again.status, 200, 'adding a voter again is harmless');

  // What is committed after the join is in the joiner's own replica.
  await proposeRetrying(p1, createIndex('after-join'), 60_000);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const topology = await call(joiner.clientUrl, 'GET', '/_miroir/topology');
    assert.equal(topology.status, 200);
    if ((topology.body as { indexes: Array<{ uid: string }> }).indexes.some((i) => i.uid === 'after-join')) break;
    assert.ok(Date.now() < deadline, 'after-join reached the joiner replica in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // The joiner can lead: leadership goes to it, and the writes go on.
  const transferred = await runCli(['ctl', 'peers', 'transfer', 'p4', '--json', '--url', followerApi(), '--timeout-ms', '60000'], 90_000);
  assert.equal(transferred.code, 0, transferred.stderr);
  assert.deepEqual(JSON.parse(transferred.stdout), { leader: 'p4' });
  await eventually(() => leaderNow() === 'p4', 'p1 sees p4 leading', 30_000);
  await proposeRetrying(p1, createIndex('under-p4'), 60_000);

  // Removing the leader hands leadership over first; asked through the leader itself.
  const removed = await runCli(['ctl', 'peers', 'remove', 'p4', '--json', '--url', joiner.clientUrl, '--timeout-ms', '60000'], 90_000);
  assert.equal(removed.code, 0, removed.stderr);
  const after4 = JSON.parse(removed.stdout) as Peers;
  assert.ok(after4.leader !== null && FOUNDERS.includes(after4.leader), `a founder leads: ${after4.leader}`);
  assert.deepEqual(after4.results.map((m) => [m.id, m.voter]), FOUNDERS.map((id) => [id, true]));
  await eventually(() => peers.every((p) => !p.services.state().peers.has('p4')), 'p4 forgotten by every founder', 30_000);

  // Refusals.
  const unknown = await call(followerApi(), 'DELETE', '/_miroir/peers/p9');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.code, 'miroir_unknown_peer');
  const badBody = await call(followerApi(), 'POST', '/_miroir/peers', { id: 'p5', address: 'http://127.0.0.1:1' });
  assert.equal(badBody.status, 400);
  assert.equal(badBody.body.code, 'bad_request');
  const toLearner = await call(followerApi(), 'POST', '/_miroir/peers/transfer-leadership', { to: 'p9' });
  assert.equal(toLearner.status, 404);
  assert.equal(toLearner.body.code, 'miroir_unknown_peer');
  const anyone = await call(followerApi(), 'POST', '/_miroir/peers/transfer-leadership');
  assert.equal(anyone.status, 200, JSON.stringify(anyone.body));

  // Every write committed, exactly once each.
  writing = false;
  const written = await writer;
  assert.ok(written > 0);
  await p1.services.syncRead();
  for (let n = 0; n < written; n++) assert.ok(p1.services.state().indexes.has(`w${n}`), `w${n} committed`);
  for (const uid of ['after-join', 'under-p4']) assert.ok(p1.services.state().indexes.has(uid), uid);
});
