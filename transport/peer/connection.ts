// PeerConnection: one WebSocket to one other peer, through its two phases.
// First the handshake (handshake.ts): nothing but handshake frames, finished
// within `handshakeTimeoutMs` or closed with 4001; a bad proof closes with
// 4003. Then the session: frames are encoded and sent with byte accounting,
// and every received frame is decoded and checked before the mesh sees it.
//
// Invariants:
// - no session frame is sent or delivered before both sides are authenticated;
// - a raft frame's `from` is this connection's authenticated peer and its
//   `to` is this peer (a peer cannot speak for another one);
// - bytes handed to the socket and not yet flushed stay within
//   max(sendBufferBytesMax, frameBytesMax): send() refuses beyond that;
// - `onClose` fires exactly once, after which send() refuses everything.
import type { WebSocket, RawData } from 'ws';
import type { Clock, TimerHandle } from '../../runtime/env/clock.ts';
import type { PeerId } from '../../runtime/raft/types.ts';
import { assert } from '../../runtime/assert.ts';
import { decodeFrame, encodeFrame } from './codec.ts';
import { PEER_PROTOCOL_VERSION, type PeerFrame, type SessionFrame } from './frames.ts';
import { CLOSE, freshNonce, handshakeProof, proofMatches } from './handshake.ts';

export interface ConnectionOptions {
  selfId: PeerId;
  secret: Uint8Array;
  clock: Clock;
  frameBytesMax: number;
  sendBufferBytesMax: number;
  handshakeTimeoutMs: number;
  /** A ping goes out this often; a peer silent for a whole interval after a ping is cut. */
  pingIntervalMs: number;
}

export interface SessionHandlers {
  onFrame(frame: SessionFrame): void;
  onClose(code: number, reason: string): void;
}

export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
  constructor(readonly code: number, reason: string) {
    super(reason);
  }
}

type Phase = 'handshake' | 'session' | 'closed';

export class PeerConnection {
  readonly #ws: WebSocket;
  readonly #options: ConnectionOptions;
  #phase: Phase = 'handshake';
  #peerId: PeerId | null = null;
  #handlers: SessionHandlers | null = null;
  /** Session frames that arrived between authentication and start(). */
  #inbox: SessionFrame[] = [];
  #pendingBytes = 0;
  #drainWaiters: Array<() => void> = [];
  #alive = true;
  #timer: TimerHandle | null = null;
  #closeCode: number | null = null;
  #closeReason = '';
  #onHandshakeFrame: (frame: PeerFrame) => void = () => undefined;
  #settle: { resolve: () => void; reject: (e: HandshakeError) => void } | null = null;
  #closeWaiters: Array<() => void> = [];

