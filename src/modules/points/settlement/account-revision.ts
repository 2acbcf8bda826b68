import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { type SettlementAccount, type SettlementDb, setSettlementAccount } from './settle-merchants.ts';

type RevisedAccountsDb = Kysely<{
  points_settlement_accounts: { municipality_code: string; revision: number };
}>;

/**
 * setSettlementAccount for the account staff saved in lgwan: `revision` counts their saves, and
 * an account already at that revision or a later one is left alone (a message retried after a
 * newer one was taken must not bring back an old account). Returns whether it was kept.
 */
export async function setSettlementAccountRevision(
  db: SettlementDb,
  scope: TenantScope,
  account: SettlementAccount,
  revision: number,
): Promise<boolean> {
  const work = async (trx: SettlementDb) => {
    const accounts = trx as unknown as RevisedAccountsDb;
    const stored = await accounts
      .selectFrom('points_settlement_accounts')
      .select('revision')
      .where('municipality_code', '=', scope.municipalityCode)
      .forUpdate()
      .executeTakeFirst();
    if (stored && stored.revision >= revision) return false;
    await setSettlementAccount(trx, scope, account);
    await accounts
      .updateTable('points_settlement_accounts')
      .set({ revision })
      .where('municipality_code', '=', scope.municipalityCode)
      .execute();
    return true;
  };
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
