// `miroir ctl peers [list|add|remove|transfer]`: the Raft members as the
// leader sees them, and membership changes (/_miroir/peers). Each change
// answers once it is committed; the table after it is the new membership.
import type { Ctx } from './context.ts';
import { request } from './http.ts';
import type { PeersView } from './shapes.ts';
import { table } from './table.ts';

export function renderPeers(view: PeersView): string {
  const rows = view.results.map((p) => [p.id, p.role, p.voter ? 'yes' : 'no', p.matchIndex === null ? '-' : String(p.matchIndex), p.address ?? '-']);
  const source = view.source === 'leader' ? `as leader ${view.leader} sees it` : `no leader answered: ${view.answeredBy}'s own view, no match indexes`;
  return `leader ${view.leader ?? 'unknown'} (${source})\n\n${table(['PEER', 'ROLE', 'VOTER', 'MATCH', 'ADDRESS'], rows)}`;
}

const path = (id: string): string => `/_miroir/peers/${encodeURIComponent(id)}`;

export async function peers(ctx: Ctx): Promise<string> {
  const { command, positionals: p } = ctx.args;
  if (command === 'peers transfer') {
    const answer = (await request(ctx.args, 'POST', '/_miroir/peers/transfer-leadership', p.id === undefined ? {} : { to: p.id })) as { leader: string | null };
    return ctx.args.json ? JSON.stringify(answer, null, 2) : `leader ${answer.leader ?? 'unknown'}`;
  }
  const view = (command === 'peers add'
    ? await request(ctx.args, 'POST', '/_miroir/peers', { id: p.id, address: p.address })
    : command === 'peers remove'
      ? await request(ctx.args, 'DELETE', path(p.id!))
      : await request(ctx.args, 'GET', '/_miroir/peers')) as PeersView;
  return ctx.args.json ? JSON.stringify(view, null, 2) : renderPeers(view);
}
