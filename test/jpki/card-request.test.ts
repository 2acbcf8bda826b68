// A browser card's way to its certificates: requested on the portal (keys made by the
// card), carried inward through lgwan's sanitizer, issued at the counter against the
// code the resident brings, and delivered back out to the portal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/core/index.ts';
import { manufactureCard, memoryCardStorage, VirtualCard } from '../../src/modules/jpki/index.ts';
import { pendingInOutbox } from '../../src/zones/gateway/index.ts';
import { createEmbeddedNetwork } from '../../src/zones/index.ts';
import { pushCardRequests } from '../../src/zones/internet/jpki.ts';
import { openThreeZones, type ThreeZones } from '../gateway/support.ts';
import { createTestPki } from '../support/pki.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import { type SignedInStaff, signedInStaff } from '../support/staff.ts';
import { answerChallenge, issueCardAtCounter, moveIn, PASSWORD, PIN, propagate, signIn } from './support.ts';

const CHIYODA = '131016';
const clock = fixedClock(new Date());
let pki: Awaited<ReturnType<typeof createTestPki>>;
let zones: ThreeZones;
let clerk: SignedInStaff;
const resident = residentCodeOf(777);

beforeAll(async () => {
  pki = await createTestPki();
  zones = await openThreeZones(createEmbeddedNetwork(), clock, { jpkiDir: pki.dir });
  clerk = await signedInStaff(zones.mynumber, { municipalityCode: CHIYODA, roles: ['registry-clerk'] });
  await moveIn(zones.mynumber, clerk, CHIYODA, {
    residentCode: resident,
    myNumber: myNumberOf(777),
    familyName: '佐藤',
    givenName: '一郎',
    birthDate: '1946-08-15',
  });
});
afterAll(async () => {
  await zones?.close();
  pki?.remove();
});

async function request(requests: { auth: string; signing: string }, municipalityCode = CHIYODA) {
  return zones.internet.app.inject({
    method: 'POST',
    url: '/api/v1/jpki/card-requests',
    payload: { municipalityCode, requests },
  });
}

