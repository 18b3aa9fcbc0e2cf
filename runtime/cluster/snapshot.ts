// Serializes the whole cluster state into a Raft snapshot and restores it.
//
// Invariants:
// - restoreState(serializeState(s)) deep-equals s.
// - Two replicas that applied the same log serialize to identical bytes: every
//   table is written as an array sorted by its key, so Map insertion order
//   (which may differ after a restore) never reaches the bytes.
// - A restore validates every record with the same strict readers as the
//   command decoders (unknown fields refused), because a snapshot arrives over
//   the network through install-snapshot.

import { JOB_KINDS, JOB_STATUSES, MIGRATION_PHASES, TASK_STATUSES, TASK_TYPES, type JobRecord, type MigrationRecord, type ApiKeyRecord, type DispatchRecord, type DispatchTarget, type NodeOutcomeRecord, type ClusterState, type GroupRecord, type IndexRecord, type NodeRecord, type PeerRecord, type TaskRecord } from './state.ts';
import { NODE_STATES, WRITE_ACK_MODES } from './commands.ts';
import { DecodeError, FieldReader, compareKeys, expectArray, expectInt, expectObject, expectString, readErrorBody, withOptional } from './decode-fields.ts';
import { packValue, unpackValue } from './msgpack.ts';

const FORMAT = 'miroir.cluster-state';
/**
 * 2: dispatch records, lastDispatchIndex and rebuildNeeded; 3: index fields;
 * 4: jobs, migrations, shadow targets. Version 3 is still read (no jobs then).
 */
const FORMAT_VERSION = 4;
const READABLE_VERSIONS: readonly number[] = [3, 4];

function sortedBy<K extends string | number, T>(map: Map<K, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => compareKeys(a, b)).map(([, v]) => v);
}

export function serializeState(state: ClusterState): Uint8Array {
  return packValue({
    format: FORMAT,
    version: FORMAT_VERSION,
    appliedIndex: state.appliedIndex,
    nextTaskUid: state.nextTaskUid,
    settings: state.settings,
    peers: sortedBy(state.peers),
    groups: sortedBy(state.groups),
    nodes: sortedBy(state.nodes),
    indexes: sortedBy(state.indexes),
    keys: sortedBy(state.keys),
    tasks: sortedBy(state.tasks),
    cursors: [...state.cursors.entries()].sort(([a], [b]) => compareKeys(a, b)),
    undispatchable: [...state.undispatchable].sort((a, b) => a - b),
    dispatch: sortedBy(state.dispatch),
    lastDispatchIndex: state.lastDispatchIndex,
    rebuildNeeded: [...state.rebuildNeeded.entries()].sort(([a], [b]) => compareKeys(a, b)),
    jobs: sortedBy(state.jobs),
    migrations: sortedBy(state.migrations),
  });
}

export function restoreState(bytes: Uint8Array): ClusterState {
  const r = new FieldReader(expectObject(unpackValue(bytes), 'snapshot'), 'snapshot');
  const version = r.value('version');
  if (r.value('format') !== FORMAT || typeof version !== 'number' || !READABLE_VERSIONS.includes(version)) {
    throw new DecodeError('snapshot: not a cluster state snapshot of a supported version');
  }
  const state: ClusterState = {
    appliedIndex: r.int('appliedIndex'),
    nextTaskUid: r.int('nextTaskUid'),
    settings: readSettings(r.reader('settings')),
    peers: table(r, 'peers', readPeer, (p) => p.id),
    groups: table(r, 'groups', readGroup, (g) => g.id),
    nodes: table(r, 'nodes', readNode, (n) => n.id),
    indexes: table(r, 'indexes', readIndex, (i) => i.uid),
    keys: table(r, 'keys', readKey, (k) => k.uid),
    tasks: table(r, 'tasks', readTask, (t) => t.uid),
    cursors: new Map(
      r.array('cursors').map((pair, i) => {
        const p = expectArray(pair, `snapshot.cursors[${i}]`);
        return [expectString(p[0], `snapshot.cursors[${i}][0]`), expectInt(p[1], `snapshot.cursors[${i}][1]`)];
      }),
    ),
    undispatchable: new Set(r.array('undispatchable').map((v, i) => expectInt(v, `snapshot.undispatchable[${i}]`))),
    dispatch: table(r, 'dispatch', readDispatch, (d) => d.logIndex),
    lastDispatchIndex: r.int('lastDispatchIndex'),
    rebuildNeeded: new Map(
      r.array('rebuildNeeded').map((pair, i) => {
        const p = expectArray(pair, `snapshot.rebuildNeeded[${i}]`);
        return [expectString(p[0], `snapshot.rebuildNeeded[${i}][0]`), expectInt(p[1], `snapshot.rebuildNeeded[${i}][1]`)];
      }),
    ),
    jobs: version < 4 ? new Map() : table(r, 'jobs', readJob, (j) => j.id),
    migrations: version < 4 ? new Map() : table(r, 'migrations', readMigration, (m) => m.id),
  };
  r.done();
  return state;
}

function table<K, T>(r: FieldReader, key: string, read: (f: FieldReader) => T, keyOf: (t: T) => K): Map<K, T> {
  const map = new Map<K, T>();
  r.array(key).forEach((item, i) => {
    const path = `${r.at(key)}[${i}]`;
    const f = new FieldReader(expectObject(item, path), path);
    const record = read(f);
    f.done();
    map.set(keyOf(record), record);
  });
  return map;
}

function readSettings(f: FieldReader): ClusterState['settings'] {
  const s = {
    defaultShards: f.int('defaultShards', 1), rf: f.int('rf', 1),
    writeAckMode: f.oneOf('writeAckMode', WRITE_ACK_MODES), taskRetentionMax: f.int('taskRetentionMax', 1),
  };
  f.done();
  return s;
}

