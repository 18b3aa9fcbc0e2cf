// A k-way merge of lists that are each already in ranking order, with a
// binary heap over the list heads.
//
// Why a merge of heads and not one global sort: each node orders hits that
// the ranking rules cannot separate by its internal document id, and truncates
// its list at offset+limit in that order. Taking items only from list heads
// keeps each node's own order, so the first n merged items never depend on how
// far each list was fetched: page 2 continues page 1 with no duplicate and no
// gap. Ties between heads of different lists are broken by `compare` (the
// caller passes the primary key) and then by the lower list index.
export function kWayMerge<T>(
  lists: readonly (readonly T[])[],
  compare: (a: T, b: T) => number,
  visit: (item: T, list: number) => boolean,
): void {
  const position = lists.map(() => 0);
  const heap: number[] = [];
  const before = (i: number, j: number): boolean => {
    const c = compare(lists[i]![position[i]!]!, lists[j]![position[j]!]!);
    return c < 0 || (c === 0 && i < j);
  };
  for (let i = 0; i < lists.length; i++) if (lists[i]!.length > 0) siftUp(heap, heap.push(i) - 1, before);
  while (heap.length > 0) {
    const list = heap[0]!;
    const item = lists[list]![position[list]!]!;
    position[list] = position[list]! + 1;
    if (position[list]! >= lists[list]!.length) {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        siftDown(heap, 0, before);
      }
    } else {
      siftDown(heap, 0, before);
    }
    if (!visit(item, list)) return;
  }
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
    const left = 2 * at + 1;
    if (left >= heap.length) return;
    const right = left + 1;
    const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
    if (!before(heap[child]!, heap[at]!)) return;
    [heap[at], heap[child]] = [heap[child]!, heap[at]!];
    at = child;
  }
}
