// Scatter one read over the covering set of an index (ARCHITECTURE §4.1) and
// collect one answer per shard group, failing over within the request:
//
// 1. The covering set assigns every shard to one healthy owner (rotating
//    groups and replicas with the peer's turn); shards with no healthy owner
//    anywhere are degraded at once.
// 2. Every assigned node is asked in parallel, always with the
//    `_miroir_shard IN [...]` restriction of its shards, even with RF 1 where
//    a node's assignment is every shard placement gives it: no node is
//    trusted to hold exactly its assignment. Committed state cannot prove it:
//    a migration's target holds copied documents from its `copy` phase on, a
//    failed migration leaves its partial copy there, and a failed job's
//    records are dropped once JOBS_KEPT newer jobs finished (apply-jobs.ts);
//    and this peer's replica may lag the leader (reads are local), so a copy
//    under way may not be in it yet. Each call goes through retryRead (a short
//    bounded retry for connection failures and 502/503/504) under the
//    deadline signal.
// 3. A node that still fails is excluded for the rest of the request; each of
//    its shards moves to its next healthy owner in preference order
//    (shardOwnersInOrder), the moved shards are grouped per new node and asked
//    again. A shard left with no owner, or still unanswered when the deadline
//    passes, is degraded.
// 4. A node's 4xx answer is the client's error (invalid filter, unknown sort
//    field…): it is thrown as the node's own Meilisearch error, unchanged.
//    `index_not_found` from a node is not: writes reach each node in log
//    order, so a node that has not created the index yet holds none of its
//    documents; its shards answer with the caller's `emptyAnswer`.
//
// Answers come back ordered by their smallest shard (the covering-set order
// the merges use to break their last ties).
//
// Metrics (runtime/metrics/search-metrics.ts, when the peer has them): the
// nodes asked per round, each node call's duration and outcome, and the
// shards left degraded.
import { MeiliError } from '../../api/errors/registry.ts';
import { NodeResponseError } from '../../transport/node-client/errors.ts';
import { retryRead } from '../../transport/node-client/retry.ts';
import { clientErrorOf } from './node-error.ts';
import type { RetryPolicy } from '../../transport/node-client/retry.ts';
import { shardOwnersInOrder } from '../routing/covering-set.ts';
import { cachedCoveringSet } from './cover-cache.ts';
import type { IndexReadContext } from './read-context.ts';

/** Retries of one node call before its shards fail over to the next owner. */
export const NODE_READ_RETRY: Readonly<RetryPolicy> = Object.freeze({ attemptsMax: 2, baseMs: 10, maxMs: 50 });

export interface ShardAnswer<T> {
  readonly nodeId: string;
  /** The shards this answer covers, ascending. */
  readonly shards: readonly number[];
  readonly body: T;
}

export interface ScatterResult<T> {
  readonly answers: ShardAnswer<T>[];
  /** Shards no node answered for, ascending. */
  readonly degradedShards: number[];
}

/** One node call: `shards` are the shards it must restrict itself to. */
export type NodeCall<T> = (nodeId: string, shards: readonly number[], signal: AbortSignal) => Promise<T>;

interface Assignment {
  readonly nodeId: string;
  readonly shards: number[];
}

export async function scatter<T>(
  context: IndexReadContext,
  call: NodeCall<T>,
  emptyAnswer: () => T,
): Promise<ScatterResult<T>> {
  const { topology, owners } = context;
  const cover = cachedCoveringSet(topology, owners.isHealthy, owners.turn);
  const degraded = [...cover.unavailableShards];
  const answers: ShardAnswer<T>[] = [];
  const failed = new Set<string>();
  let pending: Assignment[] = cover.nodes.map((n) => ({ nodeId: n.nodeId, shards: [...n.shards] }));
  for (let round = 0; pending.length > 0; round++) {
    context.services.metrics?.scatterRound(pending.length, round > 0);
    const settled = await Promise.allSettled(pending.map((a) => callNode(context, a, call, emptyAnswer)));
    const retry: number[] = [];
    settled.forEach((outcome, i) => {
      const assignment = pending[i]!;
      if (outcome.status === 'fulfilled') {
        answers.push({ nodeId: assignment.nodeId, shards: assignment.shards, body: outcome.value });
        return;
      }
      throwIfClientError(outcome.reason);
      failed.add(assignment.nodeId);
      if (context.signal.aborted) degraded.push(...assignment.shards);
      else retry.push(...assignment.shards);
    });
    pending = reassign(context, retry, failed, degraded);
  }
  answers.sort((a, b) => a.shards[0]! - b.shards[0]!);
  degraded.sort((a, b) => a - b);
  context.services.metrics?.shardsDegraded(degraded.length);
  return { answers, degradedShards: degraded };
}

