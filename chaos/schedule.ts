// The seeded fault schedule of a chaos run: which fault, on which process,
// held for how long, after how quiet a gap. Pure (a seed and the cluster's
// shape in, a list out), so a failing seed replays the same choices; only
// the wall-clock moments differ between runs, because each fault starts
// after the previous one has been undone and the process is back.
import { seededRng } from '../runtime/env/rng.ts';

export type FaultKind = 'kill-node' | 'kill-peer' | 'pause-node' | 'pause-peer';

export interface Fault {
  kind: FaultKind;
  /** Position in the cluster's node or peer list (by id order). */
  target: number;
  /** How long the process stays dead or stopped before its restart or SIGCONT. */
  holdMs: number;
  /** Quiet time after the process is back, before the next fault. */
  gapMs: number;
}

export interface ScheduleShape {
  nodes: number;
  peers: number;
}

const KINDS: readonly FaultKind[] = ['kill-node', 'kill-peer', 'pause-node', 'pause-peer'];
const HOLD_MS = { min: 500, max: 4_000 };
const GAP_MS = { min: 500, max: 2_500 };

/**
 * Faults, one at a time, enough to fill `durationMs` even if every fault
 * took only its hold and gap (the runner stops at the deadline). One process
 * down at a time keeps a peer majority and, with RF 2, a live copy of every
 * shard: what must hold is that nothing acknowledged is lost, not that the
 * cluster survives more than it promises.
 */
export function faultSchedule(seed: number, durationMs: number, shape: ScheduleShape): Fault[] {
  const rng = seededRng(seed);
  const between = (range: { min: number; max: number }): number => range.min + rng.int(range.max - range.min + 1);
  const faults: Fault[] = [];
  for (let planned = 0; planned < durationMs;) {
    const kind = KINDS[rng.int(KINDS.length)]!;
    const target = rng.int(kind.endsWith('node') ? shape.nodes : shape.peers);
    const fault = { kind, target, holdMs: between(HOLD_MS), gapMs: between(GAP_MS) };
    faults.push(fault);
    planned += fault.holdMs + fault.gapMs;
  }
  return faults;
}
