// Decoders for peer frames: one per kind, each checking every field of a
// msgpack-decoded value before anything else sees it (STYLE G15). The bytes
// come from another process, so a bad frame is input to refuse, not an
// invariant to assert: decodePeerFrame returns a result, and the connection
// that received the frame closes with a protocol error.
import type { ConfChange, Entry, EntryPayload, Snapshot } from '../../runtime/raft/types.ts';
import { unreachable } from '../../runtime/assert.ts';
import { PEER_PROTOCOL_VERSION, type PeerFrame, type PeerFrameKind, type WireError } from './frames.ts';

export type DecodeResult = { ok: true; frame: PeerFrame } | { ok: false; reason: string };

/** Thrown inside this module only; decodePeerFrame turns it into a result. */
class Invalid extends Error {}

type Fields = Record<string, unknown>;

function object(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new Invalid(`${what} is not an object`);
  }
  return value as Fields;
}

function int(f: Fields, key: string, min = 0): number {
  const v = f[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new Invalid(`${key} is not an integer >= ${min}`);
  return v;
}

function str(f: Fields, key: string, maxLength = 256): string {
  const v = f[key];
  if (typeof v !== 'string' || v.length > maxLength) throw new Invalid(`${key} is not a string of at most ${maxLength} characters`);
  return v;
}

function nullableStr(f: Fields, key: string): string | null {
  return f[key] === null ? null : str(f, key);
}

function bool(f: Fields, key: string): boolean {
  const v = f[key];
  if (typeof v !== 'boolean') throw new Invalid(`${key} is not a boolean`);
  return v;
}

function bytes(f: Fields, key: string, exactLength?: number): Uint8Array {
  const v = f[key];
  if (!(v instanceof Uint8Array)) throw new Invalid(`${key} is not bytes`);
  if (exactLength !== undefined && v.byteLength !== exactLength) throw new Invalid(`${key} is not ${exactLength} bytes`);
  return v;
}

function strings(value: unknown, what: string): string[] {
  if (!Array.isArray(value) || !value.every((p) => typeof p === 'string')) throw new Invalid(`${what} is not a list of strings`);
  return value as string[];
}

export const NONCE_BYTES = 32;
export const PROOF_BYTES = 32;

function confChange(value: unknown): ConfChange {
  const f = object(value, 'conf change');
  const kind = f['kind'];
  if (kind !== 'addVoter' && kind !== 'addLearner' && kind !== 'removePeer') throw new Invalid('conf change kind is unknown');
  return { kind, peer: str(f, 'peer') };
}

function payload(value: unknown): EntryPayload {
  const f = object(value, 'entry payload');
  if (f['kind'] === 'command') return { kind: 'command', data: bytes(f, 'data') };
  if (f['kind'] === 'conf') return { kind: 'conf', change: confChange(f['change']) };
  throw new Invalid('entry payload kind is unknown');
}

function entry(value: unknown): Entry {
  const f = object(value, 'entry');
  return { index: int(f, 'index', 1), term: int(f, 'term'), payload: payload(f['payload']) };
}

function entries(value: unknown): Entry[] {
  if (!Array.isArray(value)) throw new Invalid('entries is not a list');
  const out = value.map(entry);
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.index !== out[i - 1]!.index + 1) throw new Invalid('entries are not contiguous');
  }
  return out;
}

function snapshot(value: unknown): Snapshot {
  const f = object(value, 'snapshot');
  const meta = object(f['meta'], 'snapshot meta');
  const conf = object(meta['confState'], 'snapshot conf state');
  return {
    meta: {
      index: int(meta, 'index', 1),
      term: int(meta, 'term'),
      confState: { voters: strings(conf['voters'], 'voters'), learners: strings(conf['learners'], 'learners') },
    },
    data: bytes(f, 'data'),
  };
}

function rejectHint(value: unknown): { index: number; term: number } | null {
  if (value === null) return null;
  const f = object(value, 'reject hint');
  return { index: int(f, 'index'), term: int(f, 'term') };
}

function wireError(value: unknown): WireError {
  const f = object(value, 'error');
  return { code: str(f, 'code', 64), message: str(f, 'message', 4096), leaderHint: nullableStr(f, 'leaderHint') };
}

const v: typeof PEER_PROTOCOL_VERSION = PEER_PROTOCOL_VERSION;

