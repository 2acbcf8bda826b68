import { type Kysely, sql } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { accountId } from '../ledger/accounts.ts';
import { inTransaction, type LedgerContext, postTransfer, type Transfer } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

/**
 * A merchant pays a payment back in full (返金): one transfer from the merchant to the payer,
 * once per payment (its id is derived from the payment's reference), only by the merchant paid.
 * The points return with the latest expiry among the lots the payment took, so a refund never
 * makes points last longer than they would have, nor expire sooner than the last of them.
 */
export async function refundPayment(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  merchantId: string,
  paymentRef: string,
  actor: string,
): Promise<Transfer> {
  const merchant = accountId('merchant', merchantId);
  return inTransaction(db, async (trx) => {
    const found = await sql<{ transfer_id: string }>`
      select transfer_id from points_transfers
      where municipality_code = ${scope.municipalityCode} and code = 'payment' and details ->> 'ref' = ${paymentRef}`.execute(
      trx,
    );
    const paymentTransferId = found.rows[0]?.transfer_id ?? '';
    const payment = await trx
      .selectFrom('points_transfers')
      .innerJoin('points_legs', (join) =>
        join
          .onRef('points_legs.municipality_code', '=', 'points_transfers.municipality_code')
          .onRef('points_legs.transfer_id', '=', 'points_transfers.transfer_id'),
      )
      .select([
        'points_legs.debit_account',
        'points_legs.credit_account',
        'points_legs.amount',
        'points_transfers.code',
      ])
      .where('points_transfers.municipality_code', '=', scope.municipalityCode)
      .where('points_transfers.transfer_id', '=', paymentTransferId)
      .executeTakeFirst();
    if (payment?.code !== 'payment' || payment.credit_account !== merchant) {
      throw new MachiError('not-found', 'No such payment to this merchant.');
    }
    const expiry = await sql<{ latest: string | null; unbounded: boolean }>`
      select max(l.expires_on)::text as latest, bool_or(l.expires_on is null) as unbounded
      from points_lot_uses u join points_lots l
        on l.municipality_code = u.municipality_code and l.transfer_id = u.lot_transfer_id and l.leg = u.lot_leg
      where u.municipality_code = ${scope.municipalityCode} and u.transfer_id = ${paymentTransferId}`.execute(
      trx,
    );
    const row = expiry.rows[0];
    const expiresOn = !row || row.unbounded || row.latest === null ? null : row.latest;
    return postTransfer(
      trx,
      context,
      scope,
      {
        transferId: `refund:${paymentRef}`,
        code: 'refund',
        legs: [{ debit: merchant, credit: payment.debit_account, amount: Number(payment.amount), expiresOn }],
        details: { payment: paymentTransferId, ref: paymentRef, merchant: merchantId },
      },
      actor,
    );
  });
}
