// `miroir ctl tasks`: the cluster's tasks, newest first, with GET /tasks's filters.
import type { Ctx } from './context.ts';
import { request } from './http.ts';
import type { TaskList } from './shapes.ts';
import { table } from './table.ts';

export function renderTasks(list: TaskList): string {
  const rows = list.results.map((task) => [
    String(task.uid), task.indexUid ?? '-', task.type, task.status + (task.error?.code ? ` (${task.error.code})` : ''), task.enqueuedAt,
  ]);
  const more = list.next === null ? '' : `\n… more from --from ${list.next}`;
  return `${table(['UID', 'INDEX', 'TYPE', 'STATUS', 'ENQUEUED AT'], rows)}\n${list.results.length} of ${list.total} task(s)${more}`;
}

/** The filters as GET /tasks names them (`index-uids` → `indexUids`). */
export function taskQuery(flags: Readonly<Record<string, unknown>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(flags)) {
    if (typeof value === 'string') params.set(name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()), value);
  }
  const query = params.toString();
  return query === '' ? '' : `?${query}`;
}

export async function tasks(ctx: Ctx): Promise<string> {
  const list = (await request(ctx.args, 'GET', `/_miroir/tasks${taskQuery(ctx.args.flags)}`)) as TaskList;
  return ctx.args.json ? JSON.stringify(list, null, 2) : renderTasks(list);
}
