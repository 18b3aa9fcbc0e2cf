// Entry of the `miroir` command: `miroir <command> [flags]`. Each command is
// one module in cli/commands/<command>.ts exporting `run(argv): Promise<number>`
// (the exit code), so commands are added without touching this file.
import { existsSync, readdirSync } from 'node:fs';

const commandsDir = new URL('./commands/', import.meta.url);

function available(): string[] {
  if (!existsSync(commandsDir)) return [];
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function usage(): string {
  const list = available();
  return `usage: miroir <command> [flags]\ncommands: ${list.length ? list.join(', ') : '(none)'}\n` +
    `run \`miroir <command> --help\` for a command's flags`;
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  console.log(usage());
  process.exit(name ? 0 : 2);
}
if (!/^[a-z][a-z-]*$/.test(name) || !available().includes(name)) {
  console.error(`miroir: unknown command \`${name}\`\n${usage()}`);
  process.exit(2);
}
const command = (await import(new URL(`${name}.ts`, commandsDir).href)) as {
  run: (argv: string[]) => Promise<number>;
};
const code = await command.run(rest);
process.exitCode = code;
