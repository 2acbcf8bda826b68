import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind } from '../../../../test/support/database.ts';
import { transferIdsLike } from '../../../../test/support/points-ledger.ts';
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
import { accountId, balanceOf, openAccount } from './accounts.ts';
import type { BatchItem, BatchOutcome } from './batch-plan.ts';
import { createKnownAccounts, type KnownAccounts } from './known-accounts.ts';
import { pointsLedgerMigrations } from './migrations.ts';
import { postBatchIfUnchanged } from './post-batch-if-unchanged.ts';
import { type LedgerContext, postTransfer, type TransferRequest } from './post-transfer.ts';
import { reconcileLedger } from './reconcile.ts';
import type { PointsLedgerDb } from './tables.ts';

const clock: Clock = { now: () => new Date('2026-04-01T01:00:00Z') };
const chiyoda = tenantScope(parseLgCode('131016'));
const merchant = accountId('merchant', 'm-unlocked');
const earning = accountId('issuance', 'earning');
let database: Database;
let db: PointsLedgerDb;
let context: LedgerContext;
let serial = 0;

/** A resident with `points` earned, never expiring. */
async function resident(points: number) {
  const id = await openAccount(db, chiyoda, 'resident', `U${++serial}`, clock.now());
  const legs = [{ debit: earning, credit: id, amount: points, expiresOn: null }];
  await postTransfer(db, context, chiyoda, { transferId: `earn-${id}`, code: 'earning', legs }, 'system');
  return id;
}

const payment = (from: string, amount: number, transferId: string, to = merchant): TransferRequest => ({
  transferId,
  code: 'payment',
  legs: [{ debit: from, credit: to, amount }],
});

const items = (...requests: TransferRequest[]): BatchItem[] =>
  requests.map((request) => ({ request, actor: 'resident:test' }));

/** The ledger context (`base`) with `meanwhile` run after the batch's read, before its write. */
function withMeanwhile(meanwhile: () => Promise<unknown>, base: LedgerContext = context): LedgerContext {
  const audit: AuditLog = {
    ...base.audit,
    async appendWithin(entries, write) {
      await meanwhile();
      return base.audit.appendWithin(entries, write);
    },
  };
  return { ...base, audit };
}

async function auditCount(): Promise<number> {
  const result = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(db);
  return result.rows[0]?.n ?? 0;
}

async function ledgerIsWhole(): Promise<void> {
  const reconciliation = await reconcileLedger(db, chiyoda);
  expect(reconciliation.mismatches).toEqual([]);
  expect(reconciliation.sum).toBe(0);
  expect((await verifyAuditChain(database.db)).ok).toBe(true);
}

/**
 * A batch of three payments (`prefix`1–3) written through `base`, whose second id another
 * transfer took meanwhile: the whole statement is undone. Returns the batch's payer (500 points).
 */
async function refusedWhenAnIdIsTaken(prefix: string, base: LedgerContext): Promise<string> {
  const payer = await resident(500);
  const stranger = await resident(500);
  // The same id for a transfer of other accounts: no version of the batch's accounts shows it.
  const meanwhile = withMeanwhile(
    () => postTransfer(db, context, chiyoda, payment(stranger, 10, `${prefix}2`), 'resident:test'),
    base,
  );
  const entries = await auditCount();
  const ids = [1, 2, 3].map((n) => `${prefix}${n}`);
  await expect(
    postBatchIfUnchanged(db, meanwhile, chiyoda, items(...ids.map((id) => payment(payer, 100, id)))),
  ).rejects.toMatchObject({ code: '23505', constraint: 'points_transfers_pkey' });
  expect(await transferIdsLike(db, prefix)).toEqual([`${prefix}2`]);
  expect(await auditCount()).toBe(entries + 1);
  return payer;
}

