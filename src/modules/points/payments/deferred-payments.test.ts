import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKind } from '../../../../test/support/database.ts';
import { transferIdsLike } from '../../../../test/support/points-ledger.ts';
import { type ScratchPostgres, startScratchPostgres } from '../../../../test/support/scratch-postgres.ts';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  migrate,
  openDatabase,
  parseLgCode,
  systemClock,
  tenantScope,
  verifyAuditChain,
} from '../../../core/index.ts';
import { accountId, balanceOf, openAccount } from '../ledger/accounts.ts';
import { pointsLedgerMigrations } from '../ledger/migrations.ts';
import { type LedgerContext, postTransfer, type Transfer } from '../ledger/post-transfer.ts';
import { ledgerMatches, reconcileLedger } from '../ledger/reconcile.ts';
import type { PointsLedgerDb } from '../ledger/tables.ts';
import { postPayment } from './payment-batcher.ts';

// Payment batches that commit without waiting for their WAL flush (deferred-flush.ts), on a
// PostgreSQL server: on PGlite every commit waits for its own.
const chiyoda = tenantScope(parseLgCode('131016'));
const merchant = accountId('merchant', 'm-deferred');
const earning = accountId('issuance', 'earning');

const ledgerDb = (database: Database) => database.db as unknown as PointsLedgerDb;

/** A ledger on `database`, its prepared statements seen by `onPrepared` first (a flush is `points_flush`). */
function ledgerOn(database: Database, onPrepared?: (name: string) => Promise<void> | void): LedgerContext {
  return {
    audit: createAuditLog(database, systemClock),
    clock: systemClock,
    deferredFlush: true,
    database: {
      kind: database.kind,
      async prepared(name, query) {
        await onPrepared?.(name);
        return database.prepared(name, query);
      },
      // The batches' writes.
      pipelined: (name, query) => database.pipelined(name, query),
    },
  };
}

async function openLedger(database: Database) {
  await migrate(database.db, [auditMigrations, pointsLedgerMigrations]);
  const db = ledgerDb(database);
  await openAccount(db, chiyoda, 'issuance', 'earning', systemClock.now());
  await openAccount(db, chiyoda, 'merchant', 'm-deferred', systemClock.now());
  return db;
}

let serial = 0;
async function resident(database: Database, points: number): Promise<string> {
  const db = ledgerDb(database);
  const id = await openAccount(db, chiyoda, 'resident', `D${++serial}`, systemClock.now());
  const legs = [{ debit: earning, credit: id, amount: points }];
  const request = { transferId: `earn-${id}`, code: 'earning' as const, legs };
  await postTransfer(db, ledgerOn(database), chiyoda, request, 'system');
  return id;
}

function pay(database: Database, context: LedgerContext, from: string, amount: number, transferId: string) {
  const request = { transferId, code: 'payment' as const, legs: [{ debit: from, credit: merchant, amount }] };
  return postPayment(ledgerDb(database), context, chiyoda, {
    request,
    actor: 'resident:test',
  });
}

async function ledgerIsWhole(database: Database): Promise<void> {
  const reconciliation = await reconcileLedger(ledgerDb(database), chiyoda);
  expect(ledgerMatches(reconciliation)).toBe(true);
  expect((await verifyAuditChain(database.db)).ok).toBe(true);
}