  private constructor(ws: WebSocket, options: ConnectionOptions) {
    this.#ws = ws;
    this.#options = options;
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => { this.#alive = true; });
    ws.on('close', (code, reason) => this.#onSocketClose(code, reason.toString('utf8')));
    // Errors are followed by 'close'; the handler only stops ws from throwing them.
    ws.on('error', () => undefined);
  }

  /** Authenticates as the dialer on an open socket; resolves once the acceptor welcomed us. */
  static async dial(ws: WebSocket, expected: PeerId, options: ConnectionOptions): Promise<PeerConnection> {
    const connection = new PeerConnection(ws, options);
    const ids = { dialer: options.selfId, acceptor: expected };
    const dialerNonce = freshNonce();
    let step: 'challenge' | 'welcome' = 'challenge';
    connection.#onHandshakeFrame = (frame) => {
      if (step === 'challenge' && frame.kind === 'handshake.challenge') {
        if (frame.from !== expected) return connection.#fail(CLOSE.wrongPeer, `expected peer ${expected}, reached ${frame.from}`);
        const nonces = { dialer: dialerNonce, acceptor: frame.nonce };
        if (!proofMatches(handshakeProof(options.secret, 'acceptor', ids, nonces), frame.proof)) {
          return connection.#fail(CLOSE.authenticationFailed, 'authentication failed: acceptor proof invalid');
        }
        step = 'welcome';
        connection.#sendRaw({ v: PEER_PROTOCOL_VERSION, kind: 'handshake.proof', proof: handshakeProof(options.secret, 'dialer', ids, nonces) });
      } else if (step === 'welcome' && frame.kind === 'handshake.welcome') {
        connection.#authenticated(expected);
      } else {
        connection.#fail(CLOSE.protocolError, `unexpected ${frame.kind} during handshake`);
      }
    };
    const done = connection.#handshakeDone();
    connection.#sendRaw({ v: PEER_PROTOCOL_VERSION, kind: 'handshake.hello', from: options.selfId, to: expected, nonce: dialerNonce });
    await done;
    return connection;
  }

  /**
   * Authenticates as the acceptor. `admit` decides whether the claimed dialer
   * may connect at all (returns a refusal reason, or null); its claim is only
   * trusted once its proof checks out.
   */
  static async accept(ws: WebSocket, options: ConnectionOptions, admit: (from: PeerId) => string | null): Promise<PeerConnection> {
    const connection = new PeerConnection(ws, options);
    let expectProof: { from: PeerId; ids: { dialer: PeerId; acceptor: PeerId }; nonces: { dialer: Uint8Array; acceptor: Uint8Array } } | null = null;
    connection.#onHandshakeFrame = (frame) => {
      if (expectProof === null && frame.kind === 'handshake.hello') {
        if (frame.to !== options.selfId) return connection.#fail(CLOSE.wrongPeer, `this is peer ${options.selfId}, not ${frame.to}`);
        const refusal = frame.from === options.selfId ? 'a peer cannot dial itself' : admit(frame.from);
        if (refusal !== null) return connection.#fail(CLOSE.wrongPeer, refusal);
        const ids = { dialer: frame.from, acceptor: options.selfId };
        const nonces = { dialer: frame.nonce, acceptor: freshNonce() };
        expectProof = { from: frame.from, ids, nonces };
        connection.#sendRaw({
          v: PEER_PROTOCOL_VERSION, kind: 'handshake.challenge', from: options.selfId,
          nonce: nonces.acceptor, proof: handshakeProof(options.secret, 'acceptor', ids, nonces),
        });
      } else if (expectProof !== null && frame.kind === 'handshake.proof') {
        if (!proofMatches(handshakeProof(options.secret, 'dialer', expectProof.ids, expectProof.nonces), frame.proof)) {
          return connection.#fail(CLOSE.authenticationFailed, 'authentication failed: dialer proof invalid');
        }
        connection.#sendRaw({ v: PEER_PROTOCOL_VERSION, kind: 'handshake.welcome' });
        connection.#authenticated(expectProof.from);
      } else {
        connection.#fail(CLOSE.protocolError, `unexpected ${frame.kind} during handshake`);
      }
    };
    await connection.#handshakeDone();
    return connection;
  }

  get peerId(): PeerId {
    assert(this.#peerId !== null, 'peerId is known once authenticated');
    return this.#peerId;
  }

  get isOpen(): boolean {
    return this.#phase === 'session';
  }

  /** Bytes handed to the socket and not yet flushed to the kernel. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Starts delivering session frames (including any that arrived since authentication). */
  start(handlers: SessionHandlers): void {
    assert(this.#handlers === null, 'start() is called once');
    this.#handlers = handlers;
    const inbox = this.#inbox;
    this.#inbox = [];
    for (const frame of inbox) handlers.onFrame(frame);
    if (this.#phase === 'closed') handlers.onClose(this.#closeCode ?? 1006, this.#closeReason);
    else this.#armPing();
  }

  /**
   * Sends a session frame. Returns false, sending nothing, when the
   * connection is closed or the unflushed bytes would pass
   * sendBufferBytesMax; wait for drained() before trying again. Throws
   * OverloadedError for a frame larger than frameBytesMax.
   */
  send(frame: SessionFrame): boolean {
    if (this.#phase !== 'session') return false;
    const bytes = encodeFrame(frame, this.#options.frameBytesMax);
    // An empty buffer takes any frame that fits frameBytesMax, so a large frame is never starved.
    if (this.#pendingBytes > 0 && this.#pendingBytes + bytes.byteLength > this.#options.sendBufferBytesMax) return false;
    this.#write(bytes);
    return true;
  }

  /** Resolves when the unflushed bytes fall to half the buffer, or the connection closes. */
  drained(): Promise<void> {
    if (this.#phase === 'closed' || this.#pendingBytes <= this.#options.sendBufferBytesMax / 2) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Resolves once the socket is closed (at once if it already is). */
  whenClosed(): Promise<void> {
    if (this.#phase === 'closed') return Promise.resolve();
    return new Promise((resolve) => this.#closeWaiters.push(resolve));
  }

  close(code: number, reason: string): void {
    if (this.#phase === 'closed') return;
    if (this.#closeCode === null) {
      this.#closeCode = code;
      this.#closeReason = reason;
    }
    this.#ws.close(code, reason.slice(0, 120));
    // A dead peer never answers the close frame; do not wait for ws's 30 s timer.
    this.#clearTimer();
    this.#timer = this.#options.clock.setTimeout(() => this.#ws.terminate(), 1000);
  }

  #handshakeDone(): Promise<void> {
    this.#timer = this.#options.clock.setTimeout(
      () => this.#fail(CLOSE.handshakeTimeout, `handshake timeout after ${this.#options.handshakeTimeoutMs} ms`),
      this.#options.handshakeTimeoutMs,
    );
    return new Promise((resolve, reject) => { this.#settle = { resolve, reject }; });
  }

  #authenticated(peerId: PeerId): void {
    this.#clearTimer();
    this.#peerId = peerId;
    this.#phase = 'session';
    this.#settle?.resolve();
    this.#settle = null;
  }

  #fail(code: number, reason: string): void {
    if (this.#settle !== null) {
      this.#settle.reject(new HandshakeError(code, reason));
      this.#settle = null;
    }
    this.close(code, reason);
  }

  #sendRaw(frame: PeerFrame): void {
    this.#write(encodeFrame(frame, this.#options.frameBytesMax));
  }

  #write(bytes: Uint8Array): void {
    this.#pendingBytes += bytes.byteLength;
    this.#ws.send(bytes, { binary: true }, () => {
      // Called once the socket flushed the frame, or failed to (then 'close' follows).
      this.#pendingBytes -= bytes.byteLength;
      if (this.#pendingBytes <= this.#options.sendBufferBytesMax / 2) this.#wakeDrainWaiters();
    });
  }

  #wakeDrainWaiters(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const wake of waiters) wake();
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    this.#alive = true;
    if (this.#phase === 'closed') return;
    if (!isBinary || !(data instanceof Buffer)) return this.#fail(CLOSE.protocolError, 'peer frames are binary');
    const decoded = decodeFrame(data);
    if (!decoded.ok) return this.#fail(CLOSE.protocolError, `invalid frame: ${decoded.reason}`);
    const frame = decoded.frame;
    if (this.#phase === 'handshake') return this.#onHandshakeFrame(frame);
    if (frame.kind.startsWith('handshake.')) return this.#fail(CLOSE.protocolError, `${frame.kind} after the handshake`);
    const session = frame as SessionFrame;
    if (session.kind.startsWith('raft.')) {
      const raft = session as SessionFrame & { from: PeerId; to: PeerId };
      if (raft.from !== this.#peerId || raft.to !== this.#options.selfId) {
        return this.#fail(CLOSE.protocolError, `raft frame from ${raft.from} to ${raft.to} on the link ${this.#peerId}→${this.#options.selfId}`);
      }
    }
    if (this.#handlers === null) this.#inbox.push(session);
    else this.#handlers.onFrame(session);
  }

  #armPing(): void {
    this.#clearTimer();
    this.#timer = this.#options.clock.setTimeout(() => {
      if (this.#phase !== 'session') return;
      if (!this.#alive) {
        this.#closeCode ??= 4000;
        this.#closeReason ||= 'keepalive timeout';
        this.#ws.terminate();
        return;
      }
      this.#alive = false;
      this.#ws.ping();
      this.#armPing();
    }, this.#options.pingIntervalMs);
  }

  #clearTimer(): void {
    if (this.#timer !== null) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #onSocketClose(code: number, reason: string): void {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.#clearTimer();
    // The code we closed with explains more than the echo the other side sent back.
    if (this.#closeCode === null) {
      this.#closeCode = code;
      this.#closeReason = reason;
    }
    this.#settle?.reject(new HandshakeError(this.#closeCode, this.#closeReason || `socket closed (${code})`));
    this.#settle = null;
    this.#wakeDrainWaiters();
    this.#handlers?.onClose(this.#closeCode, this.#closeReason);
    for (const wake of this.#closeWaiters.splice(0)) wake();
  }
}
