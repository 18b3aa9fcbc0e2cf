// The commands that seed a brand-new cluster from the first leader's config:
// cluster-wide knobs, the peers, the replica groups with their nodes (active
// at once: a new cluster has no data to migrate), and Meilisearch's four
// default API keys. After that, the log is the truth and config changes to
// topology go through the admin API.
//
// Randomness is injected: key uids are UUID v4s the caller draws, because
// apply must stay deterministic.

import type { PeerConfig } from '../config/schema.ts';
import type { ClusterCommand } from './commands.ts';
import type { ClusterState } from './state.ts';

/** True until anything has been applied that a bootstrap would create. */
export function isPristine(state: ClusterState): boolean {
  return (
    state.peers.size === 0 && state.groups.size === 0 && state.nodes.size === 0 &&
    state.indexes.size === 0 && state.keys.size === 0 && state.nextTaskUid === 0
  );
}

/** Meilisearch's default keys (API.md §9.1), listed by GET /keys in this order (newest first). */
const DEFAULT_KEYS = [
  { name: 'Default Search API Key', description: 'Use it to search from the frontend', actions: ['search'] },
  {
    name: 'Default Admin API Key',
    description: 'Use it for anything that is not a search operation. Caution! Do not expose it on a public frontend',
    actions: ['*'],
  },
  {
    name: 'Default Read-Only Admin API Key',
    description: 'Use it to read information across the whole database. Caution! Do not expose this key on a public frontend',
    actions: ['*.get', 'keys.get'],
  },
  { name: 'Default Chat API Key', description: 'Use it to chat and search from the frontend', actions: ['chatCompletions', 'search'] },
] as const;

export function defaultKeyCommands(uids: readonly [string, string, string, string], nowMs: number): ClusterCommand[] {
  // Created oldest-last-listed first, one millisecond apart, so "newest first" lists them in Meilisearch's order.
  return DEFAULT_KEYS.map((key, i) => ({
    v: 1 as const,
    kind: 'key.create' as const,
    uid: uids[i] as string,
    name: key.name,
    description: key.description,
    actions: [...key.actions],
    indexes: ['*'],
    expiresAtMs: null,
    nowMs: nowMs + (DEFAULT_KEYS.length - 1 - i),
  })).reverse();
}

export function bootstrapCommands(
  config: PeerConfig,
  keyUids: readonly [string, string, string, string],
  nowMs: number,
): ClusterCommand[] {
  const commands: ClusterCommand[] = [
    {
      v: 1, kind: 'config.set', defaultShards: config.defaultShards, rf: config.rf,
      writeAckMode: config.write.ackMode, taskRetentionMax: config.tasks.retentionMax,
    },
  ];
  const peers = config.peers.length > 0
    ? config.peers
    : [{ id: config.peerId, address: `ws://${config.listen.host}:${config.listen.peerPort}` }];
  for (const peer of peers) commands.push({ v: 1, kind: 'peer.add', id: peer.id, address: peer.address });
  for (const group of config.groups) {
    commands.push({ v: 1, kind: 'group.add', id: group.id, nowMs });
    for (const node of group.nodes) {
      commands.push({ v: 1, kind: 'node.add', id: node.id, url: node.url, group: group.id, nowMs });
      commands.push({ v: 1, kind: 'node.state', id: node.id, state: 'active', nowMs });
    }
  }
  commands.push(...defaultKeyCommands(keyUids, nowMs));
  return commands;
}