const readPeer = (f: FieldReader): PeerRecord => ({ id: f.str('id'), address: f.str('address') });
const readGroup = (f: FieldReader): GroupRecord => ({ id: f.str('id'), createdAtMs: f.int('createdAtMs') });

const readNode = (f: FieldReader): NodeRecord => ({
  id: f.str('id'), url: f.str('url'), group: f.str('group'), state: f.oneOf('state', NODE_STATES),
  addedAtMs: f.int('addedAtMs'), stateChangedAtMs: f.int('stateChangedAtMs'),
});

const readIndex = (f: FieldReader): IndexRecord => ({
  uid: f.str('uid'), primaryKey: f.strOrNull('primaryKey'), shards: f.int('shards', 1),
  createdAtMs: f.int('createdAtMs'), updatedAtMs: f.int('updatedAtMs'), settings: f.object('settings'),
  settingsVersion: f.int('settingsVersion'), mayHaveDocuments: f.bool('mayHaveDocuments'), fields: f.stringArray('fields'),
});

const readKey = (f: FieldReader): ApiKeyRecord => ({
  uid: f.str('uid'), name: f.strOrNull('name'), description: f.strOrNull('description'),
  actions: f.stringArray('actions'), indexes: f.stringArray('indexes'), expiresAtMs: f.intOrNull('expiresAtMs'),
  createdAtMs: f.int('createdAtMs'), updatedAtMs: f.int('updatedAtMs'),
});

function readTask(f: FieldReader): TaskRecord {
  return {
    uid: f.int('uid'), batchUid: f.intOrNull('batchUid'), indexUid: f.strOrNull('indexUid'),
    status: f.oneOf('status', TASK_STATUSES), type: f.oneOf('type', TASK_TYPES), canceledBy: f.intOrNull('canceledBy'),
    details: f.value('details') === null ? null : f.object('details'), error: f.value('error') === null ? null : readErrorBody(f, 'error'),
    enqueuedAtMs: f.int('enqueuedAtMs'), startedAtMs: f.intOrNull('startedAtMs'), finishedAtMs: f.intOrNull('finishedAtMs'),
    customMetadata: f.strOrNull('customMetadata'), logIndex: f.int('logIndex'),
  };
}

function records<T>(f: FieldReader, key: string, read: (r: FieldReader) => T): T[] {
  return f.array(key).map((item, i) => {
    const path = `${f.at(key)}[${i}]`;
    const r = new FieldReader(expectObject(item, path), path);
    const record = read(r);
    r.done();
    return record;
  });
}

function readTarget(f: FieldReader): DispatchTarget {
  const target: DispatchTarget = {
    nodeId: f.str('nodeId'), group: f.str('group'),
    shards: f.value('shards') === null ? null : f.array('shards').map((v, i) => expectInt(v, `${f.at('shards')}[${i}]`)),
  };
  if (!f.has('shadow')) return (f.value('shadow'), target);
  if (f.value('shadow') !== true) throw new DecodeError(`${f.at('shadow')}: true when present`);
  return { ...target, shadow: true };
}

const readJob = (f: FieldReader): JobRecord => ({
  id: f.str('id'), kind: f.oneOf('kind', JOB_KINDS), nodeId: f.strOrNull('nodeId'), status: f.oneOf('status', JOB_STATUSES),
  reason: f.strOrNull('reason'), startedAt: f.int('startedAt'), cutoverAt: f.intOrNull('cutoverAt'),
  startedAtMs: f.int('startedAtMs'), finishedAtMs: f.intOrNull('finishedAtMs'),
});

// copiedThrough is absent from records written before it existed (their replay starts at P).
const readMigration = (f: FieldReader): MigrationRecord => withOptional({
  id: f.str('id'), jobId: f.str('jobId'), indexUid: f.str('indexUid'), shard: f.int('shard'), group: f.str('group'),
  from: f.stringArray('from'), to: f.str('to'), phase: f.oneOf('phase', MIGRATION_PHASES), fromLogIndex: f.int('fromLogIndex'),
  releasedAt: f.intOrNull('releasedAt'), copied: f.int('copied'), total: f.int('total'), error: f.strOrNull('error'),
  startedAtMs: f.int('startedAtMs'), updatedAtMs: f.int('updatedAtMs'),
}, 'copiedThrough', f.optInt('copiedThrough'));

function readOutcome(f: FieldReader): NodeOutcomeRecord {
  const counts: Record<string, number> = {};
  const c = f.reader('counts');
  for (const key of Object.keys(f.object('counts'))) counts[key] = c.int(key);
  c.done();
  return {
    nodeId: f.str('nodeId'), status: f.oneOf('status', ['succeeded', 'failed'] as const),
    error: f.value('error') === null ? null : readErrorBody(f, 'error'), counts,
  };
}

function readDispatch(f: FieldReader): DispatchRecord {
  const copies: Record<string, number> = {};
  const c = f.reader('copies');
  for (const key of Object.keys(f.object('copies'))) copies[key] = c.int(key, 1);
  c.done();
  const record: DispatchRecord = {
    logIndex: f.int('logIndex'), taskUid: f.int('taskUid'), targets: records(f, 'targets', readTarget),
    createsIndex: f.bool('createsIndex'), copies, outcomes: records(f, 'outcomes', readOutcome),
  };
  if (!f.has('part')) return (f.value('part'), record);
  const p = f.reader('part');
  record.part = { index: p.int('index'), count: p.int('count', 1) };
  p.done();
  return record;
}
