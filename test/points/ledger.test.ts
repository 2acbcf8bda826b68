import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  fixedClock,
  migrate,
  parseLgCode,
  tenantScope,
  verifyAuditChain,
} from '../../src/core/index.ts';
import {
  accountId,
  balanceOf,
  expirePoints,
  expireReservations,
  type LedgerContext,
  ledgerMatches,
  openAccount,
  type PointsLedgerDb,
  pointsLedgerMigrations,
  postTransfer,
  reconcileLedger,
  settlePending,
  type TransferRequest,
} from '../../src/modules/points/index.ts';
import { openTestDatabase } from '../support/database.ts';

const clock = fixedClock(new Date('2026-04-01T10:00:00+09:00'));
const chiyoda = tenantScope(parseLgCode('131016'));
const sapporo = tenantScope(parseLgCode('011002'));
let database: Database;
let db: PointsLedgerDb;
let context: LedgerContext;
let serial = 0;

const earning = accountId('issuance', 'earning');
const merchant = accountId('merchant', 'm-0001');
const expired = accountId('expired', 'points');

/** A new resident account with `points` earned (expiring on `expiresOn`). */
async function resident(points = 0, expiresOn: string | null = '2027-03-31', scope = chiyoda) {
  serial += 1;
  const n = serial;
  const id = await openAccount(db, scope, 'resident', `R${n}`, clock.now());
  if (points > 0) {
    await postTransfer(
      db,
      context,
      scope,
      {
        transferId: `earn-${n}`,
        code: 'earning',
        legs: [{ debit: earning, credit: id, amount: points, expiresOn }],
      },
      'system',
    );
  }
  return id;
}

const pay = (from: string, amount: number, transferId: string): TransferRequest => ({
  transferId,
  code: 'payment',
  legs: [{ debit: from, credit: merchant, amount }],
});

async function reconciled(scope = chiyoda) {
  const result = await reconcileLedger(db, scope);
  expect(result.mismatches).toEqual([]);
  expect(result.sum).toBe(0);
  expect(result.strayLegs).toBe(0);
  return result;
}

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, pointsLedgerMigrations]);
  db = database.db as unknown as PointsLedgerDb;
  context = { audit: createAuditLog(database, clock), clock };
  for (const scope of [chiyoda, sapporo]) {
    for (const [kind, owner] of [
      ['issuance', 'earning'],
      ['merchant', 'm-0001'],
      ['expired', 'points'],
      ['budget', 'premium'],
    ] as const) {
      await openAccount(db, scope, kind, owner, clock.now());
    }
  }
});
afterAll(async () => {
  await database?.close();
});

