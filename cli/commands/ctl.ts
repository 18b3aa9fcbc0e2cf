// `miroir ctl <command>`: operator commands against a peer's admin API
// (`/_miroir/*`, ARCHITECTURE §9, issue 5 §5). Human tables by default,
// `--json` for scripts (the admin API's own answer, unchanged).
//
// Exit codes scripts can trust:
//   0  the command did what it says (for `status`, the peer answered);
//   1  it could not: the peer is unreachable, timed out, refused the admin
//      key, or answered an error (its Meilisearch-shaped message is printed);
//   2  usage: unknown command or flag, a missing or malformed value.
//
// Commands:
//   status   peers and the leader, nodes (committed state, routed to or not,
//            the health verdict routing follows with who observed it and the
//            probe latency EWMA), groups, and per index the shards covered by
//            a node searches go to;
//   tasks    the cluster's tasks, newest first, with Meilisearch's task filters.
//
// The admin key comes from --admin-key or MIROIR_ADMIN_KEY, the peer from
// --url or MIROIR_URL (default http://127.0.0.1:7700).
import { table } from '../ctl/table.ts';

const HELP = `usage: miroir ctl <command> [flags]

commands:
  status               peers, leader, nodes, groups, shards covered per index
  tasks                the cluster's tasks, newest first

flags:
  --url URL            a peer's client API [MIROIR_URL] (default http://127.0.0.1:7700)
  --admin-key KEY      the admin key [MIROIR_ADMIN_KEY]
  --json               print the admin API's JSON answer instead of tables
  --timeout-ms N       give up on the peer after N ms (default 10000)
  -h, --help           show this help

tasks filters (as GET /tasks): --statuses, --types, --index-uids, --uids,
  --limit, --from, --reverse

exit codes: 0 ok, 1 error (unreachable, refused, error answer), 2 usage`;

const TASK_FILTERS = ['statuses', 'types', 'index-uids', 'uids', 'limit', 'from', 'reverse'] as const;
const COMMANDS = ['status', 'tasks'] as const;
type Command = (typeof COMMANDS)[number];

interface Args {
  command: Command;
  url: string;
  adminKey: string | null;
  json: boolean;
  timeoutMs: number;
  filters: Record<string, string>;
}

export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Args | string {
  const [command, ...rest] = argv;
  if (command === undefined) return 'a command is required';
  if (!(COMMANDS as readonly string[]).includes(command)) return `unknown command \`${command}\``;
  const args: Args = {
    command: command as Command, url: env.MIROIR_URL ?? 'http://127.0.0.1:7700', adminKey: env.MIROIR_ADMIN_KEY ?? null,
    json: false, timeoutMs: 10_000, filters: {},
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) return `unexpected argument \`${arg}\``;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (name === 'json') {
      args.json = true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
    if (value === undefined) return `flag \`--${name}\` needs a value`;
    if (name === 'url') {
      if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) return `--url needs an http(s) URL, got \`${value}\``;
      args.url = value.replace(/\/+$/, '');
    } else if (name === 'admin-key') args.adminKey = value;
    else if (name === 'timeout-ms') {
      if (!/^[1-9][0-9]{0,6}$/.test(value)) return `--timeout-ms needs a whole number of milliseconds, got \`${value}\``;
      args.timeoutMs = Number(value);
    } else if (args.command === 'tasks' && (TASK_FILTERS as readonly string[]).includes(name)) {
      args.filters[name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = value;
    } else return `unknown flag \`--${name}\` for \`${args.command}\``;
  }
  return args;
}

/** A failure to report with exit code 1. */
class CtlError extends Error {}

