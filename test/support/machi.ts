import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.ts';

/** Runs `machi …args` in-process, as the shell would; returns the exit code and what it printed. */
export async function runMachi(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const printed = { stdout: '', stderr: '' };
  const sink = (name: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk, _encoding, done) {
        printed[name] += String(chunk);
        done();
      },
    });
  const code = await main(args, sink('stdout'), sink('stderr'));
  return { code, ...printed };
}
