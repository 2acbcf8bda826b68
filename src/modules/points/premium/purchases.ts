import {
  type AuditLog,
  isMachiError,
  type LgCode,
  MachiError,
  type TenantScope,
} from '../../../core/index.ts';
import { inTransaction, type LedgerContext } from '../ledger/post-transfer.ts';
import { settlePending } from '../ledger/settle-pending.ts';
import { ledgerOf, type PremiumDb, type PremiumPurchasesTable } from './offers.ts';

export type PurchaseState = PremiumPurchasesTable['state'];

export interface PremiumPurchase {
  readonly purchaseId: string;
  readonly offerId: string;
  readonly units: number;
  readonly amountYen: number;
  /** All the points the purchase gives: the yen paid plus the premium. */
  readonly points: number;
  readonly premiumPoints: number;
  readonly state: PurchaseState;
  readonly createdAt: Date;
  /** True when this purchase id had been sent before. */
  readonly repeated: boolean;
}

export function purchaseOf(row: PremiumPurchasesTable, repeated: boolean): PremiumPurchase {
  return {
    purchaseId: row.purchase_id,
    offerId: row.offer_id,
    units: row.units,
    amountYen: row.amount_yen,
    points: row.points,
    premiumPoints: row.points - row.amount_yen,
    state: row.state,
    createdAt: new Date(row.created_at),
    repeated,
  };
}

/** A purchase's key: its municipality, buyer's account and purchase id. */
export type PurchaseWhere = Pick<PremiumPurchasesTable, 'municipality_code' | 'account_id' | 'purchase_id'>;

