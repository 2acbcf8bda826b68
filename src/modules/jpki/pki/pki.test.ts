import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY, issueTestCertificate, testBasicFour, testHierarchy, testLocations } from '../test-support.ts';
import type { Hierarchy } from './authority.ts';
import { readBasicFour } from './basic-four.ts';
import { createCrl } from './crl.ts';
import { generateRsaKeyPair, RSA_SHA256, x509 } from './crypto.ts';
import { decodeCertificate, decodeCrl, derFrom } from './encoding.ts';
import { issueCertificate } from './issue-certificate.ts';
import { loadIssuingCas, loadOcspResponders, loadTrustFiles, pkiExists, saveHierarchy } from './store.ts';
import { fifthBirthdayAfter } from './validity.ts';

let hierarchy: Hierarchy;
beforeAll(async () => {
  hierarchy = await testHierarchy();
});

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

describe('hierarchy', () => {
  it('has a self-signed root over an auth CA and a signing CA, RSA-2048 with SHA-256', async () => {
    const { root, ca } = hierarchy;
    expect(await root.certificate.verify({ signatureOnly: true })).toBe(true);
    for (const kind of ['auth', 'signing'] as const) {
      expect(ca[kind].certificate.issuer).toBe(root.certificate.subject);
      expect(
        await ca[kind].certificate.verify({ publicKey: root.certificate.publicKey, signatureOnly: true }),
      ).toBe(true);
      expect(ca[kind].certificate.signatureAlgorithm).toMatchObject({
        name: 'RSASSA-PKCS1-v1_5',
        hash: { name: 'SHA-256' },
      });
      expect((ca[kind].certificate.publicKey.algorithm as RsaHashedKeyAlgorithm).modulusLength).toBe(2048);
    }
    expect(ca.auth.certificate.subject).not.toBe(ca.signing.certificate.subject);
  });

  it('gives each CA a delegated OCSP responder (OCSPSigning, ocsp-nocheck)', () => {
    for (const kind of ['auth', 'signing'] as const) {
      const responder = hierarchy.ocsp[kind].certificate;
      expect(responder.issuer).toBe(hierarchy.ca[kind].certificate.subject);
      expect(responder.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual(['1.3.6.1.5.5.7.3.9']);
      expect(responder.getExtension('1.3.6.1.5.5.7.48.1.5')).not.toBeNull();
    }
  });
});

describe('end-entity profiles', () => {
  it('an auth certificate carries no personal data: opaque subject, no subjectAltName', async () => {
    const { certificate } = await issueTestCertificate(hierarchy, 'auth');
    expect(certificate.subject).toMatch(/^C=JP, CN=[0-9A-F]{32}$/);
    expect(certificate.getExtension(x509.SubjectAlternativeNameExtension)).toBeNull();
    expect(certificate.getExtension(x509.KeyUsagesExtension)?.usages).toBe(
      x509.KeyUsageFlags.digitalSignature,
    );
  });

  it('a signing certificate carries the basic four under JPKI OIDs and non-repudiation', async () => {
    const { certificate } = await issueTestCertificate(hierarchy, 'signing');
    expect(readBasicFour(certificate)).toEqual(testBasicFour);
    const san = certificate.getExtension('2.5.29.17')!;
    const text = Buffer.from(san.value).toString('latin1');
    // The OIDs as DER (06 0a 2a 83 08 8b ab 15 08 05 05 0N): 1.2.392.200149.8.5.5.1–.6
    for (let n = 1; n <= 6; n++)
      expect(text).toContain(Buffer.from([0x08, 0x05, 0x05, n]).toString('latin1'));
    expect(certificate.getExtension(x509.KeyUsagesExtension)?.usages).toBe(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
    );
    expect(certificate.getExtension(x509.AuthorityInfoAccessExtension)?.ocsp[0]?.value).toBe(
      testLocations.ocspUrl,
    );
  });

  it.runIf(hasOpenssl)('OpenSSL reads the OIDs and verifies the chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'machi-pki-'));
    try {
      const { certificate } = await issueTestCertificate(hierarchy, 'signing');
      writeFileSync(
        join(dir, 'chain.pem'),
        `${hierarchy.root.certificate.toString('pem')}\n${hierarchy.ca.signing.certificate.toString('pem')}\n`,
      );
      writeFileSync(join(dir, 'cert.pem'), certificate.toString('pem'));
      const text = execFileSync('openssl', ['x509', '-in', join(dir, 'cert.pem'), '-noout', '-text'], {
        encoding: 'utf8',
      });
      expect(text).toContain('1.2.392.200149.8.5.5.1');
      expect(text).toContain('Non Repudiation');
      const verified = execFileSync(
        'openssl',
        ['verify', '-CAfile', join(dir, 'chain.pem'), join(dir, 'cert.pem')],
        {
          encoding: 'utf8',
        },
      );
      expect(verified).toContain('OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a request whose signature is not its own key (no proof of possession)', async () => {
    const keys = await generateRsaKeyPair(false);
    const request = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=card',
      keys,
      signingAlgorithm: RSA_SHA256,
    });
    const der = new Uint8Array(request.rawData);
    der[der.length - 5] = der[der.length - 5]! ^ 0xff; // inside the signature value
    await expect(
      issueCertificate(hierarchy.ca.auth, {
        kind: 'auth',
        request: der,
        notBefore: new Date(),
        notAfter: new Date(Date.now() + DAY),
        locations: testLocations,
      }),
    ).rejects.toMatchObject({ code: 'signature-invalid' });
  });

  it('refuses a key that is not RSA-2048', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const request = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=card',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    });
    await expect(
      issueCertificate(hierarchy.ca.auth, {
        kind: 'auth',
        request: request.toString('pem'),
        notBefore: new Date(),
        notAfter: new Date(Date.now() + DAY),
        locations: testLocations,
      }),
    ).rejects.toMatchObject({ code: 'encoding-invalid' });
  });
});

