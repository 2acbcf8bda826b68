// Residents for `npm run bench submit`: each with a card — an auth and a signing certificate
// from the deployment's CAs, the signing one carrying the basic four — whose status the
// internet zone knows as good (what lgwan's relay delivers after issuance), signed in on the
// portal over HTTP as a browser does it: a challenge, the card's signature, the sign-in,
// then /api/v1/jpki/me for the CSRF token.
//
// Key pairs come from a small pool (RSA-2048 generation takes ~0.1–0.2 s each on this
// machine): every certificate is distinct (serial, resident), which is all the server sees
// and caches by; sharing keys between test residents changes none of its work.
import { createPrivateKey, randomUUID, sign as rsaSign } from 'node:crypto';
import type { MachiConfig } from '../../src/core/index.ts';
import {
  type JpkiStatusDb,
  loadIssuer,
  locationsOf,
  signInMessage,
  storeStatus,
} from '../../src/modules/jpki/index.ts';
import { RSA_SHA256, subtle, x509 } from '../../src/modules/jpki/pki/crypto.ts';
import { issueCertificate } from '../../src/modules/jpki/pki/issue-certificate.ts';

const DAY = 86_400_000;
const KEY_POOL = 16;

export interface BenchResident {
  readonly cookie: string;
  readonly csrf: string;
  /** The signing certificate (署名用電子証明書), DER as base64. */
  readonly signingCertificate: string;
  /** Its private key, PKCS#8 DER as base64: it stays with the client, which signs the filings. */
  readonly signingKey: string;
}

interface Card {
  readonly subjectId: string;
  readonly auth: { certificate: x509.X509Certificate; pkcs8: Uint8Array };
  readonly signing: { certificate: x509.X509Certificate; pkcs8: Uint8Array };
}

async function keyPool(): Promise<{ keys: CryptoKeyPair; pkcs8: Uint8Array }[]> {
  return Promise.all(
    Array.from({ length: KEY_POOL }, async () => {
      const keys = (await subtle.generateKey(RSA_SHA256, true, ['sign', 'verify'])) as CryptoKeyPair;
      return { keys, pkcs8: new Uint8Array(await subtle.exportKey('pkcs8', keys.privateKey)) };
    }),
  );
}

/** `count` cards of residents of `municipalityCode`, their status stored as good in `db`. */
export async function issueCards(
  config: MachiConfig,
  db: JpkiStatusDb,
  municipalityCode: string,
  count: number,
): Promise<Card[]> {
  const cas = await loadIssuer(config.jpki);
  const pool = await keyPool();
  const now = Date.now();
  const cards: Card[] = [];
  for (let i = 0; i < count; i++) {
    const subjectId = randomUUID();
    const issue = async (kind: 'auth' | 'signing', key: (typeof pool)[number]) => {
      const request = await x509.Pkcs10CertificateRequestGenerator.create({
        name: 'CN=card',
        keys: key.keys,
        signingAlgorithm: RSA_SHA256,
      });
      const certificate = await issueCertificate(cas[kind], {
        kind,
        request: new Uint8Array(request.rawData),
        notBefore: new Date(now - DAY),
        notAfter: new Date(now + 365 * DAY),
        locations: locationsOf(config.jpki),
        ...(kind === 'signing'
          ? {
              basicFour: {
                name: `佐藤　花子${i}`,
                nameSubstitute: '',
                sex: '2' as const,
                dateOfBirth: '1992-05-05',
                address: `東京都千代田区千代田一丁目${(i % 9) + 1}番${(i % 20) + 1}号`,
                addressSubstitute: '',
              },
            }
          : {}),
      });
      await storeStatus(db, {
        municipalityCode,
        serialNumber: certificate.serialNumber.toLowerCase(),
        kind,
        notAfter: certificate.notAfter.toISOString(),
        revokedAt: null,
        reason: null,
        subjectId,
        version: 1,
      });
      return { certificate, pkcs8: key.pkcs8 };
    };
    cards.push({
      subjectId,
      auth: await issue('auth', pool[(2 * i) % KEY_POOL]!),
      signing: await issue('signing', pool[(2 * i + 1) % KEY_POOL]!),
    });
  }
  return cards;
}

async function signInOne(base: string, card: Card): Promise<BenchResident> {
  const challenged = await fetch(`${base}/api/v1/jpki/challenges`, { method: 'POST' });
  if (challenged.status !== 200) throw new Error(`challenge: HTTP ${challenged.status}`);
  const { challenge } = (await challenged.json()) as { challenge: string };
  const key = createPrivateKey({ key: Buffer.from(card.auth.pkcs8), format: 'der', type: 'pkcs8' });
  const signedIn = await fetch(`${base}/api/v1/jpki/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      challenge,
      certificate: Buffer.from(card.auth.certificate.rawData).toString('base64'),
      signature: rsaSign('sha256', signInMessage(challenge), key).toString('base64'),
    }),
  });
  if (signedIn.status !== 200) throw new Error(`sign-in: HTTP ${signedIn.status} ${await signedIn.text()}`);
  const cookie = signedIn.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .join('; ');
  const me = await fetch(`${base}/api/v1/jpki/me`, { headers: { cookie } });
  if (me.status !== 200) throw new Error(`me: HTTP ${me.status}`);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  return {
    cookie,
    csrf: csrfToken,
    signingCertificate: Buffer.from(card.signing.certificate.rawData).toString('base64'),
    signingKey: Buffer.from(card.signing.pkcs8).toString('base64'),
  };
}

/** Signs every card's resident in on the portal at `port`, a few at a time. */
export async function signInAll(port: number, cards: readonly Card[]): Promise<BenchResident[]> {
  const base = `http://127.0.0.1:${port}`;
  const residents: BenchResident[] = new Array(cards.length);
  let next = 0;
  const loop = async () => {
    while (next < cards.length) {
      const index = next++;
      residents[index] = await signInOne(base, cards[index]!);
    }
  };
  await Promise.all(Array.from({ length: 8 }, loop));
  return residents;
}
