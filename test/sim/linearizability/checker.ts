// A linearizability checker in the style of Porcupine (Wing & Gong's search
// with Lowe's just-in-time linearization and memoization of
// (linearized set, state) pairs). A history is a set of operations with call
// and return times; an operation whose outcome is unknown (the client gave
// up) returns at +Infinity, so it may take effect at any point after its call
// or never be observed. The history is split per key first (P-compositionality:
// a history is linearizable iff each key's sub-history is).

export interface Operation<I, O> {
  clientId: number;
  input: I;
  output: O;
  call: number;
  /** Infinity when the outcome is unknown. */
  ret: number;
}

export interface Model<S, I, O> {
  init(): S;
  /** The state after `input`, or null when `output` is impossible from `state`. */
  step(state: S, input: I, output: O): S | null;
  /** Equal keys for equal states (memoization). */
  key(state: S): string;
  /** Independent sub-histories, e.g. one per key. */
  partition?(history: Array<Operation<I, O>>): Array<Array<Operation<I, O>>>;
}

export type CheckResult = 'ok' | 'illegal' | 'unknown';

interface Node {
  id: number;
  isCall: boolean;
  time: number;
  match: Node | null;
  prev: Node | null;
  next: Node | null;
}

/** The call/return events of `ops` as a doubly linked list behind a sentinel head. */
function eventList<I, O>(ops: Array<Operation<I, O>>): Node {
  const events: Node[] = [];
  ops.forEach((op, id) => {
    const ret: Node = { id, isCall: false, time: op.ret, match: null, prev: null, next: null };
    const call: Node = { id, isCall: true, time: op.call, match: ret, prev: null, next: null };
    events.push(call, ret);
  });
  // At equal times calls go first: such operations count as concurrent.
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.id - b.id : a.isCall ? -1 : 1));
  const head: Node = { id: -1, isCall: false, time: -Infinity, match: null, prev: null, next: null };
  let last = head;
  for (const e of events) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return head;
}

/** Removes a call and its return from the list. */
function lift(call: Node): void {
  call.prev!.next = call.next;
  if (call.next) call.next.prev = call.prev;
  const ret = call.match!;
  ret.prev!.next = ret.next;
  if (ret.next) ret.next.prev = ret.prev;
}

/** Puts them back, in the reverse order of lift. */
function unlift(call: Node): void {
  const ret = call.match!;
  ret.prev!.next = ret;
  if (ret.next) ret.next.prev = ret;
  call.prev!.next = call;
  if (call.next) call.next.prev = call;
}

class Bits {
  private readonly words: Uint32Array;
  constructor(n: number) {
    this.words = new Uint32Array(Math.ceil(n / 32) || 1);
  }
  set(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }
  clear(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
  }
  key(): string {
    return this.words.join(',');
  }
}

function checkSingle<S, I, O>(model: Model<S, I, O>, ops: Array<Operation<I, O>>, budget: { steps: number }): CheckResult {
  const head = eventList(ops);
  const linearized = new Bits(ops.length);
  const seen = new Set<string>();
  const stack: Array<{ node: Node; state: S }> = [];
  let state = model.init();
  let entry = head.next;
  while (head.next !== null) {
    if (--budget.steps < 0) return 'unknown';
    if (entry === null) return 'illegal';
    if (entry.isCall) {
      const op = ops[entry.id]!;
      const next = model.step(state, op.input, op.output);
      if (next !== null) {
        linearized.set(entry.id);
        const key = `${linearized.key()}|${model.key(next)}`;
        if (!seen.has(key)) {
          seen.add(key);
          stack.push({ node: entry, state });
          state = next;
          lift(entry);
          entry = head.next;
          continue;
        }
        linearized.clear(entry.id);
      }
      entry = entry.next;
    } else {
      // A return with its call not yet linearized: back-track.
      const top = stack.pop();
      if (top === undefined) return 'illegal';
      state = top.state;
      linearized.clear(top.node.id);
      unlift(top.node);
      entry = top.node.next;
    }
  }
  return 'ok';
}

/** Whether `history` is linearizable with respect to `model`; 'unknown' when the search budget ran out. */
export function checkOperations<S, I, O>(model: Model<S, I, O>, history: Array<Operation<I, O>>, maxSteps = 5_000_000): CheckResult {
  const parts = model.partition ? model.partition(history) : [history];
  const budget = { steps: maxSteps };
  let result: CheckResult = 'ok';
  for (const part of parts) {
    const r = checkSingle(model, part, budget);
    if (r === 'illegal') return 'illegal';
    if (r === 'unknown') result = 'unknown';
  }
  return result;
}
