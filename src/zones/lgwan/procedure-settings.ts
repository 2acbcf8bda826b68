import type { HttpApp, ZoneContext } from '../../core/index.ts';
import { loadCatalogue, registerSettingsRoutes } from '../../modules/procedures/index.ts';
import { procedureSettingV1, type ZoneGateway } from '../gateway/index.ts';

/** lgwan keeps which procedures each municipality accepts online; every change is left for the portal to pull. */
export function wireProcedureSettings(app: HttpApp, context: ZoneContext, gateway: ZoneGateway): void {
  registerSettingsRoutes(app, context, {
    catalogue: loadCatalogue(),
    publish: (trx, scope, setting) =>
      gateway.enqueue(trx, 'internet', procedureSettingV1, {
        municipalityCode: scope.municipalityCode,
        payload: { ...setting },
      }),
  });
}
