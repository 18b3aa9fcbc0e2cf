// The engine's LevelDB layout. One root database, one sublevel per kind of
// record (values JSON-encoded):
//   meta      index uid            → IndexMeta (internal id, primary key, dates, next sequence)
//   settings  internal index id    → Settings
//   docs      <index id>!<sequence>→ { pk, doc }   (sequence = insertion order, kept on replace)
//   tasks     <task uid>           → TaskRecord
//   payloads  <task uid>           → Document[]    (the batch of an enqueued addition)
//   batches   <batch uid>          → BatchRecord
//   counters  name                 → number        (next task uid, batch uid, index id)
// Documents are keyed by an internal index id rather than the uid, so renames
// and swaps only rewrite `meta`. The sublevel `keys` belongs to the API-key
// store (engine/auth). Numbers in keys are zero-padded so byte order is
// numeric order.
import { Level } from 'level';
import type { Document } from '../core/contracts.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import type { BatchRecord, TaskRecord } from '../tasks/types.ts';

export interface IndexMeta {
  uid: string;
  /** Internal id naming the index's documents and settings; never reused. */
  id: number;
  primaryKey: string | null;
  createdAtMs: number;
  updatedAtMs: number;
  /** The next document sequence number (insertion order). */
  nextSeq: number;
}

export interface DocRecord {
  pk: string;
  doc: Document;
}

export interface Counters {
  nextTaskUid: number;
  nextBatchUid: number;
  nextIndexId: number;
}

export function pad(n: number): string {
  return String(n).padStart(12, '0');
}

export function docKey(indexId: number, seq: number): string {
  return `${pad(indexId)}!${pad(seq)}`;
}

export async function openDb(path: string) {
  const root = new Level<string, string>(path, { valueEncoding: 'utf8' });
  await root.open();
  const json = { valueEncoding: 'json' } as const;
  return {
    root,
    meta: root.sublevel<string, IndexMeta>('meta', json),
    settings: root.sublevel<string, Settings>('settings', json),
    docs: root.sublevel<string, DocRecord>('docs', json),
    tasks: root.sublevel<string, TaskRecord>('tasks', json),
    payloads: root.sublevel<string, Document[]>('payloads', json),
    batches: root.sublevel<string, BatchRecord>('batches', json),
    counters: root.sublevel<string, number>('counters', json),
  };
}

export type Db = Awaited<ReturnType<typeof openDb>>;
