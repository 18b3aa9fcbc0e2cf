// Migrations and topology jobs as text: a progress bar from copied/total, one
// row per migration, one line per job. Pure: the commands fetch, these render.
import type { Job, Migration } from './shapes.ts';
import { table } from './table.ts';

const BAR_WIDTH = 20;

/** `[#######.............]  35%`; the bar is full for a finished migration whatever the counts. */
export function bar(done: number, total: number | null, finished = false): string {
  const ratio = finished ? 1 : total === null || total <= 0 ? 0 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

export function isFinished(m: Migration): boolean {
  return m.phase === 'done' || m.phase === 'failed';
}

function errorText(error: Migration['error']): string {
  if (error === null) return '';
  return typeof error === 'string' ? error : `${error.code ?? ''} ${error.message ?? ''}`.trim();
}

export function renderMigrations(list: readonly Migration[]): string {
  if (list.length === 0) return '(no migrations)';
  const rows = list.map((m) => [
    m.id, m.indexUid, String(m.shard), m.group, `${m.from.join(',') || '-'} -> ${m.to}`, m.phase,
    `${bar(m.copied, m.total, m.phase === 'done')} ${m.copied}/${m.total ?? '?'}`,
    errorText(m.error),
  ]);
  const running = list.filter((m) => !isFinished(m)).length;
  const failed = list.filter((m) => m.phase === 'failed').length;
  return `${table(['MIGRATION', 'INDEX', 'SHARD', 'GROUP', 'FROM -> TO', 'PHASE', 'PROGRESS', 'ERROR'], rows)}\n` +
    `${list.length} migration(s): ${running} running, ${failed} failed`;
}

export function renderJob(job: Job | null): string {
  if (job === null) return 'job: none';
  const m = job.migrations;
  const counts = `${m.done}/${m.total} migrations done, ${m.running} running, ${m.failed} failed`;
  const reason = job.reason === null || job.reason === '' ? '' : ` (${job.reason})`;
  return `job ${job.id} · ${job.kind} · ${job.status}${reason} · ${bar(m.done, m.total, job.status === 'succeeded')} ${counts}`;
}
