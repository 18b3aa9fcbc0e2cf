// The `quorum` write acknowledgement rule (ARCHITECTURE §3 step 7), pure:
// a write is acknowledged once each of its shards reached floor(RF/2)+1 node
// enqueue acks among its owners in at least one group. A target that already
// reported an outcome for the entry enqueued it long ago, so it counts as an
// ack. Migration targets that do not serve yet (`shadow`) never count.
//
// The shards of a write are those its dispatch targets receive; a command
// with no shard lists (a broadcast: settings, delete by filter, clear) has
// none, and `shardedWrite` says so: the quorum mode waits only for sharded
// writes (document additions, deletions by id).
import type { DispatchRecord } from '../cluster/index.ts';

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

export function quorumVerdict(record: Pick<DispatchRecord, 'targets' | 'outcomes'>, acked: ReadonlySet<string>, rf: number): QuorumVerdict {
  const need = quorumSize(rf);
  const done = new Set(record.outcomes.map((o) => o.nodeId));
  const serving = record.targets.filter((t) => t.shadow !== true && t.shards !== null);
  /** shard → group → acks among its owners there. */
  const acks = new Map<number, Map<string, number>>();
  const groups = new Set<string>();
  for (const target of serving) {
    groups.add(target.group);
    const counted = acked.has(target.nodeId) || done.has(target.nodeId) ? 1 : 0;
    for (const shard of target.shards ?? []) {
      const byGroup = acks.get(shard) ?? new Map<string, number>();
      acks.set(shard, byGroup);
      byGroup.set(target.group, (byGroup.get(target.group) ?? 0) + counted);
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
