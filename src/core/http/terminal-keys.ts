import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { MachiError } from '../errors/index.ts';

/**
 * Keys for machines that call Machi on someone's behalf — a shop's till, a facility's card
 * reader: `<prefix>_<id>.<secret>`, sent as `Authorization: Bearer …`. The secret is 256
 * random bits, so its SHA-256 is all that needs keeping (no slow hash: there is nothing to
 * guess); the token is shown once, when the key is made.
 */
export interface NewTerminalKey {
  readonly keyId: string;
  readonly token: string;
  readonly secretSha256: string;
}

const sha256 = (text: string) => hash('sha256', text, 'buffer');

export function newTerminalKey(prefix: string): NewTerminalKey {
  const keyId = `${prefix}_${randomBytes(12).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  return { keyId, token: `${keyId}.${secret}`, secretSha256: sha256(secret).toString('hex') };
}

/** The key id and secret of an `Authorization: Bearer <prefix>_…` header, if it is one. */
export function readBearerKey(
  authorization: string | undefined,
  prefix: string,
): { keyId: string; secret: string } | undefined {
  const token = authorization?.match(/^Bearer (\S+)$/)?.[1];
  const match = token?.match(/^([a-z]+_[A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/);
  if (!match?.[1]?.startsWith(`${prefix}_`) || !match[2]) return undefined;
  return { keyId: match[1], secret: match[2] };
}

/** Whether `secret` is the one whose SHA-256 was kept (compared in constant time). */
export function keySecretMatches(secret: string, secretSha256: string): boolean {
  const kept = Buffer.from(secretSha256, 'hex');
  return kept.length === 32 && timingSafeEqual(kept, sha256(secret));
}

/** What a key's table keeps of it, as the lookup below reads it. */
export interface KeptTerminalKey {
  readonly secret_sha256: string;
  readonly revoked_at: Date | null;
}

/**
 * The kept row of the key an `Authorization: Bearer <prefix>_…` header carries, once its
 * secret matches and it is not revoked; `authentication-required` (saying `what` to send)
 * for anything else — no header, another kind of key, an unknown id, a wrong secret.
 */
export async function verifyTerminalKey<Row extends KeptTerminalKey>(
  authorization: string | undefined,
  prefix: string,
  what: string,
  find: (keyId: string) => Promise<Row | undefined>,
): Promise<{ keyId: string; row: Row }> {
  const refused = new MachiError(
    'authentication-required',
    `Send the ${what} as Authorization: Bearer ${prefix}_….`,
  );
  const key = readBearerKey(authorization, prefix);
  if (!key) throw refused;
  const row = await find(key.keyId);
  if (!row || row.revoked_at || !keySecretMatches(key.secret, row.secret_sha256)) throw refused;
  return { keyId: key.keyId, row };
}
