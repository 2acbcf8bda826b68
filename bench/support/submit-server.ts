// Child process of the submit benchmark: one zone as `machi serve --zone Z` runs it — its own
// PostgreSQL database (MACHI_<ZONE>_DATABASE_URL), the other zones over HTTP with the pair
// keys from the environment, the background tasks on (the internet zone forwards filings and
// rebuilt uploads to lgwan as they come, and pulls from lgwan's outbox). Usage:
// `node --import tsx submit-server.ts internet|lgwan`. Listens on a free port and prints one
// JSON line with it; on SIGUSR1, one line of what it saw since SIGUSR2 (server-stats.ts, with
// each route's time from the request's head read to its answer written; MACHI_BENCH_PROFILE=DIR
// writes the CPU profile of each measured part there), and how many statements of each kind it
// sent to PostgreSQL (round trips: what a filing costs in them), and what each non-2xx answer was.
import pg from 'pg';
import { loadConfig, parseZoneName } from '../../src/core/index.ts';
import { createHttpNetwork, openZone, zoneDefinitions } from '../../src/zones/index.ts';
import { exitWithParent } from './exit-with-parent.ts';
import { reportServerStats } from './server-stats.ts';

exitWithParent();

const zoneName = parseZoneName(process.argv[2]);
let requests = new Map<string, number[]>();
let statements = new Map<string, number>();
/** Each statement kind's times, from the call to its rows. */
let statementMs = new Map<string, number[]>();
/** Answers that were not 2xx, by status and what caused them (a MachiError's code, or the HTTP parser's). */
let failures = new Map<string, number>();
const countFailure = (kind: string) => failures.set(kind, (failures.get(kind) ?? 0) + 1);

// Every statement the zone sends goes through pg's Client.query (the pool hands out Clients).
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0] as string | { text?: string } | undefined;
  const text = typeof first === 'string' ? first : (first?.text ?? '');
  // From the text's start only: a batch's statement runs to kilobytes, and collapsing all of
  // it would charge the zone's measured time and heap for the benchmark's own counting.
  const kind = text.slice(0, 240).replace(/\s+/g, ' ').trim().slice(0, 60);
  statements.set(kind, (statements.get(kind) ?? 0) + 1);
  const start = performance.now();
  const result = (query as (...a: unknown[]) => unknown).apply(this, args);
  // Its time from the call to its rows (promise form only: the zone never passes a callback).
  if (result instanceof Promise) {
    void result.then(
      () => {
        const list = statementMs.get(kind) ?? [];
        statementMs.set(kind, list);
        list.push(performance.now() - start);
      },
      () => undefined,
    );
  }
  return result;
} as typeof query;

const summary = (values: number[]) => {
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) =>
    +(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0).toFixed(2);
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
};

/** Routes by their fixed part: ids in paths are dropped, so each route is one entry. */
const routeOf = (url: string | undefined) =>
  (url ?? '')
    .split('?')[0]!
    .replace(/\/procedures\/[^/]+\//, '/procedures/:id/')
    .replace(/\/[0-9a-f-]{36}/g, '/:id');

reportServerStats(process.env.MACHI_BENCH_PROFILE || undefined, {
  reset() {
    requests = new Map();
    statements = new Map();
    statementMs = new Map();
    failures = new Map();
  },
  read() {
    return {
      requestMs: Object.fromEntries([...requests].map(([route, values]) => [route, summary(values)])),
      statements: Object.fromEntries([...statements].sort((a, b) => b[1] - a[1])),
      statementMs: Object.fromEntries([...statementMs].map(([kind, values]) => [kind, summary(values)])),
      failures: Object.fromEntries(failures),
    };
  },
});
const config = loadConfig();
const zone = await openZone(zoneDefinitions[zoneName], config, {
  gateway: createHttpNetwork(config, { background: true }),
  logger: { level: process.env.MACHI_LOG_LEVEL ?? 'silent' },
});
// Requests Node's HTTP parser refused before any route saw them (it answers 400 itself).
zone.app.server.prependListener('clientError', (error: NodeJS.ErrnoException) => {
  countFailure(`http parser ${error.code ?? error.name}`);
});
zone.app.server.prependListener('request', (request, response) => {
  const start = performance.now();
  // A failed answer's problem (its body's first characters), counted by route and status.
  const end = response.end as (...args: unknown[]) => typeof response;
  response.end = ((...args: unknown[]) => {
    if (response.statusCode >= 400) {
      const body =
        typeof args[0] === 'string' || Buffer.isBuffer(args[0]) ? String(args[0]).slice(0, 300) : '';
      countFailure(`${routeOf(request.url)} ${response.statusCode} ${body}`);
    }
    return end.apply(response, args);
  }) as typeof response.end;
  response.once('finish', () => {
    const route = routeOf(request.url);
    const list = requests.get(route) ?? [];
    requests.set(route, list);
    list.push(performance.now() - start);
  });
});
await zone.app.listen({ host: '127.0.0.1', port: 0 });
const address = zone.app.server.address();
console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
