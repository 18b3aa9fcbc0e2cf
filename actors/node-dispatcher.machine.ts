// The dispatcher of one node (ARCHITECTURE §3 steps 4–6), leader-only,
// systemId `dispatcher:<nodeId>`. It owns the node's position in the
// committed log: it reads entries after its cursor in order, sends the node
// its part of each (runtime/dispatch/plan.ts) strictly one request at a time,
// polls the node tasks, and commits `dispatcher.cursor` batches carrying the
// outcomes of the entries the cursor passed.
//
// Committed phase it mirrors: the node's cursor in the cluster state. It
// starts from that cursor (input is rebuilt from committed state, never from
// a persisted snapshot, STYLE G9), but the node may already hold requests
// after it (the previous leader, or this dispatcher before a failure, sent
// them), and a documents write sent twice is not harmless: a partial update
// and a filter delete of the same document, resent, leave a ghost. So every
// documents request carries its log position as `customMetadata`
// (runtime/dispatch/stamp.ts), and before sending anything (`resuming`: at
// start, and whenever the window was dropped) the dispatcher reads the
// node's newest tasks and adopts what the node already enqueued: those
// requests count as sent, their tasks are polled like its own, and sending
// goes on exactly after them (runtime/dispatch/resume.ts, which also says
// what is sent again and why that converges). The window is dropped after
// any unexpected failure and after a send the node did not answer (it may
// have enqueued the request all the same); a node that is down is retried
// after a capped, jittered back-off (`retryBackoff`); one that comes back
// without the tasks it had acknowledged (its data lost) is replayed from the
// committed cursor. When the log was compacted past the cursor (retention
// bounds) it commits `dispatcher.behind` and goes on from the compaction point.
//
// The I/O implementations are provided by `nodeDispatcherLogic(services)`;
// the context holds only serializable data (cursors, the window of planned
// requests, counters).
import { assign, fromCallback, fromPromise, setup } from 'xstate';
import type { NodeOutcome } from '../runtime/cluster/index.ts';
import { LogCompactedError } from '../runtime/errors.ts';
import { listNewestTasks, pollTasks, sendUnsent, type SendReport } from '../runtime/dispatch/node-io.ts';
import { adoptEnqueued, resumePoint } from '../runtime/dispatch/resume.ts';
import type { DispatchServices } from '../runtime/dispatch/services.ts';
import { readRange } from '../runtime/dispatch/replay.ts';
import {
  awaitedTaskUids, commitDue, copyEntry, hasUnsent, lacksAwaitedTask, planEntries, recordSent, recordTasks, takeFinished,
  type CommitPolicy, type NodeTaskView, type WindowEntry,
} from '../runtime/dispatch/window.ts';
import { backoffDelayMs } from '../transport/peer/backoff.ts';

export interface NodeDispatcherInput {
  nodeId: string;
  /** The node's committed cursor when the dispatcher starts. */
  cursor: number;
  /** Entries in the window at most (config `dispatcher.inflightMax`). */
  inflightMax: number;
}

export interface NodeDispatcherContext {
  nodeId: string;
  inflightMax: number;
  committedCursor: number;
  /** The last log index read (planned or passed over). */
  readThrough: number;
  window: WindowEntry[];
  /** The cursor the finished prefix allows, not committed yet, and the outcomes it carries. */
  pendingCursor: number;
  outcomes: NodeOutcome[];
  firstPendingAtMs: number | null;
  /** The last look at the replica and the clock (taken in `settling`). */
  seen: Observation;
  /** Consecutive failures; drives the back-off. */
  attempt: number;
  backoffMs: number;
  /** Consecutive polls that settled nothing; drives the poll interval. */
  pollAttempt: number;
  /** Consecutive polls whose answer lacked an acknowledged task (see tasksLost). */
  missingPolls: number;
  lastError: string | null;
  /** Entries finished since start (status, tests). */
  finished: number;
  /** The window was dropped (or never built): look at the node's tasks before sending anything (runtime/dispatch/resume.ts). */
  needsResume: boolean;
}

