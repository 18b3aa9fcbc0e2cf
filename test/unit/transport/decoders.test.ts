// Goal: every peer frame kind survives encode → decode unchanged, and the
// decoders refuse what a broken or hostile peer could send (STYLE G15).
// Method: encode one sample per kind with the real codec and decode it; then
// feed malformed values and check each is refused with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Packr } from 'msgpackr';
import { decodeFrame, encodeFrame } from '../../../transport/peer/codec.ts';
import { decodePeerFrame } from '../../../transport/peer/decoders.ts';
import { raftFrame, type PeerFrame } from '../../../transport/peer/frames.ts';
import { OverloadedError } from '../../../runtime/errors.ts';
import type { RaftMessage } from '../../../runtime/raft/types.ts';

const env = { from: 'a', to: 'b', term: 7 };
const bytes = (n: number): Uint8Array => Buffer.alloc(n, 3);
const raft: RaftMessage[] = [
  { ...env, kind: 'raft.preVote', lastLogIndex: 4, lastLogTerm: 2 },
  { ...env, kind: 'raft.preVoteResponse', granted: true },
  { ...env, kind: 'raft.vote', lastLogIndex: 4, lastLogTerm: 2, transfer: false },
  { ...env, kind: 'raft.voteResponse', granted: false },
  {
    ...env, kind: 'raft.append', prevLogIndex: 3, prevLogTerm: 2, commit: 3,
    entries: [
      { index: 4, term: 7, payload: { kind: 'command', data: bytes(5) } },
      { index: 5, term: 7, payload: { kind: 'conf', change: { kind: 'addVoter', peer: 'd' } } },
    ],
  },
  { ...env, kind: 'raft.appendResponse', success: false, index: 4, rejectHint: { index: 3, term: 2 } },
  { ...env, kind: 'raft.appendResponse', success: true, index: 5, rejectHint: null },
  { ...env, kind: 'raft.heartbeat', commit: 5, context: 'r1' },
  { ...env, kind: 'raft.heartbeatResponse', context: null },
  { ...env, kind: 'raft.snapshot', snapshot: { meta: { index: 9, term: 6, confState: { voters: ['a', 'b'], learners: ['c'] } }, data: bytes(10) } },
  { ...env, kind: 'raft.timeoutNow' },
  { ...env, kind: 'raft.readIndex', requestId: 'q-1' },
  { ...env, kind: 'raft.readIndexResponse', requestId: 'q-1', index: 12 },
];
const others: PeerFrame[] = [
  { v: 1, kind: 'handshake.hello', from: 'a', to: 'b', nonce: bytes(32) },
  { v: 1, kind: 'handshake.challenge', from: 'b', nonce: bytes(32), proof: bytes(32) },
  { v: 1, kind: 'handshake.proof', proof: bytes(32) },
  { v: 1, kind: 'handshake.welcome' },
  { v: 1, kind: 'gossip.push', topic: 'health', body: bytes(4) },
  { v: 1, kind: 'peer.request', id: 3, method: 'raft.propose', body: bytes(2), timeoutMs: 100 },
  { v: 1, kind: 'peer.response', id: 3, ok: true, body: bytes(1) },
  { v: 1, kind: 'peer.response', id: 4, ok: false, error: { code: 'MIROIR_ERR_NOT_LEADER', message: 'no', leaderHint: 'c' } },
];

test('every frame kind round-trips through the codec unchanged', () => {
  const frames = [...raft.map(raftFrame), ...others];
  for (const frame of frames) {
    const decoded = decodeFrame(encodeFrame(frame, 1 << 20));
    assert.ok(decoded.ok, `${frame.kind} decodes`);
    assert.deepEqual(decoded.frame, frame, frame.kind);
  }
  const kinds = new Set(frames.map((f) => f.kind));
  assert.equal(kinds.size, 19, 'one sample per kind of the union');
});

test('an oversized frame is refused at the sender', () => {
  const frame = raftFrame({ ...env, kind: 'raft.snapshot', snapshot: { meta: { index: 1, term: 1, confState: { voters: [], learners: [] } }, data: bytes(2048) } });
  assert.throws(() => encodeFrame(frame, 1024), OverloadedError);
});

test('malformed frames are refused with a reason, never passed on', () => {
  const packr = new Packr({ useRecords: false });
  const append = { v: 1, kind: 'raft.append', ...env, prevLogIndex: 0, prevLogTerm: 0, commit: 0 };
  const cases: Array<[string, unknown]> = [
    ['not an object', 42],
    ['wrong version', { v: 2, kind: 'handshake.welcome' }],
    ['unknown kind', { v: 1, kind: 'raft.launchMissiles' }],
    ['missing field', { v: 1, kind: 'raft.voteResponse', ...env }],
    ['negative term', { v: 1, kind: 'raft.timeoutNow', from: 'a', to: 'b', term: -1 }],
    ['float index', { v: 1, kind: 'raft.readIndexResponse', ...env, requestId: 'x', index: 1.5 }],
    ['short nonce', { v: 1, kind: 'handshake.hello', from: 'a', to: 'b', nonce: bytes(8) }],
    ['string as bytes', { v: 1, kind: 'gossip.push', topic: 't', body: 'abc' }],
    ['unknown payload', { ...append, entries: [{ index: 1, term: 1, payload: { kind: 'exec', data: bytes(1) } }] }],
    ['gap in entries', { ...append, entries: [1, 3].map((index) => ({ index, term: 1, payload: { kind: 'command', data: bytes(1) } })) }],
    ['bad conf change', { ...append, entries: [{ index: 1, term: 1, payload: { kind: 'conf', change: { kind: 'addKing', peer: 'x' } } }] }],
    ['zero timeout', { v: 1, kind: 'peer.request', id: 1, method: 'm', body: bytes(1), timeoutMs: 0 }],
  ];
  for (const [name, value] of cases) {
    const result = decodePeerFrame(value);
    assert.equal(result.ok, false, name);
    assert.ok(!result.ok && result.reason.length > 0, name);
    assert.equal(decodeFrame(packr.pack(value)).ok, false, `${name} (through msgpack)`);
  }
  assert.equal(decodeFrame(Uint8Array.of(0xc1)).ok, false, 'bytes that are not msgpack');
});
