import { MachiError } from '../../../core/index.ts';
import { auditFee } from './fee-audit.ts';
import type { FeeContext } from './fee-context.ts';
import { feeRow, whereOf } from './fee-record.ts';
import type { ProviderPayment } from './payment-provider.ts';
import type { FeesDb, ProcedureFeesTable } from './tables.ts';

/**
 * Writes what the provider says of the current attempt's payment into the fee, with its audit
 * entry, in one transaction. Only a fee still pending with that attempt's key is changed: when
 * two callers (a double click, the resident and reconciliation) learn the same outcome, the
 * first one records it and the other finds it recorded. Returns the fee as it now is.
 */
export async function applyPayment(
  context: FeeContext,
  acted: ProcedureFeesTable,
  payment: ProviderPayment,
  actor: string,
): Promise<ProcedureFeesTable> {
  if (
    payment.idempotencyKey !== acted.payment_key ||
    payment.amountYen !== acted.amount_yen ||
    payment.merchant !== acted.municipality_code
  ) {
    // Never book another payment as this fee's: that would mark a filing paid that is not.
    throw new MachiError('internal', 'The payment provider answered about another payment.');
  }
  return context.database.db.transaction().execute(async (trx) => {
    const db = trx as unknown as FeesDb;
    const row = await feeRow(db, whereOf(acted), true);
    if (!row) throw new MachiError('not-found', 'No such fee.');
    if (row.state !== 'pending' || row.payment_key !== acted.payment_key) return row;
    const now = context.clock.now();
    const update = db
      .updateTable('procedure_fees')
      .where('municipality_code', '=', row.municipality_code)
      .where('submission_id', '=', row.submission_id);
    switch (payment.status) {
      case 'authorized':
      case 'awaiting-customer':
        if (row.provider_payment_id === payment.id) return row;
        return update
          .set({ provider_payment_id: payment.id, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
      case 'succeeded': {
        const paid = await update
          .set({ state: 'paid', provider_payment_id: payment.id, paid_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
        await auditFee(context, trx, 'procedures.fee.paid', paid, { actor });
        return paid;
      }
      case 'declined':
      case 'expired': {
        const failed = await update
          .set({
            state: 'failed',
            provider_payment_id: payment.id,
            decline_code: payment.declineCode ?? payment.status,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await auditFee(context, trx, 'procedures.fee.declined', failed, { actor, outcome: 'failure' });
        return failed;
      }
      case 'refunded':
        // Captured and refunded at the provider (its console) before Machi saw it paid.
        throw new MachiError(
          'conflict',
          'The payment was refunded at the provider; settle this fee by hand.',
        );
    }
  });
}

export function declined(row: ProcedureFeesTable): MachiError {
  return new MachiError('payment-declined', 'The payment was declined.', {
    declineCode: row.decline_code,
  });
}
