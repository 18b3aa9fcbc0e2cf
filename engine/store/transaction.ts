// One atomic LevelDB write plus the in-memory effects that follow it. A task
// batch stages every change it makes here (documents, index metadata,
// settings, the tasks' final status, the batch record) and commits once:
// the write is synced (`sync: true`) and only after it succeeds are the
// in-memory effects run, so memory never shows what disk does not hold.
// After a crash a batch is either entirely on disk or not at all, and a task
// not marked finished on disk is simply run again.
import type { Document } from '../core/contracts.ts';
import type { Settings } from '../../api/protocol/settings/settings.ts';
import type { BatchRecord, TaskRecord } from '../tasks/types.ts';
import { docKey, pad, type Counters, type Db, type DocRecord, type IndexMeta } from './db.ts';

export class Transaction {
  private readonly batch;
  private readonly effects: Array<() => void> = [];
  private committed = false;

  constructor(private readonly db: Db) {
    this.batch = db.root.batch();
  }

  putDoc(indexId: number, seq: number, record: DocRecord): void {
    this.batch.put<string, DocRecord>(docKey(indexId, seq), record, { sublevel: this.db.docs });
  }
  delDoc(indexId: number, seq: number): void {
    this.batch.del(docKey(indexId, seq), { sublevel: this.db.docs });
  }
  putMeta(meta: IndexMeta): void {
    this.batch.put<string, IndexMeta>(meta.uid, meta, { sublevel: this.db.meta });
  }
  delMeta(uid: string): void {
    this.batch.del(uid, { sublevel: this.db.meta });
  }
  putSettings(indexId: number, settings: Settings): void {
    this.batch.put<string, Settings>(pad(indexId), settings, { sublevel: this.db.settings });
  }
  delSettings(indexId: number): void {
    this.batch.del(pad(indexId), { sublevel: this.db.settings });
  }
  putTask(task: TaskRecord): void {
    this.batch.put<string, TaskRecord>(pad(task.uid), task, { sublevel: this.db.tasks });
  }
  delTask(uid: number): void {
    this.batch.del(pad(uid), { sublevel: this.db.tasks });
  }
  putPayload(uid: number, documents: Document[]): void {
    this.batch.put<string, Document[]>(pad(uid), documents, { sublevel: this.db.payloads });
  }
  delPayload(uid: number): void {
    this.batch.del(pad(uid), { sublevel: this.db.payloads });
  }
  putBatch(batch: BatchRecord): void {
    this.batch.put<string, BatchRecord>(pad(batch.uid), batch, { sublevel: this.db.batches });
  }
  delBatch(uid: number): void {
    this.batch.del(pad(uid), { sublevel: this.db.batches });
  }
  putCounters(counters: Counters): void {
    for (const [name, value] of Object.entries(counters)) {
      this.batch.put<string, number>(name, value, { sublevel: this.db.counters });
    }
  }

  /** Runs after the write is durable, in staging order. */
  effect(fn: () => void): void {
    this.effects.push(fn);
  }

  /** Drops everything staged (the task failed before anything was meant to happen). */
  async abort(): Promise<void> {
    if (this.committed) throw new Error('transaction already committed');
    this.committed = true;
    await this.batch.close();
  }

  /** Writes everything in one synced batch, then applies the effects. */
  async commit(): Promise<void> {
    if (this.committed) throw new Error('transaction committed twice');
    this.committed = true;
    await this.batch.write({ sync: true });
    for (const fn of this.effects) fn();
  }
}
