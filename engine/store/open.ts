// Opens an engine on a data directory: LevelDB, the state replayed from it,
// the task queue (resuming what a previous run left enqueued) and the
// context the HTTP routes receive.
import type { Clock } from '../../runtime/env/clock.ts';
import type { EngineContext } from '../http/context.ts';
import type { EngineDeps } from '../tasks/apply-context.ts';
import { EngineTaskQueue } from '../tasks/queue.ts';
import { openDb, type Db } from './db.ts';
import { createRegistry } from './registry.ts';
import { loadState, type EngineState } from './state.ts';

export interface OpenEngineOptions {
  dbPath: string;
  masterKey: string | null;
  payloadLimitBytes: number;
  deps: EngineDeps;
  clock: Clock;
}

export interface Engine {
  ctx: EngineContext;
  queue: EngineTaskQueue;
  state: EngineState;
  db: Db;
  close(): Promise<void>;
}

export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const db = await openDb(options.dbPath);
  let state: EngineState;
  try {
    state = await loadState(db, options.deps.createIndex);
  } catch (error) {
    await db.root.close();
    throw error;
  }
  const queue = new EngineTaskQueue(db, state, options.deps, options.clock);
  const ctx: EngineContext = {
    indexes: createRegistry(state),
    tasks: queue,
    db: db.root,
    masterKey: options.masterKey,
    payloadLimitBytes: options.payloadLimitBytes,
    clock: options.clock,
  };
  queue.start();
  return {
    ctx, queue, state, db,
    async close() {
      await queue.close();
      await db.root.close();
    },
  };
}
