import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  loadConfig,
  migrate,
  openDatabase,
  parseLgCode,
  systemClock,
  tenantScope,
} from '../../src/core/index.ts';
import {
  accountId,
  openAccount,
  type PointsLedgerDb,
  pointsLedgerMigrations,
  postTransfer,
} from '../../src/modules/points/index.ts';
import { runMachi } from '../support/machi.ts';

// The CLI reads its configuration from the environment; these are set for this file only.
const ENV = ['MACHI_DATA_DIR', 'MACHI_INTERNET_DATABASE_URL', 'MACHI_MUNICIPALITIES'];
const saved = new Map(ENV.map((name) => [name, process.env[name]]));
let dataDir: string;
const chiyoda = tenantScope(parseLgCode('131016'));

async function withInternetDatabase(work: (db: PointsLedgerDb, database: Database) => Promise<void>) {
  const database = await openDatabase({ dataDir: loadConfig().zones.internet.dataDir });
  try {
    await work(database.db as unknown as PointsLedgerDb, database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'machi-points-cli-'));
  for (const name of ENV) delete process.env[name];
  process.env.MACHI_DATA_DIR = dataDir;
  process.env.MACHI_MUNICIPALITIES = '131016,011002';
  await withInternetDatabase(async (db, database) => {
    await migrate(database.db, [auditMigrations, pointsLedgerMigrations]);
    const context = { audit: createAuditLog(database, systemClock), clock: systemClock };
    const now = systemClock.now();
    const earning = await openAccount(db, chiyoda, 'issuance', 'earning', now);
    const resident = await openAccount(db, chiyoda, 'resident', 'MK1', now);
    const transfer = {
      transferId: 'e1',
      code: 'earning' as const,
      legs: [{ debit: earning, credit: resident, amount: 200 }],
    };
    await postTransfer(db, context, chiyoda, transfer, 'system');
  });
});
afterAll(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('machi points reconcile', () => {
  it('says ok for every served municipality when balances match their transfers (exit 0)', async () => {
    const { code, stdout } = await runMachi('points', 'reconcile');
    expect(code).toBe(0);
    expect(stdout).toContain('131016: ok — 2 accounts, 1 transfers, sum 0');
    expect(stdout).toContain('011002: ok — 0 accounts');
  });

  it('names the account and total that differ (exit 1), in text and JSON', async () => {
    await withInternetDatabase(async (db) => {
      await db
        .updateTable('points_accounts')
        .set({ credits_posted: 1_200 })
        .where('account_id', '=', accountId('resident', 'MK1'))
        .execute();
    });
    const text = await runMachi('points', 'reconcile', '--municipality', '131016');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('131016: MISMATCH');
    expect(text.stdout).toContain('resident:MK1 credits_posted: stored 1200, from transfers 200');
    const json = await runMachi('points', 'reconcile', '--municipality', '131016', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, sum: 1_000 });
  });

  it('counts legs whose transfer is not there (exit 1)', async () => {
    await withInternetDatabase(async (db) => {
      await db
        .insertInto('points_legs')
        .values({
          municipality_code: '011002',
          transfer_id: 'stray-1',
          leg: 0,
          debit_account: accountId('issuance', 'earning'),
          credit_account: accountId('resident', 'MK9'),
          amount: 10,
          expires_on: null,
        })
        .execute();
    });
    const text = await runMachi('points', 'reconcile', '--municipality', '011002');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('011002: MISMATCH');
    expect(text.stdout).toContain('legs whose transfer is not there: 1');
    const json = await runMachi('points', 'reconcile', '--municipality', '011002', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, strayLegs: 1 });
  });

  it('refuses a municipality code with a wrong check digit (exit 2)', async () => {
    const { code, stderr } = await runMachi('points', 'reconcile', '--municipality', '131017');
    expect(code).toBe(2);
    expect(stderr).toContain('--municipality');
  });
});
