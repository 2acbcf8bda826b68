import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import type { PointsLedgerTables } from './tables.ts';

/** Which lots a debit may take: spendable ones (unexpired, earliest expiry first), or only expired ones (the expiry job). */
export type LotChoice = { readonly spendableOn: string } | { readonly expiredBefore: string };

/**
 * Takes `amount` points out of an account's lots and records which lot gave what. The caller
 * holds the account's row lock (its totals were just updated in this transaction), so no one
 * else changes these lots meanwhile. Too few points in the lots chosen refuses the transfer:
 * points past their expiry date cannot be spent even before the job has moved them away.
 */
export async function takeFromLots(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  where: { account: string; transferId: string; leg: number; amount: number },
  choice: LotChoice,
): Promise<void> {
  let query = trx
    .selectFrom('points_lots')
    .select(['transfer_id', 'leg', 'remaining'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('account_id', '=', where.account)
    .where('remaining', '>', 0);
  query =
    'spendableOn' in choice
      ? query.where((eb) => eb.or([eb('expires_on', 'is', null), eb('expires_on', '>=', choice.spendableOn)]))
      : query.where('expires_on', '<', choice.expiredBefore);
  const lots = await query
    .orderBy('expires_on', (order) => order.asc().nullsLast())
    .orderBy('transfer_id')
    .orderBy('leg')
    .execute();
  let left = where.amount;
  const uses: { lot: (typeof lots)[number]; amount: number }[] = [];
  for (const lot of lots) {
    if (left === 0) break;
    const amount = Math.min(left, Number(lot.remaining));
    uses.push({ lot, amount });
    left -= amount;
  }
  if (left > 0) {
    throw new MachiError('points-insufficient', 'Not enough unexpired points for this transfer.');
  }
  for (const { lot, amount } of uses) {
    await trx
      .updateTable('points_lots')
      .set((eb) => ({ remaining: eb('remaining', '-', amount) }))
      .where('municipality_code', '=', scope.municipalityCode)
      .where('transfer_id', '=', lot.transfer_id)
      .where('leg', '=', lot.leg)
      .execute();
  }
  await trx
    .insertInto('points_lot_uses')
    .values(
      uses.map(({ lot, amount }) => ({
        municipality_code: scope.municipalityCode,
        transfer_id: where.transferId,
        leg: where.leg,
        lot_transfer_id: lot.transfer_id,
        lot_leg: lot.leg,
        amount,
      })),
    )
    .execute();
}

/** Gives back what a voided or expired reservation took from lots. */
export async function returnToLots(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  transferId: string,
): Promise<void> {
  const uses = await trx
    .deleteFrom('points_lot_uses')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('transfer_id', '=', transferId)
    .returning(['lot_transfer_id', 'lot_leg', 'amount'])
    .execute();
  for (const use of uses) {
    await trx
      .updateTable('points_lots')
      .set((eb) => ({ remaining: eb('remaining', '+', Number(use.amount)) }))
      .where('municipality_code', '=', scope.municipalityCode)
      .where('transfer_id', '=', use.lot_transfer_id)
      .where('leg', '=', use.lot_leg)
      .execute();
  }
}

/** A posted credit into an account that tracks expiry becomes a lot. */
export async function addLot(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  lot: { account: string; transferId: string; leg: number; amount: number; expiresOn: string | null },
): Promise<void> {
  await trx
    .insertInto('points_lots')
    .values({
      municipality_code: scope.municipalityCode,
      account_id: lot.account,
      transfer_id: lot.transferId,
      leg: lot.leg,
      expires_on: lot.expiresOn,
      amount: lot.amount,
      remaining: lot.amount,
    })
    .execute();
}
