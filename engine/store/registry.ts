// The read side of the index registry handed to routes (http/context.ts):
// snapshots of index metadata over the live in-memory indexes.
import { MeiliError } from '../../api/errors/registry.ts';
import type { IndexEntry, IndexRegistry } from '../http/context.ts';
import type { EngineState, LiveIndex } from './state.ts';

function entryOf(live: LiveIndex): IndexEntry {
  return {
    uid: live.meta.uid,
    primaryKey: live.meta.primaryKey,
    createdAt: new Date(live.meta.createdAtMs),
    updatedAt: new Date(live.meta.updatedAtMs),
    settings: live.settings,
    index: live.index,
  };
}

/** Byte-order comparison, as LMDB sorts index names. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function createRegistry(state: EngineState): IndexRegistry {
  return {
    get(uid) {
      const live = state.indexes.get(uid);
      return live ? entryOf(live) : undefined;
    },
    require(uid) {
      const live = state.indexes.get(uid);
      if (!live) throw new MeiliError('index_not_found', `Index \`${uid}\` not found.`);
      return entryOf(live);
    },
    list() {
      return [...state.indexes.values()].map(entryOf).sort((a, b) => byteOrder(a.uid, b.uid));
    },
  };
}
