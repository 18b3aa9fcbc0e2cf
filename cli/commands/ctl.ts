// `miroir ctl <command>`: operator commands against a peer's admin API
// (`/_miroir/*`, ARCHITECTURE §9, issue 5 §5). Human tables by default,
// `--json` for scripts (the admin API's own answer; `status` combines three:
// {topology, migrations, job, unavailable}).
//
// Exit codes scripts can trust:
//   0  the command did what it says (a change was accepted or committed;
//      `rebalance --wait` / `migrations --watch`: everything succeeded);
//   1  it could not: the peer is unreachable, timed out, refused the admin
//      key, or answered an error (its Meilisearch-shaped message is printed);
//      a waited-for job or watched migration failed;
//   2  usage: unknown command or flag, a missing or malformed value.
//
// The modules under cli/ctl/: args.ts (the command table and parsing, the
// help), http.ts (one admin API request), context.ts (the screen and live
// frames), and one module per command group: status, tasks, peers, nodes
// (node and group), migrations (rebalance and migrations).
//
// The admin key comes from --admin-key or MIROIR_ADMIN_KEY, the peer from
// --url or MIROIR_URL (default http://127.0.0.1:7700).
import { HELP, parseArgs, type Args } from '../ctl/args.ts';
import type { Command, Ctx } from '../ctl/context.ts';
import { CtlError } from '../ctl/http.ts';
import { migrations, rebalance } from '../ctl/migrations.ts';
import { group, node } from '../ctl/nodes.ts';
import { peers } from '../ctl/peers.ts';
import { status } from '../ctl/status.ts';
import { tasks } from '../ctl/tasks.ts';

export { parseArgs } from '../ctl/args.ts';

/** The command of each command group (the first word of the command's name). */
const GROUPS: Readonly<Record<string, Command>> = { status, tasks, peers, node, group, rebalance, migrations };

function commandOf(args: Args): Command {
  const command = GROUPS[args.command.split(' ')[0]!];
  if (command === undefined) throw new Error(`no module runs \`${args.command}\``);
  return command;
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
  const ctx: Ctx = {
    args,
    screen: { isTTY: process.stdout.isTTY === true, write: (text) => process.stdout.write(text) },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  try {
    const out = await commandOf(args)(ctx);
    if (out !== '') console.log(out);
    return 0;
  } catch (error) {
    if (!(error instanceof CtlError)) throw error;
    console.error(`miroir ctl ${args.command}: ${error.message}`);
    return 1;
  }
}
