// The client load of a chaos run, through the official `meilisearch` client
// as a user would drive it: one writer, one reader searching, both hopping to
// another peer when the one they asked is down or frozen. The writer mostly
// adds small batches of documents with unique ids; now and then it updates a
// batch it added (PUT, partial: `version` 2), or deletes one (by ids, or by a
// filter on its batch number), so that replicas must also converge on
// changed and removed documents, in log order.
//
// A batch refused with a retriable answer (502/503/504, a refused or reset
// connection, a timeout on a frozen peer) is sent again as it is: the same
// ids, so a retry of a batch that did get in replaces it rather than adding
// a copy. Any other error is a violation: under faults the cluster may say
// "try again", never 4xx for a valid request nor 500.
//
// A request the client gave up on may still commit later, after the writes
// that followed it (it waited in a frozen peer). Such a late copy of an add,
// an update or a delete repeats what its acknowledged retry did, so the end
// state is the same, unless a later write touched the same documents: hence
// a batch is updated or deleted only while every write to it so far got in
// on the first attempt. A batch whose write was never acknowledged is
// uncertain: each of its documents may be in either state, once.
import { Meilisearch, MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError } from 'meilisearch';
import type { Rng } from '../runtime/env/clock.ts';
import { sleepMs } from '../runtime/env/real.ts';

export const INDEX = 'chaos';
const REQUEST_TIMEOUT_MS = 10_000;
const BATCH_RETRY_MS = 90_000;
const RETRIABLE_STATUS = new Set([502, 503, 504]);

export interface ChaosDoc {
  id: string;
  batch: number;
  text: string;
  version: number;
}

export type WriteKind = 'add' | 'update' | 'delete-ids' | 'delete-filter';

export interface Ack {
  taskUid: number;
  batch: number;
  kind: WriteKind;
  ids: string[];
}

/** What the writer did to one batch of ids. */
interface BatchRecord {
  docs: ChaosDoc[];
  ids: string[];
  stage: 'added' | 'updated' | 'deleted';
  /** Every write to it was acknowledged on its first attempt: no late copy can land. */
  clean: boolean;
}

/** Out of 100 draws: updates below UPDATE_BELOW, deletes below DELETE_BELOW, adds above. */
const UPDATE_BELOW = 15;
const DELETE_BELOW = 25;

export function clientFor(url: string, apiKey: string): Meilisearch {
  return new Meilisearch({ host: url, apiKey, timeout: REQUEST_TIMEOUT_MS });
}

/** What kind of failure an error from the client is: retriable (the cluster said "later") or a violation. */
export function classify(error: unknown): 'retriable' | string {
  if (error instanceof MeilisearchApiError) {
    return RETRIABLE_STATUS.has(error.response.status) ? 'retriable' : `${error.response.status} ${JSON.stringify(error.cause ?? null)}`;
  }
  if (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError) return 'retriable';
  return `unexpected ${String(error)}`;
}

export function makeBatch(batch: number, size: number, rng: Rng): ChaosDoc[] {
  const words = ['river', 'stone', 'lantern', 'orchid', 'falcon', 'meadow', 'copper', 'harbor'];
  return Array.from({ length: size }, (_, i) => ({
    id: `b${batch}-${i}`,
    batch,
    text: `chaos ${words[rng.int(words.length)]} ${words[rng.int(words.length)]}`,
    version: 1,
  }));
}

export class Load {
  readonly acks: Ack[] = [];
  readonly violations: string[] = [];
  /** Batches with a write never acknowledged (given up on, or refused as a violation). */
  readonly uncertain = new Set<number>();
  /** Batches created so far (b0 … b{created-1}); their ids are the only ones the cluster may hold. */
  created = 0;
  retriedWrites = 0;
  searches = 0;
  retriedSearches = 0;
  private stopped = false;
  private nextPeer = 0;
  private readonly batches: BatchRecord[] = [];
  private lastUpdated: number | null = null;

  constructor(private readonly clients: readonly Meilisearch[], private readonly rng: Rng, private readonly batchSize: number) {}

  stop(): void {
    this.stopped = true;
  }

