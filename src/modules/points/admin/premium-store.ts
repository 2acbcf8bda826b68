import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import type { PremiumOffer } from '../premium/offers.ts';

/** An offer's terms as JSON: its dates as ISO strings. */
type StoredOffer = Omit<PremiumOffer, 'salesFrom' | 'salesUntil'> & {
  salesFrom: string | null;
  salesUntil: string | null;
};

interface AdminOffersTable {
  municipality_code: string;
  offer_id: string;
  terms: StoredOffer | string;
  revision: number;
  updated_at: Date;
  updated_by: string;
}

interface AdminFundingsTable {
  municipality_code: string;
  funding_id: string;
  offer_id: string;
  points: number | string;
  created_at: Date;
  created_by: string;
}

export type PremiumAdminDb = Kysely<{
  points_admin_premium_offers: AdminOffersTable;
  points_admin_premium_fundings: AdminFundingsTable;
}>;

export interface AdminOffer {
  readonly offer: PremiumOffer;
  readonly revision: number;
  /** All the public money staff added to its budget, in points (not what is left: the internet zone knows that). */
  readonly funded: number;
}

function offerOf(terms: StoredOffer | string): PremiumOffer {
  const stored = typeof terms === 'string' ? (JSON.parse(terms) as StoredOffer) : terms;
  return {
    ...stored,
    salesFrom: stored.salesFrom ? new Date(stored.salesFrom) : null,
    salesUntil: stored.salesUntil ? new Date(stored.salesUntil) : null,
  };
}

/** Keeps an offer's terms (already checked) as its next revision; returns that revision. */
export async function saveAdminOffer(
  db: PremiumAdminDb,
  scope: TenantScope,
  offer: PremiumOffer,
  staffId: string,
  now: Date,
): Promise<number> {
  const stored: StoredOffer = {
    ...offer,
    salesFrom: offer.salesFrom?.toISOString() ?? null,
    salesUntil: offer.salesUntil?.toISOString() ?? null,
  };
  const changed = { terms: JSON.stringify(stored), updated_at: now, updated_by: staffId };
  const row = await db
    .insertInto('points_admin_premium_offers')
    .values({ municipality_code: scope.municipalityCode, offer_id: offer.offerId, revision: 1, ...changed })
    .onConflict((conflict) =>
      conflict
        .columns(['municipality_code', 'offer_id'])
        .doUpdateSet((eb) => ({ ...changed, revision: eb('points_admin_premium_offers.revision', '+', 1) })),
    )
    .returning('revision')
    .executeTakeFirstOrThrow();
  return row.revision;
}

export async function recordFunding(
  db: PremiumAdminDb,
  scope: TenantScope,
  funding: { fundingId: string; offerId: string; points: number },
  staffId: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('points_admin_premium_fundings')
    .values({
      municipality_code: scope.municipalityCode,
      funding_id: funding.fundingId,
      offer_id: funding.offerId,
      points: funding.points,
      created_at: now,
      created_by: staffId,
    })
    .execute();
}

export async function adminOffers(db: PremiumAdminDb, scope: TenantScope): Promise<AdminOffer[]> {
  const rows = await db
    .selectFrom('points_admin_premium_offers as o')
    .leftJoin('points_admin_premium_fundings as f', (join) =>
      join.onRef('f.municipality_code', '=', 'o.municipality_code').onRef('f.offer_id', '=', 'o.offer_id'),
    )
    .select(['o.terms', 'o.revision', (eb) => eb.fn.sum<number | string | null>('f.points').as('funded')])
    .where('o.municipality_code', '=', scope.municipalityCode)
    // The other columns of o follow from its primary key (PostgreSQL allows them so).
    .groupBy(['o.municipality_code', 'o.offer_id'])
    .orderBy('o.offer_id')
    .execute();
  return rows.map((row) => ({
    offer: offerOf(row.terms),
    revision: row.revision,
    funded: Number(row.funded ?? 0),
  }));
}
