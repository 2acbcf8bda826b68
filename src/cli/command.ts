import { type ParseArgsConfig, parseArgs } from 'node:util';
import { isMachiError } from '../core/index.ts';

/** One `machi <noun> <verb>` command. */
export interface Command {
  /** e.g. `db migrate`. */
  readonly name: string;
  readonly summary: string;
  /** Lines shown by `--help` after the usage line. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the exit code. Throws UsageError or MachiError for bad input. */
  run(input: CommandInput): Promise<number>;
}

export interface CommandInput {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** A mistake in how the command was called: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Maps an error to a message and exit code: 2 for usage, 1 for everything else. */
export function describeFailure(error: unknown): { message: string; code: number } {
  if (error instanceof UsageError) return { message: error.message, code: 2 };
  if (isMachiError(error)) return { message: `${error.detail} [${error.code}]`, code: 1 };
  const message = error instanceof Error ? error.message : String(error);
  return { message, code: 1 };
}

export function stringOption(values: CommandInput['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function requireOption(values: CommandInput['values'], name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}
