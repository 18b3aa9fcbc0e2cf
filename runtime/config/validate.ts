// Validates a merged raw configuration against the schema — types, bounds,
// required keys, unknown keys — then the cross-field rules, and returns the
// deep-frozen PeerConfig (STYLE G17). Pure: no environment, no file system.
// Every problem is reported at once, each naming its key path
// (`groups[0].nodes[2].id: duplicate node id "n3"`), so an operator fixes a
// config in one round.

import { isPlainObject } from '../cluster/decode-fields.ts';
import { SECRET_ENV, SECRET_MIN_BYTES, peerConfigSpec, type PeerConfig, type PeerConfigFile, type PeerSecrets } from './schema.ts';
import type { Spec } from './spec.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'miroir_invalid_config';
  constructor(readonly issues: readonly string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
  }
}

export type ConfigCheck = { ok: true; config: PeerConfig } | { ok: false; issues: string[] };

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** Walks one value against its spec; returns it with defaults filled in. */
export function checkValue(spec: Spec, value: unknown, path: string, issues: string[]): unknown {
  if (value === undefined && spec.kind !== 'object' && spec.kind !== 'array') {
    if (spec.default !== undefined) return spec.default;
    issues.push(`${path}: required`);
    return undefined;
  }
  switch (spec.kind) {
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) issues.push(`${path}: expected an integer, got ${JSON.stringify(value)}`);
      else if (value < spec.min || value > spec.max) issues.push(`${path}: ${value} is outside [${spec.min}, ${spec.max}]`);
      return value;
    case 'string':
      if (typeof value !== 'string') issues.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
      else if (spec.pattern !== undefined && !spec.pattern.test(value)) {
        issues.push(`${path}: ${JSON.stringify(value)} is not valid (${spec.patternHint ?? spec.pattern.source})`);
      }
      return value;
    case 'enum':
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        issues.push(`${path}: expected one of ${spec.values.join(', ')}, got ${JSON.stringify(value)}`);
      }
      return value;
    case 'url':
      if (typeof value !== 'string' || !URL.canParse(value) || !spec.protocols.includes(new URL(value).protocol)) {
        issues.push(`${path}: expected a ${spec.protocols.map((p) => `${p}//`).join(' or ')} URL, got ${JSON.stringify(value)}`);
      }
      return value;
    case 'array':
      return checkArray(spec, value, path, issues);
    case 'object':
      return checkObject(spec.fields, value, path, issues);
  }
}

function checkArray(spec: Extract<Spec, { kind: 'array' }>, value: unknown, path: string, issues: string[]): unknown {
  const items = value === undefined ? [] : value;
  if (!Array.isArray(items)) {
    issues.push(`${path}: expected a list`);
    return items;
  }
  if (items.length < spec.minLength) issues.push(`${path}: needs at least ${spec.minLength} entr${spec.minLength === 1 ? 'y' : 'ies'}`);
  if (items.length > spec.maxLength) issues.push(`${path}: at most ${spec.maxLength} entries`);
  return items.map((item, i) => checkValue(spec.item, item, `${path}[${i}]`, issues));
}

function checkObject(fields: Record<string, Spec>, value: unknown, path: string, issues: string[]): unknown {
  const given = value === undefined ? {} : value;
  if (!isPlainObject(given)) {
    issues.push(`${path === '' ? '(root)' : path}: expected an object`);
    return given;
  }
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(fields, key)) issues.push(`${join(path, key)}: unknown key`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(fields)) out[key] = checkValue(spec, given[key], join(path, key), issues);
  return out;
}

export function checkConfig(raw: unknown, secrets: PeerSecrets): ConfigCheck {
  const issues: string[] = [];
  let input = raw;
  if (isPlainObject(raw) && Object.hasOwn(raw, 'secrets')) {
    issues.push(`secrets: secrets are read only from the environment (${Object.values(SECRET_ENV).join(', ')})`);
    const { secrets: _ignored, ...rest } = raw;
    input = rest;
  }
  const file = checkValue(peerConfigSpec, input, '', issues) as PeerConfigFile;
  // Cross-field rules read typed values; they run only on a structurally valid config.
  if (issues.length === 0) issues.push(...crossFieldIssues(file), ...secretIssues(file, secrets));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, config: deepFreeze({ ...file, secrets: { ...secrets } }) };
}

/** The same check, throwing ConfigError with every issue. */
export function validateConfig(raw: unknown, secrets: PeerSecrets): PeerConfig {
  const result = checkConfig(raw, secrets);
  if (!result.ok) throw new ConfigError(result.issues);
  return result.config;
}

