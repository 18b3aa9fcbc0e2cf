// `miroir ctl` argument parsing: one table of commands (COMMANDS), each with
// its positional arguments and flags, and the flags every command takes. A
// usage problem comes back as a string (the caller exits 2); nothing here
// talks to a peer.

type FlagKind = 'value' | 'switch' | 'list';

export interface CommandSpec {
  /** The words that name it: `peers add`, `status`. */
  name: string;
  /** Positional arguments in order; a name ending in `?` is optional. */
  positionals: readonly string[];
  flags: Readonly<Record<string, FlagKind>>;
  /** Flags that must be given. */
  required?: readonly string[];
  summary: string;
}

const TASK_FILTERS = { statuses: 'value', types: 'value', 'index-uids': 'value', uids: 'value', limit: 'value', from: 'value', reverse: 'value' } as const;
const POLL = { 'interval-ms': 'value' } as const;

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'status', positionals: [], flags: {}, summary: 'peers, leader, nodes, groups, shards covered per index, migrations, current job' },
  { name: 'tasks', positionals: [], flags: TASK_FILTERS, summary: "the cluster's tasks, newest first (filters as GET /tasks)" },
  { name: 'peers', positionals: [], flags: {}, summary: 'Raft members: role, voter, match index (as the leader sees them)' },
  { name: 'peers list', positionals: [], flags: {}, summary: 'the same' },
  { name: 'peers add', positionals: ['id', 'address'], flags: {}, summary: 'add a peer started with start: join (learner, then voter)' },
  { name: 'peers remove', positionals: ['id'], flags: {}, summary: 'remove a Raft member (the leader hands over first)' },
  { name: 'peers transfer', positionals: ['id?'], flags: {}, summary: 'transfer the leadership (to the most caught-up voter by default)' },
  { name: 'node add', positionals: ['id', 'url'], flags: { group: 'value' }, required: ['group'], summary: 'add a node to a group; the shards it gains migrate to it' },
  { name: 'node drain', positionals: ['id'], flags: {}, summary: "drain a node: its shards migrate to their next owners" },
  { name: 'node remove', positionals: ['id'], flags: {}, summary: 'remove a drained node' },
  { name: 'group add', positionals: ['id'], flags: { node: 'list' }, required: ['node'], summary: 'add a group and its nodes; synced in the background, then activated' },
  { name: 'group remove', positionals: ['id'], flags: {}, summary: 'remove a group (reads stop at once)' },
  { name: 'rebalance', positionals: [], flags: { wait: 'switch', ...POLL }, summary: 'move every shard to its placement (--wait: until the job ends)' },
  { name: 'migrations', positionals: ['id?'], flags: { status: 'value', watch: 'switch', ...POLL }, summary: 'migrations with progress (--watch: redrawn until none runs)' },
];

export interface Args {
  command: CommandSpec['name'];
  positionals: Record<string, string>;
  flags: Record<string, string | true | string[]>;
  url: string;
  adminKey: string | null;
  json: boolean;
  timeoutMs: number;
}

export const HELP = `usage: miroir ctl <command> [arguments] [flags]

commands:
${commandLines()}

flags:
  --url URL            a peer's client API [MIROIR_URL] (default http://127.0.0.1:7700)
  --admin-key KEY      the admin key [MIROIR_ADMIN_KEY]
  --json               print the admin API's JSON answer instead of tables
  --timeout-ms N       give up on one request after N ms (default 10000)
  --interval-ms N      polling interval of --wait and --watch (default 1000)
  -h, --help           show this help

tasks filters (as GET /tasks): --statuses, --types, --index-uids, --uids,
  --limit, --from, --reverse

exit codes: 0 ok, 1 error (unreachable, refused, error answer), 2 usage`;

function commandLines(): string {
  const listed = COMMANDS.filter((c) => c.name !== 'peers list');
  const width = Math.max(...listed.map((c) => usageOf(c).length));
  return listed.map((c) => `  ${usageOf(c).padEnd(width)}  ${c.summary}`).join('\n');
}

function usageOf(spec: CommandSpec): string {
  const positionals = spec.positionals.map((p) => (p.endsWith('?') ? `[${p.slice(0, -1).toUpperCase()}]` : p.toUpperCase()));
  const flags = Object.entries(spec.flags)
    .filter(([name]) => !(name in TASK_FILTERS) && name !== 'interval-ms')
    .map(([name, kind]) => {
      if (kind === 'switch') return `[--${name}]`;
      const given = kind === 'list' ? `--${name} ID=URL …` : `--${name} ${name.toUpperCase()}`;
      return spec.required?.includes(name) === true ? given : `[${given}]`;
    });
  return [spec.name, ...positionals, ...flags].join(' ');
}

