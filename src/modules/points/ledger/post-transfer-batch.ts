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
import { type LedgerContext, transferOf } from './post-transfer.ts';
import type { PointsLedgerTables, PointsTransfersTable } from './tables.ts';

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
  const legs = items.flatMap((item) => (Array.isArray(item.request.legs) ? item.request.legs : []));
  const accountIds = [...new Set(legs.flatMap((leg) => [leg.debit, leg.credit]))].sort();
  const accounts = await lockAccounts(trx, context, scope, accountIds);
  const debited = [...new Set(legs.map((leg) => leg.debit))].filter((id) => accounts.get(id)?.tracksExpiry);
  const today = toIsoDate(now);
  const { earlier, lots, head } = await readUnderLocks(
    trx,
    context,
    scope,
    [...new Set(items.map((item) => item.request.transferId))],
    debited,
    today,
  );
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
  const rows = await sql<{
    account_id: string;
    no_overdraft: boolean;
    tracks_expiry: boolean;
    debits_posted: number | string;
    credits_posted: number | string;
    debits_pending: number | string;
  }>`
    with locked as materialized (
      select account_id, no_overdraft, tracks_expiry, debits_posted, credits_posted, debits_pending
      from points_accounts
      where municipality_code = ${scope.municipalityCode} and account_id = any(${ids}::text[])
      order by account_id collate "C"
      for no key update
    ), chain as (select ${context.audit.chain.lock} from (select count(*) from locked) counted)
    select locked.* from locked, chain`.execute(trx);
  const accounts = new Map<string, LockedAccount>();
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

/** JSON of a `json_agg` or `to_json`: parsed by node-postgres, a string from some drivers. */
const parsedJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * What the batch decides on, read in one statement under its locks: the transfers already
 * posted under its ids, the open lots of its debited accounts (in the order takeFromLots
 * takes them: earliest expiry first, never-expiring last, then transfer and leg), and the
 * audit chain's head.
 */
async function readUnderLocks(
  trx: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  transferIds: readonly string[],
  debited: readonly string[],
  today: string,
): Promise<{ earlier: Map<string, EarlierTransfer>; lots: Map<string, OpenLot[]>; head: unknown }> {
  const code = scope.municipalityCode;
  const result = await sql<{ earlier: unknown; lots: unknown; head: unknown }>`
    select
      (select coalesce(json_agg(t), '[]') from points_transfers t
        where t.municipality_code = ${code} and t.transfer_id = any(${transferIds}::text[])) as earlier,
      (select coalesce(json_agg(l order by l.account_id, l.expires_on asc nulls last, l.transfer_id, l.leg), '[]')
        from (
          select account_id, transfer_id, leg, expires_on, remaining from points_lots
          where municipality_code = ${code} and account_id = any(${debited}::text[]) and remaining > 0
            and (expires_on is null or expires_on >= ${today}::date)
        ) l) as lots,
      ${context.audit.chain.head} as head`.execute(trx);
  const row = result.rows[0];
  const earlier = new Map<string, EarlierTransfer>(
    parsedJson<PointsTransfersTable[]>(row?.earlier ?? []).map((one) => [
      one.transfer_id,
      { sha256: one.request_sha256, transfer: transferOf(one, false) },
    ]),
  );
  const lots = new Map<string, OpenLot[]>(debited.map((id) => [id, []]));
  for (const lot of parsedJson<
    { account_id: string; transfer_id: string; leg: number; expires_on: string | null; remaining: number }[]
  >(row?.lots ?? [])) {
    lots.get(lot.account_id)?.push({
      transferId: lot.transfer_id,
      leg: lot.leg,
      expiresOn: lot.expires_on,
      remaining: Number(lot.remaining),
    });
  }
  return { earlier, lots, head: row?.head ?? null };
}

/**
 * Every row of the batch in one statement (data-modifying CTEs, one JSON parameter for the
 * ledger and one for the audit entries, linked to the head read under the chain's lock): a
 * round trip instead of six per transfer. Foreign keys are checked at the statement's end, when
 * the batch's transfers exist. A count that differs from the plan (a transfer id posted
 * meanwhile by someone who did not lock its accounts first) refuses the whole batch.
 */
async function writeBatch(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  writes: BatchWrites,
  audit: string,
  context: LedgerContext,
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
    ), audited as (
      ${context.audit.chain.insert(audit)}
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
