import { type Kysely, sql } from 'kysely';
import { MachiError, type TenantScope, toIsoDate } from '../../../core/index.ts';
import {
  type BatchItem,
  type BatchOutcome,
  type BatchState,
  type BatchWrites,
  type EarlierTransfer,
  type LockedAccount,
  type OpenLot,
  planBatch,
} from './batch-plan.ts';
import { type LedgerContext, transferOf } from './post-transfer.ts';
import type { PointsLedgerTables, PointsTransfersTable } from './tables.ts';

export type { BatchItem, BatchOutcome } from './batch-plan.ts';

/**
 * Posts a batch of transfers inside the caller's transaction `trx`, each decided on its own
 * as postTransfer would decide it (see planBatch), in about eight statements whatever the
 * batch's size: every account the batch touches locked at once, in account order (the order
 * postTransfer's updates take, so neither can deadlock the other); the ids already posted
 * and the debited accounts' open lots read under those locks; then one statement writes every
 * accepted transfer, leg, total, lot and lot use, and one audit append records them all.
 * Answers one outcome per item, in order; a refused item changed nothing. Throws only what
 * is no item's fault (the database, a constraint that caught a planning error): the caller's
 * transaction is then lost, and it should post the items one by one instead.
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
  const legs = items.flatMap((item) => (Array.isArray(item.request.legs) ? item.request.legs : []));
  const accountIds = [...new Set(legs.flatMap((leg) => [leg.debit, leg.credit]))].sort();
  const accounts = await lockAccounts(trx, scope, accountIds);
  const earlier = await earlierTransfers(trx, scope, [
    ...new Set(items.map((item) => item.request.transferId)),
  ]);
  const debited = [...new Set(legs.map((leg) => leg.debit))].filter((id) => accounts.get(id)?.tracksExpiry);
  const today = toIsoDate(now);
  const lots = await openLots(trx, scope, debited, today);
  const state: BatchState = { accounts, lots, earlier, today };
  const plan = planBatch(scope, items, state, now);
  if (plan.writes.transfers.length > 0) {
    await writeBatch(trx, scope, plan.writes, now);
    await context.audit.appendMany(trx, plan.writes.audit);
  }
  return plan.outcomes;
}

async function lockAccounts(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  ids: readonly string[],
): Promise<Map<string, LockedAccount>> {
  const accounts = new Map<string, LockedAccount>();
  if (ids.length === 0) return accounts;
  // Rows are locked in the order they are returned: account order, byte-wise ("C"), which
  // is JavaScript's sort order for these ASCII ids. NO KEY UPDATE is the lock an UPDATE of
  // the totals takes, so foreign-key checks of other transactions are not held up.
  const rows = await sql<{
    account_id: string;
    no_overdraft: boolean;
    tracks_expiry: boolean;
    debits_posted: number | string;
    credits_posted: number | string;
    debits_pending: number | string;
  }>`
    select account_id, no_overdraft, tracks_expiry, debits_posted, credits_posted, debits_pending
    from points_accounts
    where municipality_code = ${scope.municipalityCode} and account_id = any(${ids}::text[])
    order by account_id collate "C"
    for no key update`.execute(trx);
  for (const row of rows.rows) {
    accounts.set(row.account_id, {
      noOverdraft: row.no_overdraft,
      tracksExpiry: row.tracks_expiry,
      debitsPosted: Number(row.debits_posted),
      creditsPosted: Number(row.credits_posted),
      debitsPending: Number(row.debits_pending),
    });
  }
  return accounts;
}

async function earlierTransfers(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  ids: readonly string[],
): Promise<Map<string, EarlierTransfer>> {
  const rows = await trx
    .selectFrom('points_transfers')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('transfer_id', 'in', ids)
    .execute();
  return new Map(
    rows.map((row: PointsTransfersTable) => [
      row.transfer_id,
      { sha256: row.request_sha256, transfer: transferOf(row, false) },
    ]),
  );
}

async function openLots(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  accountIds: readonly string[],
  today: string,
): Promise<Map<string, OpenLot[]>> {
  const lots = new Map<string, OpenLot[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return lots;
  // The order of takeFromLots: earliest expiry first, never-expiring last, then transfer and leg.
  const rows = await trx
    .selectFrom('points_lots')
    .select(['account_id', 'transfer_id', 'leg', 'expires_on', 'remaining'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('account_id', 'in', [...accountIds])
    .where('remaining', '>', 0)
    .where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', today)]))
    .orderBy('account_id')
    .orderBy('expires_on', (order) => order.asc().nullsLast())
    .orderBy('transfer_id')
    .orderBy('leg')
    .execute();
  for (const row of rows) {
    lots.get(row.account_id)?.push({
      transferId: row.transfer_id,
      leg: row.leg,
      expiresOn: row.expires_on,
      remaining: Number(row.remaining),
    });
  }
  return lots;
}

/**
 * Every row of the batch in one statement (data-modifying CTEs, one JSON parameter): a round
 * trip instead of six per transfer. Foreign keys are checked at the statement's end, when
 * the batch's transfers exist. A count that differs from the plan (a transfer id posted
 * meanwhile by someone who did not lock its accounts first) refuses the whole batch.
 */
