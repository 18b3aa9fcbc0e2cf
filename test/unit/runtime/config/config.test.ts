// Goal: the peer configuration is merged in the documented precedence and
// every validation rule refuses what it should, naming the key path.
// Method: loadConfig on in-memory file text, env and flags (no file system,
// no process.env); one case per rule, checking the issue text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envNameOf, loadConfig, type ConfigSources } from '../../../../runtime/config/load.ts';
import { ConfigError } from '../../../../runtime/config/validate.ts';
import { redactConfig } from '../../../../runtime/config/redact.ts';

const SECRET = 'x'.repeat(16);

function load(file: unknown, env: Record<string, string> = {}, flags: Record<string, string> = {}): ReturnType<typeof loadConfig> {
  const sources: ConfigSources = { fileText: file === null ? null : JSON.stringify(file), env, flags };
  return loadConfig(sources);
}

/** The issues of a refused config; fails the test if it was accepted. */
function issuesOf(file: unknown, env: Record<string, string> = {}, flags: Record<string, string> = {}): readonly string[] {
  try {
    load(file, env, flags);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.code, 'miroir_invalid_config');
    return error.issues;
  }
  return assert.fail('the config was accepted');
}

function refusedWith(expected: string | RegExp, file: unknown, env: Record<string, string> = {}, flags: Record<string, string> = {}): void {
  const issues = issuesOf(file, env, flags);
  const hit = issues.some((i) => (typeof expected === 'string' ? i === expected : expected.test(i)));
  assert.ok(hit, `expected ${String(expected)} among:\n${issues.join('\n')}`);
}

const group = (id: string, ...nodes: string[]): unknown => ({ id, nodes: nodes.map((n) => ({ id: n, url: `http://${n}:7700` })) });
const peers = (...ids: string[]): unknown[] => ids.map((id) => ({ id, address: `ws://${id}:7800` }));

test('defaults fill everything but the peer id; the result is deep-frozen', () => {
  const c = load({ peerId: 'p1' });
  assert.equal(c.defaultShards, 64);
  assert.equal(c.raft.electionTicks, 10);
  assert.equal(c.write.ackMode, 'log');
  assert.deepEqual(c.secrets, { masterKey: null, nodeMasterKey: null, adminKey: null, clusterSecret: null });
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.raft) && Object.isFrozen(c.groups) && Object.isFrozen(c.secrets));
  assert.throws(() => {
    (c.raft as { tickMs: number }).tickMs = 1;
  }, TypeError);
  refusedWith('peerId: required', {});
  refusedWith('peerId: required', null);
});

test('precedence: defaults < file < environment < flags; strings are coerced by the schema', () => {
  const file = { peerId: 'p1', raft: { tickMs: 50 }, defaultShards: 8 };
  assert.equal(load(file).raft.tickMs, 50);
  const env = { MIROIR_RAFT_TICK_MS: '25', MIROIR_READ_POLICY: 'error', MIROIR_PEERS: JSON.stringify(peers('p1')) };
  const fromEnv = load(file, env);
  assert.deepEqual([fromEnv.raft.tickMs, fromEnv.read.policy, fromEnv.peers.length, fromEnv.defaultShards], [25, 'error', 1, 8]);
  assert.equal(load(file, env, { 'raft.tickMs': '10' }).raft.tickMs, 10);
  const groups = JSON.stringify([group('g1', 'n1')]);
  assert.deepEqual(load(file, { MIROIR_GROUPS: groups }).groups, [{ id: 'g1', nodes: [{ id: 'n1', url: 'http://n1:7700' }] }], 'lists take JSON');
  assert.equal(load(file, {}, { groups }).groups.length, 1);
  assert.equal(load(file, {}, { 'raft.tick-ms': '7', '--peer-id': 'p2' }).raft.tickMs, 7, 'kebab-case flags');
  refusedWith(/^groups \(from MIROIR_GROUPS\): expected JSON/, file, { MIROIR_GROUPS: '[{' });
  assert.equal(envNameOf('listen.clientPort'), 'MIROIR_LISTEN_CLIENT_PORT');
  assert.equal(load({ peerId: 'p1' }, { MIROIR_SEED: '42', MIROIR_TICK: '' }).peerId, 'p1', 'harness knobs and empty values are not config');
});

test('types, bounds, enums, URLs and unknown keys are refused with their key path', () => {
  refusedWith('raft.tickMs: expected an integer, got "fast"', { peerId: 'p1', raft: { tickMs: 'fast' } });
  refusedWith('defaultShards: 0 is outside [1, 65536]', { peerId: 'p1', defaultShards: 0 });
  refusedWith(/^write\.ackMode: expected one of log, quorum/, { peerId: 'p1', write: { ackMode: 'majority' } });
  refusedWith(/^groups\[0\]\.nodes\[0\]\.url: expected a http:\/\/ or https:\/\/ URL/, { peerId: 'p1', groups: [{ id: 'g', nodes: [{ id: 'n', url: 'ftp://x' }] }] });
  refusedWith('raft.tickMss: unknown key', { peerId: 'p1', raft: { tickMss: 1 } });
  refusedWith('colour: unknown key', { peerId: 'p1', colour: 'blue' });
  refusedWith(/^peerId: "p 1" is not valid/, { peerId: 'p 1' });
  refusedWith('groups[0].nodes: needs at least 1 entry', { peerId: 'p1', groups: [{ id: 'g', nodes: [] }] });
  refusedWith(/^raft\.tickMs \(from MIROIR_RAFT_TICK_MS\): expected an integer/, { peerId: 'p1' }, { MIROIR_RAFT_TICK_MS: '1e3' });
  refusedWith(/^MIROIR_RAFT_TICKS_MS: unknown environment variable/, { peerId: 'p1' }, { MIROIR_RAFT_TICKS_MS: '1' });
  refusedWith(/^--raft\.tick: unknown flag/, { peerId: 'p1' }, {}, { 'raft.tick': '1' });
});

