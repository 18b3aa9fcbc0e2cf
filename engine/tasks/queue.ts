// The asynchronous task queue (API.md §2). Enqueue assigns the next uid and
// writes the task (and its document payload) in one synced batch before the
// 202 is answered; tasks arriving during a write share the next synced write
// (group commit), so they reach the disk in uid order.
// One loop processes tasks strictly in order, one batch at a time: a
// cancelation or deletion of tasks goes first (as Meilisearch's autobatcher
// does), otherwise the oldest task, and consecutive document additions to
// its index with the same method join its batch. A batch applies all its
// changes and the tasks' final statuses in one synced write
// (store/transaction.ts); `processing` lives only in memory, so a crash puts
// the batch back to `enqueued` and it runs again on restart.
import { MeiliError } from '../../api/errors/registry.ts';
import type { Clock } from '../../runtime/env/clock.ts';
import type { Document } from '../core/contracts.ts';
import type { TaskQueue } from '../http/context.ts';
import { pad, type Db } from '../store/db.ts';
import type { EngineState } from '../store/state.ts';
import { Transaction } from '../store/transaction.ts';
import type { EngineDeps } from './apply-context.ts';
import { runBatch, type PendingTask } from './batch-runner.ts';
import { matchesFilter } from './filter.ts';
import { initialDetails, summarize, taskTypeOf } from './view.ts';
import type { BatchRecord, SummarizedTask, TaskRecord, TaskRequest } from './types.ts';

/** The most tasks, and documents, one auto-batch may hold. */
const BATCH_TASKS_MAX = 100;
const BATCH_DOCUMENTS_MAX = 50_000;

export class EngineTaskQueue implements TaskQueue {
  private readonly pending: number[] = [];
  private readonly payloads = new Map<number, Document[]>();
  private readonly toWrite: Array<{ task: TaskRecord; documents: Document[] | null; resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing = false;
  private readonly flushWaiters: Array<() => void> = [];
  private running: Promise<void> | null = null;
  private fatal: unknown = null;
  private closed = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly state: EngineState,
    private readonly deps: EngineDeps,
    private readonly clock: Clock,
  ) {
    for (const task of [...state.tasks.values()].sort((a, b) => a.uid - b.uid)) {
      if (task.status === 'enqueued') this.pending.push(task.uid);
    }
  }

  /** Starts processing what a previous run left enqueued. */
  start(): void {
    this.kick();
  }

  isIndexing(indexUid: string): boolean {
    return this.pending.some((uid) => this.state.tasks.get(uid)?.indexUid === indexUid)
      || [...this.state.tasks.values()].some((t) => t.status === 'processing' && t.indexUid === indexUid);
  }

  allTasks(): readonly TaskRecord[] {
    return [...this.state.tasks.values()].sort((a, b) => a.uid - b.uid);
  }

  task(uid: number): TaskRecord | undefined {
    return this.state.tasks.get(uid);
  }

  allBatches(): readonly BatchRecord[] {
    return [...this.state.batches.values()].sort((a, b) => a.uid - b.uid);
  }

  lastUpdateMs(): number | null {
    return this.state.lastUpdateMs;
  }

  async enqueue(request: TaskRequest): Promise<SummarizedTask> {
    if (this.closed) throw new MeiliError('internal', 'The task queue is shutting down.');
    if (this.fatal !== null) throw new MeiliError('internal', `The task queue stopped after an I/O failure: ${String(this.fatal)}`);
    const op = request.op;
    if (op.op === 'taskCancelation' || op.op === 'taskDeletion') {
      op.matchedUids = [...this.state.tasks.values()].filter((t) => matchesFilter(t, op.filter)).map((t) => t.uid).sort((a, b) => a - b);
    }
    const uid = this.state.counters.nextTaskUid++;
    const task: TaskRecord = {
      uid, batchUid: null, indexUid: request.indexUid, status: 'enqueued', type: taskTypeOf(op), canceledBy: null,
      details: initialDetails(op, request.indexUid), error: null, enqueuedAtMs: this.clock.nowMs(),
      startedAtMs: null, finishedAtMs: null, customMetadata: request.customMetadata ?? null, op,
    };
    await this.groupCommit({ task, documents: request.documents ?? null });
    const summary = summarize(task);
    this.kick();
    return summary;
  }

