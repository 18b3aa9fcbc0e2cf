// `miroir node`: runs one embedded engine node, with Meilisearch's flags and
// environment variables (`--http-addr`/MEILI_HTTP_ADDR, `--db-path`/
// MEILI_DB_PATH, `--master-key`/MEILI_MASTER_KEY,
// `--http-payload-size-limit`/MEILI_HTTP_PAYLOAD_SIZE_LIMIT). It prints a
// banner with the address, stops cleanly on SIGINT/SIGTERM, and exits non-zero
// with a one-line reason when the data directory or the port is unusable.
import { DEFAULT_PAYLOAD_LIMIT_BYTES, NodeStartError, startNode } from '../../engine/node.ts';
import { createLogger } from '../../api/plugins/logging.ts';

const HELP = `usage: miroir node [flags]

Runs an embedded Meilisearch-compatible search node.

flags (environment variable in brackets):
  --http-addr <host:port>          address to listen on [MEILI_HTTP_ADDR] (default 127.0.0.1:7700)
  --db-path <dir>                  data directory [MEILI_DB_PATH] (default ./data.ms)
  --master-key <key>               master key; without one every route but /keys is open [MEILI_MASTER_KEY]
  --http-payload-size-limit <size> largest request body, e.g. 100MB, 10MiB, 2000000 [MEILI_HTTP_PAYLOAD_SIZE_LIMIT] (default 100MB)
  -h, --help                       show this help`;

const UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};

export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return null;
  const factor = UNITS[(m[2] ?? '').toLowerCase() || 'b'];
  if (factor === undefined) return null;
  const bytes = Math.floor(Number(m[1]) * factor);
  return bytes > 0 ? bytes : null;
}

type Flags = { httpAddr: string; dbPath: string; masterKey: string | null; payload: string };

function parseFlags(argv: string[]): Flags | string {
  const flags: Flags = {
    httpAddr: process.env.MEILI_HTTP_ADDR ?? '127.0.0.1:7700',
    dbPath: process.env.MEILI_DB_PATH ?? './data.ms',
    masterKey: process.env.MEILI_MASTER_KEY ?? null,
    payload: process.env.MEILI_HTTP_PAYLOAD_SIZE_LIMIT ?? '',
  };
  const names: Record<string, keyof Flags> = {
    '--http-addr': 'httpAddr', '--db-path': 'dbPath', '--master-key': 'masterKey', '--http-payload-size-limit': 'payload',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const key = names[name];
    if (key === undefined) return `unknown flag \`${arg}\``;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return `flag \`${name}\` needs a value`;
    flags[key] = value;
  }
  return flags;
}

/** A closed stdout (the parent went away) must not crash a node that is shutting down cleanly. */
function tolerateClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/**
 * Start-up and shut-down are JSON lines on stdout (api/plugins/logging.ts);
 * refusals before the node runs stay one plain line on stderr, for the
 * operator at the terminal.
 */
export async function run(argv: string[]): Promise<number> {
  tolerateClosedStdout();
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const flags = parseFlags(argv);
  if (typeof flags === 'string') {
    console.error(`miroir node: ${flags}\n${HELP}`);
    return 2;
  }
  const payloadLimitBytes = flags.payload === '' ? DEFAULT_PAYLOAD_LIMIT_BYTES : parseByteSize(flags.payload);
  if (payloadLimitBytes === null) {
    console.error(`miroir node: invalid --http-payload-size-limit \`${flags.payload}\``);
    return 2;
  }
  let node;
  try {
    node = await startNode({ httpAddr: flags.httpAddr, dbPath: flags.dbPath, masterKey: flags.masterKey || null, payloadLimitBytes });
  } catch (error) {
    if (error instanceof NodeStartError) {
      console.error(`miroir node: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const log = createLogger();
  log.info(
    { url: node.url, dbPath: flags.dbPath, masterKey: flags.masterKey ? 'set' : 'unset' },
    `miroir node: listening on ${node.url} (data: ${flags.dbPath}${flags.masterKey ? ', master key set' : ', no master key'})`,
  );
  const running = node;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, `miroir node: ${signal} received, shutting down`);
      running.close().then(() => {
        log.info('miroir node: stopped');
        resolve(0);
      }, (error: unknown) => {
        log.error({ err: error }, `miroir node: shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        resolve(1);
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
