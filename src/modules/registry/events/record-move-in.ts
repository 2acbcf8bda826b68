import { randomUUID } from 'node:crypto';
import type { TenantScope } from '../../../core/index.ts';
import { parseIsoDate } from '../dates.ts';
import { type RegistryContext, registryDb } from '../registry-context.ts';
import { insertPerson } from './insert-person.ts';
import {
  appendEvent,
  checkAddress,
  checkNewPerson,
  conflict,
  openResidence,
  type PersonRow,
  type RegistryTrx,
  resolveHousehold,
  updatePerson,
} from './shared.ts';
import type { EventResult, MoveInInput } from './types.ts';

/**
 * 転入届 (住民基本台帳法第22条): a person arrives from another municipality. A person who
 * once moved out of this municipality and comes back keeps their record (and 住民票コード);
 * their registry row is brought back to 'resident' with the details given now.
 */
export async function recordMoveIn(
  context: RegistryContext,
  scope: TenantScope,
  actor: string,
  input: MoveInInput,
): Promise<EventResult> {
  const person = checkNewPerson(input.person);
  const birthDate = parseIsoDate(person.birth_date, 'person.birthDate');
  const effectiveOn = parseIsoDate(input.effectiveOn, 'effectiveOn');
  const where = checkAddress(input.address, input.postalCode);
  if (effectiveOn < birthDate)
    throw conflict('The move in is dated before the person’s birth.', { field: 'effectiveOn' });
  if (input.fromMunicipalityCode === scope.municipalityCode) {
    throw conflict('A move from within this municipality is a move within (転居), not a move in.', {
      field: 'fromMunicipalityCode',
    });
  }
  return registryDb(context.database)
    .transaction()
    .execute(async (trx) => {
      const returning = await findReturning(trx, scope, person.resident_code, person.my_number, effectiveOn);
      const personId = returning?.person_id ?? randomUUID();
      const { householdId, relationship } = await resolveHousehold(
        trx,
        scope,
        input.household,
        personId,
        effectiveOn,
      );
      const current = {
        ...person,
        birth_date: birthDate,
        address: where.address,
        postal_code: where.postalCode,
        household_id: householdId,
        relationship,
        status: 'resident' as const,
        address_since: effectiveOn,
        left_on: null,
      };
      let version = 1;
      if (returning) version = await updatePerson(trx, scope, returning, current);
      else await insertPerson(trx, scope, { ...current, person_id: personId });
      await openResidence(trx, scope, { personId, from: effectiveOn, address: where.address, householdId });
      const eventId = await appendEvent(trx, context.audit, scope, {
        personId,
        kind: 'move-in',
        effectiveOn,
        recordedAt: context.clock.now(),
        recordedBy: actor,
        address: where.address,
        postalCode: where.postalCode,
        householdId,
        relationship,
        otherAddress: input.fromAddress ?? null,
        otherMunicipalityCode: input.fromMunicipalityCode ?? null,
      });
      return { kind: 'move-in', eventId, personId, householdId, version };
    });
}

/** A former resident coming back, or undefined for someone new here. */
async function findReturning(
  trx: RegistryTrx,
  scope: TenantScope,
  residentCode: string,
  myNumber: string,
  effectiveOn: string,
): Promise<PersonRow | undefined> {
  const row = (await trx
    .selectFrom('registry_persons')
    .selectAll()
    .where('municipality_code', '=', scope.municipalityCode)
    .where('resident_code', '=', residentCode)
    .forUpdate()
    .executeTakeFirst()) as PersonRow | undefined;
  if (!row) return undefined;
  if (row.status === 'resident')
    throw conflict('The person is already resident here.', { status: row.status });
  if (row.status === 'deceased')
    throw conflict('The person is recorded as deceased.', { status: row.status });
  if (row.my_number !== myNumber) {
    throw conflict('person.myNumber does not match the number on record for that 住民票コード.', {
      field: 'person.myNumber',
    });
  }
  if (row.left_on !== null && effectiveOn < row.left_on) {
    throw conflict('The move in is dated before the person’s last move out.', { field: 'effectiveOn' });
  }
  return row;
}
