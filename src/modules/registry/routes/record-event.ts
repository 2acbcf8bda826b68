import type { Static } from 'typebox';
import { parseLgCode, type TenantScope } from '../../../core/index.ts';
import { recordDeath, recordMoveOut } from '../events/record-departure.ts';
import { recordMoveIn } from '../events/record-move-in.ts';
import { recordMoveWithin } from '../events/record-move-within.ts';
import { registerBirth } from '../events/register-birth.ts';
import type { EventResult } from '../events/types.ts';
import type { RegistryContext } from '../registry-context.ts';
import type { LifeEventBody } from './schemas.ts';

type Body = Static<typeof LifeEventBody>;

const optionalLgCode = (value: string | undefined) => (value === undefined ? undefined : parseLgCode(value));

/** Dispatches a validated request body to the workflow of its kind. */
export function recordLifeEvent(
  context: RegistryContext,
  scope: TenantScope,
  actor: string,
  body: Body,
): Promise<EventResult> {
  switch (body.kind) {
    case 'birth':
      return registerBirth(context, scope, actor, body);
    case 'move-in':
      return recordMoveIn(context, scope, actor, {
        ...body,
        fromMunicipalityCode: optionalLgCode(body.fromMunicipalityCode),
      });
    case 'move-within':
      return recordMoveWithin(context, scope, actor, body);
    case 'move-out':
      return recordMoveOut(context, scope, actor, {
        ...body,
        toMunicipalityCode: optionalLgCode(body.toMunicipalityCode),
      });
    case 'death':
      return recordDeath(context, scope, actor, body);
  }
}

export function subjectResidentCode(body: Body): string {
  return 'person' in body ? body.person.residentCode : body.residentCode;
}
