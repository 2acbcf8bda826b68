// The browser card's CMS builder (pages/cms-signed-data.js), run in Node: what it writes
// must be what the server writes, verify as a filing's signature, and verify in OpenSSL.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDetachedSignature, issuerAndSerial } from '../pages/cms-signed-data.js';
import type { Hierarchy } from '../pki/authority.ts';
import { RSA_SHA256, subtle } from '../pki/crypto.ts';
import { issueTestCertificate, testBasicFour, testHierarchy } from '../test-support.ts';
import type { RevocationChecker } from '../verify/revocation.ts';
import { createTrustStore, type TrustStore } from '../verify/trust-store.ts';
import { verifyDocumentSignature } from '../verify/verify-signature.ts';
import { signDetached, verifyDetached } from './index.ts';

// What a procedure page hands the card: the filing as UTF-8 JSON (procedures' signed-document.ts).
const document = new TextEncoder().encode(
  JSON.stringify({
    procedureId: 'child-allowance-claim',
    municipalityCode: '131016',
    data: { claimant: '山田 太郎', children: 2 },
    attachments: [],
    filedAt: '2026-04-01T09:00:00.000Z',
  }),
);
const tampered = new TextEncoder().encode(new TextDecoder().decode(document).replace('2}', '3}'));

let hierarchy: Hierarchy;
let card: Awaited<ReturnType<typeof issueTestCertificate>>;
let certificate: Uint8Array;
let trust: TrustStore;
const sign = async (data: Uint8Array) =>
  new Uint8Array(await subtle.sign(RSA_SHA256, card.keys.privateKey, new Uint8Array(data)));
/** Now, to the second: a CMS signingTime carries no fraction. */
const wholeSecondsNow = () => new Date(Math.floor(Date.now() / 1000) * 1000);
const good: RevocationChecker = {
  status: async () => ({ status: 'good', source: 'ocsp' }),
  requireGood: async () => ({ status: 'good', source: 'ocsp' }),
};

beforeAll(async () => {
  hierarchy = await testHierarchy();
  card = await issueTestCertificate(hierarchy, 'signing');
  certificate = new Uint8Array(card.certificate.rawData);
  trust = await createTrustStore({
    roots: [hierarchy.root.certificate],
    issuers: { auth: [hierarchy.ca.auth.certificate], signing: [hierarchy.ca.signing.certificate] },
  });
});

describe('buildDetachedSignature', () => {
  // RSASSA-PKCS1-v1_5 is deterministic: the same input must give the very same bytes.
  it.each([
    ['UTCTime', new Date('2026-04-01T09:00:00Z')],
    ['GeneralizedTime from 2050', new Date('2050-01-01T00:00:00Z')],
  ])('writes byte for byte what the server signDetached writes (%s)', async (_, signingTime) => {
    const browser = await buildDetachedSignature({ document, certificate, signingTime, sign });
    const server = await signDetached(document, { certificate: card.certificate, sign }, { signingTime });
    expect(Buffer.from(browser).toString('hex')).toBe(Buffer.from(server).toString('hex'));
  });

  it('is verified by verifyDetached, which hands back the signer and the signing time', async () => {
    const signingTime = new Date('2026-04-01T09:00:00.789Z');
    const signature = await buildDetachedSignature({ document, certificate, signingTime, sign });
    const result = await verifyDetached(signature, document);
    expect(result.documentIntact).toBe(true);
    expect(result.signingTime).toEqual(new Date('2026-04-01T09:00:00Z'));
    expect(Buffer.from(result.signer.rawData).equals(certificate)).toBe(true);
    expect((await verifyDetached(signature, tampered)).documentIntact).toBe(false);
  });

  it('passes verifyDocumentSignature as a filing signature, and a tampered filing does not', async () => {
    const signature = await buildDetachedSignature({ document, certificate, signingTime: new Date(), sign });
    const context = { trust, revocation: good, now: new Date() };
    const report = await verifyDocumentSignature(context, signature, document);
    expect(report).toMatchObject({ valid: true, documentIntact: true, signer: { name: testBasicFour.name } });
    expect(await verifyDocumentSignature(context, signature, tampered)).toMatchObject({
      valid: false,
      documentIntact: false,
    });
  });

  it('refuses what is not a certificate, and a time that is not one', async () => {
    expect(() => issuerAndSerial(new Uint8Array([0x30, 0x03, 0x02, 0x01]))).toThrow('Not DER');
    expect(() => issuerAndSerial(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(
      'Not a certificate',
    );
    await expect(
      buildDetachedSignature({ document, certificate, signingTime: new Date(Number.NaN), sign }),
    ).rejects.toThrow('signingTime');
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
// -cades (OpenSSL 3.0+) makes `cms -verify` check the signingCertificateV2 attribute too.
const hasCades =
  hasOpenssl && spawnSync('openssl', ['cms', '-help'], { encoding: 'utf8' }).stderr.includes('-cades');

describe.skipIf(!hasOpenssl)('OpenSSL reads the browser card’s signature', () => {
  let dir: string;
  const path = (name: string) => join(dir, name);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'machi-browser-sign-'));
    const pem = [hierarchy.root.certificate, hierarchy.ca.signing.certificate].map((c) => c.toString('pem'));
    writeFileSync(path('chain.pem'), `${pem.join('\n')}\n`);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function opensslVerify(signature: Uint8Array, content: Uint8Array) {
    writeFileSync(path('sig.der'), signature);
    writeFileSync(path('content.bin'), content);
    return spawnSync(
      'openssl',
      [
        ...['cms', '-verify', ...(hasCades ? ['-cades'] : [])],
        ...['-binary', '-inform', 'DER', '-in', path('sig.der'), '-content', path('content.bin')],
        ...['-CAfile', path('chain.pem'), '-purpose', 'any', '-out', path('out.bin')],
      ],
      { encoding: 'utf8' },
    );
  }

  it('verifies over the document and fails over a tampered one', async () => {
    const signature = await buildDetachedSignature({
      document,
      certificate,
      signingTime: wholeSecondsNow(),
      sign,
    });
    const verified = opensslVerify(signature, document);
    expect(verified.status, verified.stderr).toBe(0);
    expect(opensslVerify(signature, tampered).status).not.toBe(0);
  });
});
