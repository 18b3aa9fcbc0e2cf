// Client traffic for the topology tests, through the official `meilisearch`
// client: a writer that keeps adding new documents in small batches and
// records the ids whose task succeeded, and a searcher that keeps checking
// that an exhaustive placeholder search counts at least every document whose
// task had succeeded before the search was sent (documents are never deleted
// here, so a smaller count is a miss) and never more than were written (a
// larger one would be a duplicate).
import type { Meilisearch } from 'meilisearch';
import { sleepMs } from '../../../runtime/env/real.ts';
import { retrying } from '../cluster/harness.ts';

export interface Doc {
  id: string;
  n: number;
  title: string;
}

export const INDEX = 'items';

export function makeDocs(from: number, count: number): Doc[] {
  return Array.from({ length: count }, (_, k) => ({ id: `d${from + k}`, n: from + k, title: `item ${from + k} word${(from + k) % 97}` }));
}

export interface Traffic {
  /** Documents whose add task succeeded. */
  readonly succeeded: () => number;
  readonly written: () => number;
  readonly searches: () => number;
  readonly misses: string[];
  stop(): Promise<void>;
}

export function startTraffic(client: Meilisearch, firstId: number, batch = 20, pauseMs = 50): Traffic {
  let running = true;
  let next = firstId;
  let succeeded = firstId;
  let searches = 0;
  const misses: string[] = [];
  const index = client.index<Doc>(INDEX);
  const writer = (async () => {
    while (running) {
      const docs = makeDocs(next, batch);
      next += batch;
      const task = await retrying(() => index.addDocuments(docs), 60_000);
      const done = await client.tasks.waitForTask(task.taskUid, { timeout: 60_000, interval: 50 });
      if (done.status !== 'succeeded') throw new Error(`add task ${task.taskUid} ${done.status}: ${JSON.stringify(done.error)}`);
      succeeded += batch;
      await sleepMs(pauseMs);
    }
  })();
  const searcher = (async () => {
    while (running) {
      const known = succeeded;
      const writtenBefore = next;
      const result = await retrying(() => index.search('', { hitsPerPage: 1, page: 1 }), 60_000);
      const total = result.totalHits ?? -1;
      searches += 1;
      // `next` may grow while the search runs: documents written since may or may not be counted.
      if (total < known || total > Math.max(writtenBefore, next)) misses.push(`search ${searches}: totalHits ${total}, succeeded before ${known}, written ${writtenBefore}..${next}`);
      await sleepMs(30);
    }
  })();
  return {
    succeeded: () => succeeded,
    written: () => next,
    searches: () => searches,
    misses,
    async stop() {
      running = false;
      await Promise.all([writer, searcher]);
    },
  };
}
