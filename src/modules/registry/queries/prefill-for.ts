import { findMunicipality, type TenantScope } from '../../../core/index.ts';
import { parseIsoDate } from '../dates.ts';
import type { RegistryDb } from '../registry-context.ts';

/**
 * The purpose a prefill read is audited with (住民基本台帳法第30条の38: every use has a stated
 * purpose). Not among the staff's `purposes`: no clerk reads a record for it; the system does,
 * at the resident's own request, to fill the resident's own form.
 */
export const PREFILL_PURPOSE = 'online-application-prefill';

/** Members reported at most: a 世帯 larger than this is a data error, and no form asks for more. */
export const MAX_PREFILL_MEMBERS = 30;

/** One member of the 世帯, as a form's household table asks for them. */
export interface PrefillMember {
  /** 氏名: family and given name, a full-width space between (as on a signing certificate). */
  readonly name: string;
  /** フリガナ: full-width katakana, a full-width space between. */
  readonly nameKana: string;
  readonly birthDate: string;
  /** ISO/IEC 5218: 1 male, 2 female, 9 not applicable. */
  readonly sex: 1 | 2 | 9;
  /** 続柄 to the head of household (世帯主), as the 住民票 has it. */
  readonly relationship: string;
}

/** The resident's own facts for a form (the 住民票 as of a day), and their 世帯. */
export interface RegistryPrefill {
  readonly person: {
    readonly name: string;
    readonly nameKana: string;
    readonly birthDate: string;
    readonly sex: 1 | 2 | 9;
    /** 7 digits; null when the registry has none for the address of that day. */
    readonly postalCode: string | null;
    /** Whole, with 都道府県 and 市区町村 first, as a 住民票 prints it. */
    readonly address: string;
  };
  /** The household's members that day, the resident included: the head first, then by age. */
  readonly householdMembers: readonly PrefillMember[];
  /** The day read as of (YYYY-MM-DD). */
  readonly asOf: string;
}

const fullName = (family: string, given: string) => `${family}\u3000${given}`;

/** An address within the municipality made whole, as a certificate and a 住民票 carry it. */
function wholeAddress(scope: TenantScope, within: string): string {
  const town = findMunicipality(scope.municipalityCode);
  return `${town.kind === 'prefecture' ? town.prefecture : `${town.prefecture}${town.name}`}${within}`;
}

/**
 * ワンスオンリー: what a form may be pre-filled with for the person `personId`, as of the day
 * `on` — their name, kana, birth date, sex, postal code and address, and the members of the
 * 世帯 they lived in that day. null when they did not live in the municipality that day (not
 * yet moved in, moved out, died): a 除票 fills no form. Reads only, and reads no My Number or
 * 住民票コード; the caller audits (it knows who asked and why).
 */
export async function prefillFor(
  db: RegistryDb,
  scope: TenantScope,
  personId: string,
  onInput: string,
): Promise<RegistryPrefill | null> {
  const on = parseIsoDate(onInput, 'on');
  const { municipalityCode } = scope;
  // The residence period holding `on` says where and in which household: a move recorded
  // ahead of its date has not happened yet that day, and a person who left has none.
  const lived = await db
    .selectFrom('registry_persons as p')
    .innerJoin('registry_residences as r', (join) =>
      join.onRef('r.municipality_code', '=', 'p.municipality_code').onRef('r.person_id', '=', 'p.person_id'),
    )
    .select([
      'p.family_name',
      'p.given_name',
      'p.family_name_kana',
      'p.given_name_kana',
      'p.birth_date',
      'p.sex',
      'p.postal_code',
      'p.address as current_address',
      'r.address',
      'r.household_id',
    ])
    .where('p.municipality_code', '=', municipalityCode)
    .where('p.person_id', '=', personId)
    .where('r.valid_from', '<=', on)
    .where((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>', on)]))
    .executeTakeFirst();
  if (!lived) return null;

  const members = await db
    .selectFrom('registry_residences as r')
    .innerJoin('registry_persons as p', (join) =>
      join.onRef('p.municipality_code', '=', 'r.municipality_code').onRef('p.person_id', '=', 'r.person_id'),
    )
    .leftJoin('registry_households as h', (join) =>
      join
        .onRef('h.municipality_code', '=', 'r.municipality_code')
        .onRef('h.household_id', '=', 'r.household_id'),
    )
    .select([
      'p.family_name',
      'p.given_name',
      'p.family_name_kana',
      'p.given_name_kana',
      'p.birth_date',
      'p.sex',
      'p.relationship',
    ])
    .where('r.municipality_code', '=', municipalityCode)
    .where('r.household_id', '=', lived.household_id)
    .where('r.valid_from', '<=', on)
    .where((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>', on)]))
    .orderBy(
      (eb) => eb.fn.coalesce(eb(eb.ref('h.head_person_id'), '=', eb.ref('p.person_id')), eb.lit(false)),
      'desc',
    )
    .orderBy('p.birth_date')
    .orderBy('p.resident_code')
    .limit(MAX_PREFILL_MEMBERS)
    .execute();

  return {
    person: {
      name: fullName(lived.family_name, lived.given_name),
      nameKana: fullName(lived.family_name_kana, lived.given_name_kana),
      birthDate: lived.birth_date,
      sex: Number(lived.sex) as 1 | 2 | 9,
      // The registry keeps the postal code of the current address only.
      postalCode: lived.address === lived.current_address ? lived.postal_code : null,
      address: wholeAddress(scope, lived.address),
    },
    householdMembers: members.map((member) => ({
      name: fullName(member.family_name, member.given_name),
      nameKana: fullName(member.family_name_kana, member.given_name_kana),
      birthDate: member.birth_date,
      sex: Number(member.sex) as 1 | 2 | 9,
      relationship: member.relationship,
    })),
    asOf: on,
  };
}