const codeOf = (outcome: BatchOutcome) =>
  outcome.ok ? 'ok' : isMachiError(outcome.error) ? outcome.error.code : 'error';

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [auditMigrations, pointsLedgerMigrations]);
  db = database.db as unknown as PointsLedgerDb;
  context = { audit: createAuditLog(database, clock), clock };
  await openAccount(db, chiyoda, 'issuance', 'earning', clock.now());
  await openAccount(db, chiyoda, 'merchant', 'm-unlocked', clock.now());
});
afterAll(async () => {
  await database?.close();
});

describe('a batch posted without locks while it is decided', () => {
  it('posts what its accounts cover, each with its audit entry, and refuses the rest alone', async () => {
    const rich = await resident(1_000);
    const poor = await resident(50);
    const entries = await auditCount();
    const outcomes = await postBatchIfUnchanged(
      db,
      context,
      chiyoda,
      items(
        payment(rich, 300, 'pu-a-1'),
        payment(poor, 80, 'pu-a-2'),
        payment(rich, 700, 'pu-a-3'),
        payment(rich, 1, 'pu-a-4'),
        payment(poor, 10, 'pu-a-5', accountId('merchant', 'm-nobody')),
      ),
    );
    expect(outcomes?.map(codeOf)).toEqual([
      'ok',
      'points-insufficient',
      'ok',
      'points-insufficient',
      'not-found',
    ]);
    expect(await transferIdsLike(db, 'pu-a-')).toEqual(['pu-a-1', 'pu-a-3']);
    expect((await balanceOf(db, chiyoda, rich)).posted).toBe(0);
    expect((await balanceOf(db, chiyoda, poor)).posted).toBe(50);
    expect(await auditCount()).toBe(entries + 2);
    await ledgerIsWhole();
  });

  it('answers a batch of repeats from what it read, writing nothing', async () => {
    const payer = await resident(500);
    await postBatchIfUnchanged(db, context, chiyoda, items(payment(payer, 100, 'pu-r-1')));
    const entries = await auditCount();
    const outcomes = await postBatchIfUnchanged(db, context, chiyoda, items(payment(payer, 100, 'pu-r-1')));
    expect(outcomes?.map((one) => one.ok && one.transfer.repeated)).toEqual([true]);
    expect(await auditCount()).toBe(entries);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(400);
  });

  it('writes nothing and says so when a debited account changed after its read', async () => {
    const payer = await resident(500);
    const meanwhile = withMeanwhile(() =>
      postTransfer(db, context, chiyoda, payment(payer, 450, 'pu-c-meanwhile'), 'resident:test'),
    );
    const entries = await auditCount();
    const outcomes = await postBatchIfUnchanged(
      db,
      meanwhile,
      chiyoda,
      items(payment(payer, 300, 'pu-c-1'), payment(payer, 100, 'pu-c-2')),
    );
    expect(outcomes).toBeUndefined();
    // Read before the 450 went, the batch would have overdrawn the account by 350.
    expect(await transferIdsLike(db, 'pu-c-')).toEqual(['pu-c-meanwhile']);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(50);
    expect(await auditCount()).toBe(entries + 1);
    await ledgerIsWhole();
    // The next batch reads afresh, links to the head the other writer left, and is decided on it.
    const again = await postBatchIfUnchanged(db, context, chiyoda, items(payment(payer, 300, 'pu-c-1')));
    expect(again?.map(codeOf)).toEqual(['points-insufficient']);
  });

  it('posts when only an account it credits changed meanwhile: a credit needs no balance', async () => {
    const payer = await resident(500);
    const other = await resident(500);
    const before = (await balanceOf(db, chiyoda, merchant)).posted;
    const meanwhile = withMeanwhile(() =>
      postTransfer(db, context, chiyoda, payment(other, 200, 'pu-m-meanwhile'), 'resident:test'),
    );
    const outcomes = await postBatchIfUnchanged(db, meanwhile, chiyoda, items(payment(payer, 100, 'pu-m-1')));
    expect(outcomes?.map(codeOf)).toEqual(['ok']);
    expect((await balanceOf(db, chiyoda, merchant)).posted).toBe(before + 300);
    await ledgerIsWhole();
  });

  it('undoes its whole statement when a transfer id was taken meanwhile by another transfer', async () => {
    const payer = await refusedWhenAnIdIsTaken('pu-t-', context);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(500);
    await ledgerIsWhole();
  });

  it.skipIf(testDatabaseKind() !== 'postgres')(
    'sees a change committed while its write waited for the account (PostgreSQL)',
    async () => {
      const payer = await resident(500);
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let other: Promise<unknown> = Promise.resolve();
      const meanwhile = withMeanwhile(async () => {
        let locked = () => {};
        const hasLock = new Promise<void>((resolve) => {
          locked = resolve;
        });
        // A transfer of the same account, uncommitted until the write below is waiting for it.
        other = db.transaction().execute(async (trx) => {
          await postTransfer(trx, context, chiyoda, payment(payer, 450, 'pu-w-meanwhile'), 'resident:test');
          locked();
          await held;
        });
        await hasLock;
        setTimeout(release, 300);
      });
      const outcomes = await postBatchIfUnchanged(
        db,
        meanwhile,
        chiyoda,
        items(payment(payer, 300, 'pu-w-1')),
      );
      await other;
      expect(outcomes).toBeUndefined();
      expect(await transferIdsLike(db, 'pu-w-')).toEqual(['pu-w-meanwhile']);
      expect((await balanceOf(db, chiyoda, payer)).posted).toBe(50);
      await ledgerIsWhole();
    },
  );
});

