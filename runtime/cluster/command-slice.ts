// What one node must receive of a committed command (ARCHITECTURE §3 step 4):
// a per-node dispatcher keeps the documents and ids of the shards that node
// owns, passes broadcast commands (index lifecycle, settings, filter deletes,
// clears) whole, and sends nothing for commands that only concern the
// cluster's own metadata (tasks, cursors, topology, keys, knobs).
//
// Pure: ownership is injected as `owns(indexUid, shard)`, computed by the
// caller from placement (runtime/routing/) for the node at hand.

import { unreachable } from '../assert.ts';
import type { ClusterCommand, DocumentsDeleteIdsCommand, DocumentsWriteCommand } from './commands.ts';

export type ShardOwnership = (indexUid: string, shard: number) => boolean;

/** Commands whose effect is on the nodes (as opposed to only the replicated metadata). */
export type NodeCommand = Extract<
  ClusterCommand,
  {
    kind:
      | 'index.create' | 'index.update' | 'index.delete' | 'index.swap' | 'documents.write'
      | 'documents.deleteIds' | 'documents.deleteFilter' | 'documents.clear' | 'settings.update';
  }
>;

function keepShards<T>(byShard: Record<number, T[]>, indexUid: string, owns: ShardOwnership): Record<number, T[]> | null {
  const kept: Record<number, T[]> = {};
  let any = false;
  for (const [key, items] of Object.entries(byShard)) {
    const shard = Number(key);
    if (!owns(indexUid, shard)) continue;
    kept[shard] = items;
    any = true;
  }
  return any ? kept : null;
}

/** The part of `command` a node owning `owns` must apply, or null when it gets nothing. */
export function sliceForNode(command: ClusterCommand, owns: ShardOwnership): NodeCommand | null {
  switch (command.kind) {
    case 'documents.write': {
      // A write without documents still creates the index and sets its primary key: every node needs it.
      if (command.receivedDocuments === 0) return command;
      const byShard = keepShards(command.byShard, command.indexUid, owns);
      return byShard === null ? null : ({ ...command, byShard } satisfies DocumentsWriteCommand);
    }
    case 'documents.deleteIds': {
      const byShard = keepShards(command.byShard, command.indexUid, owns);
      return byShard === null ? null : ({ ...command, byShard } satisfies DocumentsDeleteIdsCommand);
    }
    case 'index.create':
    case 'index.update':
    case 'index.delete':
    case 'index.swap':
    case 'documents.deleteFilter':
    case 'documents.clear':
    case 'settings.update':
      return command;
    case 'task.progress':
    case 'tasks.delete':
    case 'dispatcher.cursor':
    case 'dispatcher.behind':
    case 'node.add':
    case 'node.state':
    case 'group.add':
    case 'group.remove':
    case 'peer.add':
    case 'peer.remove':
    case 'key.create':
    case 'key.update':
    case 'key.delete':
    case 'config.set':
    case 'topology.job':
    case 'migration.phase':
    case 'job.cutover':
      return null;
    default:
      return unreachable(command);
  }
}
