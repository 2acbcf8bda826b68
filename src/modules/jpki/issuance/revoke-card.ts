import { MachiError, type TenantScope } from '../../../core/index.ts';
import { type CardEndReason, cardEndReasons, type IssuerContext, issuerDb } from './issuer-context.ts';
import type { JpkiIssuerTrx } from './tables.ts';

/**
 * Ends a card inside the caller's transaction: the card and both its certificates are
 * revoked with the reason's RFC 5280 code, each certificate's version moves on so the
 * change is published to the status responders, and the CRLs are marked stale.
 * A card already ended is left as it is (a second report of a loss changes nothing).
 */
export async function endCardInTransaction(
  trx: JpkiIssuerTrx,
  context: Pick<IssuerContext, 'audit' | 'clock'>,
  scope: TenantScope,
  cardId: string,
  reason: CardEndReason,
  actor: string,
): Promise<boolean> {
  const now = context.clock.now();
  const ended = await trx
    .updateTable('jpki_cards')
    .set({ status: 'revoked', revoked_at: now, revocation_reason: reason })
    .where('municipality_code', '=', scope.municipalityCode)
    .where('card_id', '=', cardId)
    .where('status', '=', 'active')
    .returning('person_id')
    .executeTakeFirst();
  if (!ended) return false;
  await trx
    .updateTable('jpki_certificates')
    .set((eb) => ({
      revoked_at: now,
      revocation_reason: cardEndReasons[reason],
      version: eb('version', '+', 1),
    }))
    .where('municipality_code', '=', scope.municipalityCode)
    .where('card_id', '=', cardId)
    .where('revoked_at', 'is', null)
    .execute();
  await trx.updateTable('jpki_crls').set({ stale: true }).execute();
  await context.audit.append(trx, {
    municipalityCode: scope.municipalityCode,
    actor,
    action: 'jpki.card.revoke',
    target: ended.person_id,
    outcome: 'success',
    details: { cardId, reason },
  });
  return true;
}

/** 失効: ends a card (lost, reissued, requested …). `not-found` for another municipality's or no card. */
export async function revokeCard(
  context: IssuerContext,
  scope: TenantScope,
  cardId: string,
  reason: CardEndReason,
  actor: string,
): Promise<{ revoked: boolean }> {
  return issuerDb(context.database)
    .transaction()
    .execute(async (trx) => {
      const card = await trx
        .selectFrom('jpki_cards')
        .select('status')
        .where('municipality_code', '=', scope.municipalityCode)
        .where('card_id', '=', cardId)
        .forUpdate()
        .executeTakeFirst();
      if (!card) throw new MachiError('not-found', 'No such card in this municipality.');
      return { revoked: await endCardInTransaction(trx, context, scope, cardId, reason, actor) };
    });
}
