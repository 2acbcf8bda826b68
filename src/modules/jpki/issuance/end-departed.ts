import type { TenantScope } from '../../../core/index.ts';
import { personStatuses, registryDb } from '../../registry/index.ts';
import { type IssuerContext, issuerDb } from './issuer-context.ts';
import { endCardInTransaction } from './revoke-card.ts';

const BATCH = 500;

/**
 * Revokes the active cards of residents who have moved out (転出) or died (死亡): the
 * registry records the event, this sweep (run every few seconds in the mynumber zone)
 * follows it. A sweep rather than a call from the registry keeps the registry free of
 * card knowledge, and a crash between the two loses nothing: the next sweep finds it.
 */
export async function endCardsOfDeparted(context: IssuerContext, scope: TenantScope): Promise<number> {
  const db = issuerDb(context.database);
  let ended = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const cards = await db
      .selectFrom('jpki_cards')
      .select(['card_id', 'person_id'])
      .where('municipality_code', '=', scope.municipalityCode)
      .where('status', '=', 'active')
      .where('card_id', '>', after)
      .orderBy('card_id')
      .limit(BATCH)
      .execute();
    if (cards.length === 0) return ended;
    after = cards.at(-1)!.card_id;
    const statuses = await personStatuses(
      registryDb(context.database),
      scope,
      cards.map((card) => card.person_id),
    );
    for (const card of cards) {
      const status = statuses.get(card.person_id);
      if (status !== 'moved-out' && status !== 'deceased') continue;
      const reason = status === 'deceased' ? 'deceased' : 'moved-out';
      const done = await db
        .transaction()
        .execute((trx) => endCardInTransaction(trx, context, scope, card.card_id, reason, 'system'));
      if (done) ended += 1;
    }
  }
}
