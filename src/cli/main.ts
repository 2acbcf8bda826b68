import { type Command, describeFailure, parseCommandArgs, UsageError } from './command.ts';
import { commands } from './commands/index.ts';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: machi <noun> <verb> [options]\n\n${commands
    .map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
    .join('\n')}\n\nRun "machi <command> --help" for a command's options.\n`;
}

function find(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return undefined;
}

/** Runs one command line; returns the exit code. Exported for tests. */
export async function main(
  argv: string[],
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    stdout.write(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const found = find(argv);
  if (!found) {
    stderr.write(`machi: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${usage()}`);
    return 2;
  }
  const { command, rest } = found;
  if (rest.includes('--help')) {
    stdout.write(`Usage: machi ${command.name} [options]\n${command.summary}\n${command.help}\n`);
    return 0;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, rest);
    return await command.run({ values, positionals, stdout, stderr });
  } catch (error) {
    const { message, code } = describeFailure(error);
    const hint = error instanceof UsageError ? `\nRun "machi ${command.name} --help" for usage.` : '';
    stderr.write(`machi ${command.name}: ${message}${hint}\n`);
    return code;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
