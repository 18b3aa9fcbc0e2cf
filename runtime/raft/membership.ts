// Single-server membership changes (Raft thesis §4.1, §4.2.1 for learners).
//
// Decision: a change takes effect when its entry is *applied* (the etcd-raft
// choice), not when appended as in the thesis. The thesis rule needs a
// configuration rollback whenever a conflicting suffix is truncated; applying
// at commit avoids that, and stays safe because (a) the leader allows only one
// unapplied change at a time (pendingConfIndex), so consecutive
// configurations differ by one server and any two majorities overlap, and (b)
// a peer does not campaign while a committed change is still unapplied.
// Membership lists are kept sorted so every peer iterates them in the same
// order (no hidden nondeterminism).
import { unreachable } from '../assert.ts';
import type { ConfChange, ConfState, PeerId } from './types.ts';

export function cloneConfState(conf: ConfState): ConfState {
  return { voters: [...conf.voters], learners: [...conf.learners] };
}

function sortedWith(list: readonly PeerId[], peer: PeerId): PeerId[] {
  return [...new Set([...list, peer])].sort();
}

function without(list: readonly PeerId[], peer: PeerId): PeerId[] {
  return list.filter((p) => p !== peer);
}

/** The configuration after `change`; applying the same change twice is harmless. */
export function applyChange(conf: ConfState, change: ConfChange): ConfState {
  switch (change.kind) {
    case 'addVoter':
      return { voters: sortedWith(conf.voters, change.peer), learners: without(conf.learners, change.peer) };
    case 'addLearner':
      if (conf.voters.includes(change.peer)) return cloneConfState(conf);
      return { voters: [...conf.voters], learners: sortedWith(conf.learners, change.peer) };
    case 'removePeer':
      return { voters: without(conf.voters, change.peer), learners: without(conf.learners, change.peer) };
    default:
      return unreachable(change);
  }
}

/** Why a proposed change must be refused, or null when it is acceptable. */
export function refusal(conf: ConfState, change: ConfChange): string | null {
  switch (change.kind) {
    case 'addVoter':
      return conf.voters.includes(change.peer) ? `${change.peer} is already a voter` : null;
    case 'addLearner':
      if (conf.voters.includes(change.peer)) return `${change.peer} is a voter; demotion is not supported`;
      return conf.learners.includes(change.peer) ? `${change.peer} is already a learner` : null;
    case 'removePeer':
      if (!conf.voters.includes(change.peer) && !conf.learners.includes(change.peer)) {
        return `${change.peer} is not a member`;
      }
      return conf.voters.length === 1 && conf.voters[0] === change.peer ? 'cannot remove the last voter' : null;
    default:
      return unreachable(change);
  }
}

export function members(conf: ConfState): PeerId[] {
  return [...conf.voters, ...conf.learners].sort();
}

/**
 * The membership in effect now, plus what it was at every applied index since
 * the snapshot, so a snapshot taken at an older applied index records the
 * membership of that index.
 */
export class ConfTracker {
  current: ConfState;
  private base: ConfState;
  private history: Array<{ index: number; conf: ConfState }> = [];

  constructor(initial: ConfState) {
    this.current = cloneConfState(initial);
    this.base = cloneConfState(initial);
  }

  apply(index: number, change: ConfChange): void {
    this.current = applyChange(this.current, change);
    this.history.push({ index, conf: cloneConfState(this.current) });
  }

  /** The membership once entry `index` was applied. */
  at(index: number): ConfState {
    let conf = this.base;
    for (const h of this.history) if (h.index <= index) conf = h.conf;
    return cloneConfState(conf);
  }

  /** A snapshot at `index` now holds the membership up to there. */
  compact(index: number, snapshotConf: ConfState): void {
    this.base = cloneConfState(snapshotConf);
    this.history = this.history.filter((h) => h.index > index);
  }

  /** A snapshot from the leader replaces everything. */
  restore(conf: ConfState): void {
    this.current = cloneConfState(conf);
    this.base = cloneConfState(conf);
    this.history = [];
  }
}
