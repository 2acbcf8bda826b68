import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import type { PaymentMethod } from '../../procedures/index.ts';
import { accountId, balanceOf, lockAccount, openAccount } from '../ledger/accounts.ts';
import {
  inTransaction,
  type LedgerContext,
  postTransfer,
  type TransferLeg,
} from '../ledger/post-transfer.ts';
import {
  ledgerOf,
  MAX_UNITS_PER_PURCHASE,
  offerOf,
  onSale,
  type PremiumDb,
  type PremiumPurchasesTable,
  PURCHASE_ISSUANCE,
  premiumBudgetOf,
  premiumPerUnit,
} from './offers.ts';
import { purchaseRow } from './purchases.ts';

export interface PremiumPurchaseRequest {
  /** Whose purchase: the resident's MyKey ID. */
  readonly myKeyId: string;
  readonly offerId: string;
  readonly units: number;
  /** Chosen by the resident's app: the same purchase sent again charges once and gives once. */
  readonly purchaseId: string;
  /** Card only: the points are given when the money is taken, which コンビニ numbers cannot promise. */
  readonly method: Extract<PaymentMethod, { kind: 'card' }>;
}

/**
 * How long the ledger holds a purchase's points and premium: the most it allows. The settling
 * job ends a purchase a minute after it began, so the ledger's expiry job never returns the
 * hold of a purchase whose money may have been taken while the provider was briefly away.
 */
export const PREMIUM_HOLD_SECONDS = 7 * 24 * 3600;
const PURCHASE_ID = /^[A-Za-z0-9-]{8,64}$/;

/** new: reserved just now; resumed: reserved by an earlier call, not settled; ended: paid or voided. */
export type Reservation = { kind: 'new' | 'resumed' | 'ended'; row: PremiumPurchasesTable };

function checkRequest(request: PremiumPurchaseRequest): void {
  const invalid = (detail: string) => new MachiError('validation-failed', detail);
  if (!PURCHASE_ID.test(request.purchaseId)) throw invalid('purchaseId is 8–64 of A–Z, a–z, 0–9 and -.');
  if (!Number.isSafeInteger(request.units) || request.units < 1 || request.units > MAX_UNITS_PER_PURCHASE) {
    throw invalid(`units is a whole number, 1–${MAX_UNITS_PER_PURCHASE}.`);
  }
  if (request.method.kind !== 'card') throw invalid('Premium points are paid by card.');
}

function repeatOf(row: PremiumPurchasesTable, request: PremiumPurchaseRequest): Reservation {
  if (row.offer_id !== request.offerId || row.units !== request.units) {
    throw new MachiError('conflict', `Purchase id ${request.purchaseId} was used for another purchase.`);
  }
  return { kind: row.state === 'reserved' ? 'resumed' : 'ended', row };
}

/**
 * Reserves a purchase before any money is taken, in one transaction: the offer on sale; the
 * person's units so far (voided ones aside) plus these within the cap; the premium within
 * what the budget has left; then one two-phase transfer holding the paid points (from the
 * purchase issuance) and the premium (from the offer's budget) for the resident, and the
 * purchase recorded `reserved`. The accounts the transfer touches are locked first, in the
 * order the ledger itself locks them (the budget, the purchase issuance, the buyer): a
 * reservation and the settling of another purchase by the same person, even of another
 * offer, cannot deadlock, and the count and the budget cannot change under the checks.
 * Whatever passes is exactly what the ledger's no-overdraft rule allows.
 */
export async function reservePurchase(
  db: PremiumDb,
  context: LedgerContext,
  scope: TenantScope,
  request: PremiumPurchaseRequest,
  provider: string,
): Promise<Reservation> {
  checkRequest(request);
  const account = accountId('resident', request.myKeyId);
  const where = {
    municipality_code: scope.municipalityCode,
    account_id: account,
    purchase_id: request.purchaseId,
  };
  const earlier = await purchaseRow(db, where);
  if (earlier) return repeatOf(earlier, request);
  const now = context.clock.now();
  await openAccount(ledgerOf(db), scope, 'issuance', 'purchase', now);
  return inTransaction(ledgerOf(db), async (ledgerTrx) => {
    const trx = ledgerTrx as unknown as PremiumDb;
    const offerRow = await trx
      .selectFrom('points_premium_offers')
      .selectAll()
      .where('municipality_code', '=', scope.municipalityCode)
      .where('offer_id', '=', request.offerId)
      .executeTakeFirst();
    if (!offerRow) throw new MachiError('not-found', `No premium points offer ${request.offerId}.`);
    const offer = offerOf(offerRow);
    const budget = premiumBudgetOf(offer.offerId);
    // In the ledger's own order (by account id, as applyTotals and settling take them):
    // budget:…, issuance:purchase, resident:….
    if (!(await lockAccount(ledgerTrx, scope, budget))) {
      throw new MachiError('premium-budget-exhausted', `No budget was set aside for ${offer.offerId}.`);
    }
    await lockAccount(ledgerTrx, scope, PURCHASE_ISSUANCE);
    if (!(await lockAccount(ledgerTrx, scope, account))) {
      throw new MachiError('not-found', 'This MyKey ID has no points account.');
    }
    const again = await purchaseRow(trx, where);
    if (again) return repeatOf(again, request);
    if (!onSale(offer, now)) throw new MachiError('conflict', `${offer.name.en} is not on sale now.`);
    const bought = await trx
      .selectFrom('points_premium_purchases')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('units'), sql<number>`0`).as('units'))
      .where('municipality_code', '=', scope.municipalityCode)
      .where('offer_id', '=', offer.offerId)
      .where('account_id', '=', account)
      .where('state', 'in', ['reserved', 'paid'])
      .executeTakeFirstOrThrow();
    const unitsLeft = Math.max(0, offer.maxUnitsPerPerson - Number(bought.units));
    if (request.units > unitsLeft) {
      throw new MachiError(
        'premium-cap-reached',
        `One person may buy ${offer.maxUnitsPerPerson} units of ${offer.name.en}; ${unitsLeft} left for you.`,
        { unitsLeft },
      );
    }
    const amountYen = offer.priceYen * request.units;
    const premium = premiumPerUnit(offer) * request.units;
    if (premium > 0 && (await balanceOf(ledgerTrx, scope, budget)).available < premium) {
      throw new MachiError('premium-budget-exhausted', `The budget for ${offer.name.en} is used up.`);
    }
    const expiresOn = offer.pointsExpireOn;
    const legs: TransferLeg[] = [{ debit: PURCHASE_ISSUANCE, credit: account, amount: amountYen, expiresOn }];
    if (premium > 0) legs.push({ debit: budget, credit: account, amount: premium, expiresOn });
    const transferId = `premium:${request.myKeyId}:${request.purchaseId}`;
    await postTransfer(
      ledgerTrx,
      context,
      scope,
      {
        transferId,
        code: 'premium',
        legs,
        details: { offer: offer.offerId, units: request.units },
        pending: { timeoutSeconds: PREMIUM_HOLD_SECONDS },
      },
      account,
    );
    const row = await trx
      .insertInto('points_premium_purchases')
      .values({
        ...where,
        offer_id: offer.offerId,
        units: request.units,
        amount_yen: amountYen,
        points: amountYen + premium,
        state: 'reserved',
        transfer_id: transferId,
        payment_key: randomUUID(),
        provider,
        provider_payment_id: null,
        decline_code: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kind: 'new' as const, row };
  });
}
