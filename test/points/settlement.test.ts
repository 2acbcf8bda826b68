import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  fixedClock,
  migrate,
  parseLgCode,
  tenantScope,
} from '../../src/core/index.ts';
import {
  accountId,
  balanceOf,
  type LedgerContext,
  type MerchantsDb,
  merchantMigrations,
  openAccount,
  type PointsLedgerDb,
  pointsLedgerMigrations,
  postTransfer,
  reconcileLedger,
  registerMerchant,
  type SettlementDb,
  setSettlementAccount,
  settleMerchants,
  settlementMigrations,
  ZENGIN_RECORD_BYTES,
  zenginRecords,
} from '../../src/modules/points/index.ts';
import { openTestDatabase } from '../support/database.ts';

const clock = fixedClock(new Date('2026-04-30T18:00:00+09:00'));
const chiyoda = tenantScope(parseLgCode('131016'));
let database: Database;
let db: PointsLedgerDb;
let context: LedgerContext;
let serial = 0;

const bank = (holderKana: string) => ({
  bankCode: '0005',
  branchCode: '123',
  accountType: '1' as const,
  accountNumber: '7654321',
  holderKana,
});

async function pay(merchantId: string, amount: number) {
  serial += 1;
  const payer = await openAccount(db, chiyoda, 'resident', `P${serial}`, clock.now());
  const earning = accountId('issuance', 'earning');
  await postTransfer(
    db,
    context,
    chiyoda,
    {
      transferId: `grant-${serial}`,
      code: 'earning',
      legs: [{ debit: earning, credit: payer, amount }],
    },
    'system',
  );
  await postTransfer(
    db,
    context,
    chiyoda,
    {
      transferId: `pay-${serial}`,
      code: 'payment',
      legs: [{ debit: payer, credit: accountId('merchant', merchantId), amount }],
    },
    payer,
  );
}

const field = (record: Buffer, from: number, to: number) => record.subarray(from - 1, to).toString('latin1');

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [
    auditMigrations,
    pointsLedgerMigrations,
    merchantMigrations,
    settlementMigrations,
  ]);
  db = database.db as unknown as PointsLedgerDb;
  context = { audit: createAuditLog(database, clock), clock };
  await openAccount(db, chiyoda, 'issuance', 'earning', clock.now());
  const merchants = database.db as MerchantsDb;
  const common = { cityLatin: 'CHIYODA-KU', categoryCode: '5411', feeBasisPoints: 150 };
  await registerMerchant(
    merchants,
    chiyoda,
    {
      merchantId: 'm-kanda',
      name: '神田商店',
      nameLatin: 'KANDA',
      ...common,
      bank: bank('カ）カンダシヨウテン'),
    },
    clock.now(),
  );
  await registerMerchant(
    merchants,
    chiyoda,
    {
      merchantId: 'm-pan',
      name: 'やまだパン',
      nameLatin: 'YAMADA PAN',
      ...common,
      feeBasisPoints: 0,
      bank: bank('ヤマダ　ハナコ'),
    },
    clock.now(),
  );
  await registerMerchant(
    merchants,
    chiyoda,
    { merchantId: 'm-nobank', name: '銀行なし', nameLatin: 'NO BANK', ...common },
    clock.now(),
  );
  await registerMerchant(
    merchants,
    chiyoda,
    { merchantId: 'm-quiet', name: '静か', nameLatin: 'QUIET', ...common, bank: bank('シズカ') },
    clock.now(),
  );
});
afterAll(async () => {
  await database?.close();
});

describe('merchant settlement (精算)', () => {
  it('refuses to run before the municipality has set its bank account', async () => {
    await expect(
      settleMerchants(
        database.db as SettlementDb,
        context,
        chiyoda,
        { settlementId: 's-0', transferDate: '2026-05-08' },
        'staff:a',
      ),
    ).rejects.toMatchObject({ code: 'conflict' });
    await setSettlementAccount(database.db as SettlementDb, chiyoda, {
      requesterCode: '1234567890',
      requesterName: 'チヨダク',
      bankCode: '0001',
      bankName: 'ミズホ',
      branchCode: '001',
      branchName: 'トウキヨウ',
      accountType: '1',
      accountNumber: '1234567',
    });
  });

  it('pays each merchant what it holds less its fee, in a Zengin file whose totals match', async () => {
    await pay('m-kanda', 10_000);
    await pay('m-kanda', 2_345);
    await pay('m-pan', 980);
    await pay('m-nobank', 500);
    const run = await settleMerchants(
      database.db as SettlementDb,
      context,
      chiyoda,
      { settlementId: '2026-04', transferDate: '2026-05-08' },
      'staff:a',
    );
    // 神田商店: 12,345 less 1.5 % (185, rounded down) = 12,160; やまだパン: 980, no fee.
    expect(run).toMatchObject({ merchants: 2, received: 13_325, fees: 185, payout: 13_140, repeated: false });
    expect(run.skipped).toEqual([{ merchantId: 'm-nobank', reason: 'no bank account' }]);
    const records = zenginRecords(run.zengin);
    expect(records.every((one) => one.length === ZENGIN_RECORD_BYTES)).toBe(true);
    expect(records.map((one) => field(one, 1, 1))).toEqual(['1', '2', '2', '8', '9']);
    expect(records.slice(1, 3).map((one) => Number(field(one, 81, 90)))).toEqual([12_160, 980]);
    expect(field(records[3]!, 2, 7)).toBe('000002');
    expect(Number(field(records[3]!, 8, 19))).toBe(13_140);
    expect(run.report).toContain('m-kanda,神田商店,12345,185,12160,paid');
    expect(run.report).toContain('m-nobank,銀行なし,500,0,0,skipped: no bank account');
    expect((await balanceOf(db, chiyoda, accountId('merchant', 'm-kanda'))).posted).toBe(0);
    expect((await balanceOf(db, chiyoda, accountId('merchant', 'm-nobank'))).posted).toBe(500);
    expect((await balanceOf(db, chiyoda, accountId('fees', 'settlement'))).posted).toBe(185);
  });

  it('answers the same run again with the same file, and pays nothing twice', async () => {
    const first = await settleMerchants(
      database.db as SettlementDb,
      context,
      chiyoda,
      { settlementId: '2026-04', transferDate: '2026-05-08' },
      'staff:a',
    );
    expect(first.repeated).toBe(true);
    expect(first.payout).toBe(13_140);
    const next = await settleMerchants(
      database.db as SettlementDb,
      context,
      chiyoda,
      { settlementId: '2026-05', transferDate: '2026-06-08' },
      'staff:a',
    );
    expect(next).toMatchObject({ merchants: 0, payout: 0 });
    expect(zenginRecords(next.zengin)).toHaveLength(3);
    const result = await reconcileLedger(db, chiyoda);
    expect(result.mismatches).toEqual([]);
    expect(result.sum).toBe(0);
  });

  it('refuses a bad settlement id or date', async () => {
    await expect(
      settleMerchants(
        database.db as SettlementDb,
        context,
        chiyoda,
        { settlementId: 'a b', transferDate: '2026-05-08' },
        'staff:a',
      ),
    ).rejects.toMatchObject({ code: 'validation-failed' });
    await expect(
      settleMerchants(
        database.db as SettlementDb,
        context,
        chiyoda,
        { settlementId: 's-x', transferDate: '2026-02-30' },
        'staff:a',
      ),
    ).rejects.toMatchObject({ code: 'date-invalid' });
  });
});
