// Seeding a brand-new cluster: the first leader whose replica is pristine
// proposes runtime/cluster's bootstrapCommands from its own config (peers,
// groups and nodes, knobs, Meilisearch's default keys). It runs as a
// leader-only actor, so it starts on every `raft.leader.gained`:
// - it first makes its replica current (ReadIndex: a new leader's reads wait
//   for its term's first commit), so it never mistakes "not applied yet" for
//   "pristine";
// - a second leader in a row, or a peer that joins later with the same
//   config, finds the state non-pristine and does nothing.
// Every command is proposed in the same event-loop turn, so they share one
// Ready, one log batch and (within maxSizePerMsgBytes) one append message;
// a leader that crashes between their commits could still leave a partial
// bootstrap, which a later leader does not complete (the state is no longer
// pristine): the operator would see the missing nodes or keys.
import type { Rng } from '../env/clock.ts';
import { bootstrapCommands, isPristine } from '../cluster/index.ts';
import type { PeerServices } from './services.ts';

export type BootstrapOutcome = 'bootstrapped' | 'already-bootstrapped';

export async function bootstrapIfPristine(services: PeerServices): Promise<BootstrapOutcome> {
  await services.syncRead();
  if (!isPristine(services.state())) return 'already-bootstrapped';
  const uids = [uuidV4(services.rng), uuidV4(services.rng), uuidV4(services.rng), uuidV4(services.rng)] as const;
  const commands = bootstrapCommands(services.config, uids, services.clock.nowMs());
  const results = await Promise.all(commands.map((command) => services.propose(command)));
  const refused = results.flatMap((r, i) => (r.kind === 'rejected' ? [`${commands[i]!.kind}: ${r.error.message}`] : []));
  if (refused.length > 0) throw new Error(`bootstrap commands were rejected: ${refused.join('; ')}`);
  return 'bootstrapped';
}

/** A random (version 4) UUID drawn from the seeded Rng: apply stays deterministic, the draw is the proposer's. */
export function uuidV4(rng: Rng): string {
  const bytes = Array.from({ length: 16 }, () => rng.int(256));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
