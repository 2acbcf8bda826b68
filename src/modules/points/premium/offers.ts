import type { Kysely } from 'kysely';
import { MachiError, parseIsoDate, type TenantScope, toIsoDate } from '../../../core/index.ts';
import { accountId, openAccount } from '../ledger/accounts.ts';
import { type LedgerContext, postTransfer, type Transfer } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';

export interface PremiumOffersTable {
  municipality_code: string;
  offer_id: string;
  name_ja: string;
  name_en: string;
  price_yen: number;
  points: number;
  max_units_per_person: number;
  points_expire_on: string | null;
  sales_from: Date | null;
  sales_until: Date | null;
  active: boolean;
  created_at: Date;
}

export interface PremiumPurchasesTable {
  municipality_code: string;
  account_id: string;
  purchase_id: string;
  offer_id: string;
  units: number;
  amount_yen: number;
  points: number;
  state: 'reserved' | 'paid' | 'voided' | 'refunding' | 'refunded';
  transfer_id: string;
  payment_key: string;
  provider: string;
  provider_payment_id: string | null;
  decline_code: string | null;
  created_at: Date;
  updated_at: Date;
}

export type PremiumDb = Kysely<
  PointsLedgerTables & {
    points_premium_offers: PremiumOffersTable;
    points_premium_purchases: PremiumPurchasesTable;
  }
>;

/** The same database seen as the ledger's (Kysely's table types do not widen on their own). */
export const ledgerOf = (db: PremiumDb) => db as unknown as Kysely<PointsLedgerTables>;

export interface PremiumOffer {
  readonly offerId: string;
  readonly name: { readonly ja: string; readonly en: string };
  /** What one unit costs, in yen (e.g. 10,000). */
  readonly priceYen: number;
  /** The points one unit gives (e.g. 11,000): the part above the price is the public premium. */
  readonly points: number;
  readonly maxUnitsPerPerson: number;
  /** The last day the points can be spent (利用期限); null: they do not expire. */
  readonly pointsExpireOn: string | null;
  /** The sales window (販売期間); null ends: open on that side. */
  readonly salesFrom: Date | null;
  readonly salesUntil: Date | null;
  readonly active: boolean;
}

const OFFER_ID = /^[a-z0-9-]{1,40}$/;
/** Keeps every amount of a purchase (units × price) an exact integer within the database's integer. */
const MAX_PRICE_YEN = 1_000_000;
export const MAX_UNITS_PER_PURCHASE = 99;
/** A refusal naming the offer's field, so that a page can put it beside that input. */
const invalid = (detail: string, field?: keyof PremiumOffer) =>
  new MachiError('validation-failed', detail, field ? { field } : {});

/** The ledger account holding an offer's public budget for premiums. */
export const premiumBudgetOf = (offerId: string) => accountId('budget', `premium-${offerId}`);
/** Where the points paid for in yen come from (they are new points, backed by the money taken). */
export const PURCHASE_ISSUANCE = accountId('issuance', 'purchase');
/** Where the points of a public premium budget come from when staff fund it. */
const PREMIUM_ISSUANCE_OWNER = 'premium';

/** The premium of one unit: the points given above the yen paid. */
export const premiumPerUnit = (offer: Pick<PremiumOffer, 'points' | 'priceYen'>) =>
  offer.points - offer.priceYen;

export function checkOffer(offer: PremiumOffer): void {
  if (!OFFER_ID.test(offer.offerId)) throw invalid('offerId is 1–40 of a–z, 0–9 and -.', 'offerId');
  if (!offer.name.ja || !offer.name.en) throw invalid('An offer has a name in Japanese and English.', 'name');
  if (!Number.isSafeInteger(offer.priceYen) || offer.priceYen <= 0 || offer.priceYen > MAX_PRICE_YEN) {
    throw invalid(`priceYen is a whole number of yen, 1–${MAX_PRICE_YEN}.`, 'priceYen');
  }
  if (!Number.isSafeInteger(offer.points) || offer.points < offer.priceYen) {
    throw invalid('points is a whole number, at least the price: the premium is never negative.', 'points');
  }
  // The cap on points per unit keeps units × points within the database's integer.
  if (offer.points > 2 * MAX_PRICE_YEN) {
    throw invalid(`points is at most ${2 * MAX_PRICE_YEN} a unit.`, 'points');
  }
  const max = offer.maxUnitsPerPerson;
  if (!Number.isSafeInteger(max) || max < 1 || max > MAX_UNITS_PER_PURCHASE) {
    throw invalid(`maxUnitsPerPerson is a whole number, 1–${MAX_UNITS_PER_PURCHASE}.`, 'maxUnitsPerPerson');
  }
  if (offer.pointsExpireOn !== null) parseIsoDate(offer.pointsExpireOn);
  if (offer.salesFrom && offer.salesUntil && offer.salesFrom >= offer.salesUntil) {
    throw invalid('The sales window ends after it starts.', 'salesUntil');
  }
}

