// The zones of the submit benchmark, each its own process (bench/support/submit-server.ts):
// lgwan first, then the internet zone told where lgwan listens. Both get the gateway keys of
// their pairs from the environment, as `machi serve` does.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { processTicks } from './machine-share.ts';
import { nodeFlags } from './node-flags.ts';
import type { ServerStats } from './server-stats.ts';

const root = new URL('../../', import.meta.url).pathname;

export type ZoneProcess = Awaited<ReturnType<typeof startZone>>;

/**
 * With MACHI_BENCH_TRACE_GC=DIR, each zone runs with `--trace-gc` and its trace goes to
 * DIR/<zone>.log, each line after the wall clock's milliseconds, with a `measuring` line where
 * the counted part begins: to set a collection beside the second whose latency it spoiled.
 */
const traceDir = process.env.MACHI_BENCH_TRACE_GC;
const traceLine = (zone: string, text: string) => {
  if (traceDir) appendFileSync(join(traceDir, `${zone}.log`), `${Date.now()} ${text}\n`);
};

/** Starts one zone and waits until it listens; its stderr goes to ours. */
export async function startZone(zone: 'internet' | 'lgwan', env: NodeJS.ProcessEnv) {
  if (traceDir) mkdirSync(traceDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [
      ...nodeFlags(zone),
      ...(traceDir ? ['--trace-gc'] : []),
      '--import',
      'tsx',
      join(root, 'bench/support/submit-server.ts'),
      zone,
    ],
    {
      cwd: root,
      env: { ...process.env, MACHI_LOG_LEVEL: 'silent', ...env },
      // stdin: a pipe the server reads to its end, which comes when this process is gone.
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  // The first JSON line says where it listens; the others, on SIGUSR1, what it saw.
  let exit = '';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = `code ${code}, signal ${signal}`;
      resolve();
    }),
  );
  let onLine: ((line: string) => void) | undefined;
  const listening = new Promise<{ port: number }>((resolve, reject) => {
    onLine = (line) => resolve(JSON.parse(line));
    void exited.then(() => reject(new Error(`the ${zone} zone exited before it listened (${exit})`)));
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{')) onLine?.(line);
    else traceLine(zone, line);
  });
  const { port } = await listening;
  const stopped = () => new Error(`the ${zone} zone stopped during the run (${exit})`);
  return {
    zone,
    port,
    pid: child.pid!,
    /** Starts the zone's counts afresh: what came before is not counted. */
    startMeasuring: () => {
      traceLine(zone, 'measuring');
      child.kill('SIGUSR2');
    },
    /** What the zone saw since `startMeasuring`; throws if it had stopped by itself. */
    stats(): Promise<ServerStats> {
      if (exit) throw stopped();
      const stats = new Promise<ServerStats>((resolve) => {
        onLine = (line) => resolve((JSON.parse(line) as { stats: ServerStats }).stats);
      });
      child.kill('SIGUSR1');
      return stats;
    },
    async stop(): Promise<void> {
      if (exit) throw stopped();
      child.kill('SIGTERM');
      await exited;
    },
    kill: () => {
      if (!exit) child.kill('SIGKILL');
    },
  };
}

/**
 * CPU ticks used so far by the children of `pid` (the internet zone's sanitizer workers),
 * running or ended: they are processes of their own, so neither the zone's figures nor
 * machine-share's count them.
 */
export function childTicks(pid: number): number {
  let ticks = processTicks(pid)?.endedChildren ?? 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // Undefined for a process gone meanwhile.
    const child = processTicks(Number(entry));
    if (child?.parent === pid) ticks += child.ticks;
  }
  return ticks;
}
