// What one peer knows about one node from its own probes (pure, STYLE G3):
// counters of probes in a row, the latency EWMA, and the latched `down`
// verdict with hysteresis — a node goes down after `unhealthyThreshold`
// failed probes in a row and comes back only after `recoveryThreshold`
// successful ones, so one lucky or unlucky probe never flips routing.
//
// Status, from the probes alone:
//   unknown  no probe finished yet
//   down       latched: failures reached the threshold, no good probe since
//   recovering latched down, but the last probes succeeded (fewer than the
//              recovery threshold)
//   suspect    the last probe failed, the threshold is not reached
//   slow       answering, latency EWMA above degradedLatencyMs
//   healthy    answering in time
// `suspect` and `recovering` are transitions: this peer has not decided yet,
// so the merged view does not let them outvote a decided verdict (view.ts).
// The node actor's lifecycle state (actors/node.machine.ts) combines this
// status with the node's committed state (lifecycleOf).
import type { NodeState } from '../cluster/commands.ts';
import { ewma } from './ewma.ts';
import type { HealthPolicy } from './policy.ts';

export type ProbeOutcome = { ok: true; latencyMs: number } | { ok: false; error: string };

export interface NodeHealth {
  readonly probes: number;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  readonly down: boolean;
  readonly latencyEwmaMs: number | null;
  readonly lastError: string | null;
}

export type HealthStatus = 'unknown' | 'healthy' | 'slow' | 'suspect' | 'recovering' | 'down';

/** The lifecycle states of a node actor (issue 5 §1). */
export type NodeLifecycle = 'joining' | 'active' | 'degraded' | 'failed' | 'draining' | 'removed';

export const INITIAL_NODE_HEALTH: NodeHealth = Object.freeze({
  probes: 0, consecutiveFailures: 0, consecutiveSuccesses: 0, down: false, latencyEwmaMs: null, lastError: null,
});

export function afterProbe(health: NodeHealth, outcome: ProbeOutcome, policy: HealthPolicy): NodeHealth {
  if (outcome.ok) {
    const consecutiveSuccesses = health.consecutiveSuccesses + 1;
    return {
      probes: health.probes + 1,
      consecutiveFailures: 0,
      consecutiveSuccesses,
      down: health.down && consecutiveSuccesses < policy.recoveryThreshold,
      latencyEwmaMs: ewma(health.latencyEwmaMs, outcome.latencyMs, policy.latencyEwmaWeight),
      lastError: health.lastError,
    };
  }
  const consecutiveFailures = health.consecutiveFailures + 1;
  return {
    probes: health.probes + 1,
    consecutiveFailures,
    consecutiveSuccesses: 0,
    down: health.down || consecutiveFailures >= policy.unhealthyThreshold,
    latencyEwmaMs: health.latencyEwmaMs,
    lastError: outcome.error,
  };
}

export function statusOf(health: NodeHealth, policy: HealthPolicy): HealthStatus {
  if (health.probes === 0) return 'unknown';
  if (health.down) return health.consecutiveSuccesses > 0 ? 'recovering' : 'down';
  if (health.consecutiveFailures > 0) return 'suspect';
  if (health.latencyEwmaMs !== null && health.latencyEwmaMs > policy.degradedLatencyMs) return 'slow';
  return 'healthy';
}

/** The node's lifecycle: the committed state decides joining/draining/removed, the probes the rest. */
export function lifecycleOf(committed: NodeState, status: HealthStatus): NodeLifecycle {
  if (committed !== 'active') return committed;
  switch (status) {
    case 'down':
    case 'recovering': return 'failed';
    case 'suspect':
    case 'slow': return 'degraded';
    case 'unknown':
    case 'healthy': return 'active';
  }
}

/** The delay before the next probe: sooner after a failure, until the node is declared down. */
export function nextProbeDelayMs(health: NodeHealth, policy: HealthPolicy): number {
  return health.consecutiveFailures > 0 && !health.down ? policy.suspectProbeIntervalMs : policy.probeIntervalMs;
}
