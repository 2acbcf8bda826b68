import type { LgCode } from '../../../core/index.ts';
import { applyPayment } from './apply-payment.ts';
import { callProvider } from './call-provider.ts';
import type { FeeContext } from './fee-context.ts';
import { whereOf } from './fee-record.ts';
import { completeFeeRefund } from './refund-fee.ts';
import type { FeesDb } from './tables.ts';

/**
 * Applies the provider's events to the fees they concern — above all a コンビニ / Pay-easy payment
 * made at the store, or numbers that expired — and remembers how far it got. Events are only a
 * hint: the payment is fetched again from the provider and that state is recorded, so a forged,
 * repeated or out-of-order event cannot mark a fee paid. A fee whose payment id was never written
 * (a crash after creating it) is not found here; `reconcileFees` finds it by key. Returns the
 * number of events read (run again while it equals `limit`).
 */
export async function syncFeeEvents(context: FeeContext, limit = 100): Promise<number> {
  const db = context.database.db as FeesDb;
  const { provider } = context;
  const cursor = await db
    .selectFrom('procedure_fee_event_cursors')
    .select('after_cursor')
    .where('provider', '=', provider.id)
    .executeTakeFirst();
  const events = await callProvider(context, () => provider.listEvents(cursor?.after_cursor ?? null, limit));
  for (const event of events) {
    const row = await db
      .selectFrom('procedure_fees')
      .selectAll()
      .where('municipality_code', '=', event.merchant)
      .where('provider', '=', provider.id)
      .where('provider_payment_id', '=', event.paymentId)
      .executeTakeFirst();
    if (row?.state === 'pending') {
      const payment = await callProvider(context, () =>
        provider.getPayment(event.merchant as LgCode, event.paymentId),
      );
      await applyPayment(context, row, payment, 'system');
    } else if (row?.state === 'refunding' && event.type === 'refund.succeeded') {
      await completeFeeRefund(context, whereOf(row));
    }
    const now = context.clock.now();
    await db
      .insertInto('procedure_fee_event_cursors')
      .values({ provider: provider.id, after_cursor: event.cursor, updated_at: now })
      .onConflict((c) => c.column('provider').doUpdateSet({ after_cursor: event.cursor, updated_at: now }))
      .execute();
  }
  return events.length;
}
