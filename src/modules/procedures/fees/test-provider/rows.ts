import { type Clock, MachiError } from '../../../../core/index.ts';
import type { PaymentInstructions, ProviderPayment, ProviderRefund } from '../payment-provider.ts';
import type { TestPaymentsTable, TestProviderDb, TestRefundsTable } from './tables.ts';

/** What every operation of the test provider works with. */
export interface TestProviderEnv {
  readonly db: TestProviderDb;
  readonly clock: Clock;
  readonly slowMs: number;
  /** Days a resident has to pay コンビニ / Pay-easy numbers (払込期限). */
  readonly paymentWindowDays: number;
}

const date = (value: Date | string) => new Date(value);

function instructionsOf(stored: unknown): PaymentInstructions | null {
  if (stored === null || stored === undefined) return null;
  // jsonb arrives parsed from pg and PGlite alike; a string only if a driver leaves it as text.
  const value = (typeof stored === 'string' ? JSON.parse(stored) : stored) as PaymentInstructions & {
    expiresAt: string;
  };
  return { ...value, expiresAt: new Date(value.expiresAt) };
}

export function toPayment(row: TestPaymentsTable): ProviderPayment {
  return {
    id: row.payment_id,
    merchant: row.merchant,
    idempotencyKey: row.idempotency_key,
    orderId: row.order_id,
    method: row.method,
    amountYen: row.amount_yen,
    capturedYen: row.captured_yen,
    refundedYen: row.refunded_yen,
    status: row.status,
    declineCode: row.decline_code,
    instructions: instructionsOf(row.instructions),
    createdAt: date(row.created_at),
  };
}

export function toRefund(row: TestRefundsTable): ProviderRefund {
  return {
    id: row.refund_id,
    paymentId: row.payment_id,
    idempotencyKey: row.idempotency_key,
    amountYen: row.amount_yen,
    createdAt: date(row.created_at),
  };
}

/** The payment (not-found if none); with `lock`, locked for the rest of the transaction: one operation on it at a time. */
export async function paymentRow(
  db: TestProviderDb,
  merchant: string,
  paymentId: string,
  lock = false,
): Promise<TestPaymentsTable> {
  const query = db
    .selectFrom('test_payment_provider_payments')
    .selectAll()
    .where('merchant', '=', merchant)
    .where('payment_id', '=', paymentId);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'Test payment provider: no such payment.');
  return row;
}

export function conflict(detail: string): MachiError {
  return new MachiError('conflict', `Test payment provider: ${detail}`);
}