  /** Writes one batch after another until stopped; resolves when the last one is settled. */
  async write(pauseMs: number): Promise<void> {
    while (!this.stopped) {
      const { kind, batch } = this.nextWrite();
      const record = this.batches[batch]!;
      const sent = await this.send(kind, batch);
      if (sent === 'gave-up') return;
      if (sent === null) {
        this.uncertain.add(batch);
        record.clean = false;
      } else {
        this.acks.push({ taskUid: sent.taskUid, batch, kind, ids: record.ids });
        record.clean &&= sent.attempts === 1;
        record.stage = kind === 'add' ? 'added' : kind === 'update' ? 'updated' : 'deleted';
        if (kind === 'update') this.lastUpdated = batch;
      }
      await sleepMs(pauseMs);
    }
  }

  /** An update or a delete of a clean batch now and then, a new batch otherwise. */
  private nextWrite(): { kind: WriteKind; batch: number } {
    const draw = this.rng.int(100);
    const changeable = this.batches.flatMap((b, i) => (b.clean && b.stage !== 'deleted' && !this.uncertain.has(i) ? [i] : []));
    const updatable = changeable.filter((i) => this.batches[i]!.stage === 'added');
    if (draw < UPDATE_BELOW && updatable.length > 0) return { kind: 'update', batch: updatable[this.rng.int(updatable.length)]! };
    if (draw >= UPDATE_BELOW && draw < DELETE_BELOW && changeable.length > 0) {
      // Half the deletes take the batch updated last: an update and a delete of the same documents close together in
      // the log is what a replayed suffix (a new leader resuming dispatch, a migration's replay) must still converge on.
      const recent = this.lastUpdated !== null && changeable.includes(this.lastUpdated) && this.rng.int(2) === 0;
      const batch = recent ? this.lastUpdated! : changeable[this.rng.int(changeable.length)]!;
      return { kind: this.rng.int(2) === 0 ? 'delete-ids' : 'delete-filter', batch };
    }
    const batch = this.created++;
    const docs = makeBatch(batch, this.batchSize, this.rng);
    this.batches[batch] = { docs, ids: docs.map((d) => d.id), stage: 'added', clean: true };
    return { kind: 'add', batch };
  }

  /** Sends one write until acknowledged; null: a violation (recorded); 'gave-up': refused past the retry bound. */
  private async send(kind: WriteKind, batch: number): Promise<{ taskUid: number; attempts: number } | null | 'gave-up'> {
    const deadline = Date.now() + BATCH_RETRY_MS;
    const { docs, ids } = this.batches[batch]!;
    for (let attempts = 1; ; attempts++) {
      try {
        const index = this.client().index(INDEX);
        const task = kind === 'add' ? await index.addDocuments(docs)
          : kind === 'update' ? await index.updateDocuments(ids.map((id) => ({ id, version: 2 })))
          : kind === 'delete-ids' ? await index.deleteDocuments(ids)
          : await index.deleteDocuments({ filter: `batch = ${batch}` });
        return { taskUid: task.taskUid, attempts };
      } catch (error) {
        const verdict = classify(error);
        if (verdict !== 'retriable') {
          this.violations.push(`${kind} of batch ${batch}: ${verdict}`);
          return null;
        }
        this.retriedWrites++;
        this.nextPeer++;
        if (Date.now() > deadline) {
          this.violations.push(`${kind} of batch ${batch}: still refused after ${BATCH_RETRY_MS} ms`);
          this.uncertain.add(batch);
          return 'gave-up';
        }
        await sleepMs(200);
      }
    }
  }

  /** Searches acknowledged batches until stopped; answers are not checked here (writes may still be in flight). */
  async search(pauseMs: number): Promise<void> {
    while (!this.stopped) {
      const ack = this.acks[this.rng.int(Math.max(this.acks.length, 1))];
      try {
        await this.clients[this.rng.int(this.clients.length)]!.index(INDEX).search('chaos', ack ? { filter: `batch = ${ack.batch}` } : {});
        this.searches++;
      } catch (error) {
        const kind = classify(error);
        if (kind === 'retriable') this.retriedSearches++;
        else this.violations.push(`search: ${kind}`);
      }
      await sleepMs(pauseMs);
    }
  }

  private client(): Meilisearch {
    return this.clients[this.nextPeer % this.clients.length]!;
  }
}
