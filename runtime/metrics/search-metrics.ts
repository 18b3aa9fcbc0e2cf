// What the read path reports (issue 6 §1): how many nodes one scatter asks,
// how long each node call takes, and the shards a read had to leave out.
// runtime/search/scatter.ts calls the `SearchMetrics` interface through
// `PeerServices.metrics`; `PromSearchMetrics` records it in a peer's registry.
import { Counter, Histogram, type Registry } from 'prom-client';

export type NodeReadOutcome = 'ok' | 'error';

/** The read path's view of the metrics (kept small so fakes are never needed: tests use the real one). */
export interface SearchMetrics {
  /** One scatter round asked `nodes` nodes (the first round, then one per failover round). */
  scatterRound(nodes: number, failover: boolean): void;
  /** One call to a node finished (each retry is a call). */
  nodeRead(nodeId: string, durationMs: number, outcome: NodeReadOutcome): void;
  /** A read answered without these shards (no owner answered in time). */
  shardsDegraded(count: number): void;
}

/** Nodes per round: powers of two up to the largest groups (1024 nodes). */
const FANOUT_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
/** Seconds, for one node's answer to a shard-restricted query. */
const NODE_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class PromSearchMetrics implements SearchMetrics {
  readonly #fanOut: Histogram<'round'>;
  readonly #nodeDuration: Histogram<'node' | 'outcome'>;
  readonly #degraded: Counter;

  constructor(registry: Registry) {
    this.#fanOut = new Histogram({
      name: 'miroir_search_fanout_nodes',
      help: 'Nodes asked by one scatter round of a read (round: first, or failover after node failures).',
      labelNames: ['round'],
      buckets: FANOUT_BUCKETS,
      registers: [registry],
    });
    this.#nodeDuration = new Histogram({
      name: 'miroir_search_node_request_duration_seconds',
      help: 'Duration of one read request to a node, by node and outcome (ok, or error after which it is retried or failed over).',
      labelNames: ['node', 'outcome'],
      buckets: NODE_BUCKETS_SECONDS,
      registers: [registry],
    });
    this.#degraded = new Counter({
      name: 'miroir_search_degraded_shards_total',
      help: 'Shards left out of read answers because no owner answered (read.policy partial) or the read failed for them (error).',
      registers: [registry],
    });
  }

  scatterRound(nodes: number, failover: boolean): void {
    this.#fanOut.observe({ round: failover ? 'failover' : 'first' }, nodes);
  }

  nodeRead(nodeId: string, durationMs: number, outcome: NodeReadOutcome): void {
    this.#nodeDuration.observe({ node: nodeId, outcome }, Math.max(0, durationMs) / 1000);
  }

  shardsDegraded(count: number): void {
    if (count > 0) this.#degraded.inc(count);
  }
}