/** Builds the typed frame of `kind` from checked fields; one case per kind. */
function decodeKind(kind: PeerFrameKind, f: Fields): PeerFrame {
  const env = (): { from: string; to: string; term: number } => ({ from: str(f, 'from'), to: str(f, 'to'), term: int(f, 'term') });
  switch (kind) {
    case 'handshake.hello':
      return { v, kind, from: str(f, 'from'), to: str(f, 'to'), nonce: bytes(f, 'nonce', NONCE_BYTES) };
    case 'handshake.challenge':
      return { v, kind, from: str(f, 'from'), nonce: bytes(f, 'nonce', NONCE_BYTES), proof: bytes(f, 'proof', PROOF_BYTES) };
    case 'handshake.proof':
      return { v, kind, proof: bytes(f, 'proof', PROOF_BYTES) };
    case 'handshake.welcome':
      return { v, kind };
    case 'raft.preVote':
    case 'raft.vote': {
      const base = { v, ...env(), lastLogIndex: int(f, 'lastLogIndex'), lastLogTerm: int(f, 'lastLogTerm') };
      return kind === 'raft.vote' ? { ...base, kind, transfer: bool(f, 'transfer') } : { ...base, kind };
    }
    case 'raft.preVoteResponse':
    case 'raft.voteResponse':
      return { v, kind, ...env(), granted: bool(f, 'granted') };
    case 'raft.append':
      return {
        v, kind, ...env(),
        prevLogIndex: int(f, 'prevLogIndex'), prevLogTerm: int(f, 'prevLogTerm'),
        entries: entries(f['entries']), commit: int(f, 'commit'),
      };
    case 'raft.appendResponse':
      return { v, kind, ...env(), success: bool(f, 'success'), index: int(f, 'index'), rejectHint: rejectHint(f['rejectHint']) };
    case 'raft.heartbeat':
      return { v, kind, ...env(), commit: int(f, 'commit'), context: nullableStr(f, 'context') };
    case 'raft.heartbeatResponse':
      return { v, kind, ...env(), context: nullableStr(f, 'context') };
    case 'raft.snapshot':
      return { v, kind, ...env(), snapshot: snapshot(f['snapshot']) };
    case 'raft.timeoutNow':
      return { v, kind, ...env() };
    case 'raft.readIndex':
      return { v, kind, ...env(), requestId: str(f, 'requestId') };
    case 'raft.readIndexResponse':
      return { v, kind, ...env(), requestId: str(f, 'requestId'), index: int(f, 'index') };
    case 'gossip.push':
      return { v, kind, topic: str(f, 'topic', 64), body: bytes(f, 'body') };
    case 'peer.request':
      return { v, kind, id: int(f, 'id'), method: str(f, 'method', 128), body: bytes(f, 'body'), timeoutMs: int(f, 'timeoutMs', 1) };
    case 'peer.response':
      return bool(f, 'ok')
        ? { v, kind, id: int(f, 'id'), ok: true, body: bytes(f, 'body') }
        : { v, kind, id: int(f, 'id'), ok: false, error: wireError(f['error']) };
    default:
      return unreachable(kind, 'frame kind');
  }
}

const KINDS: ReadonlySet<string> = new Set<PeerFrameKind>([
  'handshake.hello', 'handshake.challenge', 'handshake.proof', 'handshake.welcome',
  'raft.preVote', 'raft.preVoteResponse', 'raft.vote', 'raft.voteResponse', 'raft.append', 'raft.appendResponse',
  'raft.heartbeat', 'raft.heartbeatResponse', 'raft.snapshot', 'raft.timeoutNow', 'raft.readIndex', 'raft.readIndexResponse',
  'gossip.push', 'peer.request', 'peer.response',
]);

function isKind(kind: unknown): kind is PeerFrameKind {
  return typeof kind === 'string' && KINDS.has(kind);
}

/** Validates one msgpack-decoded value as a peer frame of this protocol version. */
export function decodePeerFrame(value: unknown): DecodeResult {
  try {
    const f = object(value, 'frame');
    if (f['v'] !== PEER_PROTOCOL_VERSION) return { ok: false, reason: `unsupported protocol version ${String(f['v'])}` };
    const kind = f['kind'];
    if (!isKind(kind)) return { ok: false, reason: `unknown frame kind ${String(kind).slice(0, 40)}` };
    return { ok: true, frame: decodeKind(kind, f) };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.message };
    throw error;
  }
}
