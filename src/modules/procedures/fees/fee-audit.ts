import type { Kysely } from 'kysely';
import type { LgCode } from '../../../core/index.ts';
import type { FeeContext } from './fee-context.ts';
import type { ProcedureFeesTable } from './tables.ts';

/** The fee's audit events, each with the details it carries. */
export type FeeAuditAction =
  | 'procedures.fee.payment-started'
  | 'procedures.fee.paid'
  | 'procedures.fee.declined'
  | 'procedures.fee.refund-requested'
  | 'procedures.fee.refunded'
  | 'procedures.fee.cancelled';

/**
 * Appends a fee event inside the transaction that makes the change (STYLE 6). Details are the
 * procedure, amount, provider, method and attempt: no card data, no payer name, and none of the
 * コンビニ / Pay-easy numbers (they are as good as a payment slip).
 */
export async function auditFee(
  context: FeeContext,
  // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
  trx: Kysely<any>,
  action: FeeAuditAction,
  fee: ProcedureFeesTable,
  by: { actor: string; reason?: string | undefined; outcome?: 'success' | 'failure' },
): Promise<void> {
  await context.audit.append(trx, {
    municipalityCode: fee.municipality_code as LgCode,
    actor: by.actor,
    action,
    target: fee.submission_id,
    reason: by.reason,
    outcome: by.outcome ?? 'success',
    details: {
      procedure: fee.procedure_id,
      amountYen: fee.amount_yen,
      provider: fee.provider,
      method: fee.method,
      attempt: fee.attempt,
      state: fee.state,
      ...(fee.decline_code ? { declineCode: fee.decline_code } : {}),
    },
  });
}
