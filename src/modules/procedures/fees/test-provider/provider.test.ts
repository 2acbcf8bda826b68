import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../../test/support/database.ts';
import { type Database, fixedClock, migrate } from '../../../../core/index.ts';
import type { CreatePaymentRequest } from '../payment-provider.ts';
import { paymentProviderSuite } from '../test-payment-provider-suite.ts';
import { CHIYODA } from '../test-support.ts';
import { testPaymentProviderMigrations } from './migrations.ts';
import { type TestPaymentProvider, testPaymentProvider } from './provider.ts';
import { TEST_AMOUNTS, TEST_CARDS } from './scenarios.ts';

let database: Database;
let provider: TestPaymentProvider;
const clock = fixedClock(new Date('2025-06-02T01:00:00Z'));
const SLOW_MS = 300;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db, [testPaymentProviderMigrations]);
  provider = testPaymentProvider(database, clock, { slowMs: SLOW_MS });
});
afterAll(async () => {
  await database?.close();
});

paymentProviderSuite('built-in test provider', () => ({
  provider,
  merchant: CHIYODA,
  cards: { approved: TEST_CARDS.approved, declined: TEST_CARDS.declined },
  payAtStore: async (payment) => {
    await provider.simulateCustomerPayment(CHIYODA, payment.id);
  },
}));

const request = (overrides: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest => ({
  merchant: CHIYODA,
  idempotencyKey: randomUUID(),
  orderId: randomUUID(),
  amountYen: 2_600,
  currency: 'JPY',
  method: { kind: 'card', token: TEST_CARDS.approved },
  ...overrides,
});
const card = (token: string) => ({ kind: 'card', token }) as const;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  throw new Error('expected an error');
}

describe('test provider triggers', () => {
  it('declines by test card, by amount and for a number that fails the Luhn check', async () => {
    const cases: [CreatePaymentRequest, string][] = [
      [request({ method: card(TEST_CARDS.insufficientFunds) }), 'insufficient_funds'],
      [request({ method: card(TEST_CARDS.expired) }), 'expired_card'],
      [request({ method: card('4242424242424241') }), 'invalid_number'],
      [request({ method: { kind: 'konbini' }, amountYen: TEST_AMOUNTS.declined }), 'card_declined'],
    ];
    for (const [made, code] of cases) {
      expect(await provider.createPayment(made)).toMatchObject({ status: 'declined', declineCode: code });
    }
    expect(
      (await provider.createPayment(request({ method: card(TEST_CARDS.approvedMastercard) }))).status,
    ).toBe('authorized');
  });

  it('fails once before acting: nothing is made until asked again with the key', async () => {
    const made = request({ method: card(TEST_CARDS.failOnce) });
    expect(await codeOf(provider.createPayment(made))).toBe('payment-unavailable');
    expect(await provider.findPayment(CHIYODA, made.idempotencyKey)).toBeUndefined();
    const payment = await provider.createPayment(made);
    expect(payment.status).toBe('authorized');
    // Capture and refund fail once too, each under its own key.
    const capture = {
      merchant: CHIYODA,
      paymentId: payment.id,
      idempotencyKey: randomUUID(),
      amountYen: 2_600,
    };
    expect(await codeOf(provider.capturePayment(capture))).toBe('payment-unavailable');
    expect((await provider.getPayment(CHIYODA, payment.id)).capturedYen).toBe(0);
    expect((await provider.capturePayment(capture)).capturedYen).toBe(2_600);
  });

  it('loses its answer once after acting: the key finds what it did', async () => {
    const made = request({ method: { kind: 'payeasy' }, amountYen: TEST_AMOUNTS.loseAnswerOnce });
    expect(await codeOf(provider.createPayment(made))).toBe('payment-unavailable');
    const found = await provider.findPayment(CHIYODA, made.idempotencyKey);
    expect(found).toMatchObject({ status: 'awaiting-customer', instructions: { kind: 'payeasy' } });
    expect((await provider.createPayment(made)).id).toBe(found?.id);
  });

  it('is slow when told to', async () => {
    const started = Date.now();
    await provider.createPayment(request({ method: card(TEST_CARDS.slow) }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 10);
  });

  it('expires unpaid コンビニ numbers after the payment window, with an event', async () => {
    const payment = await provider.createPayment(request({ method: { kind: 'konbini' } }));
    const { cursor } = (await provider.listEvents(null, 10_000)).at(-1)!;
    clock.advance(8 * 86_400_000);
    expect(await provider.getPayment(CHIYODA, payment.id)).toMatchObject({
      status: 'expired',
      declineCode: 'expired',
    });
    expect(await codeOf(provider.simulateCustomerPayment(CHIYODA, payment.id))).toBe('conflict');
    const events = await provider.listEvents(cursor, 100);
    expect(events.filter((e) => e.paymentId === payment.id).map((e) => e.type)).toContain('payment.expired');
  });

  it('refuses コンビニ amounts of 300,000 yen or more', async () => {
    expect(
      await codeOf(provider.createPayment(request({ method: { kind: 'konbini' }, amountYen: 300_000 }))),
    ).toBe('validation-failed');
  });

  it('keeps its state across a restart: a new instance on the same database knows every key', async () => {
    const made = request();
    const payment = await provider.createPayment(made);
    const capture = {
      merchant: CHIYODA,
      paymentId: payment.id,
      idempotencyKey: randomUUID(),
      amountYen: 2_600,
    };
    await provider.capturePayment(capture);
    const refund = { ...capture, idempotencyKey: randomUUID() };
    const refunded = await provider.refundPayment(refund);
    const restarted = testPaymentProvider(database, clock);
    expect((await restarted.createPayment(made)).id).toBe(payment.id);
    expect(await codeOf(restarted.createPayment({ ...made, amountYen: 1 }))).toBe('conflict');
    expect((await restarted.refundPayment(refund)).id).toBe(refunded.id);
    expect(await codeOf(restarted.refundPayment({ ...refund, idempotencyKey: randomUUID() }))).toBe(
      'conflict',
    );
    // A fault injected once stays injected once after a restart.
    const flaky = request({ method: card(TEST_CARDS.failOnce) });
    expect(await codeOf(provider.createPayment(flaky))).toBe('payment-unavailable');
    expect((await restarted.createPayment(flaky)).status).toBe('authorized');
  });
});
