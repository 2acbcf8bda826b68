// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs Reflect metadata.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// @peculiar/x509 signs through WebCrypto; Node's implementation is OpenSSL underneath.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/** RSA-2048 with SHA-256 (RSASSA-PKCS1-v1_5), as JPKI's certificates and signatures use. */
export const RSA_SHA256 = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

export const subtle = webcrypto.subtle as unknown as SubtleCrypto;

/** A fresh RSA-2048 key pair. `extractable` only where the key must be written to a file. */
export async function generateRsaKeyPair(extractable: boolean): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(RSA_SHA256, extractable, ['sign', 'verify'])) as CryptoKeyPair;
}

/** PKCS#8 DER of an RSA private key → a signing key. */
export async function importPrivateKey(
  pkcs8: Uint8Array<ArrayBuffer>,
  extractable = false,
): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', pkcs8, RSA_SHA256, extractable, ['sign']);
}

export async function exportPrivateKey(key: CryptoKey): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await subtle.exportKey('pkcs8', key));
}

/** A random positive serial of 16 bytes, hex (RFC 5280 §4.1.2.2: unique per CA, ≤ 20 octets). */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive, and no leading zero byte to trim
  return Buffer.from(bytes).toString('hex');
}

export { x509 };
