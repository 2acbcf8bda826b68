import type { TenantScope } from '../../../core/index.ts';
import type { RegistryPersonsTable } from '../tables.ts';
import { conflict, type RegistryTrx } from './shared.ts';

type NewPersonRow = Omit<RegistryPersonsTable, 'municipality_code' | 'version'>;

/**
 * Inserts a person, refusing a 住民票コード or 個人番号 already on this municipality's
 * registry. The unique constraints are the last word; the check first gives a clear error.
 */
export async function insertPerson(trx: RegistryTrx, scope: TenantScope, row: NewPersonRow): Promise<void> {
  const clash = await trx
    .selectFrom('registry_persons')
    .select(['resident_code', 'my_number'])
    .where('municipality_code', '=', scope.municipalityCode)
    .where((eb) => eb.or([eb('resident_code', '=', row.resident_code), eb('my_number', '=', row.my_number)]))
    .executeTakeFirst();
  if (clash) {
    const field = clash.resident_code === row.resident_code ? 'person.residentCode' : 'person.myNumber';
    throw conflict(`${field} is already on this municipality's registry.`, { field });
  }
  await trx
    .insertInto('registry_persons')
    .values({ ...row, municipality_code: scope.municipalityCode, version: 1 })
    .execute();
}
