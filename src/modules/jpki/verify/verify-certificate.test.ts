import { beforeAll, describe, expect, it } from 'vitest';
import type { Hierarchy } from '../pki/authority.ts';
import { RSA_SHA256, randomSerial, x509 } from '../pki/crypto.ts';
import { DAY, issueTestCertificate, testHierarchy } from '../test-support.ts';
import { createTrustStore, type TrustStore } from './trust-store.ts';
import { verifyCertificate } from './verify-certificate.ts';

let hierarchy: Hierarchy;
let other: Hierarchy;
let trust: TrustStore;
const now = () => new Date();

beforeAll(async () => {
  [hierarchy, other] = await Promise.all([testHierarchy(), testHierarchy()]);
  trust = await createTrustStore({
    roots: [hierarchy.root.certificate],
    issuers: { auth: [hierarchy.ca.auth.certificate], signing: [hierarchy.ca.signing.certificate] },
  });
});

describe('verifyCertificate', () => {
  it('accepts an auth certificate for sign-in and a signing certificate for signatures', async () => {
    const auth = await issueTestCertificate(hierarchy, 'auth');
    const signing = await issueTestCertificate(hierarchy, 'signing');
    const verified = verifyCertificate(auth.certificate.toString('pem'), 'auth', trust, now());
    expect(verified).toMatchObject({
      kind: 'auth',
      serialNumber: auth.certificate.serialNumber.toLowerCase(),
    });
    expect(verified.issuer.certificate.subject).toBe(hierarchy.ca.auth.certificate.subject);
    expect(verifyCertificate(new Uint8Array(signing.certificate.rawData), 'signing', trust, now()).kind).toBe(
      'signing',
    );
  });

  it('refuses the signing certificate for sign-in and the auth certificate for signing', async () => {
    const auth = await issueTestCertificate(hierarchy, 'auth');
    const signing = await issueTestCertificate(hierarchy, 'signing');
    expect(() => verifyCertificate(signing.certificate.toString('base64'), 'auth', trust, now())).toThrow(
      expect.objectContaining({ code: 'certificate-wrong-usage' }),
    );
    expect(() => verifyCertificate(auth.certificate.toString('base64'), 'signing', trust, now())).toThrow(
      expect.objectContaining({ code: 'certificate-wrong-usage' }),
    );
  });

  it('refuses a certificate with signing key usage issued by the auth CA (usage and CA must agree)', async () => {
    // The auth CA's key, the signing profile: as if the wrong CA had been used at issuance.
    const odd = await issueTestCertificate(hierarchy, 'signing', {}, hierarchy.ca.auth);
    expect(() => verifyCertificate(odd.certificate.toString('base64'), 'auth', trust, now())).toThrow(
      expect.objectContaining({ code: 'certificate-wrong-usage' }),
    );
    expect(() => verifyCertificate(odd.certificate.toString('base64'), 'signing', trust, now())).toThrow(
      expect.objectContaining({ code: 'certificate-wrong-usage' }),
    );
  });

  it('refuses a certificate from another (untrusted) hierarchy, even with the same names', async () => {
    const foreign = await issueTestCertificate(other, 'auth');
    expect(foreign.certificate.issuer).toBe(hierarchy.ca.auth.certificate.subject);
    expect(() => verifyCertificate(foreign.certificate.toString('base64'), 'auth', trust, now())).toThrow(
      expect.objectContaining({ code: 'certificate-untrusted' }),
    );
  });

  it('refuses a forged certificate: right issuer name, altered contents', async () => {
    const { certificate } = await issueTestCertificate(hierarchy, 'auth');
    const der = new Uint8Array(certificate.rawData);
    // Flip a byte of the subject's serial (inside the signed part).
    const index = Buffer.from(der).indexOf(
      Buffer.from(certificate.serialNumber.slice(0, 8).toUpperCase(), 'latin1'),
    );
    expect(index).toBeGreaterThan(0);
    der[index] = der[index] === 0x41 ? 0x42 : 0x41;
    expect(() => verifyCertificate(der, 'auth', trust, now())).toThrow(
      expect.objectContaining({ code: 'certificate-untrusted' }),
    );
  });

  it('refuses expired and not-yet-valid certificates', async () => {
    const expired = await issueTestCertificate(hierarchy, 'auth', {
      notBefore: new Date(Date.now() - 10 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const future = await issueTestCertificate(hierarchy, 'auth', {
      notBefore: new Date(Date.now() + DAY),
      notAfter: new Date(Date.now() + 10 * DAY),
    });
    expect(() => verifyCertificate(expired.certificate.toString('base64'), 'auth', trust, now())).toThrow(
      expect.objectContaining({ code: 'certificate-expired' }),
    );
    expect(() => verifyCertificate(future.certificate.toString('base64'), 'auth', trust, now())).toThrow(
      expect.objectContaining({ code: 'certificate-not-yet-valid' }),
    );
    // The same certificate is judged at the time asked about (a signature's signing time).
    expect(
      verifyCertificate(expired.certificate.toString('base64'), 'auth', trust, new Date(Date.now() - 2 * DAY))
        .kind,
    ).toBe('auth');
  });

  it("refuses the OCSP responder's certificate and a CA certificate for sign-in", () => {
    expect(() =>
      verifyCertificate(hierarchy.ocsp.auth.certificate.toString('base64'), 'auth', trust, now()),
    ).toThrow(expect.objectContaining({ code: 'certificate-wrong-usage' }));
    expect(() =>
      verifyCertificate(hierarchy.ca.auth.certificate.toString('base64'), 'auth', trust, now()),
    ).toThrow(expect.objectContaining({ code: 'certificate-untrusted' }));
  });

  it('refuses a certificate with a critical extension it does not understand', async () => {
    const keys = await crypto.subtle.generateKey(RSA_SHA256, false, ['sign', 'verify']);
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: 'C=JP, CN=X',
      issuer: hierarchy.ca.auth.certificate.subject,
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + DAY),
      signingAlgorithm: RSA_SHA256,
      publicKey: (keys as CryptoKeyPair).publicKey,
      signingKey: hierarchy.ca.auth.privateKey,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.Extension('1.2.3.4.5', true, new Uint8Array([0x05, 0x00])),
      ],
    });
    expect(() => verifyCertificate(certificate.toString('base64'), 'auth', trust, now())).toThrow(
      expect.objectContaining({ code: 'certificate-untrusted' }),
    );
  });

  it.each([
    ['garbage', 'bm90IGEgY2VydGlmaWNhdGU='],
    ['not base64', '***'],
    ['a CRL-shaped PEM', '-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----'],
  ])('refuses %s as encoding-invalid', (_what, input) => {
    expect(() => verifyCertificate(input, 'auth', trust, now())).toThrow(
      expect.objectContaining({ code: 'encoding-invalid' }),
    );
  });
});

describe('createTrustStore', () => {
  it('refuses an issuing CA that no configured root certified', async () => {
    await expect(
      createTrustStore({
        roots: [hierarchy.root.certificate],
        issuers: { auth: [other.ca.auth.certificate], signing: [] },
      }),
    ).rejects.toThrow(/not a CA certified by a trusted root/);
  });
});
