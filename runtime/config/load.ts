// Builds a peer's configuration from its sources, in increasing precedence:
// schema defaults, the JSON config file, `MIROIR_*` environment variables,
// command-line flags (STYLE G17). It takes the file's text and the
// environment as parameters — the CLI reads them and passes them in — so this
// module stays pure and is the only place that interprets them.
//
// Unknown MIROIR_* variables and unknown flags are errors (a typo must not
// silently leave a default in force); secrets are accepted only from the
// environment. All problems are reported together in one ConfigError.

import { isPlainObject } from '../cluster/decode-fields.ts';
import { SECRET_ENV, peerConfigSpec, type PeerConfig, type PeerSecrets } from './schema.ts';
import type { Spec } from './spec.ts';
import { ConfigError, checkConfig } from './validate.ts';

export interface ConfigSources {
  /** The config file's text (JSON), or null when no file was given. */
  fileText: string | null;
  /** For messages only. */
  fileName?: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Flags by dotted key path (`raft.tickMs`, or kebab-case `raft.tick-ms`), values as typed on the command line. */
  flags?: Readonly<Record<string, string>>;
}

/** MIROIR_* variables that are not configuration (test harness knobs, the config file path). */
export const NON_CONFIG_ENV: readonly string[] = ['MIROIR_CONFIG', 'MIROIR_SEED', 'MIROIR_SIM_SWARM'];

/** `raft.tickMs` → `MIROIR_RAFT_TICK_MS`. */
export function envNameOf(path: string): string {
  return `MIROIR_${path.split('.').map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_')}`;
}

/** Every settable key path (leaves and whole lists) with its spec. */
function settablePaths(spec: Spec, path = ''): Map<string, Spec> {
  const out = new Map<string, Spec>();
  if (spec.kind === 'object') {
    for (const [key, child] of Object.entries(spec.fields)) {
      for (const [p, s] of settablePaths(child, path === '' ? key : `${path}.${key}`)) out.set(p, s);
    }
  } else out.set(path, spec);
  return out;
}

const PATHS = settablePaths(peerConfigSpec);
const PATH_BY_ENV = new Map([...PATHS.keys()].map((p) => [envNameOf(p), p]));

function coerce(spec: Spec, text: string, source: string, issues: string[]): unknown {
  if (spec.kind === 'int') {
    if (/^-?[0-9]+$/.test(text.trim())) return Number(text.trim());
    issues.push(`${source}: expected an integer, got ${JSON.stringify(text)}`);
    return undefined;
  }
  if (spec.kind === 'array' || spec.kind === 'object') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      issues.push(`${source}: expected JSON (${(error as Error).message})`);
      return undefined;
    }
  }
  return text;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (!isPlainObject(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function parseFile(sources: ConfigSources, issues: string[]): Record<string, unknown> {
  if (sources.fileText === null) return {};
  const name = sources.fileName ?? 'config file';
  try {
    const parsed: unknown = JSON.parse(sources.fileText);
    if (isPlainObject(parsed)) return parsed;
    issues.push(`${name}: the config file must hold a JSON object`);
  } catch (error) {
    issues.push(`${name}: invalid JSON (${(error as Error).message})`);
  }
  return {};
}

function readSecrets(env: ConfigSources['env']): PeerSecrets {
  const read = (name: string): string | null => {
    const value = env[name];
    return value === undefined || value === '' ? null : value;
  };
  return {
    masterKey: read(SECRET_ENV.masterKey),
    nodeMasterKey: read(SECRET_ENV.nodeMasterKey),
    adminKey: read(SECRET_ENV.adminKey),
    clusterSecret: read(SECRET_ENV.clusterSecret),
  };
}

function applyEnv(raw: Record<string, unknown>, env: ConfigSources['env'], issues: string[]): void {
  const secretNames = new Set(Object.values(SECRET_ENV));
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (!name.startsWith('MIROIR_') || value === undefined || value === '') continue;
    if (secretNames.has(name) || NON_CONFIG_ENV.includes(name)) continue;
    const path = PATH_BY_ENV.get(name);
    const spec = path === undefined ? undefined : PATHS.get(path);
    if (path === undefined || spec === undefined) {
      issues.push(`${name}: unknown environment variable (no configuration key maps to it)`);
      continue;
    }
    const coerced = coerce(spec, value, `${path} (from ${name})`, issues);
    if (coerced !== undefined) setPath(raw, path, coerced);
  }
}

/** `raft.tick-ms` and `peer-id` name the same keys as `raft.tickMs` and `peerId`. */
export function flagPathOf(flag: string): string {
  return flag.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function applyFlags(raw: Record<string, unknown>, flags: Readonly<Record<string, string>>, issues: string[]): void {
  for (const [flag, value] of Object.entries(flags)) {
    const path = flagPathOf(flag);
    const spec = PATHS.get(path);
    if (path === 'secrets' || path.startsWith('secrets.') || Object.hasOwn(SECRET_ENV, path)) {
      issues.push(`--${path}: secrets are read only from the environment (${Object.values(SECRET_ENV).join(', ')})`);
    } else if (spec === undefined) {
      issues.push(`--${path}: unknown flag (no configuration key ${JSON.stringify(path)})`);
    } else {
      const coerced = coerce(spec, value, `${path} (from --${path})`, issues);
      if (coerced !== undefined) setPath(raw, path, coerced);
    }
  }
}

/** Merges and validates every source; throws ConfigError listing every problem. */
export function loadConfig(sources: ConfigSources): PeerConfig {
  const issues: string[] = [];
  const raw = structuredClone(parseFile(sources, issues));
  applyEnv(raw, sources.env, issues);
  applyFlags(raw, sources.flags ?? {}, issues);
  const result = checkConfig(raw, readSecrets(sources.env));
  if (!result.ok) issues.push(...result.issues);
  if (issues.length > 0 || !result.ok) throw new ConfigError(issues);
  return result.config;
}
