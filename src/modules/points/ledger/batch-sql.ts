import { type RawBuilder, sql } from 'kysely';
import { arraysOf, fromJsonRows, type JsonRowColumns } from '../../../core/index.ts';
import type { BatchItem, BatchWrites, EarlierTransfer, LockedAccount, OpenLot } from './batch-plan.ts';
import { transferOf } from './post-transfer.ts';
import type { PointsTransfersTable } from './tables.ts';

// The parts of a batch's statements that both ways of posting it share (postTransferBatch
// under locks, postBatchIfUnchanged without them): what a batch reads, and what it writes.

/** JSON of a `json_agg` or `to_json`: parsed by node-postgres, a string from some drivers. */
export const parsedJson = <T>(value: unknown): T =>
  (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** The ids a batch reads by: its accounts and debited accounts (each in account order), its transfers. */
export function batchIds(items: readonly BatchItem[]) {
  const legs = items.flatMap((item) => (Array.isArray(item.request.legs) ? item.request.legs : []));
  return {
    accountIds: [...new Set(legs.flatMap((leg) => [leg.debit, leg.credit]))].sort(),
    debitedIds: [...new Set(legs.map((leg) => leg.debit))].sort(),
    transferIds: [...new Set(items.map((item) => item.request.transferId))],
  };
}

/** An account's row as a batch reads it (bigints may come as strings). */
export interface AccountRow {
  readonly account_id: string;
  readonly no_overdraft: boolean;
  readonly tracks_expiry: boolean;
  readonly debits_posted: number | string;
  readonly credits_posted: number | string;
  readonly debits_pending: number | string;
}

/** The rows by account id, as planBatch decides on them. */
export function accountsOf(rows: readonly AccountRow[]): Map<string, LockedAccount> {
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        noOverdraft: row.no_overdraft,
        tracksExpiry: row.tracks_expiry,
        debitsPosted: Number(row.debits_posted),
        creditsPosted: Number(row.credits_posted),
        debitsPending: Number(row.debits_pending),
      },
    ]),
  );
}

/**
 * Two columns of a select, `earlier` and `lots`: the transfers already posted under the
 * batch's ids, and the open lots of its debited accounts in the order takeFromLots takes them
 * (earliest expiry first, never-expiring last, then transfer and leg).
 */
export function earlierAndLots(
  code: string,
  transferIds: readonly string[],
  debited: readonly string[],
  today: string,
): RawBuilder<unknown> {
  return sql`
    (select coalesce(json_agg(t), '[]') from points_transfers t
      where t.municipality_code = ${code} and t.transfer_id = any(${transferIds}::text[])) as earlier,
    (select coalesce(json_agg(l order by l.account_id, l.expires_on asc nulls last, l.transfer_id, l.leg), '[]')
      from (
        select account_id, transfer_id, leg, expires_on, remaining from points_lots
        where municipality_code = ${code} and account_id = any(${debited}::text[]) and remaining > 0
          and (expires_on is null or expires_on >= ${today}::date)
      ) l) as lots`;
}

/** The `earlier` column, by transfer id. */
export function earlierOf(value: unknown): Map<string, EarlierTransfer> {
  return new Map(
    parsedJson<PointsTransfersTable[]>(value ?? []).map((one) => [
      one.transfer_id,
      { sha256: one.request_sha256, transfer: transferOf(one, false) },
    ]),
  );
}

/** The `lots` column, by account: every one of `debited`, with no lots if it has none. */
export function lotsOf(value: unknown, debited: readonly string[]): Map<string, OpenLot[]> {
  const lots = new Map<string, OpenLot[]>(debited.map((id) => [id, []]));
  for (const lot of parsedJson<
    { account_id: string; transfer_id: string; leg: number; expires_on: string | null; remaining: number }[]
  >(value ?? [])) {
    lots.get(lot.account_id)?.push({
      transferId: lot.transfer_id,
      leg: lot.leg,
      expiresOn: lot.expires_on,
      remaining: Number(lot.remaining),
    });
  }
  return lots;
}

