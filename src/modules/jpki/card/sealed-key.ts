import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';

/**
 * A private key sealed under a PIN or password: scrypt (RFC 7914) derives an AES-256-GCM
 * key; GCM's tag tells a wrong secret from a right one without a separate check value.
 *
 * Careful: a file cannot count tries the way the card's chip does. Machi's card code
 * keeps the counter in the file and honours it, but a copied file can be attacked
 * offline, and a 4-digit PIN has only 10,000 values; scrypt slows that, nothing more.
 * Treat a card file as the card itself.
 */
export interface SealedKey {
  readonly kdf: 'scrypt';
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: string;
  readonly iv: string;
  readonly ciphertext: string;
  readonly tag: string;
}

/** scrypt cost: 2^15 takes ~0.1 s and 32 MiB, per unlock. */
export const DEFAULT_COST = 2 ** 15;

function derive(secret: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      secret.normalize('NFKC'),
      salt,
      32,
      { N, r, p, maxmem: 256 * N * r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

export async function sealKey(pkcs8: Uint8Array, secret: string, N = DEFAULT_COST): Promise<SealedKey> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await derive(secret, salt, N, 8, 1);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return {
    kdf: 'scrypt',
    N,
    r: 8,
    p: 1,
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** The PKCS#8 key, or undefined when the secret is wrong. */
export async function unsealKey(sealed: SealedKey, secret: string): Promise<Buffer | undefined> {
  const key = await derive(secret, Buffer.from(sealed.salt, 'base64'), sealed.N, sealed.r, sealed.p);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return undefined;
  }
}
