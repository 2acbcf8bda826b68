import { MachiError, type TenantScope } from '../../../core/index.ts';
import { getPersonByResidentCode } from '../../registry/index.ts';
import type { CertificateKind } from '../pki/authority.ts';
import { type CertificatePair, insertCertificates, issuePair } from './issue-card.ts';
import { type IssuerContext, issuerDb } from './issuer-context.ts';

/**
 * 更新: new certificates for the same card, from new keys the card made (a certificate's
 * key is not reused past its validity). The card's current certificates are revoked as
 * superseded in the same transaction; the card, its holder and its subject id stay.
 */
export async function renewCard(
  context: IssuerContext,
  scope: TenantScope,
  input: {
    cardId: string;
    residentCode: string;
    requests: Readonly<Record<CertificateKind, Uint8Array | string>>;
    actor: string;
  },
): Promise<CertificatePair> {
  const person = await getPersonByResidentCode(context.database, scope, input.residentCode);
  if (person.status !== 'resident') {
    throw new MachiError('conflict', 'Certificates are renewed only for a current resident.');
  }
  // Checked before anything is issued, and again under the row lock below.
  const check = async (db: Pick<ReturnType<typeof issuerDb>, 'selectFrom'>, lock: boolean) => {
    const query = db
      .selectFrom('jpki_cards')
      .select(['person_id', 'status'])
      .where('municipality_code', '=', scope.municipalityCode)
      .where('card_id', '=', input.cardId);
    const card = await (lock ? query.forUpdate() : query).executeTakeFirst();
    // Another resident's card is as unknown here as no card at all.
    if (!card || card.person_id !== person.personId)
      throw new MachiError('not-found', 'No such card for this resident.');
    if (card.status !== 'active')
      throw new MachiError('conflict', 'A revoked card is not renewed; issue a new one.');
  };
  await check(issuerDb(context.database), false);
  const certificates = await issuePair(context, scope, person, input.requests);
  const now = context.clock.now();
  await issuerDb(context.database)
    .transaction()
    .execute(async (trx) => {
      await check(trx, true);
      await trx
        .updateTable('jpki_certificates')
        .set((eb) => ({ revoked_at: now, revocation_reason: 'superseded', version: eb('version', '+', 1) }))
        .where('municipality_code', '=', scope.municipalityCode)
        .where('card_id', '=', input.cardId)
        .where('revoked_at', 'is', null)
        .execute();
      await insertCertificates(trx, scope, input.cardId, certificates);
      await trx.updateTable('jpki_crls').set({ stale: true }).execute();
      await context.audit.append(trx, {
        municipalityCode: scope.municipalityCode,
        actor: input.actor,
        action: 'jpki.card.renew',
        target: person.personId,
        outcome: 'success',
        details: {
          cardId: input.cardId,
          authSerial: certificates.auth.serialNumber.toLowerCase(),
          signingSerial: certificates.signing.serialNumber.toLowerCase(),
        },
      });
    });
  return certificates;
}
