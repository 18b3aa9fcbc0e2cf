// The peer handshake: both ends prove they know the cluster secret, over
// fresh challenges, before any other frame flows.
//
//   dialer A                                acceptor B
//   hello {from A, to B, nonce nA}      →
//                                       ←   challenge {from B, nonce nB, proof_B}
//   proof {proof_A}                     →
//                                       ←   welcome
//
// proof_X = HMAC-SHA256(secret, "miroir-peer-v1" | role of X | A | B | nA | nB),
// each part length-prefixed. Both nonces are 32 random bytes from the OS, so
// a recorded proof is useless against a new challenge; the role label stops
// a peer from reflecting the acceptor's proof back; binding both ids stops a
// proof from being replayed as another peer. Proofs are compared in constant
// time. The nonces use node:crypto, not the seeded Rng: they must be
// unpredictable, and nothing decides on them.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PeerId } from '../../runtime/raft/types.ts';
import { NONCE_BYTES } from './decoders.ts';

const LABEL = 'miroir-peer-v1';

export type HandshakeRole = 'dialer' | 'acceptor';

export function freshNonce(): Uint8Array {
  return randomBytes(NONCE_BYTES);
}

export function handshakeProof(
  secret: Uint8Array,
  role: HandshakeRole,
  ids: { dialer: PeerId; acceptor: PeerId },
  nonces: { dialer: Uint8Array; acceptor: Uint8Array },
): Uint8Array {
  const hmac = createHmac('sha256', secret);
  for (const part of [LABEL, role, ids.dialer, ids.acceptor]) lengthPrefixed(hmac, Buffer.from(part, 'utf8'));
  lengthPrefixed(hmac, nonces.dialer);
  lengthPrefixed(hmac, nonces.acceptor);
  return hmac.digest();
}

export function proofMatches(expected: Uint8Array, received: Uint8Array): boolean {
  return expected.byteLength === received.byteLength && timingSafeEqual(expected, received);
}

function lengthPrefixed(hmac: ReturnType<typeof createHmac>, part: Uint8Array): void {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(part.byteLength);
  hmac.update(length);
  hmac.update(part);
}

/** WebSocket close codes of the peer protocol (4000–4999 is the private range). */
export const CLOSE = {
  handshakeTimeout: 4001,
  protocolError: 4002,
  authenticationFailed: 4003,
  replaced: 4004,
  wrongPeer: 4005,
  /** ws itself closes with 1009 when a received frame exceeds maxPayload. */
  frameTooLarge: 1009,
  goingAway: 1001,
} as const;
