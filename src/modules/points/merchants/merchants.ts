import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { accountId, openAccount } from '../ledger/accounts.ts';
import type { PointsLedgerTables } from '../ledger/tables.ts';
import { encodeMerchantQr } from '../qr/emv-qr.ts';

export interface PointsMerchantsTable {
  municipality_code: string;
  merchant_id: string;
  name: string;
  name_latin: string;
  city_latin: string;
  category_code: string;
  postal_code: string | null;
  status: 'active' | 'suspended';
  fee_basis_points: number;
  bank_code: string | null;
  branch_code: string | null;
  account_type: '1' | '2' | null;
  account_number: string | null;
  account_holder_kana: string | null;
  created_at: Date;
}

export type MerchantsDb = Kysely<PointsLedgerTables & { points_merchants: PointsMerchantsTable }>;

export interface Merchant {
  readonly merchantId: string;
  readonly name: string;
  readonly nameLatin: string;
  readonly cityLatin: string;
  readonly categoryCode: string;
  readonly postalCode: string | null;
  readonly active: boolean;
  readonly feeBasisPoints: number;
  /** The merchant's points account. */
  readonly accountId: string;
}

export interface NewMerchant {
  readonly merchantId: string;
  readonly name: string;
  readonly nameLatin: string;
  readonly cityLatin: string;
  readonly categoryCode: string;
  readonly postalCode?: string;
  readonly feeBasisPoints: number;
  readonly bank?: {
    readonly bankCode: string;
    readonly branchCode: string;
    readonly accountType: '1' | '2';
    readonly accountNumber: string;
    readonly holderKana: string;
  };
}

function merchantOfRow(row: PointsMerchantsTable): Merchant {
  return {
    merchantId: row.merchant_id,
    name: row.name,
    nameLatin: row.name_latin,
    cityLatin: row.city_latin,
    categoryCode: row.category_code,
    postalCode: row.postal_code,
    active: row.status === 'active',
    feeBasisPoints: row.fee_basis_points,
    accountId: accountId('merchant', row.merchant_id),
  };
}

/**
 * Registers a merchant with its points account; registering the same id again changes nothing
 * (demo data, tests). Staff register and change merchants in lgwan: saveMerchant keeps those.
 */
export async function registerMerchant(
  db: MerchantsDb,
  scope: TenantScope,
  merchant: NewMerchant,
  now: Date,
): Promise<Merchant> {
  // The QR code must be writable for this merchant: the same checks, before anything is stored.
  encodeMerchantQr({
    kind: 'static',
    municipalityCode: scope.municipalityCode,
    merchantId: merchant.merchantId,
    categoryCode: merchant.categoryCode,
    merchantName: merchant.nameLatin,
    merchantCity: merchant.cityLatin,
  });
  if (!/^\d{4}$/.test(merchant.categoryCode)) {
    throw new MachiError('validation-failed', 'The merchant category code is 4 digits.');
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('points_merchants')
      .values({
        municipality_code: scope.municipalityCode,
        merchant_id: merchant.merchantId,
        name: merchant.name,
        name_latin: merchant.nameLatin,
        city_latin: merchant.cityLatin,
        category_code: merchant.categoryCode,
        postal_code: merchant.postalCode ?? null,
        status: 'active',
        fee_basis_points: merchant.feeBasisPoints,
        bank_code: merchant.bank?.bankCode ?? null,
        branch_code: merchant.bank?.branchCode ?? null,
        account_type: merchant.bank?.accountType ?? null,
        account_number: merchant.bank?.accountNumber ?? null,
        account_holder_kana: merchant.bank?.holderKana ?? null,
        created_at: now,
      })
      .onConflict((conflict) => conflict.columns(['municipality_code', 'merchant_id']).doNothing())
      .execute();
    await openAccount(
      trx as unknown as Kysely<PointsLedgerTables>,
      scope,
      'merchant',
      merchant.merchantId,
      now,
    );
  });
  return merchantOf(db, scope, merchant.merchantId);
}

/** The merchant, or `merchant-unknown`. */
export async function merchantOf(db: MerchantsDb, scope: TenantScope, merchantId: string): Promise<Merchant> {
  const row = await db
    .selectFrom('points_merchants')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!row) throw new MachiError('merchant-unknown', `No merchant ${merchantId} in this municipality.`);
  return merchantOfRow(row);
}

/** The text of the merchant's QR code: static (the payer types the amount) or with an amount. */
export function merchantQrText(
  scope: TenantScope,
  merchant: Merchant,
  charge?: { amount: number; reference?: string },
): string {
  return encodeMerchantQr({
    kind: charge ? 'dynamic' : 'static',
    municipalityCode: scope.municipalityCode,
    merchantId: merchant.merchantId,
    categoryCode: merchant.categoryCode,
    merchantName: merchant.nameLatin,
    merchantCity: merchant.cityLatin,
    merchantNameJa: merchant.name,
    ...(merchant.postalCode ? { postalCode: merchant.postalCode } : {}),
    ...(charge
      ? { amount: charge.amount, ...(charge.reference ? { reference: charge.reference } : {}) }
      : {}),
  });
}
