import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { addLot, returnToLots } from './lots.ts';
import { type Actor, inTransaction, type LedgerContext, type Transfer, transferOf } from './post-transfer.ts';
import type { PointsLedgerTables } from './tables.ts';
import { applyTotals, changeOf, type TotalsChange } from './totals.ts';

/** Post: the held points move for good. Void: they go back. Expire: a void the timeout made. */
export type Settlement = 'post' | 'void' | 'expire';

const endState = { post: 'posted', void: 'voided', expire: 'expired' } as const;

/**
 * Ends a two-phase transfer. Posting or voiding it again answers the same (repeated); posting
 * a voided one, or voiding a posted one, is a conflict. A reservation past its timeout is
 * expired here (its points returned, in a commit of its own) and then refused as
 * `reservation-expired`, whichever way the caller wanted to end it.
 */
export async function settlePending(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  transferId: string,
  settlement: Exclude<Settlement, 'expire'>,
  actor: Actor,
): Promise<Transfer> {
  const outcome = await inTransaction(db, (trx) =>
    settle(trx, context, scope, transferId, settlement, actor),
  );
  if (outcome.expired) {
    throw new MachiError(
      'reservation-expired',
      `Reservation ${transferId} expired before it was ${endState[settlement]}.`,
    );
  }
  return outcome.transfer;
}

/** Ends every reservation whose timeout has passed (a job), returning how many. */
export async function expireReservations(
  db: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  limit = 500,
): Promise<number> {
  const due = await db
    .selectFrom('points_transfers')
    .select(['municipality_code', 'transfer_id'])
    .where('state', '=', 'pending')
    .where('timeout_at', '<=', context.clock.now())
    .orderBy('timeout_at')
    .limit(limit)
    .execute();
  for (const row of due) {
    const scope = { municipalityCode: row.municipality_code } as TenantScope;
    await db.transaction().execute((trx) => settle(trx, context, scope, row.transfer_id, 'expire', 'system'));
  }
  return due.length;
}

async function settle(
  trx: Kysely<PointsLedgerTables>,
  context: LedgerContext,
  scope: TenantScope,
  transferId: string,
  wanted: Settlement,
  actor: Actor,
): Promise<{ transfer: Transfer; expired: boolean }> {
  const row = await trx
    .selectFrom('points_transfers')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('transfer_id', '=', transferId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', `No transfer ${transferId}.`);
  const now = context.clock.now();
  if (row.state !== 'pending') {
    if (row.state === endState[wanted] || (wanted !== 'post' && row.state !== 'posted')) {
      return { transfer: transferOf(row, true), expired: false };
    }
    if (row.state === 'expired') return { transfer: transferOf(row, true), expired: true };
    throw new MachiError('conflict', `Transfer ${transferId} is already ${row.state}.`);
  }
  if (row.timeout_at === null)
    throw new MachiError('conflict', `Transfer ${transferId} is not a reservation.`);
  const timedOut = new Date(row.timeout_at).getTime() <= now.getTime();
  const settlement: Settlement = timedOut ? 'expire' : wanted;

  const legs = await trx
    .selectFrom('points_legs')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('transfer_id', '=', transferId)
    .orderBy('leg')
    .execute();
  const changes = new Map<string, TotalsChange>();
  const change = (account: string) => changeOf(changes, account);
  for (const leg of legs) {
    const amount = Number(leg.amount);
    change(leg.debit_account).debitsPending -= amount;
    change(leg.credit_account).creditsPending -= amount;
    if (settlement === 'post') {
      change(leg.debit_account).debitsPosted += amount;
      change(leg.credit_account).creditsPosted += amount;
    }
  }
  const accounts = await applyTotals(trx, scope, changes);
  if (settlement === 'post') {
    for (const leg of legs) {
      if (!accounts.get(leg.credit_account)?.tracksExpiry) continue;
      await addLot(trx, scope, {
        account: leg.credit_account,
        transferId,
        leg: leg.leg,
        amount: Number(leg.amount),
        expiresOn: leg.expires_on,
      });
    }
  } else {
    await returnToLots(trx, scope, transferId);
  }
  const updated = await trx
    .updateTable('points_transfers')
    .set({ state: endState[settlement], settled_at: now })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('transfer_id', '=', transferId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await context.audit.append(trx, {
    municipalityCode: scope.municipalityCode,
    actor: settlement === 'expire' ? 'system' : actor,
    action: `points.transfer.${settlement}`,
    target: transferId,
    outcome: 'success',
    details: { code: row.code, amount: Number(row.amount) },
  });
  return { transfer: transferOf(updated, false), expired: settlement === 'expire' };
}
