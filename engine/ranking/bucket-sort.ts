// milli's bucket sort: the first step splits the candidates into ordered
// buckets, each bucket is split by the next step, and so on; documents left
// tied after the last step come in internal-id order. Buckets are explored
// best first and the walk stops as soon as the sink has what it needs, so a
// query pays for the documents it returns, not for every candidate.

/** The per-step results of one document, evaluated afresh, in step order. */
export function resultsOf(ranker: Ranker, steps: readonly Step[], doc: number): DocState['results'] {
  const s = ranker.state(doc);
  const out: DocState['results'] = [];
  for (const step of steps) out.push(...ranker.evaluate(step, s).results);
  return out;
}
import type { DocState, Ranker } from './doc-ranker.ts';
import type { Step } from './rule-list.ts';

export interface Sink {
  /** Offers the next document in ranking order; the sink may refuse it (distinct, threshold). */
  offer(doc: number): void;
  full(): boolean;
}

export function bucketSort(ranker: Ranker, steps: readonly Step[], candidates: Iterable<number>, sink: Sink): void {
  const states: DocState[] = [];
  for (const doc of candidates) states.push(ranker.state(doc));
  sortGroup(ranker, steps, 0, states, sink);
}

function sortGroup(ranker: Ranker, steps: readonly Step[], at: number, group: DocState[], sink: Sink): void {
  if (group.length === 0 || sink.full()) return;
  const step = steps[at];
  if (step === undefined) {
    for (const s of group) {
      if (sink.full()) return;
      sink.offer(s.doc);
    }
    return;
  }
  // Only keys here: the details of the few documents returned are computed afterwards (Ranker.resultsOf).
  const keyed = group.map((s, i) => {
    const o = ranker.evaluate(step, s);
    return { s, i, key: o.key, sortKey: o.sortKey ?? null };
  });
  const isSort = step.kind === 'sort';
  keyed.sort((a, b) => (isSort ? ranker.compareSort(a.sortKey, b.sortKey, step) : a.key - b.key) || a.i - b.i);
  let start = 0;
  while (start < keyed.length && !sink.full()) {
    let end = start + 1;
    const same = (x: (typeof keyed)[number], y: (typeof keyed)[number]) =>
      isSort ? ranker.compareSort(x.sortKey, y.sortKey, step) === 0 : x.key === y.key;
    while (end < keyed.length && same(keyed[start]!, keyed[end]!)) end++;
    sortGroup(ranker, steps, at + 1, keyed.slice(start, end).map((k) => k.s), sink);
    start = end;
  }
}
