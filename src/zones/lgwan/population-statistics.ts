import type { HttpApp, ZoneContext } from '../../core/index.ts';
import { tenantScope } from '../../core/index.ts';
import { registerStatisticsRoutes, storePopulationSnapshot } from '../../modules/statistics/index.ts';
import { populationStatisticsRequestV1, populationStatisticsV1, type ZoneGateway } from '../gateway/index.ts';

/**
 * lgwan's side of registry.population-statistics: it stores what mynumber
 * pushes and, when staff ask for a refresh, leaves a request in its outbox for
 * mynumber to pull (lgwan never connects to mynumber).
 */
export function wirePopulationStatistics(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(populationStatisticsV1, async (message, trx) => {
    // The envelope is checked: populationStatisticsV1 requires a municipality.
    const scope = tenantScope(message.municipalityCode!);
    const kept = await storePopulationSnapshot(trx, scope, message.payload, context.clock);
    return { kept };
  });
  registerStatisticsRoutes(app, context, {
    requestPopulationRefresh: (trx, scope) =>
      gateway.enqueue(trx, 'mynumber', populationStatisticsRequestV1, {
        municipalityCode: scope.municipalityCode,
        payload: {},
      }),
  });
}