test('a broken file is reported as invalid JSON', () => {
  assert.throws(() => loadConfig({ fileText: '{"peerId": ', env: {} }), /invalid JSON/);
});

test('cross-field rule: electionTicks must exceed heartbeatTicks', () => {
  refusedWith('raft.electionTicks: 3 must be greater than raft.heartbeatTicks (3)', { peerId: 'p1', raft: { electionTicks: 3, heartbeatTicks: 3 } });
});

test('cross-field rule: duplicate node ids across groups, duplicate group ids and urls', () => {
  refusedWith('groups[1].nodes[1].id: duplicate node id "n1"', { peerId: 'p1', groups: [group('g1', 'n1', 'n2'), group('g2', 'n3', 'n1')] });
  refusedWith('groups[1].id: duplicate group id "g1"', { peerId: 'p1', groups: [group('g1', 'n1'), group('g1', 'n2')] });
  refusedWith('groups[0].nodes[1].url: duplicate node url "http://n1:7700"', {
    peerId: 'p1', groups: [{ id: 'g', nodes: [{ id: 'n1', url: 'http://n1:7700' }, { id: 'n2', url: 'http://n1:7700' }] }],
  });
});

test('cross-field rule: RF cannot exceed the nodes of any group', () => {
  refusedWith('rf: 2 is more than the 1 node(s) of group "g2" (groups[1])', { peerId: 'p1', rf: 2, groups: [group('g1', 'a', 'b'), group('g2', 'c')] });
  assert.equal(load({ peerId: 'p1', rf: 2, groups: [group('g1', 'a', 'b')] }).rf, 2);
});

test('cross-field rule: peers are unique and include this peer; ports do not collide', () => {
  const env = { MIROIR_CLUSTER_SECRET: SECRET };
  refusedWith('peers[1].id: duplicate peer id "p1"', { peerId: 'p1', peers: [...peers('p1'), { id: 'p1', address: 'ws://other:1' }] }, env);
  refusedWith('peers[1].address: duplicate peer address "ws://p1:7800"', { peerId: 'p1', peers: [...peers('p1'), { id: 'p2', address: 'ws://p1:7800' }] }, env);
  refusedWith('peerId: "p9" is not in peers (p1, p2)', { peerId: 'p9', peers: peers('p1', 'p2') }, env);
  refusedWith('listen.peerPort: duplicate port "7700"', { peerId: 'p1', listen: { peerPort: 7700 } });
  // A joining peer names the founders it joins, not itself.
  refusedWith('peerId: "p1" joins (start: join), so it is not one of the founding peers', { peerId: 'p1', start: 'join', peers: peers('p1', 'p2') }, env);
  refusedWith('peers: a joining peer (start: join) needs the founding peers of the cluster it joins', { peerId: 'p3', start: 'join' }, env);
  assert.equal(load({ peerId: 'p3', start: 'join', peers: peers('p1', 'p2') }, env).start, 'join');
  assert.equal(load({ peerId: 'p1', listen: { clientPort: 0, peerPort: 0, metricsPort: 0 } }).listen.peerPort, 0, 'port 0 may repeat');
});

test('secrets: only from the environment, required where the cluster needs them, long enough', () => {
  refusedWith(/^secrets: secrets are read only from the environment/, { peerId: 'p1', secrets: { masterKey: SECRET } });
  refusedWith(/^--masterKey: secrets are read only from the environment/, { peerId: 'p1' }, {}, { masterKey: SECRET });
  refusedWith('secrets.clusterSecret: MIROIR_CLUSTER_SECRET is required when the cluster has more than one peer', { peerId: 'p1', peers: peers('p1', 'p2') });
  refusedWith(/^secrets\.adminKey: MIROIR_ADMIN_KEY is required when MIROIR_MASTER_KEY is set/, { peerId: 'p1' }, { MIROIR_MASTER_KEY: SECRET });
  refusedWith('secrets.masterKey: MIROIR_MASTER_KEY must be at least 16 bytes', { peerId: 'p1' }, { MIROIR_MASTER_KEY: 'short', MIROIR_ADMIN_KEY: SECRET });
  const c = load({ peerId: 'p1', peers: peers('p1', 'p2') }, {
    MIROIR_CLUSTER_SECRET: SECRET, MIROIR_MASTER_KEY: SECRET, MIROIR_ADMIN_KEY: SECRET, MIROIR_NODE_MASTER_KEY: 'node',
  });
  assert.deepEqual(c.secrets, { masterKey: SECRET, nodeMasterKey: 'node', adminKey: SECRET, clusterSecret: SECRET });
  const logged = JSON.stringify(redactConfig(c));
  assert.ok(!logged.includes(SECRET) && !logged.includes('node"'), 'no secret reaches a log line');
  assert.deepEqual(redactConfig(c).secrets, { masterKey: 'set', nodeMasterKey: 'set', adminKey: 'set', clusterSecret: 'set' });
});

test('every problem is reported at once', () => {
  const issues = issuesOf({ rf: 0, raft: { tickMs: -1 }, extra: 1 });
  assert.deepEqual([...issues].sort(), ['extra: unknown key', 'peerId: required', 'raft.tickMs: -1 is outside [1, 60000]', 'rf: 0 is outside [1, 16]']);
});
