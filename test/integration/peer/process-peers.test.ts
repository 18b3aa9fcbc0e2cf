// Goal: `miroir peer` processes are real cluster members: with one peer in
// this process and two `miroir peer --config FILE` children, the cluster
// bootstraps, survives `kill -9` of a leading child (the survivors elect a
// leader and keep committing), and the killed peer restarted from its data
// dir rejoins — shown by killing the other child afterwards: the remaining
// majority (this peer and the restarted one) still commits.
// Method: config files written to a temp dir, children spawned with
// cli/bin.js; proposals go through the in-process peer's services (the HTTP
// edge is not part of this build). Deadlines are generous: the machine is
// shared.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startPeer, type Peer } from '../../../cli/commands/peer.ts';
import { realClock } from '../../../runtime/env/real.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import type { ClusterCommand } from '../../../runtime/cluster/index.ts';
import { configFile, eventually, layout, peerConfig, proposeRetrying, removeLayout } from './cluster-helpers.ts';
import { killHard, spawnPeer } from './spawn-peer.ts';

const createIndex = (uid: string): ClusterCommand => ({ v: 1, kind: 'index.create', uid, primaryKey: 'id', shards: 8, nowMs: realClock.nowMs() });

test('miroir peer processes survive kill -9 of the leader and rejoin from their data dir', async () => {
  const l = await layout(['p1', 'p2', 'p3']);
  const children = new Map<string, ChildProcess>();
  let local: Peer | null = null;
  after(async () => {
    await Promise.all([...children.values()].map(killHard));
    await local?.close();
    await removeLayout(l);
  });
  const configPath = (id: string): string => join(l.root, `${id}.json`);
  for (const id of ['p2', 'p3']) await writeFile(configPath(id), JSON.stringify(configFile(l, id)));
  const [c2, c3] = (await Promise.all([spawnPeer(configPath('p2')), spawnPeer(configPath('p3'))])).map((p) => p.child) as [ChildProcess, ChildProcess];
  children.set('p2', c2).set('p3', c3);
  local = await startPeer(peerConfig(l, 'p1'), { clock: realClock, rng: seededRng(5), restart: { baseMs: 50, maxMs: 500 } });
  const p1 = local;
  await eventually(() => p1.services.state().keys.size === 4, 'bootstrap seen by the in-process peer', 60_000);

  // Make a child lead, then kill it hard.
  const leaderNow = (): string | null => p1.services.raft().leader;
  if (leaderNow() === 'p1') p1.runtime.host.driver!.transferLeadership('p2');
  const victim = await eventually(() => {
    const leader = leaderNow();
    return leader === 'p2' || leader === 'p3' ? leader : null;
  }, 'a child process leading', 60_000);
  await killHard(children.get(victim)!);
  children.delete(victim);
  await eventually(() => {
    const leader = leaderNow();
    return leader !== null && leader !== victim;
  }, 'a new leader among the survivors', 60_000);
  const afterKill = await proposeRetrying(p1, createIndex('movies'), 60_000);
  assert.equal(afterKill.kind === 'task' && afterKill.task.taskUid, 0);

  // The killed peer comes back from its data dir; then the other child dies: p1 and the restarted peer still commit.
  children.set(victim, (await spawnPeer(configPath(victim))).child);
  const other = victim === 'p2' ? 'p3' : 'p2';
  // Give the restarted peer a moment to be known as connected before its partner goes.
  await eventually(() => p1.runtime.mesh.isConnected(victim), 'the restarted peer connected', 60_000);
  await killHard(children.get(other)!);
  children.delete(other);
  const books = await proposeRetrying(p1, createIndex('books'), 60_000);
  assert.equal(books.kind, 'task');
  assert.equal(p1.services.state().indexes.has('books'), true);
});