function duplicates<T>(items: readonly T[], keyOf: (t: T) => string, pathOf: (i: number) => string, what: string): string[] {
  const seen = new Set<string>();
  const issues: string[] = [];
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (seen.has(key)) issues.push(`${pathOf(i)}: duplicate ${what} ${JSON.stringify(key)}`);
    seen.add(key);
  });
  return issues;
}

export function crossFieldIssues(c: PeerConfigFile): string[] {
  const issues: string[] = [];
  if (c.raft.electionTicks <= c.raft.heartbeatTicks) {
    issues.push(`raft.electionTicks: ${c.raft.electionTicks} must be greater than raft.heartbeatTicks (${c.raft.heartbeatTicks})`);
  }
  issues.push(...duplicates(c.peers, (p) => p.id, (i) => `peers[${i}].id`, 'peer id'));
  issues.push(...duplicates(c.peers, (p) => p.address, (i) => `peers[${i}].address`, 'peer address'));
  if (c.start === 'join') {
    if (c.peers.length === 0) issues.push('peers: a joining peer (start: join) needs the founding peers of the cluster it joins');
    if (c.peers.some((p) => p.id === c.peerId)) issues.push(`peerId: ${JSON.stringify(c.peerId)} joins (start: join), so it is not one of the founding peers`);
  } else if (c.peers.length > 0 && !c.peers.some((p) => p.id === c.peerId)) {
    issues.push(`peerId: ${JSON.stringify(c.peerId)} is not in peers (${c.peers.map((p) => p.id).join(', ')})`);
  }
  issues.push(...duplicates(c.groups, (g) => g.id, (i) => `groups[${i}].id`, 'group id'));
  const nodes = c.groups.flatMap((g, gi) => g.nodes.map((n, ni) => ({ ...n, path: `groups[${gi}].nodes[${ni}]` })));
  issues.push(...duplicates(nodes, (n) => n.id, (i) => `${nodes[i]?.path}.id`, 'node id'));
  issues.push(...duplicates(nodes, (n) => n.url, (i) => `${nodes[i]?.path}.url`, 'node url'));
  c.groups.forEach((g, gi) => {
    if (c.rf > g.nodes.length) {
      issues.push(`rf: ${c.rf} is more than the ${g.nodes.length} node(s) of group ${JSON.stringify(g.id)} (groups[${gi}])`);
    }
  });
  issues.push(...healthIssues(c.health));
  const ports = (['clientPort', 'peerPort', 'metricsPort'] as const).filter((p) => c.listen[p] !== 0);
  issues.push(...duplicates(ports, (p) => String(c.listen[p]), (i) => `listen.${ports[i]}`, 'port'));
  return issues;
}

function healthIssues(h: PeerConfigFile['health']): string[] {
  const issues: string[] = [];
  if (h.probeTimeoutMs > h.probeIntervalMs) {
    issues.push(`health.probeTimeoutMs: ${h.probeTimeoutMs} must not exceed health.probeIntervalMs (${h.probeIntervalMs})`);
  }
  if (h.suspectProbeIntervalMs > h.probeIntervalMs) {
    issues.push(`health.suspectProbeIntervalMs: ${h.suspectProbeIntervalMs} must not exceed health.probeIntervalMs (${h.probeIntervalMs})`);
  }
  // A view must outlive the probe and gossip rounds that refresh it, or healthy nodes would flicker to "unknown".
  const refreshMs = Math.max(h.probeIntervalMs + h.probeTimeoutMs, h.gossipIntervalMs);
  if (h.viewStalenessMs <= refreshMs) {
    issues.push(`health.viewStalenessMs: ${h.viewStalenessMs} must be greater than ${refreshMs} (a probe round and a gossip round)`);
  }
  return issues;
}

export function secretIssues(c: PeerConfigFile, s: PeerSecrets): string[] {
  const issues: string[] = [];
  if ((c.peers.length > 1 || c.start === 'join') && s.clusterSecret === null) {
    issues.push(`secrets.clusterSecret: ${SECRET_ENV.clusterSecret} is required when the cluster has more than one peer`);
  }
  if (s.masterKey !== null && s.adminKey === null) {
    issues.push(`secrets.adminKey: ${SECRET_ENV.adminKey} is required when ${SECRET_ENV.masterKey} is set (the admin API must not stay open)`);
  }
  for (const name of ['masterKey', 'adminKey', 'clusterSecret'] as const) {
    const value = s[name];
    if (value !== null && new TextEncoder().encode(value).length < SECRET_MIN_BYTES) {
      issues.push(`secrets.${name}: ${SECRET_ENV[name]} must be at least ${SECRET_MIN_BYTES} bytes`);
    }
  }
  return issues;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
