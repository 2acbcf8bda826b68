import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { inTransaction } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { type NewPartner, type PartnersDb, type PartnersTable, registerPartner } from './partners.ts';

type RevisedPartnersDb = Kysely<{ points_partners: PartnersTable & { revision: number } }>;

/**
 * registerPartner for what staff saved in lgwan: `revision` counts their saves of this partner,
 * and a partner already at that revision or a later one is left alone — the gateway delivers
 * at least once and not always in order, so a message retried after a newer one was taken must
 * not turn a change back. The partner's row is locked while it is compared and changed (two
 * first saves of one partner arriving at once are not compared: one zone pulls its messages one
 * by one). Returns whether this revision was kept.
 */
export async function registerPartnerRevision(
  db: PartnersDb,
  scope: TenantScope,
  partner: NewPartner,
  revision: number,
  now: Date,
): Promise<boolean> {
  return inTransaction(db as unknown as Kysely<PointsLedgerTables>, async (ledger) => {
    const trx = ledger as unknown as RevisedPartnersDb;
    const stored = await trx
      .selectFrom('points_partners')
      .select('revision')
      .where('municipality_code', '=', scope.municipalityCode)
      .where('partner_id', '=', partner.partnerId)
      .forUpdate()
      .executeTakeFirst();
    if (stored && stored.revision >= revision) return false;
    await registerPartner(ledger as unknown as PartnersDb, scope, partner, now);
    await trx
      .updateTable('points_partners')
      .set({ revision })
      .where('municipality_code', '=', scope.municipalityCode)
      .where('partner_id', '=', partner.partnerId)
      .execute();
    return true;
  });
}
