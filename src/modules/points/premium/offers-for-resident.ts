import { sql } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { accountId } from '../ledger/accounts.ts';
import {
  offerOf,
  onSale,
  type PremiumDb,
  type PremiumOffer,
  premiumBudgetOf,
  premiumPerUnit,
} from './offers.ts';

export interface OfferForResident {
  readonly offer: PremiumOffer;
  /** Units this resident may still buy (the cap less what they bought or hold; voided ones aside). */
  readonly unitsLeft: number;
  /** Whether the public budget still covers the premium of one unit. */
  readonly budgetRemains: boolean;
}

/**
 * The offers a resident of the municipality can buy now, with what is left for them. A
 * snapshot: the purchase checks both again under its locks.
 */
export async function premiumOffersFor(
  db: PremiumDb,
  scope: TenantScope,
  myKeyId: string,
  now: Date,
): Promise<OfferForResident[]> {
  const rows = await db
    .selectFrom('points_premium_offers')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('active', '=', true)
    .orderBy('offer_id')
    .execute();
  const offers = rows.map(offerOf).filter((offer) => onSale(offer, now));
  if (offers.length === 0) return [];
  const ids = offers.map((offer) => offer.offerId);
  const bought = await db
    .selectFrom('points_premium_purchases')
    .select(['offer_id', (eb) => eb.fn.sum<number>('units').as('units')])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('account_id', '=', accountId('resident', myKeyId))
    .where('offer_id', 'in', ids)
    .where('state', 'in', ['reserved', 'paid'])
    .groupBy('offer_id')
    .execute();
  const budgets = await db
    .selectFrom('points_accounts')
    .select(['account_id', sql<number>`credits_posted - debits_posted - debits_pending`.as('available')])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('account_id', 'in', ids.map(premiumBudgetOf))
    .execute();
  return offers.map((offer) => {
    const units = Number(bought.find((row) => row.offer_id === offer.offerId)?.units ?? 0);
    const budget = budgets.find((row) => row.account_id === premiumBudgetOf(offer.offerId));
    return {
      offer,
      unitsLeft: Math.max(0, offer.maxUnitsPerPerson - units),
      budgetRemains: budget !== undefined && Number(budget.available) >= premiumPerUnit(offer),
    };
  });
}