export async function purchaseRow(
  db: PremiumDb,
  where: PurchaseWhere,
  lock = false,
): Promise<PremiumPurchasesTable | undefined> {
  const query = db
    .selectFrom('points_premium_purchases')
    .selectAll()
    .where('municipality_code', '=', where.municipality_code)
    .where('account_id', '=', where.account_id)
    .where('purchase_id', '=', where.purchase_id);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

/** The decline code of a purchase whose ledger reservation lapsed before it was settled. */
export const LAPSED = 'reservation-expired';

/** Voided because the provider refused the card (not given up, nor lapsed). */
export const wasDeclined = (row: Pick<PremiumPurchasesTable, 'state' | 'decline_code'>) =>
  row.state === 'voided' && row.decline_code !== null && row.decline_code !== LAPSED;

/**
 * What a purchase that has ended answers when asked again: paid is paid; a declined card is
 * declined again (no new charge is attempted under a used purchase id).
 */
export function endedAnswer(row: PremiumPurchasesTable, repeated: boolean): PremiumPurchase {
  if (row.state === 'paid' || row.state === 'reserved') return purchaseOf(row, repeated);
  if (wasDeclined(row)) {
    throw new MachiError('payment-declined', 'The payment was declined: no points were given.', {
      declineCode: row.decline_code,
    });
  }
  const money = row.state === 'voided' ? 'nothing was charged' : 'the payment is paid back';
  throw new MachiError(
    'conflict',
    `Purchase ${row.purchase_id} was cancelled: no points were given and ${money}. Buy again with a new purchaseId.`,
    { state: row.state },
  );
}

async function audit(
  log: AuditLog,
  trx: Parameters<AuditLog['append']>[0],
  row: PremiumPurchasesTable,
  actor: string,
): Promise<void> {
  const action = wasDeclined(row) ? 'declined' : row.state;
  await log.append(trx, {
    municipalityCode: row.municipality_code as LgCode,
    actor,
    action: `points.premium.${action}`,
    target: row.transfer_id,
    outcome: action === 'paid' || action === 'refunded' ? 'success' : 'failure',
    details: { offer: row.offer_id, units: row.units, amountYen: row.amount_yen },
  });
}

/**
 * Writes down the provider's payment of a reserved purchase before it is captured. Only a
 * purchase still reserved takes it: once the settling job has given a purchase up (nothing at
 * the provider then), a payment made later is never captured. Returns the purchase as it is.
 */
export async function recordPayment(
  db: PremiumDb,
  where: PurchaseWhere,
  paymentId: string,
  now: Date,
): Promise<PremiumPurchasesTable> {
  const updated = await db
    .updateTable('points_premium_purchases')
    .set({ provider_payment_id: paymentId, updated_at: now })
    .where('municipality_code', '=', where.municipality_code)
    .where('account_id', '=', where.account_id)
    .where('purchase_id', '=', where.purchase_id)
    .where('state', '=', 'reserved')
    .where((eb) => eb.or([eb('provider_payment_id', 'is', null), eb('provider_payment_id', '=', paymentId)]))
    .returningAll()
    .executeTakeFirst();
  return updated ?? ((await purchaseRow(db, where)) as PremiumPurchasesTable);
}

export interface PurchaseEnd {
  /** post: paid, the points are the resident's; void: nothing was charged, the hold goes back. */
  readonly outcome: 'post' | 'void';
  readonly paymentId?: string | null;
  readonly declineCode?: string | null;
  /** Void only while no payment is recorded (the job giving up on a purchase the provider never saw). */
  readonly onlyUncharged?: boolean;
}

/**
 * Ends a reserved purchase and its ledger reservation in one transaction, with its audit
 * entry. The purchase row is locked first: the resident's request and the settling job may
 * learn the same outcome at once, and the first to lock records it. Money taken after the
 * reservation lapsed cannot be answered with points any more (the budget may be gone): the
 * purchase is then `refunding`, and the job pays the money back.
 */
export async function endPurchase(
  db: PremiumDb,
  context: LedgerContext,
  scope: TenantScope,
  where: PurchaseWhere,
  end: PurchaseEnd,
  actor: string,
): Promise<PremiumPurchasesTable> {
  return inTransaction(ledgerOf(db), async (ledgerTrx) => {
    const trx = ledgerTrx as unknown as PremiumDb;
    const row = await purchaseRow(trx, where, true);
    if (!row) throw new MachiError('not-found', 'No such premium purchase.');
    if (row.state !== 'reserved') return row;
    if (end.onlyUncharged && row.provider_payment_id !== null) return row;
    let state: PurchaseState = end.outcome === 'post' ? 'paid' : 'voided';
    let declineCode = end.declineCode ?? null;
    try {
      await settlePending(ledgerTrx, context, scope, row.transfer_id, end.outcome, actor);
    } catch (error) {
      if (!isMachiError(error) || error.code !== 'reservation-expired') throw error;
      // The ledger's own job returned the hold (its points and premium) first.
      if (end.outcome === 'post') state = 'refunding';
      declineCode = LAPSED;
    }
    const updated = await trx
      .updateTable('points_premium_purchases')
      .set({
        state,
        provider_payment_id: end.paymentId ?? row.provider_payment_id,
        decline_code: declineCode,
        updated_at: context.clock.now(),
      })
      .where('municipality_code', '=', row.municipality_code)
      .where('account_id', '=', row.account_id)
      .where('purchase_id', '=', row.purchase_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(context.audit, ledgerTrx, updated, actor);
    return updated;
  });
}

/** After the money of a `refunding` purchase went back: `refunded`, audited. */
export async function markRefunded(
  db: PremiumDb,
  context: LedgerContext,
  where: PurchaseWhere,
): Promise<PremiumPurchasesTable> {
  return db.transaction().execute(async (trx) => {
    const row = await purchaseRow(trx, where, true);
    if (!row) throw new MachiError('not-found', 'No such premium purchase.');
    if (row.state !== 'refunding') return row;
    const updated = await trx
      .updateTable('points_premium_purchases')
      .set({ state: 'refunded', updated_at: context.clock.now() })
      .where('municipality_code', '=', row.municipality_code)
      .where('account_id', '=', row.account_id)
      .where('purchase_id', '=', row.purchase_id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(context.audit, trx, updated, 'system');
    return updated;
  });
}
