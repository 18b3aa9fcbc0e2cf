// Encodes cluster commands into Raft entry payloads and decodes them back with
// one validating decoder per kind (STYLE G15). A payload that does not match
// its kind exactly — wrong type, missing field, unknown field, other version —
// is refused with a DecodeError naming the path, before apply ever sees it.

import {
  COMMAND_VERSION,
  NODE_STATES,
  WRITE_ACK_MODES,
  type ClusterCommand,
  type CommandKind,
  type CommandOf,
  type Document,
  type DocumentsWritePart,
  type IndexSwap,
  type NodeOutcome,
} from './commands.ts';
import {
  DecodeError,
  FieldReader,
  MAX_TIME_MS,
  expectArray,
  expectInt,
  expectObject,
  expectString,
  isPlainObject,
  readErrorBody,
  withOptional,
  type PlainObject,
} from './decode-fields.ts';
import { packValue, unpackValue } from './msgpack.ts';
import { JOB_KINDS, MIGRATION_PHASES, TASK_STATUSES, TASK_TYPES } from './state.ts';
import type { TaskFilter } from './task-query.ts';

/**
 * Validates, then encodes. Validating on the proposer is what keeps the log
 * clean: a committed entry that no replica can decode would stop every peer
 * at the same index, so nothing undecodable may ever be proposed.
 */
export function encodeCommand(command: ClusterCommand): Uint8Array {
  validateCommand(command);
  return packValue(command);
}

export function decodeCommand(bytes: Uint8Array): ClusterCommand {
  return validateCommand(unpackValue(bytes));
}

/** Validates an already-unpacked value (e.g. a command forwarded inside a peer frame). */
export function validateCommand(value: unknown): ClusterCommand {
  const obj = expectObject(value, 'command');
  const kind = obj['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(decoders, kind)) {
    throw new DecodeError(`command.kind: unknown kind ${JSON.stringify(kind)}`);
  }
  const r = new FieldReader(obj, kind);
  r.value('kind');
  if (r.value('v') !== COMMAND_VERSION) throw new DecodeError(`${kind}.v: unsupported version`);
  const command = decoders[kind as CommandKind](r);
  r.done();
  return command;
}

type Decoders = { [K in CommandKind]: (r: FieldReader) => CommandOf<K> };

/** Reads `nowMs` and the optional `customMetadata` shared by task commands. */
function taskFields(r: FieldReader): { nowMs: number; customMetadata?: string } {
  return withOptional({ nowMs: r.timeMs('nowMs') }, 'customMetadata', r.optStr('customMetadata'));
}

/** A documents.write part: index < count, and a task uid exactly on the parts after the first. */
function writePartAt(r: FieldReader): DocumentsWritePart {
  const p = r.reader('part');
  const part = withOptional({ index: p.int('index'), count: p.int('count', 2) }, 'taskUid', p.optInt('taskUid'));
  p.done();
  if (part.index >= part.count) throw new DecodeError(`${r.at('part')}: part ${part.index} of ${part.count}`);
  if ((part.index > 0) !== (part.taskUid !== undefined)) throw new DecodeError(`${r.at('part')}.taskUid: present exactly on the parts after the first`);
  return part;
}

/**
 * `accepts` is the item check without a path: a documents.write carries a
 * thousand documents, and naming each one's path up front was most of its
 * decode on every peer; `item` runs only on a refused value, for the error.
 */
function shardKeyed<T>(r: FieldReader, key: string, accepts: (v: unknown) => v is T, item: (v: unknown, path: string) => T): Record<number, T[]> {
  const obj = r.object(key);
  const out: Record<number, T[]> = {};
  for (const [k, list] of Object.entries(obj)) {
    const path = `${r.at(key)}.${k}`;
    if (!/^(0|[1-9][0-9]*)$/.test(k)) throw new DecodeError(`${path}: shard keys are non-negative integers`);
    out[Number(k)] = expectArray(list, path).map((v, i) => (accepts(v) ? v : item(v, `${path}[${i}]`)));
  }
  return out;
}

const isDocument = (value: unknown): value is Document => isPlainObject(value);
const isString = (value: unknown): value is string => typeof value === 'string';

function documentAt(value: unknown, path: string): Document {
  if (!isPlainObject(value)) throw new DecodeError(`${path}: a document is an object`);
  return value;
}

