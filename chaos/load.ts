// The client load of a chaos run, through the official `meilisearch` client
// as a user would drive it: one writer adding small batches of documents
// with unique ids, one reader searching, both hopping to another peer when
// the one they asked is down or frozen.
//
// A batch refused with a retriable answer (502/503/504, a refused or reset
// connection, a timeout on a frozen peer) is sent again as it is: the same
// ids, so a retry of a batch that did get in replaces it rather than adding
// a copy. Any other error is a violation: under faults the cluster may say
// "try again", never 4xx for a valid request nor 500.
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
}

export interface Ack {
  taskUid: number;
  batch: number;
  ids: string[];
}

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
  }));
}

export class Load {
  readonly acks: Ack[] = [];
  readonly violations: string[] = [];
  retriedWrites = 0;
  searches = 0;
  retriedSearches = 0;
  private stopped = false;
  private nextPeer = 0;

  constructor(private readonly clients: readonly Meilisearch[], private readonly rng: Rng, private readonly batchSize: number) {}

  stop(): void {
    this.stopped = true;
  }

  /** Adds batches one after another until stopped; resolves when the last one is settled. */
  async write(pauseMs: number): Promise<void> {
    for (let batch = 0; !this.stopped; batch++) {
      const docs = makeBatch(batch, this.batchSize, this.rng);
      const deadline = Date.now() + BATCH_RETRY_MS;
      for (;;) {
        try {
          const task = await this.client().index(INDEX).addDocuments(docs);
          this.acks.push({ taskUid: task.taskUid, batch, ids: docs.map((d) => d.id) });
          break;
        } catch (error) {
          const kind = classify(error);
          if (kind !== 'retriable') {
            this.violations.push(`write of batch ${batch}: ${kind}`);
            break;
          }
          this.retriedWrites++;
          this.nextPeer++;
          if (Date.now() > deadline) {
            this.violations.push(`write of batch ${batch}: still refused after ${BATCH_RETRY_MS} ms`);
            return;
          }
          await sleepMs(200);
        }
      }
      await sleepMs(pauseMs);
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
