// The process that the SIGKILL tests (test/procedures/kill-during-submission.test.ts,
// test/points/kill-server.test.ts) kill, and the tests' remote control for it. Run as a script (`node --import tsx kill-target.ts`), it is the
// three zones as `machi start` runs them — one process, one embedded gateway with its background
// tasks, each zone on its own database from the environment (PGlite directories under
// MACHI_DATA_DIR, or MACHI_<ZONE>_DATABASE_URL) — with the internet zone on a free port.
//
// Commands on stdin, answers on stdout, one JSON object a line:
// - {"port":N} once listening.
// - "hold": from now on the answer to each filing or payment is held back once the zone has done
//   its work (committed, receipt made): {"held":N} each time. Killed with answers held, the
//   process surely leaves filings or payments stored that their residents never heard of; a kill
//   at a random moment rarely hits that, as the time between commit and answer is short.
// - "unsent": {"unsent":N}, the filings not yet forwarded to lgwan (the test waits for 0 and
//   leaves the forwarding to the zone's own background task).
// SIGTERM closes the zones and exits 0. The end of stdin (the test process gone) exits at once,
// so no zone outlives a crashed test run.
import { type ChildProcess, spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadConfig, zoneNames } from '../../src/core/index.ts';
import { createEmbeddedNetwork, openZone, type RunningZone, zoneDefinitions } from '../../src/zones/index.ts';

type Line = Record<string, unknown>;
const say = (line: Line) => process.stdout.write(`${JSON.stringify(line)}\n`);
/** The requests whose answers "hold" holds back: filings and points payments. */
const HELD = [/^\/api\/v1\/procedures\/[^/]+\/submissions$/, /^\/api\/v1\/points\/payments$/];

async function serve(): Promise<void> {
  // Listened to before the zones open: a test process gone while they start ends this one too.
  const commands = createInterface({ input: process.stdin });
  commands.on('close', () => process.exit(1));
  const config = loadConfig();
  const gateway = createEmbeddedNetwork({ background: true });
  const [internet, lgwan, mynumber] = (await Promise.all(
    zoneNames.map((zone) => openZone(zoneDefinitions[zone], config, { gateway })),
  )) as [RunningZone, RunningZone, RunningZone];
  await internet.app.listen({ host: '127.0.0.1', port: 0 });

  let holding = false;
  let held = 0;
  // Ahead of Fastify's own listener; Node sends nothing of a response before write() or end().
  internet.app.server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST' || !HELD.some((path) => path.test(request.url ?? ''))) return;
    const end = response.end.bind(response);
    response.end = ((...args: Parameters<typeof end>) => {
      if (!holding || response.statusCode >= 300) return end(...args);
      held += 1;
      say({ held });
      return response;
    }) as typeof response.end;
  });

  const unsent = async () => {
    const row = await internet.context.database.db
      .selectFrom('procedure_submissions_unsent' as never)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  commands.on('line', (command) => {
    if (command === 'hold') holding = true;
    if (command === 'unsent') {
      unsent().then(
        (n) => say({ unsent: n }),
        (error: unknown) => say({ unsent: null, error: String(error) }),
      );
    }
  });
  process.once('SIGTERM', () => {
    commands.removeAllListeners('close');
    (async () => {
      // As ThreeZones.close: the zones that call lgwan stop before it does.
      for (const zone of [internet, mynumber, lgwan]) await zone.close();
      process.exit(0);
    })().catch((error: unknown) => {
      process.stderr.write(`kill-target: close failed: ${String(error)}\n`);
      process.exit(1);
    });
  });
  say({ port: (internet.app.server.address() as AddressInfo).port });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await serve();

// ---- the test's side ------------------------------------------------------------------------

type Exit = { code: number | null; signal: NodeJS.Signals | null };

export interface KillTarget {
  /** The internet zone's port on 127.0.0.1. */
  readonly port: number;
  /** Has answers to filings and payments held back from now on; resolves once `count` are held. */
  holdAnswers(count: number): Promise<void>;
  /** Filings the internet zone has not yet forwarded to lgwan. */
  unsent(): Promise<number>;
  /** SIGKILL to the process group: no handler runs, nothing is flushed or closed. */
  kill(): Promise<Exit>;
  /** SIGTERM: the zones close as `machi start` closes them. */
  stop(): Promise<Exit>;
}

const running = new Set<ChildProcess>();
const SCRIPT = fileURLToPath(import.meta.url);
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Starts the zones in a child process with `env` as their MACHI_* configuration. */
export async function startKillTarget(env: Record<string, string>): Promise<KillTarget> {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('MACHI_'));
  // Its own process group, so that the kill takes the zones and anything they started.
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    cwd: REPO,
    env: { ...Object.fromEntries(inherited), ...env },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  child.stdin!.on('error', () => {}); // EPIPE once killed
  let stderr = '';
  child.stderr!.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4_000);
  });
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );

  // Lines not asked for yet wait in `unread`; requests for a line wait in `waiting`.
  const unread: Line[] = [];
  const waiting: { key: string; resolve: (line: Line) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Line;
    try {
      line = JSON.parse(text);
    } catch {
      return;
    }
    const index = waiting.findIndex((w) => w.key in line);
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(line);
    else unread.push(line);
  });
  const next = (key: string, timeoutMs: number) =>
    new Promise<Line>((resolve, reject) => {
      const index = unread.findIndex((line) => key in line);
      if (index >= 0) return resolve(unread.splice(index, 1)[0]!);
      const timer = setTimeout(() => reject(new Error(`kill-target: no "${key}"\n${stderr}`)), timeoutMs);
      waiting.push({
        key,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`kill-target ended (${code ?? signal}) before "${key}"\n${stderr}`));
      });
    });

  const { port } = await next('port', 60_000);
  return {
    port: Number(port),
    async holdAnswers(count) {
      child.stdin!.write('hold\n');
      while (Number((await next('held', 20_000)).held) < count);
    },
    async unsent() {
      child.stdin!.write('unsent\n');
      const line = await next('unsent', 10_000);
      if (typeof line.unsent !== 'number') throw new Error(`kill-target: ${JSON.stringify(line)}`);
      return line.unsent;
    },
    kill() {
      process.kill(-child.pid!, 'SIGKILL');
      return exited;
    },
    async stop() {
      child.kill('SIGTERM');
      const exit = await exited;
      if (exit.code !== 0)
        throw new Error(`kill-target: stopped with ${exit.code ?? exit.signal}\n${stderr}`);
      return exit;
    },
  };
}

/** Kills whatever is still running (a failed test) and waits for it to be gone. */
export async function killAllKillTargets(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            resolve();
          }
        }),
    ),
  );
}
