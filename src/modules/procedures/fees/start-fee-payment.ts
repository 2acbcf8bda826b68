import { randomUUID } from 'node:crypto';
import { type LgCode, MachiError } from '../../../core/index.ts';
import { applyPayment, declined } from './apply-payment.ts';
import { createOrFindPayment } from './call-provider.ts';
import { auditFee } from './fee-audit.ts';
import type { FeeContext } from './fee-context.ts';
import { type FeeRecord, type FeeWhere, feeRow, toFeeRecord } from './fee-record.ts';
import type { PaymentInstructions, PaymentMethod } from './payment-provider.ts';
import type { FeesDb, ProcedureFeesTable } from './tables.ts';

export interface FeePaymentRequest extends FeeWhere {
  /** The signed-in filer: only they may pay their filing's fee. */
  readonly payer: string;
  readonly method: PaymentMethod;
}

export interface FeePayment {
  readonly fee: FeeRecord;
  /** While a コンビニ / Pay-easy payment waits for the resident: the numbers to pay with. */
  readonly instructions: PaymentInstructions | null;
}

type Begun = { kind: 'settled' | 'new' | 'resumed'; row: ProcedureFeesTable };

/** Locks the fee and decides: nothing to do, a new attempt (its key written now), or the attempt under way. */
async function begin(context: FeeContext, request: FeePaymentRequest): Promise<Begun> {
  return context.database.db.transaction().execute(async (trx) => {
    const db = trx as unknown as FeesDb;
    const row = await feeRow(db, request, true);
    if (!row || row.payer !== request.payer)
      throw new MachiError('not-found', 'No fee is due for this filing.');
    switch (row.state) {
      case 'due':
      case 'failed': {
        const now = context.clock.now();
        const started = await db
          .updateTable('procedure_fees')
          .set({
            state: 'pending',
            attempt: row.attempt + 1,
            provider: context.provider.id,
            method: request.method.kind,
            payment_key: randomUUID(),
            provider_payment_id: null,
            decline_code: null,
            updated_at: now,
          })
          .where('municipality_code', '=', row.municipality_code)
          .where('submission_id', '=', row.submission_id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await auditFee(context, trx, 'procedures.fee.payment-started', started, { actor: request.payer });
        return { kind: 'new', row: started };
      }
      case 'pending':
        if (row.provider !== context.provider.id) {
          throw new MachiError('conflict', 'This fee is being paid through another payment provider.');
        }
        if (row.method !== request.method.kind) {
          throw new MachiError('conflict', 'A payment of this fee is under way by another method.');
        }
        return { kind: 'resumed', row };
      case 'cancelled':
        throw new MachiError('conflict', 'This fee was cancelled.');
      default:
        return { kind: 'settled', row };
    }
  });
}

/**
 * Starts paying a filing's fee: authorises the card, or issues コンビニ / Pay-easy numbers.
 * Idempotent per filing: a double click, a retry or a call after a crash continues the attempt
 * under way with its key, so the provider makes one payment; a paid fee is answered as paid.
 * After a decline the fee is `failed` and this throws `payment-declined`; calling again starts a
 * new attempt (another card). Throws `payment-unavailable` when the provider cannot be reached:
 * the attempt stays pending and calling again is safe.
 */
export async function startFeePayment(context: FeeContext, request: FeePaymentRequest): Promise<FeePayment> {
  const begun = await begin(context, request);
  if (begun.kind === 'settled') return { fee: toFeeRecord(begun.row), instructions: null };
  const { row } = begun;
  const payment = await createOrFindPayment(
    context,
    {
      merchant: row.municipality_code as LgCode,
      idempotencyKey: row.payment_key!,
      orderId: row.submission_id,
      amountYen: row.amount_yen,
      currency: 'JPY',
      method: request.method,
    },
    begun.kind === 'resumed',
  );
  const after = await applyPayment(context, begun.row, payment, request.payer);
  if (after.state === 'failed' && after.payment_key === begun.row.payment_key) throw declined(after);
  return {
    fee: toFeeRecord(after),
    instructions: after.state === 'pending' ? payment.instructions : null,
  };
}
