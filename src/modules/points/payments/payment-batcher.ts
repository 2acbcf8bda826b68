import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { batchIds } from '../ledger/batch-sql.ts';
import { type DeferredFlush, deferredFlushOf, EpochGone } from '../ledger/deferred-flush.ts';
import { createKnownAccounts } from '../ledger/known-accounts.ts';
import { learnAccounts, postBatchIfUnchanged } from '../ledger/post-batch-if-unchanged.ts';
import { type LedgerContext, postTransfer, type Transfer } from '../ledger/post-transfer.ts';
import { type BatchItem, type BatchOutcome, postTransferBatch } from '../ledger/post-transfer-batch.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

/**
 * Most payments one transaction carries: bounds how long the batch holds its accounts' rows
 * and the audit chain's lock, and the size of its one write. Reads of accounts not known yet
 * go by the same number.
 */
export const MAX_BATCH = 64;

/**
 * Fewest payments a batch sent behind another carries (see the writer); fewer wait for the one
 * before to be answered. When fewer are ready, the writer is not what payments wait for, and a
 * batch's own cost (a statement, a commit) weighs more than the wait it saves: batches sent
 * behind as soon as one payment was ready left the machine 2–6 % less idle at pgbench's rate.
 */
export const FEWEST_BEHIND = 8;

/**
 * A payment waiting, with the accounts it names and those it debits (none if its legs are
 * malformed: planBatch refuses it), worked out once: every stage asks for them.
 */
interface Waiting {
  readonly item: BatchItem;
  readonly accountIds: readonly string[];
  readonly debitedIds: readonly string[];
  readonly resolve: (transfer: Transfer) => void;
  readonly reject: (error: unknown) => void;
}

interface Batcher {
  post(item: BatchItem): Promise<Transfer>;
}

/**
 * Group commit for payments, in two stages. A payment whose accounts this process knows
 * (createKnownAccounts: their totals, lots and row version, as it last read or wrote them) is
 * ready; the others wait for the reader, which reads the accounts of all that are waiting in
 * one statement and makes them ready. The writer takes the payments ready and writes them
 * together — decided on what is known, in one statement with its audit append and its commit
 * (postBatchIfUnchanged) — instead of each taking the audit chain's lock and committing alone.
 * Given the zone's database, it sends the next batch while the one before is written, behind
 * it on one pipelined connection, so that the server goes from one to the next (writer);
 * otherwise it writes one batch at a time. A batch is made when its turn comes, not before, so
 * a payment waits for little more than the writes under way; reads go on meanwhile. Each
 * caller is answered only after its batch's commit has returned, with its own
 * outcome: a refused payment (too few points, an unknown account) changed nothing and does not
 * hold its neighbours back.
 *
 * A write whose known state was old (another process or transfer changed an account) is
 * refused by its version check, read and decided again; if it fails, it is written under locks,
 * then one by one. Batches of other processes lock their rows in the same account order and
 * then the chain, so they wait for each other but cannot deadlock.
 *
 * With `deferredFlush`, on a PostgreSQL server, a batch written on what is known or read
 * commits without waiting for its WAL flush, so that the next batch may take its locks at
 * once; its payers are answered once a flush after it has returned (deferred-flush.ts). If
 * that flush is not confirmed, the batch is posted again under locks, which by each transfer
 * id posts it once: what was lost is posted, what was kept is found. What this process knows
 * of the accounts belongs to an epoch and is forgotten when the epoch ends.
 */
