// Coalescing (issue 4 §11): the documents writes of consecutive window
// entries that go to the same index with the same method and query are sent
// to the node as ONE request, so the node enqueues, stores and reports one
// task where it would have handled several. Pure: which entries a request
// may cover, and the payload that covers them.
//
// Why order and outcomes stay right:
// - Only the *last* unsent request of each entry is coalesced, and only with
//   the entries that directly follow it, so the node still receives every
//   write in log order (the payload lists the documents in that order).
// - The node task then stands for every entry it covered (window.ts
//   recordTasks). Its success is every entry's success, each with its own
//   document count; its failure may belong to one entry only, so the covered
//   entries are sent again one by one (`solo`) and so is everything after
//   them, in order (window.ts splitFrom says where that falls short).
// - The payload is bounded by the window itself (dispatcher.batchBytesMax).
// - A request covers at most half the window's entries (rounded up), so
//   that when the node finishes one request another is still queued on it:
//   one request covering the whole window would leave the node idle from
//   its end until the next poll and send.
import { assert } from '../assert.ts';
import type { WindowEntry } from './window.ts';

/** The request an entry would coalesce: its last one, unsent, marked coalescible, never split before. */
function coalescibleTail(entry: WindowEntry): { key: string; bytes: number } | null {
  if (entry.next !== entry.requests.length - 1) return null;
  const state = entry.requests[entry.next];
  if (state === undefined || state.solo === true || state.request.coalescible === undefined) return null;
  const { method, path, query, body } = state.request;
  if (typeof body !== 'string') return null;
  return { key: `${method} ${path} ${JSON.stringify(query ?? {})}`, bytes: body.length };
}

/**
 * How many entries from `window[start]` on the next request of `window[start]`
 * covers: 1 when it is sent alone, n > 1 when the last requests of
 * `window[start .. start+n-1]` share one node request.
 */
export function coalescedRun(window: readonly WindowEntry[], start: number): number {
  const first = window[start];
  const tail = first === undefined ? null : coalescibleTail(first);
  if (tail === null) return 1;
  const runMax = Math.ceil(window.length / 2);
  let run = 1;
  for (let k = start + 1; k < window.length && run < runMax; k++) {
    const next = coalescibleTail(window[k] as WindowEntry);
    if (next === null || next.key !== tail.key) break;
    run += 1;
  }
  return run;
}

/** One JSON array holding the elements of each serialized array, in order. */
export function mergedArrays(bodies: readonly string[]): string {
  const parts: string[] = [];
  for (const body of bodies) {
    assert(body.startsWith('[') && body.endsWith(']'), 'a coalesced body is a serialized JSON array');
    const elements = body.slice(1, -1);
    if (elements.length > 0) parts.push(elements);
  }
  return `[${parts.join(',')}]`;
}
