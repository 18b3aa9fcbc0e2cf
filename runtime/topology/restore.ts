// RF restoration after a grace period (issue 5 §4, ARCHITECTURE §6 "unplanned
// failure"), the pure decision: which active node, judged down by the merged
// health view for at least `restoreAfterMs`, the leader should drain now so
// its shards get their copies back on live nodes. Nothing while a topology
// job runs (one job at a time) and nothing for a node holding a shard no
// other live node serves: draining it would copy from nowhere, and waiting
// for it to come back is the only way that shard's documents return.
import type { ClusterState } from '../cluster/state.ts';
import { servingByGroup } from '../cluster/topology-sets.ts';

/** When each node was first seen down in the current run of down observations. */
export class DownSince {
  readonly #since = new Map<string, number>();

  /** Records the node's status at `nowMs`; returns how long it has been down (0 if up). */
  observe(nodeId: string, down: boolean, nowMs: number): number {
    if (!down) {
      this.#since.delete(nodeId);
      return 0;
    }
    const since = this.#since.get(nodeId) ?? nowMs;
    this.#since.set(nodeId, since);
    return nowMs - since;
  }
}

export interface RestoreInputs {
  readonly state: Readonly<ClusterState>;
  readonly nowMs: number;
  readonly restoreAfterMs: number;
  readonly downSince: DownSince;
  readonly isDown: (nodeId: string) => boolean;
  readonly place: (shard: number, ids: readonly string[], rf: number) => string[];
}

/** The node to drain for RF restoration now, or null. Updates `downSince` for every active node. */
export function restoreCandidate(inputs: RestoreInputs): string | null {
  const { state, nowMs, restoreAfterMs, downSince, isDown, place } = inputs;
  const due: string[] = [];
  for (const [id, node] of state.nodes) {
    const downFor = downSince.observe(id, node.state === 'active' && isDown(id), nowMs);
    if (downFor >= restoreAfterMs && downFor > 0) due.push(id);
  }
  if (restoreAfterMs === 0 || [...state.jobs.values()].some((j) => j.status === 'running')) return null;
  const serving = servingByGroup(state);
  const live = (ids: readonly string[]): string[] => ids.filter((id) => !isDown(id));
  return due.sort().find((nodeId) => everyShardServedElsewhere(nodeId, state, serving, live, place)) ?? null;
}

function everyShardServedElsewhere(
  nodeId: string,
  state: Readonly<ClusterState>,
  serving: Map<string, string[]>,
  live: (ids: readonly string[]) => string[],
  place: RestoreInputs['place'],
): boolean {
  const group = state.nodes.get(nodeId)?.group;
  const own = group === undefined ? [] : (serving.get(group) ?? []);
  // Another group with a live node serves every shard of the index on its own.
  const otherGroupLive = [...serving].some(([g, ids]) => g !== group && live(ids).length > 0);
  if (otherGroupLive) return true;
  for (const index of state.indexes.values()) {
    for (let shard = 0; shard < index.shards; shard++) {
      const owners = place(shard, own, state.settings.rf);
      if (owners.includes(nodeId) && live(owners.filter((o) => o !== nodeId)).length === 0) return false;
    }
  }
  return true;
}
