import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLgCode, tenantScope } from '../../src/core/index.ts';
import { signInMessage, type VirtualCard } from '../../src/modules/jpki/index.ts';
import { type FacilityDb, issueFacilityKey, registerFacility } from '../../src/modules/mykey/index.ts';
import type { ThreeZones } from '../gateway/support.ts';
import { PASSWORD, PIN } from '../jpki/support.ts';
import { asResident } from '../procedures/support.ts';
import { openZonesWithPki, type SignedInResident, signedInResident } from '../sanitize/support.ts';

const chiyoda = tenantScope(parseLgCode('131016'));
const sapporo = tenantScope(parseLgCode('011002'));
let zones: ThreeZones & { remove(): void };
let hanako: SignedInResident;
let libraryKey: string;
let gymKey: string;
let sapporoLibraryKey: string;

/** A facility's card reader: its key on every call. */
const reader = (token: string) => (url: string, payload?: object) =>
  zones.internet.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });

/** The card held to the reader: a challenge from the reader's server, signed by the auth key (PIN). */
async function readCard(token: string, card: VirtualCard, options: { kind?: 'auth' | 'signing' } = {}) {
  const challenged = await reader(token)('/api/v1/mykey/reader/challenges');
  expect(challenged.statusCode, challenged.body).toBe(200);
  const { challenge } = challenged.json() as { challenge: string };
  const kind = options.kind ?? 'auth';
  const signature = await card.sign(kind, kind === 'auth' ? PIN : PASSWORD, signInMessage(challenge));
  const certificate = Buffer.from((await card.certificate(kind)).rawData).toString('base64');
  return { challenge, certificate, signature: Buffer.from(signature).toString('base64') };
}

beforeAll(async () => {
  zones = await openZonesWithPki();
  hanako = await signedInResident(zones, 901);
  const db = zones.internet.context.database.db as FacilityDb;
  const now = zones.internet.context.clock.now();
  await registerFacility(
    db,
    chiyoda,
    { facilityId: 'central-library', name: { ja: '千代田図書館', en: 'Chiyoda Library' }, kind: 'library' },
    now,
  );
  await registerFacility(
    db,
    chiyoda,
    { facilityId: 'sports-center', name: { ja: 'スポーツセンター', en: 'Sports Center' }, kind: 'gym' },
    now,
  );
  await registerFacility(
    db,
    sapporo,
    {
      facilityId: 'central-library',
      name: { ja: '札幌市中央図書館', en: 'Sapporo Library' },
      kind: 'library',
    },
    now,
  );
  libraryKey = (await issueFacilityKey(db, chiyoda, 'central-library', 'counter 1', now)).token;
  gymKey = (await issueFacilityKey(db, chiyoda, 'sports-center', 'gate', now)).token;
  sapporoLibraryKey = (await issueFacilityKey(db, sapporo, 'central-library', 'counter', now)).token;
  expect((await asResident(zones, hanako)('POST', '/api/v1/points/mykey')).statusCode).toBe(201);
});
afterAll(async () => {
  await zones?.close();
  zones?.remove();
});

describe('facility cards on the My Number card', () => {
  it('links a member number to the MyKey ID; the number belongs to one resident per facility', async () => {
    const link = await asResident(zones, hanako)('POST', '/api/v1/mykey/facility-cards', {
      facilityId: 'central-library',
      memberNumber: 'L-000123',
    });
    expect(link.statusCode, link.body).toBe(201);
    const cards = await asResident(zones, hanako)('GET', '/api/v1/mykey/facility-cards');
    expect(cards.json().cards).toEqual([
      {
        facilityId: 'central-library',
        nameJa: '千代田図書館',
        nameEn: 'Chiyoda Library',
        kind: 'library',
        memberNumber: 'L-000123',
      },
    ]);
    const unknown = await asResident(zones, hanako)('POST', '/api/v1/mykey/facility-cards', {
      facilityId: 'no-such',
      memberNumber: 'X1',
    });
    expect(unknown.statusCode).toBe(404);
    const bad = await asResident(zones, hanako)('POST', '/api/v1/mykey/facility-cards', {
      facilityId: 'central-library',
      memberNumber: 'spaces are not allowed',
    });
    expect(bad.json().type).toBe('/problems/validation-failed');
  });

  it("gives a facility's reader the member number of the card held to it, and nothing else", async () => {
    const answer = await readCard(libraryKey, hanako.card);
    const read = await reader(libraryKey)('/api/v1/mykey/reader/members', answer);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toEqual({ memberNumber: 'L-000123' });
    // The same answer again: the challenge was spent.
    const replay = await reader(libraryKey)('/api/v1/mykey/reader/members', answer);
    expect(replay.json().type).toBe('/problems/challenge-invalid');
  });

  it('answers not-found at a facility where the card holds no number, and in another municipality', async () => {
    const gym = await reader(gymKey)('/api/v1/mykey/reader/members', await readCard(gymKey, hanako.card));
    expect(gym.statusCode).toBe(404);
    const elsewhere = await reader(sapporoLibraryKey)(
      '/api/v1/mykey/reader/members',
      await readCard(sapporoLibraryKey, hanako.card),
    );
    expect(elsewhere.statusCode).toBe(404);
  });

  it('refuses a challenge made for another reader, the signing certificate, and a reader without a key', async () => {
    const forLibrary = await readCard(libraryKey, hanako.card);
    const crossed = await reader(gymKey)('/api/v1/mykey/reader/members', forLibrary);
    expect(crossed.json().type).toBe('/problems/challenge-invalid');
    const signing = await reader(libraryKey)(
      '/api/v1/mykey/reader/members',
      await readCard(libraryKey, hanako.card, { kind: 'signing' }),
    );
    expect(signing.json().type).toBe('/problems/certificate-wrong-usage');
    const incomplete = await reader(libraryKey)('/api/v1/mykey/reader/members', { challenge: 'x' });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json().type).toBe('/problems/validation-failed');
    const garbage = await reader(libraryKey)('/api/v1/mykey/reader/members', {
      challenge: 'x',
      certificate: 'not base64!',
      signature: 'AAAA',
    });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().type).toBe('/problems/encoding-invalid');
    const anonymous = await zones.internet.app.inject({
      method: 'POST',
      url: '/api/v1/mykey/reader/challenges',
    });
    expect(anonymous.statusCode).toBe(401);
    const forged = await reader(`fk_AAAAAAAAAAAAAAAA.${'A'.repeat(43)}`)('/api/v1/mykey/reader/challenges');
    expect(forged.statusCode).toBe(401);
  });
});
