import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createOcspResponder } from '../ocsp/index.ts';
import type { CertificateStatus } from '../ocsp/status.ts';
import type { Hierarchy } from '../pki/authority.ts';
import { createCrl, type RevokedEntry } from '../pki/crl.ts';
import type { x509 } from '../pki/crypto.ts';
import { DAY, issueTestCertificate, testHierarchy } from '../test-support.ts';
import { createRevocationChecker, type RevocationOptions } from './revocation.ts';
import { createTrustStore, type TrustStore } from './trust-store.ts';
import { type VerifiedCertificate, verifyCertificate } from './verify-certificate.ts';

let hierarchy: Hierarchy;
let trust: TrustStore;
const statuses = new Map<string, CertificateStatus>();
let revoked: RevokedEntry[] = [];
let now = new Date();

beforeAll(async () => {
  hierarchy = await testHierarchy();
  trust = await createTrustStore({
    roots: [hierarchy.root.certificate],
    issuers: { auth: [hierarchy.ca.auth.certificate], signing: [hierarchy.ca.signing.certificate] },
  });
});

/** A responder and a CRL endpoint in memory, with switches to break either. */
function network(state: { ocspDown?: boolean; crlDown?: boolean; crlSignedBy?: 'ca' | 'other' } = {}) {
  const responder = createOcspResponder({
    issuers: [{ ca: hierarchy.ca.auth.certificate, responder: hierarchy.ocsp.auth }],
    lookup: async ({ serialNumber }) => statuses.get(serialNumber) ?? { status: 'unknown' },
    now: () => now,
  });
  const calls = { ocsp: 0, crl: 0 };
  const fetchOcsp: typeof fetch = async (_url, init) => {
    calls.ocsp++;
    if (state.ocspDown) throw new TypeError('connect ECONNREFUSED');
    const body = await responder.respond(new Uint8Array(init!.body as Uint8Array));
    return new Response(body, { headers: { 'content-type': 'application/ocsp-response' } });
  };
  const options: RevocationOptions = {
    ocsp: async (url, certificate, issuer, at) =>
      (await import('../ocsp/index.ts')).fetchOcspStatus(url, certificate, issuer, {
        now: at,
        fetch: fetchOcsp,
      }),
    fetchCrl: async () => {
      calls.crl++;
      if (state.crlDown) throw new Error('down');
      const signer = state.crlSignedBy === 'other' ? hierarchy.ca.signing : hierarchy.ca.auth;
      const crl = await createCrl({ ...signer, certificate: hierarchy.ca.auth.certificate }, revoked, {
        thisUpdate: now,
        nextUpdate: new Date(now.getTime() + DAY),
        crlNumber: 1,
      });
      return new Uint8Array(crl.rawData);
    },
  };
  return { options, calls };
}

async function newAuthCertificate(): Promise<{
  certificate: x509.X509Certificate;
  verified: VerifiedCertificate;
}> {
  const { certificate } = await issueTestCertificate(hierarchy, 'auth');
  const verified = verifyCertificate(certificate.toString('base64'), 'auth', trust, now);
  statuses.set(verified.serialNumber, { status: 'good' });
  return { certificate, verified };
}

function revoke(verified: VerifiedCertificate) {
  const entry = {
    serialNumber: verified.serialNumber,
    revokedAt: new Date(now.getTime() - 1000),
    reason: 'keyCompromise' as const,
  };
  statuses.set(verified.serialNumber, {
    status: 'revoked',
    revokedAt: entry.revokedAt,
    reason: entry.reason,
  });
  revoked = [...revoked, entry];
}

