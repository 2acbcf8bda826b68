import type { Clock, Database, LgCode } from '../../../../core/index.ts';
import type { PaymentProvider, ProviderPayment } from '../payment-provider.ts';
import { captureTestPayment } from './capture-payment.ts';
import { createTestPayment } from './create-payment.ts';
import { appendEvent, expireOverdue, listEvents } from './events.ts';
import { refundTestPayment } from './refund-payment.ts';
import { conflict, paymentRow, type TestProviderEnv, toPayment } from './rows.ts';
import type { TestProviderDb } from './tables.ts';

export interface TestPaymentProviderOptions {
  /** How long a `slow` scenario waits before acting (default 3 s). */
  readonly slowMs?: number;
  /** Days to pay コンビニ / Pay-easy numbers (default 7). */
  readonly paymentWindowDays?: number;
}

export interface TestPaymentProvider extends PaymentProvider {
  /** The resident pays コンビニ / Pay-easy numbers at the store: what a sandbox's test console does. */
  simulateCustomerPayment(merchant: LgCode, paymentId: string): Promise<ProviderPayment>;
}

/**
 * The built-in payment provider for demos and tests. It behaves as a real gateway would (see
 * payment-provider.ts), keeps its state in its own tables (testPaymentProviderMigrations) so it
 * survives restarts, and is steered by test card numbers and amounts (scenarios.ts) to decline,
 * fail transiently, lose its answer or be slow. No money moves.
 */
export function testPaymentProvider(
  database: Database,
  clock: Clock,
  options: TestPaymentProviderOptions = {},
): TestPaymentProvider {
  const env: TestProviderEnv = {
    db: database.db as TestProviderDb,
    clock,
    slowMs: options.slowMs ?? 3_000,
    paymentWindowDays: options.paymentWindowDays ?? 7,
  };
  const refundableMethods = ['card'] as const;
  return {
    id: 'test',
    refundableMethods,
    createPayment: (request) => createTestPayment(env, request),
    async getPayment(merchant, paymentId) {
      await expireOverdue(env.db, clock.now());
      return toPayment(await paymentRow(env.db, merchant, paymentId));
    },
    async findPayment(merchant, idempotencyKey) {
      await expireOverdue(env.db, clock.now());
      const row = await env.db
        .selectFrom('test_payment_provider_payments')
        .selectAll()
        .where('merchant', '=', merchant)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      return row ? toPayment(row) : undefined;
    },
    capturePayment: (request) => captureTestPayment(env, request),
    refundPayment: (request) => refundTestPayment(env, request, refundableMethods),
    listEvents: (after, limit) => listEvents(env.db, clock.now(), after, limit),
    async simulateCustomerPayment(merchant, paymentId) {
      const now = clock.now();
      await expireOverdue(env.db, now);
      const paid = await env.db.transaction().execute(async (trx) => {
        const row = await paymentRow(trx, merchant, paymentId, true);
        if (row.status !== 'awaiting-customer') throw conflict(`a ${row.status} payment cannot be paid.`);
        const updated = await trx
          .updateTable('test_payment_provider_payments')
          .set({ status: 'succeeded', captured_yen: row.amount_yen, updated_at: now })
          .where('merchant', '=', merchant)
          .where('payment_id', '=', paymentId)
          .returningAll()
          .executeTakeFirstOrThrow();
        await appendEvent(trx, now, { type: 'payment.succeeded', merchant, paymentId });
        return updated;
      });
      return toPayment(paid);
    },
  };
}
