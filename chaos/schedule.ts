// The seeded fault schedule of a chaos run: which fault, on which process,
// held for how long, after how quiet a gap. Pure (a seed and the cluster's
// shape in, a list out), so a failing seed replays the same choices; only
// the wall-clock moments differ between runs, because each fault starts
// after the previous one has been undone and the process is back.
import { seededRng } from '../runtime/env/rng.ts';

export type FaultKind =
  | 'kill-node' | 'kill-peer' | 'pause-node' | 'pause-peer'
  /** The node alternates SIGSTOP and SIGCONT slices: slow, not gone. */
  | 'slow-node'
  /** Network faults on every mesh link of a peer (peer-links.ts): silent both ways, reset and refused, one way lost, delayed. */
  | 'partition-peer' | 'cut-peer' | 'mute-peer' | 'deafen-peer' | 'delay-peer';

export interface Fault {
  kind: FaultKind;
  /** Position in the cluster's node or peer list (by id order). */
  target: number;
  /** How long the fault lasts before it is undone (restart, SIGCONT, heal). */
  holdMs: number;
  /** Quiet time after the process is back, before the next fault. */
  gapMs: number;
  /** delay-peer: the latency added to each of the peer's links, each way. */
  latencyMs?: number;
}

export interface ScheduleShape {
  nodes: number;
  peers: number;
}

const KINDS: readonly FaultKind[] = [
  'kill-node', 'kill-peer', 'pause-node', 'pause-peer', 'slow-node', 'partition-peer', 'cut-peer', 'mute-peer', 'deafen-peer', 'delay-peer',
];
const HOLD_MS = { min: 500, max: 4_000 };
/** Network faults last longer: a partition shorter than an election timeout and a ping interval tests little. */
const NETWORK_HOLD_MS = { min: 1_500, max: 6_000 };
const GAP_MS = { min: 500, max: 2_500 };
const LATENCY_MS = { min: 50, max: 500 };

export function isNetworkFault(kind: FaultKind): boolean {
  return kind.endsWith('-peer') && !kind.startsWith('kill') && !kind.startsWith('pause');
}

/**
 * Faults, one at a time, enough to fill `durationMs` even if every fault
 * took only its hold and gap (the runner stops at the deadline). One process
 * down or cut off at a time keeps a peer majority and, with RF 2, a live copy
 * of every shard: what must hold is that nothing acknowledged is lost, not
 * that the cluster survives more than it promises.
 */
export function faultSchedule(seed: number, durationMs: number, shape: ScheduleShape): Fault[] {
  const rng = seededRng(seed);
  const between = (range: { min: number; max: number }): number => range.min + rng.int(range.max - range.min + 1);
  const faults: Fault[] = [];
  for (let planned = 0; planned < durationMs;) {
    const kind = KINDS[rng.int(KINDS.length)]!;
    const target = rng.int(kind.endsWith('node') ? shape.nodes : shape.peers);
    const fault: Fault = { kind, target, holdMs: between(isNetworkFault(kind) ? NETWORK_HOLD_MS : HOLD_MS), gapMs: between(GAP_MS) };
    if (kind === 'delay-peer') fault.latencyMs = between(LATENCY_MS);
    faults.push(fault);
    planned += fault.holdMs + fault.gapMs;
  }
  return faults;
}
