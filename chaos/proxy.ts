// A fault-injecting TCP proxy for one link (issue 6 §4: peer partitions).
// Clients connect to the proxy; each connection is paired with one to the
// upstream address, and bytes are relayed both ways, in order, under the
// faults currently set:
//
// - hold a direction: the proxy stops reading that side, so bytes sent that
//   way go nowhere (TCP back-pressure keeps them in the sender's buffers)
//   until the direction is released, as packets lost in a partition are
//   retransmitted once it heals. A stream is never cut in the middle of a
//   frame and never corrupted: whatever arrives, arrives whole and in order.
//   A held link that its ends give up on (ping or handshake timeouts) is
//   closed by them, and the proxy closes the other side (a side that closes
//   takes its pair with it, bytes still delayed included).
// - refuse: every open connection is reset, and new ones are reset as they
//   arrive (a peer whose host went away).
// - latency: each chunk is delivered `latencyMs` after it was read.
//
// Direction names follow the connection: `forward` is from the client (the
// side that connected) to upstream, `backward` the reverse.
import { connect, createServer, type Server, type Socket } from 'node:net';

export type Direction = 'forward' | 'backward';

export interface LinkFaults {
  hold: Record<Direction, boolean>;
  refuse: boolean;
  latencyMs: number;
}

export const NO_FAULTS: Readonly<LinkFaults> = Object.freeze({ hold: Object.freeze({ forward: false, backward: false }), refuse: false, latencyMs: 0 });

export interface Upstream {
  host: string;
  port: number;
}

/** One direction of one connection: reads `from`, writes `to`, honouring the proxy's faults. */
class Relay {
  readonly #queue: Array<{ chunk: Buffer; dueMs: number }> = [];
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly from: Socket, private readonly to: Socket, private readonly direction: Direction, private readonly faults: () => LinkFaults) {
    from.on('data', (chunk: Buffer) => {
      this.#queue.push({ chunk, dueMs: Date.now() + this.faults().latencyMs });
      this.flush();
    });
  }

  /** Applies the current faults: pauses or resumes reading, delivers what is due. */
  flush(): void {
    const held = this.faults().hold[this.direction];
    if (held) this.from.pause();
    else this.from.resume();
    if (held || this.#timer !== null) return;
    while (this.#queue.length > 0) {
      const head = this.#queue[0]!;
      const waitMs = head.dueMs - Date.now();
      if (waitMs > 0) {
        this.#timer = setTimeout(() => {
          this.#timer = null;
          this.flush();
        }, waitMs);
        return;
      }
      this.#queue.shift();
      if (!this.to.destroyed) this.to.write(head.chunk);
    }
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue.length = 0;
  }
}

interface Pair {
  client: Socket;
  upstream: Socket;
  relays: Relay[];
}

export class FaultProxy {
  #faults: LinkFaults = NO_FAULTS;
  readonly #pairs = new Set<Pair>();
  /** Connections accepted in total, for tests and the run's report. */
  accepted = 0;

  private constructor(private readonly server: Server, readonly port: number, private readonly upstream: () => Upstream) {}

  /** Listens on `host`, port 0; `upstream` is asked at each connection (the target may not have its port yet when the proxy starts). */
  static async start(host: string, upstream: () => Upstream): Promise<FaultProxy> {
    const server = createServer();
    await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, host, ok));
    const proxy = new FaultProxy(server, (server.address() as { port: number }).port, upstream);
    server.on('connection', (client) => proxy.#accept(client));
    return proxy;
  }

  get faults(): Readonly<LinkFaults> {
    return this.#faults;
  }

  /** Sets the faults (replacing the previous ones) and applies them to every open connection at once. */
  set(faults: LinkFaults): void {
    this.#faults = { hold: { ...faults.hold }, refuse: faults.refuse, latencyMs: faults.latencyMs };
    if (faults.refuse) for (const pair of [...this.#pairs]) this.#reset(pair);
    for (const pair of this.#pairs) pair.relays.forEach((r) => r.flush());
  }

  heal(): void {
    this.set(NO_FAULTS);
  }

  get connections(): number {
    return this.#pairs.size;
  }

  async close(): Promise<void> {
    for (const pair of [...this.#pairs]) this.#reset(pair);
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  #accept(client: Socket): void {
    this.accepted++;
    if (this.#faults.refuse) {
      client.resetAndDestroy();
      return;
    }
    const { host, port } = this.upstream();
    const upstream = connect({ host, port });
    const pair: Pair = { client, upstream, relays: [] };
    pair.relays.push(new Relay(client, upstream, 'forward', () => this.#faults), new Relay(upstream, client, 'backward', () => this.#faults));
    this.#pairs.add(pair);
    const close = (): void => this.#close(pair);
    for (const socket of [client, upstream]) {
      // A reset or refused side closes the pair; the error itself is the other end's business.
      socket.on('error', close);
      socket.on('close', close);
    }
    pair.relays.forEach((r) => r.flush());
  }

  #close(pair: Pair): void {
    if (!this.#pairs.delete(pair)) return;
    pair.relays.forEach((r) => r.stop());
    pair.client.destroy();
    pair.upstream.destroy();
  }

  #reset(pair: Pair): void {
    if (!this.#pairs.delete(pair)) return;
    pair.relays.forEach((r) => r.stop());
    pair.client.resetAndDestroy();
    pair.upstream.resetAndDestroy();
  }
}