function issueAtCounter(code: string, residentCode = resident) {
  return zones.mynumber.app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${CHIYODA}/card-requests/issue`,
    headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrfToken },
    payload: { residentCode, code },
  });
}

describe('a browser card requested on the portal and issued at the counter', () => {
  it('goes inward, is issued against its code, and comes back out to the browser', async () => {
    const made = await manufactureCard({ pin: PIN, password: PASSWORD }, { now: clock.now(), cost: 2 ** 10 });
    const created = await request({
      auth: Buffer.from(made.requests.auth).toString('base64'),
      signing: Buffer.from(made.requests.signing).toString('base64'),
    });
    expect(created.statusCode, created.body).toBe(201);
    const { requestId, code } = created.json() as { requestId: string; code: string };
    expect(code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);

    // Not at the counter yet: mynumber has not pulled it.
    expect((await issueAtCounter(code)).statusCode).toBe(404);
    // The portal sent it inward as it was made; the periodic round finds nothing left to send.
    await pushCardRequests(zones.internet.context, zones.internet.gateway);
    expect(await pushCardRequests(zones.internet.context, zones.internet.gateway)).toBe(0);
    expect(await pendingInOutbox(zones.lgwan.context.database, 'mynumber')).toBe(1);
    await zones.mynumber.gateway.pull('lgwan');

    const pending = await zones.internet.app.inject({
      method: 'GET',
      url: `/api/v1/jpki/card-requests/${requestId}`,
    });
    expect(pending.json()).toMatchObject({ status: 'pending', certificates: null });

    // Staff type the code as the resident reads it out: hyphen and lower case are fine.
    const issued = await issueAtCounter(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`);
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json()).toMatchObject({ requestId });
    // A code is used once.
    expect((await issueAtCounter(code)).statusCode).toBe(404);

    await propagate(zones);
    const delivered = await zones.internet.app.inject({
      method: 'GET',
      url: `/api/v1/jpki/card-requests/${requestId}`,
    });
    const state = delivered.json() as { status: string; certificates: { auth: string; signing: string } };
    expect(state.status).toBe('issued');

    // The certificates are for the browser's own keys: the card takes them and signs in.
    const card = new VirtualCard(memoryCardStorage(made.content));
    await card.install('auth', state.certificates.auth);
    await card.install('signing', state.certificates.signing);
    const signedIn = await signIn(zones.internet.app, await answerChallenge(zones.internet.app, card));
    expect(signedIn.statusCode, signedIn.body).toBe(200);
  });

  it('refuses malformed requests, requests not signed by their key, and towns not served', async () => {
    const made = await manufactureCard({ pin: PIN, password: PASSWORD }, { now: clock.now(), cost: 2 ** 10 });
    const good = Buffer.from(made.requests.auth).toString('base64');
    const broken = Buffer.from(made.requests.signing);
    broken[broken.length - 3] = broken[broken.length - 3]! ^ 0xff;
    const cases = [
      [{ auth: 'not base64!', signing: good }, CHIYODA, '/problems/encoding-invalid'],
      [
        { auth: good, signing: Buffer.from('junk').toString('base64') },
        CHIYODA,
        '/problems/encoding-invalid',
      ],
      [{ auth: good, signing: broken.toString('base64') }, CHIYODA, '/problems/signature-invalid'],
      [{ auth: good, signing: good }, '472018', '/problems/municipality-not-served'],
      [{ auth: good, signing: good }, '131017', '/problems/lg-code-invalid'],
    ] as const;
    for (const [requests, town, type] of cases) {
      const response = await request(requests, town);
      expect(response.json().type, type).toBe(type);
    }
    const unknown = await zones.internet.app.inject({
      method: 'GET',
      url: '/api/v1/jpki/card-requests/00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses a code that was never requested, and a malformed resident code', async () => {
    const response = await issueAtCounter('ZZZZ9999');
    expect(response.json()).toMatchObject({ type: '/problems/not-found', status: 404 });
    const badResident = await issueAtCounter('ZZZZ9999', '12345');
    expect(badResident.statusCode).toBe(400);
  });
});

describe('renewal (更新)', () => {
  it('gives the same card new certificates for new keys; the old ones stop working', async () => {
    const { card: old, cardId } = await issueCardAtCounter(zones.mynumber, clerk, CHIYODA, resident);
    const renewed = await manufactureCard(
      { pin: PIN, password: PASSWORD },
      { now: clock.now(), cost: 2 ** 10 },
    );
    const response = await zones.mynumber.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${CHIYODA}/cards/${cardId}/renew`,
      headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrfToken },
      payload: {
        residentCode: resident,
        requests: {
          auth: Buffer.from(renewed.requests.auth).toString('base64'),
          signing: Buffer.from(renewed.requests.signing).toString('base64'),
        },
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().cardId).toBe(cardId);
    const card = new VirtualCard(memoryCardStorage(renewed.content));
    await card.install('auth', response.json().certificates.auth);
    await card.install('signing', response.json().certificates.signing);
    await propagate(zones);
    expect(
      (await signIn(zones.internet.app, await answerChallenge(zones.internet.app, card))).statusCode,
    ).toBe(200);
    const refused = await signIn(zones.internet.app, await answerChallenge(zones.internet.app, old));
    expect(refused.json().type).toBe('/problems/certificate-revoked');

    // An unknown card is not renewed, and nothing is issued for it.
    const requests = {
      auth: Buffer.from(renewed.requests.auth).toString('base64'),
      signing: Buffer.from(renewed.requests.signing).toString('base64'),
    };
    const unknown = await zones.mynumber.app.inject({
      method: 'POST',
      url: `/api/v1/municipalities/${CHIYODA}/cards/00000000-0000-4000-8000-000000000000/renew`,
      headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrfToken },
      payload: { residentCode: resident, requests },
    });
    expect(unknown.json()).toMatchObject({ type: '/problems/not-found', status: 404 });
  });
});
