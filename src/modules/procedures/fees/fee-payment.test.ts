import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../../test/support/database.ts';
import { type Database, verifyAuditChain } from '../../../core/index.ts';
import { confirmFeePayment } from './confirm-fee-payment.ts';
import type { FeeContext } from './fee-context.ts';
import { getFee } from './fee-record.ts';
import { reconcileFees } from './reconcile-fees.ts';
import { recordFeeDue } from './record-fee-due.ts';
import { startFeePayment } from './start-fee-payment.ts';
import { syncFeeEvents } from './sync-fee-events.ts';
import { TEST_AMOUNTS, TEST_CARDS } from './test-provider/scenarios.ts';
import {
  CHIYODA,
  crashAfter,
  dueFee,
  feeAudit,
  feeTestbed,
  providerLedger,
  SAPPORO,
} from './test-support.ts';

let database: Database;
let bed: Awaited<ReturnType<typeof feeTestbed>>;
let context: FeeContext;
const card = (token: string = TEST_CARDS.approved) => ({ kind: 'card', token }) as const;

beforeAll(async () => {
  database = await openTestDatabase();
  bed = await feeTestbed(database);
  context = bed.context();
});
afterAll(async () => {
  await bed?.audit.flush();
  await database?.close();
});

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; declineCode?: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; extensions?: { declineCode?: unknown }; message: string };
    return { code: e.code ?? e.message, declineCode: e.extensions?.declineCode };
  }
  throw new Error('expected an error');
}

describe('recordFeeDue', () => {
  it('records a fee once; the same again is harmless, another amount or a bad amount is refused', async () => {
    const fee = await dueFee(context);
    const again = (amountYen: number) =>
      database.db.transaction().execute((trx) => recordFeeDue(trx, { ...fee, amountYen }, bed.clock.now()));
    await again(2_600);
    expect(await errorOf(again(2_700))).toEqual({ code: 'conflict' });
    for (const amountYen of [0, 1.5, -100]) {
      expect((await errorOf(again(amountYen))).code).toBe('validation-failed');
    }
    expect(await getFee(database, fee)).toMatchObject({ state: 'due', amountYen: 2_600, attempt: 0 });
  });
});

