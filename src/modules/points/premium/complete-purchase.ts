import { type LgCode, MachiError, type TenantScope } from '../../../core/index.ts';
import { callProvider, type ProviderPayment } from '../../procedures/index.ts';
import type { PremiumDb, PremiumPurchasesTable } from './offers.ts';
import type { PremiumContext } from './premium-context.ts';
import { endPurchase, LAPSED, recordPayment } from './purchases.ts';

/** Time enough to capture and post before a hold lapses. */
const CAPTURE_MARGIN_MS = 10 * 60_000;

/** Whether the purchase's ledger hold is still pending and will be for a while yet. */
async function holdLasts(db: PremiumDb, row: PremiumPurchasesTable, now: Date): Promise<boolean> {
  const hold = await db
    .selectFrom('points_transfers')
    .select(['state', 'timeout_at'])
    .where('municipality_code', '=', row.municipality_code)
    .where('transfer_id', '=', row.transfer_id)
    .executeTakeFirst();
  const timeout = hold?.timeout_at ? new Date(hold.timeout_at).getTime() : 0;
  return hold?.state === 'pending' && timeout - now.getTime() > CAPTURE_MARGIN_MS;
}

/**
 * Carries a reserved purchase to its end from what the provider says of its payment:
 * declined → the hold is voided; authorised → written down, captured in full (実売上), then
 * posted (or left uncaptured and voided if the hold is about to lapse); captured → posted. Used by the resident's request and by the settling job alike:
 * the capture key is derived from the purchase's key, so both capturing at once take the
 * money once, and the first to record the outcome wins. Returns the purchase as it now is.
 */
export async function completePurchase(
  db: PremiumDb,
  context: PremiumContext,
  scope: TenantScope,
  row: PremiumPurchasesTable,
  found: ProviderPayment,
  actor: string,
): Promise<PremiumPurchasesTable> {
  if (
    found.idempotencyKey !== row.payment_key ||
    found.amountYen !== row.amount_yen ||
    found.merchant !== row.municipality_code
  ) {
    // Never give points for another payment: that would give them for money not taken.
    throw new MachiError('internal', 'The payment provider answered about another payment.');
  }
  let payment = found;
  switch (payment.status) {
    case 'declined':
    case 'expired':
      return endPurchase(
        db,
        context,
        scope,
        row,
        { outcome: 'void', paymentId: payment.id, declineCode: payment.declineCode ?? payment.status },
        actor,
      );
    case 'authorized': {
      const recorded = await recordPayment(db, row, payment.id, context.clock.now());
      // Given up meanwhile (or ended by another caller): this authorisation is never captured.
      if (recorded.state !== 'reserved' || recorded.provider_payment_id !== payment.id) return recorded;
      if (!(await holdLasts(db, row, context.clock.now()))) {
        // Money taken now might find no points to give: the card is left uncaptured instead.
        const end = { outcome: 'void' as const, paymentId: payment.id, declineCode: LAPSED };
        return endPurchase(db, context, scope, row, end, actor);
      }
      const paymentId = payment.id;
      payment = await callProvider(context, () =>
        context.provider.capturePayment({
          merchant: row.municipality_code as LgCode,
          paymentId,
          idempotencyKey: `${row.payment_key}:capture`,
          amountYen: row.amount_yen,
        }),
      );
      if (payment.status !== 'succeeded') {
        throw new MachiError('conflict', `The captured payment is ${payment.status}; settle it by hand.`);
      }
      return endPurchase(db, context, scope, row, { outcome: 'post', paymentId: payment.id }, actor);
    }
    case 'succeeded':
      return endPurchase(db, context, scope, row, { outcome: 'post', paymentId: payment.id }, actor);
    default:
      // コンビニ numbers or a payment refunded in the provider's console: not a card purchase's way.
      throw new MachiError('conflict', `The payment is ${payment.status}; settle this purchase by hand.`);
  }
}
