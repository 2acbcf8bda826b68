import { randomInt, randomUUID } from 'node:crypto';
import { type Database, isUniqueViolation, type LgCode, MachiError } from '../../../core/index.ts';
import { decodeCertificateRequest, derFrom } from '../pki/encoding.ts';
import type { JpkiStatusDb } from '../status/tables.ts';

/** A request waits this long for the resident to come to the counter. */
export const CARD_REQUEST_TTL_MS = 7 * 24 * 3_600_000;
/** Issued certificates wait this long for the browser to fetch them. */
export const DELIVERY_KEPT_MS = 24 * 3_600_000;
// No 0/O, 1/I/L: the resident reads the code out or shows it, staff type it.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

const statusDb = (database: Database) => database.db as JpkiStatusDb;

function newCode(): string {
  return Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** A card request's CSRs, checked here so nothing malformed goes inward: signed by their own RSA-2048 key. */
async function checkedRequest(input: string, what: string): Promise<string> {
  const csr = decodeCertificateRequest(input);
  if (!(await csr.verify()))
    throw new MachiError('signature-invalid', `The ${what} request is not signed by its own key.`);
  const algorithm = csr.publicKey.algorithm as RsaHashedKeyAlgorithm;
  if (algorithm.name !== 'RSASSA-PKCS1-v1_5' || algorithm.modulusLength !== 2048) {
    throw new MachiError('encoding-invalid', 'The card keys must be RSA-2048.');
  }
  return Buffer.from(derFrom(input, what)).toString('base64');
}

export interface NewCardRequest {
  readonly requestId: string;
  readonly code: string;
  readonly expiresAt: Date;
}

/**
 * A browser card asks for its certificates (internet zone): its keys were made in the
 * browser, only the requests come here. The code goes to the counter with the resident,
 * where staff check who they are and issue; the request itself names no one.
 */
export async function createCardRequest(
  database: Database,
  input: { municipalityCode: LgCode; requests: { auth: string; signing: string } },
  now: Date,
): Promise<NewCardRequest> {
  const auth = await checkedRequest(input.requests.auth, 'auth');
  const signing = await checkedRequest(input.requests.signing, 'signing');
  const requestId = randomUUID();
  const expiresAt = new Date(now.getTime() + CARD_REQUEST_TTL_MS);
  for (let attempt = 0; ; attempt++) {
    const code = newCode();
    try {
      await statusDb(database)
        .insertInto('jpki_card_requests')
        .values({
          municipality_code: input.municipalityCode,
          request_id: requestId,
          code,
          auth_request: auth,
          signing_request: signing,
          created_at: now,
          expires_at: expiresAt,
        })
        .execute();
      return { requestId, code, expiresAt };
    } catch (error) {
      // 31^8 codes: a clash is rare, and only within one municipality's open requests.
      if (!isUniqueViolation(error) || attempt > 5) throw error;
    }
  }
}

export interface CardRequestState {
  readonly status: 'pending' | 'issued' | 'expired';
  readonly code: string;
  readonly expiresAt: string;
  readonly certificates: { readonly auth: string; readonly signing: string } | null;
}

/** What the browser polls: pending until the counter issues, then the certificates (for a day). */
export async function cardRequestState(
  database: Database,
  requestId: string,
  now: Date,
): Promise<CardRequestState> {
  const row = await statusDb(database)
    .selectFrom('jpki_card_requests')
    .selectAll()
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'No such card request.');
  const issued = row.auth_certificate && row.signing_certificate;
  const expired = !issued && new Date(row.expires_at).getTime() <= now.getTime();
  return {
    status: issued ? 'issued' : expired ? 'expired' : 'pending',
    code: row.code,
    expiresAt: new Date(row.expires_at).toISOString(),
    certificates: issued ? { auth: row.auth_certificate!, signing: row.signing_certificate! } : null,
  };
}

/** Requests not yet sent inward (to lgwan), oldest first. */
export async function unsentCardRequests(database: Database, limit = 50) {
  return statusDb(database)
    .selectFrom('jpki_card_requests')
    .select(['municipality_code', 'request_id', 'code', 'auth_request', 'signing_request', 'expires_at'])
    .where('sent_at', 'is', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
}

export async function markCardRequestSent(database: Database, requestId: string, now: Date): Promise<void> {
  await statusDb(database)
    .updateTable('jpki_card_requests')
    .set({ sent_at: now })
    .where('request_id', '=', requestId)
    .execute();
}

/** The counter's answer, arrived from mynumber through lgwan. */
export async function storeCardDelivery(
  db: JpkiStatusDb,
  delivery: { requestId: string; certificates: { auth: string; signing: string } },
  now: Date,
): Promise<void> {
  await db
    .updateTable('jpki_card_requests')
    .set({
      auth_certificate: delivery.certificates.auth,
      signing_certificate: delivery.certificates.signing,
      issued_at: now,
    })
    .where('request_id', '=', delivery.requestId)
    .execute();
}

/** Drops requests nobody took to the counter, and delivered certificates a day after issue. */
export async function pruneCardRequests(database: Database, now: Date): Promise<number> {
  const result = await statusDb(database)
    .deleteFrom('jpki_card_requests')
    .where((eb) =>
      eb.or([
        eb.and([eb('issued_at', 'is', null), eb('expires_at', '<', now)]),
        eb('issued_at', '<', new Date(now.getTime() - DELIVERY_KEPT_MS)),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
