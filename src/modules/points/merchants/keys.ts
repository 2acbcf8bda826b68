import type { Kysely } from 'kysely';
import {
  MachiError,
  newTerminalKey,
  parseLgCode,
  type TenantScope,
  tenantScope,
  verifyTerminalKey,
} from '../../../core/index.ts';

export interface MerchantKeysTable {
  key_id: string;
  municipality_code: string;
  merchant_id: string;
  secret_sha256: string;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
}

export type MerchantKeysDb = Kysely<{ points_merchant_keys: MerchantKeysTable }>;

/**
 * A key for one of a merchant's terminals (`mk_…`), sent as `Authorization: Bearer …`; the
 * token is returned once, for the merchant to enter on the terminal.
 */
export async function issueMerchantKey(
  db: MerchantKeysDb,
  scope: TenantScope,
  merchantId: string,
  label: string,
  now: Date,
): Promise<{ keyId: string; token: string }> {
  const key = newTerminalKey('mk');
  await db
    .insertInto('points_merchant_keys')
    .values({
      key_id: key.keyId,
      municipality_code: scope.municipalityCode,
      merchant_id: merchantId,
      secret_sha256: key.secretSha256,
      label,
      created_at: now,
    })
    .execute();
  return { keyId: key.keyId, token: key.token };
}

/**
 * Keeps a key staff made in lgwan, of which only the secret's SHA-256 came: the same key again
 * changes nothing (a message delivered twice), a key id taken by another key is a conflict.
 */
export async function storeMerchantKey(
  db: MerchantKeysDb,
  scope: TenantScope,
  key: { merchantId: string; keyId: string; secretSha256: string; label: string },
  now: Date,
): Promise<void> {
  await db
    .insertInto('points_merchant_keys')
    .values({
      key_id: key.keyId,
      municipality_code: scope.municipalityCode,
      merchant_id: key.merchantId,
      secret_sha256: key.secretSha256,
      label: key.label,
      created_at: now,
    })
    .onConflict((conflict) => conflict.column('key_id').doNothing())
    .execute();
  const kept = await db
    .selectFrom('points_merchant_keys')
    .select(['municipality_code', 'merchant_id', 'secret_sha256'])
    .where('key_id', '=', key.keyId)
    .executeTakeFirstOrThrow();
  if (
    kept.municipality_code !== scope.municipalityCode ||
    kept.merchant_id !== key.merchantId ||
    kept.secret_sha256 !== key.secretSha256
  ) {
    throw new MachiError('conflict', 'That key id is another key.');
  }
}

/**
 * Revokes one of the merchant's keys: its terminal is refused from then on (verifyTerminalKey).
 * Revoking again keeps the first time. A key not here is `not-found`, so that a revocation
 * that overtook its key's arrival is tried again rather than lost.
 */
export async function revokeMerchantKey(
  db: MerchantKeysDb,
  scope: TenantScope,
  key: { merchantId: string; keyId: string },
  now: Date,
): Promise<void> {
  const found = await db
    .updateTable('points_merchant_keys')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
    .where('key_id', '=', key.keyId)
    .where('municipality_code', '=', scope.municipalityCode)
    .where('merchant_id', '=', key.merchantId)
    .returning('key_id')
    .executeTakeFirst();
  if (!found) throw new MachiError('not-found', 'No such key of this merchant.');
}

/** The merchant a terminal's bearer token belongs to; `authentication-required` otherwise. */
export async function merchantOfToken(
  db: MerchantKeysDb,
  authorization: string | undefined,
): Promise<{ scope: TenantScope; merchantId: string; keyId: string }> {
  const { keyId, row } = await verifyTerminalKey(authorization, 'mk', 'terminal key', (id) =>
    db.selectFrom('points_merchant_keys').selectAll().where('key_id', '=', id).executeTakeFirst(),
  );
  return { scope: tenantScope(parseLgCode(row.municipality_code)), merchantId: row.merchant_id, keyId };
}
