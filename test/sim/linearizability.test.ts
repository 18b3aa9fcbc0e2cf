// Goal: reads and writes through the Raft log are linearizable — writes
// acknowledged at apply on the proposer, reads through ReadIndex (Raft thesis
// §6.4) on leaders and followers — under drops, duplicates, reordering,
// partitions, crashes and compaction. Method: concurrent simulated clients
// record a history of put/append/get on a few keys; after each seeded run
// the Porcupine-style checker must find the history linearizable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KvApp } from './apps.ts';
import { SimCluster } from './cluster.ts';
import { checkOperations } from './linearizability/checker.ts';
import { KvClients } from './linearizability/kv-clients.ts';
import { kvModel } from './linearizability/kv-model.ts';
import { unreliable } from './network.ts';
import { forEachSeed, range } from './seeds.ts';

function history(seed: number, faults: boolean, readMode: 'readIndex' | 'local' = 'readIndex'): KvClients {
  const c = new SimCluster({ seed, peers: 5, app: () => new KvApp(), compactAfter: 20, ...(faults ? { faults: unreliable } : {}) });
  const clients = new KvClients(c, 5, ['a', 'b', 'c'], readMode);
  for (let t = 0; t < 400; t++) {
    clients.step();
    if (faults) {
      const roll = c.rng.next();
      const id = c.ids[c.rng.int(c.ids.length)]!;
      if (roll < 0.01 && c.peer(id).alive) c.crash(id);
      else if (roll < 0.04 && !c.peer(id).alive) c.restart(id);
      else if (roll < 0.05) c.network.partition([c.ids.filter(() => c.rng.next() < 0.5)]);
      else if (roll < 0.08) c.network.heal();
    }
    c.tick();
  }
  c.heal(500);
  for (let t = 0; t < 100; t++) {
    clients.step();
    c.tick();
  }
  return clients;
}

function run(seed: number, faults: boolean): void {
  const clients = history(seed, faults);
  const verdict = checkOperations(kvModel, clients.history);
  assert.equal(verdict, 'ok', `history of ${clients.history.length} operations is ${verdict}`);
  assert.ok(clients.completed > 50, `only ${clients.completed} operations completed`);
}

test('thesis §6.4: concurrent clients on a healthy cluster see a linearizable key-value store', () => {
  forEachSeed(range(3), (seed) => run(seed, false));
});

test('thesis §6.4: linearizable under drops, duplicates, reordering, partitions, crashes and compaction', () => {
  forEachSeed(range(8), (seed) => run(seed, true));
});

test('the harness can fail: reading a peer\'s local state without ReadIndex yields non-linearizable histories', () => {
  const verdicts: string[] = [];
  for (const seed of range(10)) {
    verdicts.push(checkOperations(kvModel, history(seed, true, 'local').history, 200_000));
    if (verdicts.includes('illegal')) break;
  }
  assert.equal(verdicts[verdicts.length - 1], 'illegal', `stale reads went unnoticed: ${verdicts.join(', ')}`);
});
