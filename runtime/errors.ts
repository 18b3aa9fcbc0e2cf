// Typed operating errors (STYLE G12). Each has a stable `code` that survives
// msgpack and process boundaries, so callers branch on `code`, never on the
// class or the message. Programmer errors are assertions (runtime/assert.ts).

export type MiroirErrorCode =
  | 'MIROIR_ERR_NOT_LEADER'
  | 'MIROIR_ERR_PROPOSAL_DROPPED'
  | 'MIROIR_ERR_NODE_UNAVAILABLE'
  | 'MIROIR_ERR_PEER_UNAVAILABLE'
  | 'MIROIR_ERR_LOG_COMPACTED'
  | 'MIROIR_ERR_TIMEOUT'
  | 'MIROIR_ERR_OVERLOADED'
  | 'MIROIR_ERR_CLOSED';

export class MiroirError extends Error {
  readonly code: MiroirErrorCode;
  constructor(code: MiroirErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export class NotLeaderError extends MiroirError {
  override readonly name = 'NotLeaderError';
  /** The peer this peer believes leads, when it knows one. */
  readonly leaderHint: string | null;
  constructor(leaderHint: string | null, options?: { cause?: unknown }) {
    super('MIROIR_ERR_NOT_LEADER', `not the leader${leaderHint ? ` (leader: ${leaderHint})` : ''}`, options);
    this.leaderHint = leaderHint;
  }
}

export class ProposalDroppedError extends MiroirError {
  override readonly name = 'ProposalDroppedError';
  constructor(reason: string, options?: { cause?: unknown }) {
    super('MIROIR_ERR_PROPOSAL_DROPPED', `proposal dropped: ${reason}`, options);
  }
}

export class NodeUnavailableError extends MiroirError {
  override readonly name = 'NodeUnavailableError';
  readonly nodeId: string;
  constructor(nodeId: string, reason: string, options?: { cause?: unknown }) {
    super('MIROIR_ERR_NODE_UNAVAILABLE', `node ${nodeId} unavailable: ${reason}`, options);
    this.nodeId = nodeId;
  }
}

/** Another Miroir peer could not be reached, or its connection dropped before it answered. */
export class PeerUnavailableError extends MiroirError {
  override readonly name = 'PeerUnavailableError';
  readonly peerId: string;
  constructor(peerId: string, reason: string, options?: { cause?: unknown }) {
    super('MIROIR_ERR_PEER_UNAVAILABLE', `peer ${peerId} unavailable: ${reason}`, options);
    this.peerId = peerId;
  }
}

export class LogCompactedError extends MiroirError {
  override readonly name = 'LogCompactedError';
  constructor(index: number, options?: { cause?: unknown }) {
    super('MIROIR_ERR_LOG_COMPACTED', `log entry ${index} was compacted`, options);
  }
}

export class TimeoutError extends MiroirError {
  override readonly name = 'TimeoutError';
  constructor(what: string, timeoutMs: number, options?: { cause?: unknown }) {
    super('MIROIR_ERR_TIMEOUT', `${what} timed out after ${timeoutMs} ms`, options);
  }
}

export class OverloadedError extends MiroirError {
  override readonly name = 'OverloadedError';
  constructor(what: string, limit: number, options?: { cause?: unknown }) {
    super('MIROIR_ERR_OVERLOADED', `${what} is at its bound (${limit})`, options);
  }
}

export class ClosedError extends MiroirError {
  override readonly name = 'ClosedError';
  constructor(what: string, options?: { cause?: unknown }) {
    super('MIROIR_ERR_CLOSED', `${what} is closed`, options);
  }
}
