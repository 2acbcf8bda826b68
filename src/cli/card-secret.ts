import { createInterface } from 'node:readline';
import { checkSecretShape } from '../modules/jpki/index.ts';
import { UsageError } from './command.ts';

const names = {
  auth: { env: 'MACHI_CARD_PIN', prompt: 'PIN (4 digits): ' },
  signing: { env: 'MACHI_CARD_PASSWORD', prompt: 'Signing password (6–16 A–Z, 0–9): ' },
} as const;

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (text: string) => void };
    process.stderr.write(prompt);
    output._writeToOutput = () => {};
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer.trim());
    });
  });
}

/**
 * The card's PIN or signing password: from the environment (scripts), else asked on
 * the terminal without echo. Never an option: command lines are visible to `ps`.
 */
export async function cardSecret(
  kind: 'auth' | 'signing',
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const { env: name, prompt } = names[kind];
  const secret = env[name] ?? (process.stdin.isTTY ? await askHidden(prompt) : undefined);
  if (!secret) throw new UsageError(`Set ${name}, or run in a terminal to be asked for it.`);
  checkSecretShape(kind, secret);
  return secret;
}
