import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { type Database, fixedQuery, type LgCode, MachiError, type TenantScope } from '../../../core/index.ts';
import { parseResidentCode } from '../identifiers/index.ts';
import type { RegistryDb } from '../registry-context.ts';
import type { PersonRecord } from './types.ts';

/** A guard, not a rule: a household (世帯) of more than this is a data error, not a page to render. */
const MAX_MEMBERS = 200;

const personByResidentCode = fixedQuery(
  'registry_person_by_resident_code',
  (db: RegistryDb, municipalityCode: LgCode, residentCode: string) =>
    db
      .selectFrom('registry_persons as p')
      .leftJoin('registry_households as h', (join) =>
        join
          .onRef('h.municipality_code', '=', 'p.municipality_code')
          .onRef('h.household_id', '=', 'p.household_id'),
      )
      .select((eb) => [
        'p.person_id',
        'p.resident_code',
        'p.my_number',
        'p.family_name',
        'p.given_name',
        'p.family_name_kana',
        'p.given_name_kana',
        'p.sex',
        'p.birth_date',
        'p.postal_code',
        'p.address',
        'p.address_since',
        'p.relationship',
        'p.status',
        'p.left_on',
        'p.version',
        'p.household_id',
        'h.head_person_id',
        jsonArrayFrom(
          eb
            .selectFrom('registry_persons as m')
            .select([
              'm.person_id',
              'm.resident_code',
              'm.family_name',
              'm.given_name',
              'm.family_name_kana',
              'm.given_name_kana',
              'm.birth_date',
              'm.relationship',
            ])
            .whereRef('m.municipality_code', '=', 'p.municipality_code')
            .whereRef('m.household_id', '=', 'p.household_id')
            .where('m.status', '=', 'resident')
            .orderBy('m.birth_date')
            .orderBy('m.resident_code')
            .limit(MAX_MEMBERS),
        ).as('members'),
      ])
      .where('p.municipality_code', '=', municipalityCode)
      .where('p.resident_code', '=', residentCode),
);

/**
 * The person with that 住民票コード, their household's current members and head. This is
 * the hot path (1,000 req/s target): one statement — the person (unique
 * (municipality_code, resident_code)) joined to the household (primary key), with the
 * members (household index) as a JSON array — run as a prepared statement. Planning it
 * costs the server several times what running it does, so it is planned once per
 * connection, not per call.
 * The head is found among the members (a head who left is no longer head).
 * Throws not-found, also for a resident of another municipality: the scope is part of
 * every predicate.
 */
export async function getPersonByResidentCode(
  database: Database,
  scope: TenantScope,
  residentCodeInput: string,
): Promise<PersonRecord> {
  const residentCode = parseResidentCode(residentCodeInput);
  const [row] = await personByResidentCode(database, scope.municipalityCode, residentCode);
  if (!row) throw new MachiError('not-found', 'No resident with that 住民票コード in this municipality.');
  const members = row.members;
  return {
    personId: row.person_id,
    residentCode: row.resident_code,
    myNumber: row.my_number,
    familyName: row.family_name,
    givenName: row.given_name,
    familyNameKana: row.family_name_kana,
    givenNameKana: row.given_name_kana,
    sex: row.sex,
    birthDate: row.birth_date,
    postalCode: row.postal_code,
    address: row.address,
    addressSince: row.address_since,
    relationship: row.relationship,
    status: row.status,
    leftOn: row.left_on,
    version: row.version,
    household: {
      householdId: row.household_id,
      headResidentCode: members.find((m) => m.person_id === row.head_person_id)?.resident_code ?? null,
      members: members.map((m) => ({
        residentCode: m.resident_code,
        familyName: m.family_name,
        givenName: m.given_name,
        familyNameKana: m.family_name_kana,
        givenNameKana: m.given_name_kana,
        birthDate: m.birth_date,
        relationship: m.relationship,
      })),
    },
  };
}
