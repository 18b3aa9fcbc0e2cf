// The merged health view of one peer (ARCHITECTURE §4, §5): its own
// observation of every node (from its node actors) and the latest view each
// other peer gossiped. Routing asks `isRoutable`, which reads the merged
// observation of the node: the freshest decided one (healthy, slow or down)
// among those younger than `viewStalenessMs`, whoever made it (ties: the
// lower peer id, so every peer breaks them alike). Freshest wins because
// health changes: a node seen down a second ago and up now is up, whichever
// peer saw it. Undecided observations (`suspect`: failing but below the
// threshold; `recovering`: answering again but below the recovery threshold)
// never win: otherwise, while the peers' probes reach the threshold one
// after the other, a peer's first failure would outvote another's decided
// `down`, and routing would flicker.
//
// No fresh observation at all means the view knows nothing, and the node is
// routable: the committed state already says it is active, and a request that
// fails moves its shards to the next owner on its own (runtime/search/scatter.ts).
//
// Times: local observations carry this peer's clock; a gossiped one arrives as
// an age (`ageMs`, measured on the sender's clock) and is re-dated on receipt,
// so clock skew between peers never makes a view look fresher than it is
// (only the transit delay is added to its age's error).
//
// Bounds: one entry per (peer, node) ever seen, so the view is as large as the
// cluster has been; entries of peers and nodes that left simply go stale.
import { assert } from '../assert.ts';
import type { HealthStatus } from './node-health.ts';

/** What a peer publishes about one node: its status from its own probes, never 'unknown'. */
export type ObservedStatus = Exclude<HealthStatus, 'unknown'>;

export const OBSERVED_STATUSES: readonly ObservedStatus[] = ['healthy', 'slow', 'suspect', 'recovering', 'down'];

const DECIDED: ReadonlySet<ObservedStatus> = new Set(['healthy', 'slow', 'down']);

export interface Observation {
  readonly status: ObservedStatus;
  readonly latencyEwmaMs: number | null;
  /** On this peer's clock. */
  readonly observedAtMs: number;
}

/** One observation on the wire: dated by its age when sent. */
export interface GossipEntry {
  readonly nodeId: string;
  readonly status: ObservedStatus;
  readonly latencyEwmaMs: number | null;
  readonly ageMs: number;
}

export interface MergedObservation extends Observation {
  readonly peerId: string;
}

/** The merged observation as operators see it (GET /_miroir/topology, `miroir ctl status`). */
export interface NodeHealthReport {
  readonly status: ObservedStatus;
  readonly latencyEwmaMs: number | null;
  /** The peer whose observation routing follows now. */
  readonly observedBy: string;
  readonly ageMs: number;
}

export class HealthView {
  readonly selfId: string;
  readonly #stalenessMs: number;
  /** peer id → node id → observation; this peer's own under selfId. */
  readonly #byPeer = new Map<string, Map<string, Observation>>();

  constructor(selfId: string, stalenessMs: number) {
    assert(stalenessMs > 0, 'the staleness bound is positive');
    this.selfId = selfId;
    this.#stalenessMs = stalenessMs;
  }

  recordLocal(nodeId: string, observation: Observation): void {
    this.#views(this.selfId).set(nodeId, observation);
  }

  localObservation(nodeId: string): Observation | null {
    return this.#byPeer.get(this.selfId)?.get(nodeId) ?? null;
  }

  /** Replaces `peer`'s view with the one it just gossiped (received at `nowMs`). */
  absorb(peer: string, entries: readonly GossipEntry[], nowMs: number): void {
    assert(peer !== this.selfId, 'a peer does not gossip to itself');
    const view = new Map<string, Observation>();
    for (const e of entries) {
      view.set(e.nodeId, { status: e.status, latencyEwmaMs: e.latencyEwmaMs, observedAtMs: nowMs - e.ageMs });
    }
    this.#byPeer.set(peer, view);
  }

  /** This peer's own fresh observations, dated by age, for gossip. */
  localEntries(nowMs: number): GossipEntry[] {
    const entries: GossipEntry[] = [];
    for (const [nodeId, o] of this.#byPeer.get(this.selfId) ?? []) {
      const ageMs = Math.max(0, nowMs - o.observedAtMs);
      if (ageMs <= this.#stalenessMs) entries.push({ nodeId, status: o.status, latencyEwmaMs: o.latencyEwmaMs, ageMs });
    }
    return entries.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  }

  /** The freshest decided observation of `nodeId` not older than the staleness bound, or null. */
  merged(nodeId: string, nowMs: number): MergedObservation | null {
    let best: MergedObservation | null = null;
    for (const [peerId, view] of this.#byPeer) {
      const o = view.get(nodeId);
      if (o === undefined || !DECIDED.has(o.status) || nowMs - o.observedAtMs > this.#stalenessMs) continue;
      if (best === null || o.observedAtMs > best.observedAtMs || (o.observedAtMs === best.observedAtMs && peerId < best.peerId)) {
        best = { ...o, peerId };
      }
    }
    return best;
  }

  report(nodeId: string, nowMs: number): NodeHealthReport | null {
    const m = this.merged(nodeId, nowMs);
    if (m === null) return null;
    return { status: m.status, latencyEwmaMs: m.latencyEwmaMs, observedBy: m.peerId, ageMs: Math.max(0, nowMs - m.observedAtMs) };
  }

  /** Whether searches may go to `nodeId`: unless its merged observation says down. */
  isRoutable(nodeId: string, nowMs: number): boolean {
    return this.merged(nodeId, nowMs)?.status !== 'down';
  }

  #views(peer: string): Map<string, Observation> {
    let view = this.#byPeer.get(peer);
    if (view === undefined) this.#byPeer.set(peer, (view = new Map()));
    return view;
  }
}
