// The simulated network (STYLE G6): every send is queued with a delivery
// time in ticks, and per-link faults — drop, duplicate, delay (which also
// reorders) — plus partitions are decided by the network's own seeded Rng,
// so one seed replays the same deliveries. Messages to or from a peer that is
// down are dropped. Counts of sent messages per kind feed the RPC-bound tests.
import type { Rng } from '../../runtime/env/clock.ts';
import type { PeerId, RaftMessage } from '../../runtime/raft/types.ts';

export interface LinkFaults {
  dropRate: number;
  duplicateRate: number;
  /** Delivery delay drawn uniformly from [0, maxDelayTicks]; 0 delivers within the same tick. */
  maxDelayTicks: number;
}

export const reliable: LinkFaults = { dropRate: 0, duplicateRate: 0, maxDelayTicks: 0 };
export const unreliable: LinkFaults = { dropRate: 0.1, duplicateRate: 0.05, maxDelayTicks: 3 };

interface InFlight {
  deliverAt: number;
  seq: number;
  message: RaftMessage;
}

export class SimNetwork {
  faults: LinkFaults;
  private readonly linkFaults = new Map<string, LinkFaults>();
  /** Peer → partition group; peers in different groups cannot talk. Empty: fully connected. */
  private group = new Map<PeerId, number>();
  private queue: InFlight[] = [];
  private seq = 0;
  readonly sentByKind = new Map<string, number>();
  sentTotal = 0;

  constructor(
    private readonly rng: Rng,
    faults: LinkFaults = reliable,
  ) {
    this.faults = faults;
  }

  setLink(from: PeerId, to: PeerId, faults: LinkFaults): void {
    this.linkFaults.set(`${from}->${to}`, faults);
  }

  partition(groups: PeerId[][]): void {
    this.group = new Map();
    groups.forEach((g, i) => g.forEach((p) => this.group.set(p, i)));
  }

  heal(): void {
    this.group = new Map();
    this.linkFaults.clear();
  }

  connected(a: PeerId, b: PeerId): boolean {
    return (this.group.get(a) ?? -1) === (this.group.get(b) ?? -1);
  }

  send(now: number, message: RaftMessage): void {
    this.sentTotal++;
    this.sentByKind.set(message.kind, (this.sentByKind.get(message.kind) ?? 0) + 1);
    const faults = this.linkFaults.get(`${message.from}->${message.to}`) ?? this.faults;
    if (faults.dropRate > 0 && this.rng.next() < faults.dropRate) return;
    const copies = faults.duplicateRate > 0 && this.rng.next() < faults.duplicateRate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = faults.maxDelayTicks > 0 ? this.rng.int(faults.maxDelayTicks + 1) : 0;
      this.queue.push({ deliverAt: now + delay, seq: this.seq++, message });
    }
  }

  /** The next message due at `now`, in (time, send order); partitioned links drop it at delivery. */
  next(now: number): RaftMessage | null {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.queue.length; i++) {
        const q = this.queue[i]!;
        if (q.deliverAt > now) continue;
        const b = this.queue[best];
        if (b === undefined || q.deliverAt < b.deliverAt || (q.deliverAt === b.deliverAt && q.seq < b.seq)) best = i;
      }
      if (best < 0) return null;
      const [item] = this.queue.splice(best, 1);
      if (item !== undefined && this.connected(item.message.from, item.message.to)) return item.message;
    }
  }

  /** Drops everything queued for or from `peer` (it crashed: its sockets are gone). */
  dropFor(peer: PeerId): void {
    this.queue = this.queue.filter((q) => q.message.to !== peer && q.message.from !== peer);
  }

  get inFlight(): number {
    return this.queue.length;
  }

  resetCounts(): void {
    this.sentByKind.clear();
    this.sentTotal = 0;
  }
}
