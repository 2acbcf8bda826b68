// The card's whole life through the three zones: issued at the mynumber counter, its
// status relayed through lgwan to the internet zone, a resident signing in with it and
// signing a document, then revoked (by the counter, and by a move-out) and refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.ts';
import {
  decodeCertificate,
  loadIssuer,
  signDetached,
  type VirtualCard,
  verifyDetached,
} from '../../src/modules/jpki/index.ts';
import { createOcspRequest, parseOcspResponse } from '../../src/modules/jpki/ocsp/index.ts';
import type { Authority, Hierarchy } from '../../src/modules/jpki/pki/authority.ts';
import { decodeCrl } from '../../src/modules/jpki/pki/encoding.ts';
import { DAY, issueTestCertificate, testHierarchy } from '../../src/modules/jpki/test-support.ts';
import { createEmbeddedNetwork } from '../../src/zones/index.ts';
import { openThreeZones, type ThreeZones } from '../gateway/support.ts';
import { createTestPki } from '../support/pki.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import {
  answerChallenge,
  issueCardAtCounter,
  moveIn,
  PASSWORD,
  propagate,
  residentCookie,
  signIn,
} from './support.ts';

const CHIYODA = '131016';

/** The deployment's CAs in the shape the test helpers take (only `ca` is used to issue). */
function hierarchyOf(cas: Record<'auth' | 'signing', Authority>): Hierarchy {
  return { root: cas.auth, ca: cas, ocsp: cas };
}
const clock = fixedClock(new Date());
let pki: Awaited<ReturnType<typeof createTestPki>>;
let zones: ThreeZones;
let clerk: SignedInStaff;
let card: VirtualCard;
let cardId: string;
const resident = residentCodeOf(501);
let signedEarlier: { document: Uint8Array; signature: Uint8Array };

beforeAll(async () => {
  pki = await createTestPki();
  zones = await openThreeZones(createEmbeddedNetwork(), clock, { jpkiDir: pki.dir });
  clerk = await signedInStaff(zones.mynumber, { municipalityCode: CHIYODA, roles: ['registry-clerk'] });
  await moveIn(zones.mynumber, clerk, CHIYODA, {
    residentCode: resident,
    myNumber: myNumberOf(501),
    familyName: '山田',
    givenName: '花子',
    birthDate: '1958-04-01',
  });
  ({ card, cardId } = await issueCardAtCounter(zones.mynumber, clerk, CHIYODA, resident));
});
afterAll(async () => {
  await zones?.close();
  pki?.remove();
});

