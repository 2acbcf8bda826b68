import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { batchIds } from '../ledger/batch-sql.ts';
import { createKnownAccounts } from '../ledger/known-accounts.ts';
import { postBatchIfUnchanged } from '../ledger/post-batch-if-unchanged.ts';
import { type LedgerContext, postTransfer, type Transfer } from '../ledger/post-transfer.ts';
import { type BatchItem, type BatchOutcome, postTransferBatch } from '../ledger/post-transfer-batch.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

/**
 * Most payments one transaction carries: bounds how long the batch holds its accounts' rows
 * and the audit chain's lock, and the size of its one write.
 */
export const MAX_BATCH = 64;

/**
 * Batches one process works on at once for a municipality. Two: while one is written (its
 * one statement holds its accounts and the audit chain), the next is read and decided, so it
 * is ready the moment the first commits. More would only queue at the same locks (every
 * payment credits a shop, every batch appends to the chain).
 */
export const LANES = 2;

/** The accounts a payment debits (none if its legs are malformed: planBatch refuses it). */
const debitsOf = (item: BatchItem): string[] =>
  Array.isArray(item.request.legs) ? item.request.legs.map((leg) => leg.debit) : [];

type Waiting = { item: BatchItem; resolve: (transfer: Transfer) => void; reject: (error: unknown) => void };

interface Batcher {
  post(item: BatchItem): Promise<Transfer>;
}

/**
 * Group commit for payments: the payments of one municipality that arrive while batches are
 * being written wait and go together in the next one — one read, one write with its audit
 * append and its commit (postBatchIfUnchanged) — instead of each taking the audit chain's
 * lock and committing alone, one after another. A payment that
 * arrives when fewer than LANES batches are being written goes at once. Each caller is
 * answered only after its batch's commit has returned, with its own outcome: a refused
 * payment (too few points, an unknown account) changed nothing and does not hold its
 * neighbours back.
 *
 * Batches in flight together (this process's lanes, or another process's) lock their rows in
 * the same account order and then the chain, so they wait for each other but cannot deadlock.
 */
function createBatcher(db: Kysely<PointsLedgerTables>, context: LedgerContext, scope: TenantScope): Batcher {
  let waiting: Waiting[] = [];
  let lanes = 0;
  /** The accounts this batcher last read or wrote: most batches are decided without a read. */
  const known = createKnownAccounts();
  /** Accounts debited by the batches being written, each with how many batches debit it. */
  const inFlight = new Map<string, number>();

  async function postOneByOne(batch: readonly Waiting[]): Promise<void> {
    for (const { item, resolve, reject } of batch) {
      try {
        resolve(await postTransfer(db, context, scope, item.request, item.actor));
      } catch (error) {
        reject(error);
      }
    }
  }

  /**
   * Posts the batch without locks while it is decided (postBatchIfUnchanged); if an account
   * changed meanwhile, or that failed, under locks; if that failed too, one by one. The last
   * two append to the audit chain the locked way, so they take this process's turn at it.
   */
  async function write(batch: readonly Waiting[]): Promise<void> {
    const items = batch.map((one) => one.item);
    let outcomes: BatchOutcome[] | undefined;
    try {
      outcomes = await postBatchIfUnchanged(db, context, scope, items, known);
    } catch {
      // One statement: nothing of it was written (or, if only its answer was lost, all of it
      // was, and the locked way finds its transfers by their ids). The locked way tells.
    }
    // Written under locks or one by one, its accounts change in ways the batcher does not see.
    if (!outcomes) known.forget(batchIds(items).debitedIds);
    outcomes ??= await context.audit.inTurn(async () => {
      try {
        return await db.transaction().execute((trx) => postTransferBatch(trx, context, scope, items));
      } catch {
        // Nothing of the batch is known to be posted (or, if the commit's answer was lost,
        // all of it is): each payment is posted again on its own, which by its transfer id
        // posts once, and each caller gets its own answer or error instead of a stranger's.
        await postOneByOne(batch);
        return undefined;
      }
    });
    for (const [index, outcome] of (outcomes ?? []).entries()) {
      const { resolve, reject } = batch[index] as Waiting;
      if (outcome.ok) resolve(outcome.transfer);
      else reject(outcome.error);
    }
  }

  /**
   * The next batch: the payments waiting, in order, but none that debits an account a batch
   * in flight debits. That batch may not have committed when this one reads, and would change
   * the account under it (postBatchIfUnchanged would then find it changed and go the slow way).
   * A payment left out waits for the next batch.
   */
  function take(): Waiting[] {
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    for (const one of waiting) {
      const free = batch.length < MAX_BATCH && debitsOf(one.item).every((id) => !inFlight.has(id));
      (free ? batch : later).push(one);
    }
    waiting = later;
    for (const one of batch)
      for (const id of debitsOf(one.item)) inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
    return batch;
  }

  function release(batch: readonly Waiting[]): void {
    for (const one of batch) {
      for (const id of debitsOf(one.item)) {
        const left = (inFlight.get(id) ?? 1) - 1;
        if (left === 0) inFlight.delete(id);
        else inFlight.set(id, left);
      }
    }
  }

  /**
   * Writes what is waiting, a batch at a time, until nothing is, or all that is waits for
   * the other lane's batch: that lane takes it when it is done.
   */
  async function lane(): Promise<void> {
    // Yield once, so that payments sent in the same tick share the first batch.
    await Promise.resolve();
    for (let batch = take(); batch.length > 0; batch = take()) {
      try {
        await write(batch);
      } finally {
        release(batch);
      }
    }
    lanes -= 1;
  }

  return {
    post(item) {
      return new Promise<Transfer>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (lanes < LANES) {
          lanes += 1;
          // A lane never rejects: each batch's failure is answered to its own callers.
          void lane();
        }
      });
    },
  };
}

// One batcher per database, ledger context (audit log, clock) and municipality.
const batchers = new WeakMap<object, WeakMap<LedgerContext, Map<string, Batcher>>>();

function batcherFor(db: Kysely<PointsLedgerTables>, context: LedgerContext, scope: TenantScope): Batcher {
  let byContext = batchers.get(db);
  if (!byContext) {
    byContext = new WeakMap();
    batchers.set(db, byContext);
  }
  let byMunicipality = byContext.get(context);
  if (!byMunicipality) {
    byMunicipality = new Map();
    byContext.set(context, byMunicipality);
  }
  let batcher = byMunicipality.get(scope.municipalityCode);
  if (!batcher) {
    batcher = createBatcher(db, context, scope);
    byMunicipality.set(scope.municipalityCode, batcher);
  }
  return batcher;
}

/**
 * Posts a payment's transfer with the other payments of the moment (see createBatcher), and
 * resolves once it is committed. Inside a caller's transaction it is posted there, alone:
 * its commit is the caller's.
 */
export function postPayment(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  item: BatchItem,
): Promise<Transfer> {
  if (db.isTransaction) return postTransfer(db, context, scope, item.request, item.actor);
  return batcherFor(db, context, scope).post(item);
}
