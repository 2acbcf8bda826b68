import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import { type Database, verifyAuditChain } from '../../../core/index.ts';
import { confirmFeePayment } from './confirm-fee-payment.ts';
import type { FeeContext } from './fee-context.ts';
import type { FeeWhere } from './fee-record.ts';
import { getFee } from './fee-record.ts';
import { reconcileFees } from './reconcile-fees.ts';
import { completeFeeRefund, refundFee, requestFeeRefund } from './refund-fee.ts';
import { startFeePayment } from './start-fee-payment.ts';
import { TEST_AMOUNTS, TEST_CARDS } from './test-provider/scenarios.ts';
import { CHIYODA, crashAfter, dueFee, feeAudit, feeTestbed, providerLedger } from './test-support.ts';

let database: Database;
let bed: Awaited<ReturnType<typeof feeTestbed>>;
let context: FeeContext;
const clerk = 'staff:00000000-0000-4000-8000-000000000001';

beforeAll(async () => {
  database = await openTestDatabase();
  bed = await feeTestbed(database);
  context = bed.context();
});
afterAll(async () => {
  await bed?.audit.flush();
  await database?.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  }
  throw new Error('expected an error');
}

/** A filing whose fee is paid by card. */
async function paidFee(amountYen = 2_600): Promise<FeeWhere> {
  const fee = await dueFee(context, amountYen);
  await startFeePayment(context, { ...fee, method: { kind: 'card', token: TEST_CARDS.approved } });
  await confirmFeePayment(context, fee);
  return fee;
}

const rejection = (fee: FeeWhere) => ({ ...fee, actor: clerk, reason: 'rejected' });

