// Child process of the signin benchmark: the real internet zone (openZone) on the database
// in MACHI_INTERNET_DATABASE_URL, with the PKI in MACHI_JPKI_DIR, listening on a free port.
// Prints one JSON line with its port; on SIGUSR1, one line of what it saw since SIGUSR2
// (server-stats.ts; with MACHI_BENCH_PROFILE=DIR, that run's CPU profile too).
// Its revocation checks ask its own OCSP responder in process (the certificates name the
// configured OCSP URL), and cache the answers as the zone always does. It also times the
// zone's prepared statements (among them each sign-in group's one statement, sessions and
// audit entries), from the call to the rows, counts the sign-ins each group carried, and
// times each request from its head read to its answer written.
import type { CompiledQuery } from 'kysely';
import { type Database, loadConfig } from '../../src/core/index.ts';
import { internetZone, openZone } from '../../src/zones/index.ts';
import { exitWithParent } from './exit-with-parent.ts';
import { reportServerStats } from './server-stats.ts';

exitWithParent();

const timings = new Map<string, number[]>();
let groupSizes: number[] = [];
let requests: number[] = [];
/** Per second of the run, per statement: how many began and the longest. */
let bySecond: Record<string, { count: number; maxMs: number }>[] = [];
let runStart = performance.now();

function timed(database: Database): void {
  const prepared = database.prepared.bind(database);
  (database as { prepared: Database['prepared'] }).prepared = async <Row>(
    name: string,
    query: CompiledQuery<Row>,
  ) => {
    const start = performance.now();
    try {
      return await prepared(name, query);
    } finally {
      const list = timings.get(name) ?? [];
      timings.set(name, list);
      const took = performance.now() - start;
      list.push(took);
      const index = Math.floor((start - runStart) / 1000);
      const second = bySecond[index] ?? {};
      bySecond[index] = second;
      const seen = second[name] ?? { count: 0, maxMs: 0 };
      second[name] = { count: seen.count + 1, maxMs: +Math.max(seen.maxMs, took).toFixed(1) };
      // The sign-ins a group carried: the length of its first array (one element each).
      if (name === 'jpki_sign_in_with_audit') {
        groupSizes.push((query.parameters.find(Array.isArray) as unknown[]).length);
      }
    }
  };
}

const summary = (values: number[]) => {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) =>
    +(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0).toFixed(2);
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
};

reportServerStats(process.env.MACHI_BENCH_PROFILE || undefined, {
  reset() {
    timings.clear();
    groupSizes = [];
    requests = [];
    bySecond = [];
    runStart = performance.now();
  },
  read() {
    const statementsMs = Object.fromEntries([...timings].map(([name, values]) => [name, summary(values)]));
    const signIns = groupSizes.reduce((sum, size) => sum + size, 0);
    return {
      requestMs: summary(requests),
      statementsMs,
      statementsPerSecond: Array.from(bySecond, (second) => second ?? {}),
      signInGroups: {
        count: groupSizes.length,
        meanSize: +(signIns / Math.max(1, groupSizes.length)).toFixed(1),
      },
    };
  },
});
const config = loadConfig();
const zone = await openZone(internetZone, config);
timed(zone.context.database);
// From when Node has read a request's head to when its answer is written (the server's own view).
zone.app.server.prependListener('request', (_request, response) => {
  const start = performance.now();
  response.once('finish', () => requests.push(performance.now() - start));
});
await zone.app.listen({ host: '127.0.0.1', port: 0 });
const address = zone.app.server.address();
console.log(
  JSON.stringify({
    port: typeof address === 'object' && address ? address.port : 0,
    origin: new URL(config.zones.internet.url).origin,
  }),
);
