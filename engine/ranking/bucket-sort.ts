// milli's bucket sort: the first step splits the candidates into ordered
// buckets, each bucket is split by the next step, and so on; documents left
// tied after the last step come in internal-id order. Buckets are explored
// best first and the walk stops as soon as the sink has what it needs, so a
// query pays for the documents it returns, not for every candidate.

/** The per-step results of one document, evaluated afresh, in step order. */
export function resultsOf(ranker: Ranker, steps: readonly Step[], doc: number): StepOutcome['results'] {
  const s = ranker.state(doc);
  const out: StepOutcome['results'] = [];
  for (const step of steps) out.push(...ranker.evaluate(step, s).results);
  return out;
}
import type { DocState, Ranker, StepOutcome } from './doc-ranker.ts';
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
  // A lone document, or no step left: its place is settled (ties stay in id order).
  if (step === undefined || group.length === 1) {
    for (const s of group) {
      if (sink.full()) return;
      sink.offer(s.doc);
    }
    return;
  }
  // A step that gives every document the same key splits nothing: skip it
  // rather than evaluate it for each document of a possibly huge group.
  if (ranker.isConstant(step)) {
    sortGroup(ranker, steps, at + 1, group, sink);
    return;
  }
  if (step.kind === 'sort') {
    sortByValue(ranker, steps, at, step, group, sink);
    return;
  }
  // Integer costs: bucket without sorting the documents; buckets keep id order.
  const buckets = new Map<number, DocState[]>();
  for (const s of group) {
    const key = ranker.key(step, s);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(s);
    else buckets.set(key, [s]);
  }
  for (const key of [...buckets.keys()].sort((a, b) => a - b)) {
    if (sink.full()) return;
    sortGroup(ranker, steps, at + 1, buckets.get(key)!, sink);
  }
}

function sortByValue(ranker: Ranker, steps: readonly Step[], at: number, step: Step, group: DocState[], sink: Sink): void {
  const keyed = group.map((s, i) => ({ s, i, value: ranker.evaluate(step, s).sortKey ?? null }));
  keyed.sort((a, b) => ranker.compareSort(a.value, b.value, step) || a.i - b.i);
  let start = 0;
  while (start < keyed.length && !sink.full()) {
    let end = start + 1;
    while (end < keyed.length && ranker.compareSort(keyed[start]!.value, keyed[end]!.value, step) === 0) end++;
    sortGroup(ranker, steps, at + 1, keyed.slice(start, end).map((k) => k.s), sink);
    start = end;
  }
}