describe('startFeePayment and confirmFeePayment', () => {
  it('happy path: authorise, capture, paid; audited without personal data', async () => {
    const fee = await dueFee(context);
    const started = await startFeePayment(context, { ...fee, method: card() });
    expect(started.fee).toMatchObject({ state: 'pending', attempt: 1, method: 'card', provider: 'test' });
    expect(started.fee.providerPaymentId).toMatch(/^pay_/);
    const confirmed = await confirmFeePayment(context, fee);
    expect(confirmed.fee).toMatchObject({ state: 'paid', providerPaymentId: started.fee.providerPaymentId });
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1, chargedYen: 2_600 });
    // Asked again after it is paid (a reload, a double click): paid, nothing new at the provider.
    expect((await startFeePayment(context, { ...fee, method: card() })).fee.state).toBe('paid');
    expect((await confirmFeePayment(context, fee)).fee.state).toBe('paid');
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1 });

    const audit = await feeAudit(database, fee.submissionId);
    expect(audit.map((a) => a.action)).toEqual(['procedures.fee.payment-started', 'procedures.fee.paid']);
    expect(audit[0]).toMatchObject({ actor: fee.payer, outcome: 'success' });
    expect(audit[1]?.details).toMatchObject({ procedure: fee.procedureId, amountYen: 2_600, method: 'card' });
    const text = JSON.stringify(audit.map((a) => a.details));
    expect(text).not.toContain(TEST_CARDS.approved);
    expect(text).not.toContain(fee.payer);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('decline: the fee fails with the reason, and another card then pays it once', async () => {
    const fee = await dueFee(context);
    expect(
      await errorOf(startFeePayment(context, { ...fee, method: card(TEST_CARDS.insufficientFunds) })),
    ).toEqual({
      code: 'payment-declined',
      declineCode: 'insufficient_funds',
    });
    expect(await getFee(database, fee)).toMatchObject({ state: 'failed', declineCode: 'insufficient_funds' });
    expect((await errorOf(confirmFeePayment(context, fee))).code).toBe('payment-declined');
    const retried = await startFeePayment(context, { ...fee, method: card() });
    expect(retried.fee).toMatchObject({ state: 'pending', attempt: 2, declineCode: null });
    await confirmFeePayment(context, fee);
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 2, charges: 1, chargedYen: 2_600 });
    const actions = (await feeAudit(database, fee.submissionId)).map((a) => `${a.action}:${a.outcome}`);
    expect(actions).toEqual([
      'procedures.fee.payment-started:success',
      'procedures.fee.declined:failure',
      'procedures.fee.payment-started:success',
      'procedures.fee.paid:success',
    ]);
  });

  it('transient failure: retried within the call, or by calling again, gives one charge', async () => {
    // Within the call: every provider call fails once before acting (amount trigger), the retry policy asks again.
    const inCall = await dueFee(context, TEST_AMOUNTS.failOnce);
    await startFeePayment(context, { ...inCall, method: card() });
    expect((await confirmFeePayment(context, inCall)).fee.state).toBe('paid');
    expect(await providerLedger(database, inCall)).toMatchObject({ payments: 1, charges: 1 });

    // No retries: the resident sees payment-unavailable, the fee stays pending, calling again works.
    const patient = bed.context({ retry: { attempts: 1, baseDelayMs: 0, timeoutMs: 5_000 } });
    const fee = await dueFee(context);
    expect(
      (await errorOf(startFeePayment(patient, { ...fee, method: card(TEST_CARDS.failOnce) }))).code,
    ).toBe('payment-unavailable');
    expect(await getFee(database, fee)).toMatchObject({ state: 'pending', providerPaymentId: null });
    await startFeePayment(patient, { ...fee, method: card(TEST_CARDS.failOnce) });
    // The capture fails once as well: the fee stays pending until confirmed again.
    expect((await errorOf(confirmFeePayment(patient, fee))).code).toBe('payment-unavailable');
    expect((await getFee(database, fee))?.state).toBe('pending');
    expect((await confirmFeePayment(patient, fee)).fee.state).toBe('paid');
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1 });
  });

  it('lost answer: the provider acted but did not say so; calling again finds that payment', async () => {
    const noRetry = bed.context({ retry: { attempts: 1, baseDelayMs: 0, timeoutMs: 5_000 } });
    const fee = await dueFee(context);
    const method = card(TEST_CARDS.loseAnswerOnce);
    expect((await errorOf(startFeePayment(noRetry, { ...fee, method }))).code).toBe('payment-unavailable');
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 0 });
    const resumed = await startFeePayment(noRetry, { ...fee, method });
    expect(resumed.fee.attempt).toBe(1);
    // The capture's answer is lost too: confirming again captures nothing new.
    expect((await errorOf(confirmFeePayment(noRetry, fee))).code).toBe('payment-unavailable');
    expect((await confirmFeePayment(noRetry, fee)).fee.state).toBe('paid');
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1 });
  });

  it('a concurrent double start makes one payment; a concurrent double confirm one charge', async () => {
    const fee = await dueFee(context);
    const starts = await Promise.all(
      [1, 2, 3].map(() => startFeePayment(context, { ...fee, method: card() })),
    );
    expect(new Set(starts.map((s) => s.fee.providerPaymentId)).size).toBe(1);
    expect(new Set(starts.map((s) => s.fee.attempt))).toEqual(new Set([1]));
    const confirms = await Promise.all([1, 2].map(() => confirmFeePayment(context, fee)));
    expect(confirms.map((c) => c.fee.state)).toEqual(['paid', 'paid']);
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1 });
    const actions = (await feeAudit(database, fee.submissionId)).map((a) => a.action);
    expect(actions).toEqual(['procedures.fee.payment-started', 'procedures.fee.paid']);
  });

  it('a double start with a new one-time card token on the second click still makes one payment', async () => {
    const fee = await dueFee(context);
    await Promise.all([
      startFeePayment(context, { ...fee, method: card(TEST_CARDS.approved) }),
      startFeePayment(context, { ...fee, method: card(TEST_CARDS.approvedMastercard) }),
    ]);
    await confirmFeePayment(context, fee);
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1 });
  });

  it('crash after the provider created the payment: starting again resumes it, one charge', async () => {
    const fee = await dueFee(context);
    const crashing = bed.context({ provider: crashAfter(bed.provider, 'createPayment') });
    expect((await errorOf(startFeePayment(crashing, { ...fee, method: card() }))).code).toMatch(
      /simulated crash/,
    );
    expect(await getFee(database, fee)).toMatchObject({ state: 'pending', providerPaymentId: null });
    // After the restart the page brings a fresh token: the key still finds the payment made.
    const resumed = await startFeePayment(context, { ...fee, method: card(TEST_CARDS.approvedMastercard) });
    expect(resumed.fee.providerPaymentId).toMatch(/^pay_/);
    await confirmFeePayment(context, fee);
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1 });
  });

  it('crash after the provider captured: reconciliation records it paid, and confirming again charges nothing', async () => {
    const fee = await dueFee(context);
    await startFeePayment(context, { ...fee, method: card() });
    const crashing = bed.context({ provider: crashAfter(bed.provider, 'capturePayment') });
    expect((await errorOf(confirmFeePayment(crashing, fee))).code).toMatch(/simulated crash/);
    expect((await getFee(database, fee))?.state).toBe('pending');
    const report = await reconcileFees(context, { pendingOlderThanMs: 0 });
    expect(report.errors).toBe(0);
    expect(await getFee(database, fee)).toMatchObject({ state: 'paid' });
    expect((await confirmFeePayment(context, fee)).fee.state).toBe('paid');
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1 });
    const audit = await feeAudit(database, fee.submissionId);
    expect(audit.at(-1)).toMatchObject({ action: 'procedures.fee.paid', actor: 'system' });
  });

  it('a slow provider times out; its late payment is found, not made again', async () => {
    const impatient = bed.context({ retry: { attempts: 2, baseDelayMs: 0, timeoutMs: 100 } });
    const fee = await dueFee(context);
    const method = card(TEST_CARDS.slow);
    expect((await errorOf(startFeePayment(impatient, { ...fee, method }))).code).toBe('payment-unavailable');
    await sleep(700); // the calls that timed out finish meanwhile
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1 });
    const resumed = await startFeePayment(context, { ...fee, method });
    expect(resumed.fee.providerPaymentId).toMatch(/^pay_/);
    await confirmFeePayment(context, fee);
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1 });
  });

  it('コンビニ: numbers to pay with; paid at the store, the event marks the fee paid', async () => {
    const fee = await dueFee(context);
    const started = await startFeePayment(context, { ...fee, method: { kind: 'konbini' } });
    expect(started.instructions).toMatchObject({ kind: 'konbini' });
    expect(started.instructions?.kind === 'konbini' && started.instructions.receiptNumber).toMatch(
      /^\d{11}$/,
    );
    expect((await confirmFeePayment(context, fee)).fee.state).toBe('pending');
    // Paying by card while the numbers are out: refused, not a second payment.
    expect((await errorOf(startFeePayment(context, { ...fee, method: card() }))).code).toBe('conflict');
    while ((await syncFeeEvents(context, 50)) === 50) {}
    await bed.provider.simulateCustomerPayment(CHIYODA, started.fee.providerPaymentId!);
    expect(await syncFeeEvents(context)).toBeGreaterThan(0);
    expect(await getFee(database, fee)).toMatchObject({ state: 'paid' });
    expect(await syncFeeEvents(context)).toBe(0);
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 1, charges: 1 });
  });

  it('コンビニ numbers that expire fail the fee; the resident may pay again', async () => {
    const fee = await dueFee(context);
    await startFeePayment(context, { ...fee, method: { kind: 'payeasy' } });
    bed.clock.advance(8 * 86_400_000);
    while ((await syncFeeEvents(context, 50)) === 50) {}
    expect(await getFee(database, fee)).toMatchObject({ state: 'failed', declineCode: 'expired' });
    const again = await startFeePayment(context, { ...fee, method: card() });
    expect(again.fee).toMatchObject({ state: 'pending', attempt: 2 });
  });

  it('only the payer, in their municipality, can pay', async () => {
    const fee = await dueFee(context);
    const stranger = `resident:${randomUUID()}`;
    expect((await errorOf(startFeePayment(context, { ...fee, payer: stranger, method: card() }))).code).toBe(
      'not-found',
    );
    expect(
      (await errorOf(startFeePayment(context, { ...fee, municipalityCode: SAPPORO, method: card() }))).code,
    ).toBe('not-found');
    expect((await errorOf(confirmFeePayment(context, { ...fee, payer: stranger }))).code).toBe('not-found');
    expect(await providerLedger(database, fee)).toMatchObject({ payments: 0 });
  });
});
