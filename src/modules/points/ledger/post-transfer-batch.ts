import { type Kysely, sql } from 'kysely';
import { MachiError, type TenantScope, toIsoDate } from '../../../core/index.ts';
import {
  type BatchItem,
  type BatchOutcome,
  type BatchWrites,
  type EarlierTransfer,
  type LockedAccount,
  type OpenLot,
  planBatch,
} from './batch-plan.ts';
import {
  type AccountRow,
  accountsOf,
  batchIds,
  earlierAndLots,
  earlierOf,
  lotsOf,
  writeRows,
  writesJson,
} from './batch-sql.ts';
import type { LedgerContext } from './post-transfer.ts';
import type { PointsLedgerTables } from './tables.ts';

export type { BatchItem, BatchOutcome } from './batch-plan.ts';

/**
 * Posts a batch of transfers inside the caller's transaction `trx`, each decided on its own
 * as postTransfer would decide it (see planBatch), in three statements whatever the batch's
 * size: (1) every account the batch touches locked at once, in account order (the order
 * postTransfer's updates take, so neither can deadlock the other), then the audit chain's
 * lock; (2) under those locks, the ids already posted, the debited accounts' open lots and
 * the chain's head; (3) every accepted transfer, leg, total, lot, lot use and audit entry
 * written. Locks and reads are separate statements because a statement reads what was
 * committed when it started: one that waited for a lock would not see its last holder's
 * rows. Answers one outcome per item, in order; a refused item changed nothing. Throws only
 * what is no item's fault (the database, a constraint that caught a planning error): the
 * caller's transaction is then lost, and it should post the items one by one instead.
 *
 * Posted transfers only, without lot choices (the expiry job's); reservations go one by one.
 */
export async function postTransferBatch(
  trx: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  items: readonly BatchItem[],
): Promise<BatchOutcome[]> {
  if (items.length === 0) return [];
  const now = context.clock.now();
  const { accountIds, debitedIds, transferIds } = batchIds(items);
  const accounts = await lockAccounts(trx, context, scope, accountIds);
  const debited = debitedIds.filter((id) => accounts.get(id)?.tracksExpiry);
  const today = toIsoDate(now);
  const { earlier, lots, head } = await readUnderLocks(trx, context, scope, transferIds, debited, today);
  const plan = planBatch(scope, items, { accounts, lots, earlier, today }, now);
  if (plan.writes.transfers.length > 0) {
    await writeBatch(
      trx,
      scope,
      plan.writes,
      context.audit.chain.link(head, plan.writes.audit),
      context,
      now,
    );
  }
  return plan.outcomes;
}

async function lockAccounts(
  trx: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  ids: readonly string[],
): Promise<Map<string, LockedAccount>> {
  // Rows are locked in the order they are returned: account order, byte-wise ("C"), which
  // is JavaScript's sort order for these ASCII ids. NO KEY UPDATE is the lock an UPDATE of
  // the totals takes, so foreign-key checks of other transactions are not held up. The
  // chain's lock is taken once the rows are (its subquery counts them first): every writer
  // takes it after its rows, so the two cannot deadlock.
  const rows = await sql<AccountRow>`
    with locked as materialized (
      select account_id, no_overdraft, tracks_expiry, debits_posted, credits_posted, debits_pending
      from points_accounts
      where municipality_code = ${scope.municipalityCode} and account_id = any(${ids}::text[])
      order by account_id collate "C"
      for no key update
    ), chain as (select ${context.audit.chain.lock} from (select count(*) from locked) counted)
    select locked.* from locked, chain`.execute(trx);
  return accountsOf(rows.rows);
}

/**
 * What the batch decides on, read in one statement under its locks: the transfers already
 * posted under its ids, the open lots of its debited accounts, and the audit chain's head.
 */
async function readUnderLocks(
  trx: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  transferIds: readonly string[],
  debited: readonly string[],
  today: string,
): Promise<{ earlier: Map<string, EarlierTransfer>; lots: Map<string, OpenLot[]>; head: unknown }> {
  const result = await sql<{ earlier: unknown; lots: unknown; head: unknown }>`
    select ${earlierAndLots(scope.municipalityCode, transferIds, debited, today)},
      ${context.audit.chain.head} as head`.execute(trx);
  const row = result.rows[0];
  return {
    earlier: earlierOf(row?.earlier),
    lots: lotsOf(row?.lots, debited),
    head: row?.head ?? null,
  };
}

/**
 * Every row of the batch in one statement (data-modifying CTEs, one JSON parameter for the
 * ledger and one for the audit entries, linked to the head read under the chain's lock): a
 * round trip instead of six per transfer. A transfer id posted meanwhile (by someone who did
 * not lock its accounts first) is refused by the transfers' key, and a count that differs from
 * the plan refuses the batch: either way nothing of it is written.
 */
async function writeBatch(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  writes: BatchWrites,
  audit: string,
  context: LedgerContext,
  now: Date,
): Promise<void> {
  const { transfers, accounts, lotTakes } = writes;
  const result = await sql<{ transfers: number; accounts: number; lots: number }>`
    with input as (select ${writesJson(writes)}::jsonb as j),
    ${writeRows(scope.municipalityCode, now, context.audit.chain.insert(audit))}
    select (select count(*) from t)::int as transfers, (select count(*) from a)::int as accounts,
      (select count(*) from lt)::int as lots`.execute(trx);
  const counts = result.rows[0];
  if (
    counts?.transfers !== transfers.length ||
    counts.accounts !== accounts.length ||
    counts.lots !== lotTakes.length
  ) {
    throw new MachiError(
      'conflict',
      'The ledger changed under the batch; its transfers are posted one by one.',
    );
  }
}
