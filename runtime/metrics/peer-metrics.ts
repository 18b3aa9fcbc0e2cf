// The metrics of one peer (issue 6 §1): one prom-client Registry per peer
// (several peers may share a process in tests and `miroir dev`), holding the
// client API's request metrics, the read path's, this peer's Raft progress,
// and what its replica of the cluster state says. Gauges over the state and
// the driver are computed at scrape time; nothing runs between scrapes.
//
// The peer (runtime/peer/peer.ts, through peer-observer.ts) builds it, feeds
// it the driver events, and hands `search` to the read path; the edge
// records requests in `http` and serves `exposition()` on the metrics port
// and at `/_miroir/metrics`. Names follow `miroir_<subsystem>_<name>_<unit>`
// (STYLE G18) and Prometheus' conventions (base units, `_total` counters).
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { ClusterState } from '../cluster/state.ts';
import { registerClusterMetrics } from './cluster-metrics.ts';
import { HttpMetrics } from './http-metrics.ts';
import { registerRaftMetrics, type RaftEvents, type RaftSample } from './raft-metrics.ts';
import { PromSearchMetrics, type SearchMetrics } from './search-metrics.ts';

export interface PeerMetricSources {
  state(): Readonly<ClusterState>;
  isNodeHealthy(nodeId: string): boolean;
  /** The size of the log entry at `logIndex` (runtime/raft/log.ts entrySizeBytes), undefined when not readable; absent: no sizes (lag bytes stay 0). */
  entryBytes?(logIndex: number): number | undefined;
  raft(): RaftSample;
}

export interface PeerMetricsOptions {
  /** Also export Node's process metrics (`process_*`, `nodejs_*`: CPU, memory, event-loop delay, GC). */
  processMetrics: boolean;
}

export interface PeerMetrics {
  readonly registry: Registry;
  readonly http: HttpMetrics;
  readonly search: SearchMetrics;
  readonly raft: RaftEvents;
  /** The Prometheus text exposition of every metric. */
  exposition(): Promise<string>;
  /** Its Content-Type. */
  readonly contentType: string;
}

/**
 * prom-client's default process metrics, minus the three gauges it names
 * `*_total` (Prometheus reserves the suffix for counters, and `promtool check
 * metrics` refuses them); `nodejs_active_handles`, `nodejs_active_requests`
 * and `nodejs_active_resources` carry the same counts by type.
 */
const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

function processMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name);
}

export function createPeerMetrics(sources: PeerMetricSources, options: PeerMetricsOptions): PeerMetrics {
  const registry = new Registry();
  if (options.processMetrics) processMetrics(registry);
  registerClusterMetrics(registry, {
    state: () => sources.state(),
    isNodeHealthy: (nodeId) => sources.isNodeHealthy(nodeId),
    entryBytes: (logIndex) => sources.entryBytes?.(logIndex),
  });
  const raft = registerRaftMetrics(registry, () => sources.raft());
  return {
    registry,
    http: new HttpMetrics(registry),
    search: new PromSearchMetrics(registry),
    raft,
    exposition: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
