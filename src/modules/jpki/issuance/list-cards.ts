import type { AuditLog, Database, TenantScope } from '../../../core/index.ts';
import { getPersonByResidentCode } from '../../registry/index.ts';
import { issuerDb } from './issuer-context.ts';

/** A resident's cards, newest first, with their certificates: what the counter shows. Audited as a read. */
export async function cardsOfResident(
  context: { database: Database; audit: AuditLog },
  scope: TenantScope,
  residentCode: string,
  actor: string,
) {
  const person = await getPersonByResidentCode(context.database, scope, residentCode);
  const db = issuerDb(context.database);
  const cards = await db
    .selectFrom('jpki_cards')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('person_id', '=', person.personId)
    .orderBy('issued_at', 'desc')
    .limit(50)
    .execute();
  const certificates =
    cards.length === 0
      ? []
      : await db
          .selectFrom('jpki_certificates')
          .select(['card_id', 'kind', 'serial_number', 'not_after', 'revoked_at'])
          .where('municipality_code', '=', scope.municipalityCode)
          .where(
            'card_id',
            'in',
            cards.map((card) => card.card_id),
          )
          .orderBy('kind')
          .execute();
  await context.audit.record({
    municipalityCode: scope.municipalityCode,
    actor,
    action: 'jpki.card.list',
    target: person.personId,
    outcome: 'success',
    details: { cards: cards.length },
  });
  const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null);
  return cards.map((card) => ({
    cardId: card.card_id,
    status: card.status,
    issuedAt: new Date(card.issued_at).toISOString(),
    revokedAt: iso(card.revoked_at),
    revocationReason: card.revocation_reason,
    certificates: certificates
      .filter((certificate) => certificate.card_id === card.card_id)
      .map((certificate) => ({
        kind: certificate.kind,
        serialNumber: certificate.serial_number,
        notAfter: new Date(certificate.not_after).toISOString(),
        revokedAt: iso(certificate.revoked_at),
      })),
  }));
}
