// `npm run bench resident-lookup [persons] [seconds] [rate]`: GET a resident by 住民票コード
// over HTTP at a constant rate (default 1,000 req/s for 30 s) with N persons (default
// 1,000,000) loaded on PostgreSQL — the whole path: session check, tenant scope, the indexed
// read and the audited read (group commit). Baseline: a bare Fastify endpoint of the same URL
// shape in the same run at the same rate. Server, load generator (bench/support/paced-load.ts,
// latency counted from when each request was due) and PostgreSQL are separate processes.
// MACHI_BENCH_DATABASE_URL names the server (default: the local socket, else 127.0.0.1);
// MACHI_BENCH_POOL the zone's connection pool (default 2, best measured on two cores).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { generateResidentsCsv } from '../../src/modules/registry/index.ts';
import type { BenchScenario } from '../run.ts';
import { nodeFlags } from '../support/node-flags.ts';
import type { PacedLoadOptions, PacedLoadResult } from '../support/paced-load.ts';
import { defaultServerUrl, query } from '../support/pg-query.ts';

const MUNICIPALITY = '131016';
const root = new URL('../../', import.meta.url).pathname;

interface ServerStats {
  readonly eventLoopDelayMs: { p50: number; p99: number; max: number };
  readonly gc: { count: number; totalMs: number; maxMs: number };
}

async function startServer(mode: 'zone' | 'bare', env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    [...nodeFlags('mynumber'), '--import', 'tsx', join(root, 'bench/support/lookup-server.ts'), mode],
    {
      cwd: root,
      env: { ...process.env, ...env, MACHI_LOG_LEVEL: 'silent' },
      // stdin: a pipe the server reads to its end, which comes when this process is gone.
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  // The first JSON line says where it listens; the last, printed on SIGTERM, what it saw.
  const lines: string[] = [];
  let exit = '';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = `code ${code}, signal ${signal}`;
      resolve();
    }),
  );
  const listening = new Promise<{ port: number; cookie?: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      if (lines.push(line) === 1) resolve(JSON.parse(line));
    });
    exited.then(() => reject(new Error(`${mode} server exited before it listened`)));
  });
  const info = await listening;
  return {
    info,
    /** Starts the server's counts afresh: what comes before is warm-up. */
    startMeasuring: () => child.kill('SIGUSR2'),
    /** Stops the server; throws if it had stopped by itself (the run's figures would mean nothing). */
    async stop(): Promise<ServerStats | undefined> {
      if (exit) throw new Error(`the ${mode} server stopped during the run (${exit})`);
      child.kill('SIGTERM');
      await exited;
      const last = lines.at(-1);
      return last?.includes('"stats"') ? (JSON.parse(last) as { stats: ServerStats }).stats : undefined;
    },
  };
}

/** CPU time the hypervisor gave to others (steal), as a share of the machine's time, over `run`. */
async function withSteal<T>(run: () => Promise<T>): Promise<{ result: T; stealShare: number }> {
  const read = () => {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { total: fields.reduce((sum, value) => sum + value, 0), steal: fields[7] ?? 0 };
  };
  const before = read();
  const result = await run();
  const after = read();
  const total = after.total - before.total;
  return { result, stealShare: total > 0 ? +((after.steal - before.steal) / total).toFixed(3) : 0 };
}

/** Runs the paced load generator in its own process and returns its figures. */
async function load(port: number, codes: string[], seconds: number, rate: number, cookie?: string) {
  const options: PacedLoadOptions = {
    port,
    rate,
    seconds,
    headers: cookie ? { cookie } : {},
    paths: codes.map(
      (code) => `/api/v1/municipalities/${MUNICIPALITY}/residents/${code}?purpose=certificate`,
    ),
  };
  const { result, stealShare } = await withSteal(async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/support/paced-load.ts')], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.stdin!.end(JSON.stringify(options));
    let output = '';
    for await (const chunk of child.stdout!) output += chunk;
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`the load generator exited with ${code}`);
    return JSON.parse(output) as PacedLoadResult;
  });
  return { ...result, stealShare };
}

export const scenario: BenchScenario = {
  description: 'resident lookup by 住民票コード over HTTP at a constant rate, vs a bare Fastify endpoint',
  async run(args) {
    const persons = Number(args[0] ?? 1_000_000);
    const seconds = Number(args[1] ?? 30);
    const rate = Number(args[2] ?? 1000);
    const serverUrl = process.env.MACHI_BENCH_DATABASE_URL ?? defaultServerUrl();
    const pool = process.env.MACHI_BENCH_POOL ?? '2';
    const name = `machi_bench_${randomBytes(4).toString('hex')}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const env = {
      MACHI_MYNUMBER_DATABASE_URL: url.toString(),
      MACHI_MYNUMBER_DATABASE_POOL: pool,
      MACHI_MUNICIPALITIES: MUNICIPALITY,
    };
    const dir = mkdtempSync(join(tmpdir(), 'machi-bench-'));
    await query(serverUrl, `create database ${name}`);
    try {
      const file = join(dir, 'residents.csv');
      await pipeline(
        generateResidentsCsv({ municipality: MUNICIPALITY, count: persons, seed: 1 }),
        createWriteStream(file),
      );
      const imported = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(root, 'src/cli/main.ts'),
          'registry',
          'import',
          '--municipality',
          MUNICIPALITY,
          file,
          '--json',
        ],
        { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr.slice(-2000)}`);
      // As pgbench does before it measures: vacuum (hint bits set, visibility map built, so
      // reads do not dirty pages), then a checkpoint, so that writing out the imported pages
      // does not compete with the measured run for the disk.
      await query(url.toString(), 'vacuum analyze');
      await query(url.toString(), 'checkpoint');
      const codes = (
        await query<{ resident_code: string }>(
          url.toString(),
          'select resident_code from registry_persons order by random() limit 20000',
        )
      ).map((row) => row.resident_code);

      const bare = await startServer('bare', env);
      bare.startMeasuring();
      const baseline = await load(bare.info.port, codes, seconds, rate);
      const bareStats = await bare.stop();

      const zone = await startServer('zone', env);
      // A warm-up, so that JIT, prepared plans and the table's pages in memory are not
      // counted against the measured run (the first seconds of a cold server are slow).
      await load(zone.info.port, codes, 10, rate, zone.info.cookie);
      zone.startMeasuring();
      const lookup = await load(zone.info.port, codes, seconds, rate, zone.info.cookie);
      const zoneStats = await zone.stop();
      const audited = await query<{ n: number }>(
        url.toString(),
        "select count(*)::int as n from audit_log where action = 'registry.person.read'",
      );
      const answered = (result: PacedLoadResult) => result.status['200'] ?? 0;
      return {
        persons,
        targetRate: rate,
        seconds,
        databasePool: Number(pool),
        lookup: { ...lookup, server: zoneStats },
        baseline: {
          what: 'bare Fastify endpoint, same URL shape, same rate',
          ...baseline,
          server: bareStats,
        },
        p99Ratio: +(lookup.latencyMs.p99 / Math.max(baseline.latencyMs.p99, 1)).toFixed(2),
        auditedReads: audited[0]?.n ?? 0,
        target: { rate: 1000, p99Ms: 10 },
        met:
          lookup.latencyMs.p99 < 10 && answered(lookup) === lookup.sent && lookup.achievedRate >= rate * 0.95,
        okAnswers: { lookup: answered(lookup), baseline: answered(baseline) },
      };
    } finally {
      await query(serverUrl, `drop database if exists ${name} with (force)`);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
