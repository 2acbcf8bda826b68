// `npm run bench audit-record [entries] [concurrency]`: audit entries per second through
// record() (group commit) against a naive baseline of one transaction per entry, on PGlite
// and, when MACHI_BENCH_DATABASE_URL is set, on a scratch database of that PostgreSQL server.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  type AuditEntry,
  type AuditLog,
  auditMigrations,
  createAuditLog,
  type Database,
  type LgCode,
  migrate,
  openDatabase,
  systemClock,
  verifyAuditChain,
} from '../../src/core/index.ts';
import type { BenchScenario } from '../run.ts';

function entry(n: number): AuditEntry {
  return {
    municipalityCode: '131016' as LgCode,
    actor: 'staff:2f1c6a4e-0d2b-4e8a-9c41-7b3e5d9a0f12',
    action: 'registry.person.read',
    target: `person:${n}`,
    reason: '住民票の写しの交付',
    outcome: 'success',
    details: { n, fields: 4, masked: true },
  };
}

/** `count` entries written by `concurrency` callers, each awaiting its own before the next. */
async function entriesPerSecond(count: number, concurrency: number, write: (n: number) => Promise<void>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await write(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { entries: count, seconds: Number(seconds.toFixed(3)), perSecond: Math.round(count / seconds) };
}

async function measure(database: Database, entries: number, concurrency: number) {
  await migrate(database.db, [auditMigrations]);
  const audit: AuditLog = createAuditLog(database, systemClock);
  // The baseline is slow by design; a fifth of the entries is enough to measure it.
  const baseline = await entriesPerSecond(Math.max(100, Math.floor(entries / 5)), concurrency, (n) =>
    database.db.transaction().execute((trx) => audit.append(trx, entry(n))),
  );
  const record = await entriesPerSecond(entries, concurrency, (n) => audit.record(entry(n)));
  const started = performance.now();
  const report = await verifyAuditChain(database.db);
  const verifySeconds = (performance.now() - started) / 1000;
  if (!report.ok) throw new Error(`chain broken: ${report.problem.explanation}`);
  return {
    recordGroupCommit: record,
    baselineTransactionPerEntry: baseline,
    ratio: Number((record.perSecond / baseline.perSecond).toFixed(1)),
    verify: { rows: report.rowsChecked, rowsPerSecond: Math.round(report.rowsChecked / verifySeconds) },
  };
}

/** Drops the scratch database, waiting for the pool's connections to finish closing. */
async function dropWhenFree(admin: pg.Client, name: string): Promise<void> {
  // Not `with (force)`: that kills pool connections still closing, which then throw.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const dropped = await admin.query(`drop database if exists ${name}`).then(
      () => true,
      () => false,
    );
    if (dropped) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await admin.query(`drop database if exists ${name}`);
}

/** A fresh database on the server, dropped afterwards: never the audit log of a real zone. */
async function withScratchPostgres<T>(
  serverUrl: string,
  work: (database: Database) => Promise<T>,
): Promise<T> {
  const name = `machi_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 10 });
  try {
    return await work(database);
  } finally {
    await database.close();
    await dropWhenFree(admin, name);
    await admin.end();
  }
}

export const scenario: BenchScenario = {
  description:
    'Audit log entries/s: record() with group commit vs one transaction per entry (append), then verify rows/s',
  async run(args) {
    const entries = Number(args[0] ?? 5_000);
    const concurrency = Number(args[1] ?? 100);
    const pglite = await openDatabase();
    const results: Record<string, unknown> = { entries, concurrency };
    try {
      results.pglite = await measure(pglite, entries, concurrency);
    } finally {
      await pglite.close();
    }
    const serverUrl = process.env.MACHI_BENCH_DATABASE_URL;
    if (serverUrl) {
      results.postgres = await withScratchPostgres(serverUrl, (database) =>
        measure(database, entries, concurrency),
      );
    } else {
      results.postgres =
        'skipped: set MACHI_BENCH_DATABASE_URL to a server where a scratch database may be created';
    }
    return results;
  },
};