describe('posting transfers', () => {
  it('moves points between accounts and keeps the ledger at zero', async () => {
    const alice = await resident(1_000);
    await postTransfer(db, context, chiyoda, pay(alice, 300, 'pay-a1'), 'resident:alice');
    expect(await balanceOf(db, chiyoda, alice)).toMatchObject({ posted: 700, available: 700 });
    expect((await balanceOf(db, chiyoda, merchant)).posted).toBeGreaterThanOrEqual(300);
    await reconciled();
  });

  it('posts a transfer id once: a retry answers the first, a different transfer under it is a conflict', async () => {
    const bob = await resident(500);
    const first = await postTransfer(db, context, chiyoda, pay(bob, 100, 'pay-b1'), 'resident:bob');
    const again = await postTransfer(db, context, chiyoda, pay(bob, 100, 'pay-b1'), 'resident:bob');
    expect(first.repeated).toBe(false);
    expect(again).toMatchObject({ transferId: 'pay-b1', repeated: true, amount: 100 });
    await expect(
      postTransfer(db, context, chiyoda, pay(bob, 200, 'pay-b1'), 'resident:bob'),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await balanceOf(db, chiyoda, bob)).posted).toBe(400);
  });

  it('posts the same transfer id sent ten times at once exactly once', async () => {
    const carol = await resident(1_000);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        postTransfer(db, context, chiyoda, pay(carol, 50, 'pay-c1'), 'resident:carol'),
      ),
    );
    expect(results.filter((one) => !one.repeated)).toHaveLength(1);
    expect((await balanceOf(db, chiyoda, carol)).posted).toBe(950);
  });

  it('never overdraws: 100 payers spending the same account at once', async () => {
    const dave = await resident(1_000);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        postTransfer(db, context, chiyoda, pay(dave, 30, `pay-d${i}`), 'resident:dave'),
      ),
    );
    const posted = outcomes.filter((one) => one.status === 'fulfilled').length;
    const refused = outcomes.filter(
      (one) => one.status === 'rejected' && (one.reason as { code?: string }).code === 'points-insufficient',
    ).length;
    expect(posted).toBe(33);
    expect(refused).toBe(67);
    expect((await balanceOf(db, chiyoda, dave)).posted).toBe(10);
    await reconciled();
  });

  it('commits every leg or none (a purchase: payment and public premium together)', async () => {
    const erin = await resident(0);
    const budget = accountId('budget', 'premium');
    const purchases = accountId('issuance', 'purchase');
    await postTransfer(
      db,
      context,
      chiyoda,
      {
        transferId: 'fund-1',
        code: 'funding',
        legs: [{ debit: accountId('issuance', 'earning'), credit: budget, amount: 1_500 }],
      },
      'staff:admin',
    );
    const premium = (transferId: string): TransferRequest => ({
      transferId,
      code: 'premium',
      legs: [
        { debit: purchases, credit: erin, amount: 10_000, expiresOn: '2027-03-31' },
        { debit: budget, credit: erin, amount: 1_000, expiresOn: '2027-03-31' },
      ],
    });
    await openAccount(db, chiyoda, 'issuance', 'purchase', clock.now());
    await postTransfer(db, context, chiyoda, premium('buy-1'), erin);
    // The budget has 500 left: the second purchase fails as a whole, its payment leg included.
    await expect(postTransfer(db, context, chiyoda, premium('buy-2'), erin)).rejects.toMatchObject({
      code: 'points-insufficient',
    });
    expect((await balanceOf(db, chiyoda, erin)).posted).toBe(11_000);
    expect((await balanceOf(db, chiyoda, budget)).posted).toBe(500);
    await reconciled();
  });

  it('never exceeds a public budget: 50 premium purchases racing for a budget that covers 20', async () => {
    const budget = await openAccount(db, chiyoda, 'budget', 'race', clock.now());
    const fund = { debit: earning, credit: budget, amount: 20_000 };
    await postTransfer(
      db,
      context,
      chiyoda,
      { transferId: 'fund-race', code: 'funding', legs: [fund] },
      'staff:admin',
    );
    const buyers = await Promise.all(Array.from({ length: 50 }, () => resident(0)));
    const outcomes = await Promise.allSettled(
      buyers.map((buyer, i) =>
        postTransfer(
          db,
          context,
          chiyoda,
          {
            transferId: `race-${i}`,
            code: 'premium',
            legs: [
              { debit: earning, credit: buyer, amount: 10_000 },
              { debit: budget, credit: buyer, amount: 1_000 },
            ],
          },
          buyer,
        ),
      ),
    );
    expect(outcomes.filter((one) => one.status === 'fulfilled')).toHaveLength(20);
    expect((await balanceOf(db, chiyoda, budget)).posted).toBe(0);
    await reconciled();
  });

  it.each([
    ['a negative amount', { amount: -5 }],
    ['a zero amount', { amount: 0 }],
    ['a fractional amount', { amount: 1.5 }],
    ['an amount beyond any budget', { amount: 2 ** 60 }],
    ['a leg to itself', { credit: 'issuance:earning' }],
  ])('refuses %s, posting nothing', async (_, leg) => {
    const before = await reconcileLedger(db, chiyoda);
    const request = {
      transferId: `bad-${serial++}`,
      code: 'earning' as const,
      legs: [{ debit: earning, credit: merchant, amount: 10, ...leg }],
    };
    await expect(postTransfer(db, context, chiyoda, request, 'system')).rejects.toMatchObject({
      code: 'validation-failed',
    });
    expect((await reconcileLedger(db, chiyoda)).transfers).toBe(before.transfers);
  });

  it('refuses an unknown account, and an account of another municipality', async () => {
    const frank = await resident(100, null, sapporo);
    await expect(postTransfer(db, context, chiyoda, pay(frank, 10, 'pay-f1'), 'x')).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(
      postTransfer(db, context, chiyoda, pay(accountId('resident', 'nobody'), 10, 'pay-f2'), 'x'),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect((await balanceOf(db, sapporo, frank)).posted).toBe(100);
    await reconciled(sapporo);
  });
});