async function callNode<T>(
  context: IndexReadContext,
  assignment: Assignment,
  call: NodeCall<T>,
  emptyAnswer: () => T,
): Promise<T> {
  const { services, signal } = context;
  try {
    return await retryRead(() => timed(context, assignment.nodeId, () => call(assignment.nodeId, assignment.shards, signal)), NODE_READ_RETRY, {
      clock: services.clock,
      rng: services.rng,
      signal,
    });
  } catch (error) {
    if (isIndexMissingOnNode(error)) return emptyAnswer();
    throw error;
  }
}

/** Runs one node call, reporting its duration and outcome to the peer's metrics. */
async function timed<T>(context: IndexReadContext, nodeId: string, run: () => Promise<T>): Promise<T> {
  const { metrics, clock } = context.services;
  if (metrics === undefined) return run();
  const startMs = clock.nowMs();
  try {
    const answer = await run();
    metrics.nodeRead(nodeId, clock.nowMs() - startMs, 'ok');
    return answer;
  } catch (error) {
    metrics.nodeRead(nodeId, clock.nowMs() - startMs, 'error');
    throw error;
  }
}

/** The failed shards grouped under their next healthy owner not yet failed; the rest degraded. */
function reassign(context: IndexReadContext, shards: readonly number[], failed: ReadonlySet<string>, degraded: number[]): Assignment[] {
  const byNode = new Map<string, number[]>();
  for (const shard of shards) {
    const next = shardOwnersInOrder(context.owners, shard).find((o) => !failed.has(o.nodeId));
    if (next === undefined) {
      degraded.push(shard);
      continue;
    }
    const list = byNode.get(next.nodeId);
    if (list) list.push(shard);
    else byNode.set(next.nodeId, [shard]);
  }
  return [...byNode].map(([nodeId, list]) => ({ nodeId, shards: list.sort((a, b) => a - b) }));
}

export function isIndexMissingOnNode(error: unknown): boolean {
  return error instanceof NodeResponseError && error.status === 404 && error.body.code === 'index_not_found';
}

/** A node's 4xx answer: the client's own error, passed through unchanged. */
export function isClientError(error: unknown): error is NodeResponseError {
  return error instanceof NodeResponseError && error.status >= 400 && error.status < 500;
}

export function throwIfClientError(error: unknown): void {
  if (isClientError(error)) throw clientErrorOf(error);
  if (error instanceof MeiliError) throw error;
}

/** The `read.policy: error` answer for shards no node answered for. */
export function shardUnavailable(indexUid: string, shards: readonly number[]): MeiliError {
  return new MeiliError(
    'miroir_shard_unavailable',
    `Shards ${shards.join(', ')} of index \`${indexUid}\` have no reachable owner; retry later.`,
  );
}

/** Applies the read policy: with `error`, any degraded shard fails the read. */
/**
 * POSTs `bodyFor(shards)` to every node of the covering set at `path`, then
 * applies the read policy: the scatter of the search, facet-search and
 * documents reads.
 */
export async function postToCover<T>(
  context: IndexReadContext,
  path: string,
  bodyFor: (shards: readonly number[]) => unknown,
  emptyAnswer: () => T,
): Promise<ScatterResult<T>> {
  const result = await scatter<T>(
    context,
    async (nodeId, shards, signal) =>
      (await context.services.node(nodeId).request<T>({ method: 'POST', path, body: bodyFor(shards), signal })).body,
    emptyAnswer,
  );
  enforceReadPolicy(context, result.degradedShards);
  return result;
}

export function enforceReadPolicy(context: IndexReadContext, degradedShards: readonly number[]): void {
  if (degradedShards.length > 0 && context.services.config.read.policy === 'error') {
    throw shardUnavailable(context.index.uid, degradedShards);
  }
}
