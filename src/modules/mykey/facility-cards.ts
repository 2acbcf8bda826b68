import type { Kysely } from 'kysely';
import {
  isUniqueViolation,
  MachiError,
  newTerminalKey,
  parseLgCode,
  type TenantScope,
  tenantScope,
  verifyTerminalKey,
} from '../../core/index.ts';

export type FacilityKind = 'library' | 'gym' | 'museum' | 'bicycle-parking' | 'other';

interface FacilityTables {
  mykey_facilities: {
    municipality_code: string;
    facility_id: string;
    name_ja: string;
    name_en: string;
    kind: FacilityKind;
    created_at: Date;
  };
  mykey_facility_keys: {
    key_id: string;
    municipality_code: string;
    facility_id: string;
    secret_sha256: string;
    label: string;
    created_at: Date;
    revoked_at: Date | null;
  };
  mykey_facility_cards: {
    municipality_code: string;
    facility_id: string;
    mykey_id: string;
    member_number: string;
    linked_at: Date;
  };
}

export type FacilityDb = Kysely<FacilityTables>;

const FACILITY_ID = /^[a-z0-9-]{1,40}$/;
const MEMBER_NUMBER = /^[A-Za-z0-9-]{1,32}$/;
const invalid = (detail: string) => new MachiError('validation-failed', detail);

export async function registerFacility(
  db: FacilityDb,
  scope: TenantScope,
  facility: { facilityId: string; name: { ja: string; en: string }; kind: FacilityKind },
  now: Date,
): Promise<void> {
  if (!FACILITY_ID.test(facility.facilityId)) throw invalid('facilityId is 1–40 of a–z, 0–9 and -.');
  await db
    .insertInto('mykey_facilities')
    .values({
      municipality_code: scope.municipalityCode,
      facility_id: facility.facilityId,
      name_ja: facility.name.ja,
      name_en: facility.name.en,
      kind: facility.kind,
      created_at: now,
    })
    .onConflict((conflict) => conflict.columns(['municipality_code', 'facility_id']).doNothing())
    .execute();
}

/** A key for one of the facility's card readers (`fk_…`); the token is shown once. */
export async function issueFacilityKey(
  db: FacilityDb,
  scope: TenantScope,
  facilityId: string,
  label: string,
  now: Date,
): Promise<{ keyId: string; token: string }> {
  const key = newTerminalKey('fk');
  await db
    .insertInto('mykey_facility_keys')
    .values({
      key_id: key.keyId,
      municipality_code: scope.municipalityCode,
      facility_id: facilityId,
      secret_sha256: key.secretSha256,
      label,
      created_at: now,
    })
    .execute();
  return { keyId: key.keyId, token: key.token };
}

/** The facility a reader's bearer token belongs to; `authentication-required` otherwise. */
export async function facilityOfToken(
  db: FacilityDb,
  authorization: string | undefined,
): Promise<{ scope: TenantScope; facilityId: string; keyId: string }> {
  const { keyId, row } = await verifyTerminalKey(authorization, 'fk', 'reader key', (id) =>
    db.selectFrom('mykey_facility_keys').selectAll().where('key_id', '=', id).executeTakeFirst(),
  );
  return { scope: tenantScope(parseLgCode(row.municipality_code)), facilityId: row.facility_id, keyId };
}

/**
 * Links a facility card (its member number) to the resident's MyKey ID, or changes the number
 * linked before. One member number belongs to one resident per facility.
 */
export async function linkFacilityCard(
  db: FacilityDb,
  scope: TenantScope,
  link: { myKeyId: string; facilityId: string; memberNumber: string },
  now: Date,
): Promise<void> {
  if (!MEMBER_NUMBER.test(link.memberNumber))
    throw invalid('The member number is 1–32 of A–Z, a–z, 0–9 and -.');
  const facility = await db
    .selectFrom('mykey_facilities')
    .select('facility_id')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('facility_id', '=', link.facilityId)
    .executeTakeFirst();
  if (!facility) throw new MachiError('not-found', 'No such facility in your municipality.');
  try {
    await db
      .insertInto('mykey_facility_cards')
      .values({
        municipality_code: scope.municipalityCode,
        facility_id: link.facilityId,
        mykey_id: link.myKeyId,
        member_number: link.memberNumber,
        linked_at: now,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['municipality_code', 'facility_id', 'mykey_id'])
          .doUpdateSet({ member_number: link.memberNumber, linked_at: now }),
      )
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new MachiError('conflict', 'This member number is linked to someone else: ask the facility.');
    }
    throw error;
  }
}

/** The resident's facility cards: facility and member number. */
export async function facilityCardsOf(db: FacilityDb, scope: TenantScope, myKeyId: string) {
  return db
    .selectFrom('mykey_facility_cards as c')
    .innerJoin('mykey_facilities as f', (join) =>
      join
        .onRef('f.municipality_code', '=', 'c.municipality_code')
        .onRef('f.facility_id', '=', 'c.facility_id'),
    )
    .select([
      'c.facility_id as facilityId',
      'f.name_ja as nameJa',
      'f.name_en as nameEn',
      'f.kind',
      'c.member_number as memberNumber',
    ])
    .where('c.municipality_code', '=', scope.municipalityCode)
    .where('c.mykey_id', '=', myKeyId)
    .orderBy('c.facility_id')
    .execute();
}

/** The member number of this resident at this facility, and nothing else; `not-found` if none is linked. */
export async function memberNumberAt(
  db: FacilityDb,
  scope: TenantScope,
  facilityId: string,
  myKeyId: string,
) {
  const row = await db
    .selectFrom('mykey_facility_cards')
    .select('member_number')
    .where('municipality_code', '=', scope.municipalityCode)
    .where('facility_id', '=', facilityId)
    .where('mykey_id', '=', myKeyId)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'This card holds no member number for this facility.');
  return row.member_number;
}
