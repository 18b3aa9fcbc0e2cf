// The simulator's LogStore (STYLE G6): the same contract as the LevelDB
// store, in memory, with a crash model. A synced save is durable at once. An
// unsynced save is only in the "page cache": a crash keeps a prefix of the
// unsynced saves made since the last sync and tears off the rest, as a
// machine crash may do to a write-ahead log that was not fsynced. The
// simulator calls the synchronous twins (saveSync, loadSync, compactSync)
// because its whole run is one synchronous loop; the async methods wrap them.
import { assert } from '../../runtime/assert.ts';
import type { Rng } from '../../runtime/env/clock.ts';
import type { ConfState, Entry, HardState, LogStore, PersistedState, Snapshot } from '../../runtime/raft/types.ts';

export interface SaveUpdate {
  hardState: HardState | null;
  entries: Entry[];
  snapshot: Snapshot | null;
  sync: boolean;
}

interface StoredState {
  hardState: HardState;
  snapshot: Snapshot | null;
  entries: Entry[];
}

function applyUpdate(state: StoredState, update: SaveUpdate): StoredState {
  let { snapshot, entries } = state;
  if (update.snapshot !== null) {
    const { index, term } = update.snapshot.meta;
    const at = entries.find((e) => e.index === index);
    entries = at !== undefined && at.term === term ? entries.filter((e) => e.index > index) : [];
    snapshot = update.snapshot;
  }
  const first = update.entries[0];
  if (first !== undefined) {
    const offset = (snapshot?.meta.index ?? 0) + 1;
    assert(first.index >= offset, 'saving entries covered by the snapshot');
    assert(first.index <= offset + entries.length, 'saving entries leaves a gap');
    entries = [...entries.slice(0, first.index - offset), ...update.entries];
  }
  return { hardState: update.hardState ?? state.hardState, snapshot, entries };
}

export class MemoryLogStore implements LogStore {
  private durable: StoredState;
  private unsynced: SaveUpdate[] = [];
  saves = 0;
  syncs = 0;

  constructor(private readonly bootstrap: ConfState) {
    this.durable = { hardState: { term: 0, vote: null, commit: 0 }, snapshot: null, entries: [] };
  }

  saveSync(update: SaveUpdate): void {
    this.saves++;
    if (!update.sync) {
      this.unsynced.push(update);
      return;
    }
    this.syncs++;
    // An fsync makes everything written before it durable too.
    this.durable = [...this.unsynced, update].reduce(applyUpdate, this.durable);
    this.unsynced = [];
  }

  compactSync(index: number): void {
    this.flushAll();
    const entries = this.durable.entries.filter((e) => e.index > index);
    this.durable = { ...this.durable, entries };
  }

  loadSync(): PersistedState {
    const view = this.unsynced.reduce(applyUpdate, this.durable);
    return {
      hardState: { ...view.hardState },
      snapshot: view.snapshot,
      entries: [...view.entries],
      confState: { voters: [...this.bootstrap.voters], learners: [...this.bootstrap.learners] },
    };
  }

  /** A machine crash: keeps a random prefix of the unsynced saves. */
  crash(rng: Rng): void {
    const kept = rng.int(this.unsynced.length + 1);
    this.durable = this.unsynced.slice(0, kept).reduce(applyUpdate, this.durable);
    this.unsynced = [];
  }

  private flushAll(): void {
    this.durable = this.unsynced.reduce(applyUpdate, this.durable);
    this.unsynced = [];
  }

  async load(): Promise<PersistedState> {
    return this.loadSync();
  }

  async save(update: SaveUpdate): Promise<void> {
    this.saveSync(update);
  }

  async compact(index: number): Promise<void> {
    this.compactSync(index);
  }

  async close(): Promise<void> {
    this.flushAll();
  }
}
