import type { Kysely } from 'kysely';
import { type LgCode, MachiError } from '../../../core/index.ts';
import { callProvider } from './call-provider.ts';
import { auditFee } from './fee-audit.ts';
import type { FeeContext } from './fee-context.ts';
import { type FeeRecord, type FeeWhere, feeRow, toFeeRecord } from './fee-record.ts';
import type { FeesDb } from './tables.ts';

export interface FeeRefundRequest extends FeeWhere {
  /** Who decided it, e.g. `staff:<uuid>` or `gateway:lgwan`. */
  readonly actor: string;
  /** Why, for the audit log: e.g. `rejected`, `withdrawn`. No personal data. */
  readonly reason: string;
}

/**
 * Decides a refund inside the caller's transaction (e.g. the one that records a rejection, or
 * a gateway handler's): a paid fee becomes `refunding` — its refund key fixed from now on — or
 * `refund-manual` when the provider cannot pay back that method; a fee not paid is `cancelled`.
 * Makes no provider call, so it is safe in any transaction; `completeFeeRefund` (or
 * `reconcileFees`) then makes the refund. Deciding again changes nothing. Undefined: no fee.
 */
export async function requestFeeRefund(
  context: FeeContext,
  // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
  trx: Kysely<any>,
  request: FeeRefundRequest,
): Promise<FeeRecord | undefined> {
  const db = trx as FeesDb;
  const row = await feeRow(db, request, true);
  if (!row) return undefined;
  const now = context.clock.now();
  const change = db
    .updateTable('procedure_fees')
    .where('municipality_code', '=', row.municipality_code)
    .where('submission_id', '=', row.submission_id);
  const by = { actor: request.actor, reason: request.reason };
  switch (row.state) {
    case 'paid': {
      const online = row.method !== null && context.provider.refundableMethods.includes(row.method);
      const decided = await change
        .set({ state: online ? 'refunding' : 'refund-manual', refund_requested_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await auditFee(context, trx, 'procedures.fee.refund-requested', decided, by);
      return toFeeRecord(decided);
    }
    case 'due':
    case 'failed': {
      const cancelled = await change
        .set({ state: 'cancelled', updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      await auditFee(context, trx, 'procedures.fee.cancelled', cancelled, by);
      return toFeeRecord(cancelled);
    }
    case 'pending':
      // Refusing is safer than guessing: the resident may be paying at this very moment.
      throw new MachiError('conflict', 'A payment of this fee is under way; confirm it first, then refund.');
    default:
      return toFeeRecord(row);
  }
}

/**
 * Makes a decided refund at the provider and records it. The key is the attempt's key plus
 * `:refund`, the same on every call, so two calls at once, or a call after a crash between the
 * provider's refund and our write, get the one refund the provider made. Outside transactions.
 */
export async function completeFeeRefund(
  context: FeeContext,
  where: FeeWhere,
  actor = 'system',
): Promise<FeeRecord | undefined> {
  const row = await feeRow(context.database.db as FeesDb, where);
  if (row?.state !== 'refunding') return row && toFeeRecord(row);
  if (row.provider !== context.provider.id) {
    throw new MachiError('conflict', 'This fee was paid through another payment provider.');
  }
  const refund = await callProvider(context, () =>
    context.provider.refundPayment({
      merchant: row.municipality_code as LgCode,
      paymentId: row.provider_payment_id!,
      idempotencyKey: `${row.payment_key}:refund`,
      amountYen: row.amount_yen,
    }),
  );
  return context.database.db.transaction().execute(async (trx) => {
    const db = trx as unknown as FeesDb;
    const current = await feeRow(db, where, true);
    if (current?.state !== 'refunding') return current && toFeeRecord(current);
    const now = context.clock.now();
    const refunded = await db
      .updateTable('procedure_fees')
      .set({ state: 'refunded', provider_refund_id: refund.id, refunded_at: now, updated_at: now })
      .where('municipality_code', '=', current.municipality_code)
      .where('submission_id', '=', current.submission_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await auditFee(context, trx, 'procedures.fee.refunded', refunded, { actor });
    return toFeeRecord(refunded);
  });
}

/** Decides and makes a refund in one call: `requestFeeRefund` in its own transaction, then `completeFeeRefund`. */
export async function refundFee(
  context: FeeContext,
  request: FeeRefundRequest,
): Promise<FeeRecord | undefined> {
  const decided = await context.database.db
    .transaction()
    .execute((trx) => requestFeeRefund(context, trx, request));
  if (decided?.state !== 'refunding') return decided;
  return completeFeeRefund(context, request, request.actor);
}
