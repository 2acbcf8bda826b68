import { expect } from 'vitest';
import { systemClock } from '../../src/core/index.ts';
import type { VirtualCard } from '../../src/modules/jpki/index.ts';
import { uploadFileKey } from '../../src/modules/sanitize/index.ts';
import { createEmbeddedNetwork } from '../../src/zones/index.ts';
import { openThreeZones, type ThreeZones } from '../gateway/support.ts';
import {
  answerChallenge,
  issueCardAtCounter,
  moveIn,
  propagate,
  residentCookie,
  signIn,
} from '../jpki/support.ts';
import { createTestPki } from '../support/pki.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import { signedInStaff } from '../support/staff.ts';

const CHIYODA = '131016';

export interface SignedInResident {
  readonly cookie: string;
  readonly csrf: string;
  /** The resident's card: signs filings with its signing key. */
  readonly card: VirtualCard;
}

/** The three zones with a card authority; `close` removes everything. */
export async function openZonesWithPki(
  env: Record<string, string> = {},
): Promise<ThreeZones & { remove(): void }> {
  const pki = await createTestPki();
  const zones = await openThreeZones(createEmbeddedNetwork(), systemClock, { jpkiDir: pki.dir, env });
  return { ...zones, remove: () => pki.remove() };
}

/** Resident `n` of 千代田区, moved in, given a card at the counter, signed in on the portal. */
export async function signedInResident(zones: ThreeZones, n: number): Promise<SignedInResident> {
  const clerk = await signedInStaff(zones.mynumber, { municipalityCode: CHIYODA, roles: ['registry-clerk'] });
  const residentCode = residentCodeOf(n);
  await moveIn(zones.mynumber, clerk, CHIYODA, {
    residentCode,
    myNumber: myNumberOf(n),
    familyName: '佐藤',
    givenName: '花子',
    birthDate: '1950-03-03',
  });
  const { card } = await issueCardAtCounter(zones.mynumber, clerk, CHIYODA, residentCode);
  await propagate(zones);
  const response = await signIn(zones.internet.app, await answerChallenge(zones.internet.app, card));
  expect(response.statusCode, response.body).toBe(200);
  const cookie = residentCookie(response);
  const me = await zones.internet.app.inject({ method: 'GET', url: '/api/v1/jpki/me', headers: { cookie } });
  return { cookie, csrf: me.json().csrfToken as string, card };
}

/** Posts `bytes` as an upload of `who`, with whatever content type the sender claims. */
export function upload(
  zones: ThreeZones,
  who: SignedInResident,
  bytes: Uint8Array,
  contentType = 'application/octet-stream',
) {
  return zones.internet.app.inject({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrf, 'content-type': contentType },
    payload: Buffer.from(bytes),
  });
}

/** The rebuilt bytes the internet zone keeps for an upload. */
export async function rebuiltOf(zones: ThreeZones, uploadId: string): Promise<Uint8Array> {
  const row = (await zones.internet.context.database.db
    .selectFrom('sanitize_uploads' as never)
    .select(['municipality_code', 'received_at'] as never)
    .where('upload_id' as never, '=', uploadId as never)
    .executeTakeFirstOrThrow()) as { municipality_code: string; received_at: Date };
  const place = { municipalityCode: row.municipality_code, uploadId, receivedAt: new Date(row.received_at) };
  const rebuilt = await zones.internet.context.files.get(uploadFileKey(place, 'rebuilt'));
  if (!rebuilt) throw new Error(`upload ${uploadId} has no rebuilt file`);
  return rebuilt;
}
