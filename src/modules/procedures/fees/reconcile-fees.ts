import { applyPayment } from './apply-payment.ts';
import { paymentOf } from './confirm-fee-payment.ts';
import type { FeeContext } from './fee-context.ts';
import { whereOf } from './fee-record.ts';
import { completeFeeRefund } from './refund-fee.ts';
import type { FeesDb, ProcedureFeesTable } from './tables.ts';

export interface ReconcileReport {
  /** Fees looked at. */
  readonly checked: number;
  /** Fees whose state changed (paid, failed, refunded). */
  readonly settled: number;
  /** Fees the provider could not be asked about this round (left for the next). */
  readonly errors: number;
}

async function reconcilePending(context: FeeContext, row: ProcedureFeesTable): Promise<boolean> {
  const payment = await paymentOf(context, row);
  // Not at the provider: the process stopped before the call. The resident's next start makes it.
  if (!payment) return false;
  // No capture here: an authorised card waits for the resident's confirmation (or expires).
  const after = await applyPayment(context, row, payment, 'system');
  return after.state !== 'pending';
}

/**
 * The periodic repair of what a crash or a lost answer left half done (run it on a timer in the
 * internet zone): every decided refund is made (same key: at most one refund), and every payment
 * pending for longer than `pendingOlderThanMs` is looked up by its key and its outcome recorded.
 * Across municipalities, as a system job; each fee's change is audited with actor `system`.
 */
export async function reconcileFees(
  context: FeeContext,
  options: { pendingOlderThanMs?: number; limit?: number } = {},
): Promise<ReconcileReport> {
  const cutoff = new Date(context.clock.now().getTime() - (options.pendingOlderThanMs ?? 60_000));
  const rows = await (context.database.db as FeesDb)
    .selectFrom('procedure_fees')
    .selectAll()
    .where('provider', '=', context.provider.id)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'refunding'),
        eb.and([eb('state', '=', 'pending'), eb('updated_at', '<=', cutoff)]),
      ]),
    )
    .orderBy('updated_at')
    .limit(options.limit ?? 100)
    .execute();
  let settled = 0;
  let errors = 0;
  for (const row of rows) {
    try {
      const changed =
        row.state === 'refunding'
          ? (await completeFeeRefund(context, whereOf(row)))?.state === 'refunded'
          : await reconcilePending(context, row);
      if (changed) settled++;
    } catch {
      // One fee's trouble (provider down, a conflict to settle by hand) must not stop the others.
      errors++;
    }
  }
  return { checked: rows.length, settled, errors };
}
