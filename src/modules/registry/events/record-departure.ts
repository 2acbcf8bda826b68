import type { TenantScope } from '../../../core/index.ts';
import { parseIsoDate } from '../dates.ts';
import { parseResidentCode } from '../identifiers/index.ts';
import { type RegistryContext, registryDb } from '../registry-context.ts';
import {
  appendEvent,
  checkExistingPerson,
  closeResidence,
  conflict,
  leaveHousehold,
  lockPerson,
  updatePerson,
} from './shared.ts';
import type { DeathInput, EventResult, MoveOutInput } from './types.ts';

/**
 * 転出届 (住民基本台帳法第24条) and 死亡届: the person leaves the registry. Their row stays
 * (as a 除票) with status and left_on; the open residence period ends; a head of household
 * leaves the household headless until a new 世帯主 is named.
 */
async function recordDeparture(
  context: RegistryContext,
  scope: TenantScope,
  actor: string,
  kind: 'move-out' | 'death',
  input: MoveOutInput,
): Promise<EventResult> {
  const residentCode = parseResidentCode(input.residentCode);
  const effectiveOn = parseIsoDate(input.effectiveOn, 'effectiveOn');
  if (kind === 'move-out' && input.toMunicipalityCode === scope.municipalityCode) {
    throw conflict('A move to an address in this municipality is a move within (転居), not a move out.', {
      field: 'toMunicipalityCode',
    });
  }
  return registryDb(context.database)
    .transaction()
    .execute(async (trx) => {
      const person = await lockPerson(trx, scope, residentCode);
      checkExistingPerson(person, kind, effectiveOn, input.expectedVersion);
      await leaveHousehold(trx, scope, person);
      await closeResidence(trx, scope, person.person_id, effectiveOn);
      const version = await updatePerson(trx, scope, person, {
        status: kind === 'death' ? 'deceased' : 'moved-out',
        left_on: effectiveOn,
      });
      const eventId = await appendEvent(trx, context.audit, scope, {
        personId: person.person_id,
        kind,
        effectiveOn,
        recordedAt: context.clock.now(),
        recordedBy: actor,
        householdId: person.household_id,
        otherAddress: input.toAddress ?? null,
        otherMunicipalityCode: input.toMunicipalityCode ?? null,
      });
      return { kind, eventId, personId: person.person_id, householdId: person.household_id, version };
    });
}

export function recordMoveOut(
  context: RegistryContext,
  scope: TenantScope,
  actor: string,
  input: MoveOutInput,
) {
  return recordDeparture(context, scope, actor, 'move-out', input);
}

export function recordDeath(context: RegistryContext, scope: TenantScope, actor: string, input: DeathInput) {
  return recordDeparture(context, scope, actor, 'death', input);
}
