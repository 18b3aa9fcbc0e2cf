export { createPeerMetrics, type PeerMetrics, type PeerMetricSources, type PeerMetricsOptions } from './peer-metrics.ts';
export { HttpMetrics, UNMATCHED_ROUTE, type HttpRequestSample } from './http-metrics.ts';
export { PromSearchMetrics, type SearchMetrics, type NodeReadOutcome } from './search-metrics.ts';
export { registerRaftMetrics, type RaftEvents, type RaftSample } from './raft-metrics.ts';
export { registerClusterMetrics, tasksByStatus, type ClusterMetricSources } from './cluster-metrics.ts';
export { dispatchLag, type NodeLag } from './dispatch-lag.ts';
export { observePeer, type ObservedPeer } from './peer-observer.ts';
export { registerMigrationMetrics, jobProgress, type JobProgress } from './migration-metrics.ts';
