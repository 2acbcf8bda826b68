import { createHash, randomBytes, randomInt } from 'node:crypto';
import { MachiError } from '../../../../core/index.ts';
import type { CreatePaymentRequest, PaymentInstructions, ProviderPayment } from '../payment-provider.ts';
import { appendEvent } from './events.ts';
import { afterActing, beforeActing } from './faults.ts';
import { conflict, type TestProviderEnv, toPayment } from './rows.ts';
import { type Scenario, scenarioOf } from './scenarios.ts';
import type { TestPaymentsTable } from './tables.ts';

// コンビニ payments are capped below 300,000 yen by the store chains (収納代行の上限).
const KONBINI_LIMIT_YEN = 299_999;

const digits = (count: number) => Array.from({ length: count }, () => randomInt(10)).join('');

function checkRequest(request: CreatePaymentRequest): void {
  const problems: { path: string; problem: string }[] = [];
  if (!Number.isSafeInteger(request.amountYen) || request.amountYen < 1) {
    problems.push({ path: '/amountYen', problem: 'must be a positive integer number of yen' });
  }
  if (request.currency !== 'JPY') problems.push({ path: '/currency', problem: 'JPY only' });
  if (request.method.kind === 'konbini' && request.amountYen > KONBINI_LIMIT_YEN) {
    problems.push({ path: '/amountYen', problem: `at most ${KONBINI_LIMIT_YEN} yen at a convenience store` });
  }
  if (!request.idempotencyKey || request.idempotencyKey.length > 255) {
    problems.push({ path: '/idempotencyKey', problem: '1 to 255 characters' });
  }
  if (problems.length > 0) {
    throw new MachiError('validation-failed', 'Test payment provider: the request is not valid.', {
      errors: problems,
    });
  }
}

/** Same key + same request ⇔ same fingerprint. The card token enters only as a hash. */
function fingerprintOf(request: CreatePaymentRequest): string {
  const method = request.method.kind === 'card' ? ['card', request.method.token] : [request.method.kind];
  const canonical = JSON.stringify([
    request.merchant,
    request.orderId,
    request.amountYen,
    request.currency,
    method,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function instructionsFor(request: CreatePaymentRequest, expiresAt: Date): PaymentInstructions | null {
  if (request.method.kind === 'konbini') {
    return { kind: 'konbini', receiptNumber: digits(11), confirmationNumber: digits(4), expiresAt };
  }
  if (request.method.kind === 'payeasy') {
    // 58091: the test provider's own 収納機関番号.
    return {
      kind: 'payeasy',
      collectorNumber: '58091',
      customerNumber: digits(16),
      confirmationNumber: digits(6),
      expiresAt,
    };
  }
  return null;
}

function newRow(env: TestProviderEnv, request: CreatePaymentRequest, scenario: Scenario): TestPaymentsTable {
  const now = env.clock.now();
  const declined = scenario.startsWith('decline:');
  const card = request.method.kind === 'card';
  const expiresAt = new Date(now.getTime() + env.paymentWindowDays * 86_400_000);
  const instructions = declined ? null : instructionsFor(request, expiresAt);
  return {
    merchant: request.merchant,
    payment_id: `pay_${randomBytes(12).toString('hex')}`,
    idempotency_key: request.idempotencyKey,
    request_sha256: fingerprintOf(request),
    order_id: request.orderId,
    method: request.method.kind,
    card_last4: request.method.kind === 'card' ? request.method.token.slice(-4) : null,
    scenario,
    amount_yen: request.amountYen,
    captured_yen: 0,
    refunded_yen: 0,
    status: declined ? 'declined' : card ? 'authorized' : 'awaiting-customer',
    decline_code: declined ? scenario.slice('decline:'.length) : null,
    capture_key: null,
    instructions: instructions ? JSON.stringify(instructions) : null,
    expires_at: instructions ? expiresAt : null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * Authorises a card (仮売上) or issues コンビニ / Pay-easy numbers. The key is claimed by the
 * unique (merchant, idempotency_key) index: of two requests racing with one key, one inserts and
 * the other reads what it inserted; a different request under a used key is a conflict.
 */
export async function createTestPayment(
  env: TestProviderEnv,
  request: CreatePaymentRequest,
): Promise<ProviderPayment> {
  checkRequest(request);
  const scenario = scenarioOf(request);
  await beforeActing(env, scenario, request.merchant, request.idempotencyKey, 'create');
  const row = newRow(env, request, scenario);
  const payment = await env.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('test_payment_provider_payments')
      .values(row)
      .onConflict((c) => c.columns(['merchant', 'idempotency_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const earlier = await trx
        .selectFrom('test_payment_provider_payments')
        .selectAll()
        .where('merchant', '=', request.merchant)
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirstOrThrow();
      if (earlier.request_sha256 !== row.request_sha256) {
        throw conflict('this idempotency key was used for a different request (amount, order or method).');
      }
      return earlier;
    }
    const type =
      inserted.status === 'declined'
        ? 'payment.declined'
        : inserted.status === 'authorized'
          ? 'payment.authorized'
          : 'payment.awaiting-customer';
    await appendEvent(trx, row.created_at, { type, merchant: row.merchant, paymentId: row.payment_id });
    return inserted;
  });
  await afterActing(env, scenario, request.merchant, request.idempotencyKey, 'create');
  return toPayment(payment);
}