describe('a card issued at the counter', () => {
  it('carries the registry’s basic four in its signing certificate, valid to the 5th birthday', async () => {
    const signing = await card.certificate('signing');
    const { readBasicFour } = await import('../../src/modules/jpki/index.ts');
    expect(readBasicFour(signing)).toMatchObject({ name: '山田　花子', sex: '1', dateOfBirth: '1958-04-01' });
    expect(readBasicFour(signing).address).toBe('東京都千代田区千代田一丁目1番1号');
    // The 5th 1 April after today, at the end of the day in Japan.
    const year = new Date(clock.now().getTime() + 9 * 3_600_000);
    const after = year.getUTCMonth() + 1 > 4 || (year.getUTCMonth() === 3 && year.getUTCDate() >= 1) ? 1 : 0;
    expect(signing.notAfter.toISOString()).toBe(`${year.getUTCFullYear() + 4 + after}-04-01T14:59:59.000Z`);
    // The auth certificate names no one.
    expect((await card.certificate('auth')).subject).toMatch(/^C=JP, CN=[0-9A-F]+$/);
  });

  it('cannot be used to sign in until its status has reached the internet zone', async () => {
    const answer = await answerChallenge(zones.internet.app, card);
    const response = await signIn(zones.internet.app, answer);
    expect(response.statusCode).toBe(503);
    expect(response.json().type).toBe('/problems/certificate-status-unknown');
  });

  it('signs the resident in once published: a session for a pseudonym, rotated at each sign-in', async () => {
    const published = await propagate(zones);
    expect(published.published).toBeGreaterThanOrEqual(2);
    expect(published.pulled).toBeGreaterThanOrEqual(2);
    const first = await signIn(zones.internet.app, await answerChallenge(zones.internet.app, card));
    expect(first.statusCode, first.body).toBe(200);
    const cookie = residentCookie(first);
    expect(first.cookies.find((c) => c.name === 'machi_resident')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    });
    const me = await zones.internet.app.inject({
      method: 'GET',
      url: '/api/v1/jpki/me',
      headers: { cookie },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ municipalityCode: CHIYODA, card: { status: 'good' } });
    // Nothing of the person reaches the internet zone.
    expect(me.body).not.toContain('山田');
    expect(me.body).not.toContain(resident);
    // Signing in again with the old cookie ends the old session.
    const second = await signIn(zones.internet.app, await answerChallenge(zones.internet.app, card), cookie);
    expect(second.statusCode).toBe(200);
    const old = await zones.internet.app.inject({
      method: 'GET',
      url: '/api/v1/jpki/me',
      headers: { cookie },
    });
    expect(old.statusCode).toBe(401);
  });

  it('refuses a replayed answer, an expired challenge, and a challenge made by someone else', async () => {
    const answer = await answerChallenge(zones.internet.app, card);
    expect((await signIn(zones.internet.app, answer)).statusCode).toBe(200);
    const replay = await signIn(zones.internet.app, answer);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().type).toBe('/problems/challenge-invalid');

    const late = await answerChallenge(zones.internet.app, card);
    clock.advance(2 * 60_000 + 1);
    const expired = await signIn(zones.internet.app, late);
    clock.advance(-(2 * 60_000 + 1));
    expect(expired.json()).toMatchObject({ type: '/problems/challenge-invalid', status: 401 });

    const forged = await answerChallenge(zones.internet.app, card);
    const [payload] = forged.challenge.split('.');
    const made = `${payload}.${Buffer.alloc(32).toString('base64url')}`;
    const { signInMessage } = await import('../../src/modules/jpki/index.ts');
    const signature = Buffer.from(await card.sign('auth', '1234', signInMessage(made))).toString('base64');
    const refused = await signIn(zones.internet.app, { ...forged, challenge: made, signature });
    expect(refused.json().type).toBe('/problems/challenge-invalid');
  });

  it('refuses the signing certificate for sign-in, a forged signature and malformed input', async () => {
    const withSigning = await answerChallenge(zones.internet.app, card, { kind: 'signing' });
    const wrongUsage = await signIn(zones.internet.app, withSigning);
    expect(wrongUsage.json()).toMatchObject({ type: '/problems/certificate-wrong-usage', status: 401 });

    const honest = await answerChallenge(zones.internet.app, card);
    const bytes = Buffer.from(honest.signature, 'base64');
    bytes[10] = bytes[10]! ^ 0x01;
    const forged = await signIn(zones.internet.app, { ...honest, signature: bytes.toString('base64') });
    expect(forged.json()).toMatchObject({ type: '/problems/signature-invalid', status: 401 });
    // The forged answer did not spend the challenge: the honest one still works.
    expect((await signIn(zones.internet.app, honest)).statusCode).toBe(200);

    for (const certificate of ['not base64 at all!', Buffer.from('garbage').toString('base64')]) {
      const malformed = await signIn(zones.internet.app, { ...honest, certificate });
      expect(malformed.json()).toMatchObject({ type: '/problems/encoding-invalid', status: 400 });
    }
    const oversized = await zones.internet.app.inject({
      method: 'POST',
      url: '/api/v1/jpki/sign-in',
      payload: { ...honest, certificate: 'A'.repeat(2 * 1024 * 1024) },
    });
    expect(oversized.json().type).toBe('/problems/payload-too-large');
    const missing = await zones.internet.app.inject({
      method: 'POST',
      url: '/api/v1/jpki/sign-in',
      payload: {},
    });
    expect(missing.json()).toMatchObject({ type: '/problems/validation-failed', status: 400 });
  });

  it('refuses a sign-in posted from another site (login CSRF)', async () => {
    const answer = await answerChallenge(zones.internet.app, card);
    const response = await zones.internet.app.inject({
      method: 'POST',
      url: '/api/v1/jpki/sign-in',
      headers: { origin: 'https://evil.example' },
      payload: { ...answer },
    });
    expect(response.json().type).toBe('/problems/csrf-invalid');
  });

  it('signs a document with the signing key; anyone can verify signer, status and integrity', async () => {
    const document = new TextEncoder().encode('児童手当 認定請求書 2026-11-30');
    const signing = await card.certificate('signing');
    const signature = await signDetached(
      document,
      { certificate: signing, sign: (data) => card.sign('signing', PASSWORD, data) },
      { signingTime: clock.now() },
    );
    const verify = (doc: Uint8Array) =>
      zones.internet.app.inject({
        method: 'POST',
        url: '/api/v1/jpki/signatures/verify',
        payload: {
          document: Buffer.from(doc).toString('base64'),
          signature: Buffer.from(signature).toString('base64'),
        },
      });
    const good = await verify(document);
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toMatchObject({
      valid: true,
      documentIntact: true,
      signer: { name: '山田　花子', dateOfBirth: '1958-04-01' },
      certificateStatus: { atSigning: 'good' },
    });
    const altered = await verify(new TextEncoder().encode('児童手当 認定請求書 2026-12-31'));
    expect(altered.json()).toMatchObject({ valid: false, documentIntact: false });
    expect((await verifyDetached(signature, document)).documentIntact).toBe(true);
    signedEarlier = { document, signature };
  });

  it('answers OCSP over HTTP (POST) with a signed "good", and "unknown" for what it never issued', async () => {
    const auth = await card.certificate('auth');
    const { trust } = await import('../../src/modules/jpki/index.ts').then((m) =>
      m.loadRelyingParty(zones.internet.context.config.jpki),
    );
    const issuer = trust.issuers.find((entry) => entry.kind === 'auth')!.certificate;
    const response = await zones.internet.app.inject({
      method: 'POST',
      url: '/jpki/ocsp',
      headers: { 'content-type': 'application/ocsp-request' },
      payload: Buffer.from(createOcspRequest(auth, issuer)),
    });
    expect(response.headers['content-type']).toBe('application/ocsp-response');
    const parsed = await parseOcspResponse(new Uint8Array(response.rawPayload), {
      issuer,
      certificate: auth,
      now: clock.now(),
    });
    expect(parsed.status).toEqual({ status: 'good' });

    // Issued by the real CA key but never recorded by the counter: the responder does not vouch for it.
    const cas = await loadIssuer(zones.mynumber.context.config.jpki);
    const stray = await issueTestCertificate(hierarchyOf(cas), 'auth');
    const unknown = await zones.internet.app.inject({
      method: 'GET',
      url: `/jpki/ocsp/${encodeURIComponent(Buffer.from(createOcspRequest(stray.certificate, issuer)).toString('base64'))}`,
    });
    const answer = await parseOcspResponse(new Uint8Array(unknown.rawPayload), {
      issuer,
      certificate: stray.certificate,
      now: clock.now(),
    });
    expect(answer.status).toEqual({ status: 'unknown' });
  });

  it('refuses certificates from an untrusted CA, expired ones and ones not yet valid', async () => {
    const foreign = await testHierarchy();
    const cas = await loadIssuer(zones.mynumber.context.config.jpki);
    const cases = [
      [await issueTestCertificate(foreign, 'auth'), 'certificate-untrusted'],
      [
        await issueTestCertificate(hierarchyOf(cas), 'auth', {
          notBefore: new Date(Date.now() - 10 * DAY),
          notAfter: new Date(Date.now() - DAY),
        }),
        'certificate-expired',
      ],
      [
        await issueTestCertificate(hierarchyOf(cas), 'auth', {
          notBefore: new Date(Date.now() + DAY),
          notAfter: new Date(Date.now() + 10 * DAY),
        }),
        'certificate-not-yet-valid',
      ],
    ] as const;
    const { signInMessage } = await import('../../src/modules/jpki/index.ts');
    for (const [{ keys, certificate }, code] of cases) {
      const challenged = await zones.internet.app.inject({ method: 'POST', url: '/api/v1/jpki/challenges' });
      const { challenge } = challenged.json() as { challenge: string };
      const signed = await crypto.subtle.sign(
        'RSASSA-PKCS1-v1_5',
        keys.privateKey,
        new Uint8Array(signInMessage(challenge)),
      );
      const response = await signIn(zones.internet.app, {
        challenge,
        certificate: Buffer.from(certificate.rawData).toString('base64'),
        signature: Buffer.from(signed).toString('base64'),
      });
      expect(response.json(), code).toMatchObject({ type: `/problems/${code}`, status: 401 });
    }
  });
});

