// PeerMesh: this peer's WebSocket links to every other peer, one per pair.
// Raft messages, gossip and request/response all share a link (ARCHITECTURE §5).
//
// Who dials is deterministic: of two peers, the one whose id sorts first
// dials, the other accepts (an inbound link from a peer that should have been
// dialed is refused with 4005). So a pair never holds two links, and the
// dialer alone redials, with jittered exponential back-off from the seeded
// Rng, until the peer is removed or the mesh closes. An inbound link from a
// peer that already has one replaces it: the peer restarted, and the old
// socket is a leftover.
//
// Bounds (STYLE G14): frames above frameBytesMax are refused at the sender
// and make ws cut a peer that sends one (close 1009); unflushed bytes per
// link stay within sendBufferBytesMax (send() returns false, drained() waits);
// requests in flight are capped by requestsPendingMax.
import { WebSocket, WebSocketServer } from 'ws';
import type { Clock, Rng, TimerHandle } from '../../runtime/env/clock.ts';
import type { PeerId, RaftMessage } from '../../runtime/raft/types.ts';
import { assert } from '../../runtime/assert.ts';
import { ClosedError, PeerUnavailableError } from '../../runtime/errors.ts';
import { backoffDelayMs, type BackoffPolicy } from './backoff.ts';
import { CLOSE } from './handshake.ts';
import { HandshakeError, PeerConnection, type ConnectionOptions } from './connection.ts';
import { PEER_PROTOCOL_VERSION, raftFrame, type RaftFrame, type SessionFrame } from './frames.ts';
import { errorToWire, peerGone, PeerRequestError, RequestTracker } from './requests.ts';

export interface PeerMeshOptions {
  id: PeerId;
  /** The cluster secret both ends of every link must know. */
  secret: Uint8Array;
  clock: Clock;
  rng: Rng;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  frameBytesMax: number;
  sendBufferBytesMax: number;
  handshakeTimeoutMs: number;
  pingIntervalMs: number;
  reconnect: BackoffPolicy;
  requestTimeoutMs: number;
  requestsPendingMax: number;
}

export type PeerMeshEvent =
  | { type: 'peer.connected'; peer: PeerId }
  | { type: 'peer.disconnected'; peer: PeerId; code: number; reason: string }
  /** A link that never got past the handshake; `peer` is who we dialed, null for an inbound one. */
  | { type: 'peer.refused'; peer: PeerId | null; code: number; reason: string };

export type RequestHandler = (from: PeerId, body: Uint8Array) => Promise<Uint8Array> | Uint8Array;

interface KnownPeer {
  url: string;
  attempt: number;
  timer: TimerHandle | null;
  socket: WebSocket | null;
}

export class PeerMesh {
  readonly id: PeerId;
  readonly #options: PeerMeshOptions;
  readonly #server: WebSocketServer;
  readonly #connectionOptions: ConnectionOptions;
  readonly #known = new Map<PeerId, KnownPeer>();
  readonly #links = new Map<PeerId, PeerConnection>();
  /** Inbound sockets still in their handshake, so close() does not wait for their timeout. */
  readonly #handshaking = new Set<WebSocket>();
  readonly #requests: RequestTracker;
  readonly #handlers = new Map<string, RequestHandler>();
  readonly #gossip = new Map<string, (from: PeerId, body: Uint8Array) => void>();
  readonly #listeners = new Set<(event: PeerMeshEvent) => void>();
  #raftHandler: ((message: RaftMessage) => void) | null = null;
  #closed = false;

  private constructor(options: PeerMeshOptions, server: WebSocketServer) {
    this.id = options.id;
    this.#options = options;
    this.#server = server;
    this.#connectionOptions = {
      selfId: options.id, secret: options.secret, clock: options.clock, frameBytesMax: options.frameBytesMax,
      sendBufferBytesMax: options.sendBufferBytesMax, handshakeTimeoutMs: options.handshakeTimeoutMs, pingIntervalMs: options.pingIntervalMs,
    };
    this.#requests = new RequestTracker(options.clock, options.requestsPendingMax);
    server.on('connection', (ws) => this.#onInbound(ws));
  }

