import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import { countingStatements } from '../../../../test/support/statement-count.ts';
import {
  type AuditLog,
  auditMigrations,
  type Clock,
  createAuditLog,
  type Database,
  isMachiError,
  migrate,
  parseLgCode,
  tenantScope,
  verifyAuditChain,
} from '../../../core/index.ts';
import { accountId, balanceOf, openAccount } from '../ledger/accounts.ts';
import { pointsLedgerMigrations } from '../ledger/migrations.ts';
import { type LedgerContext, postTransfer, type TransferRequest } from '../ledger/post-transfer.ts';
import { reconcileLedger } from '../ledger/reconcile.ts';
import type { PointsLedgerDb } from '../ledger/tables.ts';
import { FEWEST_BEHIND, MAX_BATCH, postPayment } from './payment-batcher.ts';

// Each call of now() is a millisecond later: the transfers of one batch share its one time,
// so their created_at tells which payments went together.
let tick = Date.parse('2026-04-01T01:00:00Z');
const clock: Clock = { now: () => new Date(tick++) };
const chiyoda = tenantScope(parseLgCode('131016'));
const merchant = accountId('merchant', 'm-batch');
const earning = accountId('issuance', 'earning');
let database: Database;
let db: PointsLedgerDb;
let context: LedgerContext;
let serial = 0;

/** A resident with `lots` of points earned, each [amount, expiry]. */
async function resident(...lots: [number, string | null][]) {
  const id = await openAccount(db, chiyoda, 'resident', `B${++serial}`, clock.now());
  for (const [index, [amount, expiresOn]] of lots.entries()) {
    const legs = [{ debit: earning, credit: id, amount, expiresOn }];
    await postTransfer(
      db,
      context,
      chiyoda,
      { transferId: `earn-${id}-${index}`, code: 'earning', legs },
      'system',
    );
  }
  return id;
}

const payment = (from: string, amount: number, transferId: string, to = merchant): TransferRequest => ({
  transferId,
  code: 'payment',
  legs: [{ debit: from, credit: to, amount }],
});

/** Sends every request in the same tick, as concurrent HTTP requests would; settles each. */
function payAll(requests: TransferRequest[], ledger = context) {
  return Promise.allSettled(
    requests.map((request) => postPayment(db, ledger, chiyoda, { request, actor: 'resident:test' })),
  );
}

async function createdAtOf(transferId: string): Promise<number> {
  const row = await db
    .selectFrom('points_transfers')
    .select('created_at')
    .where('municipality_code', '=', chiyoda.municipalityCode)
    .where('transfer_id', '=', transferId)
    .executeTakeFirstOrThrow();
  return new Date(row.created_at).getTime();
}

const codeOf = (result: PromiseSettledResult<unknown>) =>
  result.status === 'rejected' && isMachiError(result.reason) ? result.reason.code : result.status;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, pointsLedgerMigrations]);
  db = database.db as unknown as PointsLedgerDb;
  context = { audit: createAuditLog(database, clock), clock };
  await openAccount(db, chiyoda, 'issuance', 'earning', clock.now());
  await openAccount(db, chiyoda, 'merchant', 'm-batch', clock.now());
});
afterAll(async () => {
  await database?.close();
});

