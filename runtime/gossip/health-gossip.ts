// Health gossip (ARCHITECTURE §5): every `gossipIntervalMs` this peer pushes
// its own observations of the nodes to every connected peer over the mesh
// (topic `health`, one frame each), and absorbs what the others push into its
// HealthView. A change of this peer's verdict on a node (e.g. down) is pushed
// at once, so other peers route around a dead node without waiting for the
// next round; so is the whole view to a peer that just connected (a
// restarted peer routes on the others' verdicts from its first second). Pushes are fire-and-forget: a full send buffer or a missing
// link drops the push, and the next round carries a fresher view anyway.
//
// The mesh is full, so each peer hears every other directly: views are not
// relayed, and a peer that stops gossiping simply goes stale in the others'
// views (HealthView's staleness bound).
import type { Clock, TimerHandle } from '../env/clock.ts';
import type { HealthView, Observation } from '../health/view.ts';
import { decodeHealthDigest, encodeHealthDigest, HEALTH_TOPIC } from './health-codec.ts';

/** What gossip needs of the peer mesh (transport/peer/mesh.ts). */
export interface GossipMesh {
  onGossip(topic: string, handler: (from: string, body: Uint8Array) => void): () => void;
  sendGossip(peer: string, topic: string, body: Uint8Array): boolean;
  connectedPeers(): string[];
  subscribe(listener: (event: { type: string; peer?: string | null }) => void): () => void;
}

export interface HealthGossipOptions {
  mesh: GossipMesh;
  view: HealthView;
  clock: Clock;
  intervalMs: number;
  /** Told about every digest refused (a peer speaking something else); for logs and tests. */
  onRefused?: (from: string, reason: string) => void;
}

export class HealthGossip {
  readonly #options: HealthGossipOptions;
  readonly #unregister: () => void;
  readonly #unsubscribe: () => void;
  #timer: TimerHandle | null = null;
  #stopped = false;
  pushes = 0;

  constructor(options: HealthGossipOptions) {
    this.#options = options;
    this.#unregister = options.mesh.onGossip(HEALTH_TOPIC, (from, body) => this.#receive(from, body));
    this.#unsubscribe = options.mesh.subscribe((event) => {
      if (event.type === 'peer.connected' && typeof event.peer === 'string') this.#pushTo([event.peer]);
    });
    this.#schedule();
  }

  /** Records this peer's new observation of `nodeId`; a changed status is pushed at once. */
  observe(nodeId: string, observation: Observation): void {
    const { view } = this.#options;
    const previous = view.localObservation(nodeId);
    view.recordLocal(nodeId, observation);
    if (previous === null || previous.status !== observation.status) this.pushNow();
  }

  /** Pushes this peer's view to every connected peer now. */
  pushNow(): void {
    this.#pushTo(this.#options.mesh.connectedPeers());
  }

  stop(): void {
    this.#stopped = true;
    this.#unregister();
    this.#unsubscribe();
    if (this.#timer !== null) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #pushTo(peers: readonly string[]): void {
    if (this.#stopped) return;
    const { mesh, view, clock } = this.#options;
    const body = encodeHealthDigest(view.localEntries(clock.nowMs()));
    for (const peer of peers) mesh.sendGossip(peer, HEALTH_TOPIC, body);
    this.pushes++;
  }

  #schedule(): void {
    this.#timer = this.#options.clock.setTimeout(() => {
      this.pushNow();
      if (!this.#stopped) this.#schedule();
    }, this.#options.intervalMs);
  }

  #receive(from: string, body: Uint8Array): void {
    const result = decodeHealthDigest(body);
    if (!result.ok) {
      this.#options.onRefused?.(from, result.reason);
      return;
    }
    this.#options.view.absorb(from, result.entries, this.#options.clock.nowMs());
  }
}