describe('expiry', () => {
  it('spends the earliest-expiring points first and moves expired ones to the expiry account', async () => {
    const gina = await resident(0);
    const earn = (transferId: string, amount: number, expiresOn: string | null) =>
      postTransfer(
        db,
        context,
        chiyoda,
        {
          transferId,
          code: 'earning',
          legs: [{ debit: earning, credit: gina, amount, expiresOn }],
        },
        'system',
      );
    await earn('g-late', 300, '2026-12-31');
    await earn('g-never', 200, null);
    await earn('g-soon', 100, '2026-06-30');
    await postTransfer(db, context, chiyoda, pay(gina, 150, 'g-pay'), gina);
    // 100 from the lot expiring in June, 50 from December's; the never-expiring lot untouched.
    const lots = await db
      .selectFrom('points_lots')
      .select(['transfer_id', 'remaining'])
      .where('account_id', '=', gina)
      .orderBy('transfer_id')
      .execute();
    expect(lots.map((lot) => [lot.transfer_id, Number(lot.remaining)])).toEqual([
      ['g-late', 250],
      ['g-never', 200],
      ['g-soon', 0],
    ]);

    clock.set(new Date('2027-01-01T00:00:01+09:00'));
    try {
      // Past their date, points cannot be spent even before the job runs.
      await expect(postTransfer(db, context, chiyoda, pay(gina, 300, 'g-pay2'), gina)).rejects.toMatchObject({
        code: 'points-insufficient',
      });
      const before = (await balanceOf(db, chiyoda, expired)).posted;
      const first = await expirePoints(db, context, chiyoda);
      expect(first.points).toBeGreaterThanOrEqual(250);
      expect((await balanceOf(db, chiyoda, gina)).posted).toBe(200);
      expect((await balanceOf(db, chiyoda, expired)).posted - before).toBe(first.points);
      expect((await expirePoints(db, context, chiyoda)).points).toBe(0);
      await reconciled();
    } finally {
      clock.set(new Date('2026-04-01T10:00:00+09:00'));
    }
  });

  it('takes from a lot in place: a payment adds no index entry for the lot it spends', async () => {
    // PostgreSQL updates a row in place (HOT) only when no index's columns or predicate change;
    // otherwise every payment leaves the lot's old version behind with entries in its indexes.
    const hana = await resident(1_000);
    const counts = await db.transaction().execute(async (trx) => {
      // The connection's counts not yet reported, so those of its transactions before too.
      const read = async () => {
        const { rows } = await sql<{ updated: number; inPlace: number }>`
          select coalesce(sum(n_tup_upd), 0)::int as updated, coalesce(sum(n_tup_hot_upd), 0)::int as "inPlace"
          from pg_stat_xact_user_tables where relid = 'points_lots'::regclass`.execute(trx);
        return rows[0] ?? { updated: 0, inPlace: 0 };
      };
      const before = await read();
      for (let n = 1; n <= 5; n++)
        await postTransfer(trx, context, chiyoda, pay(hana, 10, `h-pay-${n}`), hana);
      const after = await read();
      return { updated: after.updated - before.updated, inPlace: after.inPlace - before.inPlace };
    });
    expect(counts).toEqual({ updated: 5, inPlace: 5 });
    expect((await balanceOf(db, chiyoda, hana)).posted).toBe(950);
  });
});

describe('two-phase transfers (shop orders)', () => {
  const order = (from: string, transferId: string, timeoutSeconds = 600): TransferRequest => ({
    ...pay(from, 400, transferId),
    code: 'order',
    pending: { timeoutSeconds },
  });

  it('holds points, then posts them; posting again is repeated, voiding then is a conflict', async () => {
    const hana = await resident(1_000);
    const held = await postTransfer(db, context, chiyoda, order(hana, 'o-1'), hana);
    expect(held.state).toBe('pending');
    expect(await balanceOf(db, chiyoda, hana)).toMatchObject({
      posted: 1_000,
      available: 600,
      pendingDebits: 400,
    });
    await reconciled();
    const posted = await settlePending(db, context, chiyoda, 'o-1', 'post', hana);
    expect(posted.state).toBe('posted');
    expect(await balanceOf(db, chiyoda, hana)).toMatchObject({
      posted: 600,
      available: 600,
      pendingDebits: 0,
    });
    expect((await settlePending(db, context, chiyoda, 'o-1', 'post', hana)).repeated).toBe(true);
    await expect(settlePending(db, context, chiyoda, 'o-1', 'void', hana)).rejects.toMatchObject({
      code: 'conflict',
    });
    await reconciled();
  });

  it('gives held points back when voided, to the lots they came from', async () => {
    const ichiro = await resident(1_000);
    await postTransfer(db, context, chiyoda, order(ichiro, 'o-2'), ichiro);
    await settlePending(db, context, chiyoda, 'o-2', 'void', ichiro);
    expect(await balanceOf(db, chiyoda, ichiro)).toMatchObject({ posted: 1_000, available: 1_000 });
    await expect(settlePending(db, context, chiyoda, 'o-2', 'post', ichiro)).rejects.toMatchObject({
      code: 'conflict',
    });
    await reconciled();
  });

  it('refuses to post an expired reservation, and the job ends the ones nobody ends', async () => {
    const jun = await resident(1_000);
    await postTransfer(db, context, chiyoda, order(jun, 'o-3', 60), jun);
    await postTransfer(db, context, chiyoda, order(jun, 'o-4', 60), jun);
    expect((await balanceOf(db, chiyoda, jun)).available).toBe(200);
    clock.advance(61_000);
    await expect(settlePending(db, context, chiyoda, 'o-3', 'post', jun)).rejects.toMatchObject({
      code: 'reservation-expired',
    });
    expect(await expireReservations(db, context)).toBeGreaterThanOrEqual(1);
    expect(await balanceOf(db, chiyoda, jun)).toMatchObject({ posted: 1_000, available: 1_000 });
    await expect(settlePending(db, context, chiyoda, 'o-4', 'post', jun)).rejects.toMatchObject({
      code: 'reservation-expired',
    });
    await reconciled();
  });
});