describe('validity until the fifth birthday after issue', () => {
  it.each([
    ['2026-11-30T03:00:00Z', '1958-04-01', '2031-04-01T14:59:59.000Z'],
    ['2026-11-30T03:00:00Z', '1990-12-25', '2030-12-25T14:59:59.000Z'],
    // Issued on the birthday itself: that one is not "after" the issue.
    ['2026-11-30T03:00:00Z', '2000-11-30', '2031-11-30T14:59:59.000Z'],
    // 23:30 UTC is already the next day in Japan.
    ['2026-11-29T23:30:00Z', '2000-11-30', '2031-11-30T14:59:59.000Z'],
    ['2026-01-10T00:00:00Z', '2004-02-29', '2030-02-28T14:59:59.000Z'],
    ['2026-01-10T00:00:00Z', '1980-02-29', '2030-02-28T14:59:59.000Z'],
    ['2027-03-10T00:00:00Z', '1980-02-29', '2032-02-29T14:59:59.000Z'],
  ])('issued %s to one born %s: until %s', (issued, birth, until) => {
    expect(fifthBirthdayAfter(new Date(issued), birth).toISOString()).toBe(until);
  });
});

describe('CRL', () => {
  it('lists revoked serials with reasons and is signed by the CA', async () => {
    const { certificate } = await issueTestCertificate(hierarchy, 'auth');
    const crl = await createCrl(
      hierarchy.ca.auth,
      [
        {
          serialNumber: certificate.serialNumber,
          revokedAt: new Date('2026-11-30T00:00:00Z'),
          reason: 'keyCompromise',
        },
      ],
      { thisUpdate: new Date(), nextUpdate: new Date(Date.now() + DAY), crlNumber: 300 },
    );
    const parsed = decodeCrl(crl.toString('pem'));
    expect(await parsed.verify({ publicKey: hierarchy.ca.auth.certificate.publicKey })).toBe(true);
    expect(await parsed.verify({ publicKey: hierarchy.ca.signing.certificate.publicKey })).toBe(false);
    expect(parsed.entries.map((entry) => [entry.serialNumber, entry.reason])).toEqual([
      [certificate.serialNumber, x509.X509CrlReason.keyCompromise],
    ]);
  });
});

describe('decoding untrusted input', () => {
  it.each([
    ['empty', ''],
    ['not base64', '%%%not base64%%%'],
    ['base64 of garbage', Buffer.from('hello, not DER').toString('base64')],
    ['truncated PEM', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
  ])('%s → encoding-invalid', (_what, input) => {
    expect(() => decodeCertificate(input)).toThrow(expect.objectContaining({ code: 'encoding-invalid' }));
  });

  it('accepts base64url as well as base64', async () => {
    const { certificate } = await issueTestCertificate(hierarchy, 'auth');
    const url = Buffer.from(certificate.rawData).toString('base64url');
    expect(decodeCertificate(url).serialNumber).toBe(certificate.serialNumber);
    expect(derFrom(url, 'x').length).toBe(certificate.rawData.byteLength);
  });
});

describe('files', () => {
  it('saves the hierarchy split by who needs it, keys 0600, and never overwrites it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'machi-pki-'));
    try {
      const settings = { ...testLocations, name: 'test', createdAt: new Date().toISOString() };
      await saveHierarchy(dir, hierarchy, settings);
      expect(pkiExists(dir)).toBe(true);
      expect(statSync(join(dir, 'ca', 'auth-ca.key.pem')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'ca')).mode & 0o777).toBe(0o700);
      const cas = await loadIssuingCas(dir);
      expect(cas.signing.certificate.serialNumber).toBe(hierarchy.ca.signing.certificate.serialNumber);
      const responders = await loadOcspResponders(dir);
      expect(responders.auth.certificate.serialNumber).toBe(hierarchy.ocsp.auth.certificate.serialNumber);
      const trust = await loadTrustFiles(join(dir, 'trust'));
      expect(trust.roots).toHaveLength(1);
      expect(trust.issuers.auth[0]?.serialNumber).toBe(hierarchy.ca.auth.certificate.serialNumber);
      // A loaded CA key still issues certificates that chain to the saved CA.
      const { certificate } = await issueTestCertificate(hierarchy, 'auth', {}, cas.auth);
      expect(
        await certificate.verify({ publicKey: hierarchy.ca.auth.certificate.publicKey, signatureOnly: true }),
      ).toBe(true);
      await expect(saveHierarchy(dir, hierarchy, settings)).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
