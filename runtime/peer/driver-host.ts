// DriverHost: the one place that holds this peer's current RaftDriver. The
// raft-peer actor (actors/raft-peer.machine.ts) starts and closes drivers
// through it — a failed driver is closed and a new one started from the log —
// while the peer services and everything else reach "the driver now" and
// hear its events through the host, across restarts.
//
// The mesh accepts one Raft handler and one handler per request method for
// its whole life, but each driver registers its own at start. The host
// therefore registers once on the mesh and routes to the driver attached now;
// between drivers, Raft messages are dropped (Raft retransmits) and forwarded
// proposals are refused with ClosedError (nothing was appended, the
// proposer may retry).
//
// Invariants: at most one driver is attached; start() and close() run one at
// a time (close() waits for a start in flight, so a shutdown during a
// restart never leaks a running driver or an open LevelDB).
import { assert } from '../assert.ts';
import { ClosedError } from '../errors.ts';
import type { RaftDriver, RaftDriverEvent, RaftTransport } from '../raft/driver.ts';
import type { PeerId, RaftMessage } from '../raft/types.ts';

type RequestHandler = (from: PeerId, body: Uint8Array) => Promise<Uint8Array> | Uint8Array;

/** Opens the log store and starts a driver over `transport` (runtime/peer/peer.ts builds it). */
export type DriverOpener = (transport: RaftTransport) => Promise<RaftDriver>;

export class DriverHost {
  readonly #mesh: RaftTransport;
  readonly #open: DriverOpener;
  readonly #listeners = new Set<(event: RaftDriverEvent) => void>();
  readonly #methods = new Map<string, RequestHandler | null>();
  #raftHandler: ((message: RaftMessage) => void) | null = null;
  #driver: RaftDriver | null = null;
  #unsubscribe: (() => void) | null = null;
  /** The start or close in flight; the next one waits for it. */
  #busy: Promise<void> = Promise.resolve();
  #generation = 0;

  constructor(mesh: RaftTransport, open: DriverOpener) {
    this.#mesh = mesh;
    this.#open = open;
    mesh.onRaftMessage((message) => this.#raftHandler?.(message));
  }

  /** The running driver, or null while none is attached (starting, restarting, stopped). */
  get driver(): RaftDriver | null {
    return this.#driver;
  }

  /** Hears the events of every driver this host runs. */
  subscribe(listener: (event: RaftDriverEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): Promise<void> {
    const run = this.#busy.then(() => this.#start());
    this.#busy = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    const run = this.#busy.then(() => this.#close());
    this.#busy = run.catch(() => undefined);
    return run;
  }

  async #start(): Promise<void> {
    assert(this.#driver === null, 'a driver starts only when none is attached');
    const generation = ++this.#generation;
    const driver = await this.#open(this.#sessionTransport(generation));
    this.#driver = driver;
    this.#unsubscribe = driver.subscribe((event) => {
      for (const listener of this.#listeners) listener(event);
    });
  }

  async #close(): Promise<void> {
    const driver = this.#driver;
    this.#generation++;
    this.#raftHandler = null;
    for (const method of this.#methods.keys()) this.#methods.set(method, null);
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#driver = null;
    if (driver !== null) await driver.close();
  }

  /** The RaftTransport one driver sees; its registrations lapse when the host moves on. */
  #sessionTransport(generation: number): RaftTransport {
    const current = (): boolean => generation === this.#generation;
    return {
      sendRaft: (message) => this.#mesh.sendRaft(message),
      request: (peer, method, body, timeoutMs) => this.#mesh.request(peer, method, body, timeoutMs),
      onRaftMessage: (handler) => {
        if (current()) this.#raftHandler = handler;
        return () => {
          if (this.#raftHandler === handler) this.#raftHandler = null;
        };
      },
      handle: (method, handler) => {
        if (!this.#methods.has(method)) {
          this.#mesh.handle(method, (from, body) => {
            const h = this.#methods.get(method);
            if (h === null || h === undefined) throw new ClosedError('raft driver (restarting)');
            return h(from, body);
          });
        }
        if (current()) this.#methods.set(method, handler);
        return () => {
          if (this.#methods.get(method) === handler) this.#methods.set(method, null);
        };
      },
    };
  }
}
