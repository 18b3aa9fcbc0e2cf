// The simulator's clock (STYLE G5, G6): time moves only when the simulation
// advances it, one tick at a time, and timers fire in (due time, creation)
// order — so anything written against the Clock interface runs
// deterministically under a seed. The Raft core itself only sees ticks.
import type { Clock, TimerHandle } from '../../runtime/env/clock.ts';

interface Timer {
  handle: TimerHandle;
  dueMs: number;
  callback: () => void;
}

export class SimClock implements Clock {
  private nowValue = 0;
  private timers: Timer[] = [];
  private nextId = 1;
  ticks = 0;

  constructor(readonly tickMs = 10) {}

  nowMs(): number {
    return this.nowValue;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const handle = { id: this.nextId++ };
    this.timers.push({ handle, dueMs: this.nowValue + Math.max(0, delayMs), callback });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.handle.id !== handle.id);
  }

  /** Advances one tick and fires every timer that came due, earliest first. */
  tick(): void {
    this.ticks++;
    this.nowValue += this.tickMs;
    for (;;) {
      const due = this.timers.filter((t) => t.dueMs <= this.nowValue).sort((a, b) => a.dueMs - b.dueMs || a.handle.id - b.handle.id)[0];
      if (due === undefined) return;
      this.clearTimeout(due.handle);
      due.callback();
    }
  }
}
