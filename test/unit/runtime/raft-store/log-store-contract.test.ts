// Goal: LevelLogStore honours the same LogStore contract as the simulator's
// MemoryLogStore (test/sim/log-store-contract.ts), so what the simulation
// proves about Raft over the in-memory store carries over to LevelDB.
// Method: run every shared contract check against a real LevelDB directory;
// reopen() closes the database and opens it again, as a restart does.
import { test, after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelLogStore } from '../../../../runtime/raft/log-store-level.ts';
import type { ConfState, LogStore } from '../../../../runtime/raft/types.ts';
import { logStoreContract } from '../../../sim/log-store-contract.ts';

const root = mkdtempSync(join(tmpdir(), 'miroir-contract-'));
after(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
for (const [name, check] of Object.entries(logStoreContract)) {
  test(`LogStore contract (LevelDB): ${name}`, async () => {
    const path = join(root, `db-${n++}`);
    let bootstrap: ConfState = { voters: [], learners: [] };
    await check({
      open: async (b) => {
        bootstrap = b;
        return LevelLogStore.open({ path, bootstrap: b });
      },
      reopen: async (store: LogStore) => {
        await store.close();
        return LevelLogStore.open({ path, bootstrap });
      },
    });
  });
}
