// The engine's state in memory, rebuilt from LevelDB on open: every index
// (metadata, settings, the live SearchIndex and the primary-key → sequence
// map that keeps internal-id order), every task and batch, and the counters.
// On open, documents are replayed into a fresh SearchIndex per index in
// sequence order, so internal ids come out as they were before the restart.
// Tasks left `processing` by a crash are put back to `enqueued`: nothing of
// them reached the disk (see transaction.ts), so running them again is exact.
import type { SearchIndex } from '../core/contracts.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import type { BatchRecord, TaskRecord } from '../tasks/types.ts';
import { pad, type Counters, type Db, type IndexMeta } from './db.ts';

/** Builds an empty in-memory index for a settings object. */
export type IndexFactory = (settings: Settings) => SearchIndex;

export interface LiveIndex {
  meta: IndexMeta;
  settings: Settings;
  index: SearchIndex;
  /** Primary-key value → document sequence number. */
  seqOf: Map<string, number>;
}

export interface EngineState {
  readonly indexes: Map<string, LiveIndex>;
  readonly tasks: Map<number, TaskRecord>;
  readonly batches: Map<number, BatchRecord>;
  counters: Counters;
  /** epoch ms of the last finished task, for GET /stats `lastUpdate`. */
  lastUpdateMs: number | null;
}

async function loadIndex(db: Db, meta: IndexMeta, createIndex: IndexFactory): Promise<LiveIndex> {
  const settings = await db.settings.get(pad(meta.id));
  if (settings === undefined) throw new Error(`index ${meta.uid}: settings missing on disk`);
  const index = createIndex(settings);
  const seqOf = new Map<string, number>();
  const prefix = `${pad(meta.id)}!`;
  for await (const [key, record] of db.docs.iterator({ gte: prefix, lt: `${pad(meta.id)}"` })) {
    const seq = Number(key.slice(prefix.length));
    index.put(record.pk, record.doc);
    seqOf.set(record.pk, seq);
  }
  return { meta, settings, index, seqOf };
}

export async function loadState(db: Db, createIndex: IndexFactory): Promise<EngineState> {
  const indexes = new Map<string, LiveIndex>();
  for await (const meta of db.meta.values()) {
    indexes.set(meta.uid, await loadIndex(db, meta, createIndex));
  }
  const tasks = new Map<number, TaskRecord>();
  let lastUpdateMs: number | null = null;
  for await (const task of db.tasks.values()) {
    if (task.status === 'processing') {
      task.status = 'enqueued';
      task.startedAtMs = null;
      task.batchUid = null;
    }
    if (task.finishedAtMs !== null && (lastUpdateMs === null || task.finishedAtMs > lastUpdateMs)) lastUpdateMs = task.finishedAtMs;
    tasks.set(task.uid, task);
  }
  const batches = new Map<number, BatchRecord>();
  for await (const batch of db.batches.values()) batches.set(batch.uid, batch);
  const counter = async (name: keyof Counters) => (await db.counters.get(name)) ?? 0;
  const counters: Counters = {
    nextTaskUid: await counter('nextTaskUid'),
    nextBatchUid: await counter('nextBatchUid'),
    nextIndexId: await counter('nextIndexId'),
  };
  return { indexes, tasks, batches, counters, lastUpdateMs };
}