describe('revocation checking', () => {
  it('says good from OCSP, and caches the answer for a short while', async () => {
    const { verified } = await newAuthCertificate();
    const { options, calls } = network();
    const checker = createRevocationChecker(options);
    expect(await checker.requireGood(verified, now)).toMatchObject({ status: 'good', source: 'ocsp' });
    await checker.requireGood(verified, now);
    expect(calls.ocsp).toBe(1);
  });

  it('honours a revocation through OCSP once the cache has run out (within 30 s)', async () => {
    const { verified } = await newAuthCertificate();
    const { options } = network();
    const checker = createRevocationChecker(options);
    await checker.requireGood(verified, now);
    revoke(verified);
    await expect(checker.requireGood(verified, new Date(now.getTime() + 31_000))).rejects.toMatchObject({
      code: 'certificate-revoked',
    });
  });

  it('asks once for callers who come together', async () => {
    const { verified } = await newAuthCertificate();
    const { options, calls } = network();
    const checker = createRevocationChecker(options);
    const answers = await Promise.all([1, 2, 3].map(() => checker.status(verified, now)));
    expect(answers.map((answer) => answer.status)).toEqual(['good', 'good', 'good']);
    expect(calls.ocsp).toBe(1);
  });

  it('asks again ahead of time for a certificate in use, serving the answer in hand meanwhile', async () => {
    const { verified } = await newAuthCertificate();
    const { options, calls } = network();
    const checker = createRevocationChecker(options);
    await checker.requireGood(verified, now);
    revoke(verified);
    // Not yet half of the answer's life: the answer in hand, nobody asked.
    const early = new Date(now.getTime() + 14_000);
    expect(await checker.status(verified, early)).toMatchObject({ status: 'good' });
    expect(calls.ocsp).toBe(1);
    // Past five sixths, still within it: the same answer at once, and the responder asked in the background.
    const later = new Date(now.getTime() + 26_000);
    expect(await checker.status(verified, later)).toMatchObject({ status: 'good' });
    await vi.waitFor(async () =>
      expect(await checker.status(verified, later)).toMatchObject({ status: 'revoked', source: 'ocsp' }),
    );
    expect(calls.ocsp).toBe(2);
  });

  it('asks again about answers fetched together at moments of their own, not all at once', async () => {
    const cards = await Promise.all(Array.from({ length: 16 }, () => newAuthCertificate()));
    const { options, calls } = network();
    const checker = createRevocationChecker(options);
    for (const { verified } of cards) await checker.requireGood(verified, now);
    expect(calls.ocsp).toBe(16);
    // Midway through the window in which they are asked again: some are, some not yet. A fixed
    // share asks all sixteen at once; drawn, all fall on one side with a chance of 2 in 65,536.
    const midway = new Date(now.getTime() + 20_000);
    for (const { verified } of cards) await checker.status(verified, midway);
    await vi.waitFor(() => expect(calls.ocsp).toBeGreaterThan(16));
    expect(calls.ocsp).toBeLessThan(32);
  });

  it('lets the answer in hand run out when asking ahead fails, then fails closed', async () => {
    const { verified } = await newAuthCertificate();
    const state = { ocspDown: false, crlDown: false };
    const { options, calls } = network(state);
    const checker = createRevocationChecker(options);
    await checker.requireGood(verified, now);
    Object.assign(state, { ocspDown: true, crlDown: true });
    const later = new Date(now.getTime() + 26_000);
    expect(await checker.status(verified, later)).toMatchObject({ status: 'good' });
    await vi.waitFor(() => expect(calls.crl).toBe(1));
    expect(await checker.status(verified, new Date(now.getTime() + 29_000))).toMatchObject({
      status: 'good',
    });
    await expect(checker.status(verified, new Date(now.getTime() + 31_000))).rejects.toMatchObject({
      code: 'certificate-status-unknown',
    });
  });

  it('falls back to the CRL when the responder is down, and honours a revocation there', async () => {
    const { verified } = await newAuthCertificate();
    const good = await newAuthCertificate();
    revoke(verified);
    const { options, calls } = network({ ocspDown: true });
    const checker = createRevocationChecker(options);
    await expect(checker.requireGood(verified, now)).rejects.toMatchObject({ code: 'certificate-revoked' });
    expect(await checker.requireGood(good.verified, now)).toMatchObject({ status: 'good', source: 'crl' });
    expect(calls.crl).toBe(1);
  });

  it('fails closed when neither OCSP nor the CRL can answer', async () => {
    const { verified } = await newAuthCertificate();
    const { options } = network({ ocspDown: true, crlDown: true });
    await expect(createRevocationChecker(options).status(verified, now)).rejects.toMatchObject({
      code: 'certificate-status-unknown',
    });
  });

  it('refuses a CRL not signed by the issuing CA (no answer, not "good")', async () => {
    const { verified } = await newAuthCertificate();
    const { options } = network({ ocspDown: true, crlSignedBy: 'other' });
    await expect(createRevocationChecker(options).status(verified, now)).rejects.toMatchObject({
      code: 'certificate-status-unknown',
    });
  });

  it('does not fall back to the CRL when the responder says it does not know the serial', async () => {
    const { verified } = await newAuthCertificate();
    statuses.delete(verified.serialNumber);
    const { options, calls } = network();
    await expect(createRevocationChecker(options).status(verified, now)).rejects.toMatchObject({
      code: 'certificate-status-unknown',
    });
    expect(calls.crl).toBe(0);
  });

  it('judges a signature by its signing time: good then, revoked later', async () => {
    const { verified } = await newAuthCertificate();
    revoke(verified);
    const checker = createRevocationChecker(network().options);
    const before = new Date(now.getTime() - 60_000);
    expect(await checker.requireGood(verified, now, before)).toMatchObject({ status: 'revoked' });
    now = new Date();
  });
});
