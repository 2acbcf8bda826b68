// `npm run bench points [rate]`: QR payments with municipal points over HTTP on PostgreSQL, at a
// constant rate, against pgbench's TPC-B-like transactions on the same server in the same run.
// The real internet zone runs as its own process (as `machi serve --zone internet`) on a scratch
// database. Residents (MACHI_BENCH_RESIDENTS, default 200) get a card, sign in with it over
// HTTP, set up their MyKey ID through the API, and are granted points; then each payment is the
// whole `POST /api/v1/points/payments` with the resident's cookie and CSRF token: the session,
// the MyKey ID, the merchant's static QR code read and CRC-checked, the merchant (cached for a
// few seconds), and one transfer (overdraft rule, the earliest-expiring lots, the audit entry),
// posted with the payments that arrived meanwhile in one statement (group commit,
// src/modules/points/payments/payment-batcher.ts) and answered after its commit.
// The zone's statement counts and times (`server.extra.statements`, `statementMs`) show how
// many batches there were (`with locked as …`, one per batch; `with input as …` for a batch
// that went the locked way), and `server.extra.failures` what any non-2xx answer was.
// Baseline first, while the machine is quiet: `pgbench -c 8 -j 2` for the same
// number of seconds on a scratch database of scale 10; the payment rate asked is that tps and
// 2 % more, unless a rate is given. Afterwards every payment answered 201 is checked to be in
// the ledger exactly once, and the ledger is reconciled.
// Environment: MACHI_BENCH_SECONDS (default 20), MACHI_BENCH_WARMUP (default 10),
// MACHI_BENCH_RESIDENTS, MACHI_BENCH_IDLE_ACCOUNTS (default 0: the town's other residents,
// each an account granted points weeks ago that no payment of the run touches, so that the
// payments meet a municipality's full tables), MACHI_BENCH_CONNECTIONS (default: one per
// resident, each paying from a phone of their own; with 128, a pause of ~25 ms in the zone at
// ~5,000 payments/s left every connection busy, and the payments due meanwhile waited in the
// load generator),
// MACHI_BENCH_POOL (default 4),
// MACHI_BENCH_DATABASE_URL; and the zone's own MACHI_POINTS_DEFERRED_FLUSH (README), passed
// through, to measure batches that commit before their flush.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  auditMigrations,
  createAuditLog,
  loadConfig,
  migrate,
  openDatabase,
  parseLgCode,
  systemClock,
  type TenantScope,
  tenantScope,
} from '../../src/core/index.ts';
import { initPki, type JpkiStatusDb } from '../../src/modules/jpki/index.ts';
import {
  accountId,
  accountKinds,
  type LedgerContext,
  ledgerMatches,
  type MerchantsDb,
  merchantQrText,
  openAccount,
  type PointsLedgerDb,
  postTransfer,
  postTransferBatch,
  reconcileLedger,
  registerMerchant,
} from '../../src/modules/points/index.ts';
import { internetZone } from '../../src/zones/index.ts';
import type { BenchScenario } from '../run.ts';
import { runLoadProcess } from '../support/load-process.ts';
import { machineSnapshot, sharesBetween } from '../support/machine-share.ts';
import type { PacedLoadResult } from '../support/paced-load.ts';
import { databaseUrl, defaultServerUrl, query } from '../support/pg-query.ts';
import { issueCards, signInAll } from '../support/submit-cards.ts';
import { startZone } from '../support/submit-zones.ts';

const MUNICIPALITY = '131016';
const TARGET = { ratio: 1.0, p99Ms: 50 };
/** The rate asked, unless given: pgbench's tps and 2 % more, so that keeping up shows as ≥ 1.0×. */
const ASK_ABOVE_BASELINE = 1.02;
/** Points per payment; each resident is granted enough for every payment of a run. */
const PAYMENT = 120;
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/**
 * Each measured part starts after a checkpoint, so that neither pays for what came before it.
 * Without one, the WAL of pgbench's tables and run and of the residents' set-up counted
 * toward the next checkpoint, which PostgreSQL then started during the payments in nearly
 * every run; the writes after it carry whole pages, and the payments queued behind them. The
 * payments' own WAL (~2 KB each) may still start one. False if the server refused (the
 * bench's role not a superuser).
 */
async function checkpoint(url: string): Promise<boolean> {
  return query(url, 'checkpoint').then(
    () => true,
    () => false,
  );
}