function swapAt(value: unknown, path: string): IndexSwap {
  const r = new FieldReader(expectObject(value, path), path);
  const pair = r.array('indexes');
  if (pair.length !== 2) throw new DecodeError(`${r.at('indexes')}: expected two index uids`);
  const swap: IndexSwap = {
    indexes: [expectString(pair[0], `${path}.indexes[0]`), expectString(pair[1], `${path}.indexes[1]`)],
    rename: r.bool('rename'),
  };
  r.done();
  return swap;
}


/** One node outcome: an error exactly when failed, counters as non-negative integers. */
function outcomeAt(value: unknown, path: string): NodeOutcome {
  const r = new FieldReader(expectObject(value, path), path);
  const base = {
    nodeId: r.nonEmptyStr('nodeId'), logIndex: r.int('logIndex', 1), status: r.oneOf('status', ['succeeded', 'failed'] as const),
  };
  const error = r.has('error') ? readErrorBody(r, 'error') : (r.value('error'), undefined);
  if ((base.status === 'failed') !== (error !== undefined)) throw new DecodeError(`${path}.error: present exactly when the status is failed`);
  let counts: Record<string, number> | undefined;
  if (r.has('counts')) {
    const cr = r.reader('counts');
    counts = {};
    for (const key of Object.keys(r.object('counts'))) counts[key] = cr.int(key);
    cr.done();
  } else r.value('counts');
  r.done();
  return withOptional(withOptional(base, 'error', error), 'counts', counts);
}

function optNullableStr(r: FieldReader, key: string): string | null | undefined {
  return r.has(key) ? r.strOrNull(key) : (r.value(key), undefined);
}

function numberList(r: FieldReader, key: string): number[] {
  return r.array(key).map((v, i) => expectInt(v, `${r.at(key)}[${i}]`));
}

function oneOfList<T extends string>(r: FieldReader, key: string, values: readonly T[]): T[] {
  return r.stringArray(key).map((v, i) => {
    if (!(values as readonly string[]).includes(v)) throw new DecodeError(`${r.at(key)}[${i}]: expected one of ${values.join(', ')}`);
    return v as T;
  });
}

/** A task filter: every field optional, lists and epoch-millisecond bounds. */
function taskFilterAt(r: FieldReader): TaskFilter {
  const f = r.reader('filter');
  const filter: TaskFilter = {};
  const put = <K extends keyof TaskFilter>(key: K, read: () => TaskFilter[K]): void => {
    if (f.has(key)) filter[key] = read();
    else f.value(key);
  };
  put('uids', () => numberList(f, 'uids'));
  put('batchUids', () => numberList(f, 'batchUids'));
  put('indexUids', () => f.stringArray('indexUids'));
  put('statuses', () => oneOfList(f, 'statuses', TASK_STATUSES));
  put('types', () => oneOfList(f, 'types', TASK_TYPES));
  put('canceledBy', () => numberList(f, 'canceledBy'));
  for (const key of DATE_BOUNDS) put(key, () => f.int(key, -MAX_TIME_MS, MAX_TIME_MS));
  f.done();
  return filter;
}

const DATE_BOUNDS = [
  'beforeEnqueuedAtMs', 'afterEnqueuedAtMs', 'beforeStartedAtMs', 'afterStartedAtMs', 'beforeFinishedAtMs', 'afterFinishedAtMs',
] as const;