export interface Observation {
  appliedIndex: number;
  lastDispatchIndex: number;
  nowMs: number;
}

export type NodeDispatcherEvent =
  | { type: 'dispatcher.log.appended' }
  | { type: 'dispatcher.stop' };

export interface ReadInput {
  nodeId: string;
  readThrough: number;
  window: WindowEntry[];
  inflightMax: number;
}

export interface ReadOutput {
  planned: WindowEntry[];
  readThrough: number | null;
}

export interface ResumeInput {
  nodeId: string;
  cursor: number;
  inflightMax: number;
}

export interface ResumeOutput {
  /** The entries the node already holds requests of, those requests marked sent with the node's tasks. */
  window: WindowEntry[];
  readThrough: number;
}

export interface CommitOutput {
  cursor: number;
  /** Outcomes committed (a prefix of the pending ones). */
  count: number;
}

/** The I/O of one dispatcher; nodeDispatcherLogic(services) provides them. */
function unprovided<O, I>(name: string) {
  return fromPromise<O, I>(async () => {
    throw new Error(`node dispatcher: ${name} is provided by nodeDispatcherLogic(services)`);
  });
}

export const nodeDispatcherMachine = setup({
  types: {
    context: {} as NodeDispatcherContext,
    events: {} as NodeDispatcherEvent,
    input: {} as NodeDispatcherInput,
  },
  actors: {
    observe: unprovided<Observation, void>('observe'),
    resumeWindow: unprovided<ResumeOutput, ResumeInput>('resumeWindow'),
    readEntries: unprovided<ReadOutput, ReadInput>('readEntries'),
    sendRequests: unprovided<SendReport, { nodeId: string; window: WindowEntry[] }>('sendRequests'),
    pollNodeTasks: unprovided<NodeTaskView[], { nodeId: string; uids: number[] }>('pollNodeTasks'),
    commitCursor: unprovided<CommitOutput, { nodeId: string; cursor: number; outcomes: NodeOutcome[] }>('commitCursor'),
    reportBehind: unprovided<number, { nodeId: string; cursor: number }>('reportBehind'),
    drawBackoff: unprovided<number, { attempt: number }>('drawBackoff'),
    listenForAppends: fromCallback<NodeDispatcherEvent>(() => () => undefined),
  },
  guards: {
    needsResume: ({ context }) => context.needsResume,
    hasUnsent: ({ context }) => context.window.some(hasUnsent),
    awaitsNodeTasks: ({ context }) => awaitedTaskUids(context.window).length > 0,
    /** More committed entries to read, and room in the window for them. */
    canRead: ({ context }) => context.seen.appliedIndex > context.readThrough && context.window.length < context.inflightMax,
    readNothing: (_, out: ReadOutput) => out.readThrough === null,
    commitDue: ({ context }) => isCommitDue(context, { batchEntriesMax: 256, intervalMs: 50 }),
    sendStopped: (_, report: SendReport) => report.unavailable !== null,
    /** The node kept answering without a task it acknowledged: replaying from the cursor is the only way on. */
    tasksLost: ({ context }, tasks: NodeTaskView[]) => isTasksLost(context, tasks, 20),
    logCompacted: (_, params: { error: unknown }) => params.error instanceof LogCompactedError,
  },
  actions: {
    addPlanned: assign(({ context }, out: ReadOutput) => ({
      window: [...context.window, ...out.planned], readThrough: out.readThrough ?? context.readThrough,
    })),
    recordSendReport: assign(({ context }, report: SendReport) => {
      const window = context.window.map(copyEntry);
      for (const { logIndex, answers } of report.answers) {
        const entry = window.find((e) => e.logIndex === logIndex);
        if (entry === undefined) continue;
        for (const answer of answers) {
          const req = entry.requests[entry.next];
          if (req === undefined) break;
          recordSent(req, answer);
          entry.next += 1;
        }
      }
      return { window, lastError: report.unavailable };
    }),
    recordPolled: assign(({ context }, tasks: NodeTaskView[]) => {
      const missingPolls = lacksAwaitedTask(context.window, tasks) ? context.missingPolls + 1 : 0;
      const window = context.window.map(copyEntry);
      const settled = recordTasks(window, tasks);
      return { window, pollAttempt: settled > 0 ? 0 : context.pollAttempt + 1, missingPolls };
    }),
    takeFinished: assign(({ context }, seen: Observation) => {
      const window = [...context.window];
      const { cursor, outcomes } = takeFinished(window, context.readThrough, context.nodeId);
      return { window, seen, ...settle(context, cursor, outcomes, seen.nowMs) };
    }),
    markCommitted: assign(({ context }, out: CommitOutput) => {
      const rest = context.outcomes.slice(out.count);
      return {
        committedCursor: Math.max(context.committedCursor, out.cursor),
        outcomes: rest,
        firstPendingAtMs: rest.length > 0 ? context.firstPendingAtMs : null,
        attempt: 0,
      };
    }),
    restartFromCursor: assign((_, cursor: number) => {
      return { committedCursor: cursor, readThrough: cursor, pendingCursor: cursor, window: [], outcomes: [], firstPendingAtMs: null, needsResume: true };
    }),
    adoptWindow: assign((_, out: ResumeOutput) => ({ window: out.window, readThrough: out.readThrough, needsResume: false })),
    noteFailure: assign(({ context }, params: { error: unknown }) => {
      const error = params.error;
      const message = error instanceof Error ? error.message : String(error);
      return { attempt: context.attempt + 1, lastError: message };
    }),
    /** Drops what is not committed: the retry resumes after what the node holds of the rest (resuming). */
    resetWindow: assign(({ context }) => ({
      readThrough: context.committedCursor, pendingCursor: context.committedCursor, window: [], outcomes: [], firstPendingAtMs: null,
      missingPolls: 0, needsResume: true,
    })),
    setBackoff: assign((_, backoffMs: number) => ({ backoffMs })),
    resetAttempts: assign({ attempt: 0 }),
  },
  delays: {
    retryBackoff: ({ context }) => context.backoffMs,
    pollInterval: ({ context }) => Math.min(100, 10 * 2 ** Math.min(context.pollAttempt, 6)),
    idleInterval: 1_000,
  },
}).createMachine({
  id: 'nodeDispatcher',
  context: ({ input }) => ({
    nodeId: input.nodeId, inflightMax: input.inflightMax, committedCursor: input.cursor, readThrough: input.cursor, window: [], pendingCursor: input.cursor,
    outcomes: [], firstPendingAtMs: null, seen: { appliedIndex: 0, lastDispatchIndex: 0, nowMs: 0 },
    attempt: 0, backoffMs: 0, pollAttempt: 0, missingPolls: 0, lastError: null, finished: 0, needsResume: true,
  }),
  initial: 'settling',
  on: { 'dispatcher.stop': '.stopped' },
  states: {
    settling: {
      // Takes the finished prefix off the window with a fresh look at the replica, then routes.
      invoke: { src: 'observe', onDone: { target: 'routing', actions: { type: 'takeFinished', params: ({ event }) => event.output } } },
    },
    routing: {
      // Reading ahead while node tasks run keeps the node busy (the window pipelines up to inflightMax entries).
      always: [
        { guard: 'needsResume', target: 'resuming' },
        { guard: 'commitDue', target: 'committing' },
        { guard: 'hasUnsent', target: 'sending' },
        { guard: 'canRead', target: 'reading' },
        { guard: 'awaitsNodeTasks', target: 'awaitingNodeTasks' },
        { target: 'idle' },
      ],
    },
    resuming: {
      // Before anything is sent: adopt what the node already enqueued after the committed cursor.
      invoke: {
        src: 'resumeWindow',
        input: ({ context }) => ({ nodeId: context.nodeId, cursor: context.committedCursor, inflightMax: context.inflightMax }),
        onDone: { target: 'settling', actions: { type: 'adoptWindow', params: ({ event }) => event.output } },
        onError: [
          { guard: { type: 'logCompacted', params: ({ event }) => ({ error: event.error }) }, target: 'reportingBehind' },
          { target: 'drawingBackoff', actions: { type: 'noteFailure', params: ({ event }) => ({ error: event.error }) } },
        ],
      },
    },
    reading: {
      invoke: {
        src: 'readEntries',
        input: ({ context }) => ({
          nodeId: context.nodeId, readThrough: context.readThrough, window: context.window, inflightMax: context.inflightMax,
        }),
        onDone: [
          // The replica is ahead of the readable log for a moment (a restarted driver re-delivering entries).
          { guard: { type: 'readNothing', params: ({ event }) => event.output }, target: 'idle' },
          { target: 'settling', actions: { type: 'addPlanned', params: ({ event }) => event.output } },
        ],
        onError: [
          { guard: { type: 'logCompacted', params: ({ event }) => ({ error: event.error }) }, target: 'reportingBehind' },
          { target: 'drawingBackoff', actions: [{ type: 'noteFailure', params: ({ event }) => ({ error: event.error }) }, 'resetWindow'] },
        ],
      },
    },
    idle: {
      invoke: { src: 'listenForAppends' },
      on: { 'dispatcher.log.appended': 'settling' },
      after: { idleInterval: 'settling' },
    },
    sending: {
      invoke: {
        src: 'sendRequests',
        input: ({ context }) => ({ nodeId: context.nodeId, window: context.window }),
        onDone: [
          {
            guard: { type: 'sendStopped', params: ({ event }) => event.output },
            // The request that failed may have been enqueued all the same (a timeout after the node took it):
            // the retry resumes after what the node holds rather than sending it again.
            target: 'drawingBackoff',
            actions: [{ type: 'noteFailure', params: ({ event }) => ({ error: event.output.unavailable }) }, 'resetWindow'],
          },
          { target: 'awaitingNodeTasks', actions: [{ type: 'recordSendReport', params: ({ event }) => event.output }, 'resetAttempts'] },
        ],
        onError: { target: 'drawingBackoff', actions: [{ type: 'noteFailure', params: ({ event }) => ({ error: event.error }) }, 'resetWindow'] },
      },
    },
    awaitingNodeTasks: {
      after: { pollInterval: 'polling' },
    },
    polling: {
      invoke: {
        src: 'pollNodeTasks',
        input: ({ context }) => ({ nodeId: context.nodeId, uids: awaitedTaskUids(context.window) }),
        onDone: [
          {
            guard: { type: 'tasksLost', params: ({ event }) => event.output },
            target: 'drawingBackoff',
            actions: [{ type: 'noteFailure', params: () => ({ error: 'the node lost tasks it had acknowledged' }) }, 'resetWindow'],
          },
          { target: 'settling', actions: { type: 'recordPolled', params: ({ event }) => event.output } },
        ],
        onError: { target: 'drawingBackoff', actions: { type: 'noteFailure', params: ({ event }) => ({ error: event.error }) } },
      },
    },
    committing: {
      invoke: {
        src: 'commitCursor',
        input: ({ context }) => ({ nodeId: context.nodeId, cursor: context.pendingCursor, outcomes: context.outcomes }),
        onDone: { target: 'settling', actions: { type: 'markCommitted', params: ({ event }) => event.output } },
        onError: { target: 'drawingBackoff', actions: [{ type: 'noteFailure', params: ({ event }) => ({ error: event.error }) }, 'resetWindow'] },
      },
    },
    reportingBehind: {
      invoke: {
        src: 'reportBehind',
        input: ({ context }) => ({ nodeId: context.nodeId, cursor: context.committedCursor }),
        onDone: { target: 'settling', actions: { type: 'restartFromCursor', params: ({ event }) => event.output } },
        onError: { target: 'drawingBackoff', actions: { type: 'noteFailure', params: ({ event }) => ({ error: event.error }) } },
      },
    },
    drawingBackoff: {
      invoke: {
        src: 'drawBackoff',
        input: ({ context }) => ({ attempt: context.attempt }),
        onDone: { target: 'backingOff', actions: { type: 'setBackoff', params: ({ event }) => event.output } },
      },
    },
    backingOff: {
      after: { retryBackoff: 'settling' },
    },
    stopped: { type: 'final' },
  },
});