const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe.skipIf(testDatabaseKind() !== 'postgres')('payments whose batch commits before its flush', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
    await openLedger(database);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('answers a batch once a flush after it has returned, in an epoch whose row is there', async () => {
    const seen: string[] = [];
    const context = ledgerOn(database, (name) => void seen.push(name));
    const payer = await resident(database, 1_000);
    const answers = await Promise.all(ids('dp-a-', 4).map((id) => pay(database, context, payer, 100, id)));
    expect(answers.map((transfer) => transfer.repeated)).toEqual([false, false, false, false]);
    // The epoch begun, the batch's write, and then the flush that answered it.
    expect(seen).toEqual(['points_flush_epoch_begin', 'points_flush']);
    expect(await transferIdsLike(ledgerDb(database), 'dp-a-')).toEqual(ids('dp-a-', 4));
    expect((await balanceOf(ledgerDb(database), chiyoda, payer)).posted).toBe(600);
    await ledgerIsWhole(database);
  });

  it('posts a batch again under locks when its flush is not confirmed, answering each as decided', async () => {
    let failFlush = true;
    const context = ledgerOn(database, (name) => {
      if (name === 'points_flush' && failFlush) {
        failFlush = false;
        throw new Error('connection lost');
      }
    });
    const payer = await resident(database, 300);
    const results = await Promise.allSettled(
      ids('dp-f-', 4).map((id) => pay(database, context, payer, 100, id)),
    );
    // Found by their ids, the three the batch posted are answered as posted, not as repeats;
    // the fourth, refused by the batch, is refused again.
    expect(
      results.map((result) => (result.status === 'fulfilled' ? result.value.repeated : 'refused')),
    ).toEqual([false, false, false, 'refused']);
    expect(failFlush).toBe(false);
    expect(await transferIdsLike(ledgerDb(database), 'dp-f-')).toEqual(ids('dp-f-', 3));
    expect((await balanceOf(ledgerDb(database), chiyoda, payer)).posted).toBe(0);
    await ledgerIsWhole(database);
  });

  it('refuses a write whose epoch is gone, posts it under locks, and begins another epoch', async () => {
    const seen: string[] = [];
    const context = ledgerOn(database, (name) => void seen.push(name));
    const payer = await resident(database, 1_000);
    await pay(database, context, payer, 100, 'dp-e-0');
    const [first] = await database.db
      .selectFrom('points_flush_epochs' as never)
      .select('epoch' as never)
      .execute();
    // What crash recovery does to the unlogged table.
    await database.db.deleteFrom('points_flush_epochs' as never).execute();
    seen.length = 0;
    const answered: Transfer = await pay(database, context, payer, 100, 'dp-e-1');
    expect(answered.repeated).toBe(false);
    // Refused by the epoch's check, the write went the locked way: no flush answered it.
    expect(seen).toEqual([]);
    // The next batch begins another epoch, and is deferred again.
    await pay(database, context, payer, 100, 'dp-e-2');
    expect(seen).toEqual(['points_flush_epoch_begin', 'points_flush']);
    const epochs = await database.db
      .selectFrom('points_flush_epochs' as never)
      .select('epoch' as never)
      .execute();
    expect(epochs).toHaveLength(1);
    expect(epochs).not.toEqual([first]);
    expect(await transferIdsLike(ledgerDb(database), 'dp-e-')).toEqual(ids('dp-e-', 3));
    expect((await balanceOf(ledgerDb(database), chiyoda, payer)).posted).toBe(700);
    await ledgerIsWhole(database);
  });
});

describe.skipIf(testDatabaseKind() !== 'postgres')(
  'a server that crashes between a batch and its flush',
  () => {
    let server: ScratchPostgres;
    let database: Database;
    beforeAll(async () => {
      server = await startScratchPostgres({
        // Nothing flushes the WAL but the commits that wait: the walwriter is stopped below, and
        // neither a checkpoint, autovacuum nor a standby snapshot comes in the test's seconds.
        wal_level: 'minimal',
        max_wal_senders: '0',
        autovacuum: 'off',
        checkpoint_timeout: '1h',
      });
      database = await openDatabase({ url: server.url, poolSize: 4 });
      await openLedger(database);
    }, 60_000);
    afterAll(async () => {
      await database?.close();
      server?.stop();
    });

    it('never answers a payment the crash lost: it is posted again, and every payment is there once', async () => {
      const payer = await resident(database, 1_000);
      let armed = false;
      let lost: string[] | undefined;
      const context = ledgerOn(database, async (name) => {
        if (name !== 'points_flush' || !armed || lost) return;
        // The batch has committed, its WAL still in the server's buffers. The server crashes.
        const walwriter = await server.pidOf('walwriter');
        process.kill(walwriter, 'SIGKILL');
        for (;;) {
          await server.whenUp();
          if ((await server.pidOf('walwriter').catch(() => walwriter)) !== walwriter) break;
        }
        lost = await server
          .query<{ transfer_id: string }>(
            "select transfer_id from points_transfers where transfer_id like 'dp-c-%'",
          )
          .then((rows) => rows.map((row) => row.transfer_id));
      });
      // A first payment begins the epoch and leaves the accounts known.
      await pay(database, context, payer, 100, 'dp-w-0');
      process.kill(await server.pidOf('walwriter'), 'SIGSTOP');
      armed = true;
      const requests = ids('dp-c-', 5);
      const first = await Promise.allSettled(requests.map((id) => pay(database, context, payer, 100, id)));
      // The crash took the batch's commit with it.
      expect(lost).toEqual([]);
      // Each payer was answered only after the payment was posted again (or told to try again,
      // the server having just restarted); tried again, each posts once.
      for (const [index, result] of first.entries()) {
        if (result.status === 'fulfilled') continue;
        await pay(database, ledgerOn(database), payer, 100, requests[index] as string);
      }
      expect(await transferIdsLike(ledgerDb(database), 'dp-c-')).toEqual(requests);
      expect((await balanceOf(ledgerDb(database), chiyoda, payer)).posted).toBe(400);
      await ledgerIsWhole(database);
    }, 60_000);
  },
);