describe('revocation', () => {
  it('a card reported lost is refused at sign-in once the status has propagated (well within 60 s)', async () => {
    const before = await signIn(zones.internet.app, await answerChallenge(zones.internet.app, card));
    expect(before.statusCode).toBe(200);
    const revoked = await zones.mynumber.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${CHIYODA}/cards/${cardId}/revoke`,
      headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrfToken },
      payload: { reason: 'lost' },
    });
    expect(revoked.json()).toEqual({ cardId, revoked: true });
    await propagate(zones);
    const after = await signIn(zones.internet.app, await answerChallenge(zones.internet.app, card));
    expect(after.statusCode).toBe(401);
    expect(after.json().type).toBe('/problems/certificate-revoked');

    // The CRL the internet zone serves lists it, signed by the auth CA, reason keyCompromise.
    const crl = await zones.internet.app.inject({ method: 'GET', url: '/jpki/crl/auth.crl' });
    expect(crl.headers['content-type']).toBe('application/pkix-crl');
    const parsed = decodeCrl(new Uint8Array(crl.rawPayload));
    const serial = (await card.certificate('auth')).serialNumber.toLowerCase();
    expect(parsed.entries.map((entry) => entry.serialNumber.toLowerCase())).toContain(serial);
    const cas = await loadIssuer(zones.mynumber.context.config.jpki);
    expect(await parsed.verify({ publicKey: cas.auth.certificate.publicKey })).toBe(true);
  });

  it('a lost card’s signatures no longer count, whatever signing time they claim', async () => {
    // Made before the loss was reported; a finder could have backdated it just the same.
    // (Past the 30 s for which an earlier "good" answer may be reused.)
    clock.advance(31_000);
    const verify = await zones.internet.app.inject({
      method: 'POST',
      url: '/api/v1/jpki/signatures/verify',
      payload: {
        document: Buffer.from(signedEarlier.document).toString('base64'),
        signature: Buffer.from(signedEarlier.signature).toString('base64'),
      },
    });
    expect(verify.json()).toMatchObject({
      valid: false,
      documentIntact: true,
      certificateStatus: { atSigning: 'revoked' },
    });
  });

  it('a reissued card replaces the old one; a move-out revokes the new one', async () => {
    clock.advance(60_000);
    const second = await issueCardAtCounter(zones.mynumber, clerk, CHIYODA, resident);
    await propagate(zones);
    expect(
      (await signIn(zones.internet.app, await answerChallenge(zones.internet.app, second.card))).statusCode,
    ).toBe(200);
    const moved = await zones.mynumber.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${CHIYODA}/residents/events`,
      headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrfToken },
      payload: {
        kind: 'move-out',
        residentCode: resident,
        effectiveOn: new Date(clock.now().getTime() + 9 * 3_600_000).toISOString().slice(0, 10),
        toMunicipalityCode: '011002',
        toAddress: '札幌市中央区北一条西二丁目',
      },
    });
    expect(moved.statusCode, moved.body).toBe(201);
    const round = await propagate(zones);
    expect(round.ended).toBe(1);
    const refused = await signIn(zones.internet.app, await answerChallenge(zones.internet.app, second.card));
    expect(refused.json().type).toBe('/problems/certificate-revoked');
    const cards = await zones.mynumber.app.inject({
      method: 'GET',
      url: `/api/v1/municipalities/${CHIYODA}/residents/${resident}/cards`,
      headers: { cookie: clerk.cookie },
    });
    expect(cards.json().cards.map((c: { revocationReason: string }) => c.revocationReason)).toEqual([
      'moved-out',
      'lost',
    ]);
    // A moved-out resident gets no new card here.
    const refusedIssue = await issueCardAtCounter(zones.mynumber, clerk, CHIYODA, resident).catch(
      (e: Error) => e,
    );
    expect(String(refusedIssue)).toMatch(/409/);
    expect(
      decodeCertificate((await second.card.certificate('auth')).toString('pem')).serialNumber,
    ).toBeTruthy();
  });
});
