// Goal: the linearizability checker accepts linearizable key-value histories
// and rejects non-linearizable ones, including with unknown outcomes.
// Method: hand-made histories whose verdict is known (the classic examples
// from Herlihy & Wing and Porcupine's tests), plus a brute-force oracle over
// every permutation on small random histories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRng } from '../../../runtime/env/rng.ts';
import { checkOperations } from './checker.ts';
import { kvModel, type KvInput, type KvOperation, type KvOutput } from './kv-model.ts';

function op(clientId: number, call: number, ret: number, input: KvInput, output: KvOutput = null): KvOperation {
  return { clientId, call, ret, input, output };
}
const put = (key: string, value: string): KvInput => ({ op: 'put', key, value });
const append = (key: string, value: string): KvInput => ({ op: 'append', key, value });
const get = (key: string): KvInput => ({ op: 'get', key });

test('accepts linearizable histories', () => {
  const histories: KvOperation[][] = [
    // Sequential.
    [op(0, 0, 1, put('x', '1')), op(1, 2, 3, get('x'), '1')],
    // A read concurrent with a write may see either value.
    [op(0, 0, 10, put('x', '1')), op(1, 1, 2, get('x'), ''), op(2, 3, 4, get('x'), '1')],
    // Appends in some order consistent with the reads.
    [op(0, 0, 5, append('x', 'a')), op(1, 0, 5, append('x', 'b')), op(2, 6, 7, get('x'), 'ba')],
    // An unknown-outcome write may take effect late, or never.
    [op(0, 0, Infinity, put('x', '1')), op(1, 5, 6, get('x'), ''), op(1, 7, 8, get('x'), '1')],
    [op(0, 0, Infinity, put('x', '1')), op(1, 5, 6, get('x'), '')],
    // Independent keys.
    [op(0, 0, 1, put('x', '1')), op(1, 0, 1, put('y', '2')), op(2, 2, 3, get('y'), '2'), op(3, 2, 3, get('x'), '1')],
  ];
  for (const h of histories) assert.equal(checkOperations(kvModel, h), 'ok', JSON.stringify(h));
});

test('rejects non-linearizable histories', () => {
  const histories: KvOperation[][] = [
    // A stale read after the write returned.
    [op(0, 0, 1, put('x', '1')), op(1, 2, 3, get('x'), '')],
    // Two sequential reads going back in time.
    [op(0, 0, 10, put('x', '1')), op(1, 1, 2, get('x'), '1'), op(2, 3, 4, get('x'), '')],
    // A value nobody wrote.
    [op(0, 0, 1, put('x', '1')), op(1, 2, 3, get('x'), '2')],
    // Appends seen in two different orders.
    [op(0, 0, 5, append('x', 'a')), op(1, 0, 5, append('x', 'b')), op(2, 6, 7, get('x'), 'ab'), op(3, 8, 9, get('x'), 'ba')],
    // An unknown-outcome write observed, then unobserved.
    [op(0, 0, Infinity, put('x', '1')), op(1, 5, 6, get('x'), '1'), op(1, 7, 8, get('x'), '')],
  ];
  for (const h of histories) assert.equal(checkOperations(kvModel, h), 'illegal', JSON.stringify(h));
});

/** The oracle: some total order of the operations respects real time and the model. */
function bruteForce(history: KvOperation[]): boolean {
  const n = history.length;
  const used = new Array<boolean>(n).fill(false);
  const search = (depth: number, state: Map<string, string>): boolean => {
    if (depth === n) return true;
    for (let i = 0; i < n; i++) {
      if (used[i]) continue;
      const o = history[i]!;
      // Minimal: no unused operation returned before o was called.
      if (history.some((p, j) => !used[j] && j !== i && p.ret < o.call)) continue;
      const next = kvModel.step(state.get(o.input.key) ?? '', o.input, o.output);
      if (next === null) continue;
      used[i] = true;
      const copy = new Map(state).set(o.input.key, next);
      if (search(depth + 1, copy)) return true;
      used[i] = false;
    }
    return false;
  };
  return search(0, new Map());
}

test('agrees with brute force on small random histories', () => {
  const rng = seededRng(2024);
  let illegal = 0;
  for (let round = 0; round < 300; round++) {
    const n = 2 + rng.int(5);
    const history: KvOperation[] = [];
    for (let i = 0; i < n; i++) {
      const call = rng.int(10);
      const ret = rng.next() < 0.1 ? Infinity : call + 1 + rng.int(5);
      const key = rng.next() < 0.7 ? 'x' : 'y';
      const kind = rng.int(3);
      const input: KvInput = kind === 0 ? get(key) : kind === 1 ? put(key, String(rng.int(3))) : append(key, String(rng.int(3)));
      const output = kind === 0 ? ['', '0', '1', '2', '01', '10'][rng.int(6)]! : null;
      if (kind === 0 && ret === Infinity) continue;
      history.push(op(i, call, ret, input, output));
    }
    const want = bruteForce(history) ? 'ok' : 'illegal';
    if (want === 'illegal') illegal++;
    assert.equal(checkOperations(kvModel, history), want, JSON.stringify(history));
  }
  assert.ok(illegal > 50 && illegal < 250, `both verdicts exercised (${illegal} illegal)`);
});