describe('a batch written as a prepared statement (the zone gives its database)', () => {
  /** The names the writes were prepared under, in order. */
  const names: string[] = [];
  const prepared = (): LedgerContext => ({
    ...context,
    database: {
      kind: database.kind,
      prepared: (name, query) => database.prepared(name, query),
      pipelined(name, query) {
        names.push(name);
        return database.pipelined(name, query);
      },
    },
  });

  it('posts, refuses and repeats as a statement planned anew does, whatever the batch size', async () => {
    const rich = await resident(1_000);
    const poor = await resident(50);
    const first = await postBatchIfUnchanged(
      db,
      prepared(),
      chiyoda,
      items(payment(rich, 300, 'pp-a-1'), payment(poor, 80, 'pp-a-2'), payment(rich, 200, 'pp-a-3')),
    );
    expect(first?.map(codeOf)).toEqual(['ok', 'points-insufficient', 'ok']);
    // The same statement again, on the same connections, with other rows and sizes.
    for (const [index, amount] of [100, 50, 25].entries()) {
      const one = await postBatchIfUnchanged(
        db,
        prepared(),
        chiyoda,
        items(payment(rich, amount, `pp-b-${index}`)),
      );
      expect(one?.map(codeOf)).toEqual(['ok']);
    }
    const repeated = await postBatchIfUnchanged(db, prepared(), chiyoda, items(payment(rich, 300, 'pp-a-1')));
    expect(repeated?.map((one) => one.ok && one.transfer.repeated)).toEqual([true]);
    expect((await balanceOf(db, chiyoda, rich)).posted).toBe(325);
    expect(await transferIdsLike(db, 'pp-')).toEqual(['pp-a-1', 'pp-a-3', 'pp-b-0', 'pp-b-1', 'pp-b-2']);
    await ledgerIsWhole();
    // Four writes (the repeat wrote nothing), all under one name: one text, planned once.
    expect(names).toHaveLength(4);
    expect(new Set(names).size).toBe(1);
    expect(names[0]).toMatch(/^points_batch_write_[0-9a-f]{16}$/);
  });

  it('writes nothing when a debited account changed after its read', async () => {
    const payer = await resident(500);
    const meanwhile = withMeanwhile(
      () => postTransfer(db, context, chiyoda, payment(payer, 450, 'pp-c-meanwhile'), 'resident:test'),
      prepared(),
    );
    const outcomes = await postBatchIfUnchanged(db, meanwhile, chiyoda, items(payment(payer, 300, 'pp-c-1')));
    expect(outcomes).toBeUndefined();
    expect(await transferIdsLike(db, 'pp-c-')).toEqual(['pp-c-meanwhile']);
    await ledgerIsWhole();
  });

  it('is undone whole when a transfer id was taken meanwhile, and the next batch still posts', async () => {
    const payer = await refusedWhenAnIdIsTaken('pp-t-', prepared());
    // The refusal left every connection fit for the prepared statement.
    for (let i = 0; i < 3; i++) {
      const next = await postBatchIfUnchanged(
        db,
        prepared(),
        chiyoda,
        items(payment(payer, 10, `pp-t-next-${i}`)),
      );
      expect(next?.map(codeOf)).toEqual(['ok']);
    }
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(470);
    await ledgerIsWhole();
  });
});

