// The RF restorer (issue 5 §4, ARCHITECTURE §6 "unplanned failure"),
// leader-only, systemId `rf-restorer`: once a second it asks the pure
// decision (runtime/topology/restore.ts) whether an active node has been down
// in the merged health view for `topology.restoreAfterMs`, and if so starts
// the same drain job an operator would (POST /_miroir/nodes/{id}/drain); the
// rebalancer then moves its shards to their next owners, copying from live
// ones. A new leader starts counting again from its own first look, so a
// leader change can only delay a restoration, never bring it forward.
import { fromCallback } from 'xstate';
import type { Clock, TimerHandle } from '../runtime/env/clock.ts';
import type { ClusterState } from '../runtime/cluster/state.ts';
import type { ClusterCommand } from '../runtime/cluster/commands.ts';
import { DownSince, restoreCandidate, type RestoreInputs } from '../runtime/topology/restore.ts';

export const RF_RESTORER_TICK_MS = 1_000;

export interface RfRestorerServices {
  readonly clock: Clock;
  readonly restoreAfterMs: number;
  state(): Readonly<ClusterState>;
  isDown(nodeId: string): boolean;
  place: RestoreInputs['place'];
  propose(command: ClusterCommand): Promise<unknown>;
}

export function rfRestorerLogic(services: RfRestorerServices) {
  return fromCallback(() => {
    const downSince = new DownSince();
    let timer: TimerHandle | null = null;
    let stopped = false;
    const tick = async (): Promise<void> => {
      const { clock, restoreAfterMs, isDown, place } = services;
      const nodeId = restoreCandidate({ state: services.state(), nowMs: clock.nowMs(), restoreAfterMs, downSince, isDown, place });
      // Refused (a job started meanwhile) or lost to a leader change: the next tick looks again.
      if (nodeId !== null) await services.propose({ v: 1, kind: 'topology.job', job: 'drain', nodeId, reason: 'restore-rf', nowMs: clock.nowMs() }).catch(() => undefined);
    };
    const schedule = (): void => {
      if (stopped) return;
      timer = services.clock.setTimeout(() => void tick().finally(schedule), RF_RESTORER_TICK_MS);
    };
    if (services.restoreAfterMs > 0) schedule();
    return () => {
      stopped = true;
      if (timer !== null) services.clock.clearTimeout(timer);
    };
  });
}
