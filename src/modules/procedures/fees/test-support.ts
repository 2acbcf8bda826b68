/** Test support shared by the fee tests: a migrated ledger with the test provider, and a crash wrapper. */
import { randomUUID } from 'node:crypto';
import {
  auditMigrations,
  createAuditLog,
  type Database,
  fixedClock,
  type LgCode,
  migrate,
  parseLgCode,
} from '../../../core/index.ts';
import type { FeeContext, RetryPolicy } from './fee-context.ts';
import type { FeeWhere } from './fee-record.ts';
import { feeMigrations } from './migrations.ts';
import type { PaymentProvider } from './payment-provider.ts';
import { recordFeeDue } from './record-fee-due.ts';
import { testPaymentProviderMigrations } from './test-provider/migrations.ts';
import { type TestPaymentProvider, testPaymentProvider } from './test-provider/provider.ts';
import type { TestProviderDb } from './test-provider/tables.ts';

export const CHIYODA: LgCode = parseLgCode('131016');
export const SAPPORO: LgCode = parseLgCode('011002');
/** Quick retries, so tests of transient failures take milliseconds. */
export const FAST_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 5, timeoutMs: 5_000 };

export async function feeTestbed(database: Database, options: { slowMs?: number } = {}) {
  await migrate(database.db, [auditMigrations, feeMigrations, testPaymentProviderMigrations]);
  const clock = fixedClock(new Date('2025-06-02T01:00:00Z'));
  const audit = createAuditLog(database, clock);
  const provider = testPaymentProvider(database, clock, { slowMs: options.slowMs ?? 300 });
  const context = (overrides: Partial<FeeContext> = {}): FeeContext => ({
    database,
    audit,
    clock,
    provider,
    retry: FAST_RETRY,
    ...overrides,
  });
  return { clock, audit, provider, context };
}

/** A filing (fresh ids) that owes `amountYen`, recorded as its submission would record it. */
export async function dueFee(
  context: FeeContext,
  amountYen = 2_600,
): Promise<FeeWhere & { payer: string; procedureId: string }> {
  const due = {
    municipalityCode: CHIYODA,
    submissionId: randomUUID(),
    procedureId: 'vehicle-parking-certificate',
    payer: `resident:${randomUUID()}`,
    amountYen,
  };
  await context.database.db.transaction().execute((trx) => recordFeeDue(trx, due, context.clock.now()));
  return due;
}

/**
 * The provider as a process that dies just after the provider acted: `method` runs for real,
 * then the caller gets an error instead of the answer, as if the process had stopped before
 * writing anything down. `times` calls crash, later ones answer normally.
 */
export function crashAfter(
  provider: TestPaymentProvider,
  method: 'createPayment' | 'capturePayment' | 'refundPayment',
  times = 1,
): PaymentProvider {
  let left = times;
  const wrapped = async (request: never) => {
    const result = await (provider[method] as (r: never) => Promise<unknown>)(request);
    if (left-- > 0) throw new Error(`simulated crash after ${method}`);
    return result;
  };
  return { ...provider, [method]: wrapped };
}

/** What the provider holds for a filing: payments made, charges (captured) and refunds. */
export async function providerLedger(database: Database, where: FeeWhere) {
  const db = database.db as TestProviderDb;
  const payments = await db
    .selectFrom('test_payment_provider_payments')
    .select(['payment_id', 'status', 'captured_yen', 'refunded_yen'])
    .where('merchant', '=', where.municipalityCode)
    .where('order_id', '=', where.submissionId)
    .execute();
  const refunds = await db
    .selectFrom('test_payment_provider_refunds')
    .select(['refund_id', 'amount_yen'])
    .where('merchant', '=', where.municipalityCode)
    .where('payment_id', 'in', ['', ...payments.map((p) => p.payment_id)])
    .execute();
  return {
    payments: payments.length,
    charges: payments.filter((p) => p.captured_yen > 0).length,
    chargedYen: payments.reduce((sum, p) => sum + p.captured_yen, 0),
    refunds: refunds.length,
    refundedYen: refunds.reduce((sum, r) => sum + r.amount_yen, 0),
  };
}

/** The fee's audit entries, oldest first. */
export async function feeAudit(database: Database, submissionId: string) {
  const result = await database.db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'reason', 'outcome', 'details'])
    .where('target', '=', submissionId)
    .orderBy('seq')
    .execute();
  return result as {
    actor: string;
    action: string;
    reason: string | null;
    outcome: string;
    details: unknown;
  }[];
}
