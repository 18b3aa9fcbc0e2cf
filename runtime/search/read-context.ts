// What every read of one index needs before it talks to nodes: the index
// record (after one ReadIndex sync when this peer does not know it yet, so an
// index just created through another peer is found), its shard owners per
// group (topology-view.ts, cached per peer), the round-robin turn, and a
// deadline signal on the injected clock (STYLE G5: no global timers).
import { MeiliError } from '../../api/errors/registry.ts';
import type { IndexRecord } from '../cluster/state.ts';
import type { Clock } from '../env/clock.ts';
import type { PeerServices } from '../peer/services.ts';
import type { CoveringSetInput } from '../routing/covering-set.ts';
import { TopologyView } from './topology-view.ts';
import type { IndexTopology } from './topology-view.ts';

/** Per-request options every read accepts. */
export interface ReadOptions {
  /** Aborted when the client goes away; linked into the deadline signal. */
  readonly signal?: AbortSignal;
  /** Overrides config `search.searchTimeoutMs` for this request. */
  readonly deadlineMs?: number;
  /**
   * Always the first covering set (no rotation over replicas). Document
   * listings need it: a node lists its shards interleaved in its own order,
   * so pages merged from other groupings of shards onto nodes could overlap
   * or leave gaps.
   */
  readonly fixedCover?: boolean;
}

export interface IndexReadContext {
  readonly services: PeerServices;
  readonly index: Readonly<IndexRecord>;
  readonly topology: IndexTopology;
  readonly turn: number;
  readonly signal: AbortSignal;
  /** The covering-set input without the shard count (for shardOwnersInOrder). */
  readonly owners: Omit<CoveringSetInput, 'shardCount' | 'heldShards'>;
}

// One topology cache per running peer, keyed by its services object.
const views = new WeakMap<PeerServices, TopologyView>();

function topologyView(services: PeerServices): TopologyView {
  let view = views.get(services);
  if (view === undefined) views.set(services, (view = new TopologyView(services.router)));
  return view;
}

/** The index record, syncing the replica once before answering `index_not_found`. */
export async function resolveIndex(services: PeerServices, uid: string): Promise<Readonly<IndexRecord>> {
  let index = services.state().indexes.get(uid);
  if (index === undefined) {
    await services.syncRead();
    index = services.state().indexes.get(uid);
  }
  if (index === undefined) throw indexNotFound(uid);
  return index;
}

export function indexNotFound(uid: string): MeiliError {
  return new MeiliError('index_not_found', `Index \`${uid}\` not found.`);
}

/** Builds the context of one read; the caller must call `dispose` when done. */
export function readContext(
  services: PeerServices,
  index: Readonly<IndexRecord>,
  options: ReadOptions,
): { context: IndexReadContext; dispose: () => void } {
  const topology = topologyView(services).of(services.state(), index);
  const turn = options.fixedCover === true ? 0 : services.nextSearchCounter();
  const deadlineMs = options.deadlineMs ?? services.config.search.searchTimeoutMs;
  const deadline = deadlineSignal(services.clock, deadlineMs, options.signal);
  const owners = { groups: topology.groups, isHealthy: healthOnce(services), turn };
  return { context: { services, index, topology, turn, signal: deadline.signal, owners }, dispose: deadline.dispose };
}

/**
 * `services.isNodeHealthy`, asked once per node for the whole read: the
 * covering set asks it for every owner of every shard (64 shards, each owner
 * a merge of every peer's observations), and within one read the answer for
 * a node should not change anyway; nodes failing during the read are
 * excluded by the scatter itself.
 */
function healthOnce(services: PeerServices): (nodeId: string) => boolean {
  const known = new Map<string, boolean>();
  return (nodeId) => {
    let healthy = known.get(nodeId);
    if (healthy === undefined) known.set(nodeId, (healthy = services.isNodeHealthy(nodeId)));
    return healthy;
  };
}

/** An AbortSignal that fires after `ms` on `clock`, or when `parent` aborts. */
export function deadlineSignal(
  clock: Clock,
  ms: number,
  parent?: AbortSignal,
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onParentAbort = (): void => controller.abort(parent?.reason);
  const timer = clock.setTimeout(() => controller.abort(new Error(`read deadline of ${ms} ms passed`)), ms);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clock.clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}

/** Runs `body` with a read context, always releasing its deadline timer. */
export async function withReadContext<T>(
  services: PeerServices,
  index: Readonly<IndexRecord>,
  options: ReadOptions,
  body: (context: IndexReadContext) => Promise<T>,
): Promise<T> {
  const { context, dispose } = readContext(services, index, options);
  try {
    return await body(context);
  } finally {
    dispose();
  }
}
