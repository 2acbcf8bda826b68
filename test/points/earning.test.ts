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
  defineProgramme,
  type EarningDb,
  earningMigrations,
  earnPoints,
  expiryOf,
  type LedgerContext,
  openAccount,
  type PointsLedgerDb,
  type Programme,
  periodOf,
  pointsLedgerMigrations,
  reconcileLedger,
} from '../../src/modules/points/index.ts';
import { openTestDatabase } from '../support/database.ts';

const clock = fixedClock(new Date('2026-03-31T10:00:00+09:00'));
const chiyoda = tenantScope(parseLgCode('131016'));
let database: Database;
let db: PointsLedgerDb;
let context: LedgerContext;
let serial = 0;

/** 健康ウォーキング: 500 points a walk, 1,500 a 年度 at most, points last to the end of the month a year on. */
const walk: Programme = {
  programmeId: 'health-walk',
  name: { ja: '健康ウォーキング', en: 'Health walk' },
  points: 500,
  capPoints: 1_500,
  capPeriod: 'fiscal-year',
  expiryMonths: 12,
  active: true,
};

async function newResident(): Promise<string> {
  serial += 1;
  await openAccount(db, chiyoda, 'resident', `MK${serial}`, clock.now());
  return `MK${serial}`;
}

const earn = (myKeyId: string, grantId: string, programmeId = walk.programmeId) =>
  earnPoints(db, context, chiyoda, { programmeId, myKeyId, grantId }, 'organizer:walk-desk');

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, pointsLedgerMigrations, earningMigrations]);
  db = database.db as unknown as PointsLedgerDb;
  context = { audit: createAuditLog(database, clock), clock };
  await defineProgramme(database.db as unknown as EarningDb, chiyoda, walk, clock.now());
});
afterAll(async () => {
  await database?.close();
});

describe('earning programmes', () => {
  it('counts caps per day, month or 年度 in Japan time, and sets the expiry a year on, month end', () => {
    expect(periodOf('day', '2026-03-31')).toBe('2026-03-31');
    expect(periodOf('month', '2026-03-31')).toBe('2026-03');
    expect(periodOf('fiscal-year', '2026-03-31')).toBe('FY2025');
    expect(periodOf('fiscal-year', '2026-04-01')).toBe('FY2026');
    expect(expiryOf(walk, '2026-03-31')).toBe('2027-03-31');
    expect(expiryOf(walk, '2026-01-15')).toBe('2027-01-31');
    expect(expiryOf({ ...walk, expiryMonths: null }, '2026-01-15')).toBeNull();
  });

  it('grants up to the cap in a 年度, and again after April 1', async () => {
    const taro = await newResident();
    for (const n of [1, 2, 3]) await earn(taro, `walk-${n}`);
    await expect(earn(taro, 'walk-4')).rejects.toMatchObject({ code: 'earning-cap-reached' });
    expect((await balanceOf(db, chiyoda, accountId('resident', taro))).posted).toBe(1_500);
    clock.set(new Date('2026-04-01T09:00:00+09:00'));
    try {
      await earn(taro, 'walk-5');
      expect((await balanceOf(db, chiyoda, accountId('resident', taro))).posted).toBe(2_000);
    } finally {
      clock.set(new Date('2026-03-31T10:00:00+09:00'));
    }
  });

  it('grants the same grant id once, even once the cap is reached', async () => {
    const hanako = await newResident();
    const first = await earn(hanako, 'scan-1');
    await earn(hanako, 'scan-2');
    await earn(hanako, 'scan-3');
    const again = await earn(hanako, 'scan-1');
    expect(again).toMatchObject({ transferId: first.transferId, repeated: true });
    expect((await balanceOf(db, chiyoda, accountId('resident', hanako))).posted).toBe(1_500);
  });

  it('holds the cap under a race: 20 grants to one person at once give exactly 3', async () => {
    const jiro = await newResident();
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => earn(jiro, `race-${i}`)));
    expect(outcomes.filter((one) => one.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes
      .filter((one) => one.status === 'rejected')
      .map((one) => (one as PromiseRejectedResult).reason.code);
    expect(new Set(refused)).toEqual(new Set(['earning-cap-reached']));
    expect((await balanceOf(db, chiyoda, accountId('resident', jiro))).posted).toBe(1_500);
  });

  it('gives points that expire at the end of the month a year on', async () => {
    const saburo = await newResident();
    await earn(saburo, 'lot-1');
    const lot = await db
      .selectFrom('points_lots')
      .select('expires_on')
      .where('account_id', '=', accountId('resident', saburo))
      .executeTakeFirstOrThrow();
    expect(lot.expires_on).toBe('2027-03-31');
  });

  it('refuses a closed programme, an unknown one and an unknown MyKey ID, granting nothing', async () => {
    const shiro = await newResident();
    await defineProgramme(
      database.db as unknown as EarningDb,
      chiyoda,
      { ...walk, programmeId: 'closed', active: false },
      clock.now(),
    );
    await expect(earn(shiro, 'c-1', 'closed')).rejects.toMatchObject({ code: 'conflict' });
    await expect(earn(shiro, 'c-2', 'no-such')).rejects.toMatchObject({ code: 'not-found' });
    await expect(earn('MKNOBODY', 'c-3')).rejects.toMatchObject({ code: 'not-found' });
    expect((await balanceOf(db, chiyoda, accountId('resident', shiro))).posted).toBe(0);
    const result = await reconcileLedger(db, chiyoda);
    expect(result.mismatches).toEqual([]);
    expect(result.sum).toBe(0);
  });

  it("holds an age limit by the registry's birth date on the day of the grant (Japan time)", async () => {
    const bus = { ...walk, programmeId: 'senior-bus', minAge: 65 };
    await defineProgramme(database.db as unknown as EarningDb, chiyoda, bus, clock.now());
    const grant = (myKeyId: string, grantId: string, birthDate?: string | null) =>
      earnPoints(
        db,
        context,
        chiyoda,
        { programmeId: 'senior-bus', myKeyId, grantId, birthDate },
        'organizer:bus',
      );
    const tomoko = await newResident();
    // The clock says 2026-03-31 (JST): born 1961-04-01 is 64 until tomorrow; born 1961-03-31 is 65 today.
    await expect(grant(tomoko, 'b-1')).rejects.toMatchObject({ code: 'not-eligible' });
    await expect(grant(tomoko, 'b-2', null)).rejects.toMatchObject({ code: 'not-eligible' });
    await expect(grant(tomoko, 'b-3', '1961-04-01')).rejects.toMatchObject({ code: 'not-eligible' });
    expect((await grant(tomoko, 'b-4', '1961-03-31')).amount).toBe(500);
    expect((await balanceOf(db, chiyoda, accountId('resident', tomoko))).posted).toBe(500);
    await expect(
      defineProgramme(database.db as unknown as EarningDb, chiyoda, { ...bus, minAge: 0 }, clock.now()),
    ).rejects.toMatchObject({ code: 'validation-failed' });
  });
});