  /**
   * Writes enqueued tasks durably. Tasks arriving while a write is in flight
   * are written together in the next synced batch (group commit), so disk
   * order is uid order and one fsync serves many requests.
   */
  private groupCommit(item: { task: TaskRecord; documents: Document[] | null }): Promise<void> {
    return new Promise((resolve, reject) => {
      this.toWrite.push({ ...item, resolve, reject });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.toWrite.length > 0) {
      const group = this.toWrite.splice(0);
      const txn = new Transaction(this.db);
      for (const { task, documents } of group) {
        txn.putTask(task);
        if (documents) txn.putPayload(task.uid, documents);
      }
      txn.putCounters({ ...this.state.counters });
      txn.effect(() => {
        for (const { task, documents } of group) {
          this.state.tasks.set(task.uid, task);
          if (documents) this.payloads.set(task.uid, documents);
          this.pending.push(task.uid);
        }
      });
      try {
        await txn.commit();
        for (const item of group) item.resolve();
      } catch (error) {
        for (const item of group) item.reject(error);
      }
    }
    this.writing = false;
    for (const resolve of this.flushWaiters.splice(0)) resolve();
  }

  /** Resolves when no task is enqueued or processing (used by tests and shutdown). */
  idle(): Promise<void> {
    if (this.pending.length === 0 && this.running === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking tasks and waits for the batch in flight to be written. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.writing) await new Promise<void>((resolve) => this.flushWaiters.push(resolve));
    if (this.running) await this.running;
  }

  private kick(): void {
    if (this.running !== null || this.closed || this.fatal !== null) return;
    if (this.pending.length === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      return;
    }
    this.running = this.loop()
      .catch((error: unknown) => {
        // A failed synced write leaves memory and disk uncertain: stop processing.
        this.fatal = error;
        console.error('miroir engine: task processing stopped:', error);
      })
      .finally(() => {
        this.running = null;
        this.kick();
      });
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      const batch = this.pick();
      if (batch.length === 0) return;
      await this.process(batch);
    }
  }

  /** The next batch: a cancelation, else a deletion, else the oldest task and its compatible followers. */
  private pick(): TaskRecord[] {
    const tasks = this.pending.map((uid) => this.state.tasks.get(uid) as TaskRecord);
    const urgent = tasks.find((t) => t.type === 'taskCancelation') ?? tasks.find((t) => t.type === 'taskDeletion');
    if (urgent) return [urgent];
    const head = tasks[0];
    if (!head) return [];
    if (head.op.op !== 'documentAddition') return [head];
    const batch = [head];
    let documents = head.op.received;
    for (const t of tasks.slice(1)) {
      // A task touching several indexes (swap, rename) is a barrier: nothing after it may run before it.
      if (t.indexUid === null || (t.op.op === 'indexUpdate' && t.op.newUid !== null)) break;
      if (t.indexUid !== head.indexUid) continue;
      if (t.op.op !== 'documentAddition' || t.op.method !== head.op.method) break;
      if (batch.length >= BATCH_TASKS_MAX || documents + t.op.received > BATCH_DOCUMENTS_MAX) break;
      batch.push(t);
      documents += t.op.received;
    }
    return batch;
  }

  private async payloadOf(uid: number): Promise<Document[]> {
    const cached = this.payloads.get(uid);
    if (cached) return cached;
    const stored = await this.db.payloads.get(pad(uid));
    if (stored === undefined) throw new Error(`task ${uid}: payload missing on disk`);
    return stored;
  }

  private async process(batch: TaskRecord[]): Promise<void> {
    const startedAtMs = this.clock.nowMs();
    const batchUid = this.state.counters.nextBatchUid++;
    const items: PendingTask[] = [];
    for (const enqueued of batch) {
      // `processing` is shown in memory only; on disk the task stays enqueued until it finishes.
      const task: TaskRecord = { ...enqueued, status: 'processing', startedAtMs, batchUid };
      this.state.tasks.set(task.uid, task);
      this.pending.splice(this.pending.indexOf(task.uid), 1);
      items.push({ task, documents: task.op.op === 'documentAddition' ? await this.payloadOf(task.uid) : null });
    }
    const txn = new Transaction(this.db);
    const finals = runBatch({ state: this.state, txn, deps: this.deps, nowMs: startedAtMs }, items);
    const finishedAtMs = Math.max(this.clock.nowMs(), startedAtMs);
    const record: BatchRecord = {
      uid: batchUid, taskUids: batch.map((t) => t.uid), startedAtMs, finishedAtMs,
      batchStrategy: batchStrategy(batch),
    };
    for (const final of finals) {
      final.finishedAtMs = finishedAtMs;
      txn.putTask(final);
      txn.delPayload(final.uid);
    }
    txn.putBatch(record);
    txn.putCounters({ ...this.state.counters });
    txn.effect(() => {
      for (const final of finals) {
        this.state.tasks.set(final.uid, final);
        this.payloads.delete(final.uid);
      }
      this.state.batches.set(batchUid, record);
      this.state.lastUpdateMs = finishedAtMs;
    });
    await txn.commit();
  }
}

function batchStrategy(batch: TaskRecord[]): string {
  const head = batch[0] as TaskRecord;
  if (head.type === 'taskCancelation' || head.type === 'taskDeletion') {
    return `a batch of tasks of type \`${head.type}\` cannot be batched with any other type of task`;
  }
  if (batch.length > 1) return 'batched all enqueued tasks for index';
  return 'a batch of one task';
}