/**
 * Defines an offer, or changes its terms (purchases already made keep theirs), and opens its
 * budget account. The budget starts empty: nothing sells until `fundPremiumBudget`.
 */
export async function definePremiumOffer(
  db: PremiumDb,
  scope: TenantScope,
  offer: PremiumOffer,
  now: Date,
): Promise<void> {
  checkOffer(offer);
  const row = {
    name_ja: offer.name.ja,
    name_en: offer.name.en,
    price_yen: offer.priceYen,
    points: offer.points,
    max_units_per_person: offer.maxUnitsPerPerson,
    points_expire_on: offer.pointsExpireOn,
    sales_from: offer.salesFrom,
    sales_until: offer.salesUntil,
    active: offer.active,
  };
  await db
    .insertInto('points_premium_offers')
    .values({ municipality_code: scope.municipalityCode, offer_id: offer.offerId, created_at: now, ...row })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'offer_id']).doUpdateSet(row))
    .execute();
  await openAccount(ledgerOf(db), scope, 'budget', `premium-${offer.offerId}`, now);
}

export function offerOf(row: PremiumOffersTable): PremiumOffer {
  return {
    offerId: row.offer_id,
    name: { ja: row.name_ja, en: row.name_en },
    priceYen: row.price_yen,
    points: row.points,
    maxUnitsPerPerson: row.max_units_per_person,
    pointsExpireOn: row.points_expire_on,
    salesFrom: row.sales_from ? new Date(row.sales_from) : null,
    salesUntil: row.sales_until ? new Date(row.sales_until) : null,
    active: row.active,
  };
}

export async function premiumOfferOf(
  db: PremiumDb,
  scope: TenantScope,
  offerId: string,
): Promise<PremiumOffer> {
  const row = await db
    .selectFrom('points_premium_offers')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('offer_id', '=', offerId)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', `No premium points offer ${offerId}.`);
  return offerOf(row);
}

/** Active, inside its sales window at `now`, and its points not past their expiry. */
export function onSale(offer: PremiumOffer, now: Date): boolean {
  if (!offer.active) return false;
  if (offer.salesFrom && now < offer.salesFrom) return false;
  if (offer.salesUntil && now >= offer.salesUntil) return false;
  return offer.pointsExpireOn === null || toIsoDate(now) <= offer.pointsExpireOn;
}

/**
 * Puts public money into an offer's premium budget (staff, once per funding id): a `funding`
 * transfer from the municipality's premium issuance into the offer's budget account.
 */
export async function fundPremiumBudget(
  db: PremiumDb,
  context: LedgerContext,
  scope: TenantScope,
  funding: { readonly offerId: string; readonly fundingId: string; readonly points: number },
  actor: string,
): Promise<Transfer> {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(funding.fundingId))
    throw invalid('fundingId is 1–64 of A–Z, a–z, 0–9 and -.');
  await premiumOfferOf(db, scope, funding.offerId);
  const issuance = await openAccount(
    ledgerOf(db),
    scope,
    'issuance',
    PREMIUM_ISSUANCE_OWNER,
    context.clock.now(),
  );
  return postTransfer(
    ledgerOf(db),
    context,
    scope,
    {
      transferId: `premium-fund:${funding.offerId}:${funding.fundingId}`,
      code: 'funding',
      legs: [{ debit: issuance, credit: premiumBudgetOf(funding.offerId), amount: funding.points }],
      details: { offer: funding.offerId },
    },
    actor,
  );
}
