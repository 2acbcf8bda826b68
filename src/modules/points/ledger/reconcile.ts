import { type Kysely, sql } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import type { PointsLedgerTables } from './tables.ts';

export interface Mismatch {
  readonly accountId: string;
  /** Which total disagrees: a posted or pending sum, or the lots of an account that tracks expiry. */
  readonly field: 'debits_posted' | 'credits_posted' | 'debits_pending' | 'credits_pending' | 'lots';
  readonly stored: number;
  readonly recomputed: number;
}

export interface Reconciliation {
  readonly accounts: number;
  readonly transfers: number;
  /** Sum of every account's posted balance: zero in a double-entry ledger. */
  readonly sum: number;
  readonly mismatches: readonly Mismatch[];
  /** Legs whose transfer is not there (none in a whole ledger): they count in no total. */
  readonly strayLegs: number;
}

/** Whether the reconciliation found the ledger whole. */
export const ledgerMatches = (result: Reconciliation): boolean =>
  result.mismatches.length === 0 && result.sum === 0 && result.strayLegs === 0;

/**
 * Recomputes every account's totals from the transfers' legs (posted and pending ones) and
 * its open lots, and compares them with what the accounts hold: the proof that balances
 * are exactly the sum of their transfers. A leg naming an account that does not exist shows
 * as that account holding 0, and one whose transfer is not there is counted apart (no foreign
 * key refuses either: the writers check, migrations 004 and 005).
 */
export async function reconcileLedger(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
): Promise<Reconciliation> {
  const code = scope.municipalityCode;
  const rows = await sql<{
    account_id: string;
    exists: boolean;
    tracks_expiry: boolean;
    debits_posted: string;
    credits_posted: string;
    debits_pending: string;
    credits_pending: string;
    r_debits_posted: string;
    r_credits_posted: string;
    r_debits_pending: string;
    r_credits_pending: string;
    lots: string;
  }>`
    with sides as (
      select l.debit_account as account,
        case when t.state = 'posted' then l.amount else 0 end as dp, 0::bigint as cp,
        case when t.state = 'pending' then l.amount else 0 end as dq, 0::bigint as cq
      from points_legs l join points_transfers t using (municipality_code, transfer_id)
      where l.municipality_code = ${code}
      union all
      select l.credit_account, 0,
        case when t.state = 'posted' then l.amount else 0 end, 0,
        case when t.state = 'pending' then l.amount else 0 end
      from points_legs l join points_transfers t using (municipality_code, transfer_id)
      where l.municipality_code = ${code}
    ), sums as (
      select account, sum(dp) as dp, sum(cp) as cp, sum(dq) as dq, sum(cq) as cq from sides group by account
    ), lots as (
      select account_id, sum(remaining) as remaining from points_lots
      where municipality_code = ${code} group by account_id
    )
    select coalesce(a.account_id, s.account) as account_id, a.account_id is not null as exists,
      coalesce(a.tracks_expiry, false) as tracks_expiry,
      coalesce(a.debits_posted, 0) as debits_posted, coalesce(a.credits_posted, 0) as credits_posted,
      coalesce(a.debits_pending, 0) as debits_pending, coalesce(a.credits_pending, 0) as credits_pending,
      coalesce(s.dp, 0) as r_debits_posted, coalesce(s.cp, 0) as r_credits_posted,
      coalesce(s.dq, 0) as r_debits_pending, coalesce(s.cq, 0) as r_credits_pending,
      coalesce(lots.remaining, 0) as lots
    from (select * from points_accounts where municipality_code = ${code}) a
      -- Full: legs that name an account that is not there count, as an account holding nothing.
      full join sums s on s.account = a.account_id
      left join lots on lots.account_id = a.account_id
    order by 1`.execute(db);
  const mismatches: Mismatch[] = [];
  let sum = 0;
  for (const row of rows.rows) {
    for (const field of ['debits_posted', 'credits_posted', 'debits_pending', 'credits_pending'] as const) {
      const stored = Number(row[field]);
      const recomputed = Number(row[`r_${field}`]);
      if (stored !== recomputed) mismatches.push({ accountId: row.account_id, field, stored, recomputed });
    }
    const spendable = Number(row.credits_posted) - Number(row.debits_posted) - Number(row.debits_pending);
    if (row.tracks_expiry && Number(row.lots) !== spendable) {
      mismatches.push({
        accountId: row.account_id,
        field: 'lots',
        stored: spendable,
        recomputed: Number(row.lots),
      });
    }
    sum += Number(row.credits_posted) - Number(row.debits_posted);
  }
  const counts = await sql<{ transfers: string; stray_legs: string }>`
    select
      (select count(*) from points_transfers where municipality_code = ${code}) as transfers,
      (select count(*) from points_legs l where l.municipality_code = ${code} and not exists (
        select from points_transfers t
        where t.municipality_code = l.municipality_code and t.transfer_id = l.transfer_id
      )) as stray_legs`.execute(db);
  const count = counts.rows[0];
  return {
    accounts: rows.rows.filter((row) => row.exists).length,
    transfers: Number(count?.transfers ?? 0),
    sum,
    mismatches,
    strayLegs: Number(count?.stray_legs ?? 0),
  };
}
