// Shared by the online-procedure tests: a filing signed with a resident's card as the portal
// sends it, requests as a signed-in resident or staff member, a browser's page request, and a
// resident other than 佐藤花子 with a card of their own.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { signDetached, type VirtualCard } from '../../src/modules/jpki/index.ts';
import type { RunningZone } from '../../src/zones/index.ts';
import type { ThreeZones } from '../gateway/support.ts';
import {
  answerChallenge,
  issueCardAtCounter,
  moveIn,
  PASSWORD,
  propagate,
  residentCookie,
  signIn,
} from '../jpki/support.ts';
import type { SignedInResident } from '../sanitize/support.ts';
import { myNumberOf, residentCodeOf } from '../support/registry-ids.ts';
import type { SignedInStaff } from '../support/staff.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A CMS detached signature of `document` by the card's signing key (署名用電子証明書), as the browser's card makes it. */
export async function signWithCard(card: VirtualCard, document: Uint8Array): Promise<Uint8Array> {
  const certificate = await card.certificate('signing');
  return signDetached(
    document,
    { certificate, sign: (bytes) => card.sign('signing', PASSWORD, bytes) },
    { signingTime: new Date() },
  );
}

/** What a filing's document says (the portal builds it on the confirmation page). */
export interface FilingContent {
  readonly procedureId: string;
  readonly data: unknown;
  /** The uploaded files the filing names: `{ id, uploadId, sha256 }`. */
  readonly attachments?: readonly object[];
  /** 千代田区 unless said. */
  readonly municipalityCode?: string;
}

/** A filing's document and its signature by the resident's card, as bytes. */
export async function signedDocument(
  who: { readonly card: VirtualCard },
  content: FilingContent,
): Promise<{ document: Uint8Array; signature: Uint8Array }> {
  const document = new TextEncoder().encode(
    JSON.stringify({
      procedureId: content.procedureId,
      municipalityCode: content.municipalityCode ?? '131016',
      data: content.data,
      attachments: content.attachments ?? [],
      filedAt: new Date().toISOString(),
    }),
  );
  return { document, signature: await signWithCard(who.card, document) };
}

/** A filing's body as POST /api/v1/procedures/:id/submissions takes it: signed by the resident's card, in base64. */
export async function signedFiling(
  who: { readonly card: VirtualCard },
  content: FilingContent,
): Promise<{ idempotencyKey: string; document: string; signature: string }> {
  const { document, signature } = await signedDocument(who, content);
  return {
    idempotencyKey: randomUUID(),
    document: Buffer.from(document).toString('base64'),
    signature: Buffer.from(signature).toString('base64'),
  };
}

/** Requests to the portal (internet zone) as a signed-in resident: the session cookie and CSRF header. */
export function asResident(zones: Pick<ThreeZones, 'internet'>, who: SignedInResident) {
  return (method: Method, url: string, payload?: object) =>
    zones.internet.app.inject({
      method,
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrf },
      ...(payload ? { payload } : {}),
    });
}

/** Requests to a zone as a signed-in staff member: the session cookie and CSRF header. */
export function asStaff(zone: RunningZone, who: SignedInStaff) {
  return (method: Method, url: string, payload?: object) =>
    zone.app.inject({
      method,
      url,
      headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken },
      ...(payload ? { payload } : {}),
    });
}

export type PageForm = Record<string, string | readonly string[]>;

/** A browser's request to the portal: the session cookie, and a form body (with the session's `_csrf`) on POST. */
export function browsePortal(
  zones: Pick<ThreeZones, 'internet'>,
  who: SignedInResident | undefined,
  method: 'GET' | 'POST',
  url: string,
  form?: PageForm,
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...(who ? { _csrf: who.csrf } : {}), ...form })) {
    for (const one of typeof value === 'string' ? [value] : value) body.append(name, one);
  }
  return zones.internet.app.inject({
    method,
    url,
    headers: {
      accept: 'text/html',
      ...(who ? { cookie: who.cookie } : {}),
      ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(method === 'POST' ? { payload: body.toString() } : {}),
  });
}

/** A 千代田区 resident other than 佐藤花子: moved in by `registrar`, a card issued, signed in on the portal. */
export async function residentNamed(
  zones: Pick<ThreeZones, 'mynumber' | 'internet'>,
  registrar: SignedInStaff,
  n: number,
  familyName: string,
  givenName: string,
  birthDate: string,
): Promise<{ residentCode: string; resident: SignedInResident }> {
  const residentCode = residentCodeOf(n);
  await moveIn(zones.mynumber, registrar, '131016', {
    residentCode,
    myNumber: myNumberOf(n),
    familyName,
    givenName,
    birthDate,
  });
  const { card } = await issueCardAtCounter(zones.mynumber, registrar, '131016', residentCode);
  await propagate(zones);
  const response = await signIn(zones.internet.app, await answerChallenge(zones.internet.app, card));
  expect(response.statusCode, response.body).toBe(200);
  const cookie = residentCookie(response);
  const me = await zones.internet.app.inject({ method: 'GET', url: '/api/v1/jpki/me', headers: { cookie } });
  return { residentCode, resident: { cookie, csrf: me.json().csrfToken as string, card } };
}
