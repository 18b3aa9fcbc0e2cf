// Test fixture shared by the pure dispatcher tests: the window one node (n1,
// owner of every shard) plans for commands applied by a real replica, and a
// documents write of given ids on index `m` (one shard).
import { apply, emptyState, encodeCommand, type ClusterCommand } from '../../../../runtime/cluster/index.ts';
import type { ApplyContext } from '../../../../runtime/cluster/apply.ts';
import type { Entry } from '../../../../runtime/raft/types.ts';
import { planEntries, type WindowEntry } from '../../../../runtime/dispatch/window.ts';

export const T = 1_700_000_000_000;
const ctx: ApplyContext = { placeShard: () => ['n1'] };
const ROOM = { entries: 100, bytes: 1 << 20 };
/** Entries 1–3 add the group and the node; the commands start at 4. */
export const FIRST_INDEX = 4;

export function write(ids: number[], extra: Partial<Extract<ClusterCommand, { kind: 'documents.write' }>> = {}): ClusterCommand {
  return {
    v: 1, kind: 'documents.write', indexUid: 'm', mode: 'replace', primaryKey: 'id', shards: 1,
    byShard: { 0: ids.map((id) => ({ id, _miroir_shard: 0 })) }, receivedDocuments: ids.length, allowIndexCreation: true, nowMs: T, ...extra,
  };
}

/** The window n1 plans for `commands`, committed from FIRST_INDEX on. */
export function oneNodeWindow(commands: readonly ClusterCommand[]): WindowEntry[] {
  const state = emptyState();
  const entries: Entry[] = [];
  const run = (c: ClusterCommand) => {
    const index = entries.length + 1;
    apply(state, c, index, ctx);
    entries.push({ index, term: 1, payload: { kind: 'command', data: encodeCommand(c) } });
  };
  run({ v: 1, kind: 'group.add', id: 'g1', nowMs: T });
  run({ v: 1, kind: 'node.add', id: 'n1', url: 'http://127.0.0.1/n1', group: 'g1', nowMs: T });
  run({ v: 1, kind: 'node.state', id: 'n1', state: 'active', nowMs: T });
  commands.forEach(run);
  return planEntries(entries, state, 'n1', ROOM).planned;
}
