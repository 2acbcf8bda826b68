import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { MachiError } from '../../../core/index.ts';
import type { ResidentSignInDb } from './tables.ts';

/** A challenge is answered within 2 minutes or not at all. */
export const CHALLENGE_TTL_MS = 2 * 60_000;

/** What the card signs: a fixed prefix (so no other protocol's message can be replayed here), then the challenge. */
export const SIGN_IN_PREFIX = 'machi-jpki-sign-in/1\n';

export function signInMessage(challenge: string): Uint8Array {
  return new TextEncoder().encode(`${SIGN_IN_PREFIX}${challenge}`);
}

export interface Challenge {
  /** `<base64url payload>.<base64url HMAC>`: opaque to the client, signed as is. */
  readonly challenge: string;
  readonly expiresAt: Date;
}

interface Payload {
  /** 32 random bytes, base64url. */
  readonly n: string;
  /** The origin the sign-in page was served from. */
  readonly o: string;
  /** Expiry, ms since the epoch. */
  readonly e: number;
}

/** The deployment's challenge key: made by the first process, read by the others. */
export async function challengeKey(db: ResidentSignInDb): Promise<Buffer> {
  await db
    .insertInto('jpki_challenge_keys')
    .values({ id: 1, key: randomBytes(32) })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .execute();
  const row = await db
    .selectFrom('jpki_challenge_keys')
    .select('key')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return Buffer.from(row.key);
}

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

/**
 * A single-use nonce bound to the origin and to an expiry. Stateless until answered
 * (the HMAC proves Machi made it), so handing out challenges costs no database write;
 * `consumeChallenge` records the nonce as used, once.
 */
export function createChallenge(key: Buffer, origin: string, now: Date): Challenge {
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  const payload: Payload = { n: randomBytes(32).toString('base64url'), o: origin, e: expiresAt.getTime() };
  const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return { challenge: `${encoded}.${mac(key, encoded).toString('base64url')}`, expiresAt };
}

const invalid = (detail: string) => new MachiError('challenge-invalid', detail);

/** A challenge that Machi made for this origin and that has not expired: its nonce, to spend once. */
export interface OpenedChallenge {
  readonly nonce: string;
  readonly expiresAt: Date;
}

/**
 * Checks a challenge came from Machi for this origin and is still fresh, and returns its
 * nonce. Writes nothing: spending the nonce is the caller's next step (`consumeChallenge`,
 * or the sign-in's one statement), taken only once the signature over it has verified.
 */
export function openChallenge(key: Buffer, challenge: string, origin: string, now: Date): OpenedChallenge {
  const [encoded, tag, extra] = challenge.split('.');
  if (!encoded || !tag || extra !== undefined || challenge.length > 1024)
    throw invalid('The challenge is malformed.');
  const expected = mac(key, encoded);
  const given = Buffer.from(tag, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw invalid('The challenge was not issued by this service.');
  }
  const payload = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Payload;
  if (payload.o !== origin) throw invalid('The challenge was issued for another site.');
  if (payload.e <= now.getTime()) throw invalid('The challenge has expired; start the sign-in again.');
  return { nonce: payload.n, expiresAt: new Date(payload.e) };
}

/** The answer to a challenge whose nonce was spent already (a replay). */
export const challengeUsed = () => invalid('The challenge was already used.');

/**
 * Checks a challenge (`openChallenge`), then marks its nonce used (a replay hits the
 * primary key). Call only once the signature over it has verified, so that a forged
 * answer cannot burn someone else's challenge.
 */
export async function consumeChallenge(
  db: ResidentSignInDb,
  key: Buffer,
  challenge: string,
  origin: string,
  now: Date,
): Promise<void> {
  const { nonce, expiresAt } = openChallenge(key, challenge, origin, now);
  const inserted = await db
    .insertInto('jpki_used_challenges')
    .values({ nonce, expires_at: expiresAt })
    .onConflict((conflict) => conflict.column('nonce').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) throw challengeUsed();
}

/** Forgets nonces whose challenges have expired: they cannot be replayed anyway. */
export async function pruneUsedChallenges(db: ResidentSignInDb, now: Date): Promise<number> {
  const result = await db.deleteFrom('jpki_used_challenges').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
