// A k-way merge of lists that are each already in ranking order, with a
// binary heap over the list heads. Items are addressed as (list, position),
// so callers can keep per-item data (ranking keys) in parallel arrays and
// compute it only for the items that reach a list head.
//
// Why a merge of heads and not one global sort: each node orders hits that
// the ranking rules cannot separate by its internal document id, and truncates
// its list at offset+limit in that order. Taking items only from list heads
// keeps each node's own order, so the first n merged items never depend on how
// far each list was fetched: page 2 continues page 1 with no duplicate and no
// gap. Ties between heads of different lists are broken by `compare` (the
// caller passes the primary key) and then by the lower list index.
//
// `compare` is only ever called on the current heads of two lists, so a
// caller may keep per-head state (score-key.ts keeps one key per list). The
// heap remembers the better child of its root while only the root's head
// changes: a list that keeps winning costs one comparison per item, not two.

/** Negative when item (listA, a) comes before item (listB, b); a and b are always the heads of their lists. */
export type HeadCompare = (listA: number, a: number, listB: number, b: number) => number;

/** Visits items in merged order until `visit` returns false or every list is consumed. */
export function kWayMerge(
  lengths: readonly number[],
  compare: HeadCompare,
  visit: (list: number, position: number) => boolean,
): void {
  const position = lengths.map(() => 0);
  const heap: number[] = [];
  const before = (i: number, j: number): boolean => {
    const c = compare(i, position[i]!, j, position[j]!);
    return c < 0 || (c === 0 && i < j);
  };
  for (let i = 0; i < lengths.length; i++) if (lengths[i]! > 0) siftUp(heap, heap.push(i) - 1, before);
  // The heap index of the root's better child, or -1 once the heap below the root changed.
  let runnerUp = -1;
  while (heap.length > 0) {
    const list = heap[0]!;
    const at = position[list]!;
    position[list] = at + 1;
    if (at + 1 >= lengths[list]!) {
      const last = heap.pop()!;
      runnerUp = -1;
      if (heap.length > 0) {
        heap[0] = last;
        siftDown(heap, 0, before);
      }
    } else if (heap.length > 1) {
      if (runnerUp < 0) runnerUp = betterChild(heap, 0, before);
      const challenger = heap[runnerUp]!;
      if (before(challenger, list)) {
        heap[0] = challenger;
        heap[runnerUp] = list;
        siftDown(heap, runnerUp, before);
        runnerUp = -1;
      }
    }
    if (!visit(list, at)) return;
  }
}

/** The index of the child of `at` that comes first; `at` must have a child. */
function betterChild(heap: readonly number[], at: number, before: (i: number, j: number) => boolean): number {
  const left = 2 * at + 1;
  const right = left + 1;
  return right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
}

function siftUp(heap: number[], at: number, before: (i: number, j: number) => boolean): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!before(heap[at]!, heap[parent]!)) return;
    [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
    at = parent;
  }
}

function siftDown(heap: number[], at: number, before: (i: number, j: number) => boolean): void {
  for (;;) {
    if (2 * at + 1 >= heap.length) return;
    const child = betterChild(heap, at, before);
    if (!before(heap[child]!, heap[at]!)) return;
    [heap[at], heap[child]] = [heap[child]!, heap[at]!];
    at = child;
  }
}
