// The services of the rebalancer and its migrations on one running peer: the
// dispatchers' view of the log, replica, node clients and proposals
// (runtime/dispatch/peer-dispatch.ts), the router's placement, and the
// bounds of the config's `topology` section.
import type { PeerRuntime } from '../peer/peer.ts';
import { peerDispatchServices } from '../dispatch/peer-dispatch.ts';
import type { Rng } from '../env/clock.ts';
import { DEFAULT_TOPOLOGY_LIMITS } from './limits.ts';
import type { MigrationServices } from './migration-io.ts';

export function peerTopologyServices(runtime: PeerRuntime): MigrationServices & { readonly rng: Rng } {
  const dispatch = peerDispatchServices(runtime);
  const config = runtime.services.config.topology;
  return {
    log: dispatch.log,
    state: dispatch.state,
    client: dispatch.client,
    propose: dispatch.propose,
    onApplied: dispatch.onApplied,
    clock: dispatch.clock,
    rng: dispatch.rng,
    place: (shard, ids, rf) => runtime.services.router.placeShard(shard, ids, rf),
    limits: { ...DEFAULT_TOPOLOGY_LIMITS, ...config },
  };
}
