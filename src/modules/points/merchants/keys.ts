import type { Kysely } from 'kysely';
import {
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
