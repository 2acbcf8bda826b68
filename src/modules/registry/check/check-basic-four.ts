import type { TenantScope } from '../../../core/index.ts';
import { parseIsoDate } from '../dates.ts';
import type { RegistryDb } from '../registry-context.ts';
import { addressWithinMunicipality, comparableAddress, comparableName } from './comparable-text.ts';

/**
 * - match: a current resident with all four items as given;
 * - mismatch: a current resident of that name and birth date, but sex or address differ;
 * - not-found: no one of that name and birth date in this municipality's registry;
 * - moved-out / deceased: the person found has left the registry (転出, 死亡; a 除票).
 */
export const basicFourOutcomes = ['match', 'mismatch', 'not-found', 'moved-out', 'deceased'] as const;
export type BasicFourOutcome = (typeof basicFourOutcomes)[number];

/** 基本4情報 as a signing certificate carries them (see jpki's BasicFour). */
export interface BasicFourQuery {
  readonly name: string;
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  /** ISO/IEC 5218. */
  readonly sex: '1' | '2' | '9';
  /** Whole, with 都道府県 and 市区町村, as on a 住民票. */
  readonly address: string;
}

export interface BasicFourFields {
  readonly name: boolean;
  readonly dateOfBirth: boolean;
  readonly sex: boolean;
  readonly address: boolean;
}

export interface BasicFourCheck {
  readonly outcome: BasicFourOutcome;
  /** Which items agree with the person reported: whether, never the registry's values. */
  readonly fields: BasicFourFields;
  /** The day the registry was read as of. */
  readonly asOf: string;
  /** Opaque ids of the person reported, for the caller's audit entry; null when not found. */
  readonly personId: string | null;
  readonly householdId: string | null;
  /** How many persons of that name and birth date were compared. */
  readonly candidates: number;
}

const noOne: BasicFourFields = { name: false, dateOfBirth: false, sex: false, address: false };

function isDay(text: string): boolean {
  try {
    parseIsoDate(text, 'dateOfBirth');
    return true;
  } catch {
    return false;
  }
}

/**
 * 住基照会: is there a resident of this municipality with these 基本4情報, as of the day
 * `on` (YYYY-MM-DD)? The person is looked for by name and birth date (the items a
 * certificate's holder keeps for life, mostly); each one found is compared on sex and
 * address, and the best is reported: most items agreeing, a current resident before a 除票.
 * Reads only; the caller audits (it knows who asked and why).
 */
export async function checkBasicFour(
  db: RegistryDb,
  scope: TenantScope,
  query: BasicFourQuery,
  on: string,
): Promise<BasicFourCheck> {
  const asOf = parseIsoDate(on, 'on');
  const notFound = {
    outcome: 'not-found',
    fields: noOne,
    asOf,
    personId: null,
    householdId: null,
  } as const;
  const name = comparableName(query.name);
  if (name === null || !isDay(query.dateOfBirth)) return { ...notFound, candidates: 0 };
  const born = await db
    .selectFrom('registry_persons')
    .select(['person_id', 'family_name', 'given_name', 'sex', 'address', 'household_id', 'status', 'left_on'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where('birth_date', '=', query.dateOfBirth)
    .orderBy('person_id')
    .execute();
  const named = born.filter(
    (person) => comparableName(`${person.family_name}\u3000${person.given_name}`) === name,
  );
  if (named.length === 0) return { ...notFound, candidates: 0 };

  // Where each lived on `on` (a move recorded ahead of its date has not happened yet then);
  // no period open on `on` (e.g. after leaving): the address last recorded.
  const periods = await db
    .selectFrom('registry_residences')
    .select(['person_id', 'address', 'household_id'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where(
      'person_id',
      'in',
      named.map((person) => person.person_id),
    )
    .where('valid_from', '<=', asOf)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', asOf)]))
    .execute();
  const residence = new Map(periods.map((period) => [period.person_id, period]));
  const within = addressWithinMunicipality(query.address, scope.municipalityCode);
  const address = within === undefined ? undefined : comparableAddress(within);

  const compared = named.map((person) => {
    const lived = residence.get(person.person_id);
    const left = person.status !== 'resident' && (person.left_on === null || person.left_on <= asOf);
    const fields: BasicFourFields = {
      name: true,
      dateOfBirth: true,
      sex: String(person.sex) === query.sex,
      address: address !== undefined && comparableAddress(lived?.address ?? person.address) === address,
    };
    const agreeing = Number(fields.sex) + Number(fields.address);
    return {
      person,
      fields,
      left,
      householdId: lived?.household_id ?? person.household_id,
      rank: agreeing * 2 + (left ? 0 : 1),
    };
  });
  const best = compared.reduce((a, b) => (b.rank > a.rank ? b : a));
  const outcome: BasicFourOutcome = best.left
    ? best.person.status === 'deceased'
      ? 'deceased'
      : 'moved-out'
    : best.fields.sex && best.fields.address
      ? 'match'
      : 'mismatch';
  return {
    outcome,
    fields: best.fields,
    asOf,
    personId: best.person.person_id,
    householdId: best.householdId,
    candidates: named.length,
  };
}
