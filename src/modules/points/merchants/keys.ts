import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { MachiError, parseLgCode, type TenantScope, tenantScope } from '../../../core/index.ts';

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

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TOKEN = /^(mk_[A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;

/**
 * A key for one of a merchant's terminals: `mk_<id>.<secret>`, sent as `Authorization: Bearer …`.
 * Only the secret's SHA-256 is stored (it is 256 random bits, so no slow hash is needed); the
 * token is returned once, for the merchant to enter on the terminal.
 */
export async function issueMerchantKey(
  db: MerchantKeysDb,
  scope: TenantScope,
  merchantId: string,
  label: string,
  now: Date,
): Promise<{ keyId: string; token: string }> {
  const keyId = `mk_${randomBytes(12).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  await db
    .insertInto('points_merchant_keys')
    .values({
      key_id: keyId,
      municipality_code: scope.municipalityCode,
      merchant_id: merchantId,
      secret_sha256: sha256(secret),
      label,
      created_at: now,
    })
    .execute();
  return { keyId, token: `${keyId}.${secret}` };
}

/** The merchant a terminal's bearer token belongs to; `authentication-required` otherwise. */
export async function merchantOfToken(
  db: MerchantKeysDb,
  authorization: string | undefined,
): Promise<{ scope: TenantScope; merchantId: string; keyId: string }> {
  const refused = new MachiError(
    'authentication-required',
    'Send the terminal key as Authorization: Bearer mk_….',
  );
  const match = authorization?.match(/^Bearer (\S+)$/)?.[1]?.match(TOKEN);
  if (!match) throw refused;
  const [, keyId, secret] = match as unknown as [string, string, string];
  const row = await db
    .selectFrom('points_merchant_keys')
    .selectAll()
    .where('key_id', '=', keyId)
    .executeTakeFirst();
  if (!row || row.revoked_at) throw refused;
  if (!timingSafeEqual(Buffer.from(row.secret_sha256, 'hex'), createHash('sha256').update(secret).digest())) {
    throw refused;
  }
  return { scope: tenantScope(parseLgCode(row.municipality_code)), merchantId: row.merchant_id, keyId };
}
