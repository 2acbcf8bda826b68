import { MachiError } from '../../../../core/index.ts';
import type { CapturePaymentRequest, ProviderPayment } from '../payment-provider.ts';
import { appendEvent } from './events.ts';
import { afterActing, beforeActing } from './faults.ts';
import { conflict, paymentRow, type TestProviderEnv, toPayment } from './rows.ts';

/**
 * Captures an authorised card payment in full (実売上). The payment row is locked, so two
 * captures of one payment run one after the other; the key that captured is kept on the row:
 * the same key again answers with the payment as it is, another key finds it captured already.
 */
export async function captureTestPayment(
  env: TestProviderEnv,
  request: CapturePaymentRequest,
): Promise<ProviderPayment> {
  const { scenario } = await paymentRow(env.db, request.merchant, request.paymentId);
  await beforeActing(env, scenario, request.merchant, request.idempotencyKey, 'capture');
  const payment = await env.db.transaction().execute(async (trx) => {
    const row = await paymentRow(trx, request.merchant, request.paymentId, true);
    if (row.capture_key === request.idempotencyKey) {
      if (request.amountYen !== row.captured_yen) {
        throw conflict('this capture key was used for a different amount.');
      }
      return row;
    }
    if (row.capture_key !== null) throw conflict('the payment is captured already.');
    if (row.status !== 'authorized') throw conflict(`a ${row.status} payment cannot be captured.`);
    if (request.amountYen !== row.amount_yen) {
      throw new MachiError(
        'validation-failed',
        'Test payment provider: capture the whole authorised amount.',
        {
          errors: [{ path: '/amountYen', problem: `must be ${row.amount_yen}` }],
        },
      );
    }
    const now = env.clock.now();
    const captured = await trx
      .updateTable('test_payment_provider_payments')
      .set({
        status: 'succeeded',
        captured_yen: row.amount_yen,
        capture_key: request.idempotencyKey,
        updated_at: now,
      })
      .where('merchant', '=', row.merchant)
      .where('payment_id', '=', row.payment_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvent(trx, now, {
      type: 'payment.succeeded',
      merchant: row.merchant,
      paymentId: row.payment_id,
    });
    return captured;
  });
  await afterActing(env, scenario, request.merchant, request.idempotencyKey, 'capture');
  return toPayment(payment);
}
