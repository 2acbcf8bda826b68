import { isMachiError, type ZoneContext } from '../../core/index.ts';
import type { RegistryBirthDate } from '../../modules/points/index.ts';
import { readPrefill, requestPrefill } from '../../modules/procedures/index.ts';
import type { ZoneGateway } from '../gateway/index.ts';
import { prefillSender } from './registry-prefill.ts';

/**
 * A resident's birth date for the points' age limits, from the registry by the same way as
 * ワンスオンリー prefill (through lgwan to mynumber, and back): the answer kept for the hour it
 * is kept for filings, or else a request sent and 'pending' said. A request made a moment ago
 * (rate-limited) is still pending.
 */
export function registryBirthDate(context: ZoneContext, gateway: ZoneGateway): RegistryBirthDate {
  const send = prefillSender(context, gateway);
  return async ({ scope, subjectId }) => {
    const resident = { municipalityCode: scope.municipalityCode, subjectId };
    const state = await readPrefill(context.database.db, resident, context.clock.now());
    if (state?.status === 'ready') return state.found && state.person ? state.person.birthDate : null;
    if (state?.status === 'pending') return 'pending';
    try {
      await requestPrefill(context, resident, (request) => send(resident, request));
    } catch (error) {
      if (!isMachiError(error) || error.code !== 'rate-limited') throw error;
    }
    return 'pending';
  };
}