/** The columns of each kind of ledger row a batch writes, as `writesJson` sends them. */
const WRITE_COLUMNS = {
  transfers: [
    ['transfer_id', 'text'],
    ['code', 'text'],
    ['amount', 'bigint'],
    ['request_sha256', 'text'],
    ['details', 'jsonb'],
  ],
  legs: [
    ['transfer_id', 'text'],
    ['leg', 'smallint'],
    ['debit_account', 'text'],
    ['credit_account', 'text'],
    ['amount', 'bigint'],
    ['expires_on', 'date'],
  ],
  accounts: [
    ['account_id', 'text'],
    ['debits', 'bigint'],
    ['credits', 'bigint'],
  ],
  lotTakes: [
    ['transfer_id', 'text'],
    ['leg', 'smallint'],
    ['taken', 'bigint'],
  ],
  newLots: [
    ['account_id', 'text'],
    ['transfer_id', 'text'],
    ['leg', 'smallint'],
    ['expires_on', 'date'],
    ['amount', 'bigint'],
    ['remaining', 'bigint'],
  ],
  lotUses: [
    ['transfer_id', 'text'],
    ['leg', 'smallint'],
    ['lot_transfer_id', 'text'],
    ['lot_leg', 'smallint'],
    ['amount', 'bigint'],
  ],
} as const satisfies Record<string, JsonRowColumns>;

type WriteKind = keyof typeof WRITE_COLUMNS;

/**
 * The ledger rows of a batch as the one JSON parameter `writeRows` reads (`input.j`): for
 * each kind of row, its rows as arrays (json-rows.ts).
 */
export function writesJson(writes: BatchWrites): string {
  const kinds = Object.keys(WRITE_COLUMNS) as WriteKind[];
  return JSON.stringify(
    Object.fromEntries(kinds.map((kind) => [kind, arraysOf(WRITE_COLUMNS[kind], writes[kind])])),
  );
}

/** `input, lateral (…) as r`: the rows of one kind, for a CTE's `from`. */
const rowsOf = (kind: WriteKind) =>
  sql`input, lateral (${fromJsonRows(WRITE_COLUMNS[kind], sql.raw(`input.j -> '${kind}'`))}) as r`;

/**
 * Every row of a batch, as data-modifying CTEs after the statement's `input` CTE (one row,
 * `j`, the writesJson): transfers `t`, legs, account totals `a`, lots taken `lt`, new lots,
 * lot uses, and `audited`, the audit insert the caller links. `t`, `a` and `lt` return a row
 * each, for the caller's counts (a count short of the plan means a row was not written as
 * planned, and the caller must undo the statement); `a`'s rows name their account and its new
 * row version.
 *
 * A transfer id posted meanwhile (by a writer that did not lock these accounts) is refused by
 * the transfers' key (points_transfers_pkey), and with it the whole statement. So a statement
 * that ends has inserted every transfer; the callers count `t` all the same, because that
 * reference has PostgreSQL run the transfers' insert before the legs' (without it, the legs'
 * key was the one to refuse a taken id, in a test). A plain insert,
 * not `on conflict do nothing` and a count: that took each transfer a check of the key before
 * its insert, a lock of its own and one more WAL record. Inserting 16 transfers with it took
 * 0.41–0.54 ms against 0.31–0.34 without (pgbench, one client, commits not waiting for the
 * disk, four rounds alternated): 6–12 µs a payment, in the part of the batch's write that
 * holds the shop's row and the chain's lock.
 */
export function writeRows(code: string, now: Date, audited: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    t as (
      insert into points_transfers (municipality_code, transfer_id, code, state, amount,
        request_sha256, details, created_at, timeout_at, settled_at)
      select ${code}, r.transfer_id, r.code, 'posted', r.amount, r.request_sha256, r.details,
        ${now}::timestamptz, null, ${now}::timestamptz
      from ${rowsOf('transfers')}
      returning 1
    ), l as (
      insert into points_legs (municipality_code, transfer_id, leg, debit_account, credit_account, amount, expires_on)
      select ${code}, r.transfer_id, r.leg, r.debit_account, r.credit_account, r.amount, r.expires_on
      from ${rowsOf('legs')}
    ), a as (
      update points_accounts p
      set debits_posted = p.debits_posted + r.debits, credits_posted = p.credits_posted + r.credits
      from ${rowsOf('accounts')}
      where p.municipality_code = ${code} and p.account_id = r.account_id
      returning p.account_id, p.xmin::text as version
    ), lt as (
      update points_lots p set remaining = p.remaining - r.taken
      from ${rowsOf('lotTakes')}
      where p.municipality_code = ${code} and p.transfer_id = r.transfer_id and p.leg = r.leg
      returning 1
    ), nl as (
      insert into points_lots (municipality_code, account_id, transfer_id, leg, expires_on, amount, remaining)
      select ${code}, r.account_id, r.transfer_id, r.leg, r.expires_on, r.amount, r.remaining
      from ${rowsOf('newLots')}
    ), audited as (
      ${audited}
    ), u as (
      insert into points_lot_uses (municipality_code, transfer_id, leg, lot_transfer_id, lot_leg, amount)
      select ${code}, r.transfer_id, r.leg, r.lot_transfer_id, r.lot_leg, r.amount
      from ${rowsOf('lotUses')}
    )`;
}
