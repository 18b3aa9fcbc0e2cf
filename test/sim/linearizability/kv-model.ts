// The key-value register model for the linearizability checker: put sets a
// key, append concatenates to it, get returns it ('' when unset). Each key is
// an independent register, so histories are checked key by key.
import type { Model, Operation } from './checker.ts';

export type KvInput = { op: 'get'; key: string } | { op: 'put' | 'append'; key: string; value: string };
/** The value a get returned; null for writes (their output carries nothing). */
export type KvOutput = string | null;
export type KvOperation = Operation<KvInput, KvOutput>;

export const kvModel: Model<string, KvInput, KvOutput> = {
  init: () => '',
  step(state, input, output) {
    switch (input.op) {
      case 'get':
        return output === state ? state : null;
      case 'put':
        return input.value;
      case 'append':
        return state + input.value;
    }
  },
  key: (state) => state,
  partition(history) {
    const byKey = new Map<string, KvOperation[]>();
    for (const op of history) {
      const list = byKey.get(op.input.key) ?? [];
      list.push(op);
      byKey.set(op.input.key, list);
    }
    return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
  },
};
