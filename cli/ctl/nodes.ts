// `miroir ctl node add|drain|remove` and `group add|remove`: topology changes
// through /_miroir/nodes and /_miroir/groups. Adding or draining answers at
// once (202) with the node or group and the topology job moving the shards;
// `migrations --watch` or `rebalance --wait` follow it.
import { flag, parseNodeFlag } from './args.ts';
import type { Ctx } from './context.ts';
import { request } from './http.ts';
import { renderJob } from './progress.ts';
import type { GroupAnswer, NodeAnswer } from './shapes.ts';

export function renderNode(answer: NodeAnswer): string {
  const n = answer.node;
  const head = `node ${n.id} · group ${n.group} · ${n.state} · ${n.url}`;
  return answer.job === undefined ? head : `${head}\n${renderJob(answer.job)}`;
}

export function renderGroup(answer: GroupAnswer): string {
  const head = `group ${answer.group.id} · ${answer.group.state}`;
  return answer.job === undefined ? head : `${head}\n${renderJob(answer.job)}`;
}

const segment = (id: string | undefined): string => encodeURIComponent(id ?? '');

export async function node(ctx: Ctx): Promise<string> {
  const { command, positionals: p } = ctx.args;
  const answer = (command === 'node add'
    ? await request(ctx.args, 'POST', '/_miroir/nodes', { id: p.id, url: p.url, group: flag(ctx.args, 'group') })
    : command === 'node drain'
      ? await request(ctx.args, 'POST', `/_miroir/nodes/${segment(p.id)}/drain`)
      : await request(ctx.args, 'DELETE', `/_miroir/nodes/${segment(p.id)}`)) as NodeAnswer;
  return ctx.args.json ? JSON.stringify(answer, null, 2) : renderNode(answer);
}

export async function group(ctx: Ctx): Promise<string> {
  const { command, positionals: p } = ctx.args;
  if (command === 'group remove') {
    const answer = await request(ctx.args, 'DELETE', `/_miroir/groups/${segment(p.id)}`);
    return ctx.args.json ? JSON.stringify(answer, null, 2) : `group ${p.id} removed: reads no longer go to it`;
  }
  const given = ctx.args.flags.node;
  const nodes = (Array.isArray(given) ? given : []).map((n) => parseNodeFlag(n)!);
  const answer = (await request(ctx.args, 'POST', '/_miroir/groups', { id: p.id, nodes })) as GroupAnswer;
  return ctx.args.json ? JSON.stringify(answer, null, 2) : renderGroup(answer);
}