/** pgbench's TPC-B-like run (scale 10, 8 clients, 2 threads) for `seconds`: its tps. */
async function pgbenchTps(
  url: string,
  seconds: number,
): Promise<{ tps: number; clients: number; scale: number; checkpointed: boolean }> {
  execFileSync('pgbench', ['-i', '-s', '10', '-q', url], { stdio: ['ignore', 'ignore', 'pipe'] });
  const checkpointed = await checkpoint(url);
  const output = execFileSync('pgbench', ['-c', '8', '-j', '2', '-T', String(seconds), url], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tps = output.match(/tps = ([\d.]+) \(without initial connection time\)/);
  if (!tps) throw new Error(`pgbench printed no tps:\n${output}`);
  return { tps: Number(tps[1]), clients: 8, scale: 10, checkpointed };
}

/** How many idle residents' accounts are opened and granted in one statement each. */
const IDLE_BATCH = 1_000;

/** How long ago the idle residents were granted their points. */
const IDLE_GRANTED_DAYS_AGO = 60;

/**
 * Opens `count` residents' accounts that no payment of the run touches, each granted points
 * from `earning` (one lot each), through the ledger as any grant is, a batch at a time. The
 * grants are dated weeks back, as a town's would be, and not today, where the dashboard's
 * counts of today's transfers would meet them.
 */
async function openIdleAccounts(
  db: PointsLedgerDb,
  ledger: LedgerContext,
  scope: TenantScope,
  earning: string,
  count: number,
): Promise<void> {
  const rules = accountKinds.resident;
  const granted = new Date(Date.now() - IDLE_GRANTED_DAYS_AGO * 86_400_000);
  const then = { ...ledger, clock: { now: () => granted } };
  for (let start = 0; start < count; start += IDLE_BATCH) {
    const ids = Array.from({ length: Math.min(IDLE_BATCH, count - start) }, (_, i) =>
      accountId('resident', `idle-${start + i}`),
    );
    await db
      .insertInto('points_accounts')
      .values(
        ids.map((id) => ({
          municipality_code: scope.municipalityCode,
          account_id: id,
          kind: 'resident',
          no_overdraft: rules.noOverdraft,
          tracks_expiry: rules.tracksExpiry,
          created_at: granted,
        })),
      )
      .execute();
    const items = ids.map((id) => ({
      request: {
        transferId: `grant:${id}`,
        code: 'earning' as const,
        legs: [{ debit: earning, credit: id, amount: 1_000 }],
      },
      actor: 'system' as const,
    }));
    const outcomes = await db.transaction().execute((trx) => postTransferBatch(trx, then, scope, items));
    if (outcomes.some((outcome) => !outcome.ok))
      throw new Error('An idle account was not granted its points');
  }
}

export const scenario: BenchScenario = {
  description:
    'QR payments with municipal points over HTTP on PostgreSQL at a constant rate (session, MyKey ID, ' +
    'merchant code, one ledger transfer with its audit entry, batched per transaction), vs pgbench ' +
    'TPC-B-like tps on the same server',
  async run(args) {
    const seconds = env('MACHI_BENCH_SECONDS', 20);
    const warmUpSeconds = env('MACHI_BENCH_WARMUP', 10);
    const residentCount = env('MACHI_BENCH_RESIDENTS', 200);
    const idleCount = env('MACHI_BENCH_IDLE_ACCOUNTS', 0);
    const serverUrl = process.env.MACHI_BENCH_DATABASE_URL ?? defaultServerUrl();
    const name = `machi_bench_${randomBytes(4).toString('hex')}`;
    const urls = {
      internet: databaseUrl(serverUrl, `${name}_internet`),
      pgbench: databaseUrl(serverUrl, `${name}_pgbench`),
    };
    const dir = mkdtempSync(join(tmpdir(), 'machi-bench-points-'));
    const zoneEnv = {
      MACHI_INTERNET_DATABASE_URL: urls.internet,
      MACHI_INTERNET_DATABASE_POOL: String(env('MACHI_BENCH_POOL', 4)),
      MACHI_MUNICIPALITIES: MUNICIPALITY,
      MACHI_JPKI_DIR: join(dir, 'jpki'),
      MACHI_DATA_DIR: dir,
      MACHI_GATEWAY_KEY_INTERNET_LGWAN: randomBytes(32).toString('base64'),
      MACHI_GATEWAY_KEY_LGWAN_MYNUMBER: randomBytes(32).toString('base64'),
    };
    const config = loadConfig({ ...process.env, ...zoneEnv });
    const scope = tenantScope(parseLgCode(MUNICIPALITY));
    let zone: Awaited<ReturnType<typeof startZone>> | undefined;
    try {
      for (const url of Object.values(urls))
        await query(serverUrl, `create database ${new URL(url).pathname.slice(1)}`);
      const baseline = await pgbenchTps(urls.pgbench, seconds);
      // A paced load answers a little under what it asks (the last answers come after the
      // last request is sent): asked exactly pgbench's tps, a zone that keeps up shows 0.99×.
      const rate = Number(args[0] ?? Math.ceil(baseline.tps * ASK_ABOVE_BASELINE));

      await initPki(config.jpki, 'Machi JPKI (bench)', new Date());
      const database = await openDatabase({ url: urls.internet, poolSize: 4 });
      let cards: Awaited<ReturnType<typeof issueCards>>;
      let qr: string;
      try {
        await migrate(database.db, [auditMigrations, ...internetZone.migrations]);
        cards = await issueCards(config, database.db as JpkiStatusDb, MUNICIPALITY, residentCount);
        const merchant = await registerMerchant(
          database.db as MerchantsDb,
          scope,
          {
            merchantId: 'm-bench',
            name: 'ベンチ商店',
            nameLatin: 'BENCH SHOTEN',
            cityLatin: 'CHIYODA-KU',
            categoryCode: '5411',
            feeBasisPoints: 100,
          },
          new Date(),
        );
        qr = merchantQrText(scope, merchant);
      } finally {
        await database.close();
      }
      zone = await startZone('internet', zoneEnv);
      const residents = await signInAll(zone.port, cards);
      // Each resident sets up a MyKey ID through the API, and is granted points directly.
      const base = `http://127.0.0.1:${zone.port}`;
      const myKeyIds = await Promise.all(
        residents.map(async (resident) => {
          const response = await fetch(`${base}/api/v1/points/mykey`, {
            method: 'POST',
            headers: { cookie: resident.cookie, 'x-csrf-token': resident.csrf },
          });
          if (response.status !== 201) throw new Error(`MyKey set-up answered ${response.status}`);
          return ((await response.json()) as { myKeyId: string }).myKeyId;
        }),
      );
      const total = Math.round(rate * (warmUpSeconds + seconds));
      {
        const granting = await openDatabase({ url: urls.internet, poolSize: 4 });
        try {
          const ledger = { audit: createAuditLog(granting, systemClock), clock: systemClock };
          const earning = await openAccount(
            granting.db as unknown as PointsLedgerDb,
            scope,
            'issuance',
            'earning',
            new Date(),
          );
          for (const myKeyId of myKeyIds) {
            await postTransfer(
              granting.db as unknown as PointsLedgerDb,
              ledger,
              scope,
              {
                transferId: `grant:${myKeyId}`,
                code: 'earning',
                legs: [{ debit: earning, credit: accountId('resident', myKeyId), amount: 10_000_000 }],
              },
              'system',
            );
          }
          await openIdleAccounts(granting.db as unknown as PointsLedgerDb, ledger, scope, earning, idleCount);
        } finally {
          await granting.close();
        }
      }
      const bodies = Array.from({ length: total }, () =>
        JSON.stringify({ qr, amount: PAYMENT, paymentId: `b-${randomUUID()}` }),
      );
      const requestHeaders = residents.map((resident) => ({
        cookie: resident.cookie,
        'x-csrf-token': resident.csrf,
      }));

      const checkpointed = await checkpoint(urls.internet);
      let before: ReturnType<typeof machineSnapshot> | undefined;
      const load = await runLoadProcess<PacedLoadResult>(
        'paced-load.ts',
        {
          port: zone.port,
          paths: ['/api/v1/points/payments'],
          rate,
          seconds,
          warmUpSeconds,
          connections: env('MACHI_BENCH_CONNECTIONS', residentCount),
          bodies,
          requestHeaders,
          announce: true,
          timeline: true,
        },
        () => {
          before = machineSnapshot(zone!.pid);
          zone!.startMeasuring();
        },
      );
      const after = machineSnapshot(zone.pid);
      const stats = await zone.stats();
      await zone.stop();
      zone = undefined;

      // Every payment answered 201 is in the ledger once; balances are the sum of their transfers.
      const checking = await openDatabase({ url: urls.internet, poolSize: 2 });
      let checks: Record<string, unknown>;
      try {
        const [row] = await query<{ n: number }>(
          urls.internet,
          "select count(*)::int as n from points_transfers where code = 'payment'",
        );
        const answered = (load.status['201'] ?? 0) + (load.warmUp?.status['201'] ?? 0);
        const reconciliation = await reconcileLedger(checking.db as unknown as PointsLedgerDb, scope);
        checks = {
          answered201: answered,
          paymentsInLedger: row?.n ?? 0,
          exactlyOnce: row?.n === answered,
          mismatches: reconciliation.mismatches.length,
          ledgerSum: reconciliation.sum,
          strayLegs: reconciliation.strayLegs,
          ledgerWhole: ledgerMatches(reconciliation),
        };
      } finally {
        await checking.close();
      }
      const ratio = +(load.achievedRate / baseline.tps).toFixed(3);
      return {
        residents: residentCount,
        idleAccounts: idleCount,
        deferredFlush: process.env.MACHI_POINTS_DEFERRED_FLUSH === 'true',
        baseline: { what: 'pgbench TPC-B-like, scale 10, -c 8 -j 2, same server, same seconds', ...baseline },
        rate,
        seconds,
        warmUpSeconds,
        checkpointed,
        load,
        cpuShares: before
          ? sharesBetween(before, after, load.cpuSeconds.user + load.cpuSeconds.system)
          : undefined,
        server: stats,
        checks,
        ratio,
        target: TARGET,
        met:
          ratio >= TARGET.ratio &&
          load.latencyMs.p99 < TARGET.p99Ms &&
          load.errors === 0 &&
          (load.status['201'] ?? 0) === load.sent &&
          checks.exactlyOnce === true &&
          checks.ledgerWhole === true,
      };
    } finally {
      zone?.kill();
      for (const url of Object.values(urls)) {
        const database = new URL(url).pathname.slice(1);
        await query(serverUrl, `drop database if exists ${database} with (force)`).catch(() => {});
      }
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