async function writeBatch(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  writes: BatchWrites,
  now: Date,
): Promise<void> {
  const code = scope.municipalityCode;
  const { transfers, legs, accounts, lotTakes, newLots, lotUses } = writes;
  const json = JSON.stringify({ transfers, legs, accounts, lotTakes, newLots, lotUses });
  const result = await sql<{ transfers: number; accounts: number; lots: number }>`
    with input as (select ${json}::jsonb as j),
    t as (
      insert into points_transfers (municipality_code, transfer_id, code, state, amount,
        request_sha256, details, created_at, timeout_at, settled_at)
      select ${code}, r.transfer_id, r.code, 'posted', r.amount, r.request_sha256, r.details,
        ${now}::timestamptz, null, ${now}::timestamptz
      from input, jsonb_to_recordset(input.j -> 'transfers')
        as r(transfer_id text, code text, amount bigint, request_sha256 text, details jsonb)
      on conflict (municipality_code, transfer_id) do nothing
      returning 1
    ), l as (
      insert into points_legs (municipality_code, transfer_id, leg, debit_account, credit_account, amount, expires_on)
      select ${code}, r.transfer_id, r.leg, r.debit_account, r.credit_account, r.amount, r.expires_on
      from input, jsonb_to_recordset(input.j -> 'legs') as r(transfer_id text, leg smallint,
        debit_account text, credit_account text, amount bigint, expires_on date)
    ), a as (
      update points_accounts p
      set debits_posted = p.debits_posted + r.debits, credits_posted = p.credits_posted + r.credits
      from input, jsonb_to_recordset(input.j -> 'accounts') as r(account_id text, debits bigint, credits bigint)
      where p.municipality_code = ${code} and p.account_id = r.account_id
      returning 1
    ), lt as (
      update points_lots p set remaining = p.remaining - r.taken
      from input, jsonb_to_recordset(input.j -> 'lotTakes') as r(transfer_id text, leg smallint, taken bigint)
      where p.municipality_code = ${code} and p.transfer_id = r.transfer_id and p.leg = r.leg
      returning 1
    ), nl as (
      insert into points_lots (municipality_code, account_id, transfer_id, leg, expires_on, amount, remaining)
      select ${code}, r.account_id, r.transfer_id, r.leg, r.expires_on, r.amount, r.remaining
      from input, jsonb_to_recordset(input.j -> 'newLots') as r(account_id text, transfer_id text,
        leg smallint, expires_on date, amount bigint, remaining bigint)
    ), u as (
      insert into points_lot_uses (municipality_code, transfer_id, leg, lot_transfer_id, lot_leg, amount)
      select ${code}, r.transfer_id, r.leg, r.lot_transfer_id, r.lot_leg, r.amount
      from input, jsonb_to_recordset(input.j -> 'lotUses') as r(transfer_id text, leg smallint,
        lot_transfer_id text, lot_leg smallint, amount bigint)
    )
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