describe('refundFee', () => {
  it('refunds a paid fee in full, audited with who and why', async () => {
    const fee = await paidFee();
    const refunded = await refundFee(context, rejection(fee));
    expect(refunded).toMatchObject({ state: 'refunded', amountYen: 2_600 });
    expect(refunded?.providerRefundId).toMatch(/^re_/);
    expect(await providerLedger(database, fee)).toMatchObject({ charges: 1, refunds: 1, refundedYen: 2_600 });
    const audit = (await feeAudit(database, fee.submissionId)).slice(-2);
    expect(audit).toMatchObject([
      { action: 'procedures.fee.refund-requested', actor: clerk, reason: 'rejected' },
      { action: 'procedures.fee.refunded', actor: clerk },
    ]);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('refund twice, one after the other or at once: one refund', async () => {
    const fee = await paidFee();
    const first = await refundFee(context, rejection(fee));
    const second = await refundFee(context, rejection(fee));
    expect(second?.providerRefundId).toBe(first?.providerRefundId);

    const other = await paidFee();
    const together = await Promise.all([1, 2, 3].map(() => refundFee(context, rejection(other))));
    expect(together.map((r) => r?.state)).toEqual(['refunded', 'refunded', 'refunded']);
    expect(new Set(together.map((r) => r?.providerRefundId)).size).toBe(1);
    for (const f of [fee, other]) {
      expect(await providerLedger(database, f)).toMatchObject({ refunds: 1, refundedYen: 2_600 });
      const actions = (await feeAudit(database, f.submissionId)).map((a) => a.action);
      expect(actions.filter((a) => a === 'procedures.fee.refunded')).toHaveLength(1);
    }
  });

  it('crash between the provider refund and our write: refunding again finds that refund', async () => {
    const fee = await paidFee();
    const crashing = bed.context({ provider: crashAfter(bed.provider, 'refundPayment') });
    expect(await codeOf(refundFee(crashing, rejection(fee)))).toMatch(/simulated crash/);
    expect(await getFee(database, fee)).toMatchObject({ state: 'refunding', providerRefundId: null });
    expect(await providerLedger(database, fee)).toMatchObject({ refunds: 1 });
    expect((await refundFee(context, rejection(fee)))?.state).toBe('refunded');
    expect(await providerLedger(database, fee)).toMatchObject({ refunds: 1, refundedYen: 2_600 });
  });

  it('crash after the provider refund: reconciliation completes it, once', async () => {
    const fee = await paidFee();
    const crashing = bed.context({ provider: crashAfter(bed.provider, 'refundPayment') });
    expect(await codeOf(refundFee(crashing, rejection(fee)))).toMatch(/simulated crash/);
    const report = await reconcileFees(context);
    expect(report.errors).toBe(0);
    expect(await getFee(database, fee)).toMatchObject({ state: 'refunded' });
    expect(await reconcileFees(context)).toMatchObject({ settled: 0 });
    expect(await providerLedger(database, fee)).toMatchObject({ refunds: 1 });
    expect((await feeAudit(database, fee.submissionId)).at(-1)).toMatchObject({
      action: 'procedures.fee.refunded',
      actor: 'system',
    });
  });

  it('decided inside another transaction (a gateway handler), made by reconciliation', async () => {
    const fee = await paidFee();
    const decided = await database.db
      .transaction()
      .execute((trx) =>
        requestFeeRefund(context, trx, { ...fee, actor: 'gateway:lgwan', reason: 'rejected' }),
      );
    expect(decided?.state).toBe('refunding');
    expect(await providerLedger(database, fee)).toMatchObject({ refunds: 0 });
    // Rolled back with the decision, nothing is decided.
    const other = await paidFee();
    await database.db
      .transaction()
      .execute(async (trx) => {
        await requestFeeRefund(context, trx, rejection(other));
        throw new Error('the rejection failed');
      })
      .catch(() => {});
    expect((await getFee(database, other))?.state).toBe('paid');
    await reconcileFees(context);
    expect((await getFee(database, fee))?.state).toBe('refunded');
    expect((await getFee(database, other))?.state).toBe('paid');
  });

  it('a provider failing once is asked again with the same key: one refund', async () => {
    const fee = await paidFee(TEST_AMOUNTS.failOnce);
    expect((await refundFee(context, rejection(fee)))?.state).toBe('refunded');
    expect(await providerLedger(database, fee)).toMatchObject({
      refunds: 1,
      refundedYen: TEST_AMOUNTS.failOnce,
    });
    const unavailable = bed.context({ retry: { attempts: 1, baseDelayMs: 0, timeoutMs: 5_000 } });
    const later = await paidFee(TEST_AMOUNTS.failOnce);
    expect(await codeOf(refundFee(unavailable, rejection(later)))).toBe('payment-unavailable');
    expect((await completeFeeRefund(unavailable, later))?.state).toBe('refunded');
    expect(await providerLedger(database, later)).toMatchObject({ refunds: 1 });
  });

  it('コンビニ / Pay-easy cannot be refunded online: the fee is marked for a refund by transfer', async () => {
    const fee = await dueFee(context);
    const started = await startFeePayment(context, { ...fee, method: { kind: 'konbini' } });
    await bed.provider.simulateCustomerPayment(CHIYODA, started.fee.providerPaymentId!);
    expect((await confirmFeePayment(context, fee)).fee.state).toBe('paid');
    expect((await refundFee(context, rejection(fee)))?.state).toBe('refund-manual');
    expect((await refundFee(context, rejection(fee)))?.state).toBe('refund-manual');
    expect(await providerLedger(database, fee)).toMatchObject({ charges: 1, refunds: 0 });
  });

  it('nothing paid: the fee is cancelled, and cannot be paid afterwards; a payment under way is refused', async () => {
    const due = await dueFee(context);
    expect((await refundFee(context, rejection(due)))?.state).toBe('cancelled');
    const card = { kind: 'card', token: TEST_CARDS.approved } as const;
    expect(await codeOf(startFeePayment(context, { ...due, method: card }))).toBe('conflict');
    const pending = await dueFee(context);
    await startFeePayment(context, { ...pending, method: card });
    expect(await codeOf(refundFee(context, rejection(pending)))).toBe('conflict');
    expect((await getFee(database, pending))?.state).toBe('pending');
  });

  it('a filing without a fee has nothing to refund', async () => {
    const none = { municipalityCode: CHIYODA, submissionId: '00000000-0000-4000-8000-000000000000' };
    expect(await refundFee(context, rejection(none))).toBeUndefined();
  });
});
