// Request/response over the peer mesh: correlation ids, deadlines and the
// bound on requests in flight (STYLE G14). The requester keeps a pending
// entry per id until the response frame, the deadline (TimeoutError) or the
// loss of the connection (PeerUnavailableError: the request may or may not
// have run, so callers retry only idempotent requests). Errors cross the wire
// as {code, message, leaderHint} and come back as the typed error of that
// code, so callers branch on `code` on both sides (STYLE G12).
import type { Clock, TimerHandle } from '../../runtime/env/clock.ts';
import type { PeerId } from '../../runtime/raft/types.ts';
import {
  ClosedError, MiroirError, PeerUnavailableError, NotLeaderError, OverloadedError, ProposalDroppedError, TimeoutError,
} from '../../runtime/errors.ts';
import type { WireError } from './frames.ts';

/** An error whose code is not one of runtime/errors.ts (a remote bug, a missing handler). */
export class PeerRequestError extends Error {
  override readonly name = 'PeerRequestError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface Pending {
  peer: PeerId;
  /** The link the request went out on: only its response counts, and its loss fails the request. */
  link: object;
  resolve: (body: Uint8Array) => void;
  reject: (error: Error) => void;
  timer: TimerHandle;
}

export class RequestTracker {
  readonly #clock: Clock;
  readonly #pendingMax: number;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(clock: Clock, pendingMax: number) {
    this.#clock = clock;
    this.#pendingMax = pendingMax;
  }

  get size(): number {
    return this.#pending.size;
  }

  isPending(id: number): boolean {
    return this.#pending.has(id);
  }

  /** Opens a pending request; throws OverloadedError at the bound. */
  open(peer: PeerId, link: object, timeoutMs: number, method: string): { id: number; response: Promise<Uint8Array> } {
    if (this.#pending.size >= this.#pendingMax) throw new OverloadedError('peer requests in flight', this.#pendingMax);
    const id = this.#nextId++;
    const response = new Promise<Uint8Array>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.#pending.delete(id);
        reject(new TimeoutError(`peer request ${method} to ${peer}`, timeoutMs));
      }, timeoutMs);
      this.#pending.set(id, { peer, link, resolve, reject, timer });
    });
    return { id, response };
  }

  /** Settles the request `id` answered on `link`; a late or unknown id is ignored (its deadline already answered). */
  settle(link: object, id: number, outcome: { ok: true; body: Uint8Array } | { ok: false; error: WireError }): void {
    const pending = this.#pending.get(id);
    if (pending === undefined || pending.link !== link) return;
    this.#pending.delete(id);
    this.#clock.clearTimeout(pending.timer);
    if (outcome.ok) pending.resolve(outcome.body);
    else pending.reject(errorFromWire(outcome.error));
  }

  fail(id: number, error: Error): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    this.#clock.clearTimeout(pending.timer);
    pending.reject(error);
  }

  /** Fails every request sent on `link` (it is gone), or every request when `link` is null. */
  failLink(link: object | null, error: (peer: PeerId) => Error): void {
    for (const [id, pending] of this.#pending) {
      if (link === null || pending.link === link) this.fail(id, error(pending.peer));
    }
  }
}

export function errorToWire(error: unknown): WireError {
  if (error instanceof NotLeaderError) return { code: error.code, message: error.message, leaderHint: error.leaderHint };
  if (error instanceof MiroirError || error instanceof PeerRequestError) return { code: error.code, message: error.message, leaderHint: null };
  // Anything else is a bug on this side; the requester sees a stable code, the message helps the logs.
  return { code: 'MIROIR_ERR_REMOTE', message: error instanceof Error ? error.message : String(error), leaderHint: null };
}

export function errorFromWire(wire: WireError): Error {
  switch (wire.code) {
    case 'MIROIR_ERR_NOT_LEADER': return new NotLeaderError(wire.leaderHint);
    case 'MIROIR_ERR_PROPOSAL_DROPPED': return new ProposalDroppedError(wire.message);
    case 'MIROIR_ERR_OVERLOADED': return new MiroirError('MIROIR_ERR_OVERLOADED', wire.message);
    case 'MIROIR_ERR_TIMEOUT': return new MiroirError('MIROIR_ERR_TIMEOUT', wire.message);
    case 'MIROIR_ERR_CLOSED': return new ClosedError(`remote: ${wire.message}`);
    case 'MIROIR_ERR_NODE_UNAVAILABLE': return new MiroirError('MIROIR_ERR_NODE_UNAVAILABLE', wire.message);
    case 'MIROIR_ERR_PEER_UNAVAILABLE': return new MiroirError('MIROIR_ERR_PEER_UNAVAILABLE', wire.message);
    case 'MIROIR_ERR_LOG_COMPACTED': return new MiroirError('MIROIR_ERR_LOG_COMPACTED', wire.message);
    default: return new PeerRequestError(wire.code, wire.message);
  }
}

export function peerGone(peer: PeerId): PeerUnavailableError {
  return new PeerUnavailableError(peer, 'peer connection lost before the response');
}
