// `miroir ctl rebalance [--wait]` and `migrations [ID] [--status S] [--watch]`.
// Waiting and watching poll the admin API every --interval-ms and show the
// job and the migrations as a live frame (context.ts LiveView): redrawn in
// place on a terminal, plain lines when they change otherwise.
//
// Exit codes: `rebalance --wait` fails (1) when the job ends failed or
// cancelled; `migrations --watch` fails when a watched migration failed.
import { flag, intervalMs } from './args.ts';
import { LiveView, type Ctx } from './context.ts';
import { CtlError, request } from './http.ts';
import { isFinished, renderJob, renderMigrations } from './progress.ts';
import type { Job, Migration } from './shapes.ts';

async function fetchMigrations(ctx: Ctx): Promise<Migration[]> {
  const id = ctx.args.positionals.id;
  if (id !== undefined) return [(await request(ctx.args, 'GET', `/_miroir/migrations/${encodeURIComponent(id)}`)) as Migration];
  const status = flag(ctx.args, 'status');
  const query = status === undefined ? '' : `?${new URLSearchParams({ status }).toString()}`;
  return ((await request(ctx.args, 'GET', `/_miroir/migrations${query}`)) as { results: Migration[] }).results;
}

function failedIn(list: readonly Migration[]): string | null {
  const failed = list.filter((m) => m.phase === 'failed').map((m) => m.id);
  return failed.length === 0 ? null : `migration(s) failed: ${failed.join(', ')}`;
}

export async function migrations(ctx: Ctx): Promise<string> {
  let list = await fetchMigrations(ctx);
  if (ctx.args.flags.watch === true) {
    const live = new LiveView(ctx.screen);
    while (list.some((m) => !isFinished(m))) {
      if (!ctx.args.json) live.show(renderMigrations(list));
      await ctx.sleep(intervalMs(ctx.args));
      list = await fetchMigrations(ctx);
    }
    if (!ctx.args.json) live.show(renderMigrations(list));
    const failed = failedIn(list);
    if (failed !== null) throw new CtlError(failed);
    return ctx.args.json ? JSON.stringify(ctx.args.positionals.id === undefined ? { results: list } : list[0], null, 2) : '';
  }
  if (ctx.args.json) return JSON.stringify(ctx.args.positionals.id === undefined ? { results: list } : list[0], null, 2);
  return renderMigrations(list);
}

async function currentJob(ctx: Ctx): Promise<Job | null> {
  return ((await request(ctx.args, 'GET', '/_miroir/rebalance')) as { job: Job | null }).job;
}

export async function rebalance(ctx: Ctx): Promise<string> {
  const started = ((await request(ctx.args, 'POST', '/_miroir/rebalance')) as { job: Job }).job;
  if (ctx.args.flags.wait !== true) return ctx.args.json ? JSON.stringify({ job: started }, null, 2) : renderJob(started);
  let job: Job | null = started;
  const live = new LiveView(ctx.screen);
  for (;;) {
    if (job === null || job.id !== started.id) throw new CtlError(`the rebalance job ${started.id} is no longer the current job (now ${job?.id ?? 'none'})`);
    if (job.status !== 'running') break;
    if (!ctx.args.json) {
      const open = (await fetchMigrations(ctx)).filter((m) => !isFinished(m));
      live.show(open.length === 0 ? renderJob(job) : `${renderJob(job)}\n${renderMigrations(open)}`);
    }
    await ctx.sleep(intervalMs(ctx.args));
    job = await currentJob(ctx);
  }
  if (!ctx.args.json) live.show(renderJob(job));
  if (job.status !== 'succeeded') throw new CtlError(`rebalance job ${job.id} ${job.status}${job.reason === null ? '' : `: ${job.reason}`}`);
  return ctx.args.json ? JSON.stringify({ job }, null, 2) : '';
}