describe('a batch decided on the accounts this process knows, without reading them', () => {
  /** The known state of `ids` (debiting the first), against the database's rows and versions. */
  async function knownMatchesDatabase(known: KnownAccounts, ids: string[]) {
    const state = known.stateOf(ids, ids.slice(0, 1), '2026-04-01');
    expect(state).toBeDefined();
    const rows = await sql<{ account_id: string; credits: string; debits: string; version: string }>`
      select account_id, credits_posted::text as credits, debits_posted::text as debits, xmin::text as version
      from points_accounts where municipality_code = '131016' and account_id = ${ids[0]}`.execute(db);
    const row = rows.rows[0];
    const account = state?.state.accounts.get(ids[0] as string);
    expect(account?.creditsPosted).toBe(Number(row?.credits));
    expect(account?.debitsPosted).toBe(Number(row?.debits));
    expect(state?.versions.get(ids[0] as string)).toBe(row?.version);
  }

  it('decides the next batch of the same accounts as a read would, and knows what it wrote', async () => {
    const known = createKnownAccounts();
    const payer = await resident(1_000);
    expect(known.stateOf([merchant, payer], [payer], '2026-04-01')).toBeUndefined();
    const first = await postBatchIfUnchanged(
      db,
      context,
      chiyoda,
      items(payment(payer, 300, 'pk-a-1')),
      known,
    );
    expect(first?.map(codeOf)).toEqual(['ok']);
    await knownMatchesDatabase(known, [payer, merchant]);
    // The statements the next batch sends: its write alone.
    const counted = countingStatements(db);
    const second = await postBatchIfUnchanged(
      counted.db,
      context,
      chiyoda,
      items(payment(payer, 600, 'pk-a-2'), payment(payer, 200, 'pk-a-3'), payment(payer, 100, 'pk-a-4')),
      known,
    );
    expect(second?.map(codeOf)).toEqual(['ok', 'points-insufficient', 'ok']);
    expect(counted.count()).toBe(1);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(0);
    await knownMatchesDatabase(known, [payer, merchant]);
    await ledgerIsWhole();
  });

  it('reads and decides afresh when another writer changed a known account', async () => {
    const known = createKnownAccounts();
    const payer = await resident(500);
    await postBatchIfUnchanged(db, context, chiyoda, items(payment(payer, 100, 'pk-s-1')), known);
    // Known: 400 points. Another writer takes 350, so the known state would overdraw.
    await postTransfer(db, context, chiyoda, payment(payer, 350, 'pk-s-other'), 'resident:test');
    const taken = await postBatchIfUnchanged(
      db,
      context,
      chiyoda,
      items(payment(payer, 300, 'pk-s-2')),
      known,
    );
    expect(taken?.map(codeOf)).toEqual(['points-insufficient']);
    // Another writer gives 1,000: the known state alone would refuse what the account now covers.
    await postTransfer(
      db,
      context,
      chiyoda,
      { transferId: 'pk-s-grant', code: 'earning', legs: [{ debit: earning, credit: payer, amount: 1_000 }] },
      'system',
    );
    const given = await postBatchIfUnchanged(
      db,
      context,
      chiyoda,
      items(payment(payer, 900, 'pk-s-3')),
      known,
    );
    expect(given?.map(codeOf)).toEqual(['ok']);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(150);
    await knownMatchesDatabase(known, [payer, merchant]);
    await ledgerIsWhole();
  });

  it('answers a transfer id posted before as a repeat, posting nothing twice', async () => {
    const known = createKnownAccounts();
    const payer = await resident(500);
    await postBatchIfUnchanged(db, context, chiyoda, items(payment(payer, 100, 'pk-r-1')), known);
    const entries = await auditCount();
    const again = await postBatchIfUnchanged(
      db,
      context,
      chiyoda,
      items(payment(payer, 100, 'pk-r-1'), payment(payer, 50, 'pk-r-2')),
      known,
    );
    expect(again?.map((one) => one.ok && one.transfer.repeated)).toEqual([true, false]);
    expect(await transferIdsLike(db, 'pk-r-')).toEqual(['pk-r-1', 'pk-r-2']);
    expect(await auditCount()).toBe(entries + 1);
    expect((await balanceOf(db, chiyoda, payer)).posted).toBe(350);
    await ledgerIsWhole();
  });

  it('never spends a known lot past its expiry', async () => {
    const known = createKnownAccounts();
    const payer = await openAccount(db, chiyoda, 'resident', `U${++serial}`, clock.now());
    const grant = (transferId: string, amount: number, expiresOn: string | null) =>
      postTransfer(
        db,
        context,
        chiyoda,
        { transferId, code: 'earning', legs: [{ debit: earning, credit: payer, amount, expiresOn }] },
        'system',
      );
    await grant('pk-e-soon', 300, '2026-04-01');
    await grant('pk-e-never', 300, null);
    // On the lot's last day, the batch takes from it first and knows 200 are left in it.
    await postBatchIfUnchanged(db, context, chiyoda, items(payment(payer, 100, 'pk-e-1')), known);
    const nextDay: LedgerContext = { ...context, clock: { now: () => new Date('2026-04-02T01:00:00Z') } };
    const outcomes = await postBatchIfUnchanged(
      db,
      nextDay,
      chiyoda,
      items(payment(payer, 250, 'pk-e-2'), payment(payer, 100, 'pk-e-3')),
      known,
    );
    // The next day only the 300 that never expire are spendable.
    expect(outcomes?.map(codeOf)).toEqual(['ok', 'points-insufficient']);
    const lots = await sql<{ transfer_id: string; remaining: string }>`
      select transfer_id, remaining::text from points_lots
      where account_id = ${payer} order by transfer_id`.execute(db);
    expect(lots.rows.map((lot) => [lot.transfer_id, Number(lot.remaining)])).toEqual([
      ['pk-e-never', 50],
      ['pk-e-soon', 200],
    ]);
    await ledgerIsWhole();
  });

  it('forgets the least recently used accounts past its bound', () => {
    const known = createKnownAccounts(2);
    const rules = {
      noOverdraft: true,
      tracksExpiry: false,
      debitsPosted: 0,
      creditsPosted: 5,
      debitsPending: 0,
    };
    const accounts = new Map(['a', 'b', 'c'].map((id) => [id, { ...rules }]));
    known.learn(accounts, new Map([...accounts.keys()].map((id) => [id, '1'])), new Map());
    expect(known.stateOf(['a'], ['a'], '2026-04-01')).toBeUndefined();
    expect(known.stateOf(['b', 'c'], ['b', 'c'], '2026-04-01')?.state.accounts.get('c')?.creditsPosted).toBe(
      5,
    );
  });
});
