// Goal: the simulator's in-memory store honours the LogStore contract, and
// its crash model loses only unsynced writes made after the last sync.
// Method: the shared contract checks (log-store-contract.ts), then saves
// with and without sync around simulated crashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRng } from '../../runtime/env/rng.ts';
import type { LogStore } from '../../runtime/raft/types.ts';
import { logStoreContract } from './log-store-contract.ts';
import { MemoryLogStore } from './memory-log-store.ts';

for (const [name, check] of Object.entries(logStoreContract)) {
  test(`LogStore contract (memory): ${name}`, () =>
    check({ open: async (bootstrap) => new MemoryLogStore(bootstrap), reopen: async (store: LogStore) => store }));
}

test('a crash keeps synced saves and a prefix of the unsynced ones after them; a sync flushes earlier unsynced saves', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const store = new MemoryLogStore({ voters: ['1'], learners: [] });
    const entry = { index: 1, term: 1, payload: { kind: 'command' as const, data: new Uint8Array() } };
    store.saveSync({ hardState: { term: 1, vote: '1', commit: 0 }, entries: [entry], snapshot: null, sync: true });
    store.saveSync({ hardState: { term: 1, vote: '1', commit: 1 }, entries: [], snapshot: null, sync: false });
    store.crash(seededRng(seed));
    const state = store.loadSync();
    assert.equal(state.entries.length, 1, 'the synced entry survives');
    assert.ok(state.hardState.commit === 0 || state.hardState.commit === 1);
    store.saveSync({ hardState: { term: 1, vote: '1', commit: 1 }, entries: [], snapshot: null, sync: false });
    store.saveSync({ hardState: { term: 2, vote: null, commit: 1 }, entries: [], snapshot: null, sync: true });
    store.crash(seededRng(seed));
    assert.deepEqual(store.loadSync().hardState, { term: 2, vote: null, commit: 1 });
  }
});
