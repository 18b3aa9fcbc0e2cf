// The peer frames: one versioned discriminated union for everything two
// Miroir peers say to each other over their single WebSocket (STYLE G15,
// ARCHITECTURE §5). Raft RPCs, gossip and forwarded client requests share
// the socket; the handshake frames are only legal before authentication.
//
// Every frame carries `v`, the protocol version. A peer refuses a frame of a
// version it does not speak (it closes the socket with a protocol error), so
// a rolling upgrade must bump `v` only together with a compatible decoder.
// Bodies of gossip and request frames are opaque bytes: the layer that owns a
// gossip topic or a request method encodes and validates them itself.
import type { PeerId, RaftMessage } from '../../runtime/raft/types.ts';

export const PEER_PROTOCOL_VERSION = 1 as const;
export type ProtocolVersion = typeof PEER_PROTOCOL_VERSION;

type Versioned = { v: ProtocolVersion };

/** Dialer → acceptor: who I am, whom I want, and a fresh challenge for you. */
export type HelloFrame = Versioned & { kind: 'handshake.hello'; from: PeerId; to: PeerId; nonce: Uint8Array };
/** Acceptor → dialer: my challenge for you, and my proof over both challenges. */
export type ChallengeFrame = Versioned & { kind: 'handshake.challenge'; from: PeerId; nonce: Uint8Array; proof: Uint8Array };
/** Dialer → acceptor: my proof over both challenges. */
export type ProofFrame = Versioned & { kind: 'handshake.proof'; proof: Uint8Array };
/** Acceptor → dialer: both sides are authenticated; other frames may flow. */
export type WelcomeFrame = Versioned & { kind: 'handshake.welcome' };

export type HandshakeFrame = HelloFrame | ChallengeFrame | ProofFrame | WelcomeFrame;

export type RaftFrame = Versioned & RaftMessage;

/** Soft state pushed between peers (node health, latencies, load); `topic` names the owner. */
export type GossipFrame = Versioned & { kind: 'gossip.push'; topic: string; body: Uint8Array };

/** A request for the peer's handler of `method` (e.g. a client write forwarded to the leader). */
export type RequestFrame = Versioned & { kind: 'peer.request'; id: number; method: string; body: Uint8Array; timeoutMs: number };

/** The error half of a response: `code` survives the wire so callers branch on it (STYLE G12). */
export interface WireError {
  code: string;
  message: string;
  leaderHint: PeerId | null;
}

export type ResponseFrame =
  | (Versioned & { kind: 'peer.response'; id: number; ok: true; body: Uint8Array })
  | (Versioned & { kind: 'peer.response'; id: number; ok: false; error: WireError });

/** What flows once a connection is authenticated. */
export type SessionFrame = RaftFrame | GossipFrame | RequestFrame | ResponseFrame;

export type PeerFrame = HandshakeFrame | SessionFrame;
export type PeerFrameKind = PeerFrame['kind'];

/** Adds the protocol version to a raft message; the core never sees `v`. */
export function raftFrame(message: RaftMessage): RaftFrame {
  return { v: PEER_PROTOCOL_VERSION, ...message };
}
