import { type LgCode, MachiError } from '../../../core/index.ts';
import { applyPayment, declined } from './apply-payment.ts';
import { callProvider } from './call-provider.ts';
import type { FeeContext } from './fee-context.ts';
import { type FeeWhere, feeRow, toFeeRecord } from './fee-record.ts';
import type { ProviderPayment } from './payment-provider.ts';
import type { FeePayment } from './start-fee-payment.ts';
import type { FeesDb, ProcedureFeesTable } from './tables.ts';

export interface FeeConfirmRequest extends FeeWhere {
  /** The signed-in filer; omitted when the system confirms (then the audit actor is `system`). */
  readonly payer?: string;
}

/** The current attempt's payment as the provider knows it, or undefined if the provider never got it. */
export async function paymentOf(
  context: FeeContext,
  row: ProcedureFeesTable,
): Promise<ProviderPayment | undefined> {
  const merchant = row.municipality_code as LgCode;
  const paymentId = row.provider_payment_id;
  return paymentId
    ? callProvider(context, () => context.provider.getPayment(merchant, paymentId))
    : callProvider(context, () => context.provider.findPayment(merchant, row.payment_key!));
}

/**
 * Completes the payment of a pending fee: captures an authorised card (実売上), or checks whether
 * the resident has paid the コンビニ / Pay-easy numbers yet (still pending if not). The capture
 * key is derived from the attempt's key, so confirming twice, concurrently or after a crash
 * captures once. Throws `payment-declined` if the attempt was declined or expired.
 */
export async function confirmFeePayment(
  context: FeeContext,
  request: FeeConfirmRequest,
): Promise<FeePayment> {
  const row = await feeRow(context.database.db as FeesDb, request);
  if (!row || (request.payer !== undefined && row.payer !== request.payer)) {
    throw new MachiError('not-found', 'No fee is due for this filing.');
  }
  if (row.state === 'failed') throw declined(row);
  if (row.state === 'due' || row.state === 'cancelled') {
    throw new MachiError('conflict', 'No payment of this fee has been started.');
  }
  if (row.state !== 'pending') return { fee: toFeeRecord(row), instructions: null };
  if (row.provider !== context.provider.id) {
    throw new MachiError('conflict', 'This fee is being paid through another payment provider.');
  }
  let payment = await paymentOf(context, row);
  if (!payment) throw new MachiError('conflict', 'The payment has not reached the provider; start it again.');
  if (payment.status === 'authorized') {
    const paymentId = payment.id;
    payment = await callProvider(context, () =>
      context.provider.capturePayment({
        merchant: row.municipality_code as LgCode,
        paymentId,
        idempotencyKey: `${row.payment_key}:capture`,
        amountYen: row.amount_yen,
      }),
    );
  }
  const after = await applyPayment(context, row, payment, request.payer ?? 'system');
  if (after.state === 'failed') throw declined(after);
  return {
    fee: toFeeRecord(after),
    instructions: after.state === 'pending' ? payment.instructions : null,
  };
}
