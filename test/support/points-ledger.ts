import type { PointsLedgerDb } from '../../src/modules/points/index.ts';

/** The ids of the transfers posted under `prefix`, in order: what a test's run left in the ledger. */
export async function transferIdsLike(db: PointsLedgerDb, prefix: string): Promise<string[]> {
  const rows = await db
    .selectFrom('points_transfers')
    .select('transfer_id')
    .where('transfer_id', 'like', `${prefix}%`)
    .orderBy('transfer_id')
    .execute();
  return rows.map((row) => row.transfer_id);
}
