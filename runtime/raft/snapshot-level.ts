// The snapshot store: the latest Raft snapshot (meta and the serialized state
// machine) lives under one key of the peer's LevelDB database, next to the
// log. Keeping it in the same database, rather than in a file renamed into
// place, lets LevelLogStore install a snapshot and drop the entries it covers
// in one atomic batch, so no crash can leave a snapshot without its log cut
// or a log cut without its snapshot. Only the latest snapshot is kept.
//
// Invariant: what encodeSnapshot wrote, decodeSnapshot reads back unchanged
// (asserted field by field: a mismatch is corruption, not user input).
import { Packr } from 'msgpackr';
import { assert } from '../assert.ts';
import type { ConfState, Snapshot } from './types.ts';

export const SNAPSHOT_KEY = Buffer.of(0x73); // 's'

const packr = new Packr({ useRecords: false, moreTypes: false });

export function encodeSnapshot(snapshot: Snapshot): Buffer {
  assert(Number.isSafeInteger(snapshot.meta.index) && snapshot.meta.index > 0, 'snapshot index must be positive');
  assert(snapshot.data instanceof Uint8Array, 'snapshot data must be bytes');
  return packr.pack(snapshot);
}

export function decodeSnapshot(raw: Uint8Array): Snapshot {
  const v = packr.unpack(raw) as Snapshot;
  assert(typeof v === 'object' && v !== null, 'stored snapshot is not an object');
  assert(typeof v.meta === 'object' && v.meta !== null, 'stored snapshot meta is missing');
  assert(Number.isSafeInteger(v.meta.index) && v.meta.index > 0, 'stored snapshot index is invalid');
  assert(Number.isSafeInteger(v.meta.term) && v.meta.term >= 0, 'stored snapshot term is invalid');
  assert(v.data instanceof Uint8Array, 'stored snapshot data is not bytes');
  return {
    meta: { index: v.meta.index, term: v.meta.term, confState: decodeConfState(v.meta.confState) },
    data: v.data,
  };
}

export function decodeConfState(value: unknown): ConfState {
  const v = value as ConfState;
  assert(typeof v === 'object' && v !== null, 'stored conf state is not an object');
  assert(Array.isArray(v.voters) && v.voters.every((p) => typeof p === 'string'), 'stored voters are invalid');
  assert(Array.isArray(v.learners) && v.learners.every((p) => typeof p === 'string'), 'stored learners are invalid');
  return { voters: [...v.voters], learners: [...v.learners] };
}
