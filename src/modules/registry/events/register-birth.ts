import { randomUUID } from 'node:crypto';
import type { TenantScope } from '../../../core/index.ts';
import { parseIsoDate } from '../dates.ts';
import { type RegistryContext, registryDb } from '../registry-context.ts';
import { insertPerson } from './insert-person.ts';
import { appendEvent, checkAddress, checkNewPerson, openResidence, resolveHousehold } from './shared.ts';
import type { BirthInput, EventResult } from './types.ts';

/** 出生届: a new person, dated on their birth, in a new household or a parent's (住民基本台帳法第8条). */
export async function registerBirth(
  context: RegistryContext,
  scope: TenantScope,
  actor: string,
  input: BirthInput,
): Promise<EventResult> {
  const person = checkNewPerson(input.person);
  const birthDate = parseIsoDate(person.birth_date, 'person.birthDate');
  const where = checkAddress(input.address, input.postalCode);
  return registryDb(context.database)
    .transaction()
    .execute(async (trx) => {
      const personId = randomUUID();
      const { householdId, relationship } = await resolveHousehold(
        trx,
        scope,
        input.household,
        personId,
        birthDate,
      );
      await insertPerson(trx, scope, {
        ...person,
        person_id: personId,
        birth_date: birthDate,
        address: where.address,
        postal_code: where.postalCode,
        household_id: householdId,
        relationship,
        status: 'resident',
        address_since: birthDate,
        left_on: null,
      });
      await openResidence(trx, scope, { personId, from: birthDate, address: where.address, householdId });
      const eventId = await appendEvent(trx, context.audit, scope, {
        personId,
        kind: 'birth',
        effectiveOn: birthDate,
        recordedAt: context.clock.now(),
        recordedBy: actor,
        address: where.address,
        postalCode: where.postalCode,
        householdId,
        relationship,
      });
      return { kind: 'birth', eventId, personId, householdId, version: 1 };
    });
}