describe('reconciliation', () => {
  it('names an account whose stored total was altered behind the ledger', async () => {
    const kenji = await resident(500);
    await db
      .updateTable('points_accounts')
      .set({ credits_posted: 900 })
      .where('municipality_code', '=', chiyoda.municipalityCode)
      .where('account_id', '=', kenji)
      .execute();
    const result = await reconcileLedger(db, chiyoda);
    expect(result.mismatches).toContainEqual({
      accountId: kenji,
      field: 'credits_posted',
      stored: 900,
      recomputed: 500,
    });
    expect(result.mismatches).toContainEqual(expect.objectContaining({ accountId: kenji, field: 'lots' }));
    await db
      .updateTable('points_accounts')
      .set({ credits_posted: 500 })
      .where('municipality_code', '=', chiyoda.municipalityCode)
      .where('account_id', '=', kenji)
      .execute();
    await reconciled();
  });

  it('names an account a leg credits that does not exist', async () => {
    // No foreign key refuses such a leg (the writers check: migration 004); written behind
    // the ledger, the reconciliation finds it.
    const aki = await resident(300);
    const ghost = accountId('merchant', 'm-ghost');
    const ghostly = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('points_transfers')
        .values({
          municipality_code: chiyoda.municipalityCode,
          transfer_id: 'ghost-1',
          code: 'payment',
          state: 'posted',
          amount: 100,
          request_sha256: '0'.repeat(64),
          details: {},
          created_at: new Date(),
          timeout_at: null,
          settled_at: new Date(),
        })
        .execute();
      await trx
        .insertInto('points_legs')
        .values({
          municipality_code: chiyoda.municipalityCode,
          transfer_id: 'ghost-1',
          leg: 0,
          debit_account: aki,
          credit_account: ghost,
          amount: 100,
          expires_on: null,
        })
        .execute();
      const result = await reconcileLedger(trx, chiyoda);
      expect(result.mismatches).toContainEqual({
        accountId: ghost,
        field: 'credits_posted',
        stored: 0,
        recomputed: 100,
      });
      expect(result.mismatches).toContainEqual(
        expect.objectContaining({ accountId: aki, field: 'debits_posted', stored: 0, recomputed: 100 }),
      );
      throw new Error('undone');
    });
    await expect(ghostly).rejects.toThrow('undone');
    await reconciled();
  });

  it('counts a leg whose transfer is not there', async () => {
    // No foreign key refuses it either (migration 005): written behind the ledger, it is
    // counted apart, since it belongs to no transfer's totals.
    const mio = await resident(200);
    const stray = db.transaction().execute(async (trx) => {
      await trx
        .insertInto('points_legs')
        .values({
          municipality_code: chiyoda.municipalityCode,
          transfer_id: 'stray-1',
          leg: 0,
          debit_account: mio,
          credit_account: accountId('merchant', 'm-stray'),
          amount: 50,
          expires_on: null,
        })
        .execute();
      const result = await reconcileLedger(trx, chiyoda);
      expect(result.strayLegs).toBe(1);
      expect(ledgerMatches(result)).toBe(false);
      throw new Error('undone');
    });
    await expect(stray).rejects.toThrow('undone');
    const after = await reconcileLedger(db, chiyoda);
    expect(after.strayLegs).toBe(0);
    expect(ledgerMatches(after)).toBe(true);
  });

  it('keeps one audit entry per transfer in an intact chain', async () => {
    const entries = await (database.db as Kysely<{ audit_log: { action: string } }>)
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', 'like', 'points.%')
      .executeTakeFirstOrThrow();
    const transfers = await db
      .selectFrom('points_transfers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const settled = await db
      .selectFrom('points_transfers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('timeout_at', 'is not', null)
      .where('state', '!=', 'pending')
      .executeTakeFirstOrThrow();
    expect(Number(entries.n)).toBe(Number(transfers.n) + Number(settled.n));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
