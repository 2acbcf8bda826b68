import type { TenantScope } from '../../../core/index.ts';
import { parseIsoDate } from '../dates.ts';
import { parseResidentCode } from '../identifiers/index.ts';
import { type RegistryContext, registryDb } from '../registry-context.ts';
import {
  appendEvent,
  checkAddress,
  checkExistingPerson,
  closeResidence,
  conflict,
  leaveHousehold,
  lockPerson,
  openResidence,
  resolveHousehold,
  updatePerson,
} from './shared.ts';
import type { EventResult, MoveWithinInput } from './types.ts';

/** 転居届 (住民基本台帳法第23条): a new address in the same municipality, in the same or another household. */
export async function recordMoveWithin(
  context: RegistryContext,
  scope: TenantScope,
  actor: string,
  input: MoveWithinInput,
): Promise<EventResult> {
  const residentCode = parseResidentCode(input.residentCode);
  const effectiveOn = parseIsoDate(input.effectiveOn, 'effectiveOn');
  const where = checkAddress(input.address, input.postalCode);
  return registryDb(context.database)
    .transaction()
    .execute(async (trx) => {
      const person = await lockPerson(trx, scope, residentCode);
      checkExistingPerson(person, 'move-within', effectiveOn, input.expectedVersion);
      // Periods are keyed by their start: two moves on one day would make an empty period.
      if (effectiveOn === person.address_since) {
        throw conflict('The current address took effect on that same day; correct it instead of moving.', {
          field: 'effectiveOn',
        });
      }
      let householdId = person.household_id;
      let relationship = person.relationship;
      if (input.household.kind !== 'keep') {
        await leaveHousehold(trx, scope, person);
        ({ householdId, relationship } = await resolveHousehold(
          trx,
          scope,
          input.household,
          person.person_id,
          effectiveOn,
        ));
        if (householdId === person.household_id) {
          throw conflict(
            'household.residentCode names the household the person is already in; use kind "keep".',
            {
              field: 'household.residentCode',
            },
          );
        }
      }
      await closeResidence(trx, scope, person.person_id, effectiveOn);
      await openResidence(trx, scope, {
        personId: person.person_id,
        from: effectiveOn,
        address: where.address,
        householdId,
      });
      const version = await updatePerson(trx, scope, person, {
        address: where.address,
        postal_code: where.postalCode,
        household_id: householdId,
        relationship,
        address_since: effectiveOn,
      });
      const eventId = await appendEvent(trx, context.audit, scope, {
        personId: person.person_id,
        kind: 'move-within',
        effectiveOn,
        recordedAt: context.clock.now(),
        recordedBy: actor,
        address: where.address,
        postalCode: where.postalCode,
        householdId,
        relationship,
      });
      return { kind: 'move-within', eventId, personId: person.person_id, householdId, version };
    });
}
