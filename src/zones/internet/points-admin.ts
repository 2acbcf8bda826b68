import { tenantScope, type ZoneContext } from '../../core/index.ts';
import {
  defineProgramme,
  type EarningDb,
  type PointsLedgerDb,
  storeGrantCodeDigests,
} from '../../modules/points/index.ts';
import { pointsGrantCodesV1, pointsProgrammeV1, type ZoneGateway } from '../gateway/index.ts';

/** What points staff make in lgwan, pulled from its outbox: programmes, and participation-code digests. */
export function wirePointsAdmin(context: ZoneContext, gateway: ZoneGateway): void {
  gateway.handle(pointsProgrammeV1, async (message, trx) => {
    const scope = tenantScope(context.served.require(message.municipalityCode).code);
    await defineProgramme(trx as EarningDb, scope, message.payload, context.clock.now());
    return { defined: message.payload.programmeId };
  });
  gateway.handle(pointsGrantCodesV1, async (message, trx) => {
    const scope = tenantScope(context.served.require(message.municipalityCode).code);
    const { digests, validUntil, ...batch } = message.payload;
    await storeGrantCodeDigests(
      trx as PointsLedgerDb,
      scope,
      { ...batch, validUntil: new Date(validUntil) },
      digests,
      context.clock.now(),
    );
    return { kept: digests.length };
  });
}
