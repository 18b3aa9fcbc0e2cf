// What this peer's replica of the cluster state says (issue 6 §1), computed
// at each scrape: node health as this peer routes reads, tasks by status, and
// each node's dispatcher lag (dispatch-lag.ts), topology jobs and migrations
// (migration-metrics.ts). Every peer holds the same
// replicated state, so any peer can be scraped for the cluster-wide numbers;
// only node health is this peer's own view.
import { Gauge, type Registry } from 'prom-client';
import { TASK_STATUSES, type ClusterState, type TaskStatus } from '../cluster/state.ts';
import { dispatchLag, type NodeLag } from './dispatch-lag.ts';
import { registerMigrationMetrics } from './migration-metrics.ts';

export interface ClusterMetricSources {
  state(): Readonly<ClusterState>;
  isNodeHealthy(nodeId: string): boolean;
  entryBytes(logIndex: number): number | undefined;
}

export function tasksByStatus(state: Readonly<ClusterState>): Record<TaskStatus, number> {
  const counts = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
  for (const task of state.tasks.values()) counts[task.status] += 1;
  return counts;
}

export function registerClusterMetrics(registry: Registry, sources: ClusterMetricSources): void {
  new Gauge({
    name: 'miroir_node_healthy',
    help: 'Whether this peer routes reads to the node (1) or not (0), for every node not removed.',
    labelNames: ['node', 'group'],
    registers: [registry],
    collect(this: Gauge<'node' | 'group'>) {
      this.reset();
      for (const node of sources.state().nodes.values()) {
        if (node.state !== 'removed') this.set({ node: node.id, group: node.group }, sources.isNodeHealthy(node.id) ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'miroir_tasks',
    help: 'Tasks held in the replicated cluster state, by status (finished tasks up to tasks.retentionMax).',
    labelNames: ['status'],
    registers: [registry],
    collect(this: Gauge<'status'>) {
      for (const [status, count] of Object.entries(tasksByStatus(sources.state()))) this.set({ status }, count);
    },
  });
  registerLagMetrics(registry, sources);
  registerMigrationMetrics(registry, () => sources.state());
}

function registerLagMetrics(registry: Registry, sources: ClusterMetricSources): void {
  const lagGauge = (name: string, help: string, read: (l: NodeLag) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['node', 'group'],
      registers: [registry],
      collect(this: Gauge<'node' | 'group'>) {
        this.reset();
        for (const l of dispatchLag(sources.state(), sources.entryBytes)) this.set({ node: l.nodeId, group: l.group }, read(l));
      },
    });
  };
  lagGauge('miroir_dispatcher_lag_entries', 'Committed log entries with writes for the node that it has not acknowledged.', (l) => l.entries);
  lagGauge(
    'miroir_dispatcher_lag_bytes',
    'Raft log bytes of the entries the node has not acknowledged (entries this peer\'s log no longer holds are not counted).',
    (l) => l.bytes,
  );
  lagGauge('miroir_dispatcher_cursor_index', 'Log index up to which the node acknowledged its writes (its committed dispatcher cursor).', (l) => l.cursor);
}
