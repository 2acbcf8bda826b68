import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ProviderEvent, ProviderEventType } from '../payment-provider.ts';
import type { TestProviderDb } from './tables.ts';

// Held while an event is added, so events commit in the order of their seq: a reader that
// has seen seq n can never later miss an event numbered below n (the outbox hazard).
const EVENTS_LOCK = 7_202_650;

export async function appendEvent(
  trx: TestProviderDb,
  at: Date,
  event: { type: ProviderEventType; merchant: string; paymentId: string; refundId?: string },
): Promise<void> {
  await sql`select pg_advisory_xact_lock(${EVENTS_LOCK})`.execute(trx);
  await trx
    .insertInto('test_payment_provider_events')
    .values({
      seq: undefined,
      event_id: randomUUID(),
      type: event.type,
      merchant: event.merchant,
      payment_id: event.paymentId,
      refund_id: event.refundId ?? null,
      created_at: at,
    })
    .execute();
}

/** コンビニ / Pay-easy numbers not paid by their 払込期限 expire (checked when anyone looks). */
export async function expireOverdue(db: TestProviderDb, now: Date): Promise<void> {
  const overdue = await db
    .selectFrom('test_payment_provider_payments')
    .select(['merchant', 'payment_id'])
    .where('status', '=', 'awaiting-customer')
    .where('expires_at', '<', now)
    .execute();
  for (const { merchant, payment_id } of overdue) {
    await db.transaction().execute(async (trx) => {
      const expired = await trx
        .updateTable('test_payment_provider_payments')
        .set({ status: 'expired', decline_code: 'expired', updated_at: now })
        .where('merchant', '=', merchant)
        .where('payment_id', '=', payment_id)
        .where('status', '=', 'awaiting-customer')
        .executeTakeFirst();
      if (expired.numUpdatedRows > 0n) {
        await appendEvent(trx, now, { type: 'payment.expired', merchant, paymentId: payment_id });
      }
    });
  }
}

export async function listEvents(
  db: TestProviderDb,
  now: Date,
  after: string | null,
  limit: number,
): Promise<ProviderEvent[]> {
  await expireOverdue(db, now);
  const rows = await db
    .selectFrom('test_payment_provider_events')
    .selectAll()
    .where('seq', '>', after === null ? 0 : Number(after))
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.event_id,
    cursor: String(row.seq),
    type: row.type,
    merchant: row.merchant,
    paymentId: row.payment_id,
    refundId: row.refund_id,
    at: new Date(row.created_at),
  }));
}
