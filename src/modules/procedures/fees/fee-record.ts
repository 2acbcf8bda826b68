import type { Database, LgCode, TenantScope } from '../../../core/index.ts';
import type { FeeState } from './fee-state.ts';
import type { PaymentMethodKind } from './payment-provider.ts';
import type { FeesDb, ProcedureFeesTable } from './tables.ts';

/** Which filing's fee: the municipality comes from the session, never from the request body. */
export interface FeeWhere extends TenantScope {
  readonly submissionId: string;
}

export interface FeeRecord {
  readonly municipalityCode: LgCode;
  readonly submissionId: string;
  readonly procedureId: string;
  /** Who owes it: the filer's opaque id (e.g. `resident:<uuid>`). */
  readonly payer: string;
  readonly amountYen: number;
  readonly state: FeeState;
  readonly attempt: number;
  readonly provider: string | null;
  readonly method: PaymentMethodKind | null;
  readonly providerPaymentId: string | null;
  readonly providerRefundId: string | null;
  readonly declineCode: string | null;
  readonly dueAt: Date;
  readonly paidAt: Date | null;
  readonly refundRequestedAt: Date | null;
  readonly refundedAt: Date | null;
  readonly updatedAt: Date;
}

const dateOrNull = (value: Date | string | null) => (value === null ? null : new Date(value));

export function toFeeRecord(row: ProcedureFeesTable): FeeRecord {
  return {
    municipalityCode: row.municipality_code as LgCode,
    submissionId: row.submission_id,
    procedureId: row.procedure_id,
    payer: row.payer,
    amountYen: row.amount_yen,
    state: row.state,
    attempt: row.attempt,
    provider: row.provider,
    method: row.method,
    providerPaymentId: row.provider_payment_id,
    providerRefundId: row.provider_refund_id,
    declineCode: row.decline_code,
    dueAt: new Date(row.due_at),
    paidAt: dateOrNull(row.paid_at),
    refundRequestedAt: dateOrNull(row.refund_requested_at),
    refundedAt: dateOrNull(row.refunded_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The fee row; with `lock`, locked for the rest of the caller's transaction (one change at a time). */
export async function feeRow(
  db: FeesDb,
  where: FeeWhere,
  lock = false,
): Promise<ProcedureFeesTable | undefined> {
  const query = db
    .selectFrom('procedure_fees')
    .selectAll()
    .where('municipality_code', '=', where.municipalityCode)
    .where('submission_id', '=', where.submissionId);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

/** A filing's fee, or undefined when it owes none. */
export async function getFee(database: Database, where: FeeWhere): Promise<FeeRecord | undefined> {
  const row = await feeRow(database.db as FeesDb, where);
  return row ? toFeeRecord(row) : undefined;
}

export const whereOf = (row: ProcedureFeesTable): FeeWhere => ({
  municipalityCode: row.municipality_code as LgCode,
  submissionId: row.submission_id,
});
