import type { Kysely } from 'kysely';
import { MachiError } from '../../../core/index.ts';
import type { FeeWhere } from './fee-record.ts';
import type { FeesDb } from './tables.ts';

export interface FeeDue extends FeeWhere {
  readonly procedureId: string;
  /** The filer's opaque id: only they may pay it. */
  readonly payer: string;
  /** The catalogue's fee when the filing was made: what is owed even if the 条例 changes later. */
  readonly amountYen: number;
}

/**
 * Records that a filing owes a fee, inside the transaction that stores the filing (so there is
 * never a filing of a paying procedure without its fee, nor the reverse). Recording the same fee
 * again (a redelivery, a retry) changes nothing; a different fee for the same filing is refused.
 */
export async function recordFeeDue(
  // biome-ignore lint/suspicious/noExplicitAny: the filing's transaction, of any tables.
  trx: Kysely<any>,
  due: FeeDue,
  now: Date,
): Promise<void> {
  if (!Number.isSafeInteger(due.amountYen) || due.amountYen < 1) {
    throw new MachiError('validation-failed', 'A fee is a positive integer number of yen.', {
      errors: [{ path: '/amountYen', problem: 'must be a positive integer' }],
    });
  }
  const db = trx as FeesDb;
  const inserted = await db
    .insertInto('procedure_fees')
    .values({
      municipality_code: due.municipalityCode,
      submission_id: due.submissionId,
      procedure_id: due.procedureId,
      payer: due.payer,
      amount_yen: due.amountYen,
      state: 'due',
      attempt: 0,
      provider: null,
      method: null,
      payment_key: null,
      provider_payment_id: null,
      provider_refund_id: null,
      decline_code: null,
      due_at: now,
      paid_at: null,
      refund_requested_at: null,
      refunded_at: null,
      updated_at: now,
    })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'submission_id']).doNothing())
    .returning('submission_id')
    .executeTakeFirst();
  if (inserted) return;
  const earlier = await db
    .selectFrom('procedure_fees')
    .select(['procedure_id', 'payer', 'amount_yen'])
    .where('municipality_code', '=', due.municipalityCode)
    .where('submission_id', '=', due.submissionId)
    .executeTakeFirstOrThrow();
  if (
    earlier.amount_yen !== due.amountYen ||
    earlier.payer !== due.payer ||
    earlier.procedure_id !== due.procedureId
  ) {
    throw new MachiError('conflict', 'This filing owes a different fee already.');
  }
}
