import { type Kysely, sql } from 'kysely';
import { parseIsoDate, type TenantScope } from '../../../core/index.ts';
import { accountId } from '../ledger/accounts.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

export interface ReceivedPayment {
  /** The payment's reference (it names no payer). */
  readonly ref: string;
  readonly amount: number;
  readonly reference: string | null;
  readonly paidAt: Date;
  /** Points paid back so far (at most the amount). */
  readonly refunded: number;
}

/**
 * What a merchant received on one day (Japan time): each payment with its refunds, and the
 * day's totals — what the till compares with its own at closing.
 */
export async function merchantDay(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  merchantId: string,
  day: string,
): Promise<{ day: string; payments: ReceivedPayment[]; total: number; refunded: number; net: number }> {
  parseIsoDate(day);
  const merchant = accountId('merchant', merchantId);
  const rows = await sql<{
    ref: string;
    amount: string;
    reference: string | null;
    created_at: Date;
    refunded: string;
  }>`
    select t.details ->> 'ref' as ref, t.amount, t.details ->> 'reference' as reference, t.created_at,
      coalesce((select sum(r.amount) from points_transfers r
        where r.municipality_code = t.municipality_code and r.code = 'refund'
          and r.details ->> 'ref' = t.details ->> 'ref'), 0) as refunded
    from points_transfers t join points_legs l using (municipality_code, transfer_id)
    where t.municipality_code = ${scope.municipalityCode} and t.code = 'payment' and l.credit_account = ${merchant}
      and t.created_at >= (${day}::date)::timestamp at time zone 'Asia/Tokyo'
      and t.created_at < (${day}::date + 1)::timestamp at time zone 'Asia/Tokyo'
    order by t.created_at, t.details ->> 'ref'`.execute(db);
  const payments = rows.rows.map((row) => ({
    ref: row.ref,
    amount: Number(row.amount),
    reference: row.reference,
    paidAt: new Date(row.created_at),
    refunded: Number(row.refunded),
  }));
  const total = payments.reduce((sum, one) => sum + one.amount, 0);
  const refunded = payments.reduce((sum, one) => sum + one.refunded, 0);
  return { day, payments, total, refunded, net: total - refunded };
}
