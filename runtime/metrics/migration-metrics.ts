// Topology jobs and their shard migrations as the replicated cluster state
// records them (issue 6 §1 "migration progress"; ARCHITECTURE §6), computed
// at each scrape like the other state gauges (cluster-metrics.ts): jobs by
// kind and status, migrations by committed phase, and per job the documents
// its migrations copied against the documents they found to copy. Every peer
// holds the same committed records, so any peer answers for the cluster; the
// numbers move when the leader commits a phase or a copy checkpoint, not
// between checkpoints.
//
// Jobs are few (one runs at a time, finished ones are trimmed from the
// state), so a `job` label stays bounded.
import { Gauge, type Registry } from 'prom-client';
import { JOB_KINDS, JOB_STATUSES, MIGRATION_PHASES, type ClusterState } from '../cluster/state.ts';

export interface JobProgress {
  job: string;
  kind: string;
  copied: number;
  total: number;
}

/** Documents copied and to copy, summed over each job's migrations; jobs without migrations count 0 of 0. */
export function jobProgress(state: Readonly<ClusterState>): JobProgress[] {
  const progress = new Map<string, JobProgress>();
  for (const job of state.jobs.values()) progress.set(job.id, { job: job.id, kind: job.kind, copied: 0, total: 0 });
  for (const migration of state.migrations.values()) {
    const entry = progress.get(migration.jobId);
    if (entry === undefined) continue; // Its job was trimmed in the same command; nothing to show.
    entry.copied += migration.copied;
    entry.total += migration.total;
  }
  return [...progress.values()];
}

export function registerMigrationMetrics(registry: Registry, state: () => Readonly<ClusterState>): void {
  new Gauge({
    name: 'miroir_jobs',
    help: 'Topology jobs (join, drain, rebalance) held in the replicated cluster state, by kind and status.',
    labelNames: ['kind', 'status'],
    registers: [registry],
    collect(this: Gauge<'kind' | 'status'>) {
      const counts = new Map<string, number>();
      for (const job of state().jobs.values()) counts.set(`${job.kind}/${job.status}`, (counts.get(`${job.kind}/${job.status}`) ?? 0) + 1);
      for (const kind of JOB_KINDS) {
        for (const status of JOB_STATUSES) this.set({ kind, status }, counts.get(`${kind}/${status}`) ?? 0);
      }
    },
  });
  new Gauge({
    name: 'miroir_migrations',
    help: 'Shard migrations held in the replicated cluster state, by committed phase.',
    labelNames: ['phase'],
    registers: [registry],
    collect(this: Gauge<'phase'>) {
      const counts = new Map<string, number>();
      for (const m of state().migrations.values()) counts.set(m.phase, (counts.get(m.phase) ?? 0) + 1);
      for (const phase of MIGRATION_PHASES) this.set({ phase }, counts.get(phase) ?? 0);
    },
  });
  const progressGauge = (name: string, help: string, read: (p: JobProgress) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['job', 'kind'],
      registers: [registry],
      collect(this: Gauge<'job' | 'kind'>) {
        this.reset();
        for (const p of jobProgress(state())) this.set({ job: p.job, kind: p.kind }, read(p));
      },
    });
  };
  progressGauge('miroir_migration_copied_documents', 'Documents the migrations of a job have copied onto their targets (last committed checkpoint).', (p) => p.copied);
  progressGauge('miroir_migration_source_documents', 'Documents the migrations of a job found on their sources to copy.', (p) => p.total);
}