function createBatcher(db: Kysely<PointsLedgerTables>, context: LedgerContext, scope: TenantScope): Batcher {
  const flush: DeferredFlush | undefined = context.deferredFlush
    ? deferredFlushOf(context.database)
    : undefined;
  /** Whether a batch is sent while the one before it is written (see writer). */
  const overlap = !flush && context.database !== undefined;
  let known = createKnownAccounts();
  /** The epoch `known` was learned in. */
  let knownEpoch: string | undefined;
  /** Payments whose accounts must be read first, and those ready to be written. */
  let unread: Waiting[] = [];
  let ready: Waiting[] = [];
  let reading = false;
  let writing = false;
  /**
   * Accounts debited by the batches being written: read now, they might be read as they were
   * before them. (Those it only credits, a shop's in every payment, may be read: a credit is
   * decided on no balance.)
   */
  const inWrite = new Set<string>();

  const isKnown = (one: Waiting) => known.has(one.accountIds, one.debitedIds);
  /** Whether the reader may read its accounts now (see inWrite). */
  const readable = (one: Waiting) => one.debitedIds.every((id) => !inWrite.has(id));

  async function postOneByOne(batch: readonly Waiting[]): Promise<void> {
    for (const { item, resolve, reject } of batch) {
      try {
        resolve(await postTransfer(db, context, scope, item.request, item.actor));
      } catch (error) {
        reject(error);
      }
    }
  }

  /** The deferred flush's current epoch; what is known of another epoch is forgotten. */
  async function currentEpoch(deferred: DeferredFlush): Promise<string> {
    const epoch = await deferred.epoch();
    if (epoch !== knownEpoch) {
      known = createKnownAccounts();
      knownEpoch = epoch;
    }
    return epoch;
  }

  /**
   * Writes the batch on what is known, unless `onKnown` is false (postBatchIfUnchanged reads
   * what it must); if that failed, under locks (writeLocked).
   */
  async function write(batch: readonly Waiting[], onKnown = true): Promise<void> {
    const items = batch.map((one) => one.item);
    let outcomes: BatchOutcome[] | undefined;
    let epoch: string | undefined;
    try {
      // Without a deferred flush, no await: the batch is sent in this turn, as before it.
      epoch = flush ? await currentEpoch(flush) : undefined;
      outcomes = await postBatchIfUnchanged(db, context, scope, items, onKnown ? known : undefined, epoch);
    } catch (error) {
      // One statement: nothing of it was written (or, if only its answer was lost, all of it
      // was, and the locked way finds its transfers by their ids). The locked way tells.
      if (error instanceof EpochGone) flush?.end(error.epoch);
    }
    if (!outcomes) return writeLocked(batch);
    const answered = outcomes;
    // Answered when this turn of the event loop ends, not at once: by then the writer (its
    // turn comes in this turn's microtasks) has sent the next batch. Each answer writes an
    // HTTP reply to its socket, a system call; answered first, a batch's replies held the
    // next write back (its median time from the commit before to its sending fell from
    // 0.5–0.9 ms to 0.15–0.26 ms in the points benchmark), and PostgreSQL waited for it.
    const answerSoon = () => void setImmediate(() => answer(batch, answered));
    if (!epoch || !flush) return answerSoon();
    // Deferred: answered once durable; if that is not known, the locked way tells what was kept.
    flush.durable(epoch).then(answerSoon, () => void writeLocked(asDecided(batch, answered)));
  }

  /**
   * Writes the batch under locks, in a transaction that waits for its flush; if that failed,
   * one by one. Both append to the audit chain the locked way, so they take this process's
   * turn at it.
   */
  async function writeLocked(batch: readonly Waiting[]): Promise<void> {
    const items = batch.map((one) => one.item);
    // Written so, its accounts change in ways the batcher does not see.
    known.forget(batch.flatMap((one) => one.debitedIds));
    const outcomes = await context.audit.inTurn(async () => {
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
    // Answered when this turn of the event loop ends, as in write.
    if (outcomes) setImmediate(() => answer(batch, outcomes));
  }

  /**
   * The batch, each payment to be answered as `decided` when posted again finds its transfer
   * already there: then the write that decided it was kept, and the payer is told it was
   * posted now, not that it repeats an earlier one.
   */
  function asDecided(batch: readonly Waiting[], decided: readonly BatchOutcome[]): Waiting[] {
    return batch.map((one, index) => {
      const first = decided[index];
      if (!first?.ok || first.transfer.repeated) return one;
      return { ...one, resolve: (transfer) => one.resolve(transfer.repeated ? first.transfer : transfer) };
    });
  }

  function answer(batch: readonly Waiting[], outcomes: readonly BatchOutcome[]): void {
    for (const [index, outcome] of outcomes.entries()) {
      const { resolve, reject } = batch[index] as Waiting;
      if (outcome.ok) resolve(outcome.transfer);
      else reject(outcome.error);
    }
  }

  /**
   * Payments ready that debit none of `busy` (the accounts of the batch being written), at
   * most MAX_BATCH, taken from `ready` in order.
   */
  function takeReady(busy: ReadonlySet<string>): Waiting[] {
    const batch: Waiting[] = [];
    const rest: Waiting[] = [];
    for (const one of ready) {
      const free = batch.length < MAX_BATCH && one.debitedIds.every((id) => !busy.has(id));
      (free ? batch : rest).push(one);
    }
    ready = rest;
    return batch;
  }

  /** A batch sent and not yet answered. */
  interface Sent {
    readonly size: number;
    readonly accounts: ReadonlySet<string>;
    readonly answered: Promise<void>;
  }

  /** Sends the batch's write. */
  function send(batch: readonly Waiting[]): Sent {
    const debited = batch.flatMap((one) => one.debitedIds);
    for (const id of debited) inWrite.add(id);
    const answered = write(batch).finally(() => {
      for (const id of debited) inWrite.delete(id);
      // What the batch wrote is known now: payments waiting to read those accounts need not,
      // and those that waited for its accounts to be read may be.
      sortUnread();
      kick();
    });
    return { size: batch.length, accounts: new Set(batch.flatMap((one) => one.accountIds)), answered };
  }

  /** The writer's wait for `count` payments ready (see kick). */
  let readyWait: { readonly count: number; readonly resolve: () => void } | undefined;
  const readyReaches = (count: number) =>
    new Promise<void>((resolve) => {
      readyWait = { count, resolve };
    });

  /**
   * Writes what is ready until nothing is. Pipelined (`overlap`), the next batch is sent while
   * the one before it is still being written, behind it on the same connection: the server goes
   * from the one's commit to the next without waiting for this process to read the answer and
   * send again (a round trip, and the turn of an event loop busy with HTTP). It is sent when as
   * many payments are ready as the one before carried (and FEWEST_BEHIND), by when, at a
   * steady rate, the one before is about to end, or else when the one before is answered. It
   * holds what is ready then, except payments that debit an account of the one before: decided
   * on what was known before that write, their version check would refuse them.
   */
  async function writer(): Promise<void> {
    // Yield once, so that payments sent in the same tick share the first batch.
    await Promise.resolve();
    let ahead: Sent | undefined;
    for (;;) {
      if (ahead) {
        let answered = false;
        const enough = readyReaches(Math.max(ahead.size, FEWEST_BEHIND));
        await Promise.race([ahead.answered.then(() => (answered = true)), enough]);
        readyWait = undefined;
        if (answered) ahead = undefined;
      }
      const batch = takeReady(ahead?.accounts ?? new Set());
      if (batch.length === 0) {
        if (!ahead) break;
        await ahead.answered;
        ahead = undefined;
        continue;
      }
      const current = send(batch);
      if (!overlap) {
        await current.answered;
        continue;
      }
      // At most two batches in flight: the one before is answered before another is sent.
      await ahead?.answered;
      ahead = current;
    }
    writing = false;
    kick();
  }

  /**
   * Reads the accounts of the payments waiting, a statement at a time, and makes them ready.
   * Not those debited by the batches being written: read before their commit, they would be
   * known as they were before it (its write's version check would catch that, at the cost of a read).
   */
  async function reader(): Promise<void> {
    await Promise.resolve();
    for (;;) {
      const batch: Waiting[] = [];
      const later: Waiting[] = [];
      for (const one of unread) {
        (batch.length < MAX_BATCH && readable(one) ? batch : later).push(one);
      }
      if (batch.length === 0) break;
      unread = later;
      let repeats: ReadonlySet<string> = new Set();
      try {
        repeats = await learnAccounts(
          db,
          context,
          scope,
          batch.map((one) => one.item),
          known,
        );
      } catch {
        // Unread, they go aside (below), in a batch that reads what it must itself.
      }
      // A transfer id posted before, or an account that is not there, goes to a batch of its
      // own that is read and decided afresh: in a batch decided on known state it would send
      // every payment there the slow way (a failed write, or a read in the writer's turn).
      const aside: Waiting[] = [];
      for (const one of batch) {
        (repeats.has(one.item.request.transferId) || !isKnown(one) ? aside : ready).push(one);
      }
      if (aside.length > 0) void write(aside, false);
      kick();
    }
    reading = false;
    kick();
  }

  /** Payments waiting to be read whose accounts are known now: ready. */
  function sortUnread(): void {
    if (unread.length === 0) return;
    const still: Waiting[] = [];
    for (const one of unread) (isKnown(one) ? ready : still).push(one);
    unread = still;
  }

  function kick(): void {
    if (readyWait && ready.length >= readyWait.count) readyWait.resolve();
    if (!writing && ready.length > 0) {
      writing = true;
      // The writer never rejects: each batch's failure is answered to its own callers.
      void writer();
    }
    if (!reading && unread.some(readable)) {
      reading = true;
      void reader();
    }
  }

  return {
    post(item) {
      return new Promise<Transfer>((resolve, reject) => {
        const { accountIds, debitedIds } = batchIds([item]);
        const one = { item, accountIds, debitedIds, resolve, reject };
        (isKnown(one) ? ready : unread).push(one);
        kick();
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
