import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { type Actor, inTransaction, type LedgerContext } from '../ledger/post-transfer.ts';
import {
  definePremiumOffer,
  fundPremiumBudget,
  ledgerOf,
  type PremiumDb,
  type PremiumOffer,
  type PremiumOffersTable,
} from './offers.ts';

/** Public money staff added to an offer's premium budget, under an id of theirs. */
export interface OfferFunding {
  readonly fundingId: string;
  readonly points: number;
}

type RevisedOffersDb = Kysely<{ points_premium_offers: PremiumOffersTable & { revision: number } }>;

/**
 * An offer as staff saved it in lgwan, with what they added to its budget. `revision` counts
 * their saves: terms older than the ones kept are left alone (the gateway delivers at least
 * once, not in order). The funding is a ledger transfer named by its funding id, so the same
 * funding delivered again — or in a message whose terms were stale — is posted once.
 */
export async function savePremiumOffer(
  db: PremiumDb,
  context: LedgerContext,
  scope: TenantScope,
  saved: { offer: PremiumOffer; revision: number; funding: OfferFunding | null },
  actor: Actor,
): Promise<{ kept: boolean; funded: boolean }> {
  return inTransaction(ledgerOf(db), async (trx) => {
    const offers = trx as unknown as RevisedOffersDb;
    const where = { municipality: scope.municipalityCode, offer: saved.offer.offerId };
    const stored = await offers
      .selectFrom('points_premium_offers')
      .select('revision')
      .where('municipality_code', '=', where.municipality)
      .where('offer_id', '=', where.offer)
      .forUpdate()
      .executeTakeFirst();
    const kept = stored === undefined || stored.revision < saved.revision;
    if (kept) {
      await definePremiumOffer(trx as unknown as PremiumDb, scope, saved.offer, context.clock.now());
      await offers
        .updateTable('points_premium_offers')
        .set({ revision: saved.revision })
        .where('municipality_code', '=', where.municipality)
        .where('offer_id', '=', where.offer)
        .execute();
    }
    if (!saved.funding) return { kept, funded: false };
    const funding = { offerId: saved.offer.offerId, ...saved.funding };
    const transfer = await fundPremiumBudget(trx as unknown as PremiumDb, context, scope, funding, actor);
    return { kept, funded: !transfer.repeated };
  });
}