describe('payments posted in batches', () => {
  it('posts a batch in one transaction; a refused payment alone fails, with its own error', async () => {
    const rich = await resident([1_000, null]);
    const poor = await resident([50, null]);
    const results = await payAll([
      payment(rich, 100, 'pb-1'),
      payment(poor, 80, 'pb-2'),
      payment(rich, 200, 'pb-3'),
      payment(rich, 10, 'pb-4', accountId('merchant', 'm-nobody')),
      payment(poor, 50, 'pb-5'),
      // An id the audit log refuses (it looks like a My Number) refuses this payment only.
      payment(rich, 10, 'pb:123456789012'),
    ]);
    expect(results.map(codeOf)).toEqual([
      'fulfilled',
      'points-insufficient',
      'fulfilled',
      'not-found',
      'fulfilled',
      'validation-failed',
    ]);
    expect((await balanceOf(db, chiyoda, rich)).posted).toBe(700);
    expect((await balanceOf(db, chiyoda, poor)).posted).toBe(0);
    const times = new Set(await Promise.all(['pb-1', 'pb-3', 'pb-5'].map(createdAtOf)));
    expect(times.size).toBe(1);
  });

  it('posts a payment id sent twice in one batch, and again in the next, once', async () => {
    const payer = await resident([500, null]);
    const first = await payAll([payment(payer, 120, 'pb-dup'), payment(payer, 120, 'pb-dup')]);
    const values = first.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
    expect(values.map((transfer) => transfer?.repeated)).toEqual([false, true]);
    const [again, other] = await payAll([payment(payer, 120, 'pb-dup'), payment(payer, 121, 'pb-dup')]);
    expect(again?.status === 'fulfilled' && again.value.repeated).toBe(true);
    expect(other && codeOf(other)).toBe('conflict');
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(380);
  });

  it('never overdraws: 100 payments racing for points that cover 30, in batches of at most MAX_BATCH', async () => {
    const payer = await resident([3_000, null]);
    const results = await payAll(Array.from({ length: 100 }, (_, i) => payment(payer, 100, `pb-race-${i}`)));
    const posted = results.flatMap((result, i) => (result.status === 'fulfilled' ? [`pb-race-${i}`] : []));
    expect(posted).toHaveLength(30);
    expect(results.filter((result) => codeOf(result) === 'points-insufficient')).toHaveLength(70);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(0);
    const times = await Promise.all(posted.map(createdAtOf));
    const perBatch = new Map<number, number>();
    for (const time of times) perBatch.set(time, (perBatch.get(time) ?? 0) + 1);
    expect(Math.max(...perBatch.values())).toBeLessThanOrEqual(MAX_BATCH);
  });

  it('spends the earliest-expiring unexpired lots, across payments of one batch', async () => {
    // clock is in April 2026: the lot of 2026-03-31 has expired and cannot be spent.
    const payer = await resident([100, '2026-03-31'], [100, '2026-12-31'], [100, null], [100, '2026-06-30']);
    const friend = await resident();
    const results = await payAll([
      payment(payer, 150, 'pb-lot-1'),
      payment(payer, 100, 'pb-lot-2', friend),
      payment(friend, 60, 'pb-lot-3'),
      payment(payer, 51, 'pb-lot-4'),
    ]);
    expect(results.map(codeOf)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'points-insufficient']);
    const lots = await db
      .selectFrom('points_lots')
      .select(['account_id', 'expires_on', 'remaining'])
      .where('account_id', 'in', [payer, friend])
      .orderBy('account_id')
      .orderBy('expires_on')
      .execute();
    expect(lots.map((lot) => [lot.account_id, lot.expires_on, Number(lot.remaining)])).toEqual([
      [payer, '2026-03-31', 100],
      [payer, '2026-06-30', 0],
      [payer, '2026-12-31', 0],
      [payer, null, 50],
      [friend, null, 40],
    ]);
  });

  it('answers each payer only once the batch is committed and visible to every connection', async () => {
    const payer = await resident([10_000, null]);
    const requests = Array.from({ length: 20 }, (_, i) => payment(payer, 1 + i, `pb-seen-${i}`));
    const seen = await Promise.all(
      requests.map(async (request) => {
        await postPayment(db, context, chiyoda, { request, actor: 'resident:test' });
        // On PostgreSQL this read takes another connection of the pool than the batch's.
        const row = await db
          .selectFrom('points_transfers')
          .select('transfer_id')
          .where('transfer_id', '=', request.transferId)
          .executeTakeFirst();
        return row?.transfer_id;
      }),
    );
    expect(seen).toEqual(requests.map((request) => request.transferId));
  });

  it('posts the payments one by one when the batch itself fails, each with its own answer', async () => {
    const payer = await resident([300, null]);
    let failures = 1;
    const audit: AuditLog = {
      ...context.audit,
      // The batch's write without locks fails, and so does its write under locks.
      appendWithin: () => Promise.reject(new Error('refused')),
      chain: {
        ...context.audit.chain,
        insert(linked) {
          // A statement PostgreSQL refuses: the batch's write fails as a whole.
          return failures-- > 0
            ? sql`insert into audit_log (seq) values (null)`
            : context.audit.chain.insert(linked);
        },
      },
    };
    const flaky = { audit, clock };
    const results = await payAll(
      [payment(payer, 200, 'pb-fb-1'), payment(payer, 200, 'pb-fb-2'), payment(payer, 100, 'pb-fb-3')],
      flaky,
    );
    expect(results.map(codeOf)).toEqual(['fulfilled', 'points-insufficient', 'fulfilled']);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(0);
  });

  it('leaves a payment for the next batch while a batch debiting its account is written', async () => {
    const payer = await resident([1_000, null]);
    let lockedWays = 0;
    const counted: LedgerContext = {
      audit: {
        ...context.audit,
        inTurn(work) {
          lockedWays += 1;
          return context.audit.inTurn(work);
        },
      },
      clock,
    };
    const pay = (id: string) =>
      postPayment(db, counted, chiyoda, { request: payment(payer, 100, id), actor: 'resident:test' });
    const first = pay('pb-next-0');
    // The first batch is being read or written: these wait for the next one.
    await new Promise((resolve) => setImmediate(resolve));
    const rest = Array.from({ length: 5 }, (_, i) => pay(`pb-next-${i + 1}`));
    await Promise.all([first, ...rest]);
    expect(await createdAtOf('pb-next-1')).toBeGreaterThan(await createdAtOf('pb-next-0'));
    // Each batch read the account after the one before it committed: none went the locked way.
    expect(lockedWays).toBe(0);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(400);
  });

  it('writes payments of accounts it knows in one statement, without reading them again', async () => {
    const payer = await resident([1_000, null]);
    const counted = countingStatements(db);
    const pay = (id: string, amount = 100) =>
      postPayment(counted.db, context, chiyoda, {
        request: payment(payer, amount, id),
        actor: 'resident:test',
      });
    await pay('pb-known-0');
    counted.reset();
    const results = await Promise.allSettled([pay('pb-known-1'), pay('pb-known-2', 850), pay('pb-known-3')]);
    expect(results.map(codeOf)).toEqual(['fulfilled', 'points-insufficient', 'fulfilled']);
    expect(await createdAtOf('pb-known-3')).toBe(await createdAtOf('pb-known-1'));
    expect(counted.count()).toBe(1);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(700);
    // A repeat of a known account's payment: its batch's write fails on the id, and the batch
    // is read and decided afresh. Answered as the first, posted once.
    const again = await pay('pb-known-1');
    expect(again.repeated).toBe(true);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(700);
  });

  it('sends the next batch before answering the payers of the one before it', async () => {
    const payer = await resident([1_000, null]);
    const log: string[] = [];
    let whenSent: (() => void) | undefined;
    const watched = db.withPlugin({
      transformQuery: (args) => {
        log.push('statement');
        const then = whenSent;
        whenSent = undefined;
        then?.();
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const pay = (id: string) =>
      postPayment(watched, context, chiyoda, {
        request: payment(payer, 10, id),
        actor: 'resident:test',
      }).then(() => void log.push(`answered ${id}`));
    // Once its account is known, each batch is one statement.
    await pay('pb-order-0');
    log.length = 0;
    // Two more payments come while the first batch is being written: the next batch.
    let next: Promise<void>[] = [];
    whenSent = () => {
      next = [pay('pb-order-2'), pay('pb-order-3')];
    };
    await pay('pb-order-1');
    await Promise.all(next);
    expect(log).toEqual([
      'statement',
      'statement',
      'answered pb-order-1',
      'answered pb-order-2',
      'answered pb-order-3',
    ]);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(960);
  });

  it('runs beside single transfers on the same accounts without deadlock, and reconciles', async () => {
    const payer = await resident([5_000, null]);
    const singles = Array.from({ length: 10 }, (_, i) =>
      postTransfer(db, context, chiyoda, payment(payer, 10, `pb-single-${i}`), 'resident:test'),
    );
    const batched = payAll(Array.from({ length: 30 }, (_, i) => payment(payer, 10, `pb-mixed-${i}`)));
    await Promise.all([...singles, batched]);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(4_600);
    const result = await reconcileLedger(db, chiyoda);
    expect(result.mismatches).toEqual([]);
    expect(result.sum).toBe(0);
    // One audit entry per posted transfer, in an intact chain.
    const transfers = await db
      .selectFrom('points_transfers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const entries = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db);
    expect(entries.rows[0]?.n).toBe(Number(transfers.n));
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});

describe('batches written pipelined (the zone gives its database)', () => {
  /**
   * A ledger whose batches' writes are logged as sent and answered. Once held, the first
   * write's answer waits until another write is sent (or a second has passed).
   */
  function watchedLedger() {
    const log: string[] = [];
    let sent = 0;
    let holdFirst = false;
    let release = () => {};
    const ledger: LedgerContext = {
      ...context,
      database: {
        kind: database.kind,
        prepared: (name, query) => database.prepared(name, query),
        async pipelined(name, query) {
          const n = ++sent;
          log.push(`sent ${n}`);
          release();
          const held =
            holdFirst && n === 1
              ? new Promise<void>((resolve) => {
                  release = resolve;
                  setTimeout(resolve, 1_000);
                })
              : undefined;
          const rows = await database.pipelined(name, query);
          await held;
          log.push(`answered ${n}`);
          return rows;
        },
      },
    };
    const hold = () => {
      log.length = 0;
      sent = 0;
      holdFirst = true;
    };
    const pay = (from: string, amount: number, transferId: string) =>
      postPayment(db, ledger, chiyoda, {
        request: payment(from, amount, transferId),
        actor: 'resident:test',
      });
    return { log, hold, pay };
  }

  /** `count` residents with 500 points each, known to the ledger's batcher (each paid once). */
  async function knownResidents(
    pay: (from: string, amount: number, id: string) => Promise<unknown>,
    count: number,
  ) {
    const ids: string[] = [];
    for (let n = 0; n < count; n++) ids.push(await resident([500, null]));
    await Promise.all(ids.map((id) => pay(id, 10, `warm-${id}`)));
    return ids;
  }

  it('sends the next batch while the one before is written, without payments that debit its accounts', async () => {
    const { log, hold, pay } = watchedLedger();
    const [first, ...others] = await knownResidents(pay, FEWEST_BEHIND + 1);
    hold();
    const ahead = pay(first as string, 100, 'pp-1');
    // The first batch is sent at once (its accounts known), and its answer held.
    await new Promise((resolve) => setImmediate(resolve));
    const again = pay(first as string, 100, 'pp-2');
    const behind = others.map((id, n) => pay(id, 100, `pp-other-${n}`));
    await Promise.all([ahead, again, ...behind]);
    // The second batch went before the first was answered; the payment debiting the first's
    // payer waited for the third.
    expect(log).toEqual(['sent 1', 'sent 2', 'answered 1', 'answered 2', 'sent 3', 'answered 3']);
    const times = new Set(await Promise.all(others.map((_, n) => createdAtOf(`pp-other-${n}`))));
    expect(times.size).toBe(1);
    expect(await createdAtOf('pp-2')).toBeGreaterThan(await createdAtOf('pp-other-0'));
    expect((await balanceOf(db, chiyoda, first as string)).posted).toBe(290);
    expect((await balanceOf(db, chiyoda, others[0] as string)).posted).toBe(390);
    expect((await reconcileLedger(db, chiyoda)).mismatches).toEqual([]);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('sends fewer than FEWEST_BEHIND payments only once the batch before is answered', async () => {
    const { log, hold, pay } = watchedLedger();
    const [first, ...others] = await knownResidents(pay, FEWEST_BEHIND);
    hold();
    const ahead = pay(first as string, 100, 'pp-few-1');
    await new Promise((resolve) => setImmediate(resolve));
    const behind = others.map((id, n) => pay(id, 100, `pp-few-other-${n}`));
    await Promise.all([ahead, ...behind]);
    // Held for its second, the first's answer came when the wait ran out.
    expect(log).toEqual(['sent 1', 'answered 1', 'sent 2', 'answered 2']);
  });

  it('posts once each payment of a batch sent behind one its version check refused', async () => {
    const { log, hold, pay } = watchedLedger();
    const [first, ...others] = await knownResidents(pay, FEWEST_BEHIND + 1);
    // The first payer's account changes behind the batcher's back: what it knows is old.
    await postTransfer(db, context, chiyoda, payment(first as string, 50, 'pp-stale-aside'), 'resident:test');
    hold();
    const ahead = pay(first as string, 100, 'pp-stale-1');
    await new Promise((resolve) => setImmediate(resolve));
    const behind = others.map((id, n) => pay(id, 100, `pp-stale-other-${n}`));
    // The first is refused by its version check, read and written again; the second, linked
    // after the head the first would have left, is refused by the chain's lock, and read and
    // written again too.
    const results = await Promise.allSettled([ahead, ...behind]);
    expect(results.map(codeOf)).toEqual(results.map(() => 'fulfilled'));
    expect(log.slice(0, 3)).toEqual(['sent 1', 'sent 2', 'answered 1']);
    expect(log).not.toContain('answered 2');
    expect((await balanceOf(db, chiyoda, first as string)).posted).toBe(340);
    expect((await balanceOf(db, chiyoda, others[0] as string)).posted).toBe(390);
    const again = await pay(others[0] as string, 100, 'pp-stale-other-0');
    expect(again.repeated).toBe(true);
    expect((await reconcileLedger(db, chiyoda)).mismatches).toEqual([]);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
