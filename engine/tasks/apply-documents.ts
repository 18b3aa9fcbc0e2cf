// Document tasks: additions (replace or shallow-merge update, auto-batched per
// index), deletions by ids, by filter and clear-all. Every document of a task
// is validated (primary key, ids) before anything of it is staged, so a bad
// document fails its whole task with nothing applied (API.md §8).
import { MeiliError } from '../../api/errors/registry.ts';
import type { Document } from '../core/contracts.ts';
import { documentId, inferPrimaryKey } from '../../api/protocol/documents/primary-key.ts';
import type { LiveIndex } from '../store/state.ts';
import { indexNotFound, requireLive, stageIndexCreation, type ApplyContext } from './apply-context.ts';
import type { TaskOp } from './types.ts';

type AdditionOp = Extract<TaskOp, { op: 'documentAddition' }>;

export interface AdditionItem {
  op: AdditionOp;
  documents: Document[];
}

export type ItemResult = { ok: true; details: Record<string, unknown> } | { ok: false; error: MeiliError };

/** Stages a run of additions to one index; each item succeeds or fails on its own. */
export function applyAdditions(ctx: ApplyContext, indexUid: string, items: AdditionItem[]): ItemResult[] {
  let live: LiveIndex | undefined = ctx.state.indexes.get(indexUid);
  const meta = live ? { ...live.meta } : null;
  let primaryKey = meta?.primaryKey ?? null;
  const staged = new Map<string, { seq: number; doc: Document }>();
  const results: ItemResult[] = [];
  for (const { op, documents } of items) {
    try {
      // Meilisearch's allow_index_creation: a key without `indexes.create` only writes to existing indexes.
      if (!live && !op.allowIndexCreation) throw indexNotFound(indexUid);
      let pk = primaryKey;
      if (op.primaryKey !== null) {
        if (pk !== null && pk !== op.primaryKey) {
          throw new MeiliError('index_primary_key_already_exists', `Index already has a primary key: \`${pk}\`.`);
        }
        pk = op.primaryKey;
      } else if (pk === null) {
        pk = inferPrimaryKey(documents[0]);
      }
      const key = pk;
      const ids = documents.map((doc) => documentId(doc, key));
      // Validated: from here on nothing fails.
      if (!live) live = stageIndexCreation(ctx, indexUid, null);
      primaryKey = pk;
      let indexed = 0;
      ids.forEach((id, i) => {
        const doc = documents[i] as Document;
        const before = staged.get(id);
        // A plain replacement never needs the old document, only its sequence.
        const needsOld = op.skipCreation || op.method === 'update';
        const existing = before?.doc ?? (needsOld ? live?.index.get(id) : undefined);
        if (op.skipCreation && existing === undefined) return;
        const seq = before?.seq ?? live?.seqOf.get(id) ?? nextSeq(live as LiveIndex, meta);
        const merged = op.method === 'update' && existing !== undefined ? { ...existing, ...doc } : doc;
        staged.set(id, { seq, doc: merged });
        indexed++;
      });
      results.push({ ok: true, details: { receivedDocuments: op.received, indexedDocuments: indexed } });
    } catch (error) {
      if (!(error instanceof MeiliError)) throw error;
      results.push({ ok: false, error });
    }
  }
  if (live && staged.size + results.filter((r) => r.ok).length > 0) stageDocuments(ctx, live, meta, primaryKey, staged);
  return results;
}

/** Sequence numbers come from the staged copy of the metadata (or the new index's). */
function nextSeq(live: LiveIndex, meta: { nextSeq: number } | null): number {
  const target = meta ?? live.meta;
  return target.nextSeq++;
}

function stageDocuments(
  ctx: ApplyContext, live: LiveIndex, stagedMeta: LiveIndex['meta'] | null,
  primaryKey: string | null, staged: Map<string, { seq: number; doc: Document }>,
): void {
  const meta = { ...(stagedMeta ?? live.meta), primaryKey, updatedAtMs: ctx.nowMs };
  for (const [pk, { seq, doc }] of staged) ctx.txn.putDoc(meta.id, seq, { pk, doc });
  ctx.txn.putMeta(meta);
  ctx.txn.effect(() => {
    live.meta = meta;
    for (const [pk, { seq, doc }] of staged) {
      live.index.put(pk, doc);
      live.seqOf.set(pk, seq);
    }
  });
}

function stageDeletions(ctx: ApplyContext, live: LiveIndex, pks: string[]): number {
  const unique = [...new Set(pks)].filter((pk) => live.seqOf.has(pk));
  for (const pk of unique) ctx.txn.delDoc(live.meta.id, live.seqOf.get(pk) as number);
  const meta = { ...live.meta, updatedAtMs: ctx.nowMs };
  ctx.txn.putMeta(meta);
  ctx.txn.effect(() => {
    live.meta = meta;
    for (const pk of unique) {
      live.index.delete(pk);
      live.seqOf.delete(pk);
    }
  });
  return unique.length;
}

export function applyDeletionByIds(ctx: ApplyContext, indexUid: string, ids: string[]): Record<string, unknown> {
  const live = requireLive(ctx, indexUid);
  const deleted = stageDeletions(ctx, live, ids);
  return { providedIds: ids.length, deletedDocuments: deleted, originalFilter: null };
}

export function applyDeletionByFilter(ctx: ApplyContext, indexUid: string, filter: unknown): Record<string, unknown> {
  const live = requireLive(ctx, indexUid);
  const expr = ctx.deps.parseFilter(filter, 'invalid_document_filter');
  const pks = expr === null ? [] : live.index.matching(expr, indexUid);
  const deleted = stageDeletions(ctx, live, pks);
  return { providedIds: 0, deletedDocuments: deleted, originalFilter: JSON.stringify(filter) };
}

export function applyClear(ctx: ApplyContext, indexUid: string): Record<string, unknown> {
  const live = requireLive(ctx, indexUid);
  const deleted = stageDeletions(ctx, live, [...live.seqOf.keys()]);
  return { deletedDocuments: deleted };
}
