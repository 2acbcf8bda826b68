import { expect } from 'vitest';
import type { HttpApp } from '../../src/core/index.ts';
import {
  type CertificateKind,
  loadIssuer,
  locationsOf,
  manufactureCard,
  memoryCardStorage,
  RESIDENT_COOKIE,
  signInMessage,
  VirtualCard,
} from '../../src/modules/jpki/index.ts';
import type { RunningZone } from '../../src/zones/index.ts';
import { jpkiUpkeep } from '../../src/zones/mynumber/jpki.ts';
import type { SignedInStaff } from '../support/staff.ts';

export const PIN = '1234';
export const PASSWORD = 'MACHI2026';

/** A resident moved in through the registry API (so the record is as the registry keeps it). */
export async function moveIn(
  mynumber: RunningZone,
  clerk: SignedInStaff,
  lgCode: string,
  person: {
    residentCode: string;
    myNumber: string;
    familyName: string;
    givenName: string;
    birthDate: string;
  },
) {
  const response = await mynumber.app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${lgCode}/residents/events`,
    headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrfToken },
    payload: {
      kind: 'move-in',
      person: { ...person, familyNameKana: 'やまだ', givenNameKana: 'たろう', sex: 1 },
      effectiveOn: '2024-04-01',
      address: '千代田一丁目1番1号',
      household: { kind: 'new' },
      fromMunicipalityCode: '011002',
    },
  });
  expect(response.statusCode, response.body).toBe(201);
}

/** A new virtual card issued at the counter to `residentCode`: the card makes its keys, the CA answers. */
export async function issueCardAtCounter(
  mynumber: RunningZone,
  clerk: SignedInStaff,
  lgCode: string,
  residentCode: string,
) {
  const made = await manufactureCard({ pin: PIN, password: PASSWORD }, { now: new Date(), cost: 2 ** 10 });
  const card = new VirtualCard(memoryCardStorage(made.content));
  const response = await mynumber.app.inject({
    method: 'POST',
    url: `/api/v1/municipalities/${lgCode}/cards`,
    headers: { cookie: clerk.cookie, 'x-csrf-token': clerk.csrfToken },
    payload: {
      residentCode,
      requests: {
        auth: Buffer.from(made.requests.auth).toString('base64'),
        signing: Buffer.from(made.requests.signing).toString('base64'),
      },
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const body = response.json() as { cardId: string; certificates: Record<CertificateKind, string> };
  await card.install('auth', body.certificates.auth);
  await card.install('signing', body.certificates.signing);
  return { card, cardId: body.cardId };
}

/** mynumber publishes (upkeep), lgwan relays, the internet zone pulls: as the background tasks do. */
export async function propagate(zones: { mynumber: RunningZone; internet: RunningZone }) {
  const { context } = zones.mynumber;
  // The zone's own lazy issuer is internal to its composition; the test loads the same CA files.
  const issuer = {
    database: context.database,
    audit: context.audit,
    clock: context.clock,
    cas: await loadIssuer(context.config.jpki),
    locations: locationsOf(context.config.jpki),
  };
  const upkept = await jpkiUpkeep(context, zones.mynumber.gateway, {
    current: () => issuer,
    refresh: async () => issuer,
  });
  const pulled = await zones.internet.gateway.pull('lgwan', 100);
  return { ...upkept, pulled: pulled.processed };
}

export interface CardAnswer {
  readonly challenge: string;
  readonly certificate: string;
  readonly signature: string;
}

/** Gets a challenge from the portal and has the card answer it with `kind`'s key. */
export async function answerChallenge(
  internet: HttpApp,
  card: VirtualCard,
  options: { kind?: CertificateKind; secret?: string } = {},
): Promise<CardAnswer> {
  const kind = options.kind ?? 'auth';
  const challenged = await internet.inject({ method: 'POST', url: '/api/v1/jpki/challenges' });
  expect(challenged.statusCode, challenged.body).toBe(200);
  const { challenge } = challenged.json() as { challenge: string };
  const signature = await card.sign(
    kind,
    options.secret ?? (kind === 'auth' ? PIN : PASSWORD),
    signInMessage(challenge),
  );
  const certificate = Buffer.from((await card.certificate(kind)).rawData).toString('base64');
  return { challenge, certificate, signature: Buffer.from(signature).toString('base64') };
}

export function signIn(internet: HttpApp, answer: CardAnswer, cookie?: string) {
  return internet.inject({
    method: 'POST',
    url: '/api/v1/jpki/sign-in',
    payload: { ...answer },
    ...(cookie ? { headers: { cookie } } : {}),
  });
}

export function residentCookie(response: { cookies: { name: string; value: string }[] }): string {
  const cookie = response.cookies.find((c) => c.name === RESIDENT_COOKIE);
  if (!cookie) throw new Error('no resident session cookie');
  return `${RESIDENT_COOKIE}=${cookie.value}`;
}
