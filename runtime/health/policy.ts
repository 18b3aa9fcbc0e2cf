// The health policy of one peer (ARCHITECTURE §5): how often and how long
// nodes are probed, how many probes in a row turn a verdict, when a slow node
// counts as degraded, and how long a gossiped observation stays usable. The
// values come from config `health` (runtime/config/schema.ts); this module
// only converts units, so no default is written twice (STYLE G17).
import type { PeerConfig } from '../config/schema.ts';
import { peerConfigSpec } from '../config/schema.ts';
import { checkValue } from '../config/validate.ts';
import { assert } from '../assert.ts';

export interface HealthPolicy {
  readonly probeIntervalMs: number;
  readonly probeTimeoutMs: number;
  /** The next probe after a failed one, while the node is not failed yet. */
  readonly suspectProbeIntervalMs: number;
  readonly unhealthyThreshold: number;
  readonly recoveryThreshold: number;
  readonly degradedLatencyMs: number;
  /** Weight of the newest latency sample, in (0, 1]. */
  readonly latencyEwmaWeight: number;
  readonly gossipIntervalMs: number;
  readonly viewStalenessMs: number;
}

type HealthConfig = PeerConfig['health'];

export function healthPolicyOf(health: HealthConfig): HealthPolicy {
  return Object.freeze({
    probeIntervalMs: health.probeIntervalMs,
    probeTimeoutMs: health.probeTimeoutMs,
    suspectProbeIntervalMs: health.suspectProbeIntervalMs,
    unhealthyThreshold: health.unhealthyThreshold,
    recoveryThreshold: health.recoveryThreshold,
    degradedLatencyMs: health.degradedLatencyMs,
    latencyEwmaWeight: health.latencyEwmaWeightPercent / 100,
    gossipIntervalMs: health.gossipIntervalMs,
    viewStalenessMs: health.viewStalenessMs,
  });
}

/** The policy of the schema's defaults (for actors started without a config, e.g. in tests). */
export function defaultHealthPolicy(): HealthPolicy {
  const issues: string[] = [];
  const health = checkValue(peerConfigSpec.fields.health, undefined, 'health', issues) as HealthConfig;
  assert(issues.length === 0, 'the health defaults are valid');
  return healthPolicyOf(health);
}
