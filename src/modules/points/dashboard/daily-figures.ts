import { type Kysely, sql } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

/** One Japan-time day of a municipality's points, in whole points. */
export interface DayFigures {
  readonly day: string;
  /** Into residents' accounts: earned, exchanged from partners, bought (with the premium). */
  readonly issued: number;
  /** Out of residents' accounts to merchants: QR payments and shop orders (posted). */
  readonly spent: number;
  /** Back to residents from merchants. */
  readonly refunded: number;
  /** Moved out of residents' accounts when their lots expired. */
  readonly expired: number;
  /** Given to the municipality (寄附). */
  readonly donated: number;
}

export interface PointsFigures {
  readonly days: readonly DayFigures[];
  /** Points residents hold now (posted), and how many residents hold any. */
  readonly outstanding: number;
  readonly holders: number;
}

const ISSUING = ['earning', 'exchange', 'purchase', 'premium', 'adjustment'];

/**
 * A municipality's points day by day from `from` to `to` (inclusive, Japan time), counted from
 * posted transfers by what they did to residents' accounts, and what residents hold now: the
 * figures of the municipality's dashboard. A two-phase transfer counts on the day it posted.
 * Aggregates only: no resident or merchant is named.
 */
export async function dailyFigures(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  range: { readonly from: string; readonly to: string },
): Promise<PointsFigures> {
  const rows = await sql<{
    day: string;
    code: string;
    to_residents: string | null;
    from_residents: string | null;
  }>`
    select to_char((coalesce(t.settled_at, t.created_at) at time zone 'Asia/Tokyo')::date, 'YYYY-MM-DD') as day,
      t.code,
      sum(l.amount) filter (where l.credit_account like 'resident:%') as to_residents,
      sum(l.amount) filter (where l.debit_account like 'resident:%') as from_residents
    from points_transfers t
    join points_legs l on l.municipality_code = t.municipality_code and l.transfer_id = t.transfer_id
    where t.municipality_code = ${scope.municipalityCode} and t.state = 'posted'
      and coalesce(t.settled_at, t.created_at) >= (${range.from}::date)::timestamp at time zone 'Asia/Tokyo'
      and coalesce(t.settled_at, t.created_at) < (${range.to}::date + 1)::timestamp at time zone 'Asia/Tokyo'
    group by 1, 2`.execute(db);
  const byDay = new Map<
    string,
    { issued: number; spent: number; refunded: number; expired: number; donated: number }
  >();
  for (const row of rows.rows) {
    const figures = byDay.get(row.day) ?? { issued: 0, spent: 0, refunded: 0, expired: 0, donated: 0 };
    const into = Number(row.to_residents ?? 0);
    const out = Number(row.from_residents ?? 0);
    if (ISSUING.includes(row.code)) figures.issued += into - out;
    else if (row.code === 'payment' || row.code === 'order') figures.spent += out - into;
    else if (row.code === 'refund') figures.refunded += into - out;
    else if (row.code === 'expiry') figures.expired += out - into;
    else if (row.code === 'donation') figures.donated += out - into;
    byDay.set(row.day, figures);
  }
  const held = await sql<{ outstanding: string | null; holders: string }>`
    select sum(credits_posted - debits_posted) as outstanding,
      count(*) filter (where credits_posted - debits_posted > 0) as holders
    from points_accounts
    where municipality_code = ${scope.municipalityCode} and kind = 'resident'`.execute(db);
  const days = [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, figures]) => ({ day, ...figures }));
  return {
    days,
    outstanding: Number(held.rows[0]?.outstanding ?? 0),
    holders: Number(held.rows[0]?.holders ?? 0),
  };
}
