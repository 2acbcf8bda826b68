import { type Database, MachiError, type TenantScope } from '../../../core/index.ts';
import { type IssuedCard, issueCard } from '../issuance/issue-card.ts';
import { type IssuerContext, issuerDb } from '../issuance/issuer-context.ts';
import type { JpkiIssuerDb } from '../issuance/tables.ts';

/** A browser card's request as it reached mynumber (pulled from lgwan). Stored once per id. */
export async function storeReceivedCardRequest(
  db: JpkiIssuerDb,
  municipalityCode: string,
  request: {
    requestId: string;
    code: string;
    requests: { auth: string; signing: string };
    expiresAt: string;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('jpki_card_requests')
    .values({
      municipality_code: municipalityCode,
      request_id: request.requestId,
      code: request.code,
      auth_request: request.requests.auth,
      signing_request: request.requests.signing,
      received_at: now,
      expires_at: request.expiresAt,
    })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'request_id']).doNothing())
    .execute();
}

/**
 * Issues the card a resident requested from their browser: staff have checked who is
 * at the counter (the resident code) and typed the code the resident's screen shows.
 * The certificates go back out to the portal with the next upkeep round.
 */
export async function issueFromCardRequest(
  issuer: IssuerContext,
  scope: TenantScope,
  input: { residentCode: string; code: string; actor: string },
): Promise<IssuedCard & { requestId: string }> {
  const db = issuerDb(issuer.database);
  const code = input.code.toUpperCase().replace(/[\s-]/g, '');
  const request = await db
    .selectFrom('jpki_card_requests')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('code', '=', code)
    .executeTakeFirst();
  if (
    !request ||
    request.card_id !== null ||
    new Date(request.expires_at).getTime() <= issuer.clock.now().getTime()
  ) {
    throw new MachiError(
      'not-found',
      'No open card request has that code here; it may have expired or been used.',
    );
  }
  const issued = await issueCard(issuer, scope, {
    residentCode: input.residentCode,
    requests: { auth: request.auth_request, signing: request.signing_request },
    actor: input.actor,
  });
  const claimed = await db
    .updateTable('jpki_card_requests')
    .set({ card_id: issued.cardId })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('request_id', '=', request.request_id)
    .where('card_id', 'is', null)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) {
    // Two counters used the same code at once: the other one's card stands.
    throw new MachiError('conflict', 'That card request was just issued at another counter.');
  }
  return { ...issued, requestId: request.request_id };
}

/** Issued requests whose certificates have not yet gone out to the portal. */
export async function undeliveredCardRequests(database: Database) {
  const db = issuerDb(database);
  const rows = await db
    .selectFrom('jpki_card_requests as r')
    .innerJoin('jpki_certificates as c', (join) =>
      join.onRef('c.municipality_code', '=', 'r.municipality_code').onRef('c.card_id', '=', 'r.card_id'),
    )
    .select(['r.municipality_code', 'r.request_id', 'c.kind', 'c.certificate'])
    .where('r.card_id', 'is not', null)
    .where('r.delivered', '=', false)
    .limit(200)
    .execute();
  const byRequest = new Map<
    string,
    { municipalityCode: string; requestId: string; certificates: Record<string, string> }
  >();
  for (const row of rows) {
    const entry = byRequest.get(row.request_id) ?? {
      municipalityCode: row.municipality_code,
      requestId: row.request_id,
      certificates: {},
    };
    entry.certificates[row.kind] = row.certificate;
    byRequest.set(row.request_id, entry);
  }
  return [...byRequest.values()].map((entry) => ({
    municipalityCode: entry.municipalityCode,
    requestId: entry.requestId,
    certificates: { auth: entry.certificates.auth!, signing: entry.certificates.signing! },
  }));
}

export async function markCardRequestDelivered(database: Database, requestId: string): Promise<void> {
  await issuerDb(database)
    .updateTable('jpki_card_requests')
    .set({ delivered: true })
    .where('request_id', '=', requestId)
    .execute();
}
