// The DispatchServices of one running peer (runtime/peer/): the committed log
// of the driver attached now (a restarted driver is picked up at the next
// read; between drivers a read fails and the dispatcher backs off), the local
// replica, the node clients, proposals through the peer services, and the
// bounds of the config's `dispatcher` section.
import { ClosedError } from '../errors.ts';
import type { PeerRuntime } from '../peer/peer.ts';
import { dispatchLimits, type CommittedLog, type DispatchServices } from './services.ts';

export function peerDispatchServices(runtime: PeerRuntime): DispatchServices {
  const { host, stateMachine, services } = runtime;
  const driver = () => {
    const d = host.driver;
    if (d === null) throw new ClosedError('raft driver (restarting)');
    return d;
  };
  const log: CommittedLog = {
    readCommitted: (fromIndex, maxBytes) => driver().readCommitted(fromIndex, maxBytes),
    appliedIndex: () => host.driver?.status().applied ?? 0,
    compactedThrough: () => driver().compactedThrough,
  };
  return {
    log,
    state: () => stateMachine.state,
    client: (nodeId) => services.node(nodeId),
    propose: (command) => services.propose(command),
    onApplied(listener) {
      const offApplied = stateMachine.onApplied(() => listener());
      const offRestored = stateMachine.onRestored(() => listener());
      return () => {
        offApplied();
        offRestored();
      };
    },
    clock: services.clock,
    rng: services.rng,
    limits: dispatchLimits(services.config.dispatcher),
  };
}