  /** Listens on host:port and returns the running mesh (no peers yet: see setPeer). */
  static async start(options: PeerMeshOptions): Promise<PeerMesh> {
    assert(options.secret.byteLength >= 16, 'the cluster secret has at least 16 bytes');
    assert(options.frameBytesMax > 0 && options.sendBufferBytesMax > 0, 'frame and buffer bounds are positive');
    const server = new WebSocketServer({
      host: options.host, port: options.port, maxPayload: options.frameBytesMax, perMessageDeflate: false, clientTracking: false,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return new PeerMesh(options, server);
  }

  get port(): number {
    const address = this.#server.address();
    assert(typeof address === 'object' && address !== null, 'the server listens on a TCP port');
    return address.port;
  }

  get url(): string {
    return `ws://${this.#options.host}:${this.port}/`;
  }

  subscribe(listener: (event: PeerMeshEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Adds or updates a peer's address; this side dials it when its id sorts first. */
  setPeer(peer: PeerId, url: string): void {
    assert(!this.#closed, 'setPeer on a closed mesh');
    assert(peer !== this.id, 'a peer is not its own peer');
    const known = this.#known.get(peer);
    if (known !== undefined && known.url === url) return;
    if (known !== undefined) this.removePeer(peer);
    this.#known.set(peer, { url, attempt: 0, timer: null, socket: null });
    if (this.#dials(peer)) this.#dial(peer);
  }

  removePeer(peer: PeerId): void {
    const known = this.#known.get(peer);
    this.#known.delete(peer);
    if (known !== undefined) {
      if (known.timer !== null) this.#options.clock.clearTimeout(known.timer);
      known.socket?.terminate();
    }
    this.#links.get(peer)?.close(CLOSE.goingAway, 'peer removed from the mesh');
  }

  isConnected(peer: PeerId): boolean {
    return this.#links.get(peer)?.isOpen === true;
  }

  connectedPeers(): PeerId[] {
    return [...this.#links.keys()].filter((p) => this.isConnected(p)).sort();
  }

  // Each registration returns its removal, so a supervised layer (the Raft
  // driver, gossip) can be restarted on the same mesh.

  onRaftMessage(handler: (message: RaftMessage) => void): () => void {
    assert(this.#raftHandler === null, 'one raft handler per mesh');
    this.#raftHandler = handler;
    return () => {
      if (this.#raftHandler === handler) this.#raftHandler = null;
    };
  }

  onGossip(topic: string, handler: (from: PeerId, body: Uint8Array) => void): () => void {
    assert(!this.#gossip.has(topic), `one handler per gossip topic (${topic})`);
    this.#gossip.set(topic, handler);
    return () => {
      if (this.#gossip.get(topic) === handler) this.#gossip.delete(topic);
    };
  }

  handle(method: string, handler: RequestHandler): () => void {
    assert(!this.#handlers.has(method), `one handler per request method (${method})`);
    this.#handlers.set(method, handler);
    return () => {
      if (this.#handlers.get(method) === handler) this.#handlers.delete(method);
    };
  }

  /**
   * Sends a frame to `peer`. False means nothing was sent: the peer is not
   * connected, or its send buffer is full (await drained(peer) to retry).
   * Throws OverloadedError for a frame above frameBytesMax.
   */
  send(peer: PeerId, frame: SessionFrame): boolean {
    return this.#links.get(peer)?.send(frame) ?? false;
  }

  sendRaft(message: RaftMessage): boolean {
    return this.send(message.to, raftFrame(message));
  }

  sendGossip(peer: PeerId, topic: string, body: Uint8Array): boolean {
    return this.send(peer, { v: PEER_PROTOCOL_VERSION, kind: 'gossip.push', topic, body });
  }

  /** Bytes handed to `peer`'s socket and not yet flushed (0 without a link). */
  pendingBytes(peer: PeerId): number {
    return this.#links.get(peer)?.pendingBytes ?? 0;
  }

  /** Resolves when `peer`'s send buffer has room again, or its link is gone. */
  drained(peer: PeerId): Promise<void> {
    return this.#links.get(peer)?.drained() ?? Promise.resolve();
  }

  /** Calls `method` on `peer`; rejects with the typed error the handler threw, TimeoutError or PeerUnavailableError. */
  async request(peer: PeerId, method: string, body: Uint8Array, timeoutMs = this.#options.requestTimeoutMs): Promise<Uint8Array> {
    if (this.#closed) throw new ClosedError('peer mesh');
    const link = this.#links.get(peer);
    if (link === undefined || !link.isOpen) throw new PeerUnavailableError(peer, 'no connection to this peer');
    const { id, response } = this.#requests.open(peer, link, timeoutMs, method);
    const frame: SessionFrame = { v: PEER_PROTOCOL_VERSION, kind: 'peer.request', id, method, body, timeoutMs };
    this.#sendWhenDrained(link, frame, () => this.#requests.isPending(id))
      .catch((error: unknown) => this.#requests.fail(id, error instanceof Error ? error : new Error(String(error))));
    return response;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of [...this.#known.keys()]) this.removePeer(peer);
    this.#requests.failLink(null, () => new ClosedError('peer mesh'));
    for (const ws of this.#handshaking) ws.terminate();
    const links = [...this.#links.values()];
    for (const link of links) link.close(CLOSE.goingAway, 'peer shutting down');
    await Promise.all(links.map((link) => link.whenClosed()));
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #dials(peer: PeerId): boolean {
    return this.id < peer;
  }

  #emit(event: PeerMeshEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  #dial(peer: PeerId): void {
    const known = this.#known.get(peer);
    if (known === undefined || this.#closed) return;
    known.timer = null;
    const ws = new WebSocket(known.url, {
      maxPayload: this.#options.frameBytesMax, perMessageDeflate: false, handshakeTimeout: this.#options.handshakeTimeoutMs,
      generateMask: unmasked,
    });
    known.socket = ws;
    let settled = false;
    const failed = (code: number, reason: string, refused: boolean): void => {
      if (settled) return;
      settled = true;
      if (refused) this.#emit({ type: 'peer.refused', peer, code, reason });
      this.#redial(peer, ws);
    };
    ws.once('error', () => failed(1006, 'connect failed', false));
    ws.once('close', (code) => failed(code, 'closed before open', false));
    ws.once('open', () => {
      settled = true;
      PeerConnection.dial(ws, peer, this.#connectionOptions).then(
        (link) => {
          if (this.#known.get(peer) !== known) return link.close(CLOSE.goingAway, 'peer removed from the mesh');
          known.attempt = 0;
          known.socket = null;
          this.#adopt(link);
        },
        (error: unknown) => {
          assert(error instanceof HandshakeError, 'the handshake fails only with HandshakeError');
          this.#emit({ type: 'peer.refused', peer, code: error.code, reason: error.message });
          this.#redial(peer, ws);
        },
      );
    });
  }

  /** Schedules the next dial of `peer` unless it was removed, replaced or the mesh closed. */
  #redial(peer: PeerId, ws: WebSocket | null): void {
    const known = this.#known.get(peer);
    if (known === undefined || this.#closed || known.timer !== null) return;
    if (ws !== null && known.socket !== ws) return;
    known.socket = null;
    const delayMs = backoffDelayMs(known.attempt, this.#options.reconnect, this.#options.rng);
    known.attempt += 1;
    known.timer = this.#options.clock.setTimeout(() => this.#dial(peer), delayMs);
  }

  #onInbound(ws: WebSocket): void {
    if (this.#closed) return ws.close(CLOSE.goingAway, 'peer shutting down');
    const admit = (from: PeerId): string | null =>
      this.#dials(from) ? `dial direction: ${this.id} dials ${from}, not the reverse` : null;
    this.#handshaking.add(ws);
    PeerConnection.accept(ws, this.#connectionOptions, admit).then(
      (link) => {
        this.#handshaking.delete(ws);
        this.#adopt(link);
      },
      (error: unknown) => {
        this.#handshaking.delete(ws);
        assert(error instanceof HandshakeError, 'the handshake fails only with HandshakeError');
        this.#emit({ type: 'peer.refused', peer: null, code: error.code, reason: error.message });
      },
    );
  }

  #adopt(link: PeerConnection): void {
    const peer = link.peerId;
    if (this.#closed) return link.close(CLOSE.goingAway, 'peer shutting down');
    const previous = this.#links.get(peer);
    this.#links.set(peer, link);
    previous?.close(CLOSE.replaced, 'replaced by a newer connection');
    link.start({
      onFrame: (frame) => this.#onFrame(link, frame),
      onClose: (code, reason) => this.#onLinkClosed(link, code, reason),
    });
    if (link.isOpen) this.#emit({ type: 'peer.connected', peer });
  }

  #onLinkClosed(link: PeerConnection, code: number, reason: string): void {
    const peer = link.peerId;
    // Requests sent on this link die with it, even when a newer link already replaced it.
    this.#requests.failLink(link, peerGone);
    if (this.#links.get(peer) !== link) return;
    this.#links.delete(peer);
    this.#emit({ type: 'peer.disconnected', peer, code, reason });
    if (this.#dials(peer)) this.#redial(peer, null);
  }

  #onFrame(link: PeerConnection, frame: SessionFrame): void {
    switch (frame.kind) {
      case 'gossip.push':
        this.#gossip.get(frame.topic)?.(link.peerId, frame.body);
        return;
      case 'peer.request':
        this.#serve(link, frame.id, frame.method, frame.body);
        return;
      case 'peer.response':
        this.#requests.settle(link, frame.id, frame.ok ? { ok: true, body: frame.body } : { ok: false, error: frame.error });
        return;
      default:
        this.#raftHandler?.(stripVersion(frame));
    }
  }

  #serve(link: PeerConnection, id: number, method: string, body: Uint8Array): void {
    const handler = this.#handlers.get(method);
    const result = handler === undefined
      ? Promise.reject(new PeerRequestError('MIROIR_ERR_NO_HANDLER', `no handler for peer request method ${method}`))
      : Promise.resolve().then(() => handler(link.peerId, body));
    result.then(
      (responseBody) => this.#respond(link, { v: PEER_PROTOCOL_VERSION, kind: 'peer.response', id, ok: true, body: responseBody }),
      (error: unknown) => this.#respond(link, { v: PEER_PROTOCOL_VERSION, kind: 'peer.response', id, ok: false, error: errorToWire(error) }),
    );
  }

  #respond(link: PeerConnection, frame: SessionFrame): void {
    // A response that cannot go out (the link closed) is lost; the requester's deadline answers it.
    this.#sendWhenDrained(link, frame, () => link.isOpen).catch(() => undefined);
  }

  /** Sends, waiting for drains while the link is full; gives up when `stillWanted` says so. */
  async #sendWhenDrained(link: PeerConnection, frame: SessionFrame, stillWanted: () => boolean): Promise<void> {
    for (;;) {
      if (link.send(frame)) return;
      if (!link.isOpen) throw peerGone(link.peerId);
      if (!stillWanted()) return;
      await link.drained();
    }
  }
}

function stripVersion(frame: RaftFrame): RaftMessage {
  const { v: _v, ...message } = frame;
  return message as RaftMessage;
}

// Peer links carry frames between Miroir peers only, never a browser's: the
// client-to-server mask (RFC 6455 §5.3) guards intermediaries against script-
// chosen bytes, and costs a JavaScript XOR over every frame on both ends (0.4 s
// CPU of a leader's 10k-document ingest). ws sends a zero mask key unmasked and
// skips unmasking it on receipt (its documented `generateMask` use for trusted
// links); the frame is still a valid masked frame to any RFC receiver.
function unmasked(mask: Buffer): void {
  mask.fill(0);
}
