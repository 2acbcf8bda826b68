// `npm run bench resident-lookup [persons] [seconds] [rate]`: GET a resident by 住民票コード
// over HTTP at a fixed rate (default 1,000 req/s for 30 s) with N persons (default 1,000,000)
// loaded on PostgreSQL — the whole path: session check, tenant scope, the indexed reads and
// the audited read (group commit). Baseline: a bare Fastify endpoint of the same URL shape in
// the same run at the same rate. Server and load generator run in separate processes.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { generateResidentsCsv } from '../../src/modules/registry/index.ts';
import type { BenchScenario } from '../run.ts';

const MUNICIPALITY = '131016';
const root = new URL('../../', import.meta.url).pathname;

async function query<T>(url: string, statement: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(statement)).rows as T[];
  } finally {
    await client.end();
  }
}

async function startServer(mode: 'zone' | 'bare', env: NodeJS.ProcessEnv) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'bench/support/lookup-server.ts'), mode],
    {
      cwd: root,
      env: { ...process.env, ...env, MACHI_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith('{')) return { child, info: JSON.parse(line) as { port: number; cookie?: string } };
  }
  throw new Error(`${mode} server exited before it listened`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function load(port: number, codes: string[], seconds: number, rate: number, cookie?: string) {
  let next = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 50,
    duration: seconds,
    overallRate: rate,
    headers: cookie ? { cookie } : {},
    requests: [
      {
        setupRequest: (request) => {
          const code = codes[next++ % codes.length];
          return {
            ...request,
            method: 'GET',
            path: `/api/v1/municipalities/${MUNICIPALITY}/residents/${code}?purpose=certificate`,
          };
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
  };
}

export const scenario: BenchScenario = {
  description: 'resident lookup by 住民票コード over HTTP at a fixed rate, vs a bare Fastify endpoint',
  async run(args) {
    const persons = Number(args[0] ?? 1_000_000);
    const seconds = Number(args[1] ?? 30);
    const rate = Number(args[2] ?? 1000);
    const serverUrl = process.env.MACHI_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `machi_bench_${randomBytes(4).toString('hex')}`;
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const env = { MACHI_MYNUMBER_DATABASE_URL: url.toString(), MACHI_MUNICIPALITIES: MUNICIPALITY };
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
      await query(url.toString(), 'analyze');
      const codes = (
        await query<{ resident_code: string }>(
          url.toString(),
          'select resident_code from registry_persons order by random() limit 20000',
        )
      ).map((row) => row.resident_code);

      const bare = await startServer('bare', env);
      const baseline = await load(bare.info.port, codes, seconds, rate);
      await stop(bare.child);

      const zone = await startServer('zone', env);
      // A short warm-up so JIT and plan caches are not counted against the real run.
      await load(zone.info.port, codes, 3, rate, zone.info.cookie);
      const lookup = await load(zone.info.port, codes, seconds, rate, zone.info.cookie);
      await stop(zone.child);
      const audited = await query<{ n: number }>(
        url.toString(),
        "select count(*)::int as n from audit_log where action = 'registry.person.read'",
      );
      return {
        persons,
        targetRate: rate,
        seconds,
        lookup,
        baseline: { what: 'bare Fastify endpoint, same URL shape, same rate', ...baseline },
        p99Ratio: +(lookup.latencyMs.p99 / Math.max(baseline.latencyMs.p99, 1)).toFixed(2),
        auditedReads: audited[0]?.n ?? 0,
        target: { rate: 1000, p99Ms: 10 },
        met: lookup.latencyMs.p99 < 10 && lookup.non2xx === 0 && lookup.requestsPerSecond >= rate * 0.95,
      };
    } finally {
      await query(serverUrl, `drop database if exists ${name} with (force)`);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
