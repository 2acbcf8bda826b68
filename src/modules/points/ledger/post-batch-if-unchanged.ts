import { hash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type ChainAppend, type TenantScope, toIsoDate } from '../../../core/index.ts';
import { type BatchItem, type BatchOutcome, type BatchWrites, planBatch } from './batch-plan.ts';
import {
  type AccountRow,
  accountsOf,
  batchIds,
  earlierAndLots,
  earlierOf,
  lotsOf,
  parsedJson,
  writeRows,
  writesJson,
} from './batch-sql.ts';
import { EpochGone } from './deferred-flush.ts';
import type { KnownAccounts, KnownState } from './known-accounts.ts';
import type { LedgerContext } from './post-transfer.ts';
import type { PointsLedgerTables } from './tables.ts';

/** An account as read without its lock, and its row version then (PostgreSQL's `xmin`). */
interface ReadAccount extends AccountRow {
  readonly version: string;
}

/**
 * Posts a batch of transfers as postTransferBatch does, deciding each the same way (planBatch),
 * but without holding a lock while it decides: two statements and no transaction. It reads the
 * accounts, the transfers already posted under the batch's ids and the debited accounts' lots
 * in one statement; then one statement, in this process's turn at the audit chain, locks the
 * accounts (in account order, then the chain, as every writer does), checks that no debited
 * account has changed since the read, and writes every row and audit entry, committed as it
 * ends. A transfer changes its debited accounts' rows (their totals) in the same transaction
 * as their lots, so a row version unchanged means the lots read are still the lots there are.
 *
 * Undefined when a debited account had changed: nothing was written, and the caller posts the
 * batch under locks instead. Throws what the database threw (nothing was written either). A
 * batch that only repeats or refuses writes nothing and answers from what it read.
 *
 * Locks are held for one statement instead of from the read to the commit: batches of one
 * process that debit other accounts read and decide while the one before them is written.
 *
 * With `known` (the accounts this process last read or wrote), a batch whose accounts are all
 * known is decided without the read: one statement, whose version check refuses it if a
 * debited account changed since. It is then read and decided afresh, as is a batch known
 * state would have refused whole (that decision no write checked) and one whose write failed
 * (a transfer id posted before, which only the read finds).
 *
 * With `epoch` (a DeferredFlush's, on PostgreSQL), the write commits without waiting for its
 * WAL flush, and only while the epoch's row is there (else it throws EpochGone, having written
 * nothing): the caller answers its outcomes, written or read, once that epoch's flush says
 * they are durable.
 */
export async function postBatchIfUnchanged(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  items: readonly BatchItem[],
  known?: KnownAccounts,
  epoch?: string,
): Promise<BatchOutcome[] | undefined> {
  if (items.length === 0) return [];
  const now = context.clock.now();
  const today = toIsoDate(now);
  const ids = batchIds(items);
  const cached = known?.stateOf(ids.accountIds, ids.debitedIds, today);
  if (cached) {
    try {
      const outcomes = await decideAndWrite(db, context, scope, items, ids, cached, now, known, epoch);
      // A batch that writes nothing was decided on what may be old (no write checked it).
      if (outcomes?.some((outcome) => outcome.ok && !outcome.transfer.repeated)) return outcomes;
    } catch (error) {
      if (error instanceof EpochGone) throw error;
      // Most likely a transfer id posted before (only a read finds those): nothing was written.
    }
    known?.forget(ids.debitedIds);
  }
  const read = await readBatch(db, scope, ids, today);
  known?.learn(read.state.accounts, read.versions, read.state.lots);
  return decideAndWrite(db, context, scope, items, ids, read, now, known, epoch);
}

/**
 * Reads the accounts of `items` into `known` (one statement), so that a batch of them can be
 * decided without reading. Answers the ids among theirs already posted: a batch decided on
 * known state cannot tell a repeat (its write fails, and it is read and decided afresh).
 */
export async function learnAccounts(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  items: readonly BatchItem[],
  known: KnownAccounts,
): Promise<ReadonlySet<string>> {
  const read = await readBatch(db, scope, batchIds(items), toIsoDate(context.clock.now()));
  known.learn(read.state.accounts, read.versions, read.state.lots);
  return new Set(read.state.earlier.keys());
}

/** The batch's accounts, transfers already posted under its ids and lots, in one statement. */
async function readBatch(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  { accountIds, debitedIds, transferIds }: ReturnType<typeof batchIds>,
  today: string,
): Promise<KnownState> {
  const code = scope.municipalityCode;
  const read = await sql<{ accounts: unknown; earlier: unknown; lots: unknown }>`
    select
      (select coalesce(json_agg(json_build_object('account_id', account_id, 'no_overdraft', no_overdraft,
          'tracks_expiry', tracks_expiry, 'debits_posted', debits_posted, 'credits_posted', credits_posted,
          'debits_pending', debits_pending, 'version', xmin::text)), '[]')
        from points_accounts where municipality_code = ${code} and account_id = any(${accountIds}::text[])
      ) as accounts,
      ${earlierAndLots(code, transferIds, debitedIds, today)}`.execute(db);
  const row = read.rows[0];
  const rows = parsedJson<ReadAccount[]>(row?.accounts ?? []);
  const accounts = accountsOf(rows);
  const debited = debitedIds.filter((id) => accounts.get(id)?.tracksExpiry);
  return {
    state: { accounts, lots: lotsOf(row?.lots, debited), earlier: earlierOf(row?.earlier), today },
    versions: new Map(rows.map((account) => [account.account_id, account.version])),
  };
}

