// The `quorum` write acknowledgement rule (ARCHITECTURE §3 step 7), pure:
// a write is acknowledged once each of its shards reached floor(RF/2)+1 node
// enqueue acks among its owners in at least one group. A target that already
// reported an outcome for the entry enqueued it long ago, so it counts as an
// ack. Migration targets that do not serve yet (`shadow`) never count.
//
// A broadcast (index create, update, delete and swap, settings, delete by
// filter, clear: targets without shard lists, every live node) acts on every
// shard of its index, so it gets the same guarantee: every shard enqueued by
// floor(RF/2)+1 of its owners in at least one group. The record does not say
// which node owns which shard (an index delete or rename has no placement left
// to ask), so the rule is taken over every placement the group could have: a
// group meets it when at most copies − (floor(RF/2)+1) of its target nodes
// have not enqueued it (copies = min(RF, serving nodes), recorded at apply).
// RF 1: every node of the group; RF 3 over 3 nodes: 2 of them. A plain
// majority of a group's nodes would not do: with RF 1 over 3 nodes, 2 acks
// leave a third of the shards without the new settings. Nor is the bound
// much stricter than the real placement would be: with S in the tens nearly
// every set of copies − need + 1 nodes owns some shard together.
import type { ClusterState, DispatchRecord } from '../cluster/index.ts';

export interface QuorumVerdict {
  met: boolean;
  /** Groups where some shard of the write lacks its quorum (sorted); the `X-Miroir-Degraded` value. */
  missingGroups: string[];
}

/** floor(RF/2)+1: the enqueue acks one shard needs inside one group. */
export function quorumSize(rf: number): number {
  return Math.floor(rf / 2) + 1;
}

/** Whether the record's command is split by shard (its targets carry shard lists). */
export function shardedWrite(record: Pick<DispatchRecord, 'targets'>): boolean {
  return record.targets.some((t) => t.shards !== null && t.shards.length > 0);
}

export function quorumVerdict(
  record: Pick<DispatchRecord, 'targets' | 'outcomes' | 'copies'>,
  acked: ReadonlySet<string>,
  rf: number,
): QuorumVerdict {
  const done = new Set(record.outcomes.map((o) => o.nodeId));
  const counted = (nodeId: string): boolean => acked.has(nodeId) || done.has(nodeId);
  return shardedWrite(record) ? shardedVerdict(record, counted, quorumSize(rf)) : broadcastVerdict(record, counted, quorumSize(rf));
}

function shardedVerdict(record: Pick<DispatchRecord, 'targets'>, counted: (nodeId: string) => boolean, need: number): QuorumVerdict {
  const serving = record.targets.filter((t) => t.shadow !== true && t.shards !== null);
  /** shard → group → acks among its owners there. */
  const acks = new Map<number, Map<string, number>>();
  const groups = new Set<string>();
  for (const target of serving) {
    groups.add(target.group);
    const ack = counted(target.nodeId) ? 1 : 0;
    for (const shard of target.shards ?? []) {
      const byGroup = acks.get(shard) ?? new Map<string, number>();
      acks.set(shard, byGroup);
      byGroup.set(target.group, (byGroup.get(target.group) ?? 0) + ack);
    }
  }
  const missing = new Set<string>();
  let met = true;
  for (const byGroup of acks.values()) {
    let shardMet = false;
    for (const group of groups) {
      if ((byGroup.get(group) ?? 0) >= need) shardMet = true;
      else missing.add(group);
    }
    met &&= shardMet;
  }
  return { met, missingGroups: [...missing].sort() };
}

/** Met when some group lacks at most copies − need of its nodes' acks (see the rule above). */
function broadcastVerdict(record: Pick<DispatchRecord, 'targets' | 'copies'>, counted: (nodeId: string) => boolean, need: number): QuorumVerdict {
  const unacked = new Map<string, number>();
  for (const target of record.targets) {
    if (target.shadow !== true) unacked.set(target.group, (unacked.get(target.group) ?? 0) + (counted(target.nodeId) ? 0 : 1));
  }
  const missingGroups = [...unacked].filter(([group, count]) => count > (record.copies[group] ?? 0) - need).map(([group]) => group).sort();
  return { met: missingGroups.length < unacked.size, missingGroups };
}

/**
 * The log entries whose acks a task's write waits for: its own, and for a
 * batch split into parts (one entry each, runtime/cluster/apply-batch.ts)
 * every part still recorded — the records of a batch are kept until every
 * part has all its outcomes, so none is missed while the task is unfinished.
 */
export function writeEntries(state: Pick<ClusterState, 'dispatch'>, taskUid: number, logIndex: number): number[] {
  if (state.dispatch.get(logIndex)?.part === undefined) return [logIndex];
  return [...state.dispatch.values()].filter((r) => r.taskUid === taskUid).map((r) => r.logIndex).sort((a, b) => a - b);
}

/** The verdict of a write made of several entries: met when each is; the groups short in any. */
export function combinedVerdict(verdicts: readonly QuorumVerdict[]): QuorumVerdict {
  return {
    met: verdicts.every((v) => v.met),
    missingGroups: [...new Set(verdicts.flatMap((v) => v.missingGroups))].sort(),
  };
}
