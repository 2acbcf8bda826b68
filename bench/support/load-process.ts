// Runs a load generator (paced-load.ts, submit-load.ts) in its own process, so that its CPU is
// not the benchmark driver's: options on stdin, `{"measuring":true}` when the first counted
// request is due, then one JSON line of figures.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const root = new URL('../../', import.meta.url).pathname;

// A full collection on demand (V8's own gc(), exposed at run time for this process only).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

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
  // The options can be hundreds of megabytes (every request's body): once the child has
  // them, the driver collects their garbage at once, while the child starts (during a
  // warm-up where there is one). Left to V8, that full collection of a big heap comes
  // whenever it comes, and a second of the driver's CPU in the measured part was seen to
  // hold up the server and the load generator on two cores.
  child.stdin!.end(JSON.stringify(options), () => collectGarbage());
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
