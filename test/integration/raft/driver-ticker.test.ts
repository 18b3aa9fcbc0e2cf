// Goal: the driver keeps Raft time on the clock, not on timer callbacks: when
// its timer fires late (a busy event loop), it makes up the missed ticks, so
// election timeouts do not stretch with the lag; after a long stall it makes
// up at most 3 ticks, so the messages that queued during the stall are
// stepped before an election can fire. Method: a single-voter driver over the
// real core and LevelDB, on a manual clock whose time the test moves; the
// core's tick() is counted through a thin wrapper.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../../../runtime/env/clock.ts';
import { seededRng } from '../../../runtime/env/rng.ts';
import { RaftCore } from '../../../runtime/raft/core.ts';
import { RaftDriver } from '../../../runtime/raft/driver.ts';
import { LevelLogStore } from '../../../runtime/raft/log-store-level.ts';
import { KvStateMachine } from './kv-state-machine.ts';
import { raftConfig } from './in-process-peer.ts';

const root = mkdtempSync(join(tmpdir(), 'miroir-ticker-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Time moves only through advance(); due timers fire in due order, each at most once per call. */
class ManualClock implements Clock {
  now = 0;
  #timers = new Map<number, { dueMs: number; callback: () => void }>();
  #nextId = 1;
  nowMs(): number { return this.now; }
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { dueMs: this.now + delayMs, callback });
    return { id };
  }
  clearTimeout(handle: TimerHandle): void { this.#timers.delete(handle.id); }
  /** Jumps `ms` ahead, then fires what came due (late, as a busy loop would). */
  advance(ms: number): void {
    this.now += ms;
    const due = [...this.#timers].filter(([, t]) => t.dueMs <= this.now).sort((a, b) => a[1].dueMs - b[1].dueMs);
    for (const [id, t] of due) {
      this.#timers.delete(id);
      t.callback();
    }
  }
}

test('ticks follow the clock when timers fire late, and a long stall makes up at most 3 ticks', async () => {
  const clock = new ManualClock();
  const store = await LevelLogStore.open({ path: join(root, 't1'), bootstrap: { voters: ['t1'], learners: [] } });
  let ticks = 0;
  const none = (): void => undefined;
  const transport = { sendRaft: () => true, onRaftMessage: () => none, request: async () => new Uint8Array(), handle: () => none };
  const driver = await RaftDriver.start({
    config: raftConfig('t1', { electionTicks: 1000, heartbeatTicks: 1 }), store, transport, stateMachine: new KvStateMachine(), clock,
    rng: seededRng(1), tickMs: 10, snapshotEveryEntries: 1000, proposalsPendingMax: 10, proposalTimeoutMs: 1000, readsPendingMax: 10, readTimeoutMs: 1000,
    incomingMessagesMax: 10,
    createNode: (config, restored, rng) => {
      const core = new RaftCore(config, restored, rng);
      const tick = core.tick.bind(core);
      core.tick = () => { ticks++; tick(); };
      return core;
    },
  });
  try {
    // Timers fire 15 ms late every time: 100 firings over 2,500 ms must still make ~250 ticks.
    for (let i = 0; i < 100; i++) clock.advance(25);
    assert.ok(ticks >= 248 && ticks <= 250, `${ticks} ticks in 2,500 ms of 10 ms ticks`);
    // A 1 s stall: one late firing makes up 3 ticks, not 100.
    const before = ticks;
    clock.advance(1000);
    assert.equal(ticks - before, 3);
    // Then it is back on schedule, owing nothing.
    const after = ticks;
    for (let i = 0; i < 10; i++) clock.advance(10);
    assert.equal(ticks - after, 10);
  } finally {
    await driver.close();
  }
});
