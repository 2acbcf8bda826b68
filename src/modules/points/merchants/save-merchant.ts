import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import { openAccount } from '../ledger/accounts.ts';
import { inTransaction } from '../ledger/post-transfer.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { zenginText } from '../settlement/zengin.ts';
import { checkMerchant } from './check-merchant.ts';
import type { MerchantsDb, NewMerchant, PointsMerchantsTable } from './merchants.ts';

/** A merchant as staff keep it: its terms and whether it takes points now. */
export interface MerchantTerms extends NewMerchant {
  readonly active: boolean;
}

/** The merchants table with the revision of the staff record each row was last saved from. */
type RevisedMerchantsDb = Kysely<{ points_merchants: PointsMerchantsTable & { revision: number } }>;

/**
 * Registers a merchant or changes it (name, QR names, fee, bank account, status), as staff
 * saved it in lgwan: `revision` counts their saves, and a row already at that revision or a
 * later one is left alone — a message retried after a newer one was taken (the gateway
 * delivers at least once, not in order) never turns a change back. Opens the merchant's points
 * account. A suspended merchant is refused for payments (read-code.ts, one-time-codes.ts),
 * within the few seconds payments cache a merchant (merchant-cache.ts). Returns whether this
 * revision was kept.
 */
export async function saveMerchant(
  db: MerchantsDb,
  scope: TenantScope,
  merchant: MerchantTerms,
  revision: number,
  now: Date,
): Promise<boolean> {
  checkMerchant(scope, merchant);
  const bank = merchant.bank;
  const row = {
    name: merchant.name.trim(),
    name_latin: merchant.nameLatin,
    city_latin: merchant.cityLatin,
    category_code: merchant.categoryCode,
    postal_code: merchant.postalCode ?? null,
    status: merchant.active ? ('active' as const) : ('suspended' as const),
    fee_basis_points: merchant.feeBasisPoints,
    bank_code: bank?.bankCode ?? null,
    branch_code: bank?.branchCode ?? null,
    account_type: bank?.accountType ?? null,
    account_number: bank?.accountNumber ?? null,
    // Kept as the Zengin file writes it (half-width kana, small kana large).
    account_holder_kana: bank ? zenginText(bank.holderKana, 'The account holder') : null,
    revision,
  };
  const ledger = db as unknown as Kysely<PointsLedgerTables>;
  return inTransaction(ledger, async (trx) => {
    const kept = await (trx as unknown as RevisedMerchantsDb)
      .insertInto('points_merchants')
      .values({
        municipality_code: scope.municipalityCode,
        merchant_id: merchant.merchantId,
        created_at: now,
        ...row,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['municipality_code', 'merchant_id'])
          .doUpdateSet(row)
          .where('points_merchants.revision', '<', revision),
      )
      .returning('merchant_id')
      .executeTakeFirst();
    await openAccount(trx, scope, 'merchant', merchant.merchantId, now);
    return kept !== undefined;
  });
}
