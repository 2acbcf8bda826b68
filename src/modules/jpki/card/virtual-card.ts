import { randomUUID, sign } from 'node:crypto';
import { MachiError } from '../../../core/index.ts';
import type { CertificateKind } from '../pki/authority.ts';
import { exportPrivateKey, generateRsaKeyPair, RSA_SHA256, subtle, x509 } from '../pki/crypto.ts';
import { decodeCertificate } from '../pki/encoding.ts';
import { CARD_FORMAT, type CardContent, type CardKey, type CardStorage } from './card-storage.ts';
import { DEFAULT_COST, sealKey, unsealKey } from './sealed-key.ts';
import { checkSecretShape, secretRules } from './secrets.ts';

const kinds = ['auth', 'signing'] as const;

export interface NewCard {
  readonly content: CardContent;
  /** PKCS#10 requests (DER) the issuing CA answers with certificates. */
  readonly requests: Readonly<Record<CertificateKind, Uint8Array>>;
}

/**
 * A new card: it makes its own two key pairs, seals each private key under its secret
 * and hands out only certificate requests, as the chip does at the counter.
 * `cost` is scrypt's N (lower only in tests).
 */
export async function manufactureCard(
  secrets: { pin: string; password: string },
  options: { now: Date; cost?: number },
): Promise<NewCard> {
  checkSecretShape('auth', secrets.pin);
  checkSecretShape('signing', secrets.password);
  const keys = {} as Record<CertificateKind, CardKey>;
  const requests = {} as Record<CertificateKind, Uint8Array>;
  for (const kind of kinds) {
    const pair = await generateRsaKeyPair(true);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=My Number card',
      keys: pair,
      signingAlgorithm: RSA_SHA256,
    });
    requests[kind] = new Uint8Array(csr.rawData);
    const secret = kind === 'auth' ? secrets.pin : secrets.password;
    keys[kind] = {
      sealed: await sealKey(await exportPrivateKey(pair.privateKey), secret, options.cost ?? DEFAULT_COST),
      publicKey: Buffer.from(await subtle.exportKey('spki', pair.publicKey)).toString('base64'),
      certificate: null,
      failures: 0,
    };
  }
  const content: CardContent = {
    format: CARD_FORMAT,
    cardId: randomUUID(),
    createdAt: options.now.toISOString(),
    keys,
  };
  return { content, requests };
}

export interface KeyStatus {
  readonly locked: boolean;
  readonly remainingTries: number;
  readonly certificate: x509.X509Certificate | null;
}

/** The card as its holder uses it: certificates are public, keys answer only to their secret. */
export class VirtualCard {
  constructor(private readonly storage: CardStorage) {}

  async cardId(): Promise<string> {
    return (await this.storage.read()).cardId;
  }

  /** The id the counter knows the card by, once issued. */
  async issuedCardId(): Promise<string | undefined> {
    return (await this.storage.read()).issuedCardId;
  }

  async recordIssue(issuedCardId: string): Promise<void> {
    await this.storage.update(async (content) => ({
      content: { ...content, issuedCardId },
      result: undefined,
    }));
  }

  async status(kind: CertificateKind): Promise<KeyStatus> {
    const key = (await this.storage.read()).keys[kind];
    const max = secretRules[kind].maxFailures;
    return {
      locked: key.failures >= max,
      remainingTries: Math.max(0, max - key.failures),
      certificate: key.certificate ? decodeCertificate(key.certificate) : null,
    };
  }

  async certificate(kind: CertificateKind): Promise<x509.X509Certificate> {
    const { certificate } = await this.status(kind);
    if (!certificate) throw new MachiError('not-found', `The card holds no ${kind} certificate yet.`);
    return certificate;
  }

  /** Writes an issued certificate onto the card; refused unless it certifies this card's key. */
  async install(kind: CertificateKind, certificatePem: string): Promise<void> {
    const certificate = decodeCertificate(certificatePem);
    const spki = Buffer.from(certificate.publicKey.rawData).toString('base64');
    await this.storage.update(async (content) => {
      if (content.keys[kind].publicKey !== spki) {
        throw new MachiError('conflict', `That certificate is not for this card's ${kind} key.`);
      }
      const keys = {
        ...content.keys,
        [kind]: { ...content.keys[kind], certificate: certificate.toString('pem') },
      };
      return { content: { ...content, keys }, result: undefined };
    });
  }

  /**
   * Signs `data` (RSASSA-PKCS1-v1_5, SHA-256) with the key of `kind` once its secret is
   * given. A wrong secret counts a failure; the last allowed failure locks the key,
   * and a locked key refuses even the right secret (reset only at the counter).
   */
  async sign(kind: CertificateKind, secret: string, data: Uint8Array): Promise<Uint8Array> {
    checkSecretShape(kind, secret);
    const max = secretRules[kind].maxFailures;
    return this.storage.update<Uint8Array>(async (content) => {
      const key = content.keys[kind];
      if (key.failures >= max) return { error: new MachiError('card-locked') };
      const withFailures = (failures: number): CardContent => ({
        ...content,
        keys: { ...content.keys, [kind]: { ...key, failures } },
      });
      const pkcs8 = await unsealKey(key.sealed, secret);
      if (!pkcs8) {
        const failures = key.failures + 1;
        const remainingTries = max - failures;
        const error =
          remainingTries === 0
            ? new MachiError('card-locked')
            : new MachiError(
                'pin-incorrect',
                `Wrong ${kind === 'auth' ? 'PIN' : 'password'}: ${remainingTries} tries left.`,
                {
                  remainingTries,
                },
              );
        return { content: withFailures(failures), error };
      }
      const signature = sign('sha256', data, { key: pkcs8, format: 'der', type: 'pkcs8' });
      const result = new Uint8Array(signature);
      return key.failures > 0 ? { content: withFailures(0), result } : { result };
    });
  }
}
