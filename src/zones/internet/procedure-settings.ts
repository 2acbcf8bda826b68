import { type LgCode, tenantScope, type ZoneContext } from '../../core/index.ts';
import { storeProcedureSetting } from '../../modules/procedures/index.ts';
import { procedureSettingV1, type ZoneGateway } from '../gateway/index.ts';

/** The portal keeps a copy of each municipality's procedure settings, pulled from lgwan. */
export function wireProcedureSettings(context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(procedureSettingV1, async (message, trx) => {
    const scope = tenantScope(context.served.require(message.municipalityCode).code as LgCode);
    await storeProcedureSetting(trx, scope, message.payload, context.clock.now());
    return null;
  });
}
