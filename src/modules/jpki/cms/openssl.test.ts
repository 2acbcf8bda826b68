// Interoperability with OpenSSL's CMS implementation, the one most relying parties and
// tools use. Skipped where `openssl` is not on PATH.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hierarchy } from '../pki/authority.ts';
import { exportPrivateKey, generateRsaKeyPair, RSA_SHA256, subtle, x509 } from '../pki/crypto.ts';
import { toPem } from '../pki/encoding.ts';
import { issueCertificate } from '../pki/issue-certificate.ts';
import { testBasicFour, testHierarchy, testLocations } from '../test-support.ts';
import { signDetached, verifyDetached } from './index.ts';

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const hasOpenssl = openssl.status === 0;
// -cades (OpenSSL 3.0+) makes `cms -verify` check the ESS signingCertificateV2 attribute too.
const hasCades =
  hasOpenssl && spawnSync('openssl', ['cms', '-help'], { encoding: 'utf8' }).stderr.includes('-cades');

const document = new TextEncoder().encode('住民票の写しの交付請求書\n');
let dir: string;
let hierarchy: Hierarchy;
let certificate: x509.X509Certificate;
let keys: CryptoKeyPair;

const path = (name: string) => join(dir, name);

/** Runs `openssl cms …`; returns whether it exited 0. */
function cms(args: string[]): boolean {
  return spawnSync('openssl', ['cms', ...args], { encoding: 'utf8' }).status === 0;
}

function opensslVerify(signature: Uint8Array, content: Uint8Array): boolean {
  writeFileSync(path('sig.der'), signature);
  writeFileSync(path('content.bin'), content);
  return cms([
    '-verify',
    ...(hasCades ? ['-cades'] : []),
    ...['-binary', '-inform', 'DER', '-in', path('sig.der'), '-content', path('content.bin')],
    ...['-CAfile', path('chain.pem'), '-purpose', 'any', '-out', path('out.bin')],
  ]);
}

function opensslSign(options: string[] = []): Uint8Array {
  execFileSync('openssl', [
    'cms',
    '-sign',
    ...[
      '-binary',
      '-outform',
      'DER',
      '-md',
      'sha256',
      '-signer',
      path('cert.pem'),
      '-inkey',
      path('key.pem'),
    ],
    ...['-in', path('doc.bin'), '-out', path('openssl.der'), ...options],
  ]);
  return new Uint8Array(readFileSync(path('openssl.der')));
}

describe.skipIf(!hasOpenssl)('CMS interoperability with OpenSSL', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'machi-cms-'));
    hierarchy = await testHierarchy();
    // Extractable only here: OpenSSL needs the key in a file to sign with it.
    keys = await generateRsaKeyPair(true);
    const request = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=card',
      keys,
      signingAlgorithm: RSA_SHA256,
    });
    certificate = await issueCertificate(hierarchy.ca.signing, {
      kind: 'signing',
      request: new Uint8Array(request.rawData),
      notBefore: new Date(Date.now() - 3_600_000),
      notAfter: new Date(Date.now() + 365 * 24 * 3_600_000),
      basicFour: testBasicFour,
      locations: testLocations,
    });
    writeFileSync(
      path('chain.pem'),
      hierarchy.root.certificate.toString('pem') +
        '\n' +
        hierarchy.ca.signing.certificate.toString('pem') +
        '\n',
    );
    writeFileSync(path('cert.pem'), certificate.toString('pem'));
    writeFileSync(path('key.pem'), toPem(await exportPrivateKey(keys.privateKey), 'PRIVATE KEY'));
    writeFileSync(path('doc.bin'), document);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('OpenSSL verifies our signature, and refuses it over another document', async () => {
    const signer = {
      certificate,
      sign: async (data: Uint8Array) =>
        new Uint8Array(await subtle.sign(RSA_SHA256, keys.privateKey, new Uint8Array(data))),
    };
    const signature = await signDetached(document, signer, {
      signingTime: new Date(),
      chain: [hierarchy.ca.signing.certificate],
    });
    expect(opensslVerify(signature, document)).toBe(true);
    expect(opensslVerify(signature, new TextEncoder().encode('別の文書\n'))).toBe(false);
  });

  it.each([
    ['by issuer and serial', []],
    ['by subject key identifier', ['-keyid']],
    ['with CAdES signingCertificateV2', hasCades ? ['-cades'] : []],
  ])('we verify an OpenSSL signature naming its signer %s', async (_, options) => {
    const signature = opensslSign(options);
    const result = await verifyDetached(signature, document);
    expect(result).toMatchObject({ documentIntact: true, signingTime: expect.any(Date) });
    expect(result.signer.serialNumber).toBe(certificate.serialNumber);
    expect((await verifyDetached(signature, new TextEncoder().encode('別の文書\n'))).documentIntact).toBe(
      false,
    );
  });
});
