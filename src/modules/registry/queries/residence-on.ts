import { MachiError, type TenantScope } from '../../../core/index.ts';
import { parseIsoDate } from '../dates.ts';
import { parseResidentCode } from '../identifiers/index.ts';
import type { RegistryDb } from '../registry-context.ts';
import { clampLimit, escapeLike, toPage } from './paging.ts';
import type { Page, ResidencePeriod } from './types.ts';

/** Where the person lived on `on` (periods are [valid_from, valid_to)), or null if not resident then. */
export async function residenceOn(
  db: RegistryDb,
  scope: TenantScope,
  residentCodeInput: string,
  onInput: string,
): Promise<{ personId: string; residence: ResidencePeriod | null }> {
  const residentCode = parseResidentCode(residentCodeInput);
  const on = parseIsoDate(onInput, 'on');
  const row = await db
    .selectFrom('registry_persons as p')
    .leftJoin('registry_residences as r', (join) =>
      join
        .onRef('r.municipality_code', '=', 'p.municipality_code')
        .onRef('r.person_id', '=', 'p.person_id')
        .on('r.valid_from', '<=', on)
        .on((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>', on)])),
    )
    .select(['p.person_id', 'r.valid_from', 'r.valid_to', 'r.address', 'r.household_id'])
    .where('p.municipality_code', '=', scope.municipalityCode)
    .where('p.resident_code', '=', residentCode)
    .executeTakeFirst();
  if (!row) throw new MachiError('not-found', 'No resident with that 住民票コード in this municipality.');
  return {
    personId: row.person_id,
    residence:
      row.valid_from && row.address && row.household_id
        ? {
            validFrom: row.valid_from,
            validTo: row.valid_to,
            address: row.address,
            householdId: row.household_id,
          }
        : null,
  };
}

export interface ResidentAt {
  readonly residentCode: string;
  readonly address: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

/** Who lived at an address starting with `addressPrefix` on `on`: a 住所 in the past, not only today. */
export async function residentsAt(
  db: RegistryDb,
  scope: TenantScope,
  addressPrefix: string,
  onInput: string,
  pageOptions: { limit?: number; offset?: number } = {},
): Promise<Page<ResidentAt>> {
  const on = parseIsoDate(onInput, 'on');
  const prefix = addressPrefix.normalize('NFC').trim();
  if (prefix.length === 0)
    throw new MachiError('validation-failed', 'address must not be empty.', { field: 'address' });
  const limit = clampLimit(pageOptions.limit);
  const offset = Math.max(0, pageOptions.offset ?? 0);
  const rows = await db
    .selectFrom('registry_residences as r')
    .innerJoin('registry_persons as p', (join) =>
      join.onRef('p.municipality_code', '=', 'r.municipality_code').onRef('p.person_id', '=', 'r.person_id'),
    )
    .select(['p.resident_code', 'r.address', 'r.valid_from', 'r.valid_to'])
    .where('r.municipality_code', '=', scope.municipalityCode)
    .where('r.address', 'like', `${escapeLike(prefix)}%`)
    .where('r.valid_from', '<=', on)
    .where((eb) => eb.or([eb('r.valid_to', 'is', null), eb('r.valid_to', '>', on)]))
    .orderBy('r.address')
    .orderBy('p.resident_code')
    .limit(limit + 1)
    .offset(offset)
    .execute();
  return toPage(rows, limit, offset, (row) => ({
    residentCode: row.resident_code,
    address: row.address,
    validFrom: row.valid_from,
    validTo: row.valid_to,
  }));
}
