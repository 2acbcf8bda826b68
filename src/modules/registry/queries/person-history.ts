import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { MachiError, type TenantScope } from '../../../core/index.ts';
import { parseResidentCode } from '../identifiers/index.ts';
import type { RegistryDb } from '../registry-context.ts';
import type { LifeEventRecord, PersonHistory } from './types.ts';

/** Every life event (in the order they took effect) and every residence period, in one query. */
export async function personHistory(
  db: RegistryDb,
  scope: TenantScope,
  residentCodeInput: string,
): Promise<PersonHistory> {
  const residentCode = parseResidentCode(residentCodeInput);
  const row = await db
    .selectFrom('registry_persons as p')
    .select((eb) => [
      'p.person_id',
      'p.resident_code',
      jsonArrayFrom(
        eb
          .selectFrom('registry_events as e')
          .select([
            'e.event_id as eventId',
            'e.kind',
            'e.effective_on as effectiveOn',
            'e.recorded_at as recordedAt',
            'e.recorded_by as recordedBy',
            'e.address',
            'e.postal_code as postalCode',
            'e.relationship',
            'e.other_address as otherAddress',
            'e.other_municipality_code as otherMunicipalityCode',
          ])
          .whereRef('e.municipality_code', '=', 'p.municipality_code')
          .whereRef('e.person_id', '=', 'p.person_id')
          .orderBy('e.effective_on')
          .orderBy('e.recorded_at'),
      ).as('events'),
      jsonArrayFrom(
        eb
          .selectFrom('registry_residences as r')
          .select([
            'r.valid_from as validFrom',
            'r.valid_to as validTo',
            'r.address',
            'r.household_id as householdId',
          ])
          .whereRef('r.municipality_code', '=', 'p.municipality_code')
          .whereRef('r.person_id', '=', 'p.person_id')
          .orderBy('r.valid_from'),
      ).as('residences'),
    ])
    .where('p.municipality_code', '=', scope.municipalityCode)
    .where('p.resident_code', '=', residentCode)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'No resident with that 住民票コード in this municipality.');
  return {
    personId: row.person_id,
    residentCode: row.resident_code,
    // json_agg renders timestamptz as ISO text; `recordedAt` is typed Date by the table, a string here.
    events: row.events as unknown as LifeEventRecord[],
    residences: row.residences,
  };
}
