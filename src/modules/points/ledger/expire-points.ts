import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type TenantScope, toIsoDate } from '../../../core/index.ts';
import { lockAccount, openAccount } from './accounts.ts';
import { type LedgerContext, postTransfer } from './post-transfer.ts';
import type { PointsLedgerTables } from './tables.ts';

/**
 * The expiry job: what is left of every lot whose expiry date has passed (in Japan time)
 * moves to the municipality's `expired:points` account, one transfer per account. Each
 * account is locked before its expired lots are summed, so a payment at the same moment
 * either ran first or waits; running the job twice moves nothing the second time.
 */
export async function expirePoints(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
): Promise<{ accounts: number; points: number }> {
  const today = toIsoDate(context.clock.now());
  const due = await db
    .selectFrom('points_lots')
    .select('account_id')
    .distinct()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('remaining', '>', 0)
    .where('expires_on', '<', today)
    .execute();
  let points = 0;
  const expired = await openAccount(db, scope, 'expired', 'points', context.clock.now());
  for (const { account_id: account } of due) {
    points += await db.transaction().execute(async (trx) => {
      await lockAccount(trx, scope, account);
      const sum = await trx
        .selectFrom('points_lots')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('remaining'), sql<number>`0`).as('left'))
        .where('municipality_code', '=', scope.municipalityCode)
        .where('account_id', '=', account)
        .where('remaining', '>', 0)
        .where('expires_on', '<', today)
        .executeTakeFirstOrThrow();
      const amount = Number(sum.left);
      if (amount === 0) return 0;
      await postTransfer(
        trx,
        context,
        scope,
        {
          transferId: `expiry:${today}:${randomUUID()}`,
          code: 'expiry',
          legs: [{ debit: account, credit: expired, amount }],
          details: { before: today },
        },
        'system',
        { lots: { expiredBefore: today } },
      );
      return amount;
    });
  }
  return { accounts: due.length, points };
}
