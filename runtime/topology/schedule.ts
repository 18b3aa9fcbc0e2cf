// Which migrations of the running job get an actor now (pure; the
// rebalancer, actors/rebalancer.machine.ts, spawns them):
// - migrations before their cut-over (hold … verify) run at most `max` at a
//   time, in id order (the order they were planned in); the rest wait in hold;
// - migrations in cleanup all run (a filter delete each);
// - migrations waiting for the cut-over need no actor: the job cuts over once
//   every migration is verified (`cutoverDue`).
import { runningJob, migrationsOf, type ClusterState } from '../cluster/index.ts';

const BEFORE_CUTOVER = new Set(['hold', 'copy', 'replay', 'verify']);

export interface Schedule {
  /** Migration ids that should have an actor (a superset of `running` minus finished ones is not implied). */
  start: string[];
  /** The job to cut over now, or null. */
  cutoverJob: string | null;
}

export function schedule(state: Readonly<ClusterState>, running: ReadonlySet<string>, max: number): Schedule {
  const job = runningJob(state);
  if (job === null) return { start: [], cutoverJob: null };
  const migrations = migrationsOf(state, job.id).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const start: string[] = [];
  let busy = migrations.filter((m) => BEFORE_CUTOVER.has(m.phase) && running.has(m.id)).length;
  for (const m of migrations) {
    if (running.has(m.id)) continue;
    if (m.phase === 'cleanup') start.push(m.id);
    else if (BEFORE_CUTOVER.has(m.phase) && busy < max) {
      start.push(m.id);
      busy += 1;
    }
  }
  const verified = migrations.every((m) => m.phase === 'cutover' || m.phase === 'done');
  return { start, cutoverJob: job.cutoverAt === null && verified ? job.id : null };
}