async function getJson(args: Args, path: string): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (args.adminKey !== null) headers['x-admin-key'] = args.adminKey;
  let response: Response;
  try {
    response = await fetch(`${args.url}${path}`, { headers, signal: AbortSignal.timeout(args.timeoutMs) });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new CtlError(`cannot reach ${args.url}: no answer within ${args.timeoutMs} ms`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CtlError(`cannot reach ${args.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CtlError(`${args.url}${path} answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!response.ok) {
    const error = body as { message?: string; code?: string };
    throw new CtlError(`${args.url}${path} answered ${response.status} ${error.code ?? ''}: ${error.message ?? text.slice(0, 200)}`);
  }
  return body;
}

interface Topology {
  peerId: string;
  leader: string | null;
  term: number;
  commit: number;
  applied: number;
  peers: Array<{ id: string; address: string; role: string; isLeader: boolean; isSelf: boolean }>;
  nodes: Array<{
    id: string; url: string; group: string; state: string; healthy: boolean;
    health: { status: string; latencyEwmaMs: number | null; observedBy: string; ageMs: number } | null;
  }>;
  groups: Array<{ id: string; nodes: string[] }>;
  indexes: Array<{ uid: string; shards: number; placements: Record<string, string[][]> }>;
}

/** Shards of an index with at least one owner that takes searches, in any group. */
export function shardsCovered(topology: Topology, index: Topology['indexes'][number]): number {
  const routed = new Set(topology.nodes.filter((n) => n.healthy).map((n) => n.id));
  let covered = 0;
  for (let shard = 0; shard < index.shards; shard++) {
    if (Object.values(index.placements).some((owners) => (owners[shard] ?? []).some((id) => routed.has(id)))) covered++;
  }
  return covered;
}

function renderStatus(t: Topology): string {
  const peers = table(['PEER', 'ROLE', 'ADDRESS'], t.peers.map((p) => [p.id + (p.isSelf ? ' *' : ''), p.isLeader ? 'leader' : p.role, p.address]));
  const nodes = table(['NODE', 'GROUP', 'STATE', 'ROUTED', 'HEALTH', 'LATENCY', 'URL'], t.nodes.map((n) => [
    n.id, n.group, n.state, n.healthy ? 'yes' : 'NO',
    n.health === null ? 'unknown' : `${n.health.status} (${n.health.observedBy}, ${Math.round(n.health.ageMs)} ms ago)`,
    n.health?.latencyEwmaMs == null ? '-' : `${n.health.latencyEwmaMs.toFixed(1)} ms`,
    n.url,
  ]));
  const groups = table(['GROUP', 'NODES'], t.groups.map((g) => [g.id, g.nodes.join(' ')]));
  const indexes = t.indexes.length === 0
    ? '(no indexes)'
    : table(['INDEX', 'SHARDS', 'COVERED'], t.indexes.map((i) => {
      const covered = shardsCovered(t, i);
      return [i.uid, String(i.shards), `${covered}/${i.shards}${covered < i.shards ? ' DEGRADED' : ''}`];
    }));
  const head = `peer ${t.peerId} · leader ${t.leader ?? 'unknown'} · term ${t.term} · applied ${t.applied}/${t.commit}`;
  return [head, '', peers, '', nodes, '', groups, '', indexes].join('\n');
}

interface TaskList {
  results: Array<{ uid: number; indexUid: string | null; status: string; type: string; enqueuedAt: string; error: { code?: string } | null }>;
  total: number;
  next: number | null;
}

function renderTasks(list: TaskList): string {
  const rows = list.results.map((task) => [
    String(task.uid), task.indexUid ?? '-', task.type, task.status + (task.error?.code ? ` (${task.error.code})` : ''), task.enqueuedAt,
  ]);
  const more = list.next === null ? '' : `\n… more from --from ${list.next}`;
  return `${table(['UID', 'INDEX', 'TYPE', 'STATUS', 'ENQUEUED AT'], rows)}\n${list.results.length} of ${list.total} task(s)${more}`;
}

async function execute(args: Args): Promise<string> {
  switch (args.command) {
    case 'status': {
      const topology = (await getJson(args, '/_miroir/topology')) as Topology;
      return args.json ? JSON.stringify(topology, null, 2) : renderStatus(topology);
    }
    case 'tasks': {
      const query = new URLSearchParams(args.filters).toString();
      const list = (await getJson(args, `/_miroir/tasks${query === '' ? '' : `?${query}`}`)) as TaskList;
      return args.json ? JSON.stringify(list, null, 2) : renderTasks(list);
    }
  }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const args = parseArgs(argv, process.env);
  if (typeof args === 'string') {
    console.error(`miroir ctl: ${args}\n\n${HELP}`);
    return 2;
  }
  try {
    console.log(await execute(args));
    return 0;
  } catch (error) {
    if (!(error instanceof CtlError)) throw error;
    console.error(`miroir ctl ${args.command}: ${error.message}`);
    return 1;
  }
}
