import { type Kysely, sql } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import type { PointsLedgerTables } from './tables.ts';

/** What one transfer (or one step of it) changes in one account's totals. */
export interface TotalsChange {
  debitsPosted: number;
  creditsPosted: number;
  debitsPending: number;
  creditsPending: number;
}

export const noChange = (): TotalsChange => ({
  debitsPosted: 0,
  creditsPosted: 0,
  debitsPending: 0,
  creditsPending: 0,
});

/** The change of `account` in `changes`, started at zero on first use. */
export function changeOf(changes: Map<string, TotalsChange>, account: string): TotalsChange {
  let entry = changes.get(account);
  if (!entry) {
    entry = noChange();
    changes.set(account, entry);
  }
  return entry;
}

/**
 * Applies each account's change, in account order (two transfers over the same accounts lock
 * them in the same order, so they cannot deadlock). The overdraft rule is checked in the
 * UPDATE itself, on the row it locks: of 100 payers spending the same points at once, exactly
 * as many succeed as the balance covers. Answers which accounts track expiry.
 */
export async function applyTotals(
  trx: Kysely<PointsLedgerTables>,
  scope: TenantScope,
  changes: ReadonlyMap<string, TotalsChange>,
): Promise<Map<string, { tracksExpiry: boolean }>> {
  const accounts = new Map<string, { tracksExpiry: boolean }>();
  for (const account of [...changes.keys()].sort()) {
    const change = changes.get(account) as TotalsChange;
    // The spendable amount after the change, credits_posted − debits_posted − debits_pending, must stay ≥ 0.
    const taken = change.debitsPosted + change.debitsPending - change.creditsPosted;
    const result = await sql<{ tracks_expiry: boolean }>`
      update points_accounts set
        debits_posted = debits_posted + ${change.debitsPosted},
        credits_posted = credits_posted + ${change.creditsPosted},
        debits_pending = debits_pending + ${change.debitsPending},
        credits_pending = credits_pending + ${change.creditsPending}
      where municipality_code = ${scope.municipalityCode} and account_id = ${account}
        and (not no_overdraft or credits_posted - debits_posted - debits_pending >= ${taken})
      returning tracks_expiry`.execute(trx);
    const row = result.rows[0];
    if (!row) {
      const exists = await trx
        .selectFrom('points_accounts')
        .select('account_id')
        .where('municipality_code', '=', scope.municipalityCode)
        .where('account_id', '=', account)
        .executeTakeFirst();
      if (!exists) throw new MachiError('not-found', `No points account ${account}.`);
      throw new MachiError('points-insufficient', `Not enough points in ${account} for this transfer.`);
    }
    accounts.set(account, { tracksExpiry: row.tracks_expiry });
  }
  return accounts;
}
