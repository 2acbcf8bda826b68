import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { type LedgerContext, postTransfer, type Transfer } from '../ledger/post-transfer.ts';
import { type BatchItem, type BatchOutcome, postTransferBatch } from '../ledger/post-transfer-batch.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

/**
 * Most payments one transaction carries: bounds how long the batch holds its accounts' rows
 * and the audit chain's lock, and the size of its one write.
 */
export const MAX_BATCH = 64;

/**
 * Batches one process writes at once for a municipality. Two: while one holds its accounts and
 * the audit chain, the next has begun and waits at its lock statement inside PostgreSQL, so it
 * goes on the moment the first commits instead of a few round trips later. More would only
 * queue at the same locks (every payment credits a shop, every batch appends to the chain).
 */
export const LANES = 2;

type Waiting = { item: BatchItem; resolve: (transfer: Transfer) => void; reject: (error: unknown) => void };

interface Batcher {
  post(item: BatchItem): Promise<Transfer>;
}

/**
 * Group commit for payments: the payments of one municipality that arrive while batches are
 * being written wait and go together in the next one — one transaction, one lock of their
 * accounts, one write, one audit append, one commit (postTransferBatch) — instead of each
 * taking the audit chain's lock and committing alone, one after another. A payment that
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

  async function postOneByOne(batch: readonly Waiting[]): Promise<void> {
    for (const { item, resolve, reject } of batch) {
      try {
        resolve(await postTransfer(db, context, scope, item.request, item.actor));
      } catch (error) {
        reject(error);
      }
    }
  }

  async function write(batch: readonly Waiting[]): Promise<void> {
    let outcomes: BatchOutcome[];
    try {
      outcomes = await db.transaction().execute((trx) =>
        postTransferBatch(
          trx,
          context,
          scope,
          batch.map((one) => one.item),
        ),
      );
    } catch {
      // Nothing of the batch is known to be posted (or, if the commit's answer was lost, all
      // of it is): each payment is posted again on its own, which by its transfer id posts
      // once, and each caller gets its own answer or error instead of a stranger's.
      await postOneByOne(batch);
      return;
    }
    for (const [index, outcome] of outcomes.entries()) {
      const { resolve, reject } = batch[index] as Waiting;
      if (outcome.ok) resolve(outcome.transfer);
      else reject(outcome.error);
    }
  }

  /** Writes what is waiting, a batch at a time, until nothing is. */
  async function lane(): Promise<void> {
    // Yield once, so that payments sent in the same tick share the first batch.
    await Promise.resolve();
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(batch.length);
      await write(batch);
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
