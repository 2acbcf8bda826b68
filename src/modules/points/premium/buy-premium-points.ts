import { type LgCode, MachiError, type TenantScope } from '../../../core/index.ts';
import { createOrFindPayment } from '../../procedures/index.ts';
import { completePurchase } from './complete-purchase.ts';
import type { PremiumDb } from './offers.ts';
import type { PremiumContext } from './premium-context.ts';
import { endedAnswer, type PremiumPurchase } from './purchases.ts';
import { type PremiumPurchaseRequest, reservePurchase } from './reserve-purchase.ts';

/**
 * Buys premium points (プレミアムポイント) by card. First the points and the public premium are
 * reserved for the resident in one transaction (caps and budget checked there, nothing
 * charged if they refuse); then, outside any transaction, the card is authorised and captured
 * under a key fixed with the reservation; then the reservation is posted — the paid points and
 * the premium together — or voided if the card was declined (`payment-declined`).
 *
 * The same purchase id again answers the first purchase: no second charge, no second points.
 * If the provider cannot be reached (`payment-unavailable`) the purchase stays reserved:
 * sending it again is safe, and `settlePremiumPurchases` ends it within minutes either way.
 */
export async function buyPremiumPoints(
  db: PremiumDb,
  context: PremiumContext,
  scope: TenantScope,
  request: PremiumPurchaseRequest,
): Promise<PremiumPurchase> {
  const reservation = await reservePurchase(db, context, scope, request, context.provider.id);
  const repeated = reservation.kind !== 'new';
  if (reservation.kind === 'ended') return endedAnswer(reservation.row, repeated);
  if (reservation.row.provider !== context.provider.id) {
    throw new MachiError('conflict', 'This purchase is being paid through another payment provider.');
  }
  const actor = reservation.row.account_id;
  const { row } = reservation;
  // A retry with a new card token finds the payment made under the key (tokens are one-time).
  const payment = await createOrFindPayment(
    context,
    {
      merchant: row.municipality_code as LgCode,
      idempotencyKey: row.payment_key,
      // What the municipality's staff see in the provider's console: the ledger's transfer names no one.
      orderId: `premium-${row.offer_id}-${row.payment_key.slice(0, 8)}`,
      amountYen: row.amount_yen,
      currency: 'JPY',
      method: request.method,
    },
    repeated,
  );
  const after = await completePurchase(db, context, scope, reservation.row, payment, actor);
  return endedAnswer(after, repeated);
}
