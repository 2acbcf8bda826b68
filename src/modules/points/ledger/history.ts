import { type Kysely, sql } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import type { PointsLedgerTables, PointsTransfersTable } from './tables.ts';

export interface HistoryEntry {
  readonly transferId: string;
  readonly code: string;
  readonly state: PointsTransfersTable['state'];
  /** What the transfer did to this account: points in (> 0) or out (< 0). */
  readonly change: number;
  readonly details: Readonly<Record<string, string | number | boolean>>;
  readonly createdAt: Date;
}

/**
 * An account's transfers, newest first, each with its net effect on the account (a transfer of
 * several legs, such as a premium purchase, is one line). Pending and voided transfers are
 * listed with their state: a held order shows as held.
 */
export async function historyOf(
  db: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  account: string,
  limit = 50,
): Promise<HistoryEntry[]> {
  const rows = await sql<{
    transfer_id: string;
    code: string;
    state: PointsTransfersTable['state'];
    change: string | number;
    details: string | Record<string, string | number | boolean>;
    created_at: Date;
  }>`
    select t.transfer_id, t.code, t.state, t.details, t.created_at,
      sum(case when l.credit_account = ${account} then l.amount else 0 end)
        - sum(case when l.debit_account = ${account} then l.amount else 0 end) as change
    from points_legs l
    join points_transfers t on t.municipality_code = l.municipality_code and t.transfer_id = l.transfer_id
    where l.municipality_code = ${scope.municipalityCode}
      and (l.debit_account = ${account} or l.credit_account = ${account})
    group by t.transfer_id, t.code, t.state, t.details, t.created_at
    order by t.created_at desc, t.transfer_id desc
    limit ${limit}`.execute(db);
  return rows.rows.map((row) => ({
    transferId: row.transfer_id,
    code: row.code,
    state: row.state,
    change: Number(row.change),
    details: typeof row.details === 'string' ? JSON.parse(row.details) : row.details,
    createdAt: new Date(row.created_at),
  }));
}
