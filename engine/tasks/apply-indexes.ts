// Index tasks: creation, update (primary key, rename), deletion, swap, and
// settings updates. Each stages its LevelDB writes and in-memory effects in
// the batch's transaction and returns the task's final details.
import { MeiliError } from '../../api/errors/registry.ts';
import { defaultSettings } from '../../api/protocol/settings/settings.ts';
import { applySettingsPatch } from '../../api/protocol/settings/apply.ts';
import type { LiveIndex } from '../store/state.ts';
import { indexNotFound, requireLive, stageIndexCreation, type ApplyContext } from './apply-context.ts';
import type { IndexSwap, SettingsPatch } from './types.ts';

function alreadyExists(uid: string): MeiliError {
  return new MeiliError('index_already_exists', `Index \`${uid}\` already exists.`);
}

export function applyIndexCreation(ctx: ApplyContext, uid: string, primaryKey: string | null): Record<string, unknown> {
  if (ctx.state.indexes.has(uid)) throw alreadyExists(uid);
  stageIndexCreation(ctx, uid, primaryKey);
  return { primaryKey };
}

export function applyIndexUpdate(ctx: ApplyContext, uid: string, primaryKey: string | null, newUid: string | null): Record<string, unknown> {
  const live = requireLive(ctx, uid);
  const meta = { ...live.meta, updatedAtMs: ctx.nowMs };
  if (primaryKey !== null && primaryKey !== meta.primaryKey) {
    if (meta.primaryKey !== null && live.seqOf.size > 0) {
      throw new MeiliError('index_primary_key_already_exists', `Index already has a primary key: \`${meta.primaryKey}\`.`);
    }
    meta.primaryKey = primaryKey;
  }
  if (newUid !== null && newUid !== uid) {
    if (ctx.state.indexes.has(newUid)) throw alreadyExists(newUid);
    meta.uid = newUid;
    ctx.txn.delMeta(uid);
  }
  ctx.txn.putMeta(meta);
  ctx.txn.effect(() => {
    live.meta = meta;
    if (meta.uid !== uid) {
      ctx.state.indexes.delete(uid);
      ctx.state.indexes.set(meta.uid, live);
    }
  });
  return newUid === null ? { primaryKey } : { primaryKey, oldIndexUid: uid, newIndexUid: newUid };
}

export function applyIndexDeletion(ctx: ApplyContext, uid: string): Record<string, unknown> {
  const live = requireLive(ctx, uid);
  for (const seq of live.seqOf.values()) ctx.txn.delDoc(live.meta.id, seq);
  ctx.txn.delMeta(uid);
  ctx.txn.delSettings(live.meta.id);
  ctx.txn.effect(() => ctx.state.indexes.delete(uid));
  return { deletedDocuments: live.seqOf.size };
}

function checkSwaps(ctx: ApplyContext, swaps: IndexSwap[]): void {
  const missing: string[] = [];
  for (const { indexes: [a, b], rename } of swaps) {
    if (!ctx.state.indexes.has(a) && !missing.includes(a)) missing.push(a);
    if (rename) {
      if (ctx.state.indexes.has(b)) throw alreadyExists(b);
    } else if (!ctx.state.indexes.has(b) && !missing.includes(b)) {
      missing.push(b);
    }
  }
  if (missing.length === 1) throw indexNotFound(missing[0] as string);
  if (missing.length > 1) {
    throw new MeiliError('index_not_found', `Indexes ${missing.map((m) => `\`${m}\``).join(', ')} not found.`);
  }
}

/** Swaps (or renames) indexes and rewrites the index uid of the tasks before it, as Meilisearch does. */
export function applyIndexSwap(ctx: ApplyContext, swapTaskUid: number, swaps: IndexSwap[]): Record<string, unknown> {
  checkSwaps(ctx, swaps);
  const next = new Map<string, LiveIndex>(ctx.state.indexes);
  const renames = new Map<string, string>();
  for (const { indexes: [a, b], rename } of swaps) {
    const la = next.get(a) as LiveIndex;
    const lb = next.get(b);
    next.delete(a);
    next.delete(b);
    next.set(b, la);
    renames.set(a, b);
    if (!rename && lb) {
      next.set(a, lb);
      renames.set(b, a);
    }
  }
  for (const [from, to] of renames) {
    const live = next.get(to) as LiveIndex;
    const meta = { ...live.meta, uid: to, updatedAtMs: ctx.nowMs };
    if (!next.has(from)) ctx.txn.delMeta(from);
    ctx.txn.putMeta(meta);
    ctx.txn.effect(() => { live.meta = meta; });
  }
  for (const task of ctx.state.tasks.values()) {
    if (task.uid >= swapTaskUid) continue;
    const to = task.indexUid === null ? undefined : renames.get(task.indexUid);
    if (to === undefined) continue;
    const moved = { ...task, indexUid: to };
    ctx.txn.putTask(moved);
    ctx.txn.effect(() => ctx.state.tasks.set(moved.uid, moved));
  }
  ctx.txn.effect(() => {
    ctx.state.indexes.clear();
    for (const [uid, live] of next) ctx.state.indexes.set(uid, live);
  });
  return { swaps };
}

export function applySettingsUpdate(ctx: ApplyContext, uid: string, patch: SettingsPatch, isDeletion: boolean, allowIndexCreation: boolean): Record<string, unknown> {
  const existing = ctx.state.indexes.get(uid);
  // A reset never creates the index (Meilisearch's autobatcher: creation only when not a deletion),
  // nor does a key without `indexes.create`.
  if (!existing && (isDeletion || !allowIndexCreation)) throw indexNotFound(uid);
  const settings = applySettingsPatch(existing?.settings ?? defaultSettings(), patch);
  const live = existing ?? stageIndexCreation(ctx, uid, null);
  const meta = { ...live.meta, updatedAtMs: ctx.nowMs };
  ctx.txn.putSettings(meta.id, settings);
  ctx.txn.putMeta(meta);
  ctx.txn.effect(() => {
    live.meta = meta;
    live.settings = settings;
    live.index.setSettings(settings);
  });
  return { ...patch };
}