/** The longest command name the words start with (`peers add …` before `peers`). */
function findCommand(words: readonly string[]): { spec: CommandSpec; rest: string[] } | string {
  const [first, second] = words;
  if (first === undefined) return 'a command is required';
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (two !== undefined) return { spec: two, rest: words.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  const group = COMMANDS.filter((c) => c.name.startsWith(`${first} `));
  if (one !== undefined && (group.length === 0 || second === undefined)) return { spec: one, rest: words.slice(1) };
  if (group.length > 0) {
    const subs = group.map((c) => c.name.split(' ')[1]).join(', ');
    return second === undefined ? `\`${first}\` needs one of: ${subs}` : `unknown command \`${first} ${second}\` (one of: ${subs})`;
  }
  return `unknown command \`${first}\``;
}

const INT_FLAGS: Readonly<Record<string, string>> = { 'timeout-ms': 'milliseconds', 'interval-ms': 'milliseconds' };

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Args | string {
  const firstFlag = argv.findIndex((a) => a.startsWith('-'));
  const found = findCommand(firstFlag < 0 ? argv : argv.slice(0, firstFlag));
  if (typeof found === 'string') return found;
  const { spec } = found;
  const words = [...found.rest];
  const args: Args = {
    command: spec.name, positionals: {}, flags: {},
    url: env.MIROIR_URL ?? 'http://127.0.0.1:7700', adminKey: env.MIROIR_ADMIN_KEY ?? null, json: false, timeoutMs: 10_000,
  };
  const rest = firstFlag < 0 ? [] : argv.slice(firstFlag);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const kind: FlagKind | undefined = name === 'json' ? 'switch' : ['url', 'admin-key', 'timeout-ms'].includes(name) ? 'value' : spec.flags[name];
    if (kind === undefined) return `unknown flag \`--${name}\` for \`${spec.name}\``;
    if (kind === 'switch') {
      if (eq > 0) return `flag \`--${name}\` takes no value`;
      if (name === 'json') args.json = true;
      else args.flags[name] = true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined) return `flag \`--${name}\` needs a value`;
    const problem = setValue(args, name, kind, value);
    if (problem !== null) return problem;
  }
  const required = spec.positionals.filter((p) => !p.endsWith('?')).length;
  if (words.length < required) return `\`${spec.name}\` needs ${spec.positionals.slice(words.length).filter((p) => !p.endsWith('?')).map((p) => p.toUpperCase()).join(' ')}`;
  if (words.length > spec.positionals.length) return `unexpected argument \`${words[spec.positionals.length]}\``;
  const missing = (spec.required ?? []).filter((name) => args.flags[name] === undefined);
  if (missing.length > 0) return `\`${spec.name}\` needs ${missing.map((name) => `--${name}`).join(' and ')}`;
  const nodes = args.flags.node;
  const badNode = Array.isArray(nodes) ? nodes.find((n) => parseNodeFlag(n) === null) : undefined;
  if (badNode !== undefined) return `--node needs ID=URL (an http(s) URL), got \`${badNode}\``;
  words.forEach((word, i) => {
    args.positionals[spec.positionals[i]!.replace(/\?$/, '')] = word;
  });
  return args;
}

function setValue(args: Args, name: string, kind: FlagKind, value: string): string | null {
  if (name === 'url') {
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) return `--url needs an http(s) URL, got \`${value}\``;
    args.url = value.replace(/\/+$/, '');
  } else if (name === 'admin-key') {
    args.adminKey = value;
  } else if (name in INT_FLAGS) {
    if (!/^[1-9][0-9]{0,6}$/.test(value)) return `--${name} needs a whole number of ${INT_FLAGS[name]}, got \`${value}\``;
    if (name === 'timeout-ms') args.timeoutMs = Number(value);
    else args.flags[name] = value;
  } else if (kind === 'list') {
    const list = args.flags[name];
    args.flags[name] = [...(Array.isArray(list) ? list : []), value];
  } else {
    args.flags[name] = value;
  }
  return null;
}

/** A value flag's string; undefined when not given. */
export function flag(args: Args, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === 'string' ? value : undefined;
}

/** The polling interval of --wait and --watch. */
export function intervalMs(args: Args): number {
  return Number(flag(args, 'interval-ms') ?? 1_000);
}

/** `--node n4=http://10.0.0.4:7700` → {id, url}; null when malformed. */
export function parseNodeFlag(value: string): { id: string; url: string } | null {
  const eq = value.indexOf('=');
  if (eq <= 0) return null;
  const id = value.slice(0, eq);
  const url = value.slice(eq + 1);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return null;
  return { id, url };
}
