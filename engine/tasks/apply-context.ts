// What a task needs while it runs: the state it reads, the transaction it
// stages its writes into, the factories of in-memory structures, and the
// time the batch started. Apply functions return the task's final details or
// throw a MeiliError, which fails that task only.
import type { FilterErrorCode, FilterExpr } from '../core/contracts.ts';
import { defaultSettings } from '../../api/protocol/settings/settings.ts';
import { MeiliError } from '../../api/errors/registry.ts';
import type { IndexMeta } from '../store/db.ts';
import type { EngineState, IndexFactory, LiveIndex } from '../store/state.ts';
import type { Transaction } from '../store/transaction.ts';

/** Parses a Meilisearch filter (string or array form); null for an empty filter. */
export type FilterParser = (filter: unknown, code: FilterErrorCode) => FilterExpr | null;

export interface EngineDeps {
  createIndex: IndexFactory;
  parseFilter: FilterParser;
}

export interface ApplyContext {
  state: EngineState;
  txn: Transaction;
  deps: EngineDeps;
  nowMs: number;
}

export function indexNotFound(uid: string): MeiliError {
  return new MeiliError('index_not_found', `Index \`${uid}\` not found.`);
}

export function requireLive(ctx: ApplyContext, uid: string): LiveIndex {
  const live = ctx.state.indexes.get(uid);
  if (!live) throw indexNotFound(uid);
  return live;
}

/** Stages the creation of an index and returns its live form (registered after commit). */
export function stageIndexCreation(ctx: ApplyContext, uid: string, primaryKey: string | null): LiveIndex {
  const meta: IndexMeta = {
    uid,
    id: ctx.state.counters.nextIndexId++,
    primaryKey,
    createdAtMs: ctx.nowMs,
    updatedAtMs: ctx.nowMs,
    nextSeq: 0,
  };
  const settings = defaultSettings();
  ctx.txn.putMeta(meta);
  ctx.txn.putSettings(meta.id, settings);
  const live: LiveIndex = { meta, settings, index: ctx.deps.createIndex(settings), seqOf: new Map() };
  ctx.txn.effect(() => ctx.state.indexes.set(uid, live));
  return live;
}
