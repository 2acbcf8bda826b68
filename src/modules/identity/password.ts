import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { MachiError } from '../../core/index.ts';

/**
 * scrypt (RFC 7914) parameters: N = 2^15, r = 8, p = 1 is OWASP's recommended
 * minimum; about 90 ms and 32 MiB per hash here. Stored in a PHC-like string
 * ($scrypt$ln=15,r=8,p=1$salt$hash, unpadded base64) so the cost can be raised
 * later without breaking old hashes.
 */
const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128·N·r bytes; Node's 32 MiB default is exactly too small.
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a new password. Refuses passwords shorter than 12 characters. */
export async function hashPassword(password: string): Promise<string> {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new MachiError(
      'validation-failed',
      `A password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
    );
  }
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, LOG_N, R, P);
  return `$scrypt$ln=${LOG_N},r=${R},p=${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

const ENCODED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]+)\$([\w-]+)$/;

/** True when `password` matches `encoded`. Constant-time comparison of the derived keys. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const match = ENCODED.exec(encoded);
  if (!match) return false;
  const [, logN, r, p, salt, hash] = match;
  const expected = Buffer.from(hash!, 'base64url');
  // Bounds keep a corrupted row from asking for gigabytes of memory.
  if (Number(logN) < 10 || Number(logN) > 20 || Number(r) > 16 || Number(p) > 4) return false;
  const actual = await derive(password, Buffer.from(salt!, 'base64url'), Number(logN), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same scrypt work as a real check and returns false. Used when the
 * user does not exist, so response time does not tell whether a name is taken.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(18).toString('base64url'));
  await verifyPassword(password, await dummy);
  return false;
}

// No 0/O, 1/l/I: an initial password is read off a screen and typed by hand.
const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random initial password: 20 characters, about 115 bits. */
export function generatePassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return out;
}
