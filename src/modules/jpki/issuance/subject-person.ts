import type { Kysely } from 'kysely';
import type { TenantScope } from '../../../core/index.ts';
import type { JpkiIssuerTables } from './tables.ts';

/**
 * The person behind a subject id (the auth certificate holder's pseudonym, the only identity
 * other zones know), in the mynumber zone only — and only while that holder has a live auth
 * certificate: on an active card, not revoked, within its validity at `now`. A subject whose
 * card ended (lost, moved out, died, replaced without a new one) is no one, so a session or a
 * request that outlived the card reaches nothing. null also for another municipality's subject.
 */
export async function personOfSubject(
  // biome-ignore lint/suspicious/noExplicitAny: the caller's transaction, of any tables.
  db: Kysely<any>,
  scope: TenantScope,
  subjectId: string,
  now: Date,
): Promise<string | null> {
  const row = await (db as Kysely<JpkiIssuerTables>)
    .selectFrom('jpki_subjects as s')
    .innerJoin('jpki_cards as c', (join) =>
      join.onRef('c.municipality_code', '=', 's.municipality_code').onRef('c.person_id', '=', 's.person_id'),
    )
    .innerJoin('jpki_certificates as x', (join) =>
      join.onRef('x.municipality_code', '=', 'c.municipality_code').onRef('x.card_id', '=', 'c.card_id'),
    )
    .select('s.person_id')
    .where('s.municipality_code', '=', scope.municipalityCode)
    .where('s.subject_id', '=', subjectId)
    .where('c.status', '=', 'active')
    .where('x.kind', '=', 'auth')
    .where('x.revoked_at', 'is', null)
    .where('x.not_before', '<=', now)
    .where('x.not_after', '>', now)
    .executeTakeFirst();
  return row?.person_id ?? null;
}
