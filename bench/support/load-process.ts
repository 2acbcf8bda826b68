// Runs a load generator (paced-load.ts, submit-load.ts) in its own process, so that its CPU is
// not the benchmark driver's: options on stdin, `{"measuring":true}` when the first counted
// request is due, then one JSON line of figures.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('../../', import.meta.url).pathname;

/** The load generator now running, to stop if the benchmark is interrupted. */
export let loading: ChildProcess | undefined;

export async function runLoadProcess<Result>(
  script: 'paced-load.ts' | 'submit-load.ts',
  options: object,
  onMeasuring: () => void,
): Promise<Result> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/support', script)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  loading = child;
  child.stdin!.end(JSON.stringify(options));
  let result: Result | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === '{"measuring":true}') onMeasuring();
    else if (line.startsWith('{')) result = JSON.parse(line) as Result;
  }
  const code = child.exitCode ?? (await new Promise<number | null>((resolve) => child.once('exit', resolve)));
  loading = undefined;
  if (code !== 0 || !result) throw new Error(`the load generator exited with ${code}`);
  return result;
}