/** Whether this poll makes `pollsMax` in a row without a task the node acknowledged. */
function isTasksLost(context: NodeDispatcherContext, tasks: readonly NodeTaskView[], pollsMax: number): boolean {
  return lacksAwaitedTask(context.window, tasks) && context.missingPolls + 1 >= pollsMax;
}

/** Whether the finished prefix's cursor batch is due (window.ts commitDue over the context). */
function isCommitDue(context: NodeDispatcherContext, policy: CommitPolicy): boolean {
  return commitDue({
    pendingCursor: context.pendingCursor, committedCursor: context.committedCursor, outcomes: context.outcomes.length,
    windowEmpty: context.window.length === 0,
    sinceFirstPendingMs: context.firstPendingAtMs === null ? 0 : context.seen.nowMs - context.firstPendingAtMs,
  }, context.seen.lastDispatchIndex, policy);
}

/**
 * The dispatcher of one node over a peer's services: the log, the replica,
 * the node client, proposals, and the bounds and delays of `services.limits`.
 */
export function nodeDispatcherLogic(services: DispatchServices) {
  const { limits, clock } = services;
  const policy: CommitPolicy = { batchEntriesMax: limits.cursorBatchEntriesMax, intervalMs: limits.cursorIntervalMs };
  const backoff = { baseMs: limits.retryBackoffMs, maxMs: limits.retryBackoffMaxMs };
  return nodeDispatcherMachine.provide({
    actors: {
      observe: fromPromise<Observation, void>(async () => {
        const state = services.state();
        // The replica may be a step ahead of the readable log while the driver records an apply.
        return { appliedIndex: Math.min(state.appliedIndex, services.log.appliedIndex()), lastDispatchIndex: state.lastDispatchIndex, nowMs: clock.nowMs() };
      }),
      resumeWindow: fromPromise<ResumeOutput, ResumeInput>(async ({ input, signal }) => {
        // Behind retention, whatever the node holds: reported before the node is asked (it may be down).
        if (services.log.compactedThrough() > input.cursor) throw new LogCompactedError(input.cursor + 1);
        const tasks = await listNewestTasks(services.client(input.nodeId), input.cursor, limits.resumeTasksMax, signal);
        const through = resumePoint(tasks, input.cursor);
        if (through === null) return { window: [], readThrough: input.cursor };
        const readLog = readRange((from, maxBytes) => services.log.readCommitted(from, maxBytes), limits.readBytesMax);
        const state = services.state();
        const unbounded = { entries: Number.POSITIVE_INFINITY, bytes: Number.POSITIVE_INFINITY };
        const held = planEntries(readLog(input.cursor + 1, through.logIndex), state, input.nodeId, unbounded, readLog);
        // A new leader may not have applied yet what the old one sent: the back-off retries.
        if ((held.readThrough ?? input.cursor) < through.logIndex) throw new Error(`the node holds entry ${through.logIndex}, not applied here yet`);
        // The entries after it, as a read would plan them: their first index and settings requests may be on the node too.
        const room = { entries: input.inflightMax, bytes: limits.batchBytesMax };
        const ahead = planEntries(services.log.readCommitted(through.logIndex + 1, limits.readBytesMax), state, input.nodeId, room, readLog);
        const window = adoptEnqueued([...held.planned, ...ahead.planned], tasks, through);
        // The `quorum` ack mode counts the node's enqueue of these even when the answer that said so was lost.
        const enqueued = window.filter((e) => e.next === e.requests.length).map((e) => e.logIndex);
        if (enqueued.length > 0) services.enqueued?.(input.nodeId, enqueued);
        return { window, readThrough: ahead.readThrough ?? through.logIndex };
      }),
      readEntries: fromPromise<ReadOutput, ReadInput>(async ({ input }) => {
        const entries = services.log.readCommitted(input.readThrough + 1, limits.readBytesMax);
        const bytes = input.window.reduce((sum, e) => sum + e.bytes, 0);
        const room = { entries: input.inflightMax - input.window.length, bytes: Math.max(0, limits.batchBytesMax - bytes) };
        // A migration's release replays the held shard from the log (runtime/dispatch/replay.ts).
        const readLog = readRange((from, maxBytes) => services.log.readCommitted(from, maxBytes), limits.readBytesMax);
        return planEntries(entries, services.state(), input.nodeId, room, readLog);
      }),
      sendRequests: fromPromise<SendReport, { nodeId: string; window: WindowEntry[] }>(async ({ input, signal }) =>
        sendUnsent(services.client(input.nodeId), input.window, signal, (logIndexes) => services.enqueued?.(input.nodeId, logIndexes))),
      pollNodeTasks: fromPromise<NodeTaskView[], { nodeId: string; uids: number[] }>(async ({ input, signal }) =>
        pollTasks(services.client(input.nodeId), input.uids, signal)),
      commitCursor: fromPromise<CommitOutput, { nodeId: string; cursor: number; outcomes: NodeOutcome[] }>(async ({ input }) => {
        await services.propose({
          v: 1, kind: 'dispatcher.cursor', cursors: [{ nodeId: input.nodeId, index: input.cursor }], outcomes: input.outcomes, nowMs: clock.nowMs(),
        });
        return { cursor: input.cursor, count: input.outcomes.length };
      }),
      reportBehind: fromPromise<number, { nodeId: string; cursor: number }>(async ({ input }) => {
        const compactedThrough = services.log.compactedThrough();
        await services.propose({ v: 1, kind: 'dispatcher.behind', nodeIds: [input.nodeId], compactedThrough, nowMs: clock.nowMs() });
        return Math.max(input.cursor, services.state().cursors.get(input.nodeId) ?? 0);
      }),
      drawBackoff: fromPromise<number, { attempt: number }>(async ({ input }) => backoffDelayMs(Math.max(0, input.attempt - 1), backoff, services.rng)),
      listenForAppends: fromCallback<NodeDispatcherEvent>(({ sendBack }) => services.onApplied(() => sendBack({ type: 'dispatcher.log.appended' }))),
    },
    guards: {
      commitDue: ({ context }) => isCommitDue(context, policy),
      tasksLost: ({ context }, tasks: NodeTaskView[]) => isTasksLost(context, tasks, limits.lostTaskPollsMax),
    },
    delays: {
      pollInterval: ({ context }) => Math.min(limits.pollIntervalMaxMs, limits.pollIntervalMs * 2 ** Math.min(context.pollAttempt, 16)),
      idleInterval: limits.idleIntervalMs,
    },
  });
}

function settle(context: NodeDispatcherContext, cursor: number, outcomes: NodeOutcome[], nowMs: number): Partial<NodeDispatcherContext> {
  if (cursor <= context.pendingCursor && outcomes.length === 0) return {};
  return {
    pendingCursor: Math.max(context.pendingCursor, cursor),
    outcomes: [...context.outcomes, ...outcomes],
    firstPendingAtMs: context.firstPendingAtMs ?? nowMs,
    finished: context.finished + outcomes.length,
  };
}
