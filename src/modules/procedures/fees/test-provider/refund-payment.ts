import { randomBytes } from 'node:crypto';
import { MachiError } from '../../../../core/index.ts';
import type { ProviderRefund, RefundPaymentRequest } from '../payment-provider.ts';
import { appendEvent } from './events.ts';
import { afterActing, beforeActing } from './faults.ts';
import { conflict, paymentRow, type TestProviderEnv, toRefund } from './rows.ts';

/**
 * Pays back a captured card payment in full, once. Under the payment's lock the key is looked up
 * first (the same key and request again: the same refund), then the payment's state; the unique
 * (merchant, payment_id) of the refunds table is the last guard against a second refund.
 */
export async function refundTestPayment(
  env: TestProviderEnv,
  request: RefundPaymentRequest,
  refundable: readonly string[],
): Promise<ProviderRefund> {
  const { scenario } = await paymentRow(env.db, request.merchant, request.paymentId);
  await beforeActing(env, scenario, request.merchant, request.idempotencyKey, 'refund');
  const refund = await env.db.transaction().execute(async (trx) => {
    const payment = await paymentRow(trx, request.merchant, request.paymentId, true);
    const earlier = await trx
      .selectFrom('test_payment_provider_refunds')
      .selectAll()
      .where('merchant', '=', request.merchant)
      .where('idempotency_key', '=', request.idempotencyKey)
      .executeTakeFirst();
    if (earlier) {
      if (earlier.payment_id !== request.paymentId || earlier.amount_yen !== request.amountYen) {
        throw conflict('this refund key was used for a different refund.');
      }
      return earlier;
    }
    if (!refundable.includes(payment.method)) {
      throw conflict(
        `a ${payment.method} payment cannot be refunded through the provider; refund by transfer.`,
      );
    }
    if (payment.refunded_yen > 0) throw conflict('the payment is refunded already.');
    if (payment.captured_yen === 0) throw conflict('nothing was captured, so nothing can be refunded.');
    if (request.amountYen !== payment.captured_yen) {
      throw new MachiError('validation-failed', 'Test payment provider: refund the whole captured amount.', {
        errors: [{ path: '/amountYen', problem: `must be ${payment.captured_yen}` }],
      });
    }
    const now = env.clock.now();
    const made = await trx
      .insertInto('test_payment_provider_refunds')
      .values({
        merchant: payment.merchant,
        refund_id: `re_${randomBytes(12).toString('hex')}`,
        payment_id: payment.payment_id,
        idempotency_key: request.idempotencyKey,
        amount_yen: request.amountYen,
        created_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('test_payment_provider_payments')
      .set({ status: 'refunded', refunded_yen: request.amountYen, updated_at: now })
      .where('merchant', '=', payment.merchant)
      .where('payment_id', '=', payment.payment_id)
      .execute();
    await appendEvent(trx, now, {
      type: 'refund.succeeded',
      merchant: payment.merchant,
      paymentId: payment.payment_id,
      refundId: made.refund_id,
    });
    return made;
  });
  await afterActing(env, scenario, request.merchant, request.idempotencyKey, 'refund');
  return toRefund(refund);
}
