// Goal: a peer's exposition shows topology jobs and shard migrations as the
// replicated cluster state records them — jobs by kind and status, migrations
// by committed phase (every phase present, 0 included, so a dashboard line
// drops to 0 instead of vanishing), per job the documents copied against the
// documents to copy — and promtool accepts it.
// Method: a real peer registry (createPeerMetrics) over a cluster state
// holding job and migration records of the committed types; the state
// changes between two scrapes as a later commit would change it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyState, MIGRATION_PHASES, type JobRecord, type MigrationPhase, type MigrationRecord } from '../../../runtime/cluster/state.ts';
import { createPeerMetrics } from '../../../runtime/metrics/index.ts';
import { assertPromtoolAccepts, sampleValue } from './promtool.ts';

function job(id: string, kind: JobRecord['kind'], status: JobRecord['status']): JobRecord {
  return { id, kind, nodeId: kind === 'rebalance' ? null : 'n4', status, reason: null, startedAt: 10, cutoverAt: null, startedAtMs: 0, finishedAtMs: null };
}

function migration(id: string, jobId: string, shard: number, phase: MigrationPhase, copied: number, total: number): MigrationRecord {
  return {
    id, jobId, indexUid: 'movies', shard, group: 'g1', from: ['n1'], to: 'n4', phase, fromLogIndex: 10, releasedAt: null,
    copied, total, error: null, startedAtMs: 0, updatedAtMs: 0,
  };
}

test('jobs, migrations by phase and copy progress follow the committed records', async () => {
  const state = emptyState();
  const metrics = createPeerMetrics(
    {
      state: () => state,
      isNodeHealthy: () => true,
      raft: () => ({ term: 1, commit: 0, applied: 0, isLeader: true, driver: { lastIndex: 0, snapshotIndex: 0, proposalsPending: 0 } }),
    },
    { processMetrics: false },
  );

  const empty = await metrics.exposition();
  assertPromtoolAccepts(empty);
  for (const phase of MIGRATION_PHASES) assert.equal(sampleValue(empty, `miroir_migrations{phase="${phase}"}`), 0, phase);
  assert.equal(sampleValue(empty, 'miroir_jobs{kind="join",status="running"}'), 0);
  assert.ok(!empty.includes('miroir_migration_copied_documents{'), 'no job, no progress series');

  state.jobs.set('j1', job('j1', 'drain', 'succeeded'));
  state.jobs.set('j2', job('j2', 'join', 'running'));
  state.migrations.set('m1', migration('m1', 'j1', 0, 'done', 40, 40));
  state.migrations.set('m2', migration('m2', 'j2', 1, 'copy', 15, 60));
  state.migrations.set('m3', migration('m3', 'j2', 2, 'hold', 0, 0));
  state.migrations.set('m4', migration('m4', 'j2', 3, 'replay', 25, 25));

  const running = await metrics.exposition();
  assertPromtoolAccepts(running);
  assert.equal(sampleValue(running, 'miroir_jobs{kind="drain",status="succeeded"}'), 1);
  assert.equal(sampleValue(running, 'miroir_jobs{kind="join",status="running"}'), 1);
  assert.equal(sampleValue(running, 'miroir_jobs{kind="rebalance",status="running"}'), 0);
  assert.deepEqual(
    Object.fromEntries(MIGRATION_PHASES.map((p) => [p, sampleValue(running, `miroir_migrations{phase="${p}"}`)])),
    { hold: 1, copy: 1, replay: 1, verify: 0, cutover: 0, cleanup: 0, done: 1, failed: 0 },
  );
  assert.equal(sampleValue(running, 'miroir_migration_copied_documents{job="j2",kind="join"}'), 40);
  assert.equal(sampleValue(running, 'miroir_migration_source_documents{job="j2",kind="join"}'), 85);
  assert.equal(sampleValue(running, 'miroir_migration_copied_documents{job="j1",kind="drain"}'), 40);

  // The next checkpoint moves the copy on; the trimmed job's series goes away.
  state.migrations.get('m2')!.copied = 60;
  state.migrations.delete('m1');
  state.jobs.delete('j1');
  const later = await metrics.exposition();
  assert.equal(sampleValue(later, 'miroir_migration_copied_documents{job="j2",kind="join"}'), 85);
  assert.equal(sampleValue(later, 'miroir_migration_copied_documents{job="j1",kind="drain"}'), undefined);
  assert.equal(sampleValue(later, 'miroir_migrations{phase="done"}'), 0);
});
