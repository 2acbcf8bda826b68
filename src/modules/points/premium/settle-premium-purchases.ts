import type { LgCode, TenantScope } from '../../../core/index.ts';
import { callProvider } from '../../procedures/index.ts';
import { completePurchase } from './complete-purchase.ts';
import type { PremiumDb, PremiumPurchasesTable } from './offers.ts';
import type { PremiumContext } from './premium-context.ts';
import { endPurchase, markRefunded } from './purchases.ts';

export interface PremiumSettlementReport {
  /** Purchases looked at. */
  readonly checked: number;
  /** Purchases that ended this round (paid, voided, refunded). */
  readonly settled: number;
  /** Purchases the provider could not be asked about this round (left for the next). */
  readonly errors: number;
}

/** How old a reserved purchase must be before the job settles it: the resident's request is over by then. */
export const PREMIUM_SETTLE_AFTER_MS = 60_000;

async function settleReserved(
  db: PremiumDb,
  context: PremiumContext,
  scope: TenantScope,
  row: PremiumPurchasesTable,
): Promise<boolean> {
  const merchant = row.municipality_code as LgCode;
  const paymentId = row.provider_payment_id;
  const payment = await callProvider(context, () =>
    paymentId
      ? context.provider.getPayment(merchant, paymentId)
      : context.provider.findPayment(merchant, row.payment_key),
  );
  const after = payment
    ? await completePurchase(db, context, scope, row, payment, 'system')
    : // Never reached the provider (the request stopped before it): nothing was charged. Only
      // while no payment is written down, so a payment the request made meanwhile is never lost.
      await endPurchase(db, context, scope, row, { outcome: 'void', onlyUncharged: true }, 'system');
  // Refunding is not an end: the money goes back next round.
  return after.state !== 'reserved' && after.state !== 'refunding';
}

async function refund(db: PremiumDb, context: PremiumContext, row: PremiumPurchasesTable): Promise<boolean> {
  const merchant = row.municipality_code as LgCode;
  const paymentId = row.provider_payment_id as string;
  await callProvider(context, () =>
    context.provider.refundPayment({
      merchant,
      paymentId,
      idempotencyKey: `${row.payment_key}:refund`,
      amountYen: row.amount_yen,
    }),
  );
  return (await markRefunded(db, context, row)).state === 'refunded';
}

/**
 * The job (run on a timer in the internet zone) that ends what a lost answer, a provider
 * outage or a crash left half done: each purchase reserved for over a minute is looked up at
 * the provider by its key — captured: posted; authorised: captured, then posted; declined or
 * never made: voided. A purchase whose money came after its reservation lapsed is refunded.
 * It runs long before the ledger's hold (7 days) could lapse. One purchase's trouble does
 * not stop the others; each change is audited with actor `system`.
 */
export async function settlePremiumPurchases(
  db: PremiumDb,
  context: PremiumContext,
  scope: TenantScope,
  options: { olderThanMs?: number; limit?: number } = {},
): Promise<PremiumSettlementReport> {
  const cutoff = new Date(context.clock.now().getTime() - (options.olderThanMs ?? PREMIUM_SETTLE_AFTER_MS));
  const rows = await db
    .selectFrom('points_premium_purchases')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('provider', '=', context.provider.id)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'refunding'),
        eb.and([eb('state', '=', 'reserved'), eb('created_at', '<=', cutoff)]),
      ]),
    )
    .orderBy('created_at')
    .limit(options.limit ?? 100)
    .execute();
  let settled = 0;
  let errors = 0;
  for (const row of rows) {
    try {
      const ended =
        row.state === 'refunding'
          ? await refund(db, context, row)
          : await settleReserved(db, context, scope, row);
      if (ended) settled++;
    } catch {
      errors++;
    }
  }
  return { checked: rows.length, settled, errors };
}
