import type { Kysely } from 'kysely';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import type { MerchantTerms } from '../merchants/save-merchant.ts';

interface AdminMerchantsTable {
  municipality_code: string;
  merchant_id: string;
  terms: MerchantTerms | string;
  revision: number;
  updated_at: Date;
  updated_by: string;
}

interface AdminMerchantKeysTable {
  municipality_code: string;
  key_id: string;
  merchant_id: string;
  label: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export type MerchantsAdminDb = Kysely<{
  points_admin_merchants: AdminMerchantsTable;
  points_admin_merchant_keys: AdminMerchantKeysTable;
}>;

export interface AdminMerchant {
  readonly terms: MerchantTerms;
  /** How many times staff saved it: sent along, so the internet zone keeps the newest. */
  readonly revision: number;
  readonly updatedAt: Date;
}

/** A terminal key as lgwan remembers it: never the token. */
export interface IssuedKey {
  readonly keyId: string;
  readonly label: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

const termsOf = (row: AdminMerchantsTable): MerchantTerms =>
  typeof row.terms === 'string' ? (JSON.parse(row.terms) as MerchantTerms) : row.terms;

/**
 * Keeps a merchant's terms (already checked) as its next revision and returns that revision.
 * `new` refuses an id taken (a `conflict`, so that registering never overwrites a shop by
 * accident); `edit` needs the merchant here (`not-found`).
 */
export async function saveAdminMerchant(
  db: MerchantsAdminDb,
  scope: TenantScope,
  terms: MerchantTerms,
  mode: 'new' | 'edit',
  staffId: string,
  now: Date,
): Promise<number> {
  const changed = { terms: JSON.stringify(terms), updated_at: now, updated_by: staffId };
  if (mode === 'new') {
    const made = await db
      .insertInto('points_admin_merchants')
      .values({
        municipality_code: scope.municipalityCode,
        merchant_id: terms.merchantId,
        revision: 1,
        ...changed,
      })
      .onConflict((conflict) => conflict.columns(['municipality_code', 'merchant_id']).doNothing())
      .returning('revision')
      .executeTakeFirst();
    if (!made) throw new MachiError('conflict', `A merchant ${terms.merchantId} is registered already.`);
    return made.revision;
  }
  const saved = await db
    .updateTable('points_admin_merchants')
    .set((eb) => ({ ...changed, revision: eb('revision', '+', 1) }))
    .where('municipality_code', '=', scope.municipalityCode)
    .where('merchant_id', '=', terms.merchantId)
    .returning('revision')
    .executeTakeFirst();
  if (!saved) throw new MachiError('not-found', `No merchant ${terms.merchantId} here.`);
  return saved.revision;
}

export async function adminMerchants(db: MerchantsAdminDb, scope: TenantScope): Promise<AdminMerchant[]> {
  const rows = await db
    .selectFrom('points_admin_merchants')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .orderBy('merchant_id')
    .execute();
  return rows.map((row) => ({ terms: termsOf(row), revision: row.revision, updatedAt: row.updated_at }));
}

/** The merchant of this municipality, or `not-found` (another municipality's id is not-found too). */
export async function adminMerchantOf(
  db: MerchantsAdminDb,
  scope: TenantScope,
  merchantId: string,
): Promise<AdminMerchant> {
  const row = await db
    .selectFrom('points_admin_merchants')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('merchant_id', '=', merchantId)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'No such merchant here.');
  return { terms: termsOf(row), revision: row.revision, updatedAt: row.updated_at };
}

export async function recordIssuedKey(
  db: MerchantsAdminDb,
  scope: TenantScope,
  key: { merchantId: string; keyId: string; label: string },
  staffId: string,
  now: Date,
): Promise<void> {
  await db
    .insertInto('points_admin_merchant_keys')
    .values({
      municipality_code: scope.municipalityCode,
      key_id: key.keyId,
      merchant_id: key.merchantId,
      label: key.label,
      created_at: now,
      created_by: staffId,
    })
    .execute();
}

export async function issuedKeys(
  db: MerchantsAdminDb,
  scope: TenantScope,
  merchantId: string,
): Promise<IssuedKey[]> {
  const rows = await db
    .selectFrom('points_admin_merchant_keys')
    .select(['key_id', 'label', 'created_at', 'revoked_at'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('merchant_id', '=', merchantId)
    .orderBy('created_at')
    .execute();
  return rows.map((row) => ({
    keyId: row.key_id,
    label: row.label,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  }));
}

/**
 * Marks one of the merchant's keys revoked; answers false when it was revoked before (nothing
 * to send again). A key of another merchant or municipality is `not-found`.
 */
export async function recordRevokedKey(
  db: MerchantsAdminDb,
  scope: TenantScope,
  key: { merchantId: string; keyId: string },
  staffId: string,
  now: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('points_admin_merchant_keys')
    .select('revoked_at')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('merchant_id', '=', key.merchantId)
    .where('key_id', '=', key.keyId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'No such key of this merchant.');
  if (row.revoked_at) return false;
  await db
    .updateTable('points_admin_merchant_keys')
    .set({ revoked_at: now, revoked_by: staffId })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('key_id', '=', key.keyId)
    .execute();
  return true;
}
