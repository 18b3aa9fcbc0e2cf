// Task routes (API.md §1.5): list with filters and from/next/limit/reverse
// pagination, get one, cancel and delete (200 with a summarized task, and
// missing_task_filters without any filter).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MeiliError } from '../../../api/errors/registry.ts';
import { parseTaskFilterParams, parseTaskListParams } from '../../../api/protocol/task-query.ts';
import { engineFilter, matchesFilter } from '../../tasks/filter.ts';
import type { TaskRecord } from '../../tasks/types.ts';
import { taskView } from '../../tasks/view.ts';
import type { RouteOptions } from '../context.ts';
import { queryBool, queryUint, type Query } from '../../../api/protocol/deserr.ts';
import { queryOf, visible } from '../route-helpers.ts';

/** Newest first unless `reverse`; `from` is inclusive; `next` is the first uid of the next page. */
export function paginate<T>(items: readonly T[], uidOf: (item: T) => number, query: Query, codes: { limit: string; from: string; reverse: string }) {
  const limit = queryUint(query, 'limit', codes.limit) ?? 20;
  const from = queryUint(query, 'from', codes.from) ?? null;
  const reverse = queryBool(query, 'reverse', codes.reverse) ?? false;
  const ordered = reverse ? [...items] : [...items].reverse();
  const started = from === null ? ordered : ordered.filter((item) => (reverse ? uidOf(item) >= from : uidOf(item) <= from));
  const page = started.slice(0, limit);
  const next = started[limit];
  return {
    page,
    total: items.length,
    limit,
    from: page[0] === undefined ? null : uidOf(page[0]),
    next: next === undefined ? null : uidOf(next),
  };
}

function visibleTask(request: FastifyRequest, task: TaskRecord): boolean {
  return task.indexUid === null || visible(request, task.indexUid);
}

function originalFilter(request: FastifyRequest): string {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at);
}

const TASK_CODES = { limit: 'invalid_task_limit', from: 'invalid_task_from', reverse: 'invalid_task_reverse' };

export async function taskRoutes(app: FastifyInstance, { ctx }: RouteOptions): Promise<void> {
  app.get('/tasks', { config: { action: 'tasks.get', index: 'none' } }, async (request) => {
    const query = queryOf(request);
    const filter = engineFilter(parseTaskListParams(query));
    const matching = ctx.tasks.allTasks().filter((t) => visibleTask(request, t) && matchesFilter(t, filter));
    const { page, total, limit, from, next } = paginate(matching, (t) => t.uid, query, TASK_CODES);
    return { results: page.map(taskView), total, limit, from, next };
  });

  app.get('/tasks/:taskUid', { config: { action: 'tasks.get', index: 'none' } }, async (request) => {
    const { taskUid } = request.params as { taskUid: string };
    if (!/^\d+$/.test(taskUid) || !Number.isSafeInteger(Number(taskUid))) {
      throw new MeiliError('invalid_task_uids', `Task uid \`${taskUid}\` is invalid. It should only contain numeric characters.`);
    }
    const task = ctx.tasks.task(Number(taskUid));
    if (!task || !visibleTask(request, task)) throw new MeiliError('task_not_found', `Task \`${taskUid}\` not found.`);
    return taskView(task);
  });

  for (const kind of ['cancel', 'delete'] as const) {
    const handler = async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
      const query = queryOf(request);
      const filter = engineFilter(parseTaskFilterParams(query, kind));
      const op = kind === 'cancel'
        ? { op: 'taskCancelation' as const, filter, originalFilter: originalFilter(request), matchedUids: [] }
        : { op: 'taskDeletion' as const, filter, originalFilter: originalFilter(request), matchedUids: [] };
      return reply.code(200).send(await ctx.tasks.enqueue({ indexUid: null, op }));
    };
    if (kind === 'cancel') app.post('/tasks/cancel', { config: { action: 'tasks.cancel', index: 'none', body: 'none' } }, handler);
    else app.delete('/tasks', { config: { action: 'tasks.delete', index: 'none' } }, handler);
  }
}