const decoders: Decoders = {
  'index.create': (r) => ({
    v: 1, kind: 'index.create', uid: r.nonEmptyStr('uid'), primaryKey: r.strOrNull('primaryKey'),
    shards: r.int('shards', 1), ...taskFields(r),
  }),
  'index.update': (r) => {
    const c = { v: 1 as const, kind: 'index.update' as const, uid: r.nonEmptyStr('uid'), ...taskFields(r) };
    return withOptional(withOptional(c, 'primaryKey', r.optStr('primaryKey')), 'newUid', r.optStr('newUid'));
  },
  'index.delete': (r) => ({ v: 1, kind: 'index.delete', uid: r.nonEmptyStr('uid'), ...taskFields(r) }),
  'index.swap': (r) => ({
    v: 1, kind: 'index.swap', swaps: r.array('swaps').map((s, i) => swapAt(s, `${r.at('swaps')}[${i}]`)),
    ...taskFields(r),
  }),
  'documents.write': (r) => {
    const c = {
      v: 1 as const, kind: 'documents.write' as const, indexUid: r.nonEmptyStr('indexUid'),
      mode: r.oneOf('mode', ['replace', 'update'] as const),
      // A rejected write may have no primary key to name (none could be inferred).
      primaryKey: r.has('rejected') ? r.str('primaryKey') : r.nonEmptyStr('primaryKey'),
      shards: r.int('shards', 1), byShard: shardKeyed(r, 'byShard', isDocument, documentAt),
      receivedDocuments: r.int('receivedDocuments'), allowIndexCreation: r.bool('allowIndexCreation'), ...taskFields(r),
    };
    const rejected = withOptional(c, 'rejected', r.has('rejected') ? readErrorBody(r, 'rejected') : (r.value('rejected'), undefined));
    if (rejected.rejected !== undefined && Object.keys(rejected.byShard).length > 0) throw new DecodeError(`${r.at('byShard')}: a rejected write carries no documents`);
    const parted = withOptional(rejected, 'part', r.has('part') ? writePartAt(r) : (r.value('part'), undefined));
    return withOptional(parted, 'skipCreation', r.has('skipCreation') ? r.bool('skipCreation') : (r.value('skipCreation'), undefined));
  },
  'documents.deleteIds': (r) => ({
    v: 1, kind: 'documents.deleteIds', indexUid: r.nonEmptyStr('indexUid'), shards: r.int('shards', 1),
    byShard: shardKeyed(r, 'byShard', isString, expectString), providedIds: r.int('providedIds'), ...taskFields(r),
  }),
  'documents.deleteFilter': (r) => {
    const filter = r.value('filter');
    if (filter === undefined || filter === null) throw new DecodeError(`${r.at('filter')}: missing filter`);
    return { v: 1, kind: 'documents.deleteFilter', indexUid: r.nonEmptyStr('indexUid'), filter, ...taskFields(r) };
  },
  'documents.clear': (r) => ({ v: 1, kind: 'documents.clear', indexUid: r.nonEmptyStr('indexUid'), ...taskFields(r) }),
  'settings.update': (r) => ({
    v: 1, kind: 'settings.update', indexUid: r.nonEmptyStr('indexUid'), settings: r.object('settings') as PlainObject,
    allowIndexCreation: r.bool('allowIndexCreation'), ...taskFields(r),
  }),
  'task.progress': (r) => {
    const c = {
      v: 1 as const, kind: 'task.progress' as const, taskUid: r.int('taskUid'),
      status: r.oneOf('status', ['processing', 'succeeded', 'failed'] as const), nowMs: r.timeMs('nowMs'),
    };
    const withError = withOptional(c, 'error', r.has('error') ? readErrorBody(r, 'error') : (r.value('error'), undefined));
    if ((c.status === 'failed') !== (withError.error !== undefined)) {
      throw new DecodeError(`${r.at('error')}: present exactly when the status is failed`);
    }
    return withOptional(withError, 'details', r.has('details') ? r.object('details') : (r.value('details'), undefined));
  },
  'tasks.delete': (r) => ({
    v: 1, kind: 'tasks.delete', filter: taskFilterAt(r), originalFilter: r.str('originalFilter'), ...taskFields(r),
  }),
  'dispatcher.cursor': (r) => {
    const c = {
      v: 1 as const, kind: 'dispatcher.cursor' as const,
      cursors: r.array('cursors').map((c, i) => {
        const cr = new FieldReader(expectObject(c, `${r.at('cursors')}[${i}]`), `${r.at('cursors')}[${i}]`);
        const cursor = { nodeId: cr.nonEmptyStr('nodeId'), index: cr.int('index') };
        cr.done();
        return cursor;
      }),
    };
    const outcomes = r.has('outcomes') ? r.array('outcomes').map((o, i) => outcomeAt(o, `${r.at('outcomes')}[${i}]`)) : (r.value('outcomes'), undefined);
    const nowMs = r.has('nowMs') ? r.timeMs('nowMs') : (r.value('nowMs'), undefined);
    if (outcomes !== undefined && nowMs === undefined) throw new DecodeError(`${r.at('nowMs')}: required with outcomes`);
    return withOptional(withOptional(c, 'outcomes', outcomes), 'nowMs', nowMs);
  },
  'dispatcher.behind': (r) => ({
    v: 1, kind: 'dispatcher.behind', nodeIds: r.stringArray('nodeIds'), compactedThrough: r.int('compactedThrough'),
    nowMs: r.timeMs('nowMs'),
  }),
  'node.add': (r) => ({
    v: 1, kind: 'node.add', id: r.nonEmptyStr('id'), url: r.nonEmptyStr('url'), group: r.nonEmptyStr('group'),
    nowMs: r.timeMs('nowMs'),
  }),
  'node.state': (r) => ({
    v: 1, kind: 'node.state', id: r.nonEmptyStr('id'), state: r.oneOf('state', NODE_STATES), nowMs: r.timeMs('nowMs'),
  }),
  'group.add': (r) => ({ v: 1, kind: 'group.add', id: r.nonEmptyStr('id'), nowMs: r.timeMs('nowMs') }),
  'group.remove': (r) => ({ v: 1, kind: 'group.remove', id: r.nonEmptyStr('id'), nowMs: r.timeMs('nowMs') }),
  'peer.add': (r) => ({ v: 1, kind: 'peer.add', id: r.nonEmptyStr('id'), address: r.nonEmptyStr('address') }),
  'peer.remove': (r) => ({ v: 1, kind: 'peer.remove', id: r.nonEmptyStr('id') }),
  'key.create': (r) => ({
    v: 1, kind: 'key.create', uid: r.nonEmptyStr('uid'), name: r.strOrNull('name'),
    description: r.strOrNull('description'), actions: r.stringArray('actions'), indexes: r.stringArray('indexes'),
    expiresAtMs: r.intOrNull('expiresAtMs', 0, MAX_TIME_MS), nowMs: r.timeMs('nowMs'),
  }),
  'key.update': (r) => {
    const c = { v: 1 as const, kind: 'key.update' as const, uid: r.nonEmptyStr('uid'), nowMs: r.timeMs('nowMs') };
    return withOptional(withOptional(c, 'name', optNullableStr(r, 'name')), 'description', optNullableStr(r, 'description'));
  },
  'key.delete': (r) => ({ v: 1, kind: 'key.delete', uid: r.nonEmptyStr('uid') }),
  'topology.job': (r) => {
    let c: CommandOf<'topology.job'> = { v: 1, kind: 'topology.job', job: r.oneOf('job', JOB_KINDS), nowMs: r.timeMs('nowMs') };
    c = withOptional(c, 'nodeId', r.has('nodeId') ? r.nonEmptyStr('nodeId') : (r.value('nodeId'), undefined));
    c = withOptional(c, 'url', r.has('url') ? r.nonEmptyStr('url') : (r.value('url'), undefined));
    c = withOptional(c, 'group', r.has('group') ? r.nonEmptyStr('group') : (r.value('group'), undefined));
    c = withOptional(c, 'reason', r.has('reason') ? r.nonEmptyStr('reason') : (r.value('reason'), undefined));
    c = withOptional(c, 'nodes', r.has('nodes') ? r.array('nodes').map((n, i) => {
      const path = `${r.at('nodes')}[${i}]`;
      const nr = new FieldReader(expectObject(n, path), path);
      const node = { id: nr.nonEmptyStr('id'), url: nr.nonEmptyStr('url') };
      nr.done();
      return node;
    }) : (r.value('nodes'), undefined));
    if (c.job === 'group' && (c.group === undefined || c.nodes === undefined || c.nodes.length === 0)) {
      throw new DecodeError(`${r.at('nodes')}: a group and at least one node required to add a group`);
    }
    if ((c.job === 'join' || c.job === 'drain') && c.nodeId === undefined) throw new DecodeError(`${r.at('nodeId')}: required for ${c.job}`);
    if (c.job === 'join' && (c.url === undefined || c.group === undefined)) throw new DecodeError(`${r.at('url')}: url and group required to join`);
    return c;
  },
  'migration.phase': (r) => {
    let c: CommandOf<'migration.phase'> = {
      v: 1, kind: 'migration.phase', id: r.nonEmptyStr('id'), phase: r.oneOf('phase', MIGRATION_PHASES), nowMs: r.timeMs('nowMs'),
    };
    c = withOptional(c, 'copiedThrough', r.optInt('copiedThrough'));
    c = withOptional(c, 'copied', r.optInt('copied'));
    c = withOptional(c, 'total', r.optInt('total'));
    return withOptional(c, 'error', r.optStr('error'));
  },
  'job.cutover': (r) => ({ v: 1, kind: 'job.cutover', jobId: r.nonEmptyStr('jobId'), nowMs: r.timeMs('nowMs') }),
  'config.set': (r) => {
    let c = { v: 1 as const, kind: 'config.set' as const };
    c = withOptional(c, 'defaultShards', r.optInt('defaultShards', 1));
    c = withOptional(c, 'rf', r.optInt('rf', 1));
    c = withOptional(c, 'writeAckMode', r.has('writeAckMode') ? r.oneOf('writeAckMode', WRITE_ACK_MODES) : (r.value('writeAckMode'), undefined));
    return withOptional(c, 'taskRetentionMax', r.optInt('taskRetentionMax', 1));
  },
};