/**
 * Decides the batch on `known` state and writes it, if every debited account is still at
 * the version that state was of: its outcomes, or undefined when one was not.
 */
async function decideAndWrite(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  items: readonly BatchItem[],
  { accountIds, debitedIds }: ReturnType<typeof batchIds>,
  { state, versions }: KnownState,
  now: Date,
  known: KnownAccounts | undefined,
  epoch: string | undefined,
): Promise<BatchOutcome[] | undefined> {
  const plan = planBatch(scope, items, state, now);
  if (plan.writes.transfers.length === 0) return plan.outcomes;
  const code = scope.municipalityCode;
  const found = accountIds.filter((id) => state.accounts.has(id));
  const checked = new Map(
    debitedIds.flatMap((id) => (versions.has(id) ? [[id, versions.get(id) as string]] : [])),
  );
  // Outside a caller's transaction, the write is a prepared statement on the pipelined
  // connection: sent at once, even while the batch before it is still being written.
  const pipeline = db.isTransaction ? undefined : context.database;
  const written = await context.audit.appendWithin(
    plan.writes.audit,
    async (append) => {
      const write = writeIfUnchanged(code, now, plan.writes, found, checked, append, epoch);
      let answer: { posted: boolean; in_epoch: boolean; versions: unknown }[];
      if (pipeline) {
        const compiled = write.compile(db);
        answer = await pipeline.pipelined(statementName(compiled.sql), compiled);
      } else {
        answer = (await write.execute(db)).rows;
      }
      if (epoch && answer[0]?.in_epoch !== true) throw new EpochGone(epoch);
      const posted = answer[0]?.posted === true;
      const versions = posted ? parsedJson<Record<string, string>>(answer[0]?.versions ?? {}) : undefined;
      return { result: versions, appended: posted };
    },
    { pipelined: pipeline !== undefined },
  );
  if (!written) {
    known?.forget(debitedIds);
    return undefined;
  }
  known?.settle(state, debitedIds, checked, new Map(Object.entries(written)));
  return plan.outcomes;
}

/**
 * The write's name as a prepared statement: made from its text, since a name run again on a
 * connection runs the text first prepared under it. The text is the same for every batch
 * (each list is one JSON or array parameter), so PostgreSQL parses and plans it once per
 * connection instead of for every batch, while the batch holds this process's turn at the
 * chain: planning its ten CTEs took about 1 ms, as long as writing ten payments. PostgreSQL
 * keeps the generic plan only where it finds it no dearer than planning anew; statistics
 * that change (autovacuum's analyze) make it plan again.
 */
const statementName = (text: string) => `points_batch_write_${hash('sha256', text).slice(0, 16)}`;

/**
 * The batch's one write. It locks every account the batch read (`locked`, in account order;
 * then the chain's lock) and compares the debited ones' row versions with those read: a locked row
 * is its latest version, even one committed after this statement began. If any differs, or an
 * account is gone, nothing is written and `posted` is false. Otherwise every row is written.
 * A transfer id posted meanwhile, which the versions cannot show, is refused by the transfers'
 * key, and a count that differs from the plan raises: either way the statement, and with it
 * all it wrote, is undone. With an epoch, it also writes nothing unless the epoch's row is
 * there (`in_epoch`), and its commit does not wait for the flush.
 */
function writeIfUnchanged(
  code: string,
  now: Date,
  writes: BatchWrites,
  accountIds: readonly string[],
  versions: ReadonlyMap<string, string>,
  append: ChainAppend,
  epoch: string | undefined,
) {
  // As one object, account id to version: the check is one containment test, where a join
  // of the two lists was a nested loop (PostgreSQL knows neither's size), 64 × 65 comparisons
  // for a full batch, while the batch held the locks.
  const expected = JSON.stringify(Object.fromEntries(versions));
  // `set_config(…, true)` lasts to the end of the statement's transaction, its commit.
  const deferred = epoch
    ? sql`exists (select 1 from points_flush_epochs where epoch = ${epoch}::uuid)
        and set_config('synchronous_commit', 'off', true) = 'off'`
    : sql`true`;
  return sql<{ posted: boolean; in_epoch: boolean; versions: unknown }>`
    with locked as materialized (
      select account_id, xmin::text as version from points_accounts
      where municipality_code = ${code} and account_id = any(${accountIds}::text[])
      order by account_id collate "C"
      for no key update
    ), guard as (
      select (select count(*) from locked) = ${accountIds.length} and coalesce(
        (select jsonb_object_agg(account_id, version) from locked) @> ${expected}::jsonb, false
      ) as unchanged, ${deferred} as in_epoch
    ), chain_lock as (select unchanged and in_epoch as unchanged, ${append.lock} from guard),
    input as (select ${writesJson(writes)}::jsonb as j from chain_lock where unchanged),
    ${writeRows(code, now, append.insert(sql`(select unchanged from chain_lock)`))}
    select case
      when not (select unchanged from chain_lock) then false
      when (select count(*) from t) = ${writes.transfers.length}
        and (select count(*) from a) = ${writes.accounts.length}
        and (select count(*) from lt) = ${writes.lotTakes.length} then true
      else points_batch_refused('the ledger changed under the batch')
    end as posted,
    (select in_epoch from guard) as in_epoch,
    (select jsonb_object_agg(account_id, version) from a) as versions`;
}
