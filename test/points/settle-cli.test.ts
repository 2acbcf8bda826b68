import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditMigrations,
  createAuditLog,
  loadConfig,
  migrate,
  openDatabase,
  parseLgCode,
  systemClock,
  tenantScope,
} from '../../src/core/index.ts';
import {
  accountId,
  type MerchantsDb,
  merchantMigrations,
  openAccount,
  type PointsLedgerDb,
  pointsLedgerMigrations,
  postTransfer,
  registerMerchant,
  type SettlementDb,
  setSettlementAccount,
  settlementMigrations,
  zenginRecords,
} from '../../src/modules/points/index.ts';
import { runMachi } from '../support/machi.ts';

// The CLI reads its configuration from the environment; these are set for this file only.
const ENV = ['MACHI_DATA_DIR', 'MACHI_INTERNET_DATABASE_URL', 'MACHI_MUNICIPALITIES'];
const saved = new Map(ENV.map((name) => [name, process.env[name]]));
let dataDir: string;
const chiyoda = tenantScope(parseLgCode('131016'));

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'machi-settle-cli-'));
  for (const name of ENV) delete process.env[name];
  process.env.MACHI_DATA_DIR = dataDir;
  process.env.MACHI_MUNICIPALITIES = '131016';
  const database = await openDatabase({ dataDir: loadConfig().zones.internet.dataDir });
  try {
    await migrate(database.db, [
      auditMigrations,
      pointsLedgerMigrations,
      merchantMigrations,
      settlementMigrations,
    ]);
    const db = database.db as unknown as PointsLedgerDb;
    const context = { audit: createAuditLog(database, systemClock), clock: systemClock };
    const now = systemClock.now();
    const bank = {
      bankCode: '0005',
      branchCode: '001',
      accountType: '1' as const,
      accountNumber: '1234567',
      holderKana: 'マチシヨウテン',
    };
    const shop = {
      merchantId: 'm-1',
      name: 'まち商店',
      nameLatin: 'MACHI',
      cityLatin: 'MACHI',
      categoryCode: '5411',
      feeBasisPoints: 100,
      bank,
    };
    await registerMerchant(database.db as MerchantsDb, chiyoda, shop, now);
    await setSettlementAccount(database.db as SettlementDb, chiyoda, {
      requesterCode: '1234567890',
      requesterName: 'チヨダク',
      bankCode: '0001',
      bankName: 'ミズホ',
      branchCode: '001',
      branchName: 'ホンテン',
      accountType: '1',
      accountNumber: '7654321',
    });
    const earning = await openAccount(db, chiyoda, 'issuance', 'earning', now);
    const payer = await openAccount(db, chiyoda, 'resident', 'MK1', now);
    await postTransfer(
      db,
      context,
      chiyoda,
      { transferId: 'e1', code: 'earning', legs: [{ debit: earning, credit: payer, amount: 5_000 }] },
      'system',
    );
    await postTransfer(
      db,
      context,
      chiyoda,
      {
        transferId: 'p1',
        code: 'payment',
        legs: [{ debit: payer, credit: accountId('merchant', 'm-1'), amount: 5_000 }],
      },
      payer,
    );
  } finally {
    await database.close();
  }
});
afterAll(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('machi points settle', () => {
  it('writes the Zengin file and the report, and the same run again pays nothing twice', async () => {
    const out = join(dataDir, 'furikomi.txt');
    const report = join(dataDir, 'report.csv');
    const args = ['points', 'settle', '--municipality', '131016', '--id', '2026-04', '--date', '2026-05-08'];
    const first = await runMachi(...args, '--out', out, '--report', report);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('settled: 1 merchants, 5000 points held, fees 50, paid out 4950 yen');
    const records = zenginRecords(readFileSync(out));
    expect(records.map((one) => one.length)).toEqual([120, 120, 120, 120]);
    expect(readFileSync(report, 'utf8')).toContain('m-1,まち商店,5000,50,4950,paid');
    const again = await runMachi(...args, '--out', out, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ repeated: true, payout: 4950 });
  });

  it('refuses a bad municipality code (exit 2) and a date that does not exist (exit 1)', async () => {
    const out = join(dataDir, 'x.txt');
    const badCode = await runMachi(
      'points',
      'settle',
      '--municipality',
      '131017',
      '--id',
      'x',
      '--date',
      '2026-05-08',
      '--out',
      out,
    );
    expect(badCode.code).toBe(2);
    const badDate = await runMachi(
      'points',
      'settle',
      '--municipality',
      '131016',
      '--id',
      'y',
      '--date',
      '2026-02-30',
      '--out',
      out,
    );
    expect(badDate.code).toBe(1);
    expect(badDate.stderr).toMatch(/date/i);
  });
});
