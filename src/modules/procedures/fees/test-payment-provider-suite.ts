/**
 * The one suite every PaymentProvider passes (STYLE 9): the built-in test provider now, a real
 * gateway's adapter against its sandbox later. It checks the contract the fee ledger relies on —
 * idempotency keys, full capture and refund only, refund at most once, events — not any
 * provider's own test triggers.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LgCode } from '../../../core/index.ts';
import type { CreatePaymentRequest, PaymentProvider, ProviderPayment } from './payment-provider.ts';

export interface PaymentProviderHarness {
  readonly provider: PaymentProvider;
  readonly merchant: LgCode;
  /** Card tokens the provider approves and declines (its sandbox's test cards). */
  readonly cards: { readonly approved: string; readonly declined: string };
  /** The resident pays コンビニ numbers at the store (the sandbox's test console). */
  payAtStore(payment: ProviderPayment): Promise<void>;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  throw new Error('expected an error');
}

export function paymentProviderSuite(name: string, harness: () => PaymentProviderHarness): void {
  describe(`PaymentProvider contract: ${name}`, () => {
    const card = (h: PaymentProviderHarness, overrides: Partial<CreatePaymentRequest> = {}) =>
      ({
        merchant: h.merchant,
        idempotencyKey: randomUUID(),
        orderId: randomUUID(),
        amountYen: 2_600,
        currency: 'JPY',
        method: { kind: 'card', token: h.cards.approved },
        ...overrides,
      }) satisfies CreatePaymentRequest;

    it('answers the same key and request with the same payment, even at once', async () => {
      const h = harness();
      const request = card(h);
      const first = await h.provider.createPayment(request);
      expect(first).toMatchObject({ status: 'authorized', amountYen: 2_600, capturedYen: 0, method: 'card' });
      const again = await Promise.all([1, 2, 3].map(() => h.provider.createPayment(request)));
      expect(new Set(again.map((p) => p.id))).toEqual(new Set([first.id]));
      expect((await h.provider.findPayment(h.merchant, request.idempotencyKey))?.id).toBe(first.id);
      expect(await h.provider.findPayment(h.merchant, randomUUID())).toBeUndefined();
    });

    it('refuses a used key with another amount or method, and a key racing with two amounts', async () => {
      const h = harness();
      const request = card(h);
      await h.provider.createPayment(request);
      expect(await codeOf(h.provider.createPayment({ ...request, amountYen: 2_700 }))).toBe('conflict');
      expect(await codeOf(h.provider.createPayment({ ...request, method: { kind: 'konbini' } }))).toBe(
        'conflict',
      );
      const racing = card(h);
      const results = await Promise.allSettled([
        h.provider.createPayment(racing),
        h.provider.createPayment({ ...racing, amountYen: 100 }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    });

    it('refuses amounts that are not positive integer yen, and other currencies', async () => {
      const h = harness();
      for (const amountYen of [0, -1, 1.5, Number.NaN]) {
        expect(await codeOf(h.provider.createPayment(card(h, { amountYen })))).toBe('validation-failed');
      }
      const usd = { ...card(h), currency: 'USD' } as unknown as CreatePaymentRequest;
      expect(await codeOf(h.provider.createPayment(usd))).toBe('validation-failed');
    });

    it('keeps a declined payment under its key, declined again when asked again', async () => {
      const h = harness();
      const request = card(h, { method: { kind: 'card', token: h.cards.declined } });
      const declined = await h.provider.createPayment(request);
      expect(declined.status).toBe('declined');
      expect(declined.declineCode).toBeTruthy();
      expect((await h.provider.createPayment(request)).id).toBe(declined.id);
      expect(
        await codeOf(
          h.provider.capturePayment({
            merchant: h.merchant,
            paymentId: declined.id,
            idempotencyKey: randomUUID(),
            amountYen: 2_600,
          }),
        ),
      ).toBe('conflict');
    });

    it('captures in full once; the same capture key again is the same capture', async () => {
      const h = harness();
      const payment = await h.provider.createPayment(card(h));
      const capture = {
        merchant: h.merchant,
        paymentId: payment.id,
        idempotencyKey: randomUUID(),
        amountYen: 2_600,
      };
      expect(await codeOf(h.provider.capturePayment({ ...capture, amountYen: 1_000 }))).toBe(
        'validation-failed',
      );
      const captured = await h.provider.capturePayment(capture);
      expect(captured).toMatchObject({ status: 'succeeded', capturedYen: 2_600 });
      expect(await h.provider.capturePayment(capture)).toMatchObject({
        status: 'succeeded',
        capturedYen: 2_600,
      });
      expect(await codeOf(h.provider.capturePayment({ ...capture, idempotencyKey: randomUUID() }))).toBe(
        'conflict',
      );
      expect((await h.provider.getPayment(h.merchant, payment.id)).capturedYen).toBe(2_600);
    });

    it('refunds only what was captured, in full, never twice', async () => {
      const h = harness();
      const payment = await h.provider.createPayment(card(h));
      const refund = {
        merchant: h.merchant,
        paymentId: payment.id,
        idempotencyKey: randomUUID(),
        amountYen: 2_600,
      };
      expect(await codeOf(h.provider.refundPayment(refund))).toBe('conflict');
      await h.provider.capturePayment({ ...refund, idempotencyKey: randomUUID() });
      expect(await codeOf(h.provider.refundPayment({ ...refund, amountYen: 3_000 }))).toBe(
        'validation-failed',
      );
      const made = await h.provider.refundPayment(refund);
      expect(made).toMatchObject({ paymentId: payment.id, amountYen: 2_600 });
      expect((await h.provider.refundPayment(refund)).id).toBe(made.id);
      expect(await codeOf(h.provider.refundPayment({ ...refund, idempotencyKey: randomUUID() }))).toBe(
        'conflict',
      );
      expect(await h.provider.getPayment(h.merchant, payment.id)).toMatchObject({
        status: 'refunded',
        refundedYen: 2_600,
      });
    });

    it('makes one refund when refunds with different keys race', async () => {
      const h = harness();
      const payment = await h.provider.createPayment(card(h));
      await h.provider.capturePayment({
        merchant: h.merchant,
        paymentId: payment.id,
        idempotencyKey: randomUUID(),
        amountYen: 2_600,
      });
      const results = await Promise.allSettled(
        [1, 2, 3].map(() =>
          h.provider.refundPayment({
            merchant: h.merchant,
            paymentId: payment.id,
            idempotencyKey: randomUUID(),
            amountYen: 2_600,
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('issues コンビニ numbers, reports the payment made at the store, and lists events in order', async () => {
      const h = harness();
      const before = await h.provider.listEvents(null, 10_000);
      const cursor = before.at(-1)?.cursor ?? null;
      const payment = await h.provider.createPayment(card(h, { method: { kind: 'konbini' } }));
      expect(payment.status).toBe('awaiting-customer');
      expect(payment.instructions).toMatchObject({ kind: 'konbini' });
      expect(payment.instructions?.expiresAt.getTime()).toBeGreaterThan(payment.createdAt.getTime());
      await h.payAtStore(payment);
      expect(await h.provider.getPayment(h.merchant, payment.id)).toMatchObject({
        status: 'succeeded',
        capturedYen: 2_600,
      });
      const events = (await h.provider.listEvents(cursor, 100)).filter((e) => e.paymentId === payment.id);
      expect(events.map((e) => e.type)).toEqual(['payment.awaiting-customer', 'payment.succeeded']);
      expect(await h.provider.listEvents(events.at(-1)!.cursor, 100)).toEqual([]);
      if (!h.provider.refundableMethods.includes('konbini')) {
        const refund = {
          merchant: h.merchant,
          paymentId: payment.id,
          idempotencyKey: randomUUID(),
          amountYen: 2_600,
        };
        expect(await codeOf(h.provider.refundPayment(refund))).toBe('conflict');
      }
    });

    it('knows no payment of another merchant', async () => {
      const h = harness();
      const payment = await h.provider.createPayment(card(h));
      expect(await codeOf(h.provider.getPayment('011002' as LgCode, payment.id))).toBe('not-found');
    });
  });
}
