// The LogStore contract as runnable checks, so every implementation (the
// simulator's MemoryLogStore here, the LevelDB store wherever its tests live)
// can be held to the same behaviour: saves replace the log from their first
// entry on, a snapshot drops what it covers — or everything when it does not
// match the stored entry at its index — and what a synced save wrote is
// there after reopening.
import assert from 'node:assert/strict';
import type { ConfState, Entry, LogStore, Snapshot } from '../../runtime/raft/types.ts';

export interface StoreUnderTest {
  open(bootstrap: ConfState): Promise<LogStore>;
  /** Closes and opens the same store again (a restart). */
  reopen(store: LogStore): Promise<LogStore>;
}

const bootstrap: ConfState = { voters: ['1', '2', '3'], learners: [] };

function e(index: number, term: number): Entry {
  return { index, term, payload: { kind: 'command', data: new Uint8Array([index % 256]) } };
}

function snap(index: number, term: number): Snapshot {
  return { meta: { index, term, confState: bootstrap }, data: new Uint8Array([1, 2, 3]) };
}

const indexes = (entries: Entry[]): string => entries.map((x) => `${x.term}/${x.index}`).join(' ');

export const logStoreContract: Record<string, (s: StoreUnderTest) => Promise<void>> = {
  async 'a fresh store loads the bootstrap membership and nothing else'(s) {
    const store = await s.open(bootstrap);
    const state = await store.load();
    assert.deepEqual(state.hardState, { term: 0, vote: null, commit: 0 });
    assert.equal(state.snapshot, null);
    assert.deepEqual(state.entries, []);
    assert.deepEqual(state.confState, bootstrap);
    await store.close();
  },

  async 'entries replace the log from their first index; hard state comes back'(s) {
    let store = await s.open(bootstrap);
    await store.save({ hardState: { term: 1, vote: '1', commit: 0 }, entries: [e(1, 1), e(2, 1), e(3, 1)], snapshot: null, sync: true });
    await store.save({ hardState: { term: 2, vote: '2', commit: 1 }, entries: [e(2, 2)], snapshot: null, sync: true });
    store = await s.reopen(store);
    const state = await store.load();
    assert.equal(indexes(state.entries), '1/1 2/2');
    assert.deepEqual(state.hardState, { term: 2, vote: '2', commit: 1 });
    await store.close();
  },

  async 'a matching snapshot drops only the entries it covers; compact() at the snapshot keeps the rest'(s) {
    let store = await s.open(bootstrap);
    await store.save({ hardState: { term: 1, vote: '1', commit: 4 }, entries: [e(1, 1), e(2, 1), e(3, 1), e(4, 1)], snapshot: null, sync: true });
    await store.save({ hardState: null, entries: [], snapshot: snap(2, 1), sync: true });
    store = await s.reopen(store);
    let state = await store.load();
    assert.equal(state.snapshot?.meta.index, 2);
    assert.equal(indexes(state.entries), '1/3 1/4');
    // compact() only ever drops what a snapshot already covers.
    await store.compact(2);
    store = await s.reopen(store);
    state = await store.load();
    assert.equal(indexes(state.entries), '1/3 1/4');
    await store.close();
  },

  async 'a snapshot that does not match the stored entry at its index replaces the whole log'(s) {
    let store = await s.open(bootstrap);
    await store.save({ hardState: { term: 1, vote: '1', commit: 1 }, entries: [e(1, 1), e(2, 1), e(3, 1), e(4, 1)], snapshot: null, sync: true });
    await store.save({ hardState: { term: 3, vote: null, commit: 3 }, entries: [], snapshot: snap(3, 2), sync: true });
    store = await s.reopen(store);
    const state = await store.load();
    assert.equal(state.snapshot?.meta.index, 3);
    assert.deepEqual(state.entries, [], 'entry 4 came after a divergent entry 3');
    await store.close();
  },
};
